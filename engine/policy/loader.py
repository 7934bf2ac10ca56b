"""Policy files -> compiled, type-checked `Policy` objects, or every mistake in them.

A policy with a typo must stop the run before any document is read, with each problem at its
place in the YAML: a structural error at its key, a CEL syntax or type error at the exact
column inside the expression (quoted, folded and literal scalars alike). Loading collects the
errors of every file and raises them together.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Iterable, Optional

from ..cel import CelError, CelTypeError, compile as compile_expression
from ..cel.types import BOOL, DYN, STRING, ListType, MapType, RecordType, Type
from ..documents.secrets import mask_text
from ..files import FileTooLarge, read_regular_file, shown_path, walk
from ..findings import Severity
from ..kinds import APPLIES_TO
from ..located_yaml import MAX_BYTES, LoadedYaml, YamlError, load_yaml_bytes
from ..resources import resource_dir
from .environment import data_type, element_type, typed_declarations
from .file_errors import EXPRESSION, RULE_ID, STRUCTURE, structure_errors
from .model import Expression, LocatedError, Policy, PolicyError, PolicySet, Rule, Variable
from .structure import check_structure, detect_file_kind


def read_yaml(path: Path, errors: list) -> Optional[LoadedYaml]:
    """A YAML file, or None with the reason appended to errors."""
    raw = read_yaml_bytes(path, errors)
    return None if raw is None else loaded_yaml(raw, path, errors)


def loaded_yaml(raw: bytes, path: Path, errors: list) -> Optional[LoadedYaml]:
    """A YAML file's bytes loaded, or None with the reason appended to errors."""
    try:
        return load_yaml_bytes(raw, shown_path(path))
    except YamlError as error:
        errors.append(LocatedError(shown_path(path), error.span, error.message, STRUCTURE))
    return None


def read_yaml_bytes(path: Path, errors: list, shown=shown_path) -> Optional[bytes]:
    """A policy, test or config file's bytes (at most the YAML size limit, whatever the file
    is), or None with the reason appended to errors."""
    try:
        return read_regular_file(path, MAX_BYTES)
    except FileTooLarge as error:
        errors.append(LocatedError(shown(path), None, f"file is {error}", STRUCTURE))
    except OSError as error:
        errors.append(LocatedError(shown(path), None, f"cannot read: {error.strerror}", STRUCTURE))
    return None


def policy_files(directory: Path) -> list:
    """The policy files of a pack or folder: `*.yaml`/`*.yml`, outside `tests/`, in name order."""
    found = [Path(p) for p in walk(directory, enter=lambda path: os.path.basename(path) != "tests")]
    return sorted(p for p in found if is_policy_file(PurePath(os.path.relpath(p, directory))))


def is_policy_file(below: PurePath) -> bool:
    """Whether the file at `below` (relative to a pack or folder) is one of its policy files."""
    return below.suffix in (".yaml", ".yml") and below.name != "pack.yaml" and "tests" not in below.parts[:-1]


def load_policies(paths: Iterable, data: dict, *, pack_of: Optional[dict] = None,
                  errors_out: Optional[list] = None, shown=shown_path) -> PolicySet:
    """Load every policy file of `paths` (files or folders); PolicyError lists all mistakes.

    With `errors_out` (an editor, which must keep checking while a policy is being edited), the
    mistakes are appended there and the policies that did load are returned. `shown(path)`
    names a file in messages and as its policy's path (a pull-request run names the base
    commit's copies `<commit>:<path>`).
    """
    errors: list = []
    policies: list = []
    seen_rules: dict = {}
    with _collector_paused():
        for path in paths:
            path = Path(path)
            files = policy_files(path) if path.is_dir() else [path]
            for file in files:
                policy = load_policy_file(file, data, errors, pack=(pack_of or {}).get(path, ""),
                                          explicit=not path.is_dir(), shown=shown)
                if policy is None:
                    continue
                for rule in policy.rules:
                    if rule.id in seen_rules:
                        errors.append(LocatedError(policy.path, rule.span,
                                                   f"rule {rule.id} is already defined in {seen_rules[rule.id]}", RULE_ID))
                    seen_rules.setdefault(rule.id, f"{policy.path}:{rule.span.line}")
                policies.append(policy)
    if errors and errors_out is None:
        raise PolicyError(errors)
    if errors_out is not None:
        errors_out.extend(errors)
    return PolicySet(tuple(policies), data)


@contextmanager
def _collector_paused():
    """Loading a pack allocates some 100,000 long-lived objects (trees, types, closures) and
    hardly any garbage; the cycle collector would walk them again and again while they are made,
    about a third of a cold `policy` command's policy loading. Paused for the load only, so
    memory stays bounded as before everywhere else."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_policy_file(file: Path, data: dict, errors: list, pack: str = "", explicit: bool = True,
                     shown=shown_path) -> Optional[Policy]:
    """A policy file through the load cache: a file seen before (same bytes, same engine, same
    `data` types) is neither parsed as YAML nor as expressions again."""
    from . import cache

    raw = read_yaml_bytes(file, errors, shown)
    if raw is None:
        return None
    name = shown(file)
    key = cache.key(raw, name, data)
    snapshot = cache.read(key)
    if snapshot is not None:
        scratch: list = []
        try:
            policy = build_policy(cache.CachedSource(snapshot, name), data, scratch, pack)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):  # an entry edited into no policy
            policy = None
        if policy is not None and not scratch:
            return policy
    try:
        loaded = load_yaml_bytes(raw, name)
    except YamlError as error:
        errors.append(LocatedError(name, error.span, error.message, STRUCTURE))
        return None
    if detect_file_kind(loaded) != "policy":
        if explicit:
            errors.append(LocatedError(name, None, "not a policy file (expected `kind: Policy`)", STRUCTURE))
        return None  # in a folder: a test or data file beside the policies
    source = YamlSource(loaded)
    policy = compile_policy(loaded, data, errors, pack, source)
    if policy is not None:
        cache.write(key, source.snapshot(), packaged=_packaged(file))
    return policy


def _packaged(file: Path) -> bool:
    """Whether `file` is one of the package's own policies (the built-in pack)."""
    return os.path.realpath(file).startswith(os.path.join(os.path.realpath(resource_dir("policies")), ""))


class YamlSource:
    """Expressions and places read from a loaded YAML file, remembered for the load cache."""

    checked_before = False  # its expressions are checked as they are read (cache.CachedSource's were)

    def __init__(self, loaded: LoadedYaml):
        self.loaded = loaded
        self.path = loaded.path
        self.data = loaded.data
        self.spans: dict = {}
        self.asts: dict = {}

    def span_of(self, keys: tuple):
        span = self.spans[keys] = self.loaded.span_of(keys)
        return span

    def text(self, keys: tuple) -> Optional[str]:
        scalar = self.loaded.scalar(keys)
        return scalar.value if scalar is not None else None

    def ast(self, keys: tuple):
        return None

    def remember(self, keys: tuple, ast) -> None:
        self.asts[keys] = ast

    def error_span(self, keys: tuple, error: CelError):
        scalar = self.loaded.scalar(keys)
        if scalar is None or error.span is None:
            return self.loaded.span_of(keys)
        return scalar.span(error.span.start, max(error.span.end, error.span.start + 1))

    def snapshot(self) -> dict:
        return {"data": self.data, "spans": self.spans, "asts": self.asts}


def compile_policy(loaded: LoadedYaml, data: dict, errors: list, pack: str = "",
                   source: Optional[YamlSource] = None) -> Optional[Policy]:
    """One policy file, or None after appending its errors (structure first, then expressions)."""
    structural = check_structure(loaded, "policy")
    errors.extend(structure_errors(structural))
    if structural:
        _check_expressions_anyway(loaded, data, errors)
        return None
    return build_policy(source or YamlSource(loaded), data, errors, pack)


def build_policy(source, data: dict, errors: list, pack: str = "") -> Optional[Policy]:
    """Compile a structurally valid policy's expressions from a YAML or cached source."""
    spec = source.data["spec"]
    applies_to = spec["appliesTo"]
    compiler = _ExpressionCompiler(source, applies_to, data, errors)
    match = compiler.compile(("spec", "match"), BOOL) if "match" in spec else None
    variables = []
    for index, entry in enumerate(spec.get("variables") or []):
        expression = compiler.variable(index, entry)
        if expression is not None:
            variables.append(Variable(entry["name"], expression))
    rules = [compiler.rule(index, entry) for index, entry in enumerate(spec["rules"])]
    metadata = source.data.get("metadata") or {}
    if any(rule is None for rule in rules) or (match is None and "match" in spec) or \
            len(variables) != len(spec.get("variables") or []):
        return None
    # Masked once here, so that no finding, report, list or hover can repeat a secret in a name.
    return Policy(name=mask_text(str(metadata.get("name", Path(source.path).stem))),
                  description=str(metadata.get("description", "")), applies_to=applies_to, path=source.path,
                  rules=tuple(rules), variables=tuple(variables), match=match, pack=pack)


def _check_expressions_anyway(loaded: LoadedYaml, data: dict, errors: list) -> None:
    """After structural errors, still report the expression errors (all errors in one run), but
    none that a structural error causes: with `variables` of the wrong shape, what the rules
    read from `variables` is not judged (the structural error says what to fix)."""
    spec = loaded.data.get("spec") if isinstance(loaded.data, dict) else None
    if not isinstance(spec, dict) or spec.get("appliesTo") not in APPLIES_TO:
        return
    compiler = _ExpressionCompiler(YamlSource(loaded), spec["appliesTo"], data, errors)
    written = spec.get("variables") or []
    if isinstance(written, list) and all(isinstance(e, dict) and isinstance(e.get("name"), str)
                                         and isinstance(e.get("expression"), str) for e in written):
        for index, entry in enumerate(written):
            compiler.variable(index, entry)
    else:
        compiler.variables = None
    for index, entry in enumerate(spec.get("rules") or []):
        if isinstance(entry, dict) and isinstance(entry.get("expression"), str) and \
                not (isinstance(entry.get("forEach"), str)):
            compiler.compile(("spec", "rules", index, "expression"), BOOL)


class _ExpressionCompiler:
    """Compiles one policy's expressions, turning their errors into places in the YAML."""

    def __init__(self, source, applies_to: str, data: dict, errors: list):
        self.source = source
        self.applies_to = applies_to
        self.data_type = data_type(data)
        self.errors = errors
        self.variables: Optional[dict] = {}  # name -> its type or Expression; None: unknown (malformed)

    def compile(self, keys: tuple, expected: Optional[Type], item=None) -> Optional[Expression]:
        """The expression at `keys`, or None after appending its mistakes; `item`: the type of
        `item`, or the `forEach` expression whose elements it is. From the policy cache (a file
        that compiled cleanly), compiled when first evaluated, against the variables declared
        before it."""
        source = self.source
        text = source.text(keys)
        if text is None:
            self.errors.append(LocatedError(source.path, source.span_of(keys),
                                            f"`{keys[-1]}` must be an expression (a string)", EXPRESSION))
            return None
        if source.checked_before:
            variables = None if self.variables is None else dict(self.variables)
            return Expression(text, source.span_of(keys),
                              compile=lambda: self._compiled_later(keys, text, expected, variables, item))
        try:
            program = compile_expression(text, self._declared(self.variables, item), ast=source.ast(keys))
        except CelError as error:
            for each in (error, *getattr(error, "more", ())):
                self.errors.append(LocatedError(source.path, source.error_span(keys, each), each.message, EXPRESSION,
                                                each.suggestion))
            return None
        source.remember(keys, program.ast)
        result = program.result_type
        if expected is not None and result not in (expected, DYN) and not _fits(expected, result):
            self.errors.append(LocatedError(source.path, source.span_of(keys),
                                            f"`{keys[-1]}` must give a {_describe(expected)}, "
                                            f"but this expression gives a {result}", EXPRESSION))
            return None
        return Expression(text, source.span_of(keys), program)

    def _compiled_later(self, keys: tuple, text: str, expected: Optional[Type], variables: Optional[dict], item):
        """A cached expression's program, when first evaluated. Its stored tree is taken only when it
        compiles to what the text did (a bool for a rule, a list for `forEach`); else the text is
        parsed and compiled, as a run without the cache does. The text fails only under code other
        than the entry's: CelError then, reported as EVAL001 where it is evaluated."""
        for ast in (self.source.ast(keys), None):
            try:
                program = compile_expression(text, self._declared(variables, item), ast=ast)
            except (CelError, AttributeError, IndexError, KeyError, TypeError, ValueError, RecursionError):
                if ast is None:
                    raise
                continue  # a tree of another expression, or of no expression's shape
            result = program.result_type
            if expected is None or result in (expected, DYN) or _fits(expected, result):
                return program
        raise CelTypeError(f"`{keys[-1]}` must give a {_describe(expected)}, but this expression gives a {result}")

    def _declared(self, variables: Optional[dict], item) -> dict:
        """The names an expression may read, typed: `variables` maps each variable declared before
        it to its type or its expression (None: unknown, `variables` is malformed)."""
        declared = typed_declarations(self.applies_to, self.data_type, {
            name: known.program.result_type if isinstance(known, Expression) else known
            for name, known in (variables or {}).items()})
        if variables is None:
            declared["variables"] = DYN
        if isinstance(item, Expression):
            declared["item"] = element_type(item.program.result_type)
        elif item is not None:
            declared["item"] = item
        return declared

    def variable(self, index: int, entry: dict) -> Optional[Expression]:
        """A variable's expression; one that does not compile is declared of any type, so the
        rules that use it get no second error for its name."""
        expression = self.compile(("spec", "variables", index, "expression"), None)
        self.variables[entry["name"]] = expression if expression is not None else DYN
        return expression

    def rule(self, index: int, entry: dict) -> Optional[Rule]:
        keys = ("spec", "rules", index)
        for_each = item = None
        if "forEach" in entry:
            for_each = self.compile(keys + ("forEach",), _COLLECTION)
            if for_each is None:
                return None
            item = for_each
        expression = self.compile(keys + ("expression",), BOOL, item)
        target = self.compile(keys + ("target",), None, item) if "target" in entry else None
        message_expression = (self.compile(keys + ("messageExpression",), STRING, item)
                              if "messageExpression" in entry else None)
        if expression is None or ("target" in entry and target is None) or \
                ("messageExpression" in entry and message_expression is None):
            return None
        docs = rule_docs(entry.get("docs") or {})
        examples_at = tuple(self.source.span_of(keys + ("docs", "examples", number))
                            for number in range(len(docs.get("examples") or [])))
        return Rule(id=entry["id"], severity=Severity(entry["severity"]), expression=expression,
                    span=self.source.span_of(keys + ("id",)), for_each=for_each, target=target,
                    message=str(entry.get("message", "")), message_expression=message_expression,
                    docs=docs, examples_at=examples_at)


def rule_docs(docs: dict) -> dict:
    """A rule's docs with the deprecated `seed` read as `workflow`, so older policies still load
    and every reader sees one key (`policy validate` asks for the rename)."""
    docs = dict(docs)
    seed = docs.pop(DEPRECATED_DOCS_KEY, None)
    if seed is not None:
        docs.setdefault("workflow", seed)
    return docs


DEPRECATED_DOCS_KEY = "seed"


_COLLECTION = Type("list or map")


def _fits(expected: Type, result: Type) -> bool:
    if expected is _COLLECTION:
        return isinstance(result, (ListType, MapType, RecordType))
    return False


def _describe(expected: Type) -> str:
    return {"bool": "bool (true when the rule passes)", "string": "string"}.get(expected.name, expected.name)

