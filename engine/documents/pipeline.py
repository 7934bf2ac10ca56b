"""The extraction pipeline: a decoded text -> a located, typed, validated `Document`.

scan for secrets -> mask -> Markdown outline -> kind -> scopes -> schema-driven extraction -> id
-> validation -> findings. Every step reports problems as findings on the document; nothing
here raises for bad input. `loader.py` reads files, streams and the extraction cache, and comes
here only for a document the cache does not hold: a run that reads its documents back (a warm
run judging again the records whose findings ran out) never imports the extractor.
"""

from __future__ import annotations

from dataclasses import replace

from ..findings import Severity
from ..kinds import FILE_KINDS, kind_named, unknown_kind_message
from ..limits import MAX_DOCUMENT_LINES, OVERSIZED_DOCUMENT_START_BYTES
from . import detect as detection
from . import markdown, scopes, secrets, validate
from .extract import Extractor, build_id
from .model import Document, LineIndex
from .reader import SourceText, judged_text, prepare, read_front_matter
from .schemas import load_schema
from .unfilled import block_name, unfilled_scopes
from .values import UnknownTimeZone, zone


def extracted(source: SourceText, path: str, kind: str | None, config_globs, timezone) -> Document:
    """The document of a decoded text, extracted (the caller looked in the extraction cache)."""
    text = judged_text(source.text, kind)
    index = LineIndex(text)
    found_secrets = secrets.scan(text, index)
    masked = secrets.mask(text, found_secrets)
    read_front_matter(source, masked)
    if source.decoded_secrets:  # spelled in YAML escapes: found in the decoded value, masked where written
        found_secrets = sorted(found_secrets + [replace(secret, span=index.span(start, end))
                                                for start, end, secret in source.decoded_secrets],
                               key=lambda secret: (secret.span.start, secret.span.end))
        masked = secrets.mask(text, found_secrets)
    found_secrets = secrets.secrets_in_names([("the file's name", path)], index.span(0, 0)) + found_secrets
    entries = markdown.outline(masked, index, source.body_start)
    document = Document(kind, None, path, text, secrets=found_secrets, read_in_full=source.complete)
    for problem in source.problems:
        severity = Severity.ERROR
        document.add_finding(problem.rule, severity, problem.message, index.span(problem.start, problem.end))
    structures: dict = {}
    named_in = ""  # where a kind that is no file kind was named: the caller's `kind`, or the config
    if kind is None:
        kind, reason = detection.detect(masked, entries, path=path, front_matter=source.front_matter,
                                        config_globs=config_globs, structures=structures)
        named_in = "the config's document globs" if reason == "config" else ""
        if kind is None and reason == "front matter":
            # The author declared it one of ours and misspelled the kind: an error, or the record
            # would drop out of every check (fail closed).
            declared = str(source.front_matter["kind"])
            document.add_finding("DOC001", Severity.ERROR, unknown_kind_message(declared, FILE_KINDS, "front matter"),
                                 _front_matter_span(source, index, "kind"))
    if kind is not None and kind not in FILE_KINDS:
        document.add_finding("DOC001", Severity.INFO, unknown_kind_message(kind, FILE_KINDS, named_in), None)
        kind = None
    document.kind = kind
    secret_data = [secret.as_data() for secret in found_secrets]
    if kind is None:
        title = _title(masked, entries, index)
        document.title = title
        document.data = {"secrets": secret_data}
        if not document.findings or all(f.rule != "DOC001" for f in document.findings):
            document.add_finding("DOC001", Severity.INFO, "unknown kind: not an incident record, status "
                                 "message, hotfix PR or post-incident review (set `kind:` in front matter "
                                 "or use --kind; if it is none, list it under `exclude` in .policy.yaml)", title)
        return document
    schema = load_schema(kind)
    structure = structures.get(kind) or scopes.build(masked, entries, schema)
    left_out = unfilled_scopes(kind, masked, structure)
    document.unfilled = [(block_name(masked, scope), index.span(scope.title_start, max(scope.title_end, scope.content_end)))
                         for scope in left_out]
    zone = _record_zone(document, timezone, source, index)

    def read(into: Document, skipped: list) -> Document:
        extractor = Extractor(masked, index, structure.without(skipped) if skipped else structure, schema,
                              front_matter=source.front_matter, front_matter_spans=source.front_matter_spans, tz=zone)
        data = extractor.run()
        into.title = extractor.title_span
        into.derived = extractor.derived
        return finish(into, kind, data, extractor.spans, extractor.anchors, extractor.placeholders,
                      source_text=masked, validate_always=False, unparsed=extractor.unparsed)

    read(document, left_out)
    document.filled_views = [read(Document(kind, None, path, text), [s for s in left_out if s is not scope])
                             for scope in left_out]
    _report_structure(document, structure, schema, masked, index)
    return document


def finish(document: Document, kind: str, data: dict, spans: dict, anchors: dict, placeholders: list,
           *, source_text: str, validate_always: bool = True, unparsed=()) -> Document:
    """Common tail of every kind: placeholders, secrets, id, validation, DOC002 findings (one per
    block still the template's, `document.unfilled`, and one per placeholder left elsewhere).

    jsonschema runs when `validate_always` (git and event data) or when extraction kept a
    typed value it could not parse (`unparsed`): values extraction produces are otherwise of
    their schema's type by construction (the test suite checks that on every document it
    extracts), and skipping the validator keeps extraction within its speed budget.
    """
    schema = load_schema(kind)
    properties = schema.get("properties", {})
    if "placeholders" in properties:
        data["placeholders"] = [{"field": ".".join(str(k) for k in p.path), "text": p.text,
                                 "line": p.span.line, "column": p.span.column} for p in placeholders]
    if "secrets" in properties:
        data["secrets"] = [secret.as_data() for secret in document.secrets]
        for index, secret in enumerate(document.secrets):  # SEC001 points at the secret itself
            spans[("secrets", index)] = secret.span
    document.id = build_id(schema.get("x-id"), data)
    if "id" in properties and document.id is not None:
        data["id"] = document.id
    document.data, document.spans, document.anchors = data, spans, anchors
    document.placeholders = list(placeholders)
    document.findings = [finding for finding in document.findings if finding.rule not in ("DOC002", "DOC004")]
    _report_template_text(document)
    if validate_always or unparsed:
        def text_of(path):
            span = spans.get(path)
            return source_text[span.start:span.end] if span is not None else None

        problems = validate.check(kind, data, text_of)
        for path, message in problems:
            document.add_finding("SCHEMA001", Severity.ERROR, message, document.span_of(path))
        for path, _ in sorted(problems, key=lambda item: tuple(str(k) for k in item[0]), reverse=True):
            if path:
                validate.remove(data, path)
                anchor = spans.pop(path, None)
                if anchor is not None:
                    anchors[path] = anchor
    return document


def _report_template_text(document: Document) -> None:
    """DOC004 once per unfilled block, DOC002 once per placeholder left in a filled one (a value
    read twice, such as a declaration's time that is also its message's, is one placeholder in
    the text)."""
    later = " (or delete it if it does not apply yet)" if kind_named(document.kind).timeline else ""
    for name, span in document.unfilled:
        document.add_finding("DOC004", Severity.INFO,
                             f"the {name} block is still the template's text: the rules skip it until it is "
                             f"filled in{later}", span)
    reported = set()
    for placeholder in document.placeholders:
        where = (placeholder.span.start, placeholder.span.end)
        if where not in reported:
            reported.add(where)
            document.add_finding("DOC002", Severity.ERROR,
                                 f"template placeholder {placeholder.text} left: replace it with the real value",
                                 placeholder.span)


def _report_structure(document: Document, structure, schema: dict, text: str, index: LineIndex) -> None:
    """Repeated labels the schema reads (first wins) and known sections left empty."""
    known = _known_labels(schema)
    headings = None  # heading entries by where they start, built when a section is empty
    scopes_list = structure.scopes
    for position, scope in enumerate(scopes_list):
        for first, repeat in scope.repeats:
            key = scopes.normalize_label(repeat.name)
            if key in known:
                document.add_finding(
                    "SCHEMA001", Severity.ERROR,
                    f"{repeat.name} is given twice in this block (first on line {index.span(first.start, first.end).line}); "
                    f"the first value is used", index.span(repeat.start, repeat.end))
        following = scopes_list[position + 1] if position + 1 < len(scopes_list) else None
        has_children = following is not None and (not following.heading or following.level > scope.level)
        if scope.heading and scope.name is not None and scope.empty() and not has_children:
            if headings is None:
                headings = {entry.start: entry for entry in reversed(structure.headings)}
            start, end = scopes.heading_text(text, headings[scope.title_start])
            document.add_finding("SCHEMA001", Severity.ERROR,
                                 f"section {text[start:end]!r} has a heading but no content",
                                 index.span(scope.title_start, scope.title_end))


_KNOWN: dict = {}


def _known_labels(schema: dict) -> frozenset:
    key = schema.get("$id")
    if key in _KNOWN:
        return _KNOWN[key]
    labels = set()

    def walk(node):
        if isinstance(node, dict):
            source = node.get("x-source")
            for item in ([source] if isinstance(source, dict) else source or []):
                if "label" in item:
                    labels.add(scopes.normalize_label(item["label"]))
                    labels.update(scopes.normalize_label(a) for a in item.get("x-aliases", ()))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema.get("properties", {}))
    _KNOWN[key] = frozenset(labels)
    return _KNOWN[key]


def _title(text: str, entries: list, index: LineIndex):
    for entry in entries:
        return index.span(entry.start, entry.end)
    return index.span(0, 0)


def _record_zone(document: Document, given: str | None, source: SourceText, index: LineIndex):
    """The zone of the record's times without one: the caller's, else front matter `timezone`,
    else UTC. A zone that does not exist is SCHEMA001 at the value that names it."""
    name = given if given is not None else source.front_matter.get("timezone")
    try:
        return zone(name)
    except UnknownTimeZone:
        from zoneinfo import available_timezones

        from ..errors import did_you_mean

        where = None if given is not None else _front_matter_span(source, index, "timezone")
        document.add_finding("SCHEMA001", Severity.ERROR,
                             f"unknown time zone {str(name)!r}: times without a zone are read as UTC until it "
                             "is fixed; expected an IANA name such as Europe/Berlin or an offset such as "
                             f"+01:00{did_you_mean(str(name), available_timezones())}", where)
        return zone(None)


def _front_matter_span(source: SourceText, index: LineIndex, key: str):
    span = source.front_matter_spans.get(key)
    return index.span(*span) if span else index.span(0, 0)


def kind_of_start(content: str | bytes, path: str, config_globs) -> tuple:
    """(the kind the start of a document too large to read shows, whether the start settles it),
    read from its first OVERSIZED_DOCUMENT_START_BYTES, whole lines only and fewer than the line
    limit: its front matter, a `documents` glob, its title or opening block. A start with no
    title of its own (lines of padding, front matter that does not end in it) settles nothing:
    the record's title may come after, so the document fails closed (DOC003), never skipped as
    not ours; one whose title is none of ours (`# Changelog`) is not ours."""
    start = content[:OVERSIZED_DOCUMENT_START_BYTES]
    text = start.decode("utf-8", "ignore") if isinstance(start, bytes) else start
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = text.split("\n")[:MAX_DOCUMENT_LINES]
    text = "\n".join(lines[:-1]) + "\n" if len(lines) > 1 else text  # whole lines, fewer than the limit
    source = prepare(text)
    if not source.readable:
        return None, False
    index = LineIndex(text)
    masked = secrets.mask(text, secrets.scan(text, index))
    read_front_matter(source, masked)
    entries = markdown.outline(masked, index, source.body_start)
    kind, _ = detection.detect(masked, entries, path=path, front_matter=source.front_matter,
                               config_globs=config_globs)
    if kind in FILE_KINDS:
        return kind, True
    titled = any(entry.kind == "heading" and not entry.fence for entry in entries)
    return None, titled and "kind" not in source.front_matter
