"""A language server driven over its raw stdio: what the hostile tests send and how they wait.

The typed client (pytest-lsp) cannot send what a broken or hostile client sends (versions going
backwards, changes to documents never opened, thousands of notifications in a burst) and costs
a round trip per message; this client writes frames as they are and reads every message on a
thread, so the server never blocks on a full pipe. The server's stderr goes to a file (a storm
of logged errors must not fill a pipe nobody reads), and its address space is capped so that an
attack which makes it allocate without bound fails the test instead of the machine.

Every wait has a generous timeout and fails the test with what was received; nothing sleeps.
"""

from __future__ import annotations

import json
import queue
import resource
import subprocess
import threading
from pathlib import Path
from typing import Callable, Optional

from tests.conftest import POLICY_COMMAND

WAIT = 60.0                              # seconds any single wait may take
ADDRESS_SPACE_BYTES = 4 * 1024 ** 3      # the server's cap (a runaway read fails here, not the machine)


def frame(payload: dict) -> bytes:
    """One base-protocol message."""
    body = json.dumps(payload).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream) -> Optional[dict]:
    """The next message on a binary stream; None at its end."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length is None:
        return None
    return json.loads(stream.read(length))


def _cap_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_BYTES, ADDRESS_SPACE_BYTES))


class StdioServer:
    """`policy lsp --stdio` in a folder, with what it said: responses by id, notifications in order."""

    def __init__(self, cwd: Path):
        self.log_path = cwd / "server-stderr.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen([POLICY_COMMAND, "lsp", "--stdio"], cwd=cwd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self._log, preexec_fn=_cap_address_space)
        self.notifications: list = []
        self._inbox: queue.Queue = queue.Queue()
        self._write_lock = threading.Lock()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="stdio-reader", daemon=True)
        self._reader.start()

    # -- the wire ------------------------------------------------------------------------------
    def _read(self) -> None:
        while (message := read_message(self.process.stdout)) is not None:
            if "method" in message and "id" in message:  # a request of the server's: accept it
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            self._inbox.put(message)
        self._inbox.put(None)

    def send(self, payload: dict) -> None:
        with self._write_lock:
            self.process.stdin.write(frame(payload))
            self.process.stdin.flush()

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params, timeout: float = WAIT) -> dict:
        """Send a request and return its response message (result or error)."""
        identifier = self.start_request(method, params)
        return self.wait_for(lambda m: m.get("id") == identifier and "method" not in m, f"the answer to {method}",
                             timeout)

    def start_request(self, method: str, params) -> str:
        """Send a request without waiting; its id."""
        self._next_id += 1
        identifier = f"test-{self._next_id}"
        self.send({"jsonrpc": "2.0", "id": identifier, "method": method, "params": params})
        return identifier

    def wait_for(self, predicate: Callable[[dict], bool], what: str, timeout: float = WAIT) -> dict:
        """The first message received from now on (notifications are also kept) that satisfies predicate."""
        while True:
            try:
                message = self._inbox.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {what} within {timeout:.0f} s; the server's log:\n{self.log()[-3000:]}")
            if message is None:
                raise AssertionError(f"the server closed its output waiting for {what}:\n{self.log()[-3000:]}")
            if "method" in message and "id" not in message:
                self.notifications.append(message)
            if predicate(message):
                return message

    # -- the protocol ----------------------------------------------------------------------------
    def initialize(self, root: Optional[Path], capabilities: Optional[dict] = None) -> dict:
        params = {"processId": None, "rootUri": root.as_uri() if root else None,
                  "capabilities": capabilities or {}}
        if root is not None:
            params["workspaceFolders"] = [{"uri": root.as_uri(), "name": root.name}]
        result = self.request("initialize", params)
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str, version: int = 1, language: str = "markdown") -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                              "version": version, "text": text}})
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def diagnostics(self, uri: str, version: Optional[int] = None, timeout: float = WAIT) -> list:
        """The diagnostics of the next publishDiagnostics for uri (at version, when given)."""
        message = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri
                                and (version is None or m["params"].get("version") == version),
                                f"diagnostics of {uri} at version {version}", timeout)
        return message["params"]["diagnostics"]

    def log_message(self, text: str, timeout: float = WAIT) -> str:
        """A window/logMessage containing text (already received, or the next such one)."""
        for message in self.notifications:
            if message.get("method") == "window/logMessage" and text in message["params"]["message"]:
                return message["params"]["message"]
        return self.wait_for(lambda m: m.get("method") == "window/logMessage" and text in m["params"]["message"],
                             f"a log message saying {text!r}", timeout)["params"]["message"]

    # -- the process -------------------------------------------------------------------------------
    def status(self, field: str) -> int:
        """A kB figure of the server's /proc status (VmRSS, VmHWM)."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(status.split(f"{field}:")[1].split()[0])

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace") if self.log_path.exists() else ""

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                self.request("shutdown", None, timeout=10)
                self.notify("exit", None)
                self.process.wait(timeout=10)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=30)
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self._log.close()
