"""What `policy check` says on stderr about what judged the run: where the configuration and
policies came from in a pull-request run, and a clock the configuration pins.

Neither may be silent in CI: a run judged by a pull request's own edited policies, or at a time
the configuration rewound, would otherwise look like any green run. Notes go to stderr, so
every output format (and the Action, which shows stderr) carries them.
"""

from __future__ import annotations

from ...engine.policy.inputs import event_path
from ...engine.policy.policy_sources import WORKING_TREE
from .discovery_notes import say


def tell_judging(config, inputs) -> None:
    """The notes of one run: the base commit or working tree that judged a pull request, and the
    configuration's pinned clock when `--now` did not replace it."""
    base = config.base
    if base is not None:
        where = f" ({config.path})" if base.config_rel else " (it has no .policy.yaml: the defaults)"
        say(f"policy check: judged by the configuration and policies of the pull request's base commit "
            f"{base.short}{where}, not by the pull request's own changes to them")
    elif inputs.policy_from == WORKING_TREE and event_path(inputs):
        say("policy check: --policy-from working-tree: judged by the working tree's configuration and policies, "
            "which the pull request can change")
    elif event_path(inputs):
        say("policy check: the event names no base commit (pull_request.base.sha), so the working tree's "
            "configuration and policies judged it, which the pull request can change")
    if config.clock is not None and not inputs.now:
        moment = config.clock.isoformat().replace("+00:00", "Z")
        say(f"policy check: the clock is pinned to {moment} by `clock` in {config.path}: every time is judged "
            f"as of then, not now")
