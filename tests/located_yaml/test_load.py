"""YAML loading: plain data, how scalars resolve, and every way a file is refused."""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.error import YAMLError

from hotfix_policy.engine.located_yaml import MAX_BYTES, MAX_DEPTH, YamlError, load_yaml, load_yaml_bytes
from tests.located_yaml.scalar_assertions import assert_all_scalars_exact


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
# scalar resolution is ruamel's
# ---------------------------------------------------------------------------------------------

RUAMEL = YAML(typ="safe", pure=True)
TIMESTAMP = "tag:yaml.org,2002:timestamp"


def with_underscores(digits: str, draw) -> str:
    spots = draw(st.sets(st.integers(1, max(1, len(digits) - 1)), max_size=2))
    return "".join(("_" if n in spots else "") + char for n, char in enumerate(digits))


@st.composite
def integers_in_any_base(draw):
    number = draw(st.integers(-10 ** 20, 10 ** 20))
    form = draw(st.sampled_from([str, hex, oct, bin]))
    sign, digits = ("-", form(-number)) if number < 0 else (draw(st.sampled_from(["", "+"])), form(number))
    prefix, digits = (digits[:2], digits[2:]) if form is not str else ("", digits)
    return sign + prefix + (with_underscores(digits, draw) if draw(st.booleans()) else digits)


number_like = st.lists(st.sampled_from(list("0123456789_.+-eEoxXbB") + [".inf", ".Inf", ".NAN", "inf", "nan"]),
                       min_size=1, max_size=8).map("".join)
words = st.sampled_from(["true", "True", "TRUE", "tRue", "false", "FALSE", "yes", "No", "on", "OFF", "y", "n",
                         "null", "Null", "NULL", "nUll", "~", "", "=", "<<x"])
timestamps = st.one_of(
    st.dates().map(date.isoformat),
    st.datetimes(timezones=st.just(None)).map(lambda t: t.isoformat(timespec="seconds") + "Z"),
    st.datetimes(timezones=st.just(None)).map(lambda t: t.strftime("%Y-%m-%d %H:%M:%S.%f")))
plain_scalars = st.one_of(integers_in_any_base(), st.floats().map(repr), number_like, words, timestamps)


@settings(max_examples=400, deadline=None, database=None)
@given(plain_scalars)
def test_plain_scalars_resolve_as_ruamel_resolves_them(text):
    document = f"k: {text}\n"
    try:
        tag = str(RUAMEL.compose(document).value[0][1].tag)
    except YAMLError:  # not a plain scalar in that place (`k: -`)
        assume(False)
        raise
    ours = load_yaml(document, "f.yaml").data["k"]
    try:
        theirs = RUAMEL.load(document)["k"]
    except (ValueError, ConstructorError):  # a tag its constructor refuses (`._`, `=`): text
        assert ours == text
        return
    if tag == TIMESTAMP:  # resolved as a timestamp, kept exactly as written
        assert isinstance(theirs, (date, datetime)) and ours == text
    elif isinstance(theirs, float) and math.isnan(theirs):
        assert isinstance(ours, float) and math.isnan(ours)
    else:
        assert type(ours) is type(theirs) and ours == theirs


@pytest.mark.parametrize(("text", "value"), [
    ("!!bool yes", True), ("!!float 1", 1.0), ("!!int '0x1F'", 31), ("!!str 1", "1"), ("!!null x", None),
    ("!!str 2026-12-15", "2026-12-15"), ("!!timestamp 2026-12-15", "2026-12-15"),
])
def test_explicit_core_tags_convert_as_ruamel_converts(text, value):
    ours = load_yaml(f"k: {text}\n", "f.yaml").data["k"]
    assert type(ours) is type(value) and ours == value


def test_explicit_tags_that_do_not_convert_are_errors_at_the_value():
    with pytest.raises(YamlError) as caught:
        load_yaml("a: 1\nb: !!float x.y\n", "k.yaml")
    assert str(caught.value) == "k.yaml:2:4: 'x.y' is not a valid float"
    with pytest.raises(YamlError, match="'_' is not a valid int"):
        load_yaml("b: !!int _\n", "k.yaml")


def test_a_yaml_1_1_file_gets_1_1_resolution_whole(recwarn):
    assert load_yaml("%YAML 1.1\n---\na: yes\nb: 017\nc: 1:30\nd: 2026-12-15\ne: 1e3\n", "f.yaml").data == {
        "a": True, "b": 15, "c": 90, "d": "2026-12-15", "e": 1000.0}
    assert not recwarn.list  # ruamel's warning about `1e3` in a 1.1 file is not the user's problem
    assert load_yaml("a: yes\nb: 017\nc: 1:30\n", "f.yaml").data == {"a": "yes", "b": 17, "c": "1:30"}


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
