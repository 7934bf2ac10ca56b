"""The kinds of mistake in policy, policy test and configuration files, each with a code.

A finding about a document has its rule's id; a mistake in a policy or the configuration has
one of these codes, so that the editor can show it with a code and a link to its entry in the
rule reference (`docs/rules.md`, rendered by `rule_reference.py`) like any finding. They are
not rules: they cannot be waived or overridden, and a file with an error among them stops a run.
"""

from __future__ import annotations

from ..findings import Severity
from .model import LocatedError

STRUCTURE = "FILE001"
EXPRESSION = "FILE002"
RULE_ID = "FILE003"
DEPRECATED = "FILE004"

FILE_ERRORS = {
    STRUCTURE: (Severity.ERROR, "The file is not valid YAML or not the shape its schema requires.",
                "An unknown key (often a typo: the message says which key was meant), a value of the "
                "wrong type or outside the allowed values, a missing key. The schemas are "
                "`schemas/policy.schema.json`, `policy_test.schema.json` and `config.schema.json`."),
    EXPRESSION: (Severity.ERROR, "An expression does not compile.",
                 "A syntax error, a field, variable or function the rule language does not know for the "
                 "policy's `appliesTo` kind (the message says the closest one), or a result of the wrong "
                 "type (an `expression` gives true or false)."),
    RULE_ID: (Severity.ERROR, "A rule id names no rule, or is defined twice.",
              "Severity overrides under `rules:` and waivers name rules that a loaded policy or the "
              "engine defines; ids are unique across every policy of a run."),
    DEPRECATED: (Severity.WARNING, "A key that still loads but has a new name.",
                 "Rename it as the message says; a later version may stop reading the old name."),
}
"""Code -> (severity, summary, meaning): the reference's entries for mistakes in files."""


def structure_errors(errors) -> list:
    """Schema problems (`located_yaml.StructureError`) as file errors with their suggestions."""
    return [LocatedError(e.path, e.span, e.message, STRUCTURE, e.suggestion) for e in errors]
