"""The protobuf text-format reader on small inputs, and on the whole conformance data."""

from __future__ import annotations

import math

import pytest

import cel_conformance
import textproto
from textproto import AnyName, ExtensionName, Identifier, Message, ProtoString, TextProtoError


def test_scalar_fields_keep_their_kinds():
    message = textproto.parse('name: "basic" count: 42 ratio: 1.5 kind: INT64 flag: true')
    assert message.get("name") == "basic" and isinstance(message.get("name"), ProtoString)
    assert message.get("count") == 42 and type(message.get("count")) is int
    assert message.get("ratio") == 1.5
    assert message.get("kind") == Identifier("INT64") and isinstance(message.get("kind"), Identifier)
    assert textproto.to_bool(message.get("flag")) is True


def test_messages_with_and_without_colon_and_angle_brackets():
    message = textproto.parse("a { x: 1 } b: { x: 2 } c < x: 3 > d: < x: 4 >")
    assert [message.get(name).get("x") for name in "abcd"] == [1, 2, 3, 4]


def test_repeated_fields_by_repetition_and_by_list():
    message = textproto.parse("v: 1 v: 2 v: [3, 4] m [{x: 5}, <x: 6>] empty: []")
    assert message.get_all("v") == [1, 2, 3, 4]
    assert [item.get("x") for item in message.get_all("m")] == [5, 6]
    assert message.get("v") == 4  # a singular read takes the last value
    assert "empty" not in message and message.get_all("empty") == []


def test_separators_and_comments():
    message = textproto.parse("# header\na: 1, b: 2; c { d: 'x' } # trailing\n# end")
    assert message.names() == ["a", "b", "c"]
    assert message.get("c").get("d") == "x"


def test_hash_inside_a_string_is_not_a_comment():
    assert textproto.parse('s: "a # b"').get("s") == "a # b"


@pytest.mark.parametrize(
    "literal, raw",
    [
        (r'"plain"', b"plain"),
        (r"'single'", b"single"),
        (r'"\a\b\f\n\r\t\v\\\'\"\?"', b"\a\b\f\n\r\t\v\\'\"?"),
        (r'"\0\12\101\377"', b"\x00\n\x41\xff"),
        (r'"\1234"', b"S4"),  # octal takes at most three digits
        (r'"\x41\x7"', b"A\x07"),
        (r'"\u00e9\U0001F600"', "é😀".encode()),
        (r'"\303\277"', b"\xc3\xbf"),
        ('"flambé"', "flambé".encode()),
        (r"""'it''s' "a" 'b'""", b"itsab"),  # adjacent literals concatenate
    ],
)
def test_string_escapes(literal, raw):
    value = textproto.parse(f"s: {literal}").get("s")
    assert value.raw == raw
    assert str(value) == raw.decode("utf-8", errors="surrogateescape")


def test_invalid_utf8_bytes_survive_in_raw():
    value = textproto.parse(r's: "\000\377"').get("s")
    assert value.raw == b"\x00\xff"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", 0), ("-7", -7), ("0x1F", 31), ("017", 15), ("18446744073709551615", 2**64 - 1),
        ("-9223372036854775808", -(2**63)), ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0),
        ("-2.3e+1", -23.0), ("2f", 2.0), ("1.5F", 1.5),
    ],
)
def test_numbers(text, expected):
    value = textproto.parse(f"n: {text}").get("n")
    assert value == expected and type(value) is type(expected)


def test_special_floats():
    message = textproto.parse("a: inf b: -inf c: nan d: Infinity e: -Infinity f: 3")
    assert textproto.to_float(message.get("a")) == math.inf
    assert message.get("b") == -math.inf
    assert math.isnan(textproto.to_float(message.get("c")))
    assert textproto.to_float(message.get("d")) == math.inf
    assert message.get("e") == -math.inf
    assert textproto.to_float(message.get("f")) == 3.0
    with pytest.raises(ValueError):
        textproto.to_float(Identifier("NULL_VALUE"))


def test_any_expansion_and_extension_names_are_marked():
    message = textproto.parse(
        "object_value { [type.googleapis.com/google.protobuf.Duration] { seconds: 123 nanos: 5 } }"
        " [pkg.ext]: 7"
    )
    any_value = message.get("object_value")
    type_name, body = any_value.any_expansion()
    assert type_name == "google.protobuf.Duration"
    assert (body.get("seconds"), body.get("nanos")) == (123, 5)
    key = any_value.fields[0][0]
    assert isinstance(key, AnyName) and key.url == "type.googleapis.com/google.protobuf.Duration"
    assert message.get(ExtensionName("pkg.ext")) == 7


def test_positions_of_messages():
    message = textproto.parse("a: 1\n  b {\n  }")
    assert (message.get("b").line, message.get("b").column) == (2, 5)


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("a: ", 1, 4),
        ("a { b: 1", 1, 9),
        ("a: 'unterminated", 1, 4),
        ("a: '\\q'", 1, 5),
        ("a 1", 1, 3),
        ("a: -foo", 1, 5),
        ("a: 1 }", 1, 6),
        ("a: 09", 1, 4),
        ("\n  a: @", 2, 6),
        ("a: 'line\nbreak'", 1, 4),
    ],
)
def test_errors_carry_positions(text, line, column):
    with pytest.raises(TextProtoError) as info:
        textproto.parse(text)
    assert (info.value.line, info.value.column) == (line, column)


def test_message_helpers():
    message = Message()
    assert message.get("missing", "default") == "default"
    assert message.any_expansion() is None


def test_every_conformance_file_parses():
    if cel_conformance.MISSING_DATA:
        pytest.skip(cel_conformance.MISSING_DATA)
    files = cel_conformance.conformance_files()
    assert set(cel_conformance.REQUIRED_FILES) <= set(files)
    for name in files:
        document = textproto.parse((cel_conformance.CONFORMANCE_DIR / f"{name}.textproto").read_text())
        tests = [test for section in document.get_all("section") for test in section.get_all("test")]
        assert tests, name
        assert all(isinstance(test.get("expr"), str) for test in tests), name
