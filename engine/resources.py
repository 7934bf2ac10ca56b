"""Where the bundled schemas and policy packs live: beside the engine, in a wheel and a checkout.

The build maps the repository's `schemas/` and `policies/` to `hotfix_policy.schemas` and
`hotfix_policy.policies`, siblings of `hotfix_policy.engine` (setup.py); in a source checkout
and an editable install they are the repository's own folders beside `engine/`. Either way they
sit next to this package's folder.
"""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    """The directory of bundled `schemas` or `policies`."""
    return _ROOT / name
