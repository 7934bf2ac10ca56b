"""hotfix-policy's engine: policy as code for incident records, hotfix PRs and their git history.

The library: documents, the rule language, policies, reports, editor services. The `policy`
command (`hotfix_policy.cli`) and the language server (`hotfix_policy.lsp`) are two front ends
over it; nothing here imports either of them, pygls or lsprotocol.
"""

__version__ = "0.1.0"
