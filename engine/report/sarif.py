"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers).

One run; `tool.driver.rules` holds the rules that fired, with their docs as help text and a
`helpUri` at the rule's page when it has one (`engine/policy/help_links.py` decides every link),
and each result points at its rule by id and index. Columns are code points, which the run
declares with `columnKind`; end columns are exclusive, as SARIF's are. A waived finding is a
result with an external suppression, which is how SARIF consumers show "reported but accepted".

Every result carries what GitHub needs to place it (its "SARIF support for code scanning"): a
physical location in a file of the checkout, by a path relative to the checkout's root
(`uriBaseId` `%SRCROOT%`), with a region whose start line is at least 1. A commit's or tag's
finding is placed at the incident record it names, its logical location (the commit or tag)
kept beside. A finding GitHub could not place (the PR body read from an event file, a commit or
tag without a record, the repository) is left out: code scanning would reject or misplace it;
the other formats carry it. `partialFingerprints.primaryLocationLineHash` is a hash of the
rule, the file and the text the finding points at (never a line number), so an alert follows
its text when lines move; a hash of redacted text, so it cannot confirm a guessed secret.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from ..diagnostics import encodable
from ..documents.secrets import mask_strings
from ..findings import Finding, Severity
from ..policy.help_links import RULES_PAGE, docs_url
from . import indented_json
from .model import TOOL_NAME, Place, Report, RuleInfo, place_of, severity_of, sort_key

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
WAIVED_JUSTIFICATION = "waived in configuration"
SOURCE_ROOT = "%SRCROOT%"
"""The base every artifact URI is relative to: the checkout's root (GitHub resolves relative
paths against the repository's root)."""

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# Characters a relative path may keep as they are in a URI reference (RFC 3986 pchar and "/",
# minus ":" so that no first segment reads as a scheme).
_PATH_SAFE = "/!$&'()*+,;=@-._~"


def render(report: Report) -> str:
    return encodable(indented_json.dumps(as_data(report))) + "\n"


def as_data(report: Report) -> dict:
    placed = sorted(((finding, place) for finding in report.findings
                     if (place := place_of(report, finding)) is not None), key=_by_place)
    rule_ids = sorted({finding.rule for finding, _ in placed})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    driver: dict = {"name": TOOL_NAME}
    if report.tool_version:
        driver["version"] = report.tool_version
    driver["informationUri"] = docs_url(RULES_PAGE)
    # a policy's name, summary and docs are the team's words, which may hold a secret as much as a file name
    driver["rules"] = mask_strings([rule_descriptor(rule_id, report.rules.get(rule_id)) for rule_id in rule_ids])
    fingerprints = Fingerprints()
    results = [result(finding, index[finding.rule], place, fingerprints(finding, place, report),
                      at_record(report, finding))
               for finding, place in placed]
    run = {"tool": {"driver": driver},
           "originalUriBaseIds": {SOURCE_ROOT: {"description": {
               "text": "The root of the checkout: the top of the git work tree policy check ran in."}}},
           "columnKind": "unicodeCodePoints",
           "results": results}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _by_place(placed: tuple) -> tuple:
    """Results in the order of their places in the checkout, the same from whichever folder the
    run started (paths as the run shows them depend on it)."""
    finding, place = placed
    span = place.span
    return (place.path, (span.line, span.column) if span is not None else (0, 0), sort_key(finding)[3:],
            finding.path)


def rule_descriptor(rule_id: str, info: RuleInfo | None) -> dict:
    """A reportingDescriptor. Code scanning requires a short and a full description and help
    text: a rule without metadata (or without a summary) gets its id in each."""
    known = info is not None
    info = info or RuleInfo(rule_id, Severity.WARNING, "")
    summary = info.summary or rule_id
    descriptor: dict = {"id": rule_id,
                        "shortDescription": {"text": summary},
                        "fullDescription": {"text": info.rationale or summary},
                        "help": _help(info, summary)}
    if info.help_uri:
        descriptor["helpUri"] = info.help_uri
    if known:
        descriptor["defaultConfiguration"] = {"level": LEVEL[Severity(info.severity)]}
    properties = {key: value for key, value in (("workflow", info.workflow), ("policy", info.policy))
                  if value}
    if properties:
        descriptor["properties"] = properties
    return descriptor


def _help(info: RuleInfo, summary: str) -> dict:
    text_parts, markdown_parts = [summary], [f"**{summary}**"]
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
    return {"text": "\n\n".join(text_parts), "markdown": "\n\n".join(markdown_parts)}


def at_record(report: Report, finding: Finding) -> bool:
    """Whether the finding is placed at the incident record its commit or tag names."""
    info = report.docs.get(finding.path)
    return info is not None and info.record is not None


def result(finding: Finding, rule_index: int, place: Place, fingerprint: str, record: bool = False) -> dict:
    message = finding.message or finding.rule
    location: dict = {"physicalLocation": physical_location(place)}
    if record:
        name = finding.document or finding.path
        message = f"{name}: {message}"
        kind, _, short = name.partition(":")
        location["logicalLocations"] = [{"name": short or kind, "fullyQualifiedName": finding.path, "kind": kind}]
    data: dict = {"ruleId": finding.rule,
                  "ruleIndex": rule_index,
                  "level": LEVEL[severity_of(finding)],
                  "message": {"text": message},
                  "locations": [location],
                  "partialFingerprints": {"primaryLocationLineHash": fingerprint}}
    if finding.waived:
        data["suppressions"] = [{"kind": "external", "justification": WAIVED_JUSTIFICATION}]
    return data


def physical_location(place: Place) -> dict:
    span = place.span
    if span is None:
        # A document-level finding: code scanning needs a start line to show any result.
        region = {"startLine": 1}
    else:
        start_line, start_column = max(span.line, 1), max(span.column, 1)
        end_line = max(span.end_line, start_line)
        end_column = span.end_column if end_line > start_line else max(span.end_column, start_column)
        region = {"startLine": start_line, "startColumn": start_column,
                  "endLine": end_line, "endColumn": max(end_column, 1)}
    return {"artifactLocation": {"uri": artifact_uri(place.path), "uriBaseId": SOURCE_ROOT}, "region": region}


class Fingerprints:
    """`primaryLocationLineHash` values: `<16 hex>:<n>`, the hash of the rule, the file and what
    the finding points at (the located text, or the commit or tag placed there), `n` counting
    findings of one run that hash alike, so each is its own alert."""

    def __init__(self):
        self._seen: dict = {}

    def __call__(self, finding: Finding, place: Place, report: Report) -> str:
        if at_record(report, finding):
            located = finding.path
        else:
            source = report.sources.get(finding.path)
            located = place.span.slice(source) if source is not None and place.span is not None else ""
        digest = hashlib.sha256("\0".join((finding.rule, place.path, located)).encode("utf-8", "replace"))
        key = digest.hexdigest()[:16]
        self._seen[key] = self._seen.get(key, 0) + 1
        return f"{key}:{self._seen[key]}"


def artifact_uri(path: str) -> str:
    """A relative URI reference for a path of the checkout, percent-encoded where a URI needs it."""
    return quote(encodable(path), safe=_PATH_SAFE)
