"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One test suite `hotfix-policy`; one test case per document path (class name: its kind), which
fails with one `<failure>` per error or warning finding. Info and waived findings do not fail a
case: they are listed in its `<system-out>`. The suite's `tests` and `failures` count test
cases, as JUnit defines them. Paths come from the findings and the sources, so documents with no
finding appear when the caller passes their source.

ElementTree escapes markup, but XML 1.0 cannot hold most control characters at all: those are
shown escaped (`\\x01`) before they reach the tree, so the output always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..diagnostics import SourceLines, encodable
from ..findings import Finding, Severity
from .model import TOOL_NAME, Report, severity_of, sorted_findings
from .text import format_finding

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(report: Report) -> str:
    findings = sorted_findings(report)
    by_path: dict[str, list[Finding]] = {path: [] for path in sorted({*report.sources,
                                                                      *(f.path for f in findings)})}
    for finding in findings:
        by_path[finding.path].append(finding)

    suites = ET.Element("testsuites", name=TOOL_NAME)
    suite = ET.SubElement(suites, "testsuite", name=TOOL_NAME)
    failed = 0
    for path, items in by_path.items():
        kind = next((f.kind for f in items if f.kind), "")
        case = ET.SubElement(suite, "testcase", name=xml_safe(path), classname=xml_safe(kind or path))
        source = report.sources.get(path)
        source = SourceLines(source) if source is not None else None
        notes = []
        for finding in items:
            detail = xml_safe(format_finding(finding, source))
            if finding.waived or severity_of(finding) is Severity.INFO:
                notes.append(detail)
                continue
            failure = ET.SubElement(case, "failure", message=xml_safe(finding.message),
                                    type=xml_safe(finding.rule))
            failure.text = detail
        if len(case):
            failed += 1
        if notes:
            ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    counts = {"tests": str(len(by_path)), "failures": str(failed), "errors": "0", "skipped": "0"}
    for element in (suites, suite):
        element.attrib.update(counts)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def xml_safe(text: str) -> str:
    """text that XML 1.0 can carry: characters it forbids shown as `\\xNN`."""
    text = encodable(text)
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)
