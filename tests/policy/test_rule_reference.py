"""The rule reference: every pack rule's workflow section is a heading of docs/hotfix-workflow.md
that lists it, its help link lands on its own heading in docs/rules.md, and its options are the
`data` keys its expressions read (rule, match, message, the variables they use), with defaults."""

from __future__ import annotations

import re

import pytest

from hotfix_policy.engine.policy.config import default_data
from hotfix_policy.engine.policy.engine_rules import ENGINE_RULES
from hotfix_policy.engine.policy.file_errors import FILE_ERRORS
from hotfix_policy.engine.policy import help_links
from hotfix_policy.engine.policy.help_links import heading_anchor, rule_help_url
from hotfix_policy.engine.policy.loader import load_policies
from hotfix_policy.engine.policy.rule_reference import as_text, reference
from hotfix_policy.engine.resources import resource_dir
from tests.conftest import REPO

PACK = resource_dir("policies") / "hotfix"
WORKFLOW = (REPO / "docs" / "hotfix-workflow.md").read_text(encoding="utf-8")
RULES_PAGE = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pack():
    return load_policies([PACK], default_data(), pack_of={PACK: "builtin:hotfix"})


def _sections(markdown: str) -> dict:
    """Heading anchor -> the text under it, up to the next heading."""
    parts = re.split(r"^#{1,6} (.+)$", markdown, flags=re.M)
    return {heading_anchor(title): body for title, body in zip(parts[1::2], parts[2::2])}


def test_every_pack_rule_names_a_workflow_section_that_lists_it(pack):
    sections = _sections(WORKFLOW)
    listed = {anchor: set(re.findall(r"\[([A-Z]+[0-9]{3})\]\(rules\.md#([a-z]+[0-9]{3})\)", body))
              for anchor, body in sections.items()}
    named: dict = {}
    for rule_id, (_, rule) in pack.rules().items():
        section = rule.docs.get("workflow")
        assert section, f"{rule_id} names no workflow section"
        assert "seed" not in rule.docs
        assert heading_anchor(section) in sections, f"{rule_id}: no heading {section!r} in docs/hotfix-workflow.md"
        named.setdefault(heading_anchor(section), set()).add((rule_id, rule_id.lower()))
    assert {anchor: ids for anchor, ids in listed.items() if ids} == named


def test_the_pack_readme_points_inside_the_repository():
    readme = (PACK / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme and "hotfix-workflow.md" in readme


def test_help_links_land_on_the_rules_own_heading(pack):
    headings = set(re.findall(r"^### ([A-Z]+[0-9]{3})$", RULES_PAGE, re.M))
    assert headings == set(pack.rules()) | set(ENGINE_RULES) | set(FILE_ERRORS)
    for code in FILE_ERRORS:  # the codes of mistakes in policy files, as the editor links them
        assert rule_help_url(code).endswith(f"/docs/rules.md#{code.lower()}")
    for rule_id, (policy, _) in pack.rules().items():
        url = rule_help_url(rule_id, policy)
        assert re.fullmatch(r"https://github\.com/[\w-]+/[\w-]+/blob/v[0-9.]+/docs/rules\.md#" + rule_id.lower(), url)
    assert rule_help_url("DOC002").endswith("/docs/rules.md#doc002")


def test_a_teams_rule_has_no_help_link(tmp_path):
    (tmp_path / "p.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    policies = load_policies([tmp_path / "p.yaml"], TEAM_DATA)
    policy, rule = policies.rules()["OPS001"]
    assert rule_help_url("OPS001", policy) == ""


TEAM_POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: ops}
spec:
  appliesTo: incident
  match: "!has(doc.severity) || doc.severity != data.quiet_level"
  variables:
    - name: limit
      expression: "data['eta_hours']"
    - name: late
      expression: "has(doc.eta) && doc.eta > doc.declared + duration(string(variables.limit) + 'h')"
  rules:
    - id: OPS001
      severity: warning
      expression: "!variables.late"
      messageExpression: "'ETA beyond ' + string(variables.limit) + ' hours; page ' + data.admins.join(', ')"
      docs: {summary: ETA is near, workflow: "Our runbook: Estimate"}
"""
TEAM_DATA = {**default_data(), "eta_hours": 4, "quiet_level": "LOW"}  # a team's keys, in its .policy.yaml


def test_options_are_the_data_keys_the_expressions_read_with_their_defaults(tmp_path):
    (tmp_path / "p.yaml").write_text(TEAM_POLICY, encoding="utf-8")
    policy, rule = load_policies([tmp_path / "p.yaml"], TEAM_DATA).rules()["OPS001"]
    options = reference(policy, rule).options
    # the rule through variables (indexing too), its message, then the policy's match
    assert [o.key for o in options] == ["eta_hours", "admins", "quiet_level"]
    admins = options[1]
    assert admins.default == [] and "bypass" in admins.description
    assert options[0].default is None  # a team's own key: no default in the schema
    text = as_text(reference(policy, rule))
    assert "Workflow: Our runbook: Estimate" in text and "http" not in text.split("Workflow:")[1].split("\n")[0]
    assert "    admins = []  Logins who may authorize" in text


def test_pack_reference_shows_why_examples_and_options(pack):
    policy, rule = pack.rules()["PR009"]
    ref = reference(policy, rule)
    assert [o.key for o in ref.options] == ["max_hotfix_files"] and ref.options[0].default == 10
    assert ref.failing is not None and ref.passing is not None
    section = RULES_PAGE.split("### PR009\n", 1)[1].split("\n### ", 1)[0]
    for part in ("#### Why", f"#### Fails: {ref.failing.name}", f"#### Passes: {ref.passing.name}",
                 "#### Options", "| `max_hotfix_files` | `10` |",
                 "Workflow: [Step 3: Make the smallest fix](hotfix-workflow.md#step-3-make-the-smallest-fix)"):
        assert part in section, part
    assert "```yaml\nctx:" in section  # the example's changed files, as a test case writes them


def test_sarif_help_uri_is_the_rules_page(tmp_path):
    import subprocess

    from tests.conftest import POLICY_COMMAND
    from tests.report.consumers import check_sarif

    result = subprocess.run([POLICY_COMMAND, "check", "examples", "--format", "sarif"], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    run = check_sarif(result.stdout, REPO)["runs"][0]
    assert run["tool"]["driver"]["informationUri"] == help_links.docs_url(help_links.RULES_PAGE)
    rules = run["tool"]["driver"]["rules"]
    assert rules and all(r["helpUri"] == rule_help_url(r["id"], _Builtin) for r in rules)
    assert all(r["properties"]["workflow"] for r in rules if r["id"] not in ENGINE_RULES)


class _Builtin:
    pack = "builtin:hotfix"
