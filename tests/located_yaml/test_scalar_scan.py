"""The re-scan of each scalar style: every character of a loaded string maps back to the file."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.emitter import EmitterError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)

from hotfix_policy.engine.located_yaml import LoadedYaml, YamlError, load_yaml
from tests.located_yaml.scalar_assertions import assert_all_scalars_exact, assert_maps_exactly, pieces


def dump(value, width: int = 80) -> str:
    """ruamel's own rendering of value (its emitter rejects a few strings, e.g. BEL in `>`)."""
    yaml = YAML()
    yaml.width = width
    stream = io.StringIO()
    try:
        yaml.dump(value, stream)
    except EmitterError:
        assume(False)
    return stream.getvalue()


# ---------------------------------------------------------------------------------------------
# scalar styles, by hand
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value", "expected"), [
    ("k: a  b\n", "a  b", ["a", " ", " ", "b"]),
    ("k: one\n  two\n\n  three\n", "one two\nthree", list("one") + ["\n"] + list("two") + ["\n"] + list("three")),
    ("k: one\r\n  two\r\n", "one two", list("one") + ["\r\n"] + list("two")),
    ("k: 'it''s'\n", "it's", ["i", "t", "''", "s"]),
    ("k: 'a  \n   b'\n", "a b", ["a", "\n", "b"]),
    ("k: 'a\n\n\n  b'\n", "a\n\nb", ["a", "\n", "\n", "b"]),
    ('k: "\\x41\\u00e9\\U0001F600\\t\\n\\\\\\"\\/\\ \\_\\N\\L\\P\\0\\a\\b\\e\\f\\r\\v"\n',
     "Aé😀\t\n\\\"/ \xa0\x85\u2028\u2029\0\x07\x08\x1b\x0c\r\x0b",
     ["\\x41", "\\u00e9", "\\U0001F600", "\\t", "\\n", "\\\\", '\\"', "\\/", "\\ ", "\\_", "\\N",
      "\\L", "\\P", "\\0", "\\a", "\\b", "\\e", "\\f", "\\r", "\\v"]),
    ('k: "a  \\\n   b"\n', "a  b", ["a", " ", " ", "b"]),
    ('k: "a\\\n\n  b"\n', "a\nb", ["a", "\n", "b"]),
    ('k: "tab\there"\n', "tab\there", list("tab\there")),
    ('k: "a \t\n  b"\n', "a b", ["a", "\n", "b"]),
    ("k: |\n  line 1\n    more\n\n  end\n", "line 1\n  more\n\nend\n",
     list("line 1") + ["\n"] + list("  more") + ["\n", "\n"] + list("end") + ["\n"]),
    ("k: |-\n  a\n\n\n", "a", ["a"]),
    ("k: |+\n  a\n\n\nx: 1\n", "a\n\n\n", ["a", "\n", "\n", "\n"]),
    ("k: |2\n    indented\n  base\n", "  indented\nbase\n", list("  indented") + ["\n"] + list("base") + ["\n"]),
    ("k: >\n  a\n  b\n\n  c\n    more\n  d\n", "a b\nc\n  more\nd\n",
     ["a", "\n", "b", "\n", "c", "\n"] + list("  more") + ["\n", "d", "\n"]),
    ("k: >-\r\n  a\r\n  b\r\n", "a b", ["a", "\r\n", "b"]),
    ("k: |\n  tab\there\n", "tab\there\n", list("tab\there") + ["\n"]),
    ("- >2-\n   x\n  y\n", " x\ny", [" ", "x", "\n", "y"]),
    ("--- |\nfoo\nbar\n", "foo\nbar\n", ["f", "o", "o", "\n", "b", "a", "r", "\n"]),
    ("k: |  # comment\n  a\n", "a\n", ["a", "\n"]),
    ("k: [a b\n  c, 'd']\n", None, None),
    ("k: {x: one\n    two, y: \"q\"}\n", None, None),
    ("k: ''\n", "", []),
    ("k: \"\"\n", "", []),
    ("k: |\n\nx: 1\n", "", []),
])
def test_scalar_pieces(text, value, expected):
    loaded = load_yaml(text, "f.yaml")
    keys = (0,) if isinstance(loaded.data, list) else () if isinstance(loaded.data, str) else ("k",)
    if value is None:  # flow collections: every scalar inside
        assert_all_scalars_exact(loaded)
        return
    source = loaded.scalar(keys)
    assert source.value == value
    assert pieces(text, source) == expected
    assert_maps_exactly(text, source)


# ---------------------------------------------------------------------------------------------
# scalar styles, property-based
# ---------------------------------------------------------------------------------------------

STYLES = [PlainScalarString, SingleQuotedScalarString, DoubleQuotedScalarString,
          LiteralScalarString, FoldedScalarString]

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
friendly_texts = st.lists(st.sampled_from(list("ab c\n\t'\"\\#:-é😀") + ["  ", "\n\n", " \n"]),
                          max_size=30).map("".join)

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None,
                             suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def _load_or_skip(text: str) -> LoadedYaml:
    try:
        return load_yaml(text, "gen.yaml")
    except YamlError:
        assume(False)
        raise


@PROPERTY_SETTINGS
@given(value=st.one_of(texts, friendly_texts), style=st.sampled_from(STYLES),
       width=st.integers(8, 80), shape=st.sampled_from(["map", "nested", "seq", "flow"]))
def test_dumped_scalars_map_back(value, style, width, shape):
    scalar = style(value.replace("\a", ""))  # BEL is ruamel's internal fold marker: its emitter trips on it
    document = {
        "map": {"key": scalar},
        "nested": {"outer": {"rules": [{"expression": scalar, "id": "X001"}]}},
        "seq": [scalar, "after"],
        "flow": {"k": [scalar]},
    }[shape]
    text = dump(document, width)
    loaded = _load_or_skip(text)
    assert_all_scalars_exact(loaded)
    crlf = _load_or_skip(text.replace("\n", "\r\n"))
    assert_all_scalars_exact(crlf)


@PROPERTY_SETTINGS
@given(value=st.one_of(texts, friendly_texts))
def test_top_level_scalars_map_back(value):
    for style in STYLES:
        text = dump(style(value.replace("\a", "")))
        assert_all_scalars_exact(_load_or_skip(text))


ESCAPES = ["\\0", "\\a", "\\b", "\\t", "\\\t", "\\n", "\\v", "\\f", "\\r", "\\e", "\\ ", '\\"', "\\/",
           "\\\\", "\\N", "\\_", "\\L", "\\P"]


@st.composite
def double_quoted(draw):
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["char", "escape", "hex", "fold", "escaped_break", "spaces"]))
        if kind == "char":
            parts.append(draw(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                                            blacklist_characters='"\\\ufeff\x85')))
        elif kind == "escape":
            parts.append(draw(st.sampled_from(ESCAPES)))
        elif kind == "hex":
            code = draw(st.integers(0, 0x10FFFF).filter(lambda c: not 0xD800 <= c <= 0xDFFF))
            form = draw(st.sampled_from(["x", "u", "U"]).filter(
                lambda f: (f == "x" and code < 0x100) or (f == "u" and code < 0x10000) or f == "U"))
            digits = {"x": 2, "u": 4, "U": 8}[form]
            text = f"{code:0{digits}x}"
            parts.append("\\" + form + (text.upper() if draw(st.booleans()) else text))
        elif kind == "fold":
            parts.append(draw(st.sampled_from([" ", "\t", ""])) + draw(st.sampled_from(["\n", "\r\n"]))
                         * draw(st.integers(1, 3)) + "  " + draw(st.sampled_from(["", " ", "\t"])))
        elif kind == "escaped_break":
            parts.append("\\" + draw(st.sampled_from(["\n", "\r\n"])) + draw(st.sampled_from(["", "   ", "\t "])))
        else:
            parts.append(draw(st.sampled_from([" ", "  ", "\t", " \t "])))
    body = "".join(parts)
    return "key: \"" + body + "\"\nnext: 1\n"


@PROPERTY_SETTINGS
@given(double_quoted())
def test_hand_written_double_quoted(text):
    loaded = _load_or_skip(text)
    assert_all_scalars_exact(loaded)


@st.composite
def single_quoted(draw):
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["char", "quote", "fold", "spaces"]))
        if kind == "char":
            parts.append(draw(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                                            blacklist_characters="'\ufeff\x85")))
        elif kind == "quote":
            parts.append("''")
        elif kind == "fold":
            parts.append(draw(st.sampled_from([" ", "\t", ""])) + draw(st.sampled_from(["\n", "\r\n"]))
                         * draw(st.integers(1, 3)) + draw(st.sampled_from(["  ", " \t "])))
        else:
            parts.append(draw(st.sampled_from([" ", "  ", "\t"])))
    return "- '" + "".join(parts) + "'\n"


@PROPERTY_SETTINGS
@given(single_quoted())
def test_hand_written_single_quoted(text):
    assert_all_scalars_exact(_load_or_skip(text))


words = st.text(st.sampled_from(list("abcxyz-.é😀#:'\"\\") + ["\x85", "\u2028", "\ufeff"]),
                min_size=1, max_size=6).filter(
    lambda w: not w.startswith(("#", "-", ":", "'", '"')) and not w.endswith(":") and ": " not in w
    and " #" not in w)


@st.composite
def plain_multiline(draw):
    lines = draw(st.lists(st.lists(words, min_size=1, max_size=4), min_size=1, max_size=5))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    out = []
    for n, line in enumerate(lines):
        joined = draw(st.sampled_from([" ", "  "])).join(line)
        out.append(joined)
        if n < len(lines) - 1:
            out.append(draw(st.sampled_from(["", " ", "  "])) + newline * draw(st.integers(1, 3)))
            out.append("    " + draw(st.sampled_from(["", " ", "  "])))
    return "map:\n  key: " + "".join(out) + newline + "  next: 1" + newline


@PROPERTY_SETTINGS
@given(plain_multiline())
def test_hand_written_plain(text):
    assert_all_scalars_exact(_load_or_skip(text))


@st.composite
def block_scalar(draw):
    style = draw(st.sampled_from(["|", ">"]))
    chomp = draw(st.sampled_from(["", "-", "+"]))
    explicit = draw(st.sampled_from([None, 1, 2, 3]))
    header = style + (f"{explicit}{chomp}" if explicit and draw(st.booleans()) else
                      f"{chomp}{explicit or ''}")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    base = 4  # the value of `  key:` -> content indented by at least 3
    indent = base + (explicit - 1 if explicit else draw(st.integers(0, 2)))
    if explicit:
        indent = 2 + explicit  # parent indentation (2) + indicator
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["text", "text", "more", "empty", "spaces", "tab"]))
        if kind == "text":
            lines.append(" " * indent + draw(words) + draw(st.sampled_from(["", " x", "  y "])))
        elif kind == "more":
            lines.append(" " * (indent + draw(st.integers(1, 3))) + draw(words))
        elif kind == "tab":
            lines.append(" " * indent + "\t" + draw(words))
        elif kind == "empty":
            lines.append("")
        else:
            lines.append(" " * draw(st.integers(0, indent)))
    if explicit is None and lines and lines[0].strip() == "" and len(lines[0]) > indent:
        lines[0] = ""
    comment = draw(st.sampled_from(["", "  # note"]))
    trailing = newline * draw(st.integers(0, 2))
    body = "".join(line + newline for line in lines)
    return "map:\n  key: " + header + comment + newline + body + trailing + "  next: 1" + newline


@PROPERTY_SETTINGS
@given(block_scalar())
def test_hand_written_block_scalars(text):
    assert_all_scalars_exact(_load_or_skip(text))
