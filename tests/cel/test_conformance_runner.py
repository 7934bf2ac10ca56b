"""The conformance runner itself: value and type conversion, scope decisions, strict comparison
and outcomes, checked against a stand-in engine so a runner bug cannot pass for an engine bug."""

from __future__ import annotations

import datetime as dt
import math
import types

import pytest

import cel_conformance as conformance
import textproto


class FakeUInt(int):
    pass


class FakeCelType:
    def __init__(self, name):
        self.name = name


class FakeError(Exception):
    pass


def fake_engine(result=None, error=None):
    """An `engine.cel` stand-in whose programs return `result` or raise `error`."""
    calls = []

    class Program:
        def evaluate(self, bindings):
            calls.append(bindings)
            if error is not None:
                raise error
            return result

    def compile(expr, declarations=None):
        calls.append((expr, declarations))
        return Program()

    module = types.SimpleNamespace(
        compile=compile, CelError=FakeError, UInt=FakeUInt, CelType=FakeCelType, calls=calls
    )
    return module


@pytest.fixture
def engine(monkeypatch):
    def install(**kwargs):
        module = fake_engine(**kwargs)
        monkeypatch.setattr(conformance, "engine_module", lambda: module)
        return module

    return install


def value(text):
    return conformance.convert_value(textproto.parse(text))


def case(text, file="f", section="s"):
    return conformance.make_case(file, section, textproto.parse(text))


def test_scalar_values(engine):
    engine()
    assert value("int64_value: -3") == -3
    uint = value("uint64_value: 18446744073709551615")
    assert isinstance(uint, FakeUInt) and uint == 2**64 - 1
    assert value("double_value: 2") == 2.0 and type(value("double_value: 2")) is float
    assert value("double_value: -inf") == -math.inf
    assert math.isnan(value("double_value: nan"))
    assert value("double_value: Infinity") == math.inf
    assert value('string_value: "\\303\\251"') == "é"
    assert value('bytes_value: "\\000\\377"') == b"\x00\xff"
    assert value("bool_value: true") is True
    assert value("null_value: NULL_VALUE") is None
    assert value("null_value: 0") is None
    assert value('type_value: "google.protobuf.Timestamp"') == conformance.ExpectedType(
        "google.protobuf.Timestamp"
    )


def test_list_and_map_values(engine):
    engine()
    assert value("list_value {}") == []
    assert value("list_value { values { int64_value: 1 } values { string_value: 'a' } }") == [1, "a"]
    mapping = value(
        "map_value { entries { key { string_value: 'k' } value { list_value { values { bool_value: false } } } }"
        " entries { key { uint64_value: 2 } value { null_value: NULL_VALUE } } }"
    )
    assert mapping == {"k": [False], 2: None}
    assert any(isinstance(key, FakeUInt) for key in mapping)


def test_timestamp_and_duration_objects():
    stamp = value(
        "object_value { [type.googleapis.com/google.protobuf.Timestamp] { seconds: 1234567890 nanos: 5000 } }"
    )
    assert stamp == dt.datetime(2009, 2, 13, 23, 31, 30, 5, tzinfo=dt.timezone.utc)
    duration = value("object_value { [type.googleapis.com/google.protobuf.Duration] { seconds: -1 } }")
    assert duration == dt.timedelta(seconds=-1)
    nanos = value("object_value { [type.googleapis.com/google.protobuf.Duration] { seconds: 1 nanos: 7 } }")
    assert isinstance(nanos, conformance.Unrepresentable)
    with pytest.raises(conformance.Unsupported, match="TestAllTypes"):
        value("object_value { [type.googleapis.com/cel.expr.conformance.proto3.TestAllTypes] {} }")


@pytest.mark.parametrize(
    "text, declaration",
    [
        ("primitive: INT64", "int"),
        ("primitive: UINT64", "uint"),
        ("primitive: BYTES", "bytes"),
        ("well_known: TIMESTAMP", "timestamp"),
        ("well_known: DURATION", "duration"),
        ("dyn {}", "dyn"),
        ("null: NULL_VALUE", "null_type"),
        ("list_type { elem_type { primitive: STRING } }", "list(string)"),
        (
            "map_type { key_type { primitive: STRING } value_type { list_type { elem_type { dyn {} } } } }",
            "map(string, list(dyn))",
        ),
    ],
)
def test_declaration_types(text, declaration):
    assert conformance.convert_type(textproto.parse(text)) == declaration


@pytest.mark.parametrize("text", ["message_type: 'x.Y'", "wrapper: INT64", "abstract_type { name: 'x' }"])
def test_unsupported_declaration_types(text):
    with pytest.raises(conformance.Unsupported):
        conformance.convert_type(textproto.parse(text))


def test_case_with_declarations_and_bindings(engine):
    engine()
    built = case(
        "name: 'n' expr: 'x + y' type_env { name: 'x' ident { type { primitive: INT64 } } }"
        " type_env: { name: 'y', ident: { type: { primitive: UINT64 } } }"
        " bindings { key: 'x' value { value { int64_value: 1 } } }"
        " bindings: { key: 'y' value: { value: { uint64_value: 2 } } }"
        " value: { int64_value: 3 }"
    )
    assert built.id == "f/s/n" and built.skip is None
    assert built.declarations == {"x": "int", "y": "uint"}
    assert built.bindings == {"x": 1, "y": 2} and isinstance(built.bindings["y"], FakeUInt)
    assert built.expected == conformance.ExpectValue(3)


def test_disable_check_means_dynamic_declarations():
    built = case("name: 'n' expr: 'x' disable_check: true eval_error { errors { message: 'no x' } }")
    assert built.declarations is None
    assert built.expected == conformance.ExpectError(("no x",))


def test_checked_case_without_type_env_declares_nothing():
    assert case("name: 'n' expr: '1'").declarations == {}
    assert case("name: 'n' expr: '1'").expected == conformance.ExpectValue(True)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("expr: 'TestAllTypes{}.single_int64 == 0'", "protobuf messages"),
        ("expr: 'google.protobuf.Int32Value{value: 1} == 1'", "protobuf messages"),
        ("expr: 'x' container: 'cel.expr.conformance.proto3'", "containers"),
        ("expr: 'optional.of(1).hasValue()'", "optional"),
        ("expr: \"{'a': 1}.?a\"", "optional"),
        ("expr: '1' check_only: true", "check_only"),
        ("expr: '1' typed_result { deduced_type { primitive: INT64 } }", "type-checker"),
        ("expr: 'x' any_unknowns {}", "unknown"),
        ("expr: 'x' type_env { name: 'x' ident { type { message_type: 'a.B' } } }", "protobuf"),
        ("expr: 'f(1)' type_env { name: 'f' function {} }", "custom functions"),
        ("expr: 'x' bindings { key: 'x' value { unknown {} } }", "error or unknown"),
        ("expr: '1' value { enum_value { type: 'E' value: 1 } }", "enums"),
    ],
)
def test_out_of_scope_cases_are_skipped_with_a_reason(text, reason):
    built = case("name: 'n' " + text)
    assert built.skip and reason in built.skip


@pytest.mark.parametrize(
    "expr",
    [
        "'key' in {'key': 1}",
        "{'TestAllTypes{': 1}.size() == 1",
        "google.protobuf.Timestamp == type(timestamp('2009-02-13T23:31:30Z'))",
        "true ?b : c",
    ],
)
def test_plain_cel_is_in_scope(expr):
    assert case(f"name: 'n' expr: {expr!r}").skip is None


def test_typed_result_with_a_value_compares_the_value():
    built = case("name: 'n' expr: '1' typed_result { result { int64_value: 1 } deduced_type {} }")
    assert built.skip is None and built.expected == conformance.ExpectValue(1)


@pytest.mark.parametrize(
    "expected, actual, equal",
    [
        (True, True, True),
        (True, 1, False),
        (1, True, False),
        (1, 1.0, False),
        (1, FakeUInt(1), False),
        (FakeUInt(1), 1, False),
        (FakeUInt(1), FakeUInt(1), True),
        (math.nan, math.nan, True),
        (math.nan, 1.0, False),
        (0.0, -0.0, True),
        ("a", b"a", False),
        (b"a", b"a", True),
        (None, None, True),
        (None, 0, False),
        ([1, [2.0]], [1, [2.0]], True),
        ([1], [1.0], False),
        ([1], (1,), False),
        ({1: "a"}, {1: "a"}, True),
        ({1: "a"}, {1.0: "a"}, False),
        ({1: "a"}, {True: "a"}, False),
        ({FakeUInt(1): "a"}, {1: "a"}, False),
        ({"k": 1}, {"k": 1, "j": 2}, False),
        (dt.timedelta(seconds=1), dt.timedelta(seconds=1), True),
        (
            dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
            dt.datetime(2020, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            True,
        ),
        (dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2020, 1, 1), False),
        (conformance.Unrepresentable("x"), 1, False),
    ],
)
def test_strict_equal(engine, expected, actual, equal):
    engine()
    assert conformance.strict_equal(expected, actual) is equal


def test_strict_equal_types(engine):
    engine()
    expected = conformance.ExpectedType("int")
    assert conformance.strict_equal(expected, FakeCelType("int"))
    assert not conformance.strict_equal(expected, FakeCelType("uint"))
    assert not conformance.strict_equal(expected, "int")


def test_run_case_outcomes(engine):
    value_case = case("name: 'n' expr: 'x' value { int64_value: 1 }")
    error_case = case("name: 'n' expr: 'x' eval_error { errors { message: 'boom' } }")

    fake = engine(result=1)
    assert conformance.run_case(value_case).status == "passed"
    assert fake.calls == [("x", {}), {}]
    assert conformance.run_case(error_case).status == "failed"

    engine(result=1.0)
    outcome = conformance.run_case(value_case)
    assert outcome.status == "failed" and "1.0 (float)" in outcome.detail

    engine(error=FakeError("bad"))
    assert conformance.run_case(error_case).status == "passed"
    assert "raised FakeError: bad" in conformance.run_case(value_case).detail

    engine(error=ZeroDivisionError("oops"))
    outcome = conformance.run_case(error_case)
    assert outcome.status == "failed" and "non-CelError ZeroDivisionError" in outcome.detail

    engine(error=RecursionError())
    assert "RecursionError" in conformance.run_case(error_case).detail

    skipped = case("name: 'n' expr: 'x' container: 'a'")
    assert conformance.run_case(skipped).status == "skipped"


def test_run_case_times_out(monkeypatch):
    def slow_compile(expr, declarations=None):
        while True:
            pass

    module = fake_engine()
    module.compile = slow_compile
    monkeypatch.setattr(conformance, "engine_module", lambda: module)
    outcome = conformance.run_case(case("name: 'n' expr: 'x'"), timeout=0.2)
    assert outcome.status == "failed" and "timeout" in outcome.detail


def test_known_failures_file_format(tmp_path):
    path = tmp_path / "known.txt"
    path.write_text("# comment\n\nbasic/sec/name: a reason\n")
    assert conformance.load_known_failures(path) == {"basic/sec/name": "a reason"}
    path.write_text("basic/sec/name\n")
    with pytest.raises(ValueError, match="file/section/test"):
        conformance.load_known_failures(path)
    path.write_text("a/b/c: x\na/b/c: y\n")
    with pytest.raises(ValueError, match="twice"):
        conformance.load_known_failures(path)


def test_real_known_failures_file_parses():
    conformance.load_known_failures()


def test_repeated_test_names_get_numbered_ids():
    first = case("name: 'n' expr: '1'")
    assert first.id == "f/s/n"
    assert conformance.replace(first, occurrence=2).id == "f/s/n#2"
