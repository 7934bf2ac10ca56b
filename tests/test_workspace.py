"""The engine's workspace for editors: one document checked in context, fast and resilient."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES
from hotfix_policy.engine.files import read_regular_file
from hotfix_policy.engine.limits import MAX_DOCUMENT_BYTES
from hotfix_policy.engine.workspace import Workspace
from tests.conftest import benchmark_corpus

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


VARIABLE_READS_DOCS = GOOD.replace("name: good", "name: variables").replace("  rules:\n", """\
  variables:
    - name: severity
      expression: "has(doc.severity) ? doc.severity : ''"
    - name: known
      expression: "variables.severity in ['CRITICAL', 'HIGH', 'MEDIUM']"
    - name: others
      expression: "has(doc.number) && doc.number in docs.by_incident ? docs.by_incident[doc.number].incident : []"
    - name: repeated
      expression: "size(variables.others) > 1"
  rules:
""").replace('"has(doc.severity) && doc.severity in [\'CRITICAL\', \'HIGH\', \'MEDIUM\']"', '"variables.known"') \
    .replace('"!has(doc.number) || doc.number in docs.by_incident && size(docs.by_incident[doc.number].incident) == 1"',
             '"!variables.repeated"')


def test_while_indexing_only_the_rules_that_read_docs_through_a_variable_are_held(tmp_path):
    """A policy variable that reads `docs` holds back the rules that use it, not its whole
    policy: the built-in incident policy's `reviews` would otherwise silence every INC rule of a
    record opened while the editor reads the workspace."""
    space = workspace(tmp_path, VARIABLE_READS_DOCS)
    space.reload_configuration()
    path = str(tmp_path / "INC-1.md")
    held = space.check_text(path, RECORD.format(n=1, severity="low"))
    assert held.held_back == ("WSP002",) and [f.rule for f in held.findings] == ["WSP001"]


def test_a_macro_variable_named_docs_is_not_the_workspace(tmp_path):
    """`doc.updates.all(docs, ...)` names its own variable `docs`: the rule reads one document and
    is judged at once, not held until the index is ready."""
    own_variable = GOOD.replace('"has(doc.severity) && doc.severity in [\'CRITICAL\', \'HIGH\', \'MEDIUM\']"',
                                '"[doc.severity].all(docs, docs in [\'CRITICAL\', \'HIGH\', \'MEDIUM\'])"')
    space = workspace(tmp_path, own_variable)
    space.reload_configuration()
    held = space.check_text(str(tmp_path / "INC-1.md"), RECORD.format(n=1, severity="low"))
    assert held.held_back == ("WSP002",) and [f.rule for f in held.findings] == ["WSP001"]


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


# -- the index kept per change -------------------------------------------------------------------
def _shape(binding: dict) -> dict:
    """A `docs` binding by identity of its documents, in order (numbers in their order too)."""
    shape = {kind: [id(data) for data in items] for kind, items in binding.items() if kind != "by_incident"}
    shape["by_incident"] = [(number, {kind: [id(data) for data in items] for kind, items in entry.items()})
                            for number, entry in binding["by_incident"].items()]
    return shape


def test_replacing_documents_one_at_a_time_gives_the_binding_a_fresh_index_gives():
    """Edits, a record that changes number, kind or stops being read, new and removed files:
    after each, the index kept per change equals one built from every document again."""
    import random

    from hotfix_policy.engine.documents import parse_document
    from hotfix_policy.engine.policy.docs_index import DocsIndex
    from hotfix_policy.engine.policy.evaluate import docs_binding

    corpus, rng = benchmark_corpus(), random.Random(5)
    texts = [corpus.incident(rng, n) for n in range(1, 25)] + [corpus.review(rng, n) for n in range(1, 12)] + \
        [corpus.pull_request(rng, n) for n in range(5, 15)] + ["# just notes\n"]
    names = ["incidents", "reviews", "pulls"]
    current: dict = {}
    index = DocsIndex.of([])
    for step in range(300):
        key = (rng.choice(names), f"{rng.randrange(40):02d}.md")
        if rng.random() < 0.15:
            document = None  # the file is deleted
        else:
            text = rng.choice(texts)
            if rng.random() < 0.3:  # a record renumbered as it is typed
                text = text.replace("INC-", f"INC-{rng.randrange(1, 30)}", 1).replace("#", f"#{rng.randrange(9)}", 1)
            document = parse_document(text, path="/".join(key))
        index = index.replaced(key, document)
        if document is None or not document.kind:
            current.pop(key, None)
        else:
            current[key] = document
        fresh = docs_binding([current[k] for k in sorted(current)])
        assert _shape(index.binding) == _shape(fresh), f"step {step}"
        assert _shape(index.replaced(key, document).binding) == _shape(fresh)  # the same again: no change
    assert len(current) > 20 and len(index.binding["by_incident"]) > 5


def test_typing_in_a_record_files_one_entry_and_runs_the_workspace_policies_once(tmp_path):
    """The counters a per-edit rebuild would move: one entry filed per check (the edited text),
    no document read again, the workspace policies run once per index generation; a saved file
    is one entry and one more workspace run."""
    import random

    corpus, rng = benchmark_corpus(), random.Random(3)
    (tmp_path / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    corpus.write_corpus(tmp_path, 120)
    space = Workspace(tmp_path)
    assert space.reload_configuration() == []
    space.index()
    record = sorted((tmp_path / "incidents").iterdir())[3]
    text = record.read_text(encoding="utf-8")
    from hotfix_policy.engine.policy.docs_index import DocsIndex
    from hotfix_policy.engine.policy.evaluate import Evaluator

    def counts() -> tuple:
        return space.documents_read, DocsIndex.filed, Evaluator.workspace_runs

    before = counts()
    for n in range(5):
        space.check_text(str(record), text.replace("pods restarted", f"pods restarted {n} times"))
    assert counts() == (before[0], before[1] + 5, before[2] + 1)
    record.write_text(text.replace("Status: CLOSED", "Status: CLOSD"), encoding="utf-8")
    space.refresh_file(str(record))
    space.check_text(str(record), text)
    assert counts() == (before[0] + 1, before[1] + 5 + 2, before[2] + 2)


def test_after_edits_and_saves_the_editor_gives_what_a_fresh_index_gives(tmp_path):
    """A sequence of saved edits to several records (hotfix branches moved into one month, numbers
    changed, a record deleted): each check equals that of a workspace indexed from scratch."""
    import random

    corpus, rng = benchmark_corpus(), random.Random(11)
    (tmp_path / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    corpus.write_corpus(tmp_path, 150)
    space = Workspace(tmp_path)
    space.reload_configuration()
    space.index()
    records = sorted((tmp_path / "incidents").iterdir())
    seen = set()
    for step in range(8):
        record = rng.choice(records)
        if not record.exists():
            continue
        text = record.read_text(encoding="utf-8")
        number = 1000 + rng.randrange(150)
        edited = re.sub(r"Declared: 2026-\d\d-\d\d", f"Declared: 2026-10-1{step}", text) if step % 2 else \
            text.replace("\n\n🚨", f"\nBranch: hotfix/v1.{step}.0-x\nDeclared: 2026-10-0{step + 1}T10:00Z\n\n🚨", 1)
        edited = edited.replace(text.split(":", 1)[0], f"# INC-{number}", 1) if step % 3 == 0 else edited
        if step == 5:
            record.unlink()
            space.refresh_file(str(record), deleted=True)
        else:
            record.write_text(edited, encoding="utf-8")
            space.refresh_file(str(record))
        fresh = Workspace(tmp_path)
        fresh.reload_configuration()
        fresh.index()
        for other in rng.sample([r for r in records if r.exists()], 3):
            body = other.read_text(encoding="utf-8")
            findings = space.check_text(str(other), body).findings
            assert findings == fresh.check_text(str(other), body).findings
            seen.update(f.rule for f in findings)
    assert "WS001" in seen  # a workspace rule was part of what was compared


def test_a_misspelt_front_matter_kind_is_an_error_in_the_editor_as_in_policy_check(tmp_path):
    """`kind: incidnet` is the author's incident record with a typo: the index keeps it and the
    editor shows DOC001 as an error, as `policy check` does, instead of a clean file."""
    from hotfix_policy.engine.workspace import Workspace

    (tmp_path / "incidents").mkdir()
    record = tmp_path / "incidents" / "INC-1.md"
    text = "---\nkind: incidnet\n---\n# INC-1: Checkout down\n"
    record.write_text(text, encoding="utf-8")
    space = Workspace(tmp_path)
    assert space.reload_configuration() == [] and space.index() == 1
    [finding] = space.check_text(str(record), text).findings
    assert (finding.rule, finding.severity.value) == ("DOC001", "error")
    assert "did you mean" in finding.message and "incident" in finding.message


DEADLINE = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: deadline}
spec:
  appliesTo: workspace
  rules:
    - id: WSP201
      severity: error
      target: "docs.incident[0]"
      expression: "size(docs.incident) == 0 || ctx.now < timestamp('2026-11-26T13:00:00Z')"
      message: The freeze ended at 13:00
"""


def test_the_workspace_policies_run_again_when_the_clock_passes_what_they_depend_on(tmp_path):
    """Not once a minute: a workspace run's findings hold until the moment one of its answers
    changes (`Evaluator.valid_until`), here the freeze's end; then they run again and change."""
    from datetime import datetime, timedelta, timezone

    from hotfix_policy.engine.policy.evaluate import Evaluator

    space = workspace(tmp_path, DEADLINE)
    assert space.reload_configuration() == []
    path = tmp_path / "INC-1.md"
    path.write_text(RECORD.format(n=1, severity="HIGH"), encoding="utf-8")
    space.index()
    text = path.read_text(encoding="utf-8")
    start = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
    before = Evaluator.workspace_runs
    for minutes in (0, 1, 17, 59):
        assert space.check_text(str(path), text, now=start + timedelta(minutes=minutes)).findings == []
    assert Evaluator.workspace_runs == before + 1
    rules = [f.rule for f in space.check_text(str(path), text, now=start + timedelta(hours=1, seconds=30)).findings]
    assert rules == ["WSP201"] and Evaluator.workspace_runs == before + 2
    for minutes in (61, 600):  # passed for ever: no run again
        space.check_text(str(path), text, now=start + timedelta(minutes=minutes))
    assert Evaluator.workspace_runs == before + 2
