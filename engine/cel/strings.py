"""Decoding of string and bytes literals: quotes, prefixes and the spec's escape sequences."""

from __future__ import annotations

import re

_SIMPLE_ESCAPES = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
    "\\": "\\", "?": "?", '"': '"', "'": "'", "`": "`",
}
_ESCAPE = re.compile(
    r"\\(?:(?P<simple>[abfnrtv\\?\"'`])|[xX](?P<hex>[0-9a-fA-F]{2})|u(?P<u4>[0-9a-fA-F]{4})"
    r"|U(?P<u8>[0-9a-fA-F]{8})|(?P<oct>[0-3][0-7]{2})|(?P<bad>[\s\S]?))"
)


class LiteralError(ValueError):
    """An invalid escape or code point; the parser turns it into a CelSyntaxError."""


def decode_literal(token: str) -> str | bytes:
    """The value of a string or bytes literal token exactly as written in an expression."""
    prefix_length = 0
    while token[prefix_length] not in "'\"":
        prefix_length += 1
    prefix = token[:prefix_length].lower()
    body = token[prefix_length:]
    quote = body[:3] if body[:3] in ("'''", '"""') else body[0]
    body = body[len(quote):-len(quote)]
    is_bytes = "b" in prefix
    if "r" in prefix:
        return body.encode("utf-8") if is_bytes else body
    return _unescape_bytes(body) if is_bytes else _unescape_text(body)


def _unescape_text(body: str) -> str:
    if "\\" not in body:
        return body

    def replace(match: re.Match) -> str:
        groups = match.groupdict()
        if groups["simple"] is not None:
            return _SIMPLE_ESCAPES[groups["simple"]]
        if groups["bad"] is not None:
            raise LiteralError(f"invalid escape sequence '\\{groups['bad']}'")
        digits, base = next((groups[k], 8 if k == "oct" else 16) for k in ("hex", "u4", "u8", "oct") if groups[k])
        code = int(digits, base)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise LiteralError(f"invalid code point \\{match.group(0)[1:]}")
        return chr(code)

    return _ESCAPE.sub(replace, body)


def _unescape_bytes(body: str) -> bytes:
    out = bytearray()
    position = 0
    for match in _ESCAPE.finditer(body):
        out += body[position:match.start()].encode("utf-8")
        position = match.end()
        groups = match.groupdict()
        if groups["hex"] is not None or groups["oct"] is not None:
            out.append(int(groups["hex"], 16) if groups["hex"] else int(groups["oct"], 8))
        else:
            out += _unescape_text(match.group(0)).encode("utf-8")
    out += body[position:].encode("utf-8")
    return bytes(out)


def quote_string(value: str) -> str:
    """A double-quoted literal that decodes back to value."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def quote_bytes(value: bytes) -> str:
    """A bytes literal that decodes back to value."""
    out = ['b"']
    for byte in value:
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{byte:02x}")
    out.append('"')
    return "".join(out)
