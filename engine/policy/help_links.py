"""Where help links point: one place for every output that links a finding to its documentation.

A finding's rule is documented in `docs/rules.md` under an anchor that is its id in lower case
(`#pr006`), and the workflow a rule enforces in `docs/hotfix-workflow.md` under its section's
heading. Links point at the tag of the installed version, so a report made with 0.1.0 explains
the rules as 0.1.0 judged, whatever the default branch says later. SARIF's `helpUri`, the
editor's `codeDescription` and the rule reference itself read these functions; nothing else
builds such a URL.

Only the built-in pack's rules and the engine's own findings are in `docs/rules.md`; a team's
rules have no page there, so they get no link (the editor still opens their policy file).
"""

from __future__ import annotations

import re

from .. import __version__
from .engine_rules import ENGINE_RULES
from .file_errors import FILE_ERRORS
from .config import BUILTIN_PREFIX

REPOSITORY_URL = "https://github.com/hotfix-policy/hotfix-policy"
"""The project's public repository: the one constant to change if it moves."""

RULES_PAGE = "rules.md"
WORKFLOW_PAGE = "hotfix-workflow.md"


def docs_url(page: str, anchor: str = "") -> str:
    """A page of `docs/` at the installed version's tag, with an optional anchor."""
    url = f"{REPOSITORY_URL}/blob/v{__version__}/docs/{page}"
    return f"{url}#{anchor}" if anchor else url


def rule_anchor(rule_id: str) -> str:
    """The anchor of a rule in `docs/rules.md`: its heading is the bare id, so the anchor is stable
    when the summary or the severity changes."""
    return rule_id.lower()


def heading_anchor(title: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as `-`."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def is_documented(rule_id: str, policy=None) -> bool:
    """True for the rules `docs/rules.md` documents: the engine's findings, built-in packs' rules
    and the codes of mistakes in policy and configuration files."""
    if policy is None:
        return rule_id in ENGINE_RULES or rule_id in FILE_ERRORS
    return str(getattr(policy, "pack", "")).startswith(BUILTIN_PREFIX)


def rule_help_url(rule_id: str, policy=None) -> str:
    """The rule's page in the reference, or "" for a rule the reference does not document."""
    return docs_url(RULES_PAGE, rule_anchor(rule_id)) if is_documented(rule_id, policy) else ""


def workflow_url(section: str) -> str:
    """The built-in workflow's section that a pack rule's `docs.workflow` names."""
    return docs_url(WORKFLOW_PAGE, heading_anchor(section))
