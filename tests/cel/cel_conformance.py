"""The CEL conformance data as runnable cases for our engine.

Reads `../shared/cel-conformance/*.textproto` (the spec's `SimpleTestFile` data, in place: the
files are never copied into the repository), turns every test into a `Case` whose bindings and
expected value are the Python values of our public API, decides which cases are out of this
dialect's scope (protobuf messages, containers, enums, unknowns, optionals, check-only), and runs
a case against `engine.cel` with strict, type-exact comparison.

`test_conformance.py` parametrizes pytest with these cases and prints the per-file table.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import signal
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import textproto
from textproto import Message

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE_DIR = Path(os.environ.get("CEL_CONFORMANCE_DIR") or REPO_ROOT.parent / "shared" / "cel-conformance")
"""The CEL spec's conformance data (google/cel-spec `tests/simple/testdata`, Apache-2.0): the
team's copy beside the repository, or wherever `CEL_CONFORMANCE_DIR` points."""
MISSING_DATA = (None if CONFORMANCE_DIR.is_dir() else
                f"CEL conformance data not found at {CONFORMANCE_DIR}: set CEL_CONFORMANCE_DIR to a checkout "
                "of google/cel-spec's tests/simple/testdata")
KNOWN_FAILURES_FILE = Path(__file__).resolve().parent / "conformance_known_failures.txt"

# The files whose non-proto cases must pass at >= 95% together (issue #2, "Proof").
REQUIRED_FILES = (
    "basic", "comparisons", "logic", "string", "lists", "macros", "fields", "conversions",
    "timestamps", "integer_math", "fp_math", "parse",
)
REQUIRED_PASS_RATE = 0.95
CASE_TIMEOUT_SECONDS = 10.0

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class Unsupported(Exception):
    """The case needs something out of this dialect's scope; the message is the skip reason."""


@dataclass(frozen=True)
class ExpectedType:
    """A `type_value`: the engine must return a `CelType` whose `.name` is this."""

    name: str

    def __repr__(self) -> str:
        return f"type({self.name})"


@dataclass(frozen=True)
class Unrepresentable:
    """An expected value the public API cannot hold (a timestamp with nanoseconds)."""

    description: str

    def __repr__(self) -> str:
        return f"<unrepresentable: {self.description}>"


@dataclass(frozen=True)
class ExpectValue:
    value: Any


@dataclass(frozen=True)
class ExpectError:
    """`eval_error`: any `CelError`, at compile or evaluation time, is the expected outcome."""

    messages: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    file: str
    section: str
    name: str
    expr: str
    declarations: Mapping[str, str] | None = None
    bindings: Mapping[str, Any] = field(default_factory=dict)
    expected: ExpectValue | ExpectError | None = None
    skip: str | None = None
    occurrence: int = 1  # a few files repeat a test name within a section

    @property
    def id(self) -> str:
        base = f"{self.file}/{self.section}/{self.name}"
        return base if self.occurrence == 1 else f"{base}#{self.occurrence}"


@dataclass(frozen=True)
class Outcome:
    status: str  # "passed" | "failed" | "skipped"
    detail: str = ""


# ---------------------------------------------------------------------------------------------
# Engine access (lazy: the reader and converters work, and are tested, without the engine)


def engine_module():
    from hotfix_policy.engine import cel

    return cel


def _uint(number: int) -> int:
    try:
        return engine_module().UInt(number)
    except (ImportError, AttributeError):  # the engine is not there (yet)
        return _PendingUInt(number)


class _PendingUInt(int):
    """Stands in for `engine.cel.UInt` while the engine does not import (scaffolding tests)."""


# ---------------------------------------------------------------------------------------------
# textproto -> Python values

_PRIMITIVES = {
    "BOOL": "bool", "INT64": "int", "UINT64": "uint", "DOUBLE": "double",
    "STRING": "string", "BYTES": "bytes",
}
_WELL_KNOWN = {"TIMESTAMP": "timestamp", "DURATION": "duration"}


def convert_value(value: Message) -> Any:
    """A `cel.expr.Value` message as the Python value of the public API."""
    names = [name for name in value.names() if isinstance(name, str)]
    if not names:
        raise ValueError(f"empty Value message at line {value.line}")
    kind = names[0]
    raw = value.get(kind)
    if kind == "null_value":
        return None
    if kind == "bool_value":
        return textproto.to_bool(raw)
    if kind == "int64_value":
        return int(raw)
    if kind == "uint64_value":
        return _uint(int(raw))
    if kind == "double_value":
        return textproto.to_float(raw)
    if kind == "string_value":
        return str(raw)
    if kind == "bytes_value":
        return raw.raw
    if kind == "list_value":
        return [convert_value(item) for item in raw.get_all("values")]
    if kind == "map_value":
        result = {}
        for entry in raw.get_all("entries"):
            result[convert_value(entry.get("key"))] = convert_value(entry.get("value"))
        return result
    if kind == "type_value":
        return ExpectedType(str(raw))
    if kind == "object_value":
        return _convert_object(raw)
    if kind == "enum_value":
        raise Unsupported("needs protobuf enums")
    raise ValueError(f"unknown Value field {kind!r} at line {value.line}")


def _convert_object(any_message: Message) -> Any:
    expansion = any_message.any_expansion()
    if expansion is None:
        raise Unsupported("needs a packed google.protobuf.Any")
    type_name, body = expansion
    seconds, nanos = int(body.get("seconds", 0)), int(body.get("nanos", 0))
    if type_name == "google.protobuf.Timestamp":
        if nanos % 1000:
            return Unrepresentable(f"timestamp {seconds}s + {nanos}ns (nanosecond precision)")
        return _EPOCH + dt.timedelta(seconds=seconds, microseconds=nanos // 1000)
    if type_name == "google.protobuf.Duration":
        if nanos % 1000:
            return Unrepresentable(f"duration {seconds}s + {nanos}ns (nanosecond precision)")
        return dt.timedelta(seconds=seconds, microseconds=nanos // 1000)
    raise Unsupported(f"needs protobuf message {type_name}")


def convert_type(type_message: Message) -> str:
    """A `cel.expr.Type` message as a declaration string (`int`, `list(string)`, ...)."""
    names = [name for name in type_message.names() if isinstance(name, str)]
    if not names:
        raise ValueError(f"empty Type message at line {type_message.line}")
    kind = names[0]
    raw = type_message.get(kind)
    if kind == "primitive":
        if raw not in _PRIMITIVES:
            raise ValueError(f"unknown primitive type {raw!r}")
        return _PRIMITIVES[raw]
    if kind == "well_known":
        if raw not in _WELL_KNOWN:
            raise Unsupported(f"needs well-known type {raw}")
        return _WELL_KNOWN[raw]
    if kind == "dyn":
        return "dyn"
    if kind == "null":
        return "null_type"
    if kind == "list_type":
        return f"list({convert_type(raw.get('elem_type'))})"
    if kind == "map_type":
        return f"map({convert_type(raw.get('key_type'))}, {convert_type(raw.get('value_type'))})"
    if kind in ("message_type", "wrapper"):
        raise Unsupported(f"needs protobuf {kind.replace('_', ' ')} declarations")
    raise Unsupported(f"needs {kind.replace('_', ' ')} declarations")


# ---------------------------------------------------------------------------------------------
# Scope: what this dialect leaves out

# Message construction `Name{` (but not the keyword `in` before a map literal).
_MESSAGE_LITERAL = re.compile(r"(?<![\w.])(?!in\b)[A-Za-z_][\w.]*\s*\{")
_PROTO_NAMES = re.compile(
    r"TestAllTypes|NestedTestAllTypes|GlobalEnum|NestedEnum|cel\.expr\.conformance"
    r"|google\.protobuf\.(?!Timestamp\b|Duration\b)\w+"
)
_OPTIONAL_SYNTAX = re.compile(r"\boptional\.|\boptional_type\b|\.\?|\[\?|\{\?|\.orValue\(|\.hasValue\(\)")
_STRING_LITERAL = re.compile(r"""[rRbB]{0,2}('''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")""", re.S)


def _code_outside_strings(expr: str) -> str:
    return _STRING_LITERAL.sub("''", expr)


def scope_reason(test: Message, expr: str) -> str | None:
    """Why a conformance test is out of scope, or None when it runs."""
    if test.get("container"):
        return "needs containers (namespaced name resolution)"
    code = _code_outside_strings(expr)
    if _PROTO_NAMES.search(code) or _MESSAGE_LITERAL.search(code):
        return "needs protobuf messages"
    if _OPTIONAL_SYNTAX.search(code):
        return "needs optional types"
    if test.get("check_only") is not None and textproto.to_bool(test.get("check_only")):
        return "check_only: type-checker output only"
    if test.get("disable_macros") is not None and textproto.to_bool(test.get("disable_macros")):
        return "disable_macros: not an API option"
    if test.get("locale"):
        return "needs locales"
    if "unknown" in test or "any_unknowns" in test:
        return "needs unknown values"
    if "any_eval_errors" in test:
        return "needs error sets"
    return None


def _bindings(test: Message) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for entry in test.get_all("bindings"):
        expr_value = entry.get("value")
        if expr_value is None or "value" not in expr_value:
            raise Unsupported("binds an error or unknown value")
        value = convert_value(expr_value.get("value"))
        if isinstance(value, (Unrepresentable, ExpectedType)):
            raise Unsupported(f"binds a value the API cannot carry: {value!r}")
        result[str(entry.get("key"))] = value
    return result


def _declarations(test: Message) -> dict[str, str]:
    result: dict[str, str] = {}
    for decl in test.get_all("type_env"):
        if "function" in decl:
            raise Unsupported("declares custom functions")
        ident = decl.get("ident")
        if ident is None or ident.get("type") is None:
            raise Unsupported("declaration without an identifier type")
        result[str(decl.get("name"))] = convert_type(ident.get("type"))
    return result


def _expected(test: Message) -> ExpectValue | ExpectError:
    if "eval_error" in test:
        messages = tuple(str(error.get("message", "")) for error in test.get("eval_error").get_all("errors"))
        return ExpectError(messages)
    if "value" in test:
        return ExpectValue(convert_value(test.get("value")))
    typed = test.get("typed_result")
    if typed is not None:
        if typed.get("result") is None:
            raise Unsupported("typed_result without a value: type-checker output only")
        return ExpectValue(convert_value(typed.get("result")))
    if "unknown" in test or "any_unknowns" in test:
        raise Unsupported("needs unknown values")
    # SimpleTest's default matcher: `value` true.
    return ExpectValue(True)


def make_case(file: str, section: str, test: Message) -> Case:
    name, expr = str(test.get("name")), str(test.get("expr", ""))
    reason = scope_reason(test, expr)
    if reason is None:
        try:
            disable_check = test.get("disable_check") is not None and textproto.to_bool(test.get("disable_check"))
            declarations = None if disable_check else _declarations(test)
            return Case(file, section, name, expr, declarations, _bindings(test), _expected(test))
        except Unsupported as unsupported:
            reason = str(unsupported)
    return Case(file, section, name, expr, skip=reason)


def conformance_files() -> list[str]:
    """Every conformance file, required ones first (in the issue's order), then the rest."""
    present = sorted(path.stem for path in CONFORMANCE_DIR.glob("*.textproto"))
    return [name for name in REQUIRED_FILES if name in present] + [
        name for name in present if name not in REQUIRED_FILES
    ]


@cache
def load_file(file: str) -> tuple[Case, ...]:
    document = textproto.parse((CONFORMANCE_DIR / f"{file}.textproto").read_text(encoding="utf-8"))
    cases, seen = [], Counter()
    for section in document.get_all("section"):
        for test in section.get_all("test"):
            case = make_case(file, str(section.get("name")), test)
            seen[case.id] += 1
            cases.append(replace(case, occurrence=seen[case.id]))
    return tuple(cases)


def load_cases(files: Iterable[str] | None = None) -> list[Case]:
    return [case for file in (files or conformance_files()) for case in load_file(file)]


def load_known_failures(path: Path = KNOWN_FAILURES_FILE) -> dict[str, str]:
    """`file/section/test: reason` lines; `#` starts a comment line."""
    known: dict[str, str] = {}
    if not path.exists():
        return known
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        case_id, colon, reason = line.partition(": ")
        if not colon or case_id.count("/") < 2 or not reason.strip():
            raise ValueError(f"{path.name}:{number}: expected 'file/section/test: reason', got {line!r}")
        if case_id in known:
            raise ValueError(f"{path.name}:{number}: {case_id} listed twice")
        known[case_id] = reason.strip()
    return known


# ---------------------------------------------------------------------------------------------
# Comparison


def strict_equal(expected: Any, actual: Any) -> bool:
    """CEL value equality that also demands the same CEL type: True != 1, 1 != 1.0, 1u != 1,
    and NaN equals NaN (a test expecting NaN means "the result is NaN")."""
    if isinstance(expected, Unrepresentable):
        return False
    if isinstance(expected, ExpectedType):
        cel_type = engine_module().CelType
        return isinstance(actual, cel_type) and actual.name == expected.name
    if expected is None:
        return actual is None
    if type(expected) is bool:
        return type(actual) is bool and actual is expected
    if isinstance(expected, int) and type(expected) is not int:  # UInt
        return isinstance(actual, type(expected)) and int(actual) == int(expected)
    if type(expected) is int:
        return type(actual) is int and actual == expected
    if type(expected) is float:
        if type(actual) is not float:
            return False
        return (math.isnan(expected) and math.isnan(actual)) or expected == actual
    if isinstance(expected, str):
        return isinstance(actual, str) and str(actual) == str(expected)
    if isinstance(expected, bytes):
        return isinstance(actual, bytes) and bytes(actual) == bytes(expected)
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(strict_equal(e, a) for e, a in zip(expected, actual))
        )
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or len(actual) != len(expected):
            return False
        for key, value in expected.items():
            match = [actual_key for actual_key in actual if strict_equal(key, actual_key)]
            if len(match) != 1 or not strict_equal(value, actual[match[0]]):
                return False
        return True
    if isinstance(expected, dt.datetime):
        return isinstance(actual, dt.datetime) and actual.tzinfo is not None and actual == expected
    if isinstance(expected, dt.timedelta):
        return isinstance(actual, dt.timedelta) and actual == expected
    raise TypeError(f"no strict comparison for expected {expected!r}")


def describe(value: Any) -> str:
    """A value with its Python type, for failure messages (`1 (int)`, `1 (UInt)`)."""
    if isinstance(value, (list, dict)):
        return f"{value!r} ({type(value).__name__})"
    return f"{value!r} ({type(value).__name__})"


# ---------------------------------------------------------------------------------------------
# Running


class CaseTimeout(BaseException):
    """A case ran past its time limit (a BaseException so engine code cannot swallow it)."""


def _run_with_timeout(function, seconds: float):
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return function()

    def on_alarm(signum, frame):
        raise CaseTimeout(f"took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_case(case: Case, timeout: float = CASE_TIMEOUT_SECONDS) -> Outcome:
    """Run one case; never raises for an engine failure (the outcome says what happened)."""
    if case.skip:
        return Outcome("skipped", case.skip)
    cel = engine_module()

    def evaluate():
        program = cel.compile(case.expr, declarations=case.declarations)
        return program.evaluate(dict(case.bindings))

    try:
        actual = _run_with_timeout(evaluate, timeout)
    except CaseTimeout as timeout_error:
        return Outcome("failed", f"timeout: {timeout_error}")
    except cel.CelError as error:
        if isinstance(case.expected, ExpectError):
            return Outcome("passed")
        return Outcome(
            "failed",
            f"expected {describe(case.expected.value)}, raised {type(error).__name__}: {error}",
        )
    except RecursionError:
        return Outcome("failed", "RecursionError (not a CelError)")
    except Exception as error:  # noqa: BLE001 - a non-CelError is always an engine bug
        return Outcome("failed", f"non-CelError {type(error).__name__}: {error}")
    if isinstance(case.expected, ExpectError):
        wanted = "; ".join(case.expected.messages)
        return Outcome("failed", f"expected an error ({wanted}), got {describe(actual)}")
    if strict_equal(case.expected.value, actual):
        return Outcome("passed")
    return Outcome("failed", f"expected {describe(case.expected.value)}, got {describe(actual)}")
