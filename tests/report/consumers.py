"""What the reports' consumers accept, as checks every test that writes a report calls.

SARIF: the official 2.1.0 schema, and GitHub code scanning's placement rules (a result it can
place: a physical location in a file of the checkout, relative, with a region starting on a
line >= 1, and a fingerprint). JUnit: the Jenkins xunit plugin's `junit-10.xsd`. JSON: the
published `schemas/report.schema.json`. The standards' own files live in `../shared/external`:
without them the checks do what they can (placement, well-formed XML), and the tests that are
about the standards ask for the `standards` fixture (conftest.py), which skips them saying why.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hotfix_policy.engine.report.json_format import SCHEMA_FILE
from hotfix_policy.engine.resources import resource_dir

from .helpers import SHARED, sarif_errors, sarif_validator

JUNIT_XSD = SHARED / "external" / "junit-10.xsd"


def check_sarif(text: str, checkout: Path | None = None) -> dict:
    """The SARIF document, after asserting it is valid SARIF (when the schema is at hand) that
    code scanning can place (each file existing in `checkout`, when given)."""
    document = json.loads(text)
    if sarif_validator() is not None:
        assert sarif_errors(document) == []
    assert placement_problems(document, checkout) == []
    return document


def placement_problems(document: dict, checkout: Path | None = None) -> list[str]:
    """Each result GitHub could not place, or could not track across commits, and why."""
    problems = []
    for run in document["runs"]:
        if "%SRCROOT%" not in run.get("originalUriBaseIds", {}):
            problems.append("the run does not declare %SRCROOT%")
        for number, result in enumerate(run["results"]):
            problems += [f"result {number} ({result.get('ruleId')}): {problem}" for problem in _result_problems(result,
                                                                                                           checkout)]
    return problems


def _result_problems(result: dict, checkout: Path | None) -> list[str]:
    physical = [location["physicalLocation"] for location in result.get("locations", [])
                if "physicalLocation" in location]
    if not physical:
        return ["no physical location"]
    artifact, region = physical[0].get("artifactLocation", {}), physical[0].get("region", {})
    uri = artifact.get("uri", "")
    parts = urlsplit(uri)
    path = unquote(parts.path)
    problems = []
    if artifact.get("uriBaseId") != "%SRCROOT%":
        problems.append(f"uri {uri!r} is not relative to %SRCROOT%")
    if parts.scheme or parts.netloc or path.startswith("/") or ".." in path.split("/") or not path:
        problems.append(f"uri {uri!r} is not a relative path inside the checkout")
    elif checkout is not None and not (checkout / path).is_file():
        problems.append(f"{path} is not a file of the checkout")
    if not isinstance(region.get("startLine"), int) or region["startLine"] < 1:
        problems.append(f"region {region} has no start line >= 1")
    if not result.get("partialFingerprints", {}).get("primaryLocationLineHash"):
        problems.append("no primaryLocationLineHash")
    return problems


@cache
def junit_schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(JUNIT_XSD)))


def check_junit(text: str):
    """The JUnit report's root element, after asserting the xunit plugin's XSD accepts it (when
    the XSD is at hand)."""
    from lxml import etree

    root = etree.fromstring(text.encode("utf-8"))
    if JUNIT_XSD.is_file():
        schema = junit_schema()
        assert schema.validate(root), [str(error) for error in schema.error_log]
    return root


@cache
def report_validator():
    from jsonschema import Draft202012Validator

    schema = json.loads((resource_dir("schemas") / SCHEMA_FILE).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check_json(text: str) -> dict:
    """The JSON report, after asserting it matches the published schema."""
    data = json.loads(text)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in report_validator().iter_errors(data)]
    assert errors == []
    return data
