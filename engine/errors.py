"""The error boundary: what a user got wrong, and the exit statuses the command line maps it to.

A leaf module (it imports nothing of the project) so that any layer can raise these without
importing the command line. `hotfix_policy.cli.main` is the one place that catches them: each
message is one line on stderr and the exit status is `EXIT_USAGE`, never a traceback.
"""

from __future__ import annotations

EXIT_OK = 0        # nothing at or above the failing severity
EXIT_FINDINGS = 1  # findings (check), failed tests (test), invalid files (validate)
EXIT_USAGE = 2     # a mistake in the command line, a policy, the configuration or an input


def closest(name: str, candidates):
    """The candidate `name` most likely misspells, or None: the one place a "did you mean" (in a
    message) and its quick fix (in the editor) get their suggestion from."""
    import difflib

    close = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return close[0] if close else None


def meant(suggestion) -> str:
    """The '; did you mean `x`?' suffix of a message for a suggestion from `closest` ('' for None)."""
    return f"; did you mean `{suggestion}`?" if suggestion else ""


def did_you_mean(name: str, candidates) -> str:
    """A '; did you mean `x`?' suffix for the closest candidate, or '' (for messages about a
    name the user got wrong: a field, a function, a rule id, a kind)."""
    return meant(closest(name, candidates))


def closest_rule(name: str, known):
    """`closest` for a rule id: the same letters and number first (`INC06`, `inc6` -> INC006;
    spelling alone would say INC016), then the id of the same letters whose number is fewest
    digit edits away, the nearer number on a tie (`PR090` -> PR010, not PR019), else the
    closest spelling."""
    import re

    parts = re.fullmatch(r"([A-Za-z]+)(\d{1,3})", name.strip())
    if parts:
        letters, digits = parts.group(1).upper(), parts.group(2)
        same = f"{letters}{int(digits):03d}"
        if same in known and same != name:
            return same
        numbers = [rule[len(letters):] for rule in known
                   if rule.startswith(letters) and rule[len(letters):].isdigit() and rule != name]
        near = [n for n in numbers if _edits(digits.zfill(3), n) <= 1]
        if near:
            return letters + min(near, key=lambda n: abs(int(n) - int(digits)))
    return closest(name.upper(), known)


def _edits(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def did_you_mean_rule(name: str, known) -> str:
    """The '; did you mean `x`?' suffix for a mistyped rule id (`closest_rule`)."""
    return meant(closest_rule(name, known))


class UsageError(Exception):
    """A mistake by the user, reported as one line per message and exit status 2.

    `located` messages already start with `path:line:col:`; the others are prefixed with the
    command's name when printed.
    """

    located = False

    def __init__(self, *messages: str):
        super().__init__("\n".join(messages))
        self.messages = list(messages)
