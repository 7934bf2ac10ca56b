"""JUnit XML, for CI systems that show test reports (Jenkins, GitLab, Azure, CircleCI).

Valid against the Jenkins xunit plugin's `junit-10.xsd`, the strictest schema CI servers hold
JUnit to. One test suite `hotfix-policy`; one test case per document, whose identity does not
depend on its findings, so a CI server tracks it from run to run: `name` is its path as the run
shows it (relative), or for a document that is no file of the checkout its id (`commit:1a2b3c4`,
`tag:v1.2.1`, `pr:318`, `repository`); `classname` is `hotfix-policy.<kind>`. A document with an
unwaived error or warning fails with one `<failure>` (viewers show one failure per test case):
its message counts the findings, its text lists every one with its line, column, rule, message
and the rule's page. Info and waived findings do not fail a case: they are listed in its
`<system-out>`. The suite's `tests` and `failures` count test cases, as JUnit defines them.

ElementTree escapes markup, but XML 1.0 cannot hold most control characters at all: those are
shown escaped (`\\x01`) before they reach the tree, so the output always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..diagnostics import SourceLines, encodable
from ..findings import Finding, Severity
from .model import TOOL_NAME, Report, severity_of, sorted_findings, summary_counts
from .text import format_finding

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report) -> str:
    findings = sorted_findings(report)
    by_path: dict[str, list[Finding]] = {path: [] for path in sorted({*report.sources, *report.docs,
                                                                      *(f.path for f in findings)})}
    for finding in findings:
        by_path[finding.path].append(finding)

    suites = ET.Element("testsuites", name=TOOL_NAME)
    suite = ET.SubElement(suites, "testsuite", name=TOOL_NAME)
    failed = 0
    for path, items in by_path.items():
        name, classname = case_identity(report, path)
        case = ET.SubElement(suite, "testcase", name=xml_safe(name), classname=xml_safe(classname))
        source = report.sources.get(path)
        source = SourceLines(source) if source is not None else None
        failing = [f for f in items if not f.waived and severity_of(f) is not Severity.INFO]
        notes = [f for f in items if f.waived or severity_of(f) is Severity.INFO]
        if failing:
            failed += 1
            worst = Severity.ERROR if any(severity_of(f) is Severity.ERROR for f in failing) else Severity.WARNING
            failure = ET.SubElement(case, "failure", message=failure_message(failing), type=worst.value)
            failure.text = "\n\n".join(xml_safe(described(report, f, source)) for f in failing)
        if notes:
            ET.SubElement(case, "system-out").text = "\n\n".join(xml_safe(described(report, f, source))
                                                                  for f in notes)
    for element in (suites, suite):
        element.attrib.update({"tests": str(len(by_path)), "failures": str(failed), "errors": "0"})
    suite.set("skipped", "0")  # the schema allows it on a suite, not on <testsuites>
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def case_identity(report: Report, path: str) -> tuple[str, str]:
    """(name, classname) of a document's test case: the same whether it passes or fails."""
    info = report.docs.get(path)
    if info is None:
        return path, TOOL_NAME
    name = path if info.file is not None or not info.id else info.id
    return name, f"{TOOL_NAME}.{info.kind}" if info.kind else TOOL_NAME


def failure_message(failing: list) -> str:
    """`2 errors, 1 warning`: what the case's findings come to."""
    counts = summary_counts(Report(failing, 1))
    parts = [f"{counts[key]} {noun}{'s' if counts[key] != 1 else ''}"
             for key, noun in (("errors", "error"), ("warnings", "warning")) if counts[key]]
    return ", ".join(parts)


def described(report: Report, finding: Finding, source) -> str:
    """A finding as the text format shows it (place, severity, rule, message, excerpt), then the
    rule's page when it has one."""
    text = format_finding(finding, source)
    info = report.rules.get(finding.rule)
    return f"{text}\n  Help: {info.help_uri}" if info is not None and info.help_uri else text


def xml_safe(text: str) -> str:
    """text that XML 1.0 can carry: characters it forbids shown as `\\xNN`."""
    text = encodable(text)
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)
