"""The policy load cache's entries are compiled when a run first evaluates them, and keyed by the
engine's code: a run that replays its outcome compiles nothing, one that evaluates a rule gets
what a load from the YAML gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotfix_policy.engine.cache_folder import intact_length, sealed
from hotfix_policy.engine.policy import cache, code_digest, loader
from hotfix_policy.engine.policy.config import default_data
from hotfix_policy.engine.resources import resource_dir
from tests.hostile.fake_secrets import fake_secrets

PACK = resource_dir("policies") / "hotfix"


@pytest.fixture
def compiled(monkeypatch, tmp_path: Path) -> list:
    """The texts of the expressions compiled from now on (the cache in a folder of the test's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    texts: list = []
    compile_expression = loader.compile_expression

    def counted(text, *args, **kwargs):
        texts.append(text)
        return compile_expression(text, *args, **kwargs)

    monkeypatch.setattr(loader, "compile_expression", counted)
    return texts


def _programs(policies) -> list:
    return [expression for policy in policies.policies
            for expression in ([policy.match] if policy.match else []) + [v.expression for v in policy.variables]
            + [part for rule in policy.rules
               for part in (rule.for_each, rule.expression, rule.target, rule.message_expression) if part]]


def test_a_cached_pack_compiles_an_expression_only_when_it_is_evaluated(compiled: list):
    from_yaml = loader.load_policies([PACK], default_data())
    expressions = len(_programs(from_yaml))
    assert len(compiled) == expressions > 200  # the first load reads the YAML and compiles all
    compiled.clear()
    from_cache = loader.load_policies([PACK], default_data())
    assert compiled == []
    incident = next(p for p in from_cache.policies if p.applies_to == "incident" and p.variables)
    rule = next(r for r in incident.rules if r.for_each is not None)
    assert rule.expression.program.result_type == next(
        r for p in from_yaml.policies for r in p.rules if r.id == rule.id).expression.program.result_type
    # the rule, its forEach (the type of `item`) and the variables declared before it: no other policy's
    assert rule.expression.source in compiled and rule.for_each.source in compiled
    assert len(compiled) <= 1 + 1 + len(incident.variables) < expressions


def test_every_cached_expression_is_typed_as_the_yaml_s(compiled: list):
    from_yaml = _programs(loader.load_policies([PACK], default_data()))
    from_cache = _programs(loader.load_policies([PACK], default_data()))
    assert [e.source for e in from_cache] == [e.source for e in from_yaml]
    assert [str(e.program.result_type) for e in from_cache] == [str(e.program.result_type) for e in from_yaml]


def test_another_engine_code_is_another_key(monkeypatch):
    raw = (PACK / "incident.yaml").read_bytes()
    before = cache.key(raw, "incident.yaml", default_data())
    monkeypatch.setattr(code_digest, "code_digest", lambda: "an engine with one file changed")
    assert cache.key(raw, "incident.yaml", default_data()) != before


@pytest.mark.parametrize("tree", [{"node": "Popen", "args": ["touch", "x"]}, "not a tree", [1, 2], None])
def test_a_malformed_stored_tree_is_parsed_from_the_text_instead(tree, compiled: list, tmp_path: Path):
    policy_file, from_yaml, entry = _incident_policy_cached(tmp_path)
    stored = _stored(entry)
    keys, _ = stored["asts"][0]
    stored["asts"][0][1] = tree
    _store(entry, stored)
    from_cache = loader.load_policies([policy_file], default_data())
    damaged = _expression_at(from_cache, keys)
    assert str(damaged.program.result_type) == str(_expression_at(from_yaml, keys).program.result_type)
    assert damaged.program.source == damaged.source


def _stored(entry: Path) -> dict:
    """A policy cache entry's JSON, without the checksum that ends it."""
    raw = entry.read_bytes()
    return json.loads(raw[:intact_length(raw)])


def _store(entry: Path, stored: dict) -> None:
    """Write an entry as the cache would, checksum included: what a person who can write the
    folder could plant (README, "Security"), not damage."""
    entry.write_bytes(b"\n".join(sealed([json.dumps(stored).encode("utf-8")])))


def _incident_policy_cached(tmp_path: Path) -> tuple:
    """(a copy of the pack's incident policy, the policies loaded from its YAML, the cache entry
    that load wrote)."""
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text((PACK / "incident.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    from_yaml = loader.load_policies([policy_file], default_data())
    entry = tmp_path / "cache" / "hotfix-policy" / "policies" / (
        cache.key(policy_file.read_bytes(), loader.shown_path(policy_file), default_data()) + ".json")
    return policy_file, from_yaml, entry


def _expression_at(policies, keys: list):
    """The expression written at `keys` of the one policy's file."""
    (policy,) = policies.policies
    spec = {"match": policy.match, "variables": [v.expression for v in policy.variables], "rules": policy.rules}
    found = spec[keys[1]]
    if keys[1] == "match":
        return found
    found = found[keys[2]]
    return found if keys[1] == "variables" else getattr(found, {"expression": "expression", "forEach": "for_each",
                                                               "target": "target",
                                                               "messageExpression": "message_expression"}[keys[3]])


@pytest.mark.parametrize("part", ["forEach", "expression"])
def test_a_stored_tree_of_another_type_is_compiled_from_the_text(part: str, compiled: list, tmp_path: Path):
    """A rule's tree edited into an int: not iterated nor taken for a verdict, but read from the text."""
    policy_file, from_yaml, entry = _incident_policy_cached(tmp_path)
    stored = _stored(entry)
    index, keys = next((i, keys) for i, (keys, _) in enumerate(stored["asts"])
                       if keys[-1] == part and keys[1] == "rules" and "forEach" in stored["data"]["spec"]["rules"][keys[2]])
    stored["asts"][index][1] = ["Literal", 1, [0, 1, 1, 1, 1, 2], 7, "int"]
    _store(entry, stored)
    damaged = _expression_at(loader.load_policies([policy_file], default_data()), keys)
    assert str(damaged.program.result_type) == str(_expression_at(from_yaml, keys).program.result_type) != "int"


@pytest.mark.parametrize("edit", ["severity", "rules", "variable name"])
def test_an_entry_edited_into_no_policy_is_a_miss(edit: str, compiled: list, tmp_path: Path):
    policy_file, from_yaml, entry = _incident_policy_cached(tmp_path)
    stored = _stored(entry)
    spec = stored["data"]["spec"]
    if edit == "severity":
        spec["rules"][0]["severity"] = "fatal"
    elif edit == "rules":
        spec["rules"] = 5
    else:
        spec["variables"][0]["name"] = 7
    _store(entry, stored)
    (policy,) = loader.load_policies([policy_file], default_data()).policies
    assert [(r.id, r.severity) for r in policy.rules] == [(r.id, r.severity) for r in from_yaml.policies[0].rules]


def test_an_entry_edited_without_its_checksum_is_a_miss(compiled: list, tmp_path: Path):
    """Damage that still parses (a rule's severity edited) would change every run's verdicts."""
    policy_file, from_yaml, entry = _incident_policy_cached(tmp_path)
    raw = entry.read_bytes()
    rule = from_yaml.policies[0].rules[0]
    edited = raw.replace(f'"severity":"{rule.severity.value}"'.encode(), b'"severity":"info"', 1)
    assert edited != raw and rule.severity.value != "info"
    entry.write_bytes(edited)
    (policy,) = loader.load_policies([policy_file], default_data()).policies
    assert policy.rules[0].severity == rule.severity
    assert compiled  # read from the YAML again


def test_a_policy_holding_a_detected_secret_is_not_cached(compiled: list, tmp_path: Path):
    """A token pasted into a policy's message stays out of the cache folder, as a document's does."""
    policy_file = tmp_path / "policy.yaml"
    text = (PACK / "incident.yaml").read_text(encoding="utf-8")
    token = fake_secrets()["github_token"][1]
    policy_file.write_text(text.replace("message: ", f"message: {token} ", 1), encoding="utf-8")
    loader.load_policies([policy_file], default_data())
    folder = tmp_path / "cache" / "hotfix-policy" / "policies"
    assert not any(token.encode() in entry.read_bytes() for entry in folder.glob("*.json"))
    assert not (folder / (cache.key(policy_file.read_bytes(), loader.shown_path(policy_file), default_data())
                          + ".json")).exists()
