"""Every file of ../shared/corpus (real postmortems and PR templates written by others).

No exception; every range inside the file and slicing to its value; unknown kinds DOC001; the
kind detected is the one recorded here (none of them is written in our templates' format, hotfix
templates by others included, so none is judged in a folder walk), and stays so when the file
is quoted in a runbook.
Each file is also read as every file kind, to put extraction through text it was not written
for. Five documents have golden files of their extracted JSON, checked by hand once:
regenerate with `UPDATE_GOLDEN=1 pytest tests/documents/test_corpus.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hotfix_policy.engine.documents import load_document, to_json
from hotfix_policy.engine.kinds import FILE_KINDS

from .helpers import assert_ranges_consistent

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix == ".md") if CORPUS.is_dir() else []
GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_CASES = {
    "postmortems/dfds__postmortems__PM2021-011_-_Log4Shell.md": "post_incident_review",
    "postmortems/PostHog__post-mortems__2025-09-29-flags-is-down.md": "post_incident_review",
    "postmortems/jupyterhub__mybinder.org-deploy__2022-06-02-pod-limit.md": "post_incident_review",
    "pr-templates/DataBiosphere__azul__prod-hotfix.md": "pull_request",
    "pr-templates/pass-culture__data-gcp__Hotfix_template.md": "pull_request",
}

DETECTED: dict = {}
"""Corpus files detected as one of our kinds by content, by path (every other one: none)."""

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not beside the repository")


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def test_the_corpus_is_there():
    assert len(FILES) >= 30


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_detected_as_is(path):
    document = load_document(path)
    assert_ranges_consistent(document)
    if document.kind is None:
        assert [f.rule for f in document.findings] == ["DOC001"]


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_detected_kind_is_the_recorded_one(path):
    assert load_document(path).kind == DETECTED.get(_id(path))


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_quoted_in_a_runbook_it_is_no_document(path):
    text = path.read_text(encoding="utf-8", errors="replace").replace("```", "~~~")
    runbook = f"# How we write these\n\nRead this first.\n\n## An example\n\n```markdown\n{text}\n```\n"
    assert load_document(runbook, path="docs/runbook.md").kind is None


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_read_as_every_kind(path):
    for kind in FILE_KINDS:
        document = load_document(path, kind=kind)
        assert document.kind == kind
        assert_ranges_consistent(document)
        assert all(f.rule in ("DOC002", "SCHEMA001") for f in document.findings), document.findings
        json.dumps(to_json(document))


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden(name):
    document = load_document(CORPUS / name, kind=GOLDEN_CASES[name])
    actual = to_json(document)
    actual["path"] = name
    golden = GOLDEN / (Path(name).stem + ".json")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert json.loads(golden.read_text(encoding="utf-8")) == actual
