"""json, sarif, github and junit: shapes pinned on a small report with every awkward case."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import unquote, urlsplit

import pytest

from hotfix_policy.engine.policy.help_links import RULES_PAGE, docs_url
from hotfix_policy.engine.report import FORMATS, DocumentInfo, Place, render, summary_counts
from hotfix_policy.engine.report.github import escape_data, escape_property
from hotfix_policy.engine.report.sarif import artifact_uri

from .consumers import junit_schema, check_json, check_junit, check_sarif
from .helpers import E, I, W, at, finding, info, report, sarif_errors

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
    data = check_json(render(mixed_report(), "json"))
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


def test_json_matches_its_published_schema():
    """The schema holds every report, and is a contract that can fail: half a span, an unknown
    key, a severity the engine has not got."""
    from .consumers import report_validator

    data = check_json(render(placed_report(), "json"))
    for broken in ({"column": None}, {"extra": 1}, {"severity": "fatal"}):
        copy = json.loads(json.dumps(data))
        copy["findings"][1].update(broken)
        assert list(report_validator().iter_errors(copy)), broken


def test_json_is_indented_by_two():
    assert render(report([]), "json") == (
        '{\n  "version": 1,\n  "findings": [],\n  "summary": {\n    "documents": 1,\n    "context": 0,\n'
        '    "errors": 0,\n    "warnings": 0,\n    "infos": 0,\n    "waived": 0,\n    "excluded": 0\n  }\n}\n')


# sarif ----------------------------------------------------------------------------------------

def test_sarif_validates_against_the_official_schema(standards):
    for rep in (mixed_report(), placed_report(), report([])):
        assert sarif_errors(json.loads(render(rep, "sarif"))) == []


def test_sarif_run_and_rules():
    run = check_sarif(render(mixed_report(), "sarif"))["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("hotfix-policy", "1.2.3")
    assert driver["informationUri"] == docs_url(RULES_PAGE)
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(set(ids)) == ["INC003", "INC004", "INC006", "PR009", "PR012"]  # only rules of results
    inc003 = driver["rules"][ids.index("INC003")]
    assert inc003["shortDescription"] == {"text": "Status is known"}
    assert inc003["fullDescription"] == {"text": "The seed's statuses."}
    assert inc003["defaultConfiguration"] == {"level": "error"}
    assert inc003["properties"] == {"workflow": "Status Update Template", "policy": "hotfix-incident"}
    assert inc003["helpUri"] == "https://example.invalid/INC003"
    assert "Workflow: Status Update Template" in inc003["help"]["text"]
    assert "**Status is known**" in inc003["help"]["markdown"]
    assert driver["rules"][ids.index("PR012")]["defaultConfiguration"] == {"level": "note"}
    assert "helpUri" not in driver["rules"][ids.index("PR012")]           # a rule without a page
    # No metadata: code scanning still needs descriptions and help, so the id stands in.
    assert driver["rules"][ids.index("INC006")] == {"id": "INC006", "shortDescription": {"text": "INC006"},
                                                    "fullDescription": {"text": "INC006"},
                                                    "help": {"text": "INC006", "markdown": "**INC006**"}}
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def results_by_rule(rep=None):
    run = check_sarif(render(rep or mixed_report(), "sarif"))["runs"][0]
    return {result["ruleId"]: result for result in run["results"]}


def test_sarif_results():
    results = results_by_rule()
    inc006 = results["INC006"]
    assert inc006["level"] == "warning" and inc006["message"] == {
        "text": "Update at 10:45 is 50 minutes after the last"}
    assert inc006["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "incidents/INC-7.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 16, "endLine": 3, "endColumn": 21}}}]
    assert results["INC004"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5, "startColumn": 12, "endLine": 6, "endColumn": 1}
    assert results["PR012"]["level"] == "note"
    assert "suppressions" not in inc006


def test_sarif_waived_findings_are_suppressed():
    pr009 = results_by_rule()["PR009"]
    assert pr009["suppressions"] == [{"kind": "external", "justification": "waived in configuration"}]
    assert pr009["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "pr%20body.md", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 1}}


def test_sarif_leaves_out_what_code_scanning_cannot_place():
    """Without a file of the checkout (the repository, a commit or tag with no record, a PR body
    read from an event file, a path outside the checkout) a finding is not a SARIF result."""
    outside = [finding("X1", E, "m", "/tmp/event.json"), finding("X2", E, "m", "../elsewhere.md"),
               finding("X3", E, "m", "-")]
    results = results_by_rule(report(list(mixed_report().findings) + outside))
    assert set(results) == {"INC003", "INC004", "INC006", "PR009", "PR012"}
    results = results_by_rule(placed_report())
    assert set(results) == {"INC003", "INC004", "INC006", "GIT001"}      # the PR's findings and TAG001 are not


def test_sarif_never_places_a_finding_at_a_file_named_after_a_secret():
    """Its name would be masked, and code scanning finds no file by a masked name."""
    from tests.hostile.fake_secrets import fake_secrets, leaked

    key = fake_secrets()["aws_access_key_id"][1]
    path = f"incidents/INC-{key}.md"
    rep = report([finding("X1", E, "m", path), finding("X2", E, "m", "commit:abc"), finding("X3", E, "m", "ok.md")],
                 sources={path: "# INC-7\n"})
    for docs in ({}, {"commit:abc": DocumentInfo("commit", "commit:abc", None, Place(path)),
                      path: DocumentInfo("incident", "INC-7", path)}):
        out = render(replace(rep, docs=docs), "sarif")
        assert leaked(out, [key]) == []
        assert [r["ruleId"] for r in check_sarif(out)["runs"][0]["results"]] == ["X3"]


def placed_report():
    """mixed_report as `policy check` describes its documents: the PR body came from an event
    file, the commit names INC-7 (whose record the run read), the tag an incident it did not."""
    record = Place("incidents/INC-7.md", at(SOURCE, "INC-7"))
    return replace(mixed_report(), docs={
        "incidents/INC-7.md": DocumentInfo("incident", "INC-7", "incidents/INC-7.md"),
        "clean.md": DocumentInfo("incident", "INC-8", "clean.md"),
        "pr body.md": DocumentInfo("pull_request", "pr:318", None),
        "commit:abc1234": DocumentInfo("commit", "commit:abc1234", None, record),
        "tag:v1.2.3": DocumentInfo("tag", "tag:v1.2.3", None),
        "repository": DocumentInfo("repository", "repository", None)})


def test_sarif_places_a_commit_at_its_incident_record():
    git001 = results_by_rule(placed_report())["GIT001"]
    assert git001["message"] == {"text": "commit:abc1234: fast-forward"}
    assert git001["locations"] == [{
        "physicalLocation": {"artifactLocation": {"uri": "incidents/INC-7.md", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 1, "startColumn": 3, "endLine": 1, "endColumn": 8}},
        "logicalLocations": [{"name": "abc1234", "fullyQualifiedName": "commit:abc1234", "kind": "commit"}]}]


def test_sarif_fingerprints_follow_the_text_not_the_line():
    """The same finding two lines further down (lines inserted above it) keeps its fingerprint;
    another rule, file or text gets another; findings alike are told apart by a count."""
    def fingerprints(source, path="incidents/INC-7.md", rule="INC003", needle="FIXNG", count=1):
        findings = [finding(rule, E, "m", path, at(source, needle, n)) for n in range(count)]
        run = check_sarif(render(report(findings, sources={path: source}), "sarif"))["runs"][0]
        return [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]]

    (first,) = fingerprints(SOURCE)
    assert first.endswith(":1") and len(first.split(":")[0]) == 16
    assert fingerprints("# New title\n\n" + SOURCE) == [first]
    assert fingerprints(SOURCE, rule="INC001") != [first]
    assert fingerprints(SOURCE, path="incidents/INC-8.md") != [first]
    assert fingerprints(SOURCE, needle="dana") != [first]
    twice = fingerprints(SOURCE + "Status: FIXNG\n", count=2)
    assert twice == [first, first.replace(":1", ":2")]


@pytest.mark.parametrize("path, uri", [
    ("incidents/INC-7.md", "incidents/INC-7.md"), ("pr body.md", "pr%20body.md"),
    ("a:b/c#d?.md", "a%3Ab/c%23d%3F.md"), ("docs/100%.md", "docs/100%25.md"), ("é.md", "%C3%A9.md")])
def test_sarif_uris(path, uri):
    assert artifact_uri(path) == uri
    parts = urlsplit(uri)
    assert unquote(parts.path) == path and not parts.scheme


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

def test_junit_validates_against_the_xunit_schema(standards):
    for rep in (mixed_report(), placed_report(), report([])):
        check_junit(render(rep, "junit"))
    from lxml import etree

    rejected = etree.fromstring(b'<testsuites skipped="0"><testsuite name="s" tests="0" failures="0" errors="0"/>'
                                b'</testsuites>')
    assert not junit_schema().validate(rejected)   # the check can fail: what the old output did


def cases_of(rep):
    root = check_junit(render(rep, "junit"))
    (suite,) = root
    return root, suite, {case.get("name"): case for case in suite.iter("testcase")}


def test_junit_one_case_per_document_one_failure_listing_every_finding():
    root, suite, cases = cases_of(mixed_report())
    assert root.tag == "testsuites" and suite.get("name") == "hotfix-policy"
    assert list(cases) == ["clean.md", "commit:abc1234", "incidents/INC-7.md", "pr body.md",
                           "repository", "tag:v1.2.3"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("6", "4", "0")
    assert root.get("tests") == "6" and root.get("failures") == "4" and root.get("skipped") is None
    assert len(cases["clean.md"]) == 0
    (failure,) = cases["incidents/INC-7.md"].findall("failure")
    assert (failure.get("message"), failure.get("type")) == ("2 errors, 1 warning", "error")
    blocks = failure.text.split("\n\n")
    assert [block.split("\n")[0] for block in blocks] == [
        "incidents/INC-7.md:3:16: warning INC006 Update at 10:45 is 50 minutes after the last",
        "incidents/INC-7.md:4:9: error INC003 Status FIXNG is not a status",
        "incidents/INC-7.md:5:12: error INC004 Commander spans"]
    assert blocks[1] == ("incidents/INC-7.md:4:9: error INC003 Status FIXNG is not a status\n"
                         " 4 | Status: FIXNG\n   |         ^^^^^\n  Help: https://example.invalid/INC003")
    pr = cases["pr body.md"]
    assert pr.findall("failure") == []
    assert pr.find("system-out").text == (
        "pr body.md: warning PR009 12 changed files (waived)\n\npr body.md: info PR012 No review listed")
    assert cases["tag:v1.2.3"].find("failure").get("message") == "1 warning"


def test_junit_identity_does_not_depend_on_findings():
    """A CI server tracks a test case by (classname, name): the same when the document passes."""
    failing = cases_of(placed_report())[2]
    passing = cases_of(replace(placed_report(), findings=[]))[2]
    identity = {name: case.get("classname") for name, case in failing.items()}
    assert identity == {name: case.get("classname") for name, case in passing.items()}
    assert identity == {"clean.md": "hotfix-policy.incident", "commit:abc1234": "hotfix-policy.commit",
                        "incidents/INC-7.md": "hotfix-policy.incident", "pr:318": "hotfix-policy.pull_request",
                        "repository": "hotfix-policy.repository", "tag:v1.2.3": "hotfix-policy.tag"}


def test_junit_escapes_markup_and_forbidden_characters():
    nasty = 'a <b> & "c" ]]> \x00\x1b \ufffe'
    out = render(report([finding("X1", E, nasty, "x&y<.md")]), "junit")
    case = check_junit(out).find("testsuite/testcase")
    assert case.get("name") == "x&y<.md"
    assert case.find("failure").text == 'x&y<.md: error X1 a <b> & "c" ]]> \\x00\\x1b \\ufffe'
