"""The command line never repeats a detected secret: not in argparse's messages (a secret typed
as a command, a choice, an option or a `--tcp` address), not in what `policy eval` prints (its
errors, excerpts and results, even a secret the expression assembles from pieces or reads from
--vars), not in a git tag's name (a finding's path and document in every format); and masking
a located usage error leaves its `path:line:col:` readable."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hotfix_policy.engine.report import FORMATS
from tests.conftest import POLICY_COMMAND, REPO
from tests.hostile.fake_secrets import fake_secrets, leaked

SECRETS = fake_secrets()
KEY = SECRETS["aws_access_key_id"][1]
TOKEN = SECRETS["github_token"][1]


def policy(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([POLICY_COMMAND, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


ARGUMENTS = {
    "a command": [KEY],
    "a --fail-on choice": ["check", "--fail-on", KEY],
    "a --format choice": ["check", "--format", TOKEN],
    "a report format": ["report", "--format", KEY],
    "an unknown option": ["check", f"--{KEY}"],
    "an unknown option's value": ["check", f"--unknown={KEY}"],
    "a --tcp address": ["lsp", "--tcp", KEY],
    "a --tcp port": ["lsp", "--tcp", f"127.0.0.1:{KEY}"],
}


@pytest.mark.parametrize("where", ARGUMENTS)
def test_a_secret_in_the_command_line_is_masked(where, tmp_path: Path):
    done = policy(*ARGUMENTS[where], cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("policy")
    assert leaked(done.stdout + done.stderr, [KEY, TOKEN]) == []
    assert "█" in done.stderr


# the error each one makes -> the expression, `$` standing for the secret
EXPRESSIONS = {where: expression.replace("$", KEY) for where, expression in (
    ("a timestamp", "timestamp('$')"), ("an int", "int('$')"), ("an overload", "'$' + 1"),
    ("a missing key", "{'a': 1}['$']"), ("an unknown function", "'$'.foo()"))}


@pytest.mark.parametrize("where", EXPRESSIONS)
def test_eval_errors_and_excerpts_mask_the_expression_s_secrets(where, tmp_path: Path):
    done = policy("eval", EXPRESSIONS[where], cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("<expr>:1:")
    assert leaked(done.stdout + done.stderr, [KEY]) == []
    assert "█" * len(KEY) in done.stderr


@pytest.mark.parametrize("kind", sorted(SECRETS))
def test_eval_never_prints_a_secret_it_computes(kind, tmp_path: Path):
    line, secret = SECRETS[kind]
    half = len(line) // 2
    (tmp_path / "v.yaml").write_text(f"x: '{line}'\n", encoding="utf-8")
    for args in (["eval", f"'{line}'"], ["eval", f"'{line[:half]}' + '{line[half:]}'"],
                 ["eval", "x", "--vars", "v.yaml"]):
        done = policy(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert leaked(done.stdout, [secret]) == [] and "█" in done.stdout


def test_a_git_tag_s_name_is_masked_in_every_format(tmp_path: Path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "init")
    git("-c", "user.name=t", "-c", "user.email=t@e", "tag", "-a", f"v1.2.3-{KEY}", "-m", "release\n\nIncident: #7")
    (tmp_path / "incidents").mkdir()  # the tag's record: where SARIF places its finding
    (tmp_path / "incidents" / "INC-7.md").write_text("# INC-7: Checkout down\n", encoding="utf-8")
    (tmp_path / "p").mkdir()
    (tmp_path / ".policy.yaml").write_text("packs: []\npolicies: [p/]\n", encoding="utf-8")
    (tmp_path / "p" / "tag.yaml").write_text(
        "apiVersion: policy/v1\nkind: Policy\nmetadata: {name: t}\nspec:\n  appliesTo: tag\n  rules:\n"
        "    - id: T001\n      severity: error\n      expression: 'false'\n      message: every tag fails\n",
        encoding="utf-8")
    for fmt in FORMATS:
        done = policy("check", "--tags", "v*", "--format", fmt, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        assert "T001" in done.stdout and "v1.2.3-" in done.stdout
        assert leaked(done.stdout + done.stderr, [KEY]) == []


def test_masking_a_located_usage_error_keeps_its_location(tmp_path: Path):
    config = tmp_path / "packs_secret.yaml"
    config.write_text(f'packs: ["builtin:nope-{KEY}"]\n', encoding="utf-8")
    done = policy("check", "--config", str(config), ".", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("packs_secret.yaml:1:9: unknown built-in pack"), done.stderr
    assert leaked(done.stderr, [KEY]) == []


NAMED_AFTER_A_KEY = f"incidents/INC-3-{KEY}.md"
COMMANDS_THAT_SHOW_A_PATH = {
    "check --explain": ["check", ".", "--explain"],
    "explain": ["explain", "INC010", NAMED_AFTER_A_KEY],
    "parse": ["parse", NAMED_AFTER_A_KEY],
    "report as JSON": ["report", ".", "--format", "json"],
}


@pytest.mark.parametrize("command", COMMANDS_THAT_SHOW_A_PATH)
def test_a_file_named_after_a_secret_is_masked_wherever_its_path_is_shown(command, tmp_path: Path):
    """`policy check`'s formats mask such a name (test_secrets_never_repeated.py); the commands
    that explain, parse and count documents print paths too."""
    (tmp_path / "incidents").mkdir()
    (tmp_path / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    record = (REPO / "examples" / "incidents" / "INC-2042.md").read_text("utf-8")
    (tmp_path / NAMED_AFTER_A_KEY).write_text(record, encoding="utf-8")
    done = policy(*COMMANDS_THAT_SHOW_A_PATH[command], cwd=tmp_path)
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert leaked(done.stdout + done.stderr, [KEY]) == []
    assert "INC-3-█" in done.stdout


POLICY_NAMED_AFTER_A_KEY = f"policies/mine-{KEY}.yaml"
POLICY_TEXT = """apiVersion: policy/v1
kind: Policy
metadata: {name: mine}
spec:
  appliesTo: incident
  rules:
    - id: MY001
      severity: %s
      expression: doc.title == "x"
      message: the title is x
"""
POLICY_TEST_TEXT = f"""apiVersion: policy/v1
kind: PolicyTest
metadata: {{name: mine}}
cases:
  - name: a case named after {KEY}
    documents:
      INC-1-{KEY}.md: "# INC-1: y\\n\\nbody\\n"
    expect: {{INC-1-{KEY}.md: []}}
"""
COMMANDS_ON_A_POLICY_NAMED_AFTER_A_KEY = {
    "validate (its mistake)": (["validate", "policies"], "bogus", "policies/mine-█"),
    "test (a failing case)": (["test", "policies"], "error", "tests/mine-█"),
    "rules RULE": (["rules", "MY001"], "error", "policies/mine-█"),
    "rules --markdown": (["rules", "--markdown"], "error", "`mine-█"),
}


@pytest.mark.parametrize("command", COMMANDS_ON_A_POLICY_NAMED_AFTER_A_KEY)
def test_a_policy_or_policy_test_named_after_a_secret_is_masked_where_its_path_is_shown(command, tmp_path: Path):
    """Policy files and their tests come from the repository too: their names, a case's name and
    a case's document names are masked like a record's; the policy cache keeps no path at all."""
    arguments, severity, shown = COMMANDS_ON_A_POLICY_NAMED_AFTER_A_KEY[command]
    (tmp_path / "policies" / "tests").mkdir(parents=True)
    (tmp_path / POLICY_NAMED_AFTER_A_KEY).write_text(POLICY_TEXT % severity, encoding="utf-8")
    (tmp_path / "policies" / "tests" / f"mine-{KEY}.yaml").write_text(POLICY_TEST_TEXT, encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text("policies: [policies]\n", encoding="utf-8")
    cache = tmp_path / "cache"
    done = subprocess.run([POLICY_COMMAND, *arguments], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "XDG_CACHE_HOME": str(cache)})
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert leaked(done.stdout + done.stderr, [KEY]) == []
    assert shown in done.stdout, done.stdout
    cached = [path.read_text("utf-8") for path in cache.rglob("*.json")]
    assert cached or severity == "bogus"  # a policy with a mistake is not cached
    assert leaked("".join(cached), [KEY]) == []


def test_a_record_named_after_a_secret_is_sec001_on_it_run_after_run(tmp_path: Path):
    """A credential in a file's name is committed as much as one in its text: SEC001 on the
    document, masked, and again on the next run (no cache keeps a document so named)."""
    (tmp_path / "incidents").mkdir()
    (tmp_path / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    record = (REPO / "examples" / "incidents" / "INC-2042.md").read_text("utf-8")
    (tmp_path / NAMED_AFTER_A_KEY).write_text(record, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):
        done = subprocess.run([POLICY_COMMAND, "check", "incidents"], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, env=env)
        assert done.returncode == 1, done.stderr
        [finding] = [line for line in done.stdout.splitlines() if " SEC001 " in line]
        assert finding.startswith("incidents/INC-3-█") and "in the file's name" in finding
        assert leaked(done.stdout + done.stderr, [KEY]) == []


PASSWORD = SECRETS["password_assignment"][1]


@pytest.mark.parametrize("form, shown", [("json", "INC-12 password="), ("table", "INC-2043")])
def test_a_record_name_whose_secret_the_format_escapes_is_masked_in_the_report(form, shown, tmp_path: Path):
    """JSON writes `password="..."` as `password=\\"...\\"` and a tab as `\\t`: masked before the
    format escapes them, the secret is found as it is in the name."""
    (tmp_path / "incidents").mkdir()
    (tmp_path / ".policy.yaml").write_text("clock: 2026-11-26T12:00:00Z\n", encoding="utf-8")
    record = (REPO / "examples" / "incidents" / "INC-2042.md").read_text("utf-8")
    (tmp_path / "incidents" / f'INC-12 password="{PASSWORD}".md').write_text(record, encoding="utf-8")
    (tmp_path / "incidents" / f"INC-17 password\t= {PASSWORD}.md").write_text(
        record.replace("INC-2042", "INC-2043"), encoding="utf-8")
    done = policy("report", ".", "--format", form, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert leaked(done.stdout + done.stderr, [PASSWORD]) == [] and shown in done.stdout


def test_a_secret_a_policy_writes_in_a_finding_s_message_is_masked(tmp_path: Path):
    """A document's values are masked before any rule reads them, and so are the configuration's
    `data`, which a messageExpression may quote in part; a message's own words and the policy's
    name are the policy's: masked in the finding."""
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "mine.yaml").write_text((POLICY_TEXT % "error").replace(
        "message: the title is x", f"messageExpression: \"'ask %s or {KEY}'.format([data.contact.substring(4)])\""
    ).replace("name: mine", f"name: mine-{KEY}"), encoding="utf-8")
    (tmp_path / ".policy.yaml").write_text(f"packs: []\npolicies: [policies]\ndata: {{contact: '{TOKEN}'}}\n",
                                           encoding="utf-8")
    (tmp_path / "INC-1.md").write_text("# INC-1: y\n\nbody\n", encoding="utf-8")
    for form in ("text", "json", "sarif"):
        done = policy("check", "INC-1.md", "--format", form, cwd=tmp_path)
        assert done.returncode == 1 and "MY001" in done.stdout, done.stderr
        assert leaked(done.stdout + done.stderr, [KEY, TOKEN]) == []


@pytest.mark.parametrize("expression", ["doc.substring(4)", "doc.lowerAscii()", "doc.split('')"])
def test_eval_masks_vars_before_the_expression_reads_them(expression, tmp_path: Path):
    """As a document's values are: a part of a secret, or the secret in another case, is never
    computed from it."""
    (tmp_path / "vars.yaml").write_text(f"doc: {KEY}\n", encoding="utf-8")
    done = policy("eval", expression, "--vars", "vars.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert leaked(done.stdout.upper(), [KEY]) == [] and "█" in done.stdout


def test_a_secret_in_the_configuration_is_masked_in_waiver_findings_and_kept_out_of_the_caches(tmp_path: Path):
    """A token pasted as a waiver's approver: its WVR003 message and the excerpt under it are
    masked, on the run that reads the configuration and on the next one, which would otherwise
    read its data back from the cache: nothing of it is written there."""
    import shutil

    shutil.copytree(REPO / "examples", tmp_path / "examples")
    config = tmp_path / "examples" / ".policy.yaml"
    config.write_text(config.read_text(encoding="utf-8") + (
        "waivers:\n"
        "  - rules: [INC006]\n"
        "    documents: [INC-2042]\n"
        f"    justification: The pager failed, see {KEY}\n"
        f"    approved_by: {TOKEN}\n"
        "    expires: 2026-12-15\n"), encoding="utf-8")
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    environment.pop("HOTFIX_POLICY_NO_CACHE", None)
    for fmt in ("text", "json", "text"):
        done = subprocess.run([POLICY_COMMAND, "check", "examples", "--format", fmt], cwd=tmp_path, env=environment,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and "WVR003" in done.stdout, done.stderr
        assert leaked(done.stdout + done.stderr, [KEY, TOKEN]) == [], fmt
    assert "█" in done.stdout
    cached = b"".join(path.read_bytes() for path in (tmp_path / "cache").rglob("*") if path.is_file())
    assert KEY.encode() not in cached and TOKEN.encode() not in cached
