"""The language server's latency over stdio, against the engine's own in-process check.

    python benchmarks/lsp_latency.py [--quick] [--runs N] [--server COMMAND]

Generates a workspace into a temporary folder: 1,000 documents from `benchmarks/corpus.py`
(fixed seed), a 500-line incident record (`incidents/INC-2500.md`, generated here, fixed) and a
`.policy.yaml` with the built-in pack (default configuration) and a pinned `clock`. Then starts
`policy lsp --stdio` and talks JSON-RPC to it over its stdin and stdout with the small client
below (Content-Length framing on asyncio subprocess pipes; push diagnostics, UTF-16 positions,
no file watching), and measures:

1. change-to-diagnostics: `didChange` with the record's full text (each change a real edit:
   a note rewritten, a status typo made and fixed), then the time until `publishDiagnostics`
   for that version arrives; against `Workspace(root).reload_configuration(); .index();
   .check_text(path, text)` of the same texts in this process, interleaved run by run
   (p95 of each). Target: at most 1.5x. The same edits sent to a second server whose workspace
   holds only the record (target: the 1,000-document p95 at most 1.3x that), and to
   yaml-language-server (installed from npm into ~/.cache/hotfix-policy/bench-peers/ on first
   use) on the record written as YAML of the same size (target: at most 0.25x its p95).
2. completion at a typical position in the record (a status value in the middle of the
   updates) against the same request at the start of an empty document; alternated, p95 of
   each. Target: at most 3x. A blank line and a `#` reference are measured too (no target).
3. initialize-to-first-diagnostics: a new server per run, started and answering (a request it
   does not know, answered with an error) before the clock starts; then `initialize` (with
   the workspace, or with no root at all), `initialized`, `didOpen` of the record, until its
   first `publishDiagnostics`. Median of the runs. Target: at most 1.5x.
4. 1,000 edits written as fast as the pipe takes them, once as full texts and once as
   one-character incremental edits (typing): the last diagnostics published must be for the
   last version and equal (rule, line, message) to the engine's own check of the final text;
   "no backlog" is defined here as the time from the last edit to its diagnostics being at
   most 2x the engine's check p95 (a check in flight when the last edit arrives, then the
   last version's check).

Every server started is shut down (`shutdown`, `exit`, then terminate or kill); nothing listens
on a network port. Prints a Markdown table; exits 1 when a target is not met or a feature a
measure needs is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from corpus import AREAS, PEOPLE, write_corpus  # noqa: E402
from installed import byte_compile, policy_command  # noqa: E402

SERVER = [*policy_command(), "lsp", "--stdio"]  # --server replaces it (e.g. to compare a change)
CLOCK = "2026-11-26T12:00:00Z"
RECORD = Path("incidents") / "INC-2500.md"
INDEX_READY = "workspace index ready"  # the server's window/logMessage when indexing is done
WAIT = 120.0  # seconds any single wait may take before the benchmark gives up


# -- the workspace ---------------------------------------------------------------------------------
def incident_record(lines: int = 500, seed: int = 7) -> str:
    """A long incident record as a team writes one during a day-long outage (a few mistakes in)."""
    rng = random.Random(seed)
    declared = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)
    stamp = lambda moment: moment.strftime("%Y-%m-%dT%H:%MZ")  # noqa: E731
    out = ["# INC-2500: Payments requests failing", "", "🚨 PRODUCTION INCIDENT DECLARED",
           "Severity: CRITICAL", "Criterion: Production down",
           "Issue: Payments returns HTTP 500 for most requests", "Impact: All users in all regions",
           "Status: INVESTIGATING", f"ETA: {stamp(declared + timedelta(hours=2))}", "Commander: @dana-k",
           "Branch: hotfix/v4.2.1-payments-fix", f"Declared: {stamp(declared)}",
           "Related: #1003 (same cache layer)", "", "## Updates", ""]
    moment = declared
    statuses = ["FIXING", "TESTING", "DEPLOYING", "MONITORING"]
    number = 0
    while len(out) + 13 + 11 <= lines:  # 13 lines of resolution and closing, at most 11 per update
        moment += timedelta(minutes=rng.choice([10, 15, 20]))
        status = statuses[min(number * len(statuses) // 40, len(statuses) - 1)]
        out += [f"### 🔄 INCIDENT UPDATE - {stamp(moment)}", f"Status: {status}",
                f"Progress: Narrowed the failure to the {rng.choice(AREAS)} service's cache layer; "
                f"{rng.randrange(2, 40)} pods restarted",
                "Next: Roll the patched build to the remaining regions and watch error rates",
                f"ETA: {stamp(moment + timedelta(minutes=45))}",
                f"Issues: {rng.choice(['None', 'None', 'Staging is slow to deploy'])}", ""]
        out += [f"Notes: {rng.choice(AREAS)} dashboards checked by @{rng.choice(PEOPLE)}; "
                f"p99 latency {rng.randrange(80, 900)} ms." for _ in range(rng.randrange(1, 4))] + [""]
        number += 1
    while len(out) + 13 < lines:  # exactly `lines` lines: more notes under the last update
        out.insert(len(out) - 1, f"Notes: error rate back to {rng.randrange(1, 9)}.{rng.randrange(10)}% in "
                                 f"{rng.choice(AREAS)}.")
    resolved = moment + timedelta(minutes=30)
    duration = resolved - declared
    out += ["## Resolution", "", f"✅ INCIDENT RESOLVED - {stamp(resolved)}",
            "Issue: Payments failed for cached sessions",
            f"Duration: {duration.days * 24 + duration.seconds // 3600}h {duration.seconds % 3600 // 60}m",
            "Resolution: Hotfix defaults the missing cache key", "Impact: Most requests failed until the fix",
            f"Follow-up: Post-incident review scheduled for {(resolved + timedelta(days=3)):%Y-%m-%d}",
            "", "## Closed", "", "Status: CLOSED", f"Closed: {stamp(resolved + timedelta(hours=4))}"]
    return "\n".join(out) + "\n"


def make_workspace(folder: Path, documents: int) -> Path:
    write_corpus(folder, documents)
    (folder / ".policy.yaml").write_text(f"# generated by benchmarks/lsp_latency.py\nclock: {CLOCK}\n",
                                         encoding="utf-8")
    path = folder / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(incident_record(), encoding="utf-8")
    return path


TYPOS = {"FIXING": "FIXNG", "TESTING": "TESTNG", "DEPLOYING": "DEPLOYNG", "MONITORING": "MONITORNG"}
FIXES = {typo: status for status, typo in TYPOS.items()}


class Edits:
    """Real edits of the record, one new text per call: notes rewritten, a status typo and its fix."""

    def __init__(self, text: str, indent: str = ""):
        self.lines = text.split("\n")
        self.status = indent + "Status: "
        self.notes = [i for i, line in enumerate(self.lines) if line.startswith(indent + "Notes: ")]
        self.statuses = [i for i, line in enumerate(self.lines) if line.startswith(self.status)][1:-1]
        self.count = 0

    def next_text(self) -> str:
        self.count += 1
        if self.count % 3 == 0:  # a typo in a status line, fixed by the next such edit
            index = self.statuses[(self.count // 3 - 1) // 2 % len(self.statuses)]
            status = self.lines[index][len(self.status):]
            self.lines[index] = self.status + (FIXES.get(status) or TYPOS.get(status, status + "X"))
        else:
            index = self.notes[self.count % len(self.notes)]
            self.lines[index] = re.sub(r"p99 latency \d+ ms", f"p99 latency {100 + self.count % 800} ms",
                                       self.lines[index])
        return "\n".join(self.lines)


# -- a small JSON-RPC client over the server's stdio ----------------------------------------------
class ServerError(Exception):
    pass


class Client:
    """One server process and what it said: responses by id, diagnostics by uri, log messages."""

    def __init__(self, process, log_path: Path):
        self.process = process
        self.log_path = log_path
        self.next_id = 0
        self.pending: dict = {}
        self.diagnostics: dict = {}   # uri -> [(received perf_counter, version, diagnostics)]
        self.logs: list = []          # (received, type, message)
        self.event = asyncio.Event()  # set on every notification
        self.reader = asyncio.ensure_future(self._read())

    @classmethod
    async def start(cls, log_path: Path, command=None) -> "Client":
        log = open(log_path, "ab")
        try:
            process = await asyncio.create_subprocess_exec(
                *(command or SERVER), cwd=str(ROOT), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=log,
                limit=1 << 24)
        finally:
            log.close()
        return cls(process, log_path)

    # framing
    def _frame(self, message: dict) -> bytes:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    async def _read(self) -> None:
        stream = self.process.stdout
        try:
            while True:
                header = await stream.readuntil(b"\r\n\r\n")
                length = None
                for line in header.decode("ascii").split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                body = await stream.readexactly(length)
                received = time.perf_counter()
                self._dispatch(json.loads(body), received)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(ServerError("the server closed its output"))
            self.event.set()

    def _dispatch(self, message: dict, received: float) -> None:
        method = message.get("method")
        if method is None:  # a response
            future = self.pending.pop(message.get("id"), None)
            if future is not None and not future.done():
                future.set_result((received, message))
            return
        if "id" in message:  # a request from the server (registration, configuration...): accept it
            items = (message.get("params") or {}).get("items") if method == "workspace/configuration" else None
            result = [None] * len(items) if items is not None else None  # every setting at its default
            self.process.stdin.write(self._frame({"jsonrpc": "2.0", "id": message["id"], "result": result}))
            return
        params = message.get("params") or {}
        if method == "textDocument/publishDiagnostics":
            self.diagnostics.setdefault(params["uri"], []).append(
                (received, params.get("version"), params.get("diagnostics", [])))
        elif method == "window/logMessage":
            self.logs.append((received, params.get("type"), params.get("message", "")))
        self.event.set()

    # sending
    async def request(self, method: str, params) -> tuple:
        """(perf_counter when received, the response message)."""
        self.next_id += 1
        future = asyncio.get_running_loop().create_future()
        self.pending[self.next_id] = future
        self.process.stdin.write(self._frame({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                                              "params": params}))
        await self.process.stdin.drain()
        return await asyncio.wait_for(future, WAIT)

    async def call(self, method: str, params):
        _, response = await self.request(method, params)
        if "error" in response:
            raise ServerError(f"{method}: {response['error'].get('message')}")
        return response.get("result")

    def write(self, method: str, params) -> None:
        self.process.stdin.write(self._frame({"jsonrpc": "2.0", "method": method, "params": params}))

    async def notify(self, method: str, params) -> None:
        self.write(method, params)
        await self.process.stdin.drain()

    # waiting
    async def until(self, predicate, what: str, timeout: float = WAIT):
        """Wait (no sleeping: on each notification) until predicate() is truthy; return its value."""
        deadline = time.perf_counter() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if self.process.returncode is not None or self.reader.done():
                raise ServerError(f"the server exited while waiting for {what}")
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ServerError(f"timed out after {timeout:.0f}s waiting for {what}")
            self.event.clear()
            try:
                await asyncio.wait_for(self.event.wait(), left)
            except asyncio.TimeoutError:
                pass

    def published(self, uri: str, version=None, after: float = 0.0):
        """The first publishDiagnostics for uri (at version, if given) received after `after`."""
        for entry in self.diagnostics.get(uri, []):
            if entry[0] > after and (version is None or entry[1] == version):
                return entry
        return None

    # life cycle
    async def ready(self) -> tuple:
        """The process started and reads requests: an unknown request is answered (with an error)."""
        return await self.request("$/hotfixPolicyBenchmarkProbe", {})

    async def initialize(self, root) -> dict:
        capabilities = {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "synchronization": {"didSave": True, "dynamicRegistration": False},
                "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
                "completion": {"completionItem": {"snippetSupport": True}},
            },
            "workspace": {"workspaceFolders": True},
        }
        params = {"processId": os.getpid(), "capabilities": capabilities, "rootUri": None, "workspaceFolders": None,
                  "clientInfo": {"name": "lsp_latency.py"}}
        if root is not None:
            params.update(rootUri=root.as_uri(), rootPath=str(root),
                          workspaceFolders=[{"uri": root.as_uri(), "name": root.name}])
        result = await self.call("initialize", params)
        await self.notify("initialized", {})
        return result

    async def change(self, uri: str, version: int, text: str, published=None) -> tuple:
        """didChange with the full text; (seconds until the next publishDiagnostics for uri, at
        version `published` if given, its diagnostics)."""
        sent = time.perf_counter()
        await self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                     "contentChanges": [{"text": text}]})
        received, _, diagnostics = await self.until(lambda: self.published(uri, published, sent),
                                                    f"diagnostics for version {version} of {uri}")
        return received - sent, diagnostics

    async def open(self, uri: str, text: str, version: int = 1, language: str = "markdown") -> None:
        await self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                                    "version": version, "text": text}})

    async def stop(self) -> None:
        """shutdown and exit; terminate, then kill, a server that does not go."""
        process = self.process
        try:
            if process.returncode is None and not self.reader.done():
                await asyncio.wait_for(self.call("shutdown", None), 5)
                await self.notify("exit", None)
                process.stdin.close()
                await asyncio.wait_for(process.wait(), 5)
        except (ServerError, asyncio.TimeoutError, ConnectionError, OSError):
            pass
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 5)
                except asyncio.TimeoutError:
                    process.kill()
                    await process.wait()
            self.reader.cancel()


def index_ready(client: Client):
    """When the server said its workspace index is ready (window/logMessage), or None."""
    return next((received for received, _, message in client.logs if INDEX_READY in message), None)


# -- measures --------------------------------------------------------------------------------------
def p95(values: list) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def engine_diagnostics(checked) -> Counter:
    """(rule, 0-based line, message) of the engine's findings, as the server converts them."""
    out = Counter()
    for finding in checked.findings:
        line = finding.span.line - 1 if finding.span is not None else 0
        message = finding.message or finding.rule
        out[(finding.rule, line, f"{message} (waived)" if finding.waived else message)] += 1
    return out


def server_diagnostics(diagnostics: list) -> Counter:
    return Counter((d.get("code"), d["range"]["start"]["line"], d.get("message")) for d in diagnostics)


async def change_to_diagnostics(client: Client, engine, uri: str, path: str, text: str, version: int,
                                runs: int) -> tuple:
    """didChange (full text) -> publishDiagnostics for that version, interleaved with the engine's check."""
    edits = Edits(text)
    server, local, sizes = [], [], []
    for run in range(runs + 2):  # two warm-up runs
        new = edits.next_text()
        version += 1
        took, diagnostics = await client.change(uri, version, new, version)
        start = time.perf_counter()
        checked = engine.check_text(path, new)
        elapsed = time.perf_counter() - start
        if run >= 2:
            server.append(took)
            local.append(elapsed)
            sizes.append(len(diagnostics))
        if server_diagnostics(diagnostics) != engine_diagnostics(checked):
            raise ServerError(f"version {version}: the server's diagnostics differ from the engine's check")
    return server, local, sizes, version


def alone_workspace(workdir: Path, text: str) -> Path:
    """A workspace holding only the record (and the same configuration)."""
    root = workdir / "alone"
    (root / RECORD.parent).mkdir(parents=True)
    (root / ".policy.yaml").write_text(f"clock: {CLOCK}\n", encoding="utf-8")
    (root / RECORD).write_text(text, encoding="utf-8")
    return root


def alone_check(root: Path, text: str, runs: int) -> float:
    """p95 of the engine's check of the record, the same edits, in a workspace with no other document."""
    from hotfix_policy.engine.workspace import Workspace

    engine = Workspace(root)
    engine.reload_configuration()
    engine.index()
    gc.freeze()  # as the server does once its policies and index are loaded (lsp/state.py)
    edits, times = Edits(text), []
    for run in range(runs + 2):
        new = edits.next_text()
        start = time.perf_counter()
        engine.check_text(str(root / RECORD), new)
        if run >= 2:
            times.append(time.perf_counter() - start)
    return p95(times)


async def server_alone(workdir: Path, root: Path, text: str, runs: int) -> list:
    """Change-to-diagnostics of the same edits by a server whose workspace holds only the record."""
    from hotfix_policy.engine.workspace import Workspace

    engine = Workspace(root)
    engine.reload_configuration()
    engine.index()
    record = root / RECORD
    client = await Client.start(workdir / "server.log")
    try:
        await client.ready()
        await client.initialize(root)
        started = time.perf_counter()
        await client.open(record.as_uri(), text)
        await client.until(lambda: index_ready(client), "the index of the record alone")
        await client.until(lambda: client.published(record.as_uri(), 1, started), "the record's diagnostics")
        server, _, _, _ = await change_to_diagnostics(client, engine, record.as_uri(), str(record), text, 1, runs)
        return server
    finally:
        await client.stop()


YAML_INDENT = "      "
YAML_PEER = "yaml-language-server@1"  # 2.x needs Node 22; 1.x is the newest line for Node 20
PEER_CACHE = Path.home() / ".cache" / "hotfix-policy" / "bench-peers" / "yaml-language-server"


def yaml_peer() -> list:
    """yaml-language-server's command, installed from npm into a cache folder on first use."""
    binary = PEER_CACHE / "node_modules" / ".bin" / "yaml-language-server"
    if not binary.exists():
        PEER_CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", YAML_PEER], cwd=PEER_CACHE,
                       check=True, timeout=600)
    return [str(binary), "--stdio"]


def yaml_record(text: str) -> str:
    """The record as a YAML file of about the same size and lines (the peer's realistic input):
    one list item per section, its labels as keys (a repeated label numbered), prose as comments."""
    out = ["incident:", "  id: INC-2500", "  sections:", f"    - heading: {json.dumps(text.split(chr(10))[0])}"]
    seen: set = set()
    for line in text.split("\n")[1:]:
        name, _, value = line.partition(": ")
        if line.startswith("#"):
            out.append(f"    - heading: {json.dumps(line.lstrip('# '), ensure_ascii=False)}")
            seen = set()
        elif value and name.isalpha():
            key = name if name not in seen else f"{name}_{len(seen)}"
            seen.add(name)
            shown = value if name == "Status" and value.isalpha() else json.dumps(value, ensure_ascii=False)
            out.append(f"{YAML_INDENT}{key}: {shown}")
        else:
            out.append(f"{YAML_INDENT}# {line}" if line else "")
    return "\n".join(out) + "\n"


async def yaml_peer_latency(workdir: Path, text: str, runs: int) -> tuple:
    """yaml-language-server: the same edits on the YAML form of the record, didChange (full text)
    until its next publishDiagnostics for the file."""
    root = workdir / "yaml"
    root.mkdir()
    path = root / "incident.yaml"
    source = yaml_record(text)
    path.write_text(source, encoding="utf-8")
    uri = path.as_uri()
    client = await Client.start(workdir / "yaml-server.log", yaml_peer())
    times, sizes = [], []
    try:
        await client.initialize(root)
        started = time.perf_counter()
        await client.open(uri, source, language="yaml")
        await client.until(lambda: client.published(uri, None, started), "yaml-language-server's first diagnostics")
        edits, version = Edits(source, YAML_INDENT), 1
        for run in range(runs + 2):
            new = edits.next_text()
            version += 1
            took, diagnostics = await client.change(uri, version, new)  # it publishes no version
            if run >= 2:
                times.append(took)
                sizes.append(len(diagnostics))
    finally:
        await client.stop()
    return times, sizes, len(source.splitlines()), len(source.encode())


async def completion_latency(client: Client, uri: str, empty_uri: str, position: dict, runs: int) -> tuple:
    """The same completion request at `position` in the record and at (0, 0) in an empty document."""
    here, floor, counts = [], [], set()

    async def once(target: str, where: dict) -> tuple:
        sent = time.perf_counter()
        received, response = await client.request("textDocument/completion", {
            "textDocument": {"uri": target}, "position": where})
        if "error" in response:
            raise ServerError(f"completion: {response['error'].get('message')}")
        result = response.get("result") or []
        items = result.get("items", []) if isinstance(result, dict) else result
        return received - sent, len(items)

    for run in range(runs + 3):
        a, count = await once(uri, position)
        b, empty_count = await once(empty_uri, {"line": 0, "character": 0})
        if run >= 3:
            here.append(a)
            floor.append(b)
            counts.add((count, empty_count))
    return here, floor, counts


async def first_diagnostics(workdir: Path, root, uri: str, text: str) -> tuple:
    """A new server: (spawn -> first diagnostics, initialize -> first diagnostics, initialize -> index ready)."""
    spawned = time.perf_counter()
    client = await Client.start(workdir / "server.log")
    try:
        await client.ready()
        start = time.perf_counter()
        await client.initialize(root)
        await client.open(uri, text)
        received, _, _ = await client.until(lambda: client.published(uri), "the first diagnostics")
        index = None
        if root is not None:
            logged = await client.until(lambda: index_ready(client), "the workspace index")
            index = logged - start
        return received - spawned, received - start, index
    finally:
        await client.stop()


async def burst(client: Client, engine, uri: str, path: str, text: str, version: int, edits: int,
                incremental: bool, quiet: float, full_sync: bool = False) -> dict:
    """`edits` didChange notifications written back to back; then the diagnostics of the last one.

    `incremental` types one character per change; a server that asked for full sync
    (textDocumentSync.change == 1) gets the whole text with each keystroke, as conforming
    clients send it.
    """
    lines = text.split("\n")
    target = next(i for i, line in enumerate(lines) if line.startswith("Notes: ")) if incremental else 0
    changer = Edits(text)
    sent_from = time.perf_counter()
    first_version = version + 1
    for number in range(edits):
        version += 1
        if incremental:  # typing at the end of a notes line, one character per change (ASCII line)
            character = len(lines[target])
            typed = "abcdefghij "[number % 11]
            lines[target] += typed
            change = ({"text": "\n".join(lines)} if full_sync else
                      {"range": {"start": {"line": target, "character": character},
                                 "end": {"line": target, "character": character}}, "text": typed})
        else:
            change = {"text": changer.next_text()}
        client.write("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                "contentChanges": [change]})
        if number % 16 == 15:
            await client.process.stdin.drain()
    await client.process.stdin.drain()
    last_sent = time.perf_counter()
    probe = asyncio.ensure_future(client.ready())  # answered once the server has read every edit
    final = "\n".join(lines) if incremental else "\n".join(changer.lines)
    received, _, _ = await client.until(lambda: client.published(uri, version, sent_from),
                                        f"diagnostics for the last version ({version})")
    caught_up, _ = await probe
    # quiet period: nothing older may arrive after the last version's diagnostics
    await asyncio.sleep(quiet)
    during = [entry for entry in client.diagnostics.get(uri, []) if entry[0] > sent_from]
    last = during[-1]
    expected = engine_diagnostics(engine.check_text(path, final))
    return {
        "send": last_sent - sent_from,
        "tail": received - last_sent,
        "read": caught_up - last_sent,
        "published": sorted({entry[1] for entry in during if entry[1] is not None and entry[1] >= first_version}),
        "last_version": last[1] == version,
        "correct": server_diagnostics(last[2]) == expected,
        "findings": sum(expected.values()),
        "version": version,
        "text": final,
    }


# -- the run -------------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "met" if ok else "**NOT met**"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


async def run(args) -> int:
    runs = args.runs or (10 if args.quick else 40)
    completion_runs = 30 if args.quick else 200
    starts = 2 if args.quick else 5
    edits = 1000
    byte_compile()
    rows, missing, notes = [], [], []
    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    with tempfile.TemporaryDirectory(prefix="hotfix-policy-lsp-bench-") as temporary:
        workdir = Path(temporary).resolve()
        root = workdir / "workspace"
        root.mkdir()
        record = make_workspace(root, 1000)
        text = record.read_text(encoding="utf-8")
        uri, path = record.as_uri(), str(record)

        from hotfix_policy.engine.workspace import Workspace

        engine = Workspace(root)
        errors = engine.reload_configuration()
        if errors:
            raise SystemExit(f"the generated configuration has errors: {errors}")
        indexed = engine.index()
        gc.freeze()  # as the server does once its policies and index are loaded (lsp/state.py)
        print(f"workspace: {indexed} documents indexed in process; record {len(text.splitlines())} lines, "
              f"{len(text.encode())} bytes", file=sys.stderr)

        # 1, 2 and 4 share one server on the whole workspace
        client = await Client.start(workdir / "server.log")
        try:
            await client.ready()
            result = await client.initialize(root)
            capabilities = result.get("capabilities", {})
            await client.open(uri, text)
            started = time.perf_counter()
            await client.until(lambda: index_ready(client), f"the workspace index (window/logMessage "
                                                             f"'{INDEX_READY}')")
            await client.until(lambda: client.published(uri, 1, started), "the re-check once the index is ready")
            version = 1

            # 1. change -> diagnostics
            print(f"1. change-to-diagnostics, {runs} runs", file=sys.stderr)
            server, local, sizes, version = await change_to_diagnostics(client, engine, uri, path, text, version,
                                                                         runs)
            check_p95 = p95(local)
            ratio = p95(server) / check_p95
            rows.append(("change → diagnostics p95, 500-line record (full-text didChange)", ms(p95(server)),
                         f"engine `check_text` p95 {ms(check_p95)}", f"{ratio:.2f}x", "≤ 1.5x",
                         verdict(ratio <= 1.5)))
            notes.append(f"change-to-diagnostics: {runs} runs, medians {ms(statistics.median(server))} (server) and "
                         f"{ms(statistics.median(local))} (engine); {min(sizes)}-{max(sizes)} diagnostics per version, "
                         f"identical to the engine's every time")
            alone_root = alone_workspace(workdir, text)
            alone = alone_check(alone_root, text, runs)
            notes.append(f"the engine's `check_text` of the same record in a workspace holding only it: p95 "
                         f"{ms(alone)}; with the 1,000 other documents {ms(check_p95)}")
            by_itself = await server_alone(workdir, alone_root, text, runs)
            ratio = p95(server) / p95(by_itself)
            rows.append(("change → diagnostics p95, the record in the 1,000-document workspace vs alone",
                         ms(p95(server)), f"the record alone p95 {ms(p95(by_itself))}", f"{ratio:.2f}x", "≤ 1.3x",
                         verdict(ratio <= 1.3)))
            try:
                peer, peer_sizes, peer_lines, peer_bytes = await yaml_peer_latency(workdir, text, runs)
            except (OSError, subprocess.SubprocessError, ServerError) as error:
                missing.append(f"yaml-language-server ({YAML_PEER}): {error}")
            else:
                ratio = p95(server) / p95(peer)
                rows.append((f"change → diagnostics p95 vs yaml-language-server {_peer_version()} on a same-size "
                             f"YAML file ({peer_lines} lines, {peer_bytes:,} bytes)", ms(p95(server)),
                             f"yaml-language-server p95 {ms(p95(peer))}", f"{ratio:.2f}x", "≤ 0.25x",
                             verdict(ratio <= 0.25)))
                notes.append(f"yaml-language-server: {runs} runs, median {ms(statistics.median(peer))}, "
                             f"{min(peer_sizes)}-{max(peer_sizes)} diagnostics per version")

            # 2. completion
            if "completionProvider" not in capabilities:
                missing.append("completion: the server does not declare `completionProvider`")
                rows.append(("completion p95 in the record vs an empty document", "missing", "", "", "≤ 3x",
                             "not measured"))
            else:
                print(f"2. completion, {completion_runs} runs per position", file=sys.stderr)
                empty_uri = (root / "incidents" / "new.md").as_uri()
                await client.open(empty_uri, "")
                await client.until(lambda: client.published(empty_uri), "diagnostics of the empty document")
                lines = text.split("\n")
                statuses = [i for i, line in enumerate(lines) if line.startswith("Status: ")]
                status = statuses[len(statuses) // 2]
                positions = [
                    ("end of a `Status:` value mid-record",
                     {"line": status, "character": len(lines[status])}, True),
                    ("blank line mid-record", {"line": status + 5, "character": 0}, False),
                    ("`#` reference (after `Related: #10`)",
                     {"line": 12, "character": len("Related: #10")}, False),
                ]
                for label, position, target in positions:
                    try:
                        here, floor, counts = await completion_latency(client, uri, empty_uri, position,
                                                                       completion_runs)
                    except ServerError as error:
                        missing.append(f"completion at {label}: {error}")
                        continue
                    ratio = p95(here) / p95(floor)
                    items = "/".join(sorted({str(c[0]) for c in counts}))
                    floor_items = "/".join(sorted({str(c[1]) for c in counts}))
                    rows.append((f"completion p95, {label}: {items} items", ms(p95(here)),
                                 f"empty document p95 {ms(p95(floor))} ({floor_items} items)", f"{ratio:.2f}x",
                                 "≤ 3x" if target else "(no target)",
                                 verdict(ratio <= 3) if target else ""))
                    middle, floor_middle = statistics.median(here), statistics.median(floor)
                    notes.append(f"completion, {label}: medians {ms(middle)} against {ms(floor_middle)} on the "
                                 f"empty document ({middle / floor_middle:.2f}x), {completion_runs} runs each")
                    if items == "0":
                        notes.append(f"completion at {label} returned no items")
                await client.notify("textDocument/didClose", {"textDocument": {"uri": empty_uri}})

            # 4. bursts of edits
            quiet = max(1.0, 2 * check_p95)
            sync = capabilities.get("textDocumentSync", {})
            full_sync = (sync.get("change") if isinstance(sync, dict) else sync) == 1
            for incremental in (False, True):
                label = ("one-character edits (typing)" + (", whole text per change: the server asks for full sync"
                                                           if full_sync else "")) if incremental else "full-text edits"
                print(f"4. {edits} {label}", file=sys.stderr)
                outcome = await burst(client, engine, uri, path, text, version, edits, incremental, quiet, full_sync)
                version = outcome["version"]
                ok = outcome["last_version"] and outcome["correct"]
                backlog = outcome["tail"] / check_p95
                rows.append((f"{edits:,} {label} as fast as possible: last diagnostics for the last version and "
                             f"equal to the engine's check ({outcome['findings']} findings)",
                             "yes" if ok else "NO", "", "", "correct", verdict(ok)))
                rows.append((f"... time from the last edit to its diagnostics (edits written in "
                             f"{outcome['send']:.2f} s; the server read the last one {ms(outcome['read'])} after; "
                             f"{len(outcome['published'])} of {edits:,} versions published)", ms(outcome["tail"]),
                             f"engine `check_text` p95 {ms(check_p95)}", f"{backlog:.2f}x", "≤ 2x (no backlog)",
                             verdict(backlog <= 2)))
                # back to the record's text for the next burst
                version += 1
                await client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                               "contentChanges": [{"text": text}]})
                marker = time.perf_counter() - 1e-9
                await client.until(lambda: client.published(uri, version, marker), "the reset's diagnostics")
        finally:
            await client.stop()

        # 3. initialize -> first diagnostics, a new server per run
        print(f"3. initialize-to-first-diagnostics, {starts} starts each", file=sys.stderr)
        with_root, without_root = [], []
        for _ in range(starts):  # alternated
            with_root.append(await first_diagnostics(workdir, root, uri, text))
            without_root.append(await first_diagnostics(workdir, None, uri, text))
        a = statistics.median(r[1] for r in with_root)
        b = statistics.median(r[1] for r in without_root)
        ratio = a / b
        rows.append((f"initialize → first diagnostics, 1,000-document workspace (median of {starts})", ms(a),
                     f"no workspace {ms(b)}", f"{ratio:.2f}x", "≤ 1.5x", verdict(ratio <= 1.5)))
        spawn_a = statistics.median(r[0] for r in with_root)
        spawn_b = statistics.median(r[0] for r in without_root)
        index = statistics.median(r[2] for r in with_root)
        rows.append(("... the same from process spawn (interpreter and imports included)", ms(spawn_a),
                     f"no workspace {ms(spawn_b)}", f"{spawn_a / spawn_b:.2f}x", "(no target)", ""))
        notes.append(f"initialize → workspace index ready (1,000 documents): median {ms(index)}")
        log_lines = (workdir / "server.log").read_text(encoding="utf-8", errors="replace").splitlines()
        problems = [line for line in log_lines if " ERROR " in line and "BenchmarkProbe" not in line
                    and "Method Not Found" not in line]

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    command = "python benchmarks/lsp_latency.py" + (" --quick" if args.quick else "") + \
        (f" --runs {args.runs}" if args.runs else "") + (f" --server {shlex.quote(args.server)}" if args.server else "")
    server_label = args.server or "policy lsp --stdio"
    import pygls

    print(f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"pygls {getattr(pygls, '__version__', None) or _version('pygls')}, "
          f"lsprotocol {_version('lsprotocol')}" + (f", load average {load_start:.1f} at start, {load:.1f} at the end"
                                                   if load is not None else "") + "\n")
    print(f"Workspace: 1,000 generated documents + a 500-line incident record, built-in pack, clock pinned to "
          f"{CLOCK}; server `{server_label}` over stdio, push diagnostics.\n")
    print("| measure | server | peer | ratio | target | |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    for note in notes:
        print(f"- {note}")
    for problem in missing:
        print(f"- MISSING: {problem}")
    if problems:
        print(f"- the server logged {len(problems)} error line(s), e.g. `{problems[0][:200]}`")
    failed = any("NOT met" in row[-1] for row in rows) or missing
    return 1 if failed else 0


def _peer_version() -> str:
    try:
        manifest = PEER_CACHE / "node_modules" / "yaml-language-server" / "package.json"
        return json.loads(manifest.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return "?"


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 change runs, 30 completions, 2 starts each")
    parser.add_argument("--runs", type=int, default=0, help="change-to-diagnostics runs (default 40, --quick 10)")
    parser.add_argument("--server", metavar="COMMAND", help="the server command (default: policy lsp --stdio), "
                                                           "run from the repository root")
    args = parser.parse_args()
    if args.server:
        SERVER[:] = shlex.split(args.server)
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
