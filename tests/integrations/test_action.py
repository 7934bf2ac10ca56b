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

import importlib.util
import json
import os
import re
import shutil
import site
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.integrations.action_runner import environment_for, load_action, run_action
from tests.launchers.hostile import markers_written, plant

EXAMPLES = REPO / "examples"
INSTALL_STEP = "Install hotfix-policy"

FAKE_GH = """#!/usr/bin/env bash
# A stand-in for the GitHub CLI: `gh api ENDPOINT --paginate` prints fixture pages.
printf '%s\\n' "$*" >> "$FAKE_GH_DIR/calls.log"
if [[ -n "${FAKE_GH_FAIL:-}" ]]; then echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; fi
case "$2" in
  */reviews\\?*) cat "$FAKE_GH_DIR/reviews-1.json" "$FAKE_GH_DIR/reviews-2.json" ;;
  */files\\?*) cat "$FAKE_GH_DIR/files-1.json" "$FAKE_GH_DIR/files-2.json" ;;
  *) echo "fake gh: unexpected call: $*" >&2; exit 2 ;;
esac
"""


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
    git = ["git", "-c", "user.email=ci@example.com", "-c", "user.name=CI", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=workspace, check=True)
    subprocess.run([*git, "add", "-A"], cwd=workspace, check=True)
    subprocess.run([*git, "commit", "-qm", "fixture"], cwd=workspace, check=True)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=workspace, check=True, capture_output=True,
                         text=True).stdout.strip()
    event = json.loads((EXAMPLES / "github" / "event.json").read_text(encoding="utf-8"))
    event["pull_request"]["head"]["sha"] = sha
    event_path = tmp_path / "_github_workflow" / "event.json"
    event_path.parent.mkdir()
    event_path.write_text(json.dumps(event, indent=2), encoding="utf-8")

    gh_dir = tmp_path / "fake-gh"
    gh_dir.mkdir()
    (gh_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (gh_dir / "gh").chmod(0o755)
    reviews = json.loads((EXAMPLES / "github" / "reviews.json").read_text(encoding="utf-8"))
    commented = {"id": 2, "user": {"login": "dana-k"}, "state": "COMMENTED", "submitted_at": "2026-10-27T14:20:00Z"}
    (gh_dir / "reviews-1.json").write_text(json.dumps([commented], indent=2) + "\n", encoding="utf-8")
    (gh_dir / "reviews-2.json").write_text(json.dumps(reviews) + "\n", encoding="utf-8")
    files = [line for line in (EXAMPLES / "github" / "changed-files.txt").read_text().splitlines() if line]
    (gh_dir / "files-1.json").write_text(json.dumps([{"filename": files[0], "status": "modified"}]), encoding="utf-8")
    (gh_dir / "files-2.json").write_text(json.dumps([{"filename": f, "status": "modified"} for f in files[1:]]),
                                         encoding="utf-8")
    return {"workspace": workspace, "event": event_path, "sha": sha, "gh": gh_dir, "tmp": tmp_path,
            "changed": files}


def run(pull_request: dict, installed: Path, inputs: dict | None = None, **variables):
    env = environment_for(pull_request["workspace"], pull_request["event"], [pull_request["gh"], installed],
                          FAKE_GH_DIR=str(pull_request["gh"]), **variables)
    return run_action(REPO, inputs or {}, env, pull_request["tmp"] / "runner", skip=(INSTALL_STEP,))


def test_pull_request_with_findings(pull_request, installed):
    result = run(pull_request, installed)

    calls = (pull_request["gh"] / "calls.log").read_text().splitlines()
    assert calls == ["api repos/example/shop/pulls/318/reviews?per_page=100 --paginate",
                     "api repos/example/shop/pulls/318/files?per_page=100 --paginate"]

    check = result.step("Check the hotfix policies")
    assert check.ran and check.returncode == 0, check.stderr
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    event = str(pull_request["event"])
    assert f"::error file={event},line=16,endLine=16,col=7,endColumn=29,title=PR006::" \
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
    assert (result.outputs["errors"], result.outputs["warnings"], result.outputs["documents"]) == ("3", "3", "6")
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
    assert "❌ **Failed**: findings at or above `error` remain unwaived (6 documents checked)." in summary
    assert "| 3 | 3 | 0 | 0 | 6 |" in summary
    assert "| 🔴 error | `PR006` | pull request #318 body, line 16 | 'New test validates fix' is not checked" in summary
    link = f"[incidents/INC-2042.md:46](https://github.com/example/shop/blob/{pull_request['sha']}/incidents/INC-2042.md#L46)"
    assert f"| 🔴 error | `INC010` | {link} | No post-incident review names INC-2042" in summary
    assert "(13:25 -&gt; 14:12 UTC)" in summary          # no raw HTML in the summary
    rows = [line for line in summary.splitlines() if line.startswith("| 🔴") or line.startswith("| 🟡")]
    assert len(rows) == 6 and rows[0].startswith("| 🔴") and rows[-1].startswith("| 🟡")

    final = result.step("Exit with policy check's status")
    assert final.ran and final.returncode == 1
    assert result.exit_code == 1
    assert markers_written(pull_request["tmp"] / "markers") == []     # nothing of the checkout ran


def test_review_event_rechecks_the_pull_request(pull_request, installed):
    """A submitted review re-runs the check: same PR, fresh reviews from gh."""
    result = run(pull_request, installed, GITHUB_EVENT_NAME="pull_request_review")
    assert len((pull_request["gh"] / "calls.log").read_text().splitlines()) == 2
    assert result.outputs["errors"] == "3" and "title=PR006" in result.step("Check the hotfix policies").stdout


def test_fail_on_never_passes_without_upload(pull_request, installed):
    result = run(pull_request, installed, {"fail-on": "never", "upload-sarif": "false"})
    assert result.outputs["exit-code"] == "0"
    assert not result.step("Upload SARIF to code scanning").ran
    assert "✅ **Passed**: nothing unwaived at or above `never` (6 documents checked)." in result.summary
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
    assert "::error title=hotfix-policy::no-such.yaml: no such configuration file" in check.stdout
    assert "`policy check` stopped (exit 2)" in result.summary and "no-such.yaml" in result.summary
    assert not result.step("Upload SARIF to code scanning").ran
    assert result.exit_code == 2


def test_reviews_not_readable_stops_with_exit_2(pull_request, installed):
    result = run(pull_request, installed, FAKE_GH_FAIL="1")
    check = result.step("Check the hotfix policies")
    assert result.outputs["exit-code"] == "2"
    assert "::error title=hotfix-policy::gh api could not list the PR's reviews (HTTP 403" in check.stdout
    assert "permissions: pull-requests: read" in result.summary
    assert result.exit_code == 2


def test_push_event_checks_without_pull_request(pull_request, installed):
    """On a push there is no PR: no gh call, no event document, the records alone."""
    result = run(pull_request, installed, GITHUB_EVENT_NAME="push")
    assert not (pull_request["gh"] / "calls.log").exists()
    assert result.outputs["documents"] == "5"              # 2 incidents, 1 review, 1 commit, the repository
    assert "title=PR" not in result.step("Check the hotfix policies").stdout


def test_bad_fail_on_input(pull_request, installed):
    result = run(pull_request, installed, {"fail-on": "errors"})
    assert result.outputs["exit-code"] == "2"
    assert "fail-on must be error, warning or never, not 'errors'" in result.summary


# --- the helpers alone ------------------------------------------------------------------------

def _load_script(name: str):
    """A script of integrations/action/ as a module (it is not a package on sys.path)."""
    spec = importlib.util.spec_from_file_location(f"action_{name}", REPO / "integrations" / "action" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pages = _load_script("pages")
summary = _load_script("summary")


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
    assert row == ("| 🔴 error | `X1` | [a b/c.md:2](https://github.com/o/r/blob/abc/a%20b/c.md#L2) | "
                   "a \\| b &lt;script&gt;alert(1)&lt;/script&gt; |")


def test_summary_names_documents_that_are_not_files():
    report = {"summary": {"documents": 2, "errors": 0, "warnings": 1, "infos": 0, "waived": 1},
              "findings": [{"rule": "CMT001", "severity": "warning", "path": "commit:abc1234", "line": 1,
                            "waived": True, "message": "m"}]}
    text = summary.render(report, 0, "error", summary.Places("", {}))
    assert "| 🟡 warning (waived) | `CMT001` | commit:abc1234, line 1 | m |" in text


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
