"""Where the bundled schemas and policy packs live, in a wheel and in a source checkout.

The wheel carries `schemas/` and `policies/` inside the package (`engine/_bundled/`); a source
checkout or an editable install reads them from the repository root beside `engine/`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The directory of bundled `schemas` or `policies`."""
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name
