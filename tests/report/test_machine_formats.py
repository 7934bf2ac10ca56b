"""json, sarif, github and junit: shapes pinned on a small report with every awkward case."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import pytest

from hotfix_policy.engine.report import FORMATS, render, summary_counts
from hotfix_policy.engine.report.github import escape_data, escape_property
from hotfix_policy.engine.report.sarif import artifact_uri

from .helpers import E, I, W, at, finding, info, report, sarif_errors, sarif_validator

SOURCE = "# INC-7: Card payments\n\n### 🔄 UPDATE - 10:45\nStatus: FIXNG\nCommander: dana\n"


def mixed_report():
    return report([
        finding("INC003", E, "Status FIXNG is not a status", "incidents/INC-7.md",
                at(SOURCE, "FIXNG"), policy="hotfix-incident", kind="incident", document="INC-7"),
        finding("INC006", W, "Update at 10:45 is 50 minutes after the last", "incidents/INC-7.md",
                at(SOURCE, "10:45"), kind="incident", document="INC-7"),
        finding("INC004", E, "Commander spans\nlines", "incidents/INC-7.md",
                at(SOURCE, "dana\n")._replace(end_line=6, end_column=1), kind="incident"),
        finding("PR009", W, "12 changed files", "pr body.md", waived=True, kind="pull_request"),
        finding("PR012", I, "No review listed", "pr body.md", kind="pull_request"),
        finding("GIT001", E, "fast-forward", "commit:abc1234", kind="commit"),
        finding("TAG001", W, "not annotated", "tag:v1.2.3", kind="tag"),
        finding("GIT004", E, "hotfix branch lives on", "repository", kind="repository"),
    ], documents=5, sources={"incidents/INC-7.md": SOURCE, "clean.md": "# fine\n"},
        rules={"INC003": info("INC003", E, "Status is known", rationale="The seed's statuses.",
                              workflow="Status Update Template", policy="hotfix-incident",
                              help_uri="https://example.invalid/INC003"),
               "PR012": info("PR012", I, "Actions listed")})


def test_unknown_format_is_a_value_error():
    with pytest.raises(ValueError, match="text, json, sarif, github, junit"):
        render(mixed_report(), "yaml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_ends_with_one_newline(fmt):
    out = render(mixed_report(), fmt)
    assert out.endswith("\n") and not out.endswith("\n\n")


def test_summary_counts():
    assert summary_counts(mixed_report()) == {"documents": 5, "context": 0, "errors": 4, "warnings": 2,
                                              "infos": 1, "waived": 1, "excluded": 0}


# json -----------------------------------------------------------------------------------------

def test_json_shape_and_key_order():
    data = json.loads(render(mixed_report(), "json"))
    assert list(data) == ["version", "findings", "summary"] and data["version"] == 1
    assert list(data["summary"]) == ["documents", "context", "errors", "warnings", "infos", "waived", "excluded"]
    first = data["findings"][0]
    assert list(first) == ["rule", "severity", "message", "path", "line", "column", "end_line",
                           "end_column", "policy", "kind", "document", "waived"]
    assert [(f["path"], f["rule"]) for f in data["findings"]] == [
        ("commit:abc1234", "GIT001"), ("incidents/INC-7.md", "INC006"),
        ("incidents/INC-7.md", "INC003"), ("incidents/INC-7.md", "INC004"),
        ("pr body.md", "PR009"), ("pr body.md", "PR012"), ("repository", "GIT004"),
        ("tag:v1.2.3", "TAG001")]
    inc003 = data["findings"][2]
    assert inc003 == {"rule": "INC003", "severity": "error", "message": "Status FIXNG is not a status",
                      "path": "incidents/INC-7.md", "line": 4, "column": 9, "end_line": 4,
                      "end_column": 14, "policy": "hotfix-incident", "kind": "incident",
                      "document": "INC-7", "waived": False}
    assert data["findings"][1]["column"] == 16   # code points: the emoji is one column
    waived = data["findings"][4]
    assert waived["waived"] is True and waived["line"] is None and waived["end_column"] is None


def test_json_is_indented_by_two():
    assert render(report([]), "json") == (
        '{\n  "version": 1,\n  "findings": [],\n  "summary": {\n    "documents": 1,\n    "context": 0,\n'
        '    "errors": 0,\n    "warnings": 0,\n    "infos": 0,\n    "waived": 0,\n    "excluded": 0\n  }\n}\n')


# sarif ----------------------------------------------------------------------------------------

@pytest.fixture
def validator():
    if sarif_validator() is None:
        pytest.skip("../shared/external/sarif-schema-2.1.0.json is not beside the repository")


def test_sarif_validates_against_the_official_schema(validator):
    assert sarif_errors(json.loads(render(mixed_report(), "sarif"))) == []
    assert sarif_errors(json.loads(render(report([]), "sarif"))) == []


def test_sarif_run_and_rules():
    run = json.loads(render(mixed_report(), "sarif"))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("hotfix-policy", "1.2.3")
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(set(ids)) and "TAG001" in ids
    inc003 = driver["rules"][ids.index("INC003")]
    assert inc003["shortDescription"] == {"text": "Status is known"}
    assert inc003["fullDescription"] == {"text": "The seed's statuses."}
    assert inc003["defaultConfiguration"] == {"level": "error"}
    assert inc003["properties"] == {"workflow": "Status Update Template", "policy": "hotfix-incident"}
    assert inc003["helpUri"] == "https://example.invalid/INC003"
    assert "Workflow: Status Update Template" in inc003["help"]["text"]
    assert "**Status is known**" in inc003["help"]["markdown"]
    assert driver["rules"][ids.index("PR012")]["defaultConfiguration"] == {"level": "note"}
    assert driver["rules"][ids.index("GIT001")] == {"id": "GIT001"}   # no metadata: degrade
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def results_by_rule():
    run = json.loads(render(mixed_report(), "sarif"))["runs"][0]
    return {result["ruleId"]: result for result in run["results"]}


def test_sarif_results():
    results = results_by_rule()
    inc006 = results["INC006"]
    assert inc006["level"] == "warning" and inc006["message"] == {
        "text": "Update at 10:45 is 50 minutes after the last"}
    assert inc006["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "incidents/INC-7.md"},
        "region": {"startLine": 3, "startColumn": 16, "endLine": 3, "endColumn": 21}}}]
    assert results["INC004"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5, "startColumn": 12, "endLine": 6, "endColumn": 1}
    assert results["PR012"]["level"] == "note"
    assert "suppressions" not in inc006


def test_sarif_waived_findings_are_suppressed():
    pr009 = results_by_rule()["PR009"]
    assert pr009["suppressions"] == [{"kind": "external", "justification": "waived in configuration"}]
    assert pr009["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pr%20body.md"}, "region": {"startLine": 1}}


def test_sarif_documents_that_are_not_files_get_logical_locations():
    results = results_by_rule()
    assert results["GIT001"]["locations"] == [{"logicalLocations": [
        {"name": "abc1234", "fullyQualifiedName": "commit:abc1234", "kind": "commit"}]}]
    assert results["TAG001"]["locations"][0]["logicalLocations"][0]["name"] == "v1.2.3"
    assert results["GIT004"]["locations"][0]["logicalLocations"][0] == {
        "name": "repository", "fullyQualifiedName": "repository", "kind": "repository"}


@pytest.mark.parametrize("path, uri", [
    ("incidents/INC-7.md", "incidents/INC-7.md"), ("pr body.md", "pr%20body.md"),
    ("a:b/c#d?.md", "a%3Ab/c%23d%3F.md"), ("docs/100%.md", "docs/100%25.md"),
    ("/abs/x y.md", "file:///abs/x%20y.md"), ("é.md", "%C3%A9.md")])
def test_sarif_uris(path, uri):
    assert artifact_uri(path) == uri
    parts = urlsplit(uri)
    assert unquote(parts.path) == path and (parts.scheme == "file") == path.startswith("/")


# github ---------------------------------------------------------------------------------------

def test_github_workflow_commands():
    assert render(mixed_report(), "github").splitlines() == [
        "::error title=GIT001::commit:abc1234: fast-forward",
        "::warning file=incidents/INC-7.md,line=3,endLine=3,col=16,endColumn=21,title=INC006::"
        "Update at 10:45 is 50 minutes after the last",
        "::error file=incidents/INC-7.md,line=4,endLine=4,col=9,endColumn=14,title=INC003::"
        "Status FIXNG is not a status",
        "::error file=incidents/INC-7.md,line=5,endLine=6,title=INC004::Commander spans%0Alines",
        "::notice file=pr body.md,title=PR009::12 changed files (waived)",
        "::notice file=pr body.md,title=PR012::No review listed",
        "::error title=GIT004::repository: hotfix branch lives on",
        "::warning title=TAG001::tag:v1.2.3: not annotated",
        "4 errors, 2 warnings, 1 info in 5 documents (1 waived)"]


def test_github_escaping():
    assert escape_data("100% done\r\nnext::x, y") == "100%25 done%0D%0Anext::x, y"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = render(report([finding("X1", E, "m", "we,ird:name.md")]), "github").splitlines()[0]
    assert line == "::error file=we%2Cird%3Aname.md,title=X1::m"


# junit ----------------------------------------------------------------------------------------

def test_junit_parses_and_counts():
    root = ET.fromstring(render(mixed_report(), "junit"))
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.get("name") == "hotfix-policy"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert list(cases) == ["clean.md", "commit:abc1234", "incidents/INC-7.md", "pr body.md",
                           "repository", "tag:v1.2.3"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "4", "0")
    assert root.get("tests") == "6" and root.get("failures") == "4"
    assert len(cases["clean.md"]) == 0 and cases["clean.md"].get("classname") == "clean.md"
    incident = cases["incidents/INC-7.md"]
    assert incident.get("classname") == "incident"
    failures = incident.findall("failure")
    assert [(f.get("type"), f.get("message")) for f in failures] == [
        ("INC006", "Update at 10:45 is 50 minutes after the last"),
        ("INC003", "Status FIXNG is not a status"), ("INC004", "Commander spans\nlines")]
    assert failures[1].text == ("incidents/INC-7.md:4:9: error INC003 Status FIXNG is not a status\n"
                                " 4 | Status: FIXNG\n   |         ^^^^^")
    pr = cases["pr body.md"]
    assert pr.findall("failure") == []
    assert pr.find("system-out").text == (
        "pr body.md: warning PR009 12 changed files (waived)\n\npr body.md: info PR012 No review listed")


def test_junit_escapes_markup_and_forbidden_characters():
    nasty = 'a <b> & "c" ]]> \x00\x1b \ufffe'
    out = render(report([finding("X1", E, nasty, "x&y<.md")]), "junit")
    case = ET.fromstring(out).find("testsuite/testcase")
    assert case.get("name") == "x&y<.md"
    assert case.find("failure").get("message") == 'a <b> & "c" ]]> \\x00\\x1b \\ufffe'
