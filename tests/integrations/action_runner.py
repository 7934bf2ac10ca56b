"""Runs the composite action in action.yml locally, step by step, the way the runner would.

Each `run:` step becomes a bash script (`bash --noprofile --norc -eo pipefail`, the runner's
`shell: bash`) with its `${{ }}` expressions replaced and its `env:` set, run in its
`working-directory` (default: the checkout, `GITHUB_WORKSPACE`); `uses:` steps are
recorded with their resolved `with:` and their `if:` decided, not run. Only the expression
forms action.yml needs are understood (a name, `a || b`, `==`, `!=`, `&&`, `always()`): one it
does not know fails the test, so the action cannot drift beyond what is tested.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARISON = re.compile(r"^(.+?)\s*(==|!=)\s*(.+)$")


@dataclass
class StepResult:
    name: str
    ran: bool
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    uses: str = ""
    with_: dict = field(default_factory=dict)


@dataclass
class ActionRun:
    steps: list
    outputs: dict          # the `check` step's outputs
    summary: str           # $GITHUB_STEP_SUMMARY
    failed: bool           # a run step exited non-zero (the job fails)

    def step(self, name: str) -> StepResult:
        return next(s for s in self.steps if s.name == name)

    @property
    def exit_code(self) -> int:
        """The exit status of the job: the first failing run step's."""
        return next((s.returncode for s in self.steps if s.ran and s.returncode), 0)


def load_action(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def run_action(action_path: Path, inputs: dict, environment: dict, work: Path,
               skip: tuple = ()) -> ActionRun:
    """Run action.yml's steps; `skip` names run steps to leave out (recorded as not run)."""
    action = load_action(action_path / "action.yml")
    values = {f"inputs.{name}": str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    values.update({"github.action_path": str(action_path), "runner.temp": str(work / "runner-temp"),
                   "github.token": "fake-token"})
    for name, spec in action["inputs"].items():    # defaults may be expressions themselves
        values[f"inputs.{name}"] = substitute(values[f"inputs.{name}"], values)
    values.update({f"inputs.{name}": str(value) for name, value in inputs.items()})
    (work / "runner-temp").mkdir(parents=True, exist_ok=True)
    summary_file, results, failed = work / "step-summary.md", [], False
    summary_file.write_text("", encoding="utf-8")
    outputs: dict = {}
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index}")
        condition = step.get("if")
        runs = not failed if condition is None else evaluate_condition(condition, values, failed)
        if "uses" in step:
            with_ = {key: substitute(str(value), values) for key, value in (step.get("with") or {}).items()}
            results.append(StepResult(name, runs, uses=step["uses"], with_=with_))
            continue
        if not runs or name in skip:
            results.append(StepResult(name, False))
            continue
        assert step.get("shell") == "bash", f"{name}: run steps must say shell: bash"
        output_file = work / f"output-{index}.txt"
        output_file.write_text("", encoding="utf-8")
        env = dict(environment)
        env.update({key: substitute(str(value), values) for key, value in (step.get("env") or {}).items()})
        env.update({"GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary_file),
                    "GITHUB_ACTION_PATH": str(action_path), "RUNNER_TEMP": str(work / "runner-temp")})
        script = work / f"step-{index}.sh"
        script.write_text(substitute(step["run"], values), encoding="utf-8")
        cwd = substitute(str(step["working-directory"]), values) if "working-directory" in step \
            else environment.get("GITHUB_WORKSPACE")
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
        results.append(StepResult(name, True, done.returncode, done.stdout, done.stderr))
        step_outputs = parse_outputs(output_file.read_text(encoding="utf-8"))
        if step.get("id"):
            for key, value in step_outputs.items():
                values[f"steps.{step['id']}.outputs.{key}"] = value
            if step["id"] == "check":
                outputs = step_outputs
        failed = failed or done.returncode != 0
    return ActionRun(results, outputs, summary_file.read_text(encoding="utf-8"), failed)


def parse_outputs(text: str) -> dict:
    """`name=value` lines of a $GITHUB_OUTPUT file (the heredoc form is not used here)."""
    outputs = {}
    for line in text.splitlines():
        if "=" in line:
            key, _, value = line.partition("=")
            outputs[key] = value
    return outputs


def substitute(text: str, values: dict) -> str:
    return EXPRESSION.sub(lambda match: str(evaluate(match.group(1), values)), text)


def evaluate(expression: str, values: dict):
    """A value expression: `name`, `'literal'`, a number, or `a || b` (the first non-empty)."""
    if "||" in expression:
        for term in expression.split("||"):
            value = evaluate(term.strip(), values)
            if value not in ("", None, False):
                return value
        return value
    expression = expression.strip()
    if expression.startswith("'") and expression.endswith("'"):
        return expression[1:-1]
    if re.fullmatch(r"\d+", expression):
        return expression
    if re.fullmatch(r"(inputs|steps|github|runner)\.[\w.-]+", expression):
        if expression.startswith("steps."):
            return values.get(expression, "")
        assert expression in values, f"action.yml uses {expression!r}, which the test does not provide"
        return values[expression]
    raise AssertionError(f"action.yml uses an expression the test does not understand: {expression!r}")


def evaluate_condition(condition: str, values: dict, failed: bool) -> bool:
    """An `if:`: terms joined by `&&`, each `always()`, `a == b` or `a != b`. Without
    `always()`, a step after a failure does not run (the runner's implicit `success()`)."""
    condition = EXPRESSION.sub(lambda match: match.group(1), str(condition))
    terms = [term.strip() for term in condition.split("&&")]
    result = "always()" in terms or not failed
    for term in terms:
        if term == "always()":
            continue
        match = COMPARISON.match(term)
        assert match, f"action.yml uses a condition the test does not understand: {term!r}"
        left, operator, right = evaluate(match.group(1), values), match.group(2), evaluate(match.group(3), values)
        result = result and ((left == right) if operator == "==" else (left != right))
    return result


def environment_for(workspace: Path, event: Path, extra_path: list, **variables) -> dict:
    """The GitHub Actions environment of a pull_request run in `workspace`."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
    env.update({"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event),
                "GITHUB_REPOSITORY": "example/shop", "GITHUB_SERVER_URL": "https://github.com",
                "NO_COLOR": "1"})
    env["PATH"] = os.pathsep.join([*(str(p) for p in extra_path), env.get("PATH", "")])
    env.update(variables)
    return env
