"""A document as JSON: `policy parse`'s output, and a stable shape for golden files.

Times are RFC 3339 strings in UTC (`2026-11-20T09:10:00Z`), durations protobuf-style seconds
(`6720s`), ranges 1-based lines and code-point columns keyed by dotted value paths. Secrets
appear as kind and range only; the text itself is never included.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def json_value(value):
    """The JSON form of a rule-language runtime value."""
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_value(item) for item in value]
    if isinstance(value, datetime):
        text = value.astimezone(timezone.utc).isoformat()
        return text.replace("+00:00", "Z")
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return f"{seconds:g}s" if seconds != int(seconds) else f"{int(seconds)}s"
    return value


def json_range(span) -> dict | None:
    if span is None:
        return None
    return {"line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column}


def dotted(path: tuple) -> str:
    return ".".join(str(key) for key in path)


def to_json(document) -> dict:
    """`{"kind", "id", "path", "data", "ranges", "missing", "placeholders", "secrets", "findings"}`."""
    return {
        "kind": document.kind,
        "id": document.id,
        "path": document.path,
        "data": json_value(document.data),
        "ranges": {dotted(path): json_range(span) for path, span in sorted(
            document.spans.items(), key=lambda item: (item[1].start, item[1].end, dotted(item[0])))},
        "missing": {dotted(path): json_range(span) for path, span in sorted(
            document.anchors.items(), key=lambda item: (item[1].start, dotted(item[0])))},
        "title": json_range(document.title),
        "placeholders": [{"field": dotted(p.path), "text": p.text, **json_range(p.span)} for p in document.placeholders],
        "secrets": [{"kind": s.kind, **json_range(s.span)} for s in document.secrets],
        "findings": [{"rule": f.rule, "severity": f.severity.value, "message": f.message,
                      **(json_range(f.span) or {"line": None, "column": None, "end_line": None, "end_column": None})}
                     for f in document.findings],
    }
