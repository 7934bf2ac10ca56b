"""Findings as text for people and machines: the output formats of `policy check`.

A pure library: it takes a `Report` (findings, the redacted sources, rule metadata) and returns
a string; it never reads files, the environment or the terminal. The caller decides on colour
(TTY, `NO_COLOR`) and where the text goes. Every format sorts findings the same way (path,
line, column, rule) and ends with a newline. Format modules are imported only when used, so
`policy check` does not pay for XML or SARIF on a plain run.
"""

from __future__ import annotations

from dataclasses import replace
from importlib import import_module

from .model import DocumentInfo, Place, Report, RuleInfo, place_of, sorted_findings, summary_counts, summary_line

__all__ = ["FORMATS", "FORMAT_MODULES", "DocumentInfo", "Place", "Report", "RuleInfo", "place_of", "render",
           "sorted_findings", "summary_counts", "summary_line"]

FORMAT_MODULES = {"text": "text", "json": "json_format", "sarif": "sarif", "github": "github",
                  "junit": "junit"}
"""Every output format: its name (`policy check --format`) -> the module here with its `render`."""
FORMATS = tuple(FORMAT_MODULES)


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    """The report in format `fmt` (one of FORMATS). `color` adds ANSI colour to `text` only."""
    if fmt not in FORMAT_MODULES:
        raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    module = import_module(f".{FORMAT_MODULES[fmt]}", __name__)
    report = _names_masked(report)
    if fmt == "text":
        return module.render(report, color=color)
    return module.render(report)


def _names_masked(report: Report) -> Report:
    """The report with a secret in a file's name or a document's id masked like one in its text
    (`incidents/AKIA....md`, a tag named after a token): every format shows paths and ids, and
    SARIF the file a commit or tag is placed at."""
    from ..documents.secrets import mask_text, names_hold_a_secret  # loaded with the first document anyway

    if not names_hold_a_secret(_names(report)):  # one scan of them all, not one per name (15 ms a 5,000 findings)
        return report
    masked: dict = {}

    def name(text: str) -> str:
        if text not in masked:
            masked[text] = mask_text(text)
        return masked[text]

    findings = [finding if name(finding.path) == finding.path and name(finding.document) == finding.document
                else replace(finding, path=name(finding.path), document=name(finding.document))
                for finding in report.findings]
    docs = {name(path): _info_masked(info, name) for path, info in report.docs.items()}
    for path in {finding.path for finding in report.findings} | set(report.sources):
        if name(path) != path:  # a file named after a secret: no place names it without repeating it
            docs.setdefault(name(path), DocumentInfo(id=name(path)))
    if all(name(path) == path for path in report.sources) and all(a is b for a, b in zip(findings, report.findings)) \
            and docs == report.docs:
        return report
    return replace(report, findings=findings, sources={name(path): text for path, text in report.sources.items()},
                   docs=docs)


def _names(report: Report) -> set:
    """Every name `_names_masked` may mask."""
    names = {name for finding in report.findings for name in (finding.path, finding.document)}
    names.update(report.sources)
    for path, info in report.docs.items():
        names.update((path, info.id, info.file or "", info.record.path if info.record is not None else ""))
    return names


def _info_masked(info: DocumentInfo, name) -> DocumentInfo:
    """The info with its id masked, and without a file or record whose name holds a secret:
    SARIF could only name it masked, a file code scanning cannot find."""
    file = info.file if info.file is None or name(info.file) == info.file else None
    record = info.record if info.record is None or name(info.record.path) == info.record.path else None
    if file is info.file and record is info.record and name(info.id) == info.id:
        return info
    return replace(info, id=name(info.id), file=file, record=record)
