"""The GitHub side: a `pull_request` event, the list-reviews JSON and the changed files.

Format plumbing: the event's fields reach `data` through the `x-source: {"event": ...}`
paths of the pull_request schema; the PR body goes through the same extraction as a PR file,
its ranges counted inside the body (the event file is named as the document's path).
"""

from __future__ import annotations

import json
from pathlib import Path

from .loader import finish, parse_document
from .model import Document
from .schemas import load_schema
from .secrets import mask_strings
from .values import parse_handle, parse_timestamp


class EventError(ValueError):
    """An event, reviews or changed-files input that cannot be read: a usage error for the CLI."""


def _load_json(source, what: str):
    if isinstance(source, (dict, list)):
        return source
    try:
        return json.loads(Path(source).read_text(encoding="utf-8"))
    except OSError as error:
        raise EventError(f"{source}: cannot read {what}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EventError(f"{source}: {what} is not valid JSON: {error}") from None


def _walk(value, path: str):
    """Follow `a.b.c` (or `a.list[].name`) into a JSON value; None when absent."""
    for position, part in enumerate(path.split(".")):
        if part.endswith("[]"):
            items = value.get(part[:-2]) if isinstance(value, dict) else None
            if not isinstance(items, list):
                return None
            rest = ".".join(path.split(".")[position + 1:])
            return [_walk(item, rest) if rest else item for item in items]
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def pull_request(event, *, path: str | None = None) -> Document:
    """The `pull_request` document of a GitHub `pull_request` event (a file path or a dict)."""
    payload = _load_json(event, "the GitHub event")
    shown = path or (str(event) if not isinstance(event, dict) else "event.json")
    if not isinstance(payload, dict) or not isinstance(payload.get("pull_request"), dict):
        raise EventError(f"{shown}: not a pull_request event (no \"pull_request\" object)")
    body = payload["pull_request"].get("body") or ""
    document = parse_document(body or " ", path=shown, kind="pull_request")
    document.findings = [f for f in document.findings if not (f.rule == "DOC003" and "empty" in f.message)]
    facts: dict = {}
    for name, prop in load_schema("pull_request")["properties"].items():
        source = prop.get("x-source")
        if not isinstance(source, dict) or "event" not in source:
            continue
        value = _walk(payload, source["event"])
        if value is None:
            continue
        if prop.get("x-value") == "handle":
            value = parse_handle(str(value))
        elif prop.get("format") == "date-time":
            value = parse_timestamp(str(value))
            if value is None:
                continue
        elif prop.get("type") == "array":
            value = [item for item in value if isinstance(item, str)]
        facts[name] = value
    data = dict(document.data)
    data.pop("id", None)
    data.update(mask_strings(facts))  # the title, branches and labels: not part of the scanned body
    return finish(document, "pull_request", data, document.spans, document.anchors, document.placeholders,
                  source_text=document.text, validate_always=True)


def load_reviews(source) -> list:
    """GitHub's list-reviews JSON (a path or the parsed list) as a list of review dicts."""
    reviews = _load_json(source, "the reviews")
    if not isinstance(reviews, list):
        raise EventError(f"{source}: reviews must be a JSON list (GitHub's list-reviews response)")
    return [review for review in reviews if isinstance(review, dict)]


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
        payload = source
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise EventError(f"{source}: cannot read changed files: {error.strerror or error}") from None
        stripped = text.lstrip()
        if not stripped.startswith("["):
            return [line.strip() for line in text.splitlines() if line.strip()]
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise EventError(f"{source}: changed files look like JSON but are not valid: {error}") from None
    files = []
    for item in payload:
        if isinstance(item, str):
            files.append(item)
        elif isinstance(item, dict) and isinstance(item.get("filename"), str):
            files.append(item["filename"])
    return files
