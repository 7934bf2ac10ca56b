"""The params of the server's own requests (`hotfixPolicy/...`), checked before they are used.

lsprotocol checks the params of the protocol's requests; pygls hands those of a method it does
not know over as they came (objects as named tuples). A misspelled key (`{"tests": [...]}` for
`{"ids": [...]}`) would otherwise be ignored and the request run on its defaults: here it is
JSON-RPC Invalid Params (-32602), saying which key and what the request takes.
"""

from __future__ import annotations

from pygls.exceptions import JsonRpcInvalidParams

STRING_LIST = ("a list of strings", lambda value: isinstance(value, list) and all(isinstance(v, str) for v in value))


def request_params(method: str, params, takes: dict | None = None) -> dict:
    """The params of `method` as a dict of the keys it `takes` (name -> (what, test)); absent
    or null params are `{}`, and so is a key given as null (its default)."""
    takes = takes or {}
    if params is None:
        return {}
    given = params._asdict() if hasattr(params, "_asdict") else params
    if not isinstance(given, dict):
        raise JsonRpcInvalidParams(f"{method}: params must be an object{_takes(takes)}")
    unknown = sorted(set(given) - set(takes))
    if unknown:
        raise JsonRpcInvalidParams(f"{method}: unknown parameter {', '.join(map(repr, unknown))}{_takes(takes)}")
    for key, value in given.items():
        what, test = takes[key]
        if value is not None and not test(value):
            raise JsonRpcInvalidParams(f"{method}: {key!r} must be {what}")
    return {key: value for key, value in given.items() if value is not None}


def _takes(takes: dict) -> str:
    if not takes:
        return "; it takes none (send {} or no params)"
    return "; it takes " + ", ".join(f"{key!r} ({what})" for key, (what, _) in takes.items())
