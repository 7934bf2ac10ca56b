"""A rule's reference, as `docs/rules.md`, `policy rules ID` and the editor's hover show it.

Every part comes from the rule itself, never written twice: the summary and "Why" from its
docs, the workflow section it enforces, its first failing and first passing example (the same
cases `policy test` runs, so a shown example is known to behave as shown), and its options:
the `data` keys its checked expressions read (the rule, the policy's `match`, its message and
the variables they use), with the defaults of `schemas/config.schema.json`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import Optional

from ..cel.ast import Call, Ident, Literal, Select, walk
from ..documents.secrets import mask_text  # a policy file's name may hold a secret
from .help_links import WORKFLOW_PAGE, heading_anchor, is_documented, rule_help_url, workflow_url
from .structure import load_file_schema

_CASE_CONTEXT = ("now", "ctx", "data", "event", "repository", "waivers")
"""An example's keys besides its documents that are shown with it (what the case sets up)."""

EVERYWHERE, CI_ONLY = "everywhere", "ci"
"""Where a rule's findings can be acted on (`docs.where`); the editor leaves out the CI-only ones."""


def where(rule) -> str:
    """`docs.where` of a rule: CI_ONLY or EVERYWHERE (the default)."""
    return CI_ONLY if (rule.docs or {}).get("where") == CI_ONLY else EVERYWHERE


@dataclass(frozen=True)
class Option:
    key: str
    default: object          # None when the key has no default
    description: str
    value: object = None     # what the run's configuration sets, when it differs from the default


@dataclass(frozen=True)
class Example:
    name: str
    documents: dict          # path -> (kind or "", text)
    context: dict            # now, ctx, data, event, repository, waivers as the case sets them


@dataclass(frozen=True)
class RuleReference:
    rule_id: str
    severity: str
    summary: str
    why: str
    workflow: str
    workflow_in_pack: bool   # the section is one of docs/hotfix-workflow.md's (built-in pack)
    failing: Optional[Example]
    passing: Optional[Example]
    options: tuple
    policy: str
    policy_path: str
    applies_to: str
    help_url: str
    where: str = EVERYWHERE  # EVERYWHERE, or CI_ONLY: what it judges only a CI run knows



def reference(policy, rule, severity: Optional[str] = None, data: Optional[dict] = None) -> RuleReference:
    """The rule's reference; with `data` (the run's), each option says what the configuration sets."""
    docs = rule.docs or {}
    examples = list(docs.get("examples") or [])
    failing = next((e for e in examples if _fires(e)), None)
    passing = next((e for e in examples if not _fires(e)), None)
    return RuleReference(
        rule_id=rule.id, severity=severity or rule.severity.value, summary=" ".join(rule.summary.split()),
        why=" ".join(str(docs.get("rationale") or "").split()), workflow=str(docs.get("workflow") or ""),
        workflow_in_pack=is_documented(rule.id, policy), failing=_example(failing), passing=_example(passing),
        options=options(policy, rule, data), policy=policy.name, policy_path=mask_text(str(policy.path)),
        applies_to=policy.applies_to, help_url=rule_help_url(rule.id, policy), where=where(rule))


def _fires(example: dict) -> bool:
    return any(ids for ids in (example.get("expect") or {}).values())


def _example(case: Optional[dict]) -> Optional[Example]:
    if case is None:
        return None
    documents = {}
    for path, source in (case.get("documents") or {}).items():
        if isinstance(source, dict):
            documents[str(path)] = (str(source.get("kind") or ""), str(source.get("text", f"(file {source.get('file')})")))
        else:
            documents[str(path)] = ("", str(source))
    context = {key: case[key] for key in _CASE_CONTEXT if case.get(key) is not None}
    return Example(str(case.get("name", "")), documents, context)


# -- options -----------------------------------------------------------------------------------

def options(policy, rule, data: Optional[dict] = None) -> tuple:
    """The `data` keys the rule reads, in the order its expressions first read them (a variable's
    keys where the variable is used), with the value `data` gives each where it is not the default."""
    variables = {variable.name: variable.expression for variable in policy.variables}
    keys: list = []
    entered: set = set()

    def read(expression) -> None:
        for node in walk(expression.program.ast):
            name = _read_of(node, "data")
            if name is not None and name not in keys:
                keys.append(name)
            used = _read_of(node, "variables")
            if used in variables and used not in entered:
                entered.add(used)
                read(variables[used])

    for expression in (rule.expression, rule.for_each, rule.target, rule.message_expression, policy.match):
        if expression is not None:
            read(expression)
    described = load_file_schema("config")["$defs"]["data"]["properties"]
    found = []
    for key in keys:
        default = (described.get(key) or {}).get("default")
        value = (data or {}).get(key, default)
        found.append(Option(key, default, str((described.get(key) or {}).get("description", "")),
                            None if value == default else value))
    return tuple(found)


def _read_of(node, root: str) -> Optional[str]:
    """`key` when the node is `root.key` or `root['key']`, else None."""
    if isinstance(node, Select) and isinstance(node.operand, Ident) and node.operand.name == root:
        return node.field
    if isinstance(node, Call) and node.function == "_[_]" and len(node.args) == 2:
        operand, index = node.args
        if isinstance(operand, Ident) and operand.name == root and isinstance(index, Literal) \
                and isinstance(index.value, str):
            return index.value
    return None


# -- rendering ---------------------------------------------------------------------------------

def as_markdown(ref: RuleReference) -> list:
    """The reference as `docs/rules.md` lines: a `### ID` heading (the anchor help links point to),
    then Why, the workflow section, the examples and the options, with links relative to docs/."""
    lines = [f"### {ref.rule_id}", "", f"**{ref.severity}** · {ref.summary}", ""]
    lines += _body(ref, lambda title: f"#### {title}", relative=True)
    return lines + [f"Policy `{ref.policy}` (`{PurePath(ref.policy_path).name}`), applies to {ref.applies_to}.", ""]


def as_hover(ref: RuleReference, where: str) -> str:
    """The reference as the editor's hover: compact, links to the installed version's docs."""
    lines = [f"**{ref.rule_id}** · {ref.severity} · policy `{ref.policy}`", "", ref.summary, ""]
    lines += _body(ref, lambda title: f"*{title}*", relative=False)
    lines += [f"{where} · applies to `{ref.applies_to}`"]
    if ref.help_url:
        lines += ["", f"[Documentation]({ref.help_url})"]
    return "\n".join(lines)


def _body(ref: RuleReference, heading, *, relative: bool) -> list:
    """Why, the workflow section, the first failing and passing examples and the options."""
    lines = []
    if ref.why:
        lines += [heading("Why"), "", ref.why, ""]
    if ref.workflow:
        lines += [f"Workflow: {_workflow_link(ref, relative=relative)}", ""]
    if ref.where == CI_ONLY:
        lines += [_CI_ONLY_NOTE, ""]
    for title, example in _examples(ref):
        lines += [heading(f"{title}: {example.name}"), ""] + _example_markdown(example)
    if ref.options:
        lines += [heading("Options"), ""] + _options_markdown(ref)
    return lines


def _examples(ref: RuleReference) -> list:
    return [(title, example) for title, example in (("Fails", ref.failing), ("Passes", ref.passing))
            if example is not None]


def _options_markdown(ref: RuleReference) -> list:
    return (["Set in `.policy.yaml` under `data:`.", "", "| key | default | meaning |", "| --- | --- | --- |"]
            + [f"| `{o.key}` | {_default(o.default, markdown=True)} | {_cell(o.description)} |" for o in ref.options]
            + [""])


def as_text(ref: RuleReference, expression: str = "") -> str:
    """The reference as plain text for a terminal (`policy rules ID`)."""
    parts = [f"{ref.rule_id} [{ref.severity}] {ref.summary}"]
    if ref.why:
        parts.append(f"Why: {ref.why}")
    if ref.workflow:
        parts.append(f"Workflow: {ref.workflow}" + (f" ({workflow_url(ref.workflow)})" if ref.workflow_in_pack else ""))
    if ref.where == CI_ONLY:
        parts.append(_CI_ONLY_NOTE)
    for title, example in _examples(ref):
        parts.append(f"{title}: {example.name}\n" + "\n".join(("    " + line).rstrip() for line in _example_text(example)))
    if ref.options:
        parts.append("Options (data in .policy.yaml):\n" + "\n".join(
            f"    {o.key} = {_option_value(o)}" + (f"  {o.description}" if o.description else "") for o in ref.options))
    parts.append(f"Policy: {ref.policy} ({ref.policy_path}), applies to {ref.applies_to}")
    if expression:
        parts.append(f"Expression: {expression}")
    if ref.help_url:
        parts.append(f"Documentation: {ref.help_url}")
    return "\n\n".join(parts)


_CI_ONLY_NOTE = ("Where: CI only. It judges what only a CI run knows, so `policy check` reports it and the "
                 "editor does not.")


def _workflow_link(ref: RuleReference, *, relative: bool) -> str:
    if not ref.workflow_in_pack:
        return ref.workflow
    target = f"{WORKFLOW_PAGE}#{heading_anchor(ref.workflow)}" if relative else workflow_url(ref.workflow)
    return f"[{ref.workflow}]({target})"


def _example_markdown(example: Example) -> list:
    lines = []
    for path, (kind, text) in example.documents.items():
        language = "markdown" if path.endswith(".md") or kind in ("incident", "pull_request", "post_incident_review",
                                                                   "status_update") else "text"
        fence = _fence(text)
        lines += [f"`{path}`" + (f" ({kind})" if kind else "") + ":", "", f"{fence}{language}",
                  text.rstrip("\n"), fence, ""]
    if example.context:
        lines += ["With:", "", "```yaml", _yaml(example.context).rstrip("\n"), "```", ""]
    return lines


def _example_text(example: Example) -> list:
    lines = []
    for path, (kind, text) in example.documents.items():
        lines += [f"{path}" + (f" ({kind})" if kind else "") + ":"] + ["  " + l for l in text.rstrip("\n").split("\n")]
    if example.context:
        lines += ["with:"] + ["  " + l for l in _yaml(example.context).rstrip("\n").split("\n")]
    return lines


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in the text."""
    run = longest = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def _yaml(value) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.width = 100
    stream = io.StringIO()
    yaml.dump(_plain(value), stream)
    return stream.getvalue()


def _plain(value):
    """Loaded YAML (dates, timestamps, located mappings) as plain data ruamel can dump."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _option_value(option: Option) -> str:
    """`3 (set in .policy.yaml; default 10)` or the default alone."""
    if option.value is None:
        return _default(option.default)
    return f"{_default(option.value)} (set in .policy.yaml; default {_default(option.default)})"


def _default(value, markdown: bool = False) -> str:
    if value is None:
        return "none"
    text = _yaml(value).strip().removesuffix("...").strip() if not isinstance(value, (int, float)) else str(value)
    text = " ".join(text.split())
    if len(text) > 80:
        text = text[:77] + "..."
    return f"`{text}`" if markdown else text


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
