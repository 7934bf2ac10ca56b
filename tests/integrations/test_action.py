"""The GitHub Action (action.yml) run locally against a fixture pull_request event.

A temp git repository holds the bundled example's incident records and review; the event is the
example's PR #318; a fake `gh` first on PATH answers `gh api .../reviews` and `.../files` with
fixture JSON, in two pages each, as `--paginate` prints them. The action's run steps execute
as the runner would (tests/integrations/action_runner.py), after its install step has installed
the package from the action's path into a fresh virtual environment.

Both checkouts (the one the install step runs beside, the PR's) hold the hostile modules of
`tests/launchers/hostile.py` (a `pip/` among them): no step may import them.
"""

from __future__ import annotations

import html
import importlib
import json
import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.integrations.action_runner import environment_for, load_action, run_action
from tests.launchers.hostile import markers_written, plant

EXAMPLES = REPO / "examples"
INSTALL_STEP = "Install hotfix-policy"

FAKE_GH = Path(__file__).with_name("fake_gh.py")


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The action's install step, run once as the runner runs it, beside a hostile checkout: it
    installs the package from the action's path into a fresh virtual environment, and imports
    nothing from the checkout. A `.pth` file lends the venv this interpreter's installed
    dependencies (whether it runs in a venv or not), so pip builds and installs the package only."""
    top = tmp_path_factory.mktemp("action-install")
    env_dir = top / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    (site_packages,) = (env_dir / "lib").glob("python*/site-packages")
    lent = [p for p in dict.fromkeys([*site.getsitepackages(), sysconfig.get_paths()["purelib"]]) if Path(p).is_dir()]
    (site_packages / "lent-dependencies.pth").write_text("".join(f"{p}\n" for p in lent), encoding="utf-8")
    checkout = top / "checkout"
    plant(checkout, top / "markers")
    environment = dict(os.environ, PATH=f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}", PIP_NO_INPUT="1",
                       GITHUB_WORKSPACE=str(checkout))
    environment.pop("VIRTUAL_ENV", None)
    others = tuple(s["name"] for s in load_action(REPO / "action.yml")["runs"]["steps"] if s["name"] != INSTALL_STEP)
    (top / "runner").mkdir()
    done = run_action(REPO, {"python-version": ""}, environment, top / "runner", skip=others).step(INSTALL_STEP)
    assert done.ran and done.returncode == 0, done.stdout + done.stderr
    assert markers_written(top / "markers") == []
    assert (env_dir / "bin" / "policy").exists()
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import hotfix_policy.engine as engine; print(engine.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=env_dir)
    assert str(env_dir) in where.stdout, where.stdout + where.stderr     # the installed copy runs
    return env_dir / "bin"


@pytest.fixture
def pull_request(tmp_path) -> dict:
    """A checked-out PR: the repository, the event file and the fake gh's fixtures."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    plant(workspace, tmp_path / "markers")
    for name in ("incidents", "reviews", "commits"):
        shutil.copytree(EXAMPLES / name, workspace / name)
    shutil.copy(EXAMPLES / ".policy.yaml", workspace / ".policy.yaml")
    subprocess.run([*GIT, "init", "-q"], cwd=workspace, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=workspace, check=True)
    subprocess.run([*GIT, "commit", "-qm", "fixture"], cwd=workspace, check=True)
    base = _head(workspace)
    subprocess.run([*GIT, "commit", "-q", "--allow-empty", "-m", "the hotfix"], cwd=workspace, check=True)
    sha = _head(workspace)
    event = json.loads((EXAMPLES / "github" / "event.json").read_text(encoding="utf-8"))
    event["pull_request"]["head"]["sha"] = sha
    event["pull_request"]["base"]["sha"] = base
    event_path = tmp_path / "_github_workflow" / "event.json"
    event_path.parent.mkdir()
    event_path.write_text(json.dumps(event, indent=2), encoding="utf-8")

    gh_dir = tmp_path / "fake-gh"
    gh_dir.mkdir()
    shutil.copy(FAKE_GH, gh_dir / "gh")
    (gh_dir / "gh").chmod(0o755)
    reviews = json.loads((EXAMPLES / "github" / "reviews.json").read_text(encoding="utf-8"))
    commented = {"id": 2, "user": {"login": "dana-k"}, "state": "COMMENTED", "submitted_at": "2026-10-27T14:20:00Z"}
    (gh_dir / "reviews-1.json").write_text(json.dumps([commented], indent=2) + "\n", encoding="utf-8")
    (gh_dir / "reviews-2.json").write_text(json.dumps(reviews) + "\n", encoding="utf-8")
    files = [line for line in (EXAMPLES / "github" / "changed-files.txt").read_text().splitlines() if line]
    (gh_dir / "files-1.json").write_text(json.dumps([{"filename": files[0], "status": "modified"}]), encoding="utf-8")
    (gh_dir / "files-2.json").write_text(json.dumps([{"filename": f, "status": "modified"} for f in files[1:]]),
                                         encoding="utf-8")
    return {"workspace": workspace, "event": event_path, "sha": sha, "base": base, "gh": gh_dir, "tmp": tmp_path,
            "changed": files}


GIT = ["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", "-c", "init.defaultBranch=main"]


def _head(repository: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repository, check=True, capture_output=True,
                          text=True).stdout.strip()


def shown(markdown: str) -> str:
    """What a reader of rendered Markdown sees of inert text: backslash escapes and entities
    resolved, the word joiner that keeps an @handle from pinging gone."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
    return html.unescape(text).replace(markdown_text.WORD_JOINER, "")


def run(pull_request: dict, installed: Path, inputs: dict | None = None, **variables):
    env = environment_for(pull_request["workspace"], pull_request["event"], [pull_request["gh"], installed],
                          FAKE_GH_DIR=str(pull_request["gh"]), **variables)
    return run_action(REPO, inputs or {}, env, pull_request["tmp"] / "runner", skip=(INSTALL_STEP,))


def test_pull_request_with_findings(pull_request, installed):
    result = run(pull_request, installed)

    calls = (pull_request["gh"] / "calls.log").read_text().splitlines()
    assert calls == ["api repos/example/shop/pulls/318/reviews?per_page=100 --paginate",
                     "api repos/example/shop/pulls/318/files?per_page=100 --paginate",
                     "api repos/example/shop/issues/318/comments?per_page=100 --paginate",
                     "api --method POST repos/example/shop/issues/318/comments --input -"]

    check = result.step("Check the hotfix policies")
    assert check.ran and check.returncode == 0, check.stderr
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    # The PR body's lines are not the event file's: the annotation names the PR and the line.
    assert "::error title=PR006::pr:318 (the pull request's description, line 16): " \
           "'New test validates fix' is not checked" in check.stdout
    assert any(a.startswith("::error file=incidents/INC-2042.md,line=46,") and "title=INC010::" in a
               for a in annotations)
    assert sorted(a.split("title=")[1].split("::")[0] for a in annotations) == \
        ["INC006", "INC006", "INC010", "PR006", "PR011", "PR014"]
    # The reviews reached the run (an approval by lee: no "approvals unknown" PR010), and so did
    # both pages of changed files (PR014 counts them).
    assert "title=PR010" not in check.stdout
    assert "None of the 2 changed files is a test" in check.stdout

    assert result.outputs["exit-code"] == "1"
    assert (result.outputs["errors"], result.outputs["warnings"], result.outputs["documents"]) == ("3", "3", "5")
    from tests.report.consumers import check_sarif

    sarif = check_sarif(Path(result.outputs["sarif-file"]).read_text(encoding="utf-8"), pull_request["workspace"])
    results = sarif["runs"][0]["results"]
    # The PR body's findings (PR006, PR011, PR014) have no file of the checkout: not in SARIF.
    assert sorted(r["ruleId"] for r in results) == ["INC006", "INC006", "INC010"]
    assert {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]} == {"INC006", "INC010"}

    upload = result.step("Upload SARIF to code scanning")
    assert upload.uses.startswith("github/codeql-action/upload-sarif@") and upload.ran
    assert upload.with_ == {"sarif_file": result.outputs["sarif-file"], "category": "hotfix-policy"}

    summary = result.summary
    assert "❌ **Failed**: findings at or above `error` remain unwaived (5 documents checked)." in summary
    assert "| 3 | 3 | 0 | 0 | 5 |" in summary
    assert "| 🔴 error | PR006 | pull request \\#318 body, line 16 | 'New test validates fix' is not checked" in summary
    link = f"[incidents/INC\\-2042\\.md\\:46](https://github.com/example/shop/blob/{pull_request['sha']}/incidents/INC-2042.md#L46)"
    assert f"| 🔴 error | INC010 | {link} | No post\\-incident review names INC\\-2042" in summary
    assert "\\(13\\:25 \\-&gt; 14\\:12 UTC\\)" in summary          # no raw HTML in the summary
    rows = [line for line in summary.splitlines() if line.startswith("| 🔴") or line.startswith("| 🟡")]
    assert len(rows) == 6 and rows[0].startswith("| 🔴") and rows[-1].startswith("| 🟡")

    final = result.step("Exit with policy check's status")
    assert final.ran and final.returncode == 1
    assert result.exit_code == 1
    assert markers_written(pull_request["tmp"] / "markers") == []     # nothing of the checkout ran


@pytest.mark.parametrize("event_name", ["pull_request_review", "pull_request_target"])
def test_review_event_rechecks_the_pull_request(pull_request, installed, event_name):
    """A submitted review re-runs the check: same PR, fresh reviews from gh (and so does a
    pull_request_target run, whose payload carries the PR the same way)."""
    result = run(pull_request, installed, GITHUB_EVENT_NAME=event_name)
    assert len((pull_request["gh"] / "calls.log").read_text().splitlines()) == 4      # reviews, files, the comment
    assert result.outputs["errors"] == "3" and "title=PR006" in result.step("Check the hotfix policies").stdout


def test_fail_on_never_passes_without_upload(pull_request, installed):
    result = run(pull_request, installed, {"fail-on": "never", "upload-sarif": "false"})
    assert result.outputs["exit-code"] == "0"
    assert not result.step("Upload SARIF to code scanning").ran
    assert "✅ **Passed**: nothing unwaived at or above `never` (5 documents checked)." in result.summary
    assert result.step("Exit with policy check's status").returncode == 0 and result.exit_code == 0


def test_paths_and_args_inputs(pull_request, installed):
    """Only the incidents folder, with an extra argument: INC-2042 has no review in sight."""
    result = run(pull_request, installed, {"paths": "incidents\nreviews", "args": "--now 2026-10-28T00:00:00Z"})
    check = result.step("Check the hotfix policies")
    assert "policy check: incidents reviews --fail-on error --github-event" in check.stdout
    assert "--now 2026-10-28T00:00:00Z" in check.stdout
    assert "title=INC010" not in check.stdout                # the review is not due yet on the 28th
    assert result.outputs["exit-code"] == "1"               # PR006 and PR011 remain


def test_usage_error_stops_with_exit_2(pull_request, installed):
    result = run(pull_request, installed, {"args": "--config no-such.yaml"})
    check = result.step("Check the hotfix policies")
    assert result.outputs["exit-code"] == "2" and "sarif-file" not in result.outputs
    assert any(line.startswith("::error title=hotfix-policy::") and "no-such.yaml: no such configuration file"
               in line for line in check.stdout.splitlines()), check.stdout
    assert "`policy check` stopped (exit 2)" in result.summary and "no-such.yaml" in result.summary
    assert not result.step("Upload SARIF to code scanning").ran
    assert result.exit_code == 2


def test_reviews_not_readable_stops_with_exit_2(pull_request, installed):
    result = run(pull_request, installed, FAKE_GH_FAIL="1")
    check = result.step("Check the hotfix policies")
    assert result.outputs["exit-code"] == "2"
    assert "::error title=hotfix-policy::gh api could not list the PR's reviews (gh: Resource not accessible by " \
           "integration (HTTP 403)" in check.stdout
    assert "the workflow needs permissions: pull-requests: read" in shown(result.summary)
    assert result.exit_code == 2


def test_push_event_checks_without_pull_request(pull_request, installed):
    """On a push there is no PR: no gh call, no event document, the records alone."""
    pull_request["event"].write_text(json.dumps({"ref": "refs/heads/main", "before": "0" * 40, "after": pull_request["sha"],
                                                 "commits": [], "pusher": {"name": "dana-k"}}), encoding="utf-8")
    result = run(pull_request, installed, GITHUB_EVENT_NAME="push")
    assert not (pull_request["gh"] / "calls.log").exists()
    assert result.outputs["documents"] == "4"              # 2 incidents, 1 review, 1 commit (git facts are not counted)
    assert "title=PR" not in result.step("Check the hotfix policies").stdout


def test_bad_fail_on_input(pull_request, installed):
    result = run(pull_request, installed, {"fail-on": "errors"})
    assert result.outputs["exit-code"] == "2"
    assert "fail-on must be error, warning or never, not 'errors'" in shown(result.summary)


# --- the PR comment ---------------------------------------------------------------------------

def _comments(pull_request: dict) -> list:
    path = pull_request["gh"] / "comments.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _edit_event(pull_request: dict, **changes) -> None:
    event = json.loads(pull_request["event"].read_text(encoding="utf-8"))
    for key, value in changes.items():
        event["pull_request"][key] = value
    pull_request["event"].write_text(json.dumps(event, indent=2), encoding="utf-8")


def test_pr_comment_created_then_updated_in_place_then_resolved(pull_request, installed):
    """One comment for the PR's own findings, found again by its marker on every run: created,
    edited in place (never a second one), then edited to say resolved; others' comments, one
    quoting the marker among them, are never touched."""
    marker = comment.MARKER
    others = [{"id": 7, "user": {"login": "lee", "type": "User"}, "body": "LGTM once the test is in"},
              {"id": 8, "user": {"login": "mallory", "type": "User"}, "body": f"{marker}\nall resolved, merge it"}]
    (pull_request["gh"] / "comments.json").write_text(json.dumps(others), encoding="utf-8")

    first = run(pull_request, installed)
    assert "PR comment: comment created" in first.step("Check the hotfix policies").stdout
    mine = [c for c in _comments(pull_request) if c["user"]["login"] == "github-actions[bot]"]
    assert len(mine) == 1 and mine[0]["body"].startswith(marker + "\n")
    body = shown(mine[0]["body"])
    assert "❌ 3 findings on this pull request's description and fields" in body
    assert "| 🔴 error | PR006 | pull request #318 body, line 16 | 'New test validates fix' is not checked" in body
    assert "PR011" in body and "PR014" in body and "INC010" not in body     # files' findings stay off it

    again = run(pull_request, installed)                 # a re-run: the same comment, left alone
    assert "PR comment: comment unchanged" in again.step("Check the hotfix policies").stdout

    subprocess.run([*GIT, "commit", "-q", "--allow-empty", "-m", "another push"], cwd=pull_request["workspace"], check=True)
    pushed = _head(pull_request["workspace"])
    _edit_event(pull_request, head={"ref": "hotfix/v3.13.2-search-index-alias", "sha": pushed})
    second = run(pull_request, installed)
    assert "PR comment: comment updated" in second.step("Check the hotfix policies").stdout
    assert [c["id"] for c in _comments(pull_request)] == [7, 8, mine[0]["id"]]
    assert f"(as of {pushed[:12]})" in shown(_comments(pull_request)[2]["body"])

    _edit_event(pull_request, body="Fix a typo in the README.", title="Fix a typo", labels=[],
                head={"ref": "docs/readme-typo", "sha": pushed})
    third = run(pull_request, installed)
    assert "PR comment: comment resolved" in third.step("Check the hotfix policies").stdout
    resolved = _comments(pull_request)
    assert len(resolved) == 3 and resolved[:2] == others
    assert shown(resolved[2]["body"]).startswith(f"{marker}\n### hotfix-policy: this pull request\n\n"
                                                 f"✅ The findings on this pull request's description and fields are "
                                                 f"resolved (as of {pushed[:12]}).")
    fourth = run(pull_request, installed)
    assert "PR comment: comment unchanged" in fourth.step("Check the hotfix policies").stdout
    writes = [call.split()[2] for call in (pull_request["gh"] / "calls.log").read_text().splitlines()
              if call.startswith("api --method")]
    assert writes == ["POST", "PATCH", "PATCH"]
    assert fourth.outputs["exit-code"] == "1"             # INC010 on the record remains


def test_pr_comment_without_write_permission_falls_back_to_the_summary(pull_request, installed):
    result = run(pull_request, installed, FAKE_GH_READ_ONLY="1")
    check = result.step("Check the hotfix policies")
    warnings = [line for line in check.stdout.splitlines() if line.startswith("::warning title=hotfix-policy::")]
    assert warnings == ["::warning title=hotfix-policy::The pull request's own findings could not be posted as a PR "
                        "comment: gh api: gh: Resource not accessible by integration (HTTP 403) (the workflow needs "
                        "`permissions: pull-requests: write`); they are in the job summary."]
    summary = shown(result.summary)
    assert summary.count("could not be posted as a PR comment") == 1
    assert "'New test validates fix' is not checked" in summary      # the summary carries them
    assert _comments(pull_request) == [] and result.outputs["exit-code"] == "1"


def test_pr_comment_can_be_switched_off(pull_request, installed):
    result = run(pull_request, installed, {"pr-comment": "false"})
    assert not any("comments" in call for call in (pull_request["gh"] / "calls.log").read_text().splitlines())
    assert result.outputs["exit-code"] == "1"


def test_base_commit_fetched_when_missing_from_the_clone(pull_request, installed, tmp_path):
    """actions/checkout fetches one commit: the PR's base is fetched from origin, or the step stops."""
    origin = tmp_path / "origin"
    subprocess.run([*GIT, "commit", "-q", "--allow-empty", "-m", "one more"], cwd=pull_request["workspace"], check=True)
    newer = _head(pull_request["workspace"])
    subprocess.run(["git", "clone", "-q", "--bare", str(pull_request["workspace"]), str(origin)], check=True)
    clone = tmp_path / "clone"            # what actions/checkout leaves: the head commit alone
    subprocess.run(["git", "clone", "-q", "--depth=1", f"file://{origin}", str(clone)], check=True)
    pull_request["workspace"] = clone
    for name in ("incidents", "reviews", "commits", ".policy.yaml"):
        assert (clone / name).exists()
    _edit_event(pull_request, base={"ref": "main", "sha": pull_request["base"]},
                head={"ref": "hotfix/v3.13.2-search-index-alias", "sha": newer})
    missing = subprocess.run(["git", "cat-file", "-e", f"{pull_request['base']}^{{commit}}"], cwd=clone)
    assert missing.returncode != 0
    result = run(pull_request, installed)
    check = result.step("Check the hotfix policies")
    assert f"fetching the PR's base commit {pull_request['base']}" in check.stdout
    assert subprocess.run(["git", "cat-file", "-e", f"{pull_request['base']}^{{commit}}"], cwd=clone).returncode == 0
    assert result.outputs["exit-code"] == "1"

    unknown = "0123456789abcdef0123456789abcdef01234567"
    _edit_event(pull_request, base={"ref": "main", "sha": unknown})
    result = run(pull_request, installed)
    assert result.outputs["exit-code"] == "2" and "sarif-file" not in result.outputs
    assert f"the PR's base commit {unknown} is not in the clone and 'git fetch --no-tags --depth=1 origin {unknown}' " \
           "failed" in result.step("Check the hotfix policies").stdout
    assert "check out with fetch-depth: 0" in shown(result.summary)


# --- nothing from the PR is interpreted: one test per sink ------------------------------------

HOSTILE_REASON = ("![pixel](https://evil.example/t.png) [click](https://evil.example/x) | ``` # Heading "
                  "<img src=x onerror=alert(1)> @ops-lead www.evil.example $x$")


def _hostile_body(pull_request: dict) -> None:
    event = json.loads(pull_request["event"].read_text(encoding="utf-8"))
    body = event["pull_request"]["body"].replace("No reviewer available within 2 hours", HOSTILE_REASON)
    _edit_event(pull_request, body=body)


def _assert_inert(markdown: str, allowed_links: str) -> None:
    """Markdown whose only links are ours, whose tables keep their columns and has no raw HTML,
    heading, fence, math or mention but the ones we wrote."""
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) - 2 in (4, 5), line                 # the findings' 4 columns, the counts' 5
        assert not line.startswith(("#", "```")) or line in ("## hotfix-policy", "### hotfix-policy: this pull request")
    links = re.findall(r"(?<!\\)\]\((?!\s)([^)]*)\)", markdown)
    assert all(link.startswith(allowed_links) for link in links), links
    assert "<img" not in markdown and "![" not in markdown and "@ops-lead" not in markdown
    assert "https://evil" not in markdown and "www.evil" not in markdown and "$x$" not in markdown


def test_hostile_markdown_stays_inert_in_the_summary(pull_request, installed):
    _hostile_body(pull_request)
    result = run(pull_request, installed)
    _assert_inert(result.summary, f"https://github.com/example/shop/blob/{pull_request['sha']}/")
    assert " ".join(HOSTILE_REASON.split()) in shown(result.summary)       # shown, as written


def test_hostile_markdown_stays_inert_in_the_pr_comment(pull_request, installed):
    _hostile_body(pull_request)
    run(pull_request, installed)
    (mine,) = _comments(pull_request)
    _assert_inert(mine["body"].replace(comment.MARKER, ""), "\u0000")      # no link at all
    assert " ".join(HOSTILE_REASON.split()) in shown(mine["body"])


def runner_commands(stream: str) -> list:
    """The workflow commands the runner would act on in one output stream: `::name ...::data`
    lines, none while `::stop-commands::TOKEN` is in force, until a `::TOKEN::` line."""
    commands, stopped = [], None
    for line in stream.splitlines():
        if stopped is not None:
            if line == f"::{stopped}::":
                stopped = None
            continue
        match = re.match(r"::([\w-]+)( [^:]*)?::(.*)", line)
        if match and match.group(1) == "stop-commands":
            stopped = match.group(3)
        elif match:
            commands.append(line)
    return commands


def test_hostile_policy_text_on_stderr_is_no_workflow_command(pull_request, installed):
    """`--explain` (on stderr) quotes a policy's summary; one with a newline and `::error::` is
    re-emitted between stop-commands and a random token, so the runner acts on no line of it."""
    folder = pull_request["workspace"] / "team-policies"
    folder.mkdir()
    (folder / "hostile.yaml").write_text(
        "apiVersion: policy/v1\nkind: Policy\nmetadata: {name: team}\nspec:\n  appliesTo: incident\n  rules:\n"
        "    - id: TEAM001\n      severity: error\n      expression: \"false\"\n      message: always\n"
        "      docs: {summary: \"Records are fine.\\n::error file=README.md::injected from a policy\"}\n",
        encoding="utf-8")
    config = pull_request["workspace"] / ".policy.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "policies: [team-policies]\n", encoding="utf-8")
    subprocess.run([*GIT, "add", "-A"], cwd=pull_request["workspace"], check=True)
    subprocess.run([*GIT, "commit", "-qm", "team policy"], cwd=pull_request["workspace"], check=True)
    _edit_event(pull_request, base={"ref": "main", "sha": _head(pull_request["workspace"])})
    result = run(pull_request, installed, {"args": "--explain"})
    check = result.step("Check the hotfix policies")
    assert "::error file=README.md::injected from a policy" in check.stderr.splitlines()   # it did reach stderr
    assert not any("injected" in command for command in runner_commands(check.stderr))
    assert not any("injected" in command for command in runner_commands(check.stdout))
    token = re.search(r"^::stop-commands::([0-9a-f]{32})$", check.stderr, re.M).group(1)
    assert check.stderr.rstrip("\n").endswith(f"::{token}::")
    assert "title=TEAM001::always" in check.stdout                     # our own annotations still work


# --- the helpers alone ------------------------------------------------------------------------

def _load_script(name: str):
    """A script of integrations/action/ as a module, imported as the runner runs it: with its own
    folder first on sys.path (so its imports of the scripts beside it resolve), only while loading."""
    folder = str(REPO / "integrations" / "action")
    sys.path.insert(0, folder)
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(folder)


pages = _load_script("pages")
summary = _load_script("summary")
comment = _load_script("comment")
markdown_text = _load_script("markdown_text")


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("[]\n", []),
    ('[{"a": 1}][{"a": 2}]', [{"a": 1}, {"a": 2}]),
    ('[\n  {"a": 1}\n]\n[\n  {"a": 2},\n  {"a": 3}\n]\n', [{"a": 1}, {"a": 2}, {"a": 3}]),
])
def test_pages_join(text, expected):
    assert pages.join_pages(text) == expected


def test_pages_join_rejects_what_is_not_pages():
    with pytest.raises(ValueError):
        pages.join_pages('{"message": "Not Found"}')
    with pytest.raises(ValueError):
        pages.join_pages("[1] oops")


def test_summary_cells_stay_in_their_cell():
    report = {"summary": {"documents": 1, "errors": 1, "warnings": 0, "infos": 0, "waived": 0},
              "findings": [{"rule": "X1", "severity": "error", "path": "a b/c.md", "line": 2, "waived": False,
                            "message": "a | b\n<script>alert(1)</script>"}]}
    places = summary.Places("", {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r",
                                 "GITHUB_SHA": "abc"})
    text = summary.render(report, 1, "error", places)
    row = text.splitlines()[-1]
    assert row == ("| 🔴 error | X1 | [a b/c\\.md\\:2](https://github.com/o/r/blob/abc/a%20b/c.md#L2) | "
                   "a \\| b &lt;script&gt;alert\\(1\\)&lt;/script&gt; |")


def test_summary_names_documents_that_are_not_files():
    report = {"summary": {"documents": 2, "errors": 0, "warnings": 1, "infos": 0, "waived": 1},
              "findings": [{"rule": "CMT001", "severity": "warning", "path": "commit:abc1234", "line": 1,
                            "waived": True, "message": "m"}]}
    text = summary.render(report, 0, "error", summary.Places("", {}))
    assert "| 🟡 warning (waived) | CMT001 | commit\\:abc1234, line 1 | m |" in text


def test_action_metadata():
    action = load_action(REPO / "action.yml")
    assert action["runs"]["using"] == "composite"
    assert {"python-version", "paths", "fail-on", "upload-sarif", "args"} <= set(action["inputs"])
    steps = action["runs"]["steps"]
    install = next(s for s in steps if s.get("name") == INSTALL_STEP)
    assert '"${{ github.action_path }}"' in install["run"]
    check = next(s for s in steps if s.get("id") == "check")
    # Inputs reach the script through the environment, never pasted into the shell text.
    assert "inputs." not in check["run"]
    assert all(s.get("shell") == "bash" for s in steps if "run" in s)


PYTHON_M_OR_C = re.compile(r"""(^|[\s;&|(])"?(python[\d.]*|\$\{?python\}?)"?\s+(-\w+\s+)*-[mc]\b""", re.M)


def test_no_step_runs_python_m_or_c_in_the_checkout():
    """`python -m`/`-c` put the working directory first on sys.path: in the PR's checkout they
    would run its code. Such a step runs elsewhere (the install step: in runner.temp); the
    check step runs the `policy` console script and our scripts by path."""
    steps = load_action(REPO / "action.yml")["runs"]["steps"]
    unsafe = [s["name"] for s in steps if PYTHON_M_OR_C.search(s.get("run", ""))
              and not str(s.get("working-directory", "")).startswith("${{ runner.temp }}")]
    assert unsafe == []
    install = next(s for s in steps if s.get("name") == INSTALL_STEP)
    assert PYTHON_M_OR_C.search(install["run"])           # the pattern does see `python -m pip`
    script = (REPO / "integrations" / "action" / "run.sh").read_text(encoding="utf-8")
    assert PYTHON_M_OR_C.search(script) is None
    assert re.search(r"^check=\(policy check ", script, re.M)


def test_stopped_summary_keeps_stderr_in_its_block():
    """Exit 2: stderr, fences and all, in one code block that no line of it can close."""
    stderr = "x.yaml:1:1: bad\n```\n# Heading\n![p](https://evil.example/p.png)\n````\n"
    text = summary.render_stopped(stderr, 2)
    fence = "`````"
    assert text.endswith(f"{fence}text\n{stderr}{fence}\n")
    assert text.count(fence) == 2


def test_markdown_inline_is_inert():
    text = markdown_text.inline("a | b\n# h ![i](https://e.x/i.png) [l](www.e.x) `c` @dana-k <b>&")
    assert "\n" not in text and "](" not in text and "<b>" not in text and "@dana-k" not in text
    assert shown(text) == "a | b # h ![i](https://e.x/i.png) [l](www.e.x) `c` @dana-k <b>&"


@pytest.mark.parametrize("sha, expected", [
    ("f95f852bd8fca8fcc58a9a2d6c842781e32a215e", "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"),
    ("--upload-pack=touch /tmp/pwned", ""),            # never an option for git fetch
    ("F95F852BD8FCA8FCC58A9A2D6C842781E32A215E", ""),
    (None, ""),
])
def test_pages_base_sha_is_a_full_object_name_or_nothing(tmp_path, sha, expected):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 2, "base": {"ref": "master", "sha": sha}}}), encoding="utf-8")
    assert pages.base_sha(str(event)) == expected


def test_pages_reads_the_published_review_event():
    event = str(REPO / "tests" / "documents" / "github_events" / "pull_request_review.submitted.json")
    assert pages.pull_request_number(event) == "2"
    assert pages.base_sha(event) == "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
