"""`python -m hotfix_policy.cli ...`: the same as the `policy` command."""

import sys

from .main import main

sys.exit(main())
