"""Editor services: completion, hover, definitions, code actions, outlines and code lenses
for documents (incident records, reviews, PR descriptions) and policy files, as plain engine
results (`engine.editor.model`) the language server converts at its edge.

Nothing here imports the protocol; positions are 1-based lines and code-point columns, places
are `engine.span.Span`s. Documents:

    complete_markdown(text, line, column, *, path, documents, data, now) -> [CompletionItem]
    hover_markdown(text, line, column, *, path, findings, policies, documents, data, now) -> Hover | None
    markdown_definition(text, line, column, *, findings, rules) -> [Location]
    markdown_actions(text, start, end, *, path, findings, policies, config_path, config_text, data, now)
        -> [CodeAction]
    markdown_symbols(text, *, path) -> [Symbol]

Policy, policy test and config files:

    complete_policy(text, line, column, *, path, data, rules) -> [CompletionItem]
    hover_policy(text, line, column, *, path, data, rules, levels) -> Hover | None
    policy_definition(text, line, column, *, path, rules) -> [Location]
    policy_symbols(text, *, path) -> [Symbol]
    policy_lenses(text, path, documents, data, now, root, folders) -> [Lens]
    PolicyTestPlan(config, root): the policy tests and rule examples, listed and run by id (policy_tests)

`rules` is `PolicySet.rules()` (rule id -> (policy, rule)).
"""

from __future__ import annotations

from .definition import markdown_definition, policy_definition
from .lenses import LIST_DOCUMENTS, RUN_EXAMPLES, policy_lenses, rule_counts
from .markdown_actions import OPEN_RULE, markdown_actions
from .waiver_action import SHOW_PLACE
from .markdown_completion import complete_markdown
from .markdown_hover import hover_markdown
from .policy_completion import complete_policy
from .policy_hover import hover_policy
from .symbols import markdown_symbols, policy_symbols

__all__ = ["complete_markdown", "hover_markdown", "markdown_definition", "markdown_actions", "markdown_symbols",
           "complete_policy", "hover_policy", "policy_definition", "policy_symbols", "policy_lenses",
           "rule_counts", "OPEN_RULE", "SHOW_PLACE", "LIST_DOCUMENTS", "RUN_EXAMPLES"]
