"""hotfix-policy: policy as code for incident records, hotfix PRs and their git history.

The package is the library; the `policy` command (`engine.cli`) and the language server
(`lsp/`) are two front ends over it. Nothing here imports `lsp`, pygls or lsprotocol.
"""

__version__ = "0.1.0"
