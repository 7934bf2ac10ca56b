"""Policy tests and rule examples for an editor's test explorer (VS Code's Testing view), as
custom requests, and the "run examples" lens command:

    hotfixPolicy/tests    {}                      -> {tests: [item], errors: [problem], leftOut: n}
    hotfixPolicy/runTests {ids?: [id]}            -> {results: [result], notRun: [id]}
    hotfixPolicy/testsChanged (server -> client)     the policies or tests were reloaded: list again

An item is {id, label, kind (file|rule|case|example), uri, range, parent, description}; a result
{id, passed, message, expected, actual, uri, range, seconds}, `range` the case's first line.
`ids` names cases, or every case of a file or rule; none: all. The tests are those `policy test`
runs for the configuration in force (`engine.editor.policy_tests`), read from the saved files.
A run stops at the request's bound: the cases not run yet are `notRun`, for the client to ask
again. Each request is guarded (`lsp.features`): a failure is logged and answered empty.
"""

from __future__ import annotations

import time

from lsprotocol import types
from pygls import uris

from ...engine.editor import RUN_EXAMPLES
from ...engine.editor.policy_tests import PolicyTestPlan
from ...engine.span import Span
from ..params import STRING_LIST, request_params
from ..requests import remaining
from . import report_failure, request
from .definition import lines_of

TESTS = "hotfixPolicy/tests"
RUN_TESTS = "hotfixPolicy/runTests"
_ANSWER_MARGIN_SECONDS = 1.0  # of the request's bound, kept for answering


def register(server) -> None:
    @request(server, TESTS, empty=lambda: {"tests": [], "errors": [], "leftOut": 0})
    def list_tests(ls, params):
        request_params(TESTS, params)
        ls.state.tests_listed = True  # from now on, a reload sends TESTS_CHANGED
        plan = _plan(ls)
        places = _Places(ls)
        tests = [{"id": entry.id, "label": entry.label, "kind": entry.kind, "uri": uris.from_fs_path(entry.path),
                  "range": places.range(entry.path, entry.span), "parent": entry.parent,
                  "description": entry.description} for entry in plan.entries]
        errors = [{"uri": uris.from_fs_path(error.path) if error.path else None,
                   "range": places.range(error.path, error.span) if error.path else None,
                   "message": error.message} for error in plan.errors]
        return {"tests": tests, "errors": errors, "leftOut": plan.left_out}

    @request(server, RUN_TESTS, empty=lambda: {"results": [], "notRun": []})
    def run_tests(ls, params):
        return _run(ls, request_params(RUN_TESTS, params, {"ids": STRING_LIST}).get("ids"))

    @server.command(RUN_EXAMPLES)
    async def run_rule_examples(ls, *arguments):
        """A rule's examples, for an editor without a test explorer: the outcome as a message
        (VS Code runs them in its Testing view instead)."""
        try:
            test_id, rule_id = (list(arguments) + ["", ""])[:2]
            answer = await ls.state.requests.run(_run, ls, [str(test_id)])
            results = answer["results"]
            failed = [result for result in results if not result["passed"]]
            if not results:
                message = f"{rule_id}: no examples to run (is the policy file among the configuration's policies?)"
            elif failed:
                message = f"{rule_id}: {len(failed)} of {len(results)} examples fail\n" + \
                    "\n".join(f"{result['label']}: {result['message']}" for result in failed)
            else:
                message = f"{rule_id}: {len(results)} of {len(results)} examples pass"
            ls.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning if failed or not results else types.MessageType.Info, message=message))
            return answer
        except Exception as error:  # noqa: BLE001 - a bad argument must not take the server down
            report_failure(ls, RUN_EXAMPLES, error)
            return None


def _plan(ls) -> PolicyTestPlan:
    """The tests of the configuration in force (waiting, within the request's bound, for its first load)."""
    ls.state.configured.wait(remaining())
    engine = ls.state.engine
    return PolicyTestPlan(engine.config, engine.root)


def _run(ls, ids) -> dict:
    deadline = time.monotonic() + max(remaining() - _ANSWER_MARGIN_SECONDS, 0.0)
    plan = _plan(ls)
    labels = {entry.id: entry.label for entry in plan.entries}
    outcomes, not_run = plan.run(plan.selected(list(ids) if ids is not None else None), deadline)
    places = _Places(ls)
    return {"results": [{"id": outcome.id, "label": labels[outcome.id], "passed": outcome.passed,
                         "message": outcome.message, "expected": outcome.expected, "actual": outcome.actual,
                         "uri": uris.from_fs_path(outcome.path),
                         "range": places.range(outcome.path, _first_line(outcome.span)),
                         "seconds": round(outcome.seconds, 3)} for outcome in outcomes],
            "notRun": not_run}


def _first_line(span: Span) -> Span:
    return Span(span.start, span.start, span.line, span.column, span.line, span.column)


class _Places:
    """Engine spans in files -> LSP ranges (JSON), each file read once per request."""

    def __init__(self, ls):
        self.ls = ls
        self._lines: dict = {}

    def range(self, path: str, span) -> dict:
        if span is None:
            span = Span(0, 0, 1, 1, 1, 1)
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = lines_of(self.ls, path)
        found = lines.range(span)
        return {"start": {"line": found.start.line, "character": found.start.character},
                "end": {"line": found.end.line, "character": found.end.character}}
