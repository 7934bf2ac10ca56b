"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).

One run; `tool.driver.rules` holds the rules that fired, with their docs as help text, and each
result points at its rule by id and index. Columns are code points, which the run declares
with `columnKind`. A waived finding is a result with an external suppression, which is how
SARIF consumers show "reported but accepted". Documents that are not files (`commit:<sha>`,
`tag:<name>`, `repository`) have no artifact to point at: their results carry a logical
location named after the document instead of a physical one.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from ..diagnostics import encodable
from ..findings import Finding, Severity
from .model import TOOL_NAME, Report, RuleInfo, is_file_path, severity_of, sorted_findings

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = ""    # the project's home page, once it has one
WAIVED_JUSTIFICATION = "waived in configuration"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# Characters a relative path may keep as they are in a URI reference (RFC 3986 pchar and "/",
# minus ":" so that no first segment reads as a scheme).
_PATH_SAFE = "/!$&'()*+,;=@-._~"


def render(report: Report) -> str:
    return encodable(json.dumps(as_data(report), indent=2, ensure_ascii=False)) + "\n"


def as_data(report: Report) -> dict:
    findings = sorted_findings(report)
    rule_ids = sorted({f.rule for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    driver: dict = {"name": TOOL_NAME}
    if report.tool_version:
        driver["version"] = report.tool_version
    if INFORMATION_URI:
        driver["informationUri"] = INFORMATION_URI
    driver["rules"] = [rule_descriptor(rule_id, report.rules.get(rule_id)) for rule_id in rule_ids]
    run = {"tool": {"driver": driver},
           "columnKind": "unicodeCodePoints",
           "results": [result(f, index[f.rule]) for f in findings]}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def rule_descriptor(rule_id: str, info: RuleInfo | None) -> dict:
    """A reportingDescriptor; a rule without metadata still gets one with its id."""
    descriptor: dict = {"id": rule_id}
    if info is None:
        return descriptor
    if info.summary:
        descriptor["shortDescription"] = {"text": info.summary}
    if info.rationale or info.summary:
        descriptor["fullDescription"] = {"text": info.rationale or info.summary}
    help_text = _help(info)
    if help_text:
        descriptor["help"] = help_text
    if info.help_uri:
        descriptor["helpUri"] = info.help_uri
    descriptor["defaultConfiguration"] = {"level": LEVEL[Severity(info.severity)]}
    properties = {key: value for key, value in (("workflow", info.workflow), ("policy", info.policy))
                  if value}
    if properties:
        descriptor["properties"] = properties
    return descriptor


def _help(info: RuleInfo) -> dict | None:
    text_parts, markdown_parts = [], []
    if info.summary:
        text_parts.append(info.summary)
        markdown_parts.append(f"**{info.summary}**")
    if info.rationale:
        text_parts.append(info.rationale)
        markdown_parts.append(info.rationale)
    if info.workflow:
        text_parts.append(f"Workflow: {info.workflow}")
        markdown_parts.append(f"Workflow section: *{info.workflow}*")
    if info.policy:
        text_parts.append(f"Policy: {info.policy}")
        markdown_parts.append(f"Policy: `{info.policy}`")
    if info.help_uri:
        text_parts.append(f"More: {info.help_uri}")
        markdown_parts.append(f"[Documentation]({info.help_uri})")
    if not text_parts:
        return None
    return {"text": "\n\n".join(text_parts), "markdown": "\n\n".join(markdown_parts)}


def result(finding: Finding, rule_index: int) -> dict:
    data: dict = {"ruleId": finding.rule,
                  "ruleIndex": rule_index,
                  "level": LEVEL[severity_of(finding)],
                  "message": {"text": finding.message or finding.rule},
                  "locations": [location(finding)]}
    if finding.waived:
        data["suppressions"] = [{"kind": "external", "justification": WAIVED_JUSTIFICATION}]
    return data


def location(finding: Finding) -> dict:
    if not is_file_path(finding.path):
        kind, _, name = finding.path.partition(":")
        return {"logicalLocations": [{"name": name or kind, "fullyQualifiedName": finding.path,
                                      "kind": kind}]}
    span = finding.span
    if span is None:
        # A document-level finding: code scanning needs a start line to show any result.
        region = {"startLine": 1}
    else:
        start_line, start_column = max(span.line, 1), max(span.column, 1)
        end_line = max(span.end_line, start_line)
        end_column = span.end_column if end_line > start_line else max(span.end_column, start_column)
        region = {"startLine": start_line, "startColumn": start_column,
                  "endLine": end_line, "endColumn": max(end_column, 1)}
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(finding.path)},
                                 "region": region}}


def artifact_uri(path: str) -> str:
    """A URI reference for a path as given: relative stays relative (percent-encoded where a
    URI needs it), an absolute POSIX path becomes a `file://` URI."""
    if path.startswith("/"):
        return "file://" + quote(encodable(path), safe=_PATH_SAFE + ":")
    return quote(encodable(path), safe=_PATH_SAFE)
