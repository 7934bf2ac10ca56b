"""The GitHub side: a pull-request event, the list-reviews JSON and the changed files.

Format plumbing: the event's fields reach `data` through the `x-source: {"event": ...}`
paths of the pull_request schema; the PR body goes through the same extraction as a PR file,
its ranges counted inside the body (the event file is named as the document's path).
"""

from __future__ import annotations

from ..errors import did_you_mean
from .json_input import (
    JsonFile,
    JsonInputError,
    check_list_size,
    expect,
    parse_json,
    read_bounded_text,
    read_json,
)
from .model import Document, LineIndex
from .schemas import load_schema
from .secrets import mask_strings, secrets_in_names
from .values import parse_handle, parse_timestamp

EventError = JsonInputError
"""An event, reviews or changed-files input that cannot be read: a usage error for the CLI."""

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target", "pull_request_review")
"""The GitHub Actions events (`GITHUB_EVENT_NAME`) whose payload carries the PR as its
`pull_request` object: a run on any of them judges that PR, with or without `--github-event`."""


_RAW_TYPES = {"string": (str,), "integer": (int,), "boolean": (bool,)}
"""The JSON type an event field must have, by the type of the property it fills."""


def read_event(event) -> JsonFile:
    """A GitHub event (a path or decoded data) with its `pull_request` object and every field the
    product reads checked for its shape: a wrong shape is one located `JsonInputError`."""
    file = read_json(event, "the GitHub event")
    if not isinstance(file.data, dict) or not isinstance(file.data.get("pull_request"), dict):
        raise EventError(f"{file.path}: not a pull_request event (no \"pull_request\" object)")
    expect(file, ("pull_request", "body"), file.data["pull_request"].get("body"), (str,))
    for prop in _event_properties().values():
        _event_value(file, prop)
    return file


def _event_properties() -> dict:
    return {name: prop for name, prop in load_schema("pull_request")["properties"].items()
            if isinstance(prop.get("x-source"), dict) and "event" in prop["x-source"]}


def _event_value(file: JsonFile, prop: dict):
    """The raw value at the property's `x-source.event` path (`a.b.c`, `a.list[].name`), None
    when absent."""
    raw = prop.get("items", prop) if prop.get("type") == "array" else prop
    leaf = (str,) if raw.get("x-value") == "handle" or raw.get("format") == "date-time" \
        else _RAW_TYPES.get(raw.get("type"), (str,))
    return _value_at(file, file.data, (), prop["x-source"]["event"].split("."), leaf)


def _value_at(file: JsonFile, value, keys: tuple, parts: list, leaf: tuple):
    for position, part in enumerate(parts):
        listed = part.endswith("[]")
        if expect(file, keys, value, (dict,)) is None:
            return None
        keys = keys + (part[:-2] if listed else part,)
        value = value.get(keys[-1])
        if listed:
            if expect(file, keys, value, (list,)) is None:
                return None
            check_list_size(file, keys, value, "the list")
            return [_value_at(file, item, keys + (index,), parts[position + 1:], leaf)
                    for index, item in enumerate(value)]
    return expect(file, keys, value, leaf)


def pull_request(event, *, path: str | None = None) -> Document:
    """The `pull_request` document of a GitHub event that carries the PR (PULL_REQUEST_EVENTS; a
    file path or a dict)."""
    from .loader import parse_document  # extraction's modules: a run that replays never needs them
    from .pipeline import finish

    file = read_event(event)
    shown = path or (str(event) if not isinstance(event, dict) else "event.json")
    body = file.data["pull_request"].get("body") or ""
    document = parse_document(body or " ", path=shown, kind="pull_request")
    document.findings = [f for f in document.findings if not (f.rule == "DOC003" and "empty" in f.message)]
    facts: dict = {}
    for name, prop in _event_properties().items():
        value = _event_value(file, prop)
        if value is None:
            continue
        if prop.get("x-value") == "handle":
            value = parse_handle(value)
        elif prop.get("format") == "date-time":
            value = parse_timestamp(value)
            if value is None:
                continue
        elif prop.get("type") == "array":
            value = [item for item in value if isinstance(item, str)]
        facts[name] = value
    document.secrets += _secrets_in_facts(facts, LineIndex(document.text).span(0, 0))
    data = dict(document.data)
    data.pop("id", None)
    data.update(mask_strings(facts))  # the title, branches and labels: not part of the scanned body
    return finish(document, "pull_request", data, document.spans, document.anchors, document.placeholders,
                  source_text=document.text, validate_always=True)


def _secrets_in_facts(facts: dict, where) -> list:
    """A secret in the title, a branch name or a label: SEC001, named by field, at the start of the
    PR document (the event has no lines)."""
    named = [(f"the pull request's {name}", text) for name, value in facts.items()
             for text in (value if isinstance(value, list) else [value]) if isinstance(text, str)]
    return secrets_in_names(named, where)


def event_context(event: dict) -> dict:
    """What a `pull_request` event tells `ctx`: the event itself, head and base branch, author
    and labels (read from an event `read_event` has checked)."""
    pull = event["pull_request"]
    return {"event": event,
            "branch": str((pull.get("head") or {}).get("ref") or ""),
            "base": str((pull.get("base") or {}).get("ref") or ""),
            "author": str((pull.get("user") or {}).get("login") or "").lower(),
            "labels": [str(label.get("name")) for label in pull.get("labels") or [] if isinstance(label, dict)]}


REVIEW_STATES = ("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING")
"""The states of a pull request review in GitHub's REST API."""


def load_reviews(source) -> list:
    """GitHub's list-reviews JSON (a path or the parsed list) as a list of review dicts, each
    field the product reads checked for its shape."""
    file = read_json(source, "the reviews")
    if not isinstance(file.data, list):
        raise EventError(f"{file.path}: reviews must be a JSON list (GitHub's list-reviews response)")
    check_list_size(file, (), file.data, "the reviews")
    for index, review in enumerate(file.data):
        expect(file, (index,), review, (dict,), optional=False)
        user = expect(file, (index, "user"), review.get("user"), (dict,))
        if user is not None:
            expect(file, (index, "user", "login"), user.get("login"), (str,))
        for field in ("state", "submitted_at"):
            expect(file, (index, field), review.get(field), (str,))
        state = review.get("state")
        if state is not None and state.upper() not in REVIEW_STATES:
            # a misspelt APPROVED would otherwise count as no approval, without a word
            raise file.error_at((index, "state"), f"'{state}' is not one of GitHub's review states "
                                f"({', '.join(REVIEW_STATES)}){did_you_mean(state.upper(), REVIEW_STATES)}")
    return file.data


def approvals(reviews: list) -> list:
    """`ctx.approvals`: `[{"login", "at"}]` for reviewers whose latest decisive review approves.

    A later CHANGES_REQUESTED or DISMISSED cancels an approval; COMMENTED changes nothing.
    """
    latest: dict = {}
    for review in reviews:
        login = (review.get("user") or {}).get("login")
        state = str(review.get("state", "")).upper()
        if not login or state not in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            continue
        at = parse_timestamp(str(review.get("submitted_at") or ""))
        latest[login.lower()] = (state, at, login)
    result = []
    for login, (state, at, written) in latest.items():
        if state == "APPROVED":
            entry = {"login": login}
            if at is not None:
                entry["at"] = at
            result.append(entry)
    return sorted(result, key=lambda entry: (entry.get("at") is None, entry.get("at") or 0, entry["login"]))


def load_changed_files(source) -> list:
    """`--changed-files`: one path a line, or GitHub's list-files JSON (`[{"filename": ...}]`)."""
    if isinstance(source, list):
        file = read_json(source, "the changed files")
    else:
        text = read_bounded_text(str(source), "the changed files")
        if not text.lstrip().startswith("["):
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            return check_list_size(JsonFile(str(source), text, lines), (), lines, "the changed files")
        file = parse_json(text, str(source), "the changed files")
    files = []
    listed = check_list_size(file, (), expect(file, (), file.data, (list,), optional=False), "the changed files")
    for index, item in enumerate(listed):
        if isinstance(item, str):
            files.append(item)
        else:
            entry = expect(file, (index,), item, (dict, str), optional=False)
            files.append(expect(file, (index, "filename"), entry.get("filename"), (str,), optional=False))
    return files
