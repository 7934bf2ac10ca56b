"""A document a run was asked to check and cannot read is DOC003 on its path, wherever it was
found: under a scanned folder as when named. A Markdown file that cannot be decoded cannot be
told apart from an incident record (nor can one over the size limit), so a folder's walk never
passes over it as "not one of ours"; and a link out of the run's root is never followed by
accident, neither a link to a folder met in a walk nor one named on the command line, nor a
file named to `policy parse`, `policy explain` or `policy eval --doc`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES
from tests.conftest import POLICY_COMMAND

RECORD = ("# INC-7: Checkout down\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"
          "Impact: card payments failing\n")
CONFIG = "packs: [builtin:hotfix]\ndocuments:\n  commit: ['commits/*.txt']\n"
"""As in `examples/`: incident records are found by their content, not by a glob."""
OUTSIDE = "# INC-9001: outside-the-repository\n\nPRODUCTION INCIDENT DECLARED\nSeverity: HIGH\n"


def _policy(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _findings(done: subprocess.CompletedProcess) -> list:
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)["findings"]


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "incidents").mkdir(parents=True)
    (root / ".policy.yaml").write_text(CONFIG, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "INC-9001.md").write_text(OUTSIDE, encoding="utf-8")
    return root


@pytest.mark.parametrize("content, reason", [
    ((RECORD + "notes\n").encode() + b"\x00", "binary"),
    (b"\x00" + RECORD.encode(), "binary"),
    (RECORD.encode("utf-16"), "UTF-16"),
    (RECORD.encode() + b"x" * MAX_DOCUMENT_BYTES, "over the size limit"),
])
def test_a_record_a_folder_holds_and_that_cannot_be_read_is_doc003(repository: Path, content: bytes, reason: str):
    (repository / "incidents" / "INC-7.md").write_bytes(content)
    done = _policy(repository, "check", "incidents", "--format", "json")
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr
    (finding,) = [f for f in _findings(done) if f["path"] == "incidents/INC-7.md"]
    assert finding["rule"] == "DOC003" and reason in finding["message"]


def test_a_stray_byte_is_doc003_where_it_is_and_the_rest_is_still_judged(repository: Path):
    key = "AKIA" + "IOSFODNN7EXAMPLQ"
    text = RECORD.replace("Impact: card payments failing", f"Impact: card payments failing\nKey: {key}")
    (repository / "incidents" / "INC-7.md").write_bytes(text.encode().replace(b"Impact", b"Imp\xe4ct"))
    done = _policy(repository, "check", "incidents", "--format", "json")
    found = [f for f in _findings(done) if f["path"] == "incidents/INC-7.md"]
    (unread,) = [f for f in found if f["rule"] == "DOC003"]
    assert (unread["line"], unread["column"]) == (5, 4) and "not valid UTF-8: byte 0xe4" in unread["message"]
    assert any(f["rule"] == "SEC001" for f in found) and key not in done.stdout
    parsed = json.loads(_policy(repository, "parse", "incidents/INC-7.md").stdout)
    assert parsed["kind"] == "incident" and parsed["id"] == "INC-7"


def test_a_readme_with_a_stray_byte_is_reported_too(repository: Path):
    """Whether it is one of ours cannot be known from text that is not all there."""
    (repository / "incidents" / "README.md").write_bytes(b"# Our incidents\n\nCaf\xe9 notes\n")
    done = _policy(repository, "check", "incidents", "--format", "json")
    assert [(f["rule"], f["line"]) for f in _findings(done) if f["rule"] == "DOC003"] == [("DOC003", 3)]


def test_files_that_are_no_candidates_are_never_flagged(repository: Path):
    (repository / "incidents" / "INC-7.md").write_text(RECORD, encoding="utf-8")
    (repository / "incidents" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    (repository / "incidents" / "README.md").write_text("# Our incidents\n\nCafé notes\n", encoding="utf-8")
    (repository / "incidents" / "empty.md").write_bytes(b"")
    (repository / "incidents" / "bom.md").write_bytes(b"\xef\xbb\xbf" + RECORD.replace("INC-7", "INC-8").encode())
    done = _policy(repository, "check", "incidents", "--format", "json")
    assert not [f for f in _findings(done) if f["rule"] == "DOC003"]
    assert {f["path"] for f in _findings(done)} >= {"incidents/bom.md", "incidents/INC-7.md"}


def test_a_file_a_documents_glob_names_is_doc003_when_it_cannot_be_read(repository: Path):
    (repository / "commits").mkdir()
    (repository / "commits" / "fix.txt").write_bytes(b"\x00\x01binary")
    done = _policy(repository, "check", "commits", "--format", "json")
    assert [(f["path"], f["rule"]) for f in _findings(done)] == [("commits/fix.txt", "DOC003")]


def test_a_link_loop_in_a_folder_is_doc003_on_the_link(repository: Path):
    (repository / "incidents" / "loop2.md").symlink_to("loop1")
    (repository / "incidents" / "loop1").symlink_to("loop2.md")
    done = _policy(repository, "check", "incidents", "--format", "json")
    assert [(f["path"], f["rule"], f["message"]) for f in _findings(done)] == [
        ("incidents/loop2.md", "DOC003", "a loop of symbolic links")]


@pytest.mark.parametrize("target", ["outside", "../.."])
def test_a_link_to_a_folder_out_of_the_root_is_doc003_in_a_walk_and_when_named(repository: Path, target: str):
    link = repository / "incidents" / "linked"
    link.symlink_to(repository.parent / target if target == "outside" else target)
    for named in ("incidents", "incidents/linked", "incidents/linked/"):
        done = _policy(repository, "check", named, "--format", "json")
        assert done.returncode == 1 and "outside-the-repository" not in done.stdout, (named, done.stdout)
        (finding,) = _findings(done)
        assert (finding["path"].rstrip("/"), finding["rule"]) == ("incidents/linked", "DOC003")
        assert "a link to a folder outside the run's root" in finding["message"]
    followed = _policy(repository, "check", "incidents", "--follow-outside-links", "--format", "json")
    assert any("INC-9001.md" in f["path"] for f in _findings(followed))


def test_links_to_folders_the_walk_would_not_enter_are_not_reported(repository: Path):
    (repository / "incidents" / "INC-7.md").write_text(RECORD, encoding="utf-8")
    (repository / "incidents" / ".venv").symlink_to(repository.parent / "outside")
    (repository / "incidents" / "node_modules").symlink_to(repository.parent / "outside")
    (repository / "archive").mkdir()
    (repository / "incidents" / "archive").symlink_to(repository / "archive")
    done = _policy(repository, "check", "incidents", "--format", "json")
    assert not [f for f in _findings(done) if f["rule"] == "DOC003"]


def test_a_walk_that_follows_links_out_of_the_root_ends(repository: Path):
    (repository / "incidents" / "up").symlink_to("../..")
    (repository.parent / "outside" / "again").symlink_to("..")
    done = _policy(repository, "check", "incidents", "--follow-outside-links", "--format", "json")
    assert {f["path"] for f in _findings(done) if "INC-9001" in f["path"]} == {"incidents/up/outside/INC-9001.md"}


def test_parse_explain_and_eval_read_a_named_file_as_check_does(repository: Path):
    (repository / "link.md").symlink_to(repository.parent / "outside" / "INC-9001.md")
    parsed = _policy(repository, "parse", "link.md")
    assert parsed.returncode == 0 and "outside-the-repository" not in parsed.stdout
    assert [f["rule"] for f in json.loads(parsed.stdout)["findings"]] == ["DOC003"]
    assert json.loads(_policy(repository, "parse", "link.md", "--follow-outside-links").stdout)["id"] == "INC-9001"
    for command in (["explain", "INC001", "link.md"], ["eval", "doc.id", "--doc", "link.md"]):
        done = _policy(repository, *command)
        assert done.returncode == 2 and "a link to a file outside the run's root" in done.stderr, done.stderr
        assert "outside-the-repository" not in done.stdout + done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs FIFOs and /dev/zero")
def test_a_device_or_a_fifo_named_to_any_command_is_what_it_is(repository: Path):
    os.mkfifo(repository / "pipe.md")
    commands = {("parse", "pipe.md"): "policy parse: pipe.md: not a regular file",
                ("parse", "/dev/zero"): "policy parse: /dev/zero: not a regular file",
                ("parse", "incidents"): "policy parse: incidents: a folder; name a file",
                ("explain", "INC001", "/dev/zero"): "policy explain: /dev/zero: not a regular file",
                ("check", "--config", "/dev/zero", "incidents"): "/dev/zero: not a regular file",
                ("check", "--config", "missing.yaml", "incidents"): "missing.yaml: no such configuration file"}
    for command, line in commands.items():
        done = _policy(repository, *command)
        assert (done.returncode, done.stderr) == (2, line + "\n"), command


def test_files_that_cannot_be_read_are_shown_where_the_checkout_holds_them_in_every_format(repository: Path):
    """A link out of the root, a loop of links and a FIFO under a walked folder fail the run: each
    report names them as it names the files it read (no `./`), and SARIF places them at their own
    names, so that code scanning shows why the run failed."""
    (repository / "incidents" / "INC-20.md").symlink_to(repository.parent / "outside" / "INC-9001.md")
    (repository / "incidents" / "INC-21.md").symlink_to("INC-21.md")
    os.mkfifo(repository / "incidents" / "INC-22.md")
    names = ["incidents/INC-20.md", "incidents/INC-21.md", "incidents/INC-22.md"]
    done = _policy(repository, "check", ".", "--format", "json")
    assert done.returncode == 1
    assert sorted(f["path"] for f in _findings(done) if f["rule"] == "DOC003") == names
    sarif = _policy(repository, "check", ".", "--format", "sarif")
    assert sarif.returncode == 1 and "Traceback" not in sarif.stderr, sarif.stderr
    placed = sorted(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for result in json.loads(sarif.stdout)["runs"][0]["results"] if result["ruleId"] == "DOC003")
    assert placed == names
