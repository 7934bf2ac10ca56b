"""Whatever the messages, paths and sources hold, every format stays well formed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotfix_policy.engine.findings import Finding, Severity
from hotfix_policy.engine.report import FORMATS, render
from hotfix_policy.engine.diagnostics import encodable, visible
from hotfix_policy.engine.report.model import is_file_path, place_of, sort_key
from hotfix_policy.engine.span import Span

from .consumers import check_json, check_junit, check_sarif
from .helpers import report

ANY_CHAR = st.characters(codec=None, exclude_categories=())
NASTY = st.sampled_from(list("%:,\r\n\t\x00\x1b\u202e\ufffe\ud800<>&\"'] 🔄事\u0301/"))
TEXT = st.text(st.one_of(ANY_CHAR, NASTY), max_size=30)
PATHS = st.one_of(st.text(st.one_of(ANY_CHAR, NASTY), min_size=1, max_size=20),
                  st.sampled_from(["repository", "commit:abc123", "tag:v1.2.3", "/abs/a b.md"]))


@st.composite
def findings(draw, path: str, source: str) -> Finding:
    span = None
    if draw(st.booleans()):
        start = draw(st.integers(0, len(source)))
        span = Span.from_offsets(source, start, draw(st.integers(start, len(source))))
    return Finding(draw(st.text(min_size=1, max_size=8)) if draw(st.booleans()) else "INC001",
                   draw(st.sampled_from(list(Severity))), draw(TEXT), path, span,
                   kind=draw(st.sampled_from(["", "incident", "pull_request"])),
                   waived=draw(st.booleans()))


@st.composite
def reports(draw):
    items = []
    sources = {}
    for path in draw(st.lists(PATHS, min_size=0, max_size=3, unique=True)):
        source = draw(st.text(st.one_of(ANY_CHAR, NASTY), max_size=200))
        if draw(st.booleans()):
            sources[path] = source
        items += draw(st.lists(findings(path, source), max_size=3))
    return report(items, documents=len(sources) + 1, sources=sources)


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


settings.register_profile("report", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])


@settings(settings.get_profile("report"))
@given(reports())
def test_every_format_is_well_formed(rep):
    outputs = {fmt: render(rep, fmt) for fmt in FORMATS}
    for out in outputs.values():
        out.encode("utf-8")
    ordered = sorted(rep.findings, key=sort_key)

    data = check_json(outputs["json"])
    assert [f["message"] for f in data["findings"]] == [encodable(f.message) for f in ordered]
    assert [f["path"] for f in data["findings"]] == [encodable(f.path) for f in ordered]

    sarif = check_sarif(outputs["sarif"])
    assert len(sarif["runs"][0]["results"]) == len([f for f in ordered if place_of(rep, f) is not None])

    root = check_junit(outputs["junit"])
    failing = {f.path for f in rep.findings if not f.waived and f.severity is not Severity.INFO}
    assert len(root.findall("testsuite/testcase/failure")) == len(failing)

    lines = outputs["github"].split("\n")
    assert len(lines) == len(ordered) + 2 and lines[-1] == ""
    for line, finding in zip(lines, ordered):
        name, rest = line[2:].split(" ", 1)
        assert name in ("error", "warning", "notice")
        props, message = rest.split("::", 1)
        properties = dict(p.split("=", 1) for p in props.split(","))
        assert set(properties) <= {"file", "line", "endLine", "col", "endColumn", "title"}
        shown = lambda text: visible(text, "\r\n")  # noqa: E731 - what a log may show
        assert unescape_property(properties["title"]) == shown(finding.rule)
        if is_file_path(finding.path):
            assert unescape_property(properties["file"]) == shown(finding.path)
            assert unescape_data(message).startswith(shown(finding.message))
        else:
            assert unescape_data(message).startswith(shown(f"{finding.path}: {finding.message}"))
    assert "\x1b" not in outputs["github"] and "\u202e" not in outputs["github"]

    text = outputs["text"]
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text
    assert text.endswith(" document\n") or text.endswith(" documents\n") or text.endswith("waived)\n")
