"""A small reader for protobuf text format, enough for the CEL conformance data.

The conformance suite (`../shared/cel-conformance/*.textproto`) is written in protobuf text
format. The tests read it without a protobuf dependency and without the `.proto` schemas, so
this reader is schema-less: it returns a tree of `Message` objects whose fields keep their
order and repetition, and leaves the typing of scalars (an enum name, `inf`, a string that is
really bytes) to the caller, who knows the field.

Supported: messages in `{...}` or `<...>`; `field: value` and `field {...}` without a colon;
repeated fields (by repetition or `field: [a, b]`); `,`/`;` separators; strings in single or
double quotes with every C escape (octal, `\\x`, `\\u`, `\\U`) and adjacent-literal
concatenation; decimal, hex and octal integers; floats (`1.5e3`, `.5`, `2f`, `-inf`); enum
names and identifiers; `[ext.name]` extension and `[type.googleapis.com/pkg.Msg]` Any expansion
field names (marked as `ExtensionName` / `AnyName`); `#` comments.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Iterator, Union

__all__ = [
    "AnyName",
    "ExtensionName",
    "Identifier",
    "Message",
    "ProtoString",
    "TextProtoError",
    "parse",
    "to_bool",
    "to_float",
]


class TextProtoError(ValueError):
    """Malformed text format, with the 1-based line and column of the problem."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.line = line
        self.column = column


class Identifier(str):
    """A bare identifier in value position: an enum name, `true`, `inf`, `NULL_VALUE`..."""

    def __repr__(self) -> str:
        return f"Identifier({str.__repr__(self)})"


class ProtoString(str):
    """A string literal. Text format strings are bytes: `.raw` holds them exactly; the `str`
    value is their UTF-8 decoding (invalid sequences kept as surrogate escapes)."""

    raw: bytes

    def __new__(cls, raw: bytes) -> "ProtoString":
        self = super().__new__(cls, raw.decode("utf-8", errors="surrogateescape"))
        self.raw = raw
        return self

    def __repr__(self) -> str:
        return f"ProtoString({self.raw!r})"


@dataclass(frozen=True)
class ExtensionName:
    """A field name written `[pkg.ext_name]`."""

    name: str


@dataclass(frozen=True)
class AnyName:
    """A field name written `[type.googleapis.com/pkg.Msg]`: an expanded `google.protobuf.Any`."""

    url: str

    @property
    def type_name(self) -> str:
        return self.url.rsplit("/", 1)[-1]


FieldName = Union[str, ExtensionName, AnyName]
Scalar = Union[int, float, ProtoString, Identifier]
Value = Union[Scalar, "Message"]


@dataclass
class Message:
    """A message: its fields in source order; a repeated field appears once per element."""

    fields: list[tuple[FieldName, Value]] = field(default_factory=list)
    line: int = 0
    column: int = 0

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self.fields)

    def get(self, name: FieldName, default: object = None):
        """The last value of `name` (text format's rule for a singular field), else `default`."""
        for key, value in reversed(self.fields):
            if key == name:
                return value
        return default

    def get_all(self, name: FieldName) -> list:
        """Every value of a repeated field, in order."""
        return [value for key, value in self.fields if key == name]

    def names(self) -> list[FieldName]:
        """The distinct field names, in order of first appearance."""
        seen: dict[FieldName, None] = {}
        for key, _ in self.fields:
            seen.setdefault(key, None)
        return list(seen)

    def any_expansion(self) -> tuple[str, "Message"] | None:
        """For a `google.protobuf.Any` written in expanded form: (type name, message)."""
        for key, value in self.fields:
            if isinstance(key, AnyName) and isinstance(value, Message):
                return key.type_name, value
        return None


def to_float(value: object) -> float:
    """A double field's value: a number, or `inf`/`infinity`/`nan` (any case)."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a double")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, Identifier):
        special = _SPECIAL_FLOATS.get(value.lower())
        if special is not None:
            return special
    raise ValueError(f"not a double value: {value!r}")


def to_bool(value: object) -> bool:
    """A bool field's value: `true`/`false`/`True`/`False`/`t`/`f`/`1`/`0`."""
    if isinstance(value, Identifier) and value in _BOOLS:
        return _BOOLS[value]
    if type(value) is int and value in (0, 1):
        return bool(value)
    raise ValueError(f"not a bool value: {value!r}")


_SPECIAL_FLOATS = {"inf": math.inf, "infinity": math.inf, "nan": math.nan}
_BOOLS = {"true": True, "True": True, "t": True, "false": False, "False": False, "f": False}

# ---------------------------------------------------------------------------------------------
# Tokens

_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\n\f\v]+|\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<number>(?:0[xX][0-9a-fA-F]+|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?[fF]?)(?![\w.]))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[{}<>\[\]:,;/.\-])
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # string | number | ident | punct | end
    text: str
    offset: int


_SIMPLE_ESCAPES = {
    "a": b"\a", "b": b"\b", "f": b"\f", "n": b"\n", "r": b"\r", "t": b"\t", "v": b"\v",
    "\\": b"\\", "'": b"'", '"': b'"', "?": b"?",
}
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|[xX]([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.DOTALL)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(self._tokenize())
        self.index = 0

    # -- positions and errors

    def position(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def error(self, message: str, offset: int) -> TextProtoError:
        return TextProtoError(message, *self.position(offset))

    # -- tokens

    def _tokenize(self) -> Iterator[_Token]:
        offset, length = 0, len(self.text)
        while offset < length:
            match = _TOKEN.match(self.text, offset)
            if match is None:
                char = self.text[offset]
                if char in "\"'":
                    raise self.error("unterminated string literal", offset)
                raise self.error(f"unexpected character {char!r}", offset)
            kind = match.lastgroup
            if kind != "space":
                yield _Token(kind, match.group(), offset)
            offset = match.end()
        yield _Token("end", "", length)

    def peek(self, ahead: int = 0) -> _Token:
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def next(self) -> _Token:
        token = self.peek()
        self.index += 1
        return token

    def accept(self, text: str) -> bool:
        token = self.peek()
        if token.kind == "punct" and token.text == text:
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> _Token:
        token = self.peek()
        if token.kind == "punct" and token.text == text:
            self.index += 1
            return token
        found = token.text or "end of input"
        raise self.error(f"expected {text!r}, found {found!r}", token.offset)

    # -- grammar

    def message(self, close: str | None, start: int) -> Message:
        line, column = self.position(start)
        result = Message(line=line, column=column)
        while True:
            token = self.peek()
            if close is None and token.kind == "end":
                return result
            if close is not None and token.kind == "punct" and token.text == close:
                self.index += 1
                return result
            if token.kind == "end":
                raise self.error(f"expected {close!r} before end of input", token.offset)
            self.field(result)
            if not self.accept(","):
                self.accept(";")

    def field_name(self) -> FieldName:
        token = self.next()
        if token.kind == "ident":
            return token.text
        if token.kind == "punct" and token.text == "[":
            parts: list[str] = []
            while not self.accept("]"):
                part = self.next()
                if part.kind not in ("ident", "punct") or part.text in "[]{}<>:,;":
                    raise self.error("malformed extension or Any type name", part.offset)
                parts.append(part.text)
            name = "".join(parts)
            if not name:
                raise self.error("empty extension name", token.offset)
            return AnyName(name) if "/" in name else ExtensionName(name)
        raise self.error(f"expected a field name, found {token.text or 'end of input'!r}", token.offset)

    def field(self, target: Message) -> None:
        name = self.field_name()
        colon = self.accept(":")
        token = self.peek()
        if token.kind == "punct" and token.text in "{<":
            target.fields.append((name, self.submessage()))
        elif token.kind == "punct" and token.text == "[":
            self.index += 1
            if not self.accept("]"):
                while True:
                    item = self.peek()
                    if item.kind == "punct" and item.text in "{<":
                        target.fields.append((name, self.submessage()))
                    elif colon:
                        target.fields.append((name, self.scalar()))
                    else:
                        raise self.error("a scalar field needs ':' before its value", item.offset)
                    if self.accept("]"):
                        break
                    self.expect(",")
        elif colon:
            target.fields.append((name, self.scalar()))
        else:
            raise self.error(f"expected ':' or a message after field {name!r}", token.offset)

    def submessage(self) -> Message:
        token = self.next()
        return self.message("}" if token.text == "{" else ">", token.offset)

    def scalar(self) -> Scalar:
        token = self.peek()
        if token.kind == "string":
            raw = b""
            while self.peek().kind == "string":
                raw += self.string(self.next())
            return ProtoString(raw)
        negative = self.accept("-")
        token = self.next()
        if token.kind == "number":
            value = self.number(token)
            return -value if negative else value
        if token.kind == "ident":
            if negative:
                special = _SPECIAL_FLOATS.get(token.text.lower())
                if special is None:
                    raise self.error(f"'-' before a non-number {token.text!r}", token.offset)
                return -special
            return Identifier(token.text)
        raise self.error(f"expected a value, found {token.text or 'end of input'!r}", token.offset)

    def number(self, token: _Token) -> int | float:
        text = token.text
        if text[:2] in ("0x", "0X"):
            return int(text, 16)
        if re.fullmatch(r"\d+", text):
            if len(text) > 1 and text[0] == "0":
                if not re.fullmatch(r"[0-7]+", text):
                    raise self.error(f"invalid octal number {text!r}", token.offset)
                return int(text, 8)
            return int(text)
        return float(text.rstrip("fF"))

    def string(self, token: _Token) -> bytes:
        body = token.text[1:-1]
        out = bytearray()
        position = 0
        for match in _ESCAPE.finditer(body):
            out += body[position:match.start()].encode("utf-8")
            octal, hex2, hex4, hex8, other = match.groups()
            if octal is not None:
                out.append(int(octal, 8) & 0xFF)
            elif hex2 is not None:
                out.append(int(hex2, 16))
            elif hex4 is not None or hex8 is not None:
                code = int(hex4 or hex8, 16)
                if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                    raise self.error(f"invalid code point in {match.group()!r}", token.offset)
                out += chr(code).encode("utf-8")
            elif other in _SIMPLE_ESCAPES:
                out += _SIMPLE_ESCAPES[other]
            else:
                raise self.error(f"invalid escape {match.group()!r}", token.offset + 1 + match.start())
            position = match.end()
        out += body[position:].encode("utf-8")
        return bytes(out)


def parse(text: str) -> Message:
    """Parse a whole text-format document into its top-level `Message`."""
    reader = _Reader(text)
    return reader.message(None, 0)
