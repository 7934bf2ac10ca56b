"""`python -m hotfix_policy.cli ...`: the same as the `policy` command."""

from .main import console

console()
