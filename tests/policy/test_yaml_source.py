"""YAML loading with positions: data, key/value spans, the scalar character mapping, errors."""

from __future__ import annotations

import io
from functools import lru_cache

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

from hotfix_policy.engine.policy.yaml_source import (
    MAX_BYTES,
    MAX_DEPTH,
    LoadedYaml,
    ScalarSource,
    YamlError,
    load_yaml,
    load_yaml_bytes,
)

BREAKS = {"\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"}


@lru_cache(maxsize=None)
def _escape_value(piece: str) -> str | None:
    """What a double-quoted escape sequence means, asked of ruamel itself."""
    try:
        return YAML(typ="safe", pure=True).load('"' + piece + '"')
    except Exception:  # noqa: BLE001
        return None


def assert_maps_exactly(text: str, source: ScalarSource) -> None:
    """Every character of the value comes from its own piece of the file, in order."""
    assert source.exact, f"re-scan failed for {text!r}"
    previous_end = -1
    for i, char in enumerate(source.value):
        span = source.span(i, i + 1)
        piece = text[span.start:span.end]
        assert span.start >= previous_end, (i, char, text)
        previous_end = span.end
        if piece == char:
            continue
        if piece == "''" and char == "'":
            continue
        if piece in BREAKS and char in (" ", "\n", "\u2028", "\u2029"):
            continue
        assert piece.startswith("\\"), (i, char, piece, text)
        assert _escape_value(piece) == char, (i, char, piece, text)
    # a range maps to the union of its characters
    if source.value:
        whole = source.span(0, len(source.value))
        assert whole.start == source.span(0, 1).start
        assert whole.end == source.span(len(source.value) - 1, len(source.value)).end


def assert_all_scalars_exact(loaded: LoadedYaml) -> None:
    def walk(value, keys):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, keys + (key,))
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, keys + (n,))
        elif isinstance(value, str):
            source = loaded.scalar(keys)
            assert source is not None and source.value == value
            assert_maps_exactly(loaded.text, source)

    walk(loaded.data, ())


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


def pieces(text: str, source: ScalarSource) -> list[str]:
    return [source.span(i, i + 1).slice(text) for i in range(len(source.value))]


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------

def test_plain_data_types():
    loaded = load_yaml(
        "s: text\ni: 42\nh: 0x1F\no: 0o17\nneg: -3\nf: 1.5\ninf: -.inf\nb: true\nB: False\n"
        "n: null\ntilde: ~\nempty:\nyes_is_text: yes\noff_is_text: off\n"
        "date: 2026-12-15\nwhen: 2026-11-26T12:00:00Z\nlist: [1, a]\nnested: {k: [x]}\n", "f.yaml")
    assert loaded.data == {
        "s": "text", "i": 42, "h": 31, "o": 15, "neg": -3, "f": 1.5, "inf": float("-inf"),
        "b": True, "B": False, "n": None, "tilde": None, "empty": None,
        "yes_is_text": "yes", "off_is_text": "off",
        "date": "2026-12-15", "when": "2026-11-26T12:00:00Z",
        "list": [1, "a"], "nested": {"k": ["x"]},
    }
    assert type(loaded.data["i"]) is int and type(loaded.data["b"]) is bool
    assert type(loaded.data["s"]) is str


def test_pattern_only_scalars_that_do_not_convert_stay_text():
    assert load_yaml("a: _\nb: =\nc: 017\nd: ._\n", "f.yaml").data == {"a": "_", "b": "=", "c": 17, "d": "._"}


def test_reused_anchor_is_silent_and_later_wins(recwarn):
    assert load_yaml("a: &x 1\nb: &x 2\nc: *x\n", "f.yaml").data == {"a": 1, "b": 2, "c": 2}
    assert not recwarn.list


def test_non_string_keys_become_their_text():
    loaded = load_yaml("2041: a\ntrue: b\n1.50: c\n", "f.yaml")
    assert loaded.data == {"2041": "a", "true": "b", "1.50": "c"}
    assert loaded.key_span(("2041",)).slice(loaded.text) == "2041"


def test_empty_and_comment_only_files_are_none():
    assert load_yaml("", "f.yaml").data is None
    loaded = load_yaml("# nothing here\n\n", "f.yaml")
    assert loaded.data is None
    assert loaded.span_of(("a", "b")) == (0, 0, 1, 1, 1, 1)


def test_anchors_aliases_and_merge_keys():
    text = "base: &b {severity: error, id: X001}\nrule:\n  <<: *b\n  id: PR001\nother: *b\n"
    loaded = load_yaml(text, "f.yaml")
    assert loaded.data["rule"] == {"id": "PR001", "severity": "error"}
    assert loaded.data["other"] == {"severity": "error", "id": "X001"}
    # explicit keys win; merged values point at the anchored source
    assert loaded.value_span(("rule", "id")).slice(text) == "PR001"
    assert loaded.value_span(("rule", "severity")).line == 1


def test_bom_is_dropped():
    loaded = load_yaml("\ufeffa: 1\n", "f.yaml")
    assert loaded.data == {"a": 1}
    assert loaded.key_span(("a",)).column == 1


# ---------------------------------------------------------------------------------------------
# key and value spans
# ---------------------------------------------------------------------------------------------

POLICY = """\
apiVersion: policy/v1
kind: Policy
spec:
  rules:
    - id: PR006
      severity: "error"
      expression: >-
        doc.a &&
        doc.b
    - {id: PR007, tags: [a, b]}
"""


def test_key_and_value_spans():
    loaded = load_yaml(POLICY, "p.yaml")
    span = loaded.key_span(("spec", "rules", 0, "severity"))
    assert (span.line, span.column, span.end_line, span.end_column) == (6, 7, 6, 15)
    value = loaded.value_span(("spec", "rules", 0, "severity"))
    assert value.slice(POLICY) == '"error"'
    assert (value.line, value.column) == (6, 17)
    assert loaded.value_span(("spec", "rules", 0, "expression")).slice(POLICY) == ">-\n        doc.a &&\n        doc.b"
    assert loaded.value_span(("spec", "rules", 1)).slice(POLICY) == "{id: PR007, tags: [a, b]}"
    assert loaded.value_span(("spec", "rules", 1, "tags", 1)).slice(POLICY) == "b"
    assert loaded.key_span(("spec", "rules", 1)) is None  # list items have no key
    block = loaded.value_span(("spec", "rules", 0))
    assert block.slice(POLICY).startswith("id: PR006") and block.slice(POLICY).endswith("doc.b")
    assert loaded.value_span(("spec",)).slice(POLICY).endswith("tags: [a, b]}")


def test_span_of_falls_back():
    loaded = load_yaml("a:\n  b:\n  c: 1\n", "f.yaml")
    assert loaded.span_of(("a", "b")).slice(loaded.text) == "b"  # empty value -> its key
    assert loaded.span_of(("a", "c")).slice(loaded.text) == "1"
    assert loaded.span_of(("a", "zzz", 3)).slice(loaded.text).startswith("b:")  # ancestor
    assert loaded.span_of(("nope",)).start == 0


def test_spans_with_anchor_and_tag_skip_the_properties():
    text = "a: &x !!str  hello\nb: !!str |\n  text\n"
    loaded = load_yaml(text, "f.yaml")
    assert loaded.value_span(("a",)).slice(text) == "hello"
    assert loaded.value_span(("b",)).slice(text) == "|\n  text"
    assert pieces(text, loaded.scalar(("b",))) == ["t", "e", "x", "t", "\n"]


def test_columns_count_code_points():
    text = "é😀: {k: \"😀x\"}\n"
    loaded = load_yaml(text, "f.yaml")
    span = loaded.scalar(("é😀", "k")).span(1, 2)
    assert span.slice(text) == "x"
    assert (span.line, span.column) == (1, 11)  # é 😀 : sp { k : sp " 😀 -> x is the 11th


def test_scalar_only_for_strings():
    loaded = load_yaml("a: 1\nb: [x]\nc: text\n", "f.yaml")
    assert loaded.scalar(("a",)) is None
    assert loaded.scalar(("b",)) is None
    assert loaded.scalar(("missing",)) is None
    assert loaded.scalar(("c",)).value == "text"


def test_key_paths_in_file_order():
    loaded = load_yaml("m: {b: 1, a: 2}\n", "f.yaml")
    assert loaded.key_paths(("m",)) == [("m", "b"), ("m", "a")]


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


def test_span_of_a_cel_error_inside_a_folded_expression():
    text = "rules:\n  - expression: >-\n      doc.a &&\n      doc.severty == 'x'\n"
    source = load_yaml(text, "p.yaml").scalar(("rules", 0, "expression"))
    assert source.value == "doc.a && doc.severty == 'x'"
    start = source.value.index("severty")
    span = source.span(start, start + len("severty"))
    assert (span.line, span.column, span.end_line, span.end_column) == (4, 11, 4, 18)
    assert source.span_at(1, start + 1).column == 11
    # empty ranges and the end of the value
    assert source.span(3, 3).start == source.span(3, 4).start
    assert source.span(len(source.value), len(source.value)).start == span.end + len(" == 'x'")


def test_span_at_lines_of_a_literal_expression():
    text = "e: |\n  a +\n    b.c\n"
    source = load_yaml(text, "p.yaml").scalar(("e",))
    span = source.span_at(2, 3, 2, 6)
    assert span.slice(text) == "b.c"
    assert (span.line, span.column) == (3, 5)


def test_fallback_when_rescan_cannot_match():
    text = "k: value\n"
    loaded = load_yaml(text, "f.yaml")
    entry = loaded._index[("k",)]
    entry.node.value = "something else"  # simulate a disagreement with ruamel
    loaded._cache.clear()
    loaded.data["k"] = "something else"
    source = loaded.scalar(("k",))
    assert not source.exact
    assert source.span(2, 4).slice(text) == "value"
    assert source.span(2, 4).column == 4


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


# ---------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------

def test_syntax_error_has_position():
    with pytest.raises(YamlError) as caught:
        load_yaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")
    error = caught.value
    assert error.span is not None and error.path == "bad.yaml"
    assert str(error).startswith("bad.yaml:")
    assert "invalid YAML" in error.message


def test_mapping_value_error_position():
    with pytest.raises(YamlError) as caught:
        load_yaml("key: value\n  bad: x\n", "bad.yaml")
    assert (caught.value.line, caught.value.column) == (2, 6)
    assert str(caught.value) == "bad.yaml:2:6: invalid YAML: mapping values are not allowed here"


def test_tab_indentation_error():
    with pytest.raises(YamlError) as caught:
        load_yaml("a:\n\tb: 1\n", "t.yaml")
    assert caught.value.line == 2


def test_duplicate_key_at_the_second_key():
    text = "spec:\n  rules: []\n  match: x\n  rules: [1]\n"
    with pytest.raises(YamlError) as caught:
        load_yaml(text, "d.yaml")
    error = caught.value
    assert (error.line, error.column) == (4, 3)
    assert error.span.slice(text) == "rules"
    assert error.message == "duplicate key 'rules' (first defined at line 2, column 3)"
    assert str(error) == "d.yaml:4:3: duplicate key 'rules' (first defined at line 2, column 3)"


def test_duplicate_key_in_flow_mapping_and_by_converted_key():
    with pytest.raises(YamlError, match="duplicate key 'a'"):
        load_yaml("{a: 1, b: 2, a: 3}\n", "d.yaml")
    with pytest.raises(YamlError, match="duplicate key '1'"):
        load_yaml("1: a\n'1': b\n", "d.yaml")


def test_multiple_documents_rejected():
    with pytest.raises(YamlError) as caught:
        load_yaml("a: 1\n---\nb: 2\n", "m.yaml")
    assert caught.value.line == 2 and "one YAML document" in caught.value.message
    assert load_yaml("---\na: 1\n...\n", "m.yaml").data == {"a": 1}


def test_complex_keys_and_unknown_tags_rejected():
    with pytest.raises(YamlError, match="a key must be"):
        load_yaml("? [a, b]\n: 1\n", "k.yaml")
    with pytest.raises(YamlError, match="unsupported tag"):
        load_yaml("a: !custom x\n", "k.yaml")
    with pytest.raises(YamlError, match="not a valid int"):
        load_yaml("a: !!int abc\n", "k.yaml")


def test_control_characters_rejected_with_position():
    with pytest.raises(YamlError) as caught:
        load_yaml("a: b\x01c\n", "c.yaml")
    assert (caught.value.line, caught.value.column) == (1, 5)
    assert "U+0001" in caught.value.message


def test_size_limit():
    with pytest.raises(YamlError, match="too large"):
        load_yaml("a" * (MAX_BYTES + 1), "big.yaml")
    with pytest.raises(YamlError, match="too large"):
        load_yaml_bytes(b"a" * (MAX_BYTES + 1), "big.yaml")


def test_depth_limit_flow_and_block():
    with pytest.raises(YamlError, match="nested"):
        load_yaml("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "deep.yaml")
    with pytest.raises(YamlError, match="nested"):
        load_yaml("[" * 5000 + "]" * 5000, "deep.yaml")
    block = "".join("  " * n + f"k{n}:\n" for n in range(MAX_DEPTH + 3)) + "  " * (MAX_DEPTH + 3) + "v\n"
    with pytest.raises(YamlError, match="nested"):
        load_yaml(block, "deep.yaml")
    ok = "".join("  " * n + f"k{n}:\n" for n in range(20)) + "  " * 20 + "v\n"
    assert load_yaml(ok, "ok.yaml").data is not None


def test_alias_expansion_limit():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        refs = ", ".join([f"*a{n - 1}"] * 10)
        lines.append(f"a{n}: &a{n} [{refs}]")
    with pytest.raises(YamlError, match="too many values"):
        load_yaml("\n".join(lines) + "\n", "laughs.yaml")


def test_bytes_invalid_utf8_with_offset():
    with pytest.raises(YamlError) as caught:
        load_yaml_bytes("a: é\nb: ".encode() + b"\xff\xfe\n", "u.yaml")
    error = caught.value
    assert error.message == "not valid UTF-8: byte 0xFF at byte offset 9"
    assert (error.line, error.column) == (2, 4)
    with pytest.raises(YamlError, match="UTF-16"):
        load_yaml_bytes("a: 1".encode("utf-16"), "u.yaml")
    with pytest.raises(YamlError, match="binary"):
        load_yaml_bytes(b"\x00\x01\x02\xff", "u.yaml")


def test_bytes_valid_with_bom():
    loaded = load_yaml_bytes(b"\xef\xbb\xbfa: 'x'\n", "u.yaml")
    assert loaded.data == {"a": "x"} and loaded.text == "a: 'x'\n"


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(list("ab:-[]{},'\"|>&*!#? \n\t\\%@`") + ["\r\n", "  "]),
                max_size=50).map("".join))
def test_arbitrary_text_loads_or_raises_yaml_error(text):
    try:
        loaded = load_yaml(text, "fuzz.yaml")
    except YamlError as error:
        assert str(error).startswith("fuzz.yaml:")
        return
    assert_all_scalars_exact(loaded)
