"""The engine's workspace for editors: one document checked in context, fast and resilient."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES
from hotfix_policy.engine.files import read_regular_file
from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES
from hotfix_policy.engine.workspace import Workspace

GOOD = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: good}
spec:
  appliesTo: incident
  rules:
    - id: WSP001
      severity: error
      expression: "has(doc.severity) && doc.severity in ['CRITICAL', 'HIGH', 'MEDIUM']"
      message: Severity must be CRITICAL, HIGH or MEDIUM
    - id: WSP002
      severity: warning
      expression: "!has(doc.number) || doc.number in docs.by_incident && size(docs.by_incident[doc.number].incident) == 1"
      message: Another record uses this incident number
"""
BROKEN = GOOD.replace("name: good", "name: broken").replace("WSP001", "WSP101").replace("WSP002", "WSP102") \
    .replace("doc.severity in", "doc.severty in")
RECORD = "# INC-{n}: Down\n\n🚨 PRODUCTION INCIDENT DECLARED\nSeverity: {severity}\n"


def workspace(tmp_path: Path, *policies: str) -> Workspace:
    (tmp_path / "policies").mkdir()
    for index, text in enumerate(policies):
        (tmp_path / "policies" / f"p{index}.yaml").write_text(text, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [policies]\n", encoding="utf-8")
    return Workspace(tmp_path)


def test_a_broken_policy_leaves_the_others_checking(tmp_path):
    space = workspace(tmp_path, GOOD, BROKEN)
    errors = space.reload_configuration()
    assert len(errors) == 1 and "did you mean `severity`" in str(errors[0])
    path = str(tmp_path / "INC-1.md")
    checked = space.check_text(path, RECORD.format(n=1, severity="low"))
    assert [f.rule for f in checked.findings] == ["WSP001"]


def test_cross_document_rules_see_the_index_and_only_the_open_document_is_judged(tmp_path):
    space = workspace(tmp_path, GOOD)
    space.reload_configuration()
    for n in (1, 2):
        (tmp_path / f"INC-{n}.md").write_text(RECORD.format(n=n, severity="low"), encoding="utf-8")
    (tmp_path / "copy.md").write_text(RECORD.format(n=1, severity="HIGH"), encoding="utf-8")
    path = str(tmp_path / "INC-1.md")
    held = space.check_text(path, RECORD.format(n=1, severity="HIGH"))
    assert held.held_back == ("WSP002",) and held.findings == []
    assert space.index() == 3 and space.ready
    checked = space.check_text(path, RECORD.format(n=1, severity="HIGH"))
    assert [(f.rule, f.path) for f in checked.findings] == [("WSP002", path)]


def test_the_index_reads_regular_files_only_and_walks_any_depth(tmp_path):
    """A FIFO named like a document (opening it would block), a link to /dev/zero (it never
    ends), a tree deeper than Python's recursion limit (1,000): the index is ready all the same."""
    if not sys.platform.startswith("linux"):
        pytest.skip("FIFOs and /dev/zero")
    space = workspace(tmp_path, GOOD)
    (tmp_path / "INC-1.md").write_text(RECORD.format(n=1, severity="low"), encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "zero.md").symlink_to("/dev/zero")
    descriptor = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(1_100):
        os.mkdir("d", dir_fd=descriptor)
        inner = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=descriptor)
        os.close(descriptor)
        descriptor = inner
    os.close(descriptor)
    deepest = str(tmp_path) + "/d" * 1_100
    Path(deepest, "INC-2.md").write_text(RECORD.format(n=2, severity="low"), encoding="utf-8")
    try:
        assert space.index() == 2 and space.ready
        for device in ("pipe.md", "zero.md"):
            with pytest.raises(OSError, match="not a regular file"):
                read_regular_file(tmp_path / device, MAX_DOCUMENT_BYTES)
            space.refresh_file(str(tmp_path / device))
        assert len(space.documents()) == 2
    finally:
        os.unlink(deepest + "/INC-2.md")
        while deepest != str(tmp_path):  # shutil.rmtree recurses too
            os.rmdir(deepest)
            deepest = deepest[:-2]


def test_a_document_that_cannot_be_read_is_left_out_and_said(tmp_path):
    space = workspace(tmp_path, GOOD)
    (tmp_path / "INC-1.md").write_text(RECORD.format(n=1, severity="low"), encoding="utf-8")
    with open(tmp_path / "huge.md", "wb") as huge:
        huge.truncate(MAX_DOCUMENT_BYTES + 1)
    assert space.index() == 1
    assert [(Path(path).name, "size limit" in problem) for path, problem in space.index_problems] == \
        [("huge.md", True)]


def test_a_link_out_of_the_workspace_is_not_read_into_the_index(tmp_path):
    outside = tmp_path / "elsewhere" / "INC-9.md"
    outside.parent.mkdir()
    outside.write_text(RECORD.format(n=9, severity="HIGH"), encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    space = workspace(root, GOOD)
    (root / "INC-1.md").write_text(RECORD.format(n=1, severity="HIGH"), encoding="utf-8")
    (root / "INC-9.md").symlink_to(outside)
    assert space.index() == 1
    assert (str(root / "INC-9.md"), "a link to a file outside the workspace: not read") in space.index_problems
