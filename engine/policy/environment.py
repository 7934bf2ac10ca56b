"""What a rule expression may name, and the types the checker holds it to.

`doc` is the `appliesTo` kind's JSON Schema, so `doc.severty` fails when the policy loads;
`docs`, `ctx` and `data` are records too; `variables` grows as a policy's variables are
declared; `item` takes the element type of `forEach`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..cel.types import (BOOL, DOUBLE, DYN, INT, STRING, TIMESTAMP, DURATION, ListType, MapType, RecordType, Type,
                         from_json_schema, join, list_of, map_of)
from ..documents import schema_for
from ..kinds import ANY, INCIDENT_LINKED_KINDS, KINDS, WORKSPACE

_APPROVAL = RecordType("approval", {"login": STRING, "at": TIMESTAMP},
                       {"login": "who approved (lower case)", "at": "when the approval was submitted"})
CONTEXT = RecordType("ctx", {
    "branch": STRING, "base": STRING, "author": STRING, "labels": list_of(STRING),
    "changed_files": list_of(STRING), "approvals": list_of(_APPROVAL), "event": map_of(STRING, DYN),
    "now": TIMESTAMP,
}, {
    "branch": "the PR's head branch (`--branch`, the event, or git)",
    "base": "the PR's base branch (`--base` or the event)",
    "author": "the PR's author login",
    "labels": "the PR's labels",
    "changed_files": "files the change touches (`--changed-files` or git); absent when unknown",
    "approvals": "approvals from `--reviews`: [{login, at}]; absent when unknown (use has())",
    "event": "the GitHub event payload, as given with `--github-event`",
    "now": "the time of the run (`--now`, the config's `clock`, else the clock)",
})




def context_without_pull_request(now) -> dict:
    """`ctx` that knows no pull request: the editor's, a test case's base, and the one a stored
    PR body of another PR is judged with (`pull_request_scope.py`). Unknown facts are absent."""
    return {"now": now, "branch": "", "base": "", "author": "", "labels": []}


@lru_cache(maxsize=None)
def document_type(kind: str) -> Type:
    return from_json_schema(schema_for(kind), kind)


@lru_cache(maxsize=None)
def docs_type() -> RecordType:
    fields = {kind: list_of(document_type(kind)) for kind in KINDS}
    descriptions = {kind: f"every {kind} document of the run" for kind in KINDS}
    linked = RecordType("incident documents", {kind: list_of(document_type(kind)) for kind in INCIDENT_LINKED_KINDS},
                        {kind: f"the {kind} documents of the run that are or name this incident"
                         for kind in INCIDENT_LINKED_KINDS})
    fields["by_incident"] = map_of(INT, linked)
    descriptions["by_incident"] = ("incident number -> the run's documents that are or name that incident, by kind "
                                   "(`docs.by_incident[2041].post_incident_review`); use it instead of scanning "
                                   "a kind's list, which is slow in large runs")
    return RecordType("docs", fields, descriptions)


def value_type(value: Any) -> Type:
    """The static type of configuration data, inferred from its value."""
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return DOUBLE
    if isinstance(value, str):
        return STRING
    if isinstance(value, list):
        element = None
        for item in value:
            t = value_type(item)
            element = t if element is None else join(element, t)
        return list_of(element or DYN)
    if isinstance(value, dict):
        return map_of(STRING, DYN)
    from datetime import datetime, timedelta

    if isinstance(value, datetime):
        return TIMESTAMP
    if isinstance(value, timedelta):
        return DURATION
    return DYN


def data_type(data: dict) -> RecordType:
    """`data` as a record of the keys the run has: a misspelt `data.admnis` fails at load."""
    return RecordType("data", {key: value_type(value) for key, value in data.items()})


def declarations(applies_to: str, data: dict, variables: dict) -> dict:
    """The declarations for an expression of a policy with this `appliesTo`."""
    return typed_declarations(applies_to, data_type(data), variables)


def typed_declarations(applies_to: str, data: RecordType, variables: dict) -> dict:
    """`declarations` with the type of `data` already worked out (`data_type`): the policy loader
    works it out once for the hundreds of expressions of a pack."""
    declared: dict = {"docs": docs_type(), "ctx": CONTEXT, "data": data,
                      "variables": RecordType("variables", dict(variables))}
    if applies_to == ANY:
        declared["doc"] = map_of(STRING, DYN)
    elif applies_to != WORKSPACE:
        declared["doc"] = document_type(applies_to)
    return declared


def element_type(collection: Type) -> Type:
    """What `forEach` binds as `item`."""
    if isinstance(collection, ListType):
        return collection.element
    if isinstance(collection, (MapType, RecordType)):
        return STRING
    return DYN
