"""Bytes to text, safely: size limit, binary and encoding checks, front matter.

Everything a user can feed us (an empty file, a binary, invalid UTF-8, a 10 MB paste, broken
front matter) becomes a DOC003 or SCHEMA001 finding here, never an exception. Line endings
are normalized to `\\n` so that offsets agree with markdown-it's line map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import encodable
from ..limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_LINES, MAX_YAML_NODES

DEFAULT_SIZE_LIMIT = MAX_DOCUMENT_BYTES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_SIMPLE_ENTRY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
"""`key: value` on a line without its trailing spaces (a lazy value before `[ \t]*` at the end
would try the tail at every character of a long value)."""
_KEY_END = re.compile(r":(?=[ \t]|$)")
_YAML_SPECIAL = re.compile(r"""^[\[\]{}&*!|>'"%@`#]|\s#|: """)


@dataclass(slots=True)
class Problem:
    """A reason the input cannot be read as intended: rule id, message, offsets in the text."""

    rule: str
    message: str
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class SourceText:
    """Decoded text plus its front matter (a dict) and where the Markdown body starts."""

    text: str
    front_matter: dict = field(default_factory=dict)
    front_matter_spans: dict = field(default_factory=dict)  # key -> (start, end) of the value
    body_start: int = 0
    problems: list = field(default_factory=list)
    readable: bool = True
    complete: bool = True   # every byte was read as written (see `decode`)
    decoded_secrets: list = field(default_factory=list)  # (start, end, Secret) of front-matter values
    oversized: bool = False  # unread for its size or its number of lines, not its content


def decode(raw: bytes, *, size_limit: int = DEFAULT_SIZE_LIMIT) -> SourceText:
    """Decode a file's bytes; on failure `readable` is False and `problems` says why.

    Bytes that are not UTF-8 are read as U+FFFD and reported (DOC003 at the first one) while the
    rest of the document is still judged, as markdownlint reads them: one stray byte must not
    hide a record, or a secret in it, from the rules. `complete` is then False.
    """
    if len(raw) > size_limit:
        return _unreadable(f"file is {len(raw):,} bytes, over the size limit of {size_limit:,} bytes", oversized=True)
    if raw.startswith(_UTF16_MARKS):
        return _unreadable("file is UTF-16 (it starts with a UTF-16 byte order mark), which is not "
                           "supported: save it as UTF-8")
    if b"\x00" in raw[:8192]:
        return _unreadable("file looks binary (it contains NUL bytes); expected UTF-8 text")
    try:
        return prepare(raw.decode("utf-8"), size_limit=size_limit)
    except UnicodeDecodeError as error:
        return _replaced(raw, error, size_limit)


_UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")


def _unreadable(message: str, oversized: bool = False) -> SourceText:
    return SourceText("", problems=[Problem("DOC003", message)], readable=False, complete=False, oversized=oversized)


def _replaced(raw: bytes, error: UnicodeDecodeError, size_limit: int) -> SourceText:
    """The text with each byte that is not UTF-8 read as U+FFFD, and DOC003 at the first one."""
    source = prepare(raw.decode("utf-8", "replace"), size_limit=size_limit)
    if not source.readable:
        return source
    before = prepare(raw[:error.start].decode("utf-8")).text  # valid UTF-8 up to the first bad byte
    start = len(before)
    others = source.text.count("\ufffd", start + 1) - raw[error.end:].decode("utf-8", "ignore").count("\ufffd")
    more = f" (and {others:,} more after it)" if others > 0 else ""
    source.problems.append(Problem(
        "DOC003", f"not valid UTF-8: byte 0x{raw[error.start]:02x} ({error.reason}) is read as U+FFFD{more}; "
                  "save the file as UTF-8", start, start + 1))
    source.complete = False
    return source


def prepare(text: str, *, size_limit: int = DEFAULT_SIZE_LIMIT) -> SourceText:
    """Normalize already-decoded text (its front matter is read by `read_front_matter`, from the
    text with its secrets masked)."""
    # The limit is in UTF-8 bytes, as for a file; a text of fewer characters than a quarter of
    # it cannot be over, so most texts are never encoded to tell.
    if len(text) * 4 > size_limit and (size := len(text.encode("utf-8", "surrogatepass"))) > size_limit:
        return _unreadable(f"document is {size:,} bytes, over the size limit of {size_limit:,} bytes", oversized=True)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        return _unreadable("text contains NUL characters; expected a text document")
    lines = text.count("\n", 0, len(text) - 1) + 1
    if lines > MAX_DOCUMENT_LINES:
        return _unreadable(f"too many lines to judge: {lines:,}, over the limit of {MAX_DOCUMENT_LINES:,} (every "
                           "section, block, list item and table row is a line)", oversized=True)
    replaced = encodable(text)
    return SourceText(text) if replaced is text else _surrogates_replaced(text, replaced)


def _surrogates_replaced(text: str, replaced: str) -> SourceText:
    """Text with lone surrogates (an editor's buffer may carry them: JSON can, Unicode cannot)
    read as U+FFFD, as bytes that are not UTF-8 are (`decode`): DOC003 at the first one, and
    the rest of the document judged."""
    first = next(at for at, (was, now) in enumerate(zip(text, replaced)) if was != now)
    others = sum(was != now for was, now in zip(text[first + 1:], replaced[first + 1:]))
    more = f" (and {others:,} more after it)" if others else ""
    problem = Problem("DOC003", f"not valid Unicode: a lone surrogate U+{ord(text[first]):04X} is read as U+FFFD{more}; "
                                "save the file as UTF-8", first, first + 1)
    return SourceText(replaced, problems=[problem], complete=False)


def read_front_matter(source: SourceText, masked: str) -> None:
    """Split off the front matter and read it from `masked`, the text with every detected secret
    masked at the same offsets, so that no value or YAML error message can quote a secret."""
    if masked.startswith("---"):
        _split_front_matter(source, masked)
    if not masked[source.body_start:].strip():
        what = "has front matter but no content" if source.body_start else "is empty"
        source.problems.append(Problem("DOC003", f"document {what}", 0, min(len(masked), 3)))


def _split_front_matter(source: SourceText, text: str) -> None:
    match = _FRONT_MATTER.match(text)
    if match is None:
        if re.match(r"---[ \t]*\n", text):
            source.problems.append(Problem(
                "SCHEMA001", "front matter starts with --- but never ends (no closing --- line)", 0, 3))
        return
    source.body_start = match.end()
    block = match.group(1) or ""
    block_start = match.start(1) if match.group(1) is not None else match.end()
    if _parse_simple(source, block, block_start):
        return
    _parse_yaml(source, block, block_start)


def _parse_simple(source: SourceText, block: str, block_start: int) -> bool:
    """`key: plain value` lines (the common case) without loading a YAML library."""
    values, spans = {}, {}
    offset = block_start
    for line in block.split("\n"):
        if line.strip() and not line.lstrip().startswith("#"):
            match = _SIMPLE_ENTRY.fullmatch(line.rstrip(" \t"))
            if match is None or _YAML_SPECIAL.search(match.group(2)):
                return False
            key, value = match.group(1), match.group(2)
            if key not in values:
                values[key] = int(value) if value.isascii() and value.isdigit() and len(value) < 19 else value
                value_start = match.start(2) if value else len(line)  # an empty value: at the line's end
                spans[key] = (offset + value_start, offset + value_start + len(value))
        offset += len(line) + 1
    source.front_matter, source.front_matter_spans = values, spans
    return True


def _parse_yaml(source: SourceText, block: str, block_start: int) -> None:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from ..located_yaml import YamlError, bound_events
    from ..located_yaml.expanded import more_values_than

    loader = YAML(typ="safe", pure=True)
    bound_events(loader, block, "front matter")  # the limits of policy files: bounded work
    try:
        loaded = loader.load(block)
    except YamlError as error:  # a limit (values, nesting, merge keys): valid YAML, too much of it
        start = block_start + (error.span.start if error.span else 0)
        source.problems.append(Problem("SCHEMA001", f"front matter is refused: {error.message}",
                                       start, min(start + 1, len(source.text))))
        return
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        start = block_start
        if mark is not None:
            start = block_start + sum(len(line) + 1 for line in block.split("\n")[: mark.line]) + mark.column
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        source.problems.append(Problem("SCHEMA001", f"front matter is not valid YAML: {problem}",
                                       start, min(start + 1, len(source.text))))
        return
    except Exception as error:  # ruamel raises a few non-YAMLError types on odd input
        source.problems.append(Problem("SCHEMA001", f"front matter is not valid YAML: {error}",
                                       block_start, block_start))
        return
    if loaded is None:
        return
    if not isinstance(loaded, dict):
        source.problems.append(Problem(
            "SCHEMA001", "front matter must be a mapping of keys to values", block_start, block_start))
        return
    if more_values_than(loaded, MAX_YAML_NODES):
        source.problems.append(Problem(
            "SCHEMA001", f"front matter is refused: too many values (more than {MAX_YAML_NODES:,} with aliases "
                         "expanded)", block_start, block_start))
        return
    source.front_matter = {str(key): value for key, value in loaded.items()}
    source.front_matter_spans.update(_value_spans(block, block_start, source.front_matter))
    _check_decoded_values(source, block, block_start)


def _check_decoded_values(source: SourceText, block: str, block_start: int) -> None:
    """YAML can spell a value other than as written (`"\\x41KIA..."`, a continued quoted line,
    `!!binary`): the scan of the raw text cannot see a secret spelled so. Each decoded value is
    scanned again; a secret in it is recorded where the value is written, every line of it
    (SEC001, masked like any other), and masked in the value. Binary values are refused: they
    are not text any rule could read."""
    from .model import LineIndex
    from .secrets import mask_strings, scan

    written: dict | None = None
    for key, value in list(source.front_matter.items()):
        start, end = source.front_matter_spans.get(key, (0, 0))
        if isinstance(value, (bytes, bytearray)):
            source.problems.append(Problem("SCHEMA001", f"front matter `{key}` is a binary value (`!!binary`): "
                                                        "write it as text", start, end))
            del source.front_matter[key]
            continue
        texts = [value] if isinstance(value, str) else _strings_in(value)
        for text in texts:
            found = scan(text, LineIndex(text))
            if found:
                written = _written_spans(block, block_start) if written is None else written
                # not found again (a key YAML spells otherwise): to the end of the front matter
                start, end = written.get(key, (start, block_start + len(block)))
                source.decoded_secrets.append((start, end, found[0]))
                source.front_matter[key] = mask_strings(value)
                break


def _written_spans(block: str, block_start: int) -> dict:
    """Where each top-level value of the front matter is written in full, first line to last (a
    quoted value continued over lines, a block scalar, a list), as the YAML parser's nodes place
    it: read only when a decoded value holds a secret, to mask all of it."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    from ..located_yaml import bound_events

    loader = YAML(typ="safe", pure=True)
    bound_events(loader, block, "front matter")  # it loaded with the same bounds a moment ago
    node = loader.compose(block)
    spans: dict = {}
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                spans.setdefault(str(key.value), (block_start + value.start_mark.index,
                                                  block_start + value.end_mark.index))
    return spans


def _strings_in(value) -> list:
    """The strings inside a front-matter value (lists and mappings of them)."""
    from ..located_yaml.expanded import values_in

    return [item for item in values_in(value) if isinstance(item, str)]


def _value_spans(block: str, block_start: int, keys) -> dict:
    """Where each key's value is written: the first line `key: value` of the block, in one pass
    over its lines (a search of the whole block per key would be quadratic in the keys)."""
    spans: dict = {}
    offset = block_start
    for line in block.split("\n"):
        colon = _KEY_END.search(line)
        if colon is not None:
            key = line[:colon.start()].rstrip(" \t")
            if key in keys and key not in spans:
                rest = line[colon.end():]
                value_start = offset + colon.end() + len(rest) - len(rest.lstrip(" \t"))
                spans[key] = (value_start, value_start + len(rest.strip(" \t")))
        offset += len(line) + 1
    return spans


_SCISSORS = "\n# ------------------------ >8 ------------------------"
"""`git commit -v` puts the diff below this line of the message file; git drops it, and so do we."""


def judged_text(text: str, kind: str | None) -> str:
    """The part of a decoded text extraction reads (a commit message stops at the scissors)."""
    if kind == "commit" and _SCISSORS in text:
        return text[:text.index(_SCISSORS) + 1]
    return text
