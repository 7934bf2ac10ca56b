"""The machine format of DESIGN.md's CLI contract: `{"version": 1, "findings": [...], "summary"}`.

Key order is fixed (the contract's order) and the output indented by two, so diffs of two runs
read well (`indented_json`: json.dumps's layout, written by orjson). Lines and columns are
1-based code points, the end exclusive, all four null for a finding without a span.
`schemas/report.schema.json` (SCHEMA_FILE, shipped in the package) is the published contract;
the tests validate every JSON report they make against it.
"""

from __future__ import annotations

from ..diagnostics import encodable
from ..findings import Finding
from . import indented_json
from .model import Report, severity_of, sorted_findings, summary_counts

VERSION = 1
SCHEMA_FILE = "report.schema.json"
"""The report's JSON Schema, in the bundled `schemas/` (`resource_dir("schemas")`)."""


def render(report: Report) -> str:
    return encodable(indented_json.dumps(as_data(report))) + "\n"


def as_data(report: Report) -> dict:
    """The JSON document as Python data (for callers that embed it elsewhere)."""
    return {"version": VERSION,
            "findings": [finding_data(f) for f in sorted_findings(report)],
            "summary": summary_counts(report)}


def finding_data(finding: Finding) -> dict:
    span = finding.span
    return {
        "rule": finding.rule,
        "severity": severity_of(finding).value,
        "message": finding.message,
        "path": finding.path,
        "line": span.line if span is not None else None,
        "column": span.column if span is not None else None,
        "end_line": span.end_line if span is not None else None,
        "end_column": span.end_column if span is not None else None,
        "policy": finding.policy,
        "kind": finding.kind,
        "document": finding.document,
        "waived": bool(finding.waived),
    }
