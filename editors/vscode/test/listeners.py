"""Lists the TCP sockets listening in the sessions of the given processes and fails unless every
one is bound to the loopback address. Used by the end-to-end test: it checks code-server, its
extension host, the language server, and the test's own Chromium.

    python listeners.py PID [PID...]
"""

import os
import socket
import struct
import sys

LISTEN = "0A"


def session_of(pid):
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[3])


def sessions_processes(sessions):
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions:  # fields after "pid (comm)": state ppid pgrp session ...
            yield int(name)


def socket_inodes(pid):
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        pass
    return inodes


def listening(table, family):
    try:
        with open(f"/proc/net/{table}") as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if fields[3] != LISTEN:
                    continue
                address, port = fields[1].split(":")
                raw = bytes.fromhex(address)
                if family == socket.AF_INET:
                    raw = struct.pack("<I", int(address, 16))
                else:
                    raw = b"".join(struct.pack("<I", int(address[i:i + 8], 16)) for i in range(0, 32, 8))
                yield fields[9], socket.inet_ntop(family, raw), int(port, 16)
    except FileNotFoundError:
        return


def main(argv):
    sessions = {session_of(int(arg)) for arg in argv}
    owners = {}
    for pid in sessions_processes(sessions):
        for inode in socket_inodes(pid):
            owners.setdefault(inode, pid)
    found, bad = [], []
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        for inode, address, port in listening(table, family):
            if inode in owners:
                entry = f"{address}:{port} (pid {owners[inode]})"
                found.append(entry)
                if address not in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
                    bad.append(entry)
    print(", ".join(found) or "no listening sockets")
    if bad:
        print("not loopback: " + ", ".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
