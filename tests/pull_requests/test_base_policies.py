"""A pull request cannot weaken its own checks: in a pull-request run the configuration and the
policies come from the base commit, and a PR that changes them gets POL001 until an admin of the
base who is not its author approves.

Each attack is a real git repository: a base commit with the team's configuration and a local
policy, then a PR head commit that edits them. Every attack is first shown to work when the run
reads the working tree (`--policy-from working-tree`: the check turns green), then shown to fail
in a pull-request run, judged by the base's rules and with POL001 naming what changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BASE_CONFIG = """\
packs: [builtin:hotfix]
policies: [team-policies]
data:
  admins: [ops-lead]
  senior_reviewers: [lee]
clock: 2026-11-26T12:00:00Z
"""
TEAM_POLICY = """\
apiVersion: policy/v1
kind: Policy
metadata: {name: team}
spec:
  appliesTo: pull_request
  rules:
    - id: TEAM001
      severity: error
      expression: "!has(doc.title) || !doc.title.contains('WIP')"
      message: "no work in progress on the hotfix path"
"""
PR_BODY = """\
## 🚨 HOTFIX - EMERGENCY DEPLOYMENT

**Incident Reference:** #2041
**Severity:** CRITICAL
**Emergency Justification:** Every card payment fails; revenue stops until this ships

### Issue Description
Legacy stored cards have no currency; the serializer fails with HTTP 500.

### Fix Implementation
Default a null currency to the account currency.

### Testing Performed
- [x] Existing tests pass
- [ ] New test validates fix
- [x] Manual validation: paid with a legacy card locally; smoke test of checkout
- [x] Staging validation: N - no legacy cards on staging

### Risk Assessment
**Risks Accepted:** Merged without the new test
**Rollback Plan:** Revert the merge commit
**Monitoring Plan:** Payment error-rate dashboard
**Skipped Checks:** none

### Post-Deployment Actions
- [ ] Monitor production for 30 minutes
- [ ] Verify issue resolution
- [ ] Schedule post-incident review
"""
SELF_BYPASS = """
## 🚨 EMERGENCY BYPASS JUSTIFICATION

**Incident:** INC-2041
**Bypass Reason:** Production completely down
**Risk Assessment:** Unreviewed change to the payment serializer
**Post-Incident Actions:** Post-hoc review by a senior reviewer within 24 hours
**Authorized By:** @dana-k
**Timestamp:** 2026-11-20T10:15Z
"""
WAIVER = """\
waivers:
  - rules: [PR006]
    documents: ["pr:318"]
    justification: "The regression test follows in the next PR"
    approved_by: ops-lead
    expires: {expires}
"""


def review(login: str, state: str = "APPROVED", at: str = "2026-11-20T10:30:00Z") -> dict:
    """One entry of GitHub's "List reviews for a pull request" response, in its full shape."""
    return {"id": 80, "node_id": "MDE3OlB1bGxSZXF1ZXN0UmV2aWV3ODA=",
            "user": {"login": login, "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": False,
                     "html_url": f"https://github.com/{login}"},
            "body": "Looks right.", "state": state,
            "html_url": "https://github.com/example/shop/pull/318#pullrequestreview-80",
            "pull_request_url": "https://api.github.com/repos/example/shop/pulls/318",
            "author_association": "COLLABORATOR",
            "_links": {"html": {"href": "https://github.com/example/shop/pull/318#pullrequestreview-80"},
                       "pull_request": {"href": "https://api.github.com/repos/example/shop/pulls/318"}},
            "submitted_at": at, "commit_id": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"}


class Repository:
    """A clone with a base commit on main and a PR branch; the event names the base commit."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / "shop"
        self.path.mkdir()
        self.env = dict(os.environ, GIT_AUTHOR_NAME="Dana", GIT_AUTHOR_EMAIL="dana@example.com",
                        GIT_COMMITTER_NAME="Dana", GIT_COMMITTER_EMAIL="dana@example.com",
                        GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
        self.git("init", "-q", "-b", "main")
        self.write({".policy.yaml": BASE_CONFIG, "team-policies/team.yaml": TEAM_POLICY,
                    "src/payments/serializer.py": "CURRENCY = None\n"})
        self.base = self.commit("Start the shop")
        self.git("checkout", "-q", "-b", "hotfix/v3.14.1-card-payment-null-currency")
        self.write({"src/payments/serializer.py": "CURRENCY = 'EUR'\n"})
        self.commit("hotfix(payments): default a null currency")
        self.event(PR_BODY)

    def git(self, *args: str, cwd: Path | None = None) -> str:
        return subprocess.run(["git", *args], cwd=cwd or self.path, env=self.env, check=True, capture_output=True,
                              text=True).stdout.strip()

    def write(self, files: dict) -> None:
        for name, text in files.items():
            (self.path / name).parent.mkdir(parents=True, exist_ok=True)
            (self.path / name).write_text(text, encoding="utf-8")

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def event(self, body, *, title: str = "hotfix(payments): default a null currency") -> Path:
        event = {"action": "opened", "number": 318,
                 "pull_request": {"number": 318, "title": title, "user": {"login": "dana-k"}, "body": body,
                                  "head": {"ref": "hotfix/v3.14.1-card-payment-null-currency",
                                           "sha": self.git("rev-parse", "HEAD")},
                                  "base": {"ref": "main", "sha": self.base}, "labels": [{"name": "hotfix"}],
                                  "created_at": "2026-11-20T10:00:00Z", "draft": False}}
        path = self.root / "event.json"
        path.write_text(json.dumps(event), encoding="utf-8")
        return path

    def reviews(self, *entries: dict) -> Path:
        path = self.root / "reviews.json"
        path.write_text(json.dumps(list(entries)), encoding="utf-8")
        return path

    def check(self, *args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([POLICY_COMMAND, "check", *args], cwd=cwd or self.path, capture_output=True, text=True,
                              timeout=120, env=dict(os.environ, **(env or {})))

    def rules(self, *args: str) -> tuple:
        """(exit code, unwaived rule ids of the run, the POL001 messages, stderr)."""
        result = self.check("--github-event", str(self.root / "event.json"), "--format", "json", "src", *args)
        assert result.returncode in (0, 1), result.stderr
        findings = [f for f in json.loads(result.stdout)["findings"] if not f["waived"]]
        errors = sorted({f["rule"] for f in findings if f["severity"] == "error"})
        return result.returncode, errors, [f["message"] for f in findings if f["rule"] == "POL001"], result.stderr


@pytest.fixture
def repository(tmp_path) -> Repository:
    return Repository(tmp_path)


def test_an_untouched_configuration_judges_the_pull_request_without_pol001(repository):
    code, errors, changes, stderr = repository.rules("--reviews", str(repository.reviews(review("lee"))))
    assert (code, errors, changes) == (1, ["PR006"], [])
    assert f"base commit {repository.base[:7]} ({repository.base[:7]}:.policy.yaml)" in stderr


ATTACKS = {
    "switches the failing rule off": ({".policy.yaml": BASE_CONFIG + "rules: {PR006: 'off'}\n"}, [".policy.yaml"]),
    "adds a waiver in an admin's name": ({".policy.yaml": BASE_CONFIG + WAIVER.format(expires="2026-12-05")},
                                         [".policy.yaml"]),
    "drops the pack": ({".policy.yaml": BASE_CONFIG.replace("builtin:hotfix", "team-policies").replace(
        "policies: [team-policies]\n", "")}, [".policy.yaml"]),
    "moves its policies to a folder of its own": (
        {".policy.yaml": BASE_CONFIG.replace("packs: [builtin:hotfix]", "packs: [lenient]"),
         "lenient/pull_request.yaml": TEAM_POLICY.replace("team", "lenient").replace("TEAM001", "LENIENT001")},
        [".policy.yaml", "lenient/pull_request.yaml"]),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_pull_request_that_weakens_the_configuration_is_judged_by_the_base_and_gets_pol001(repository, attack):
    files, changed = ATTACKS[attack]
    repository.write(files)
    repository.commit(f"chore: the PR {attack}")
    reviews = str(repository.reviews(review("lee")))
    weakened = repository.rules("--reviews", reviews, "--policy-from", "working-tree")
    assert weakened[:3] == (0, [], []), f"the attack does not work on the working tree: {weakened}"

    code, errors, (message,), _ = repository.rules("--reviews", reviews)
    assert (code, errors) == (1, ["POL001", "PR006"])
    assert f"({', '.join(changed)})" in message
    assert "approval by an admin of the base's data.admins (ops-lead) other than @dana-k" in message
    assert message.endswith("approved by @lee, who does not count")


def test_a_rewound_clock_does_not_revive_an_expired_waiver(repository):
    repository.write({".policy.yaml": BASE_CONFIG + WAIVER.format(expires="2026-11-10")})
    repository.base = repository.commit("chore: waive PR006 until 2026-11-10")
    repository.write({".policy.yaml": BASE_CONFIG.replace("2026-11-26T12:00:00Z", "2026-11-05T12:00:00Z")
                      + WAIVER.format(expires="2026-11-10")})
    repository.commit("chore: the PR rewinds the clock")
    repository.event(PR_BODY)
    reviews = str(repository.reviews(review("lee")))
    rewound = repository.rules("--reviews", reviews, "--policy-from", "working-tree")
    assert rewound[:3] == (0, [], [])
    assert "the clock is pinned to 2026-11-05T12:00:00Z by `clock` in .policy.yaml" in rewound[3]

    code, errors, (message,), stderr = repository.rules("--reviews", reviews)
    assert (code, errors) == (1, ["POL001", "PR006", "WVR003"])
    assert "(.policy.yaml)" in message
    assert f"the clock is pinned to 2026-11-26T12:00:00Z by `clock` in {repository.base[:7]}:.policy.yaml" in stderr


def test_adding_the_author_to_the_admins_neither_validates_their_bypass_nor_lets_them_approve(repository):
    repository.event(PR_BODY.replace("- [ ] New test", "- [x] New test").replace("Checks:** none", "Checks:** review")
                     + SELF_BYPASS)
    repository.write({".policy.yaml": BASE_CONFIG.replace("admins: [ops-lead]", "admins: [ops-lead, dana-k]")})
    repository.commit("chore: the PR makes its author an admin")
    own_approval = str(repository.reviews(review("dana-k")))
    assert repository.rules("--reviews", own_approval, "--policy-from", "working-tree")[:3] == (0, [], [])

    code, errors, (message,), _ = repository.rules("--reviews", own_approval)
    assert (code, errors) == (1, ["POL001", "PR010", "PR011"])
    assert message.endswith("approved by @dana-k, who does not count")


def test_an_admin_of_the_base_approving_satisfies_pol001_and_the_rules_still_judge(repository):
    repository.write({".policy.yaml": BASE_CONFIG + "rules: {PR006: 'off'}\n"})
    repository.commit("chore: switch PR006 off")
    approved = str(repository.reviews(review("dana-k"), review("lee"), review("ops-lead", at="2026-11-20T11:00:00Z")))
    assert repository.rules("--reviews", approved)[:3] == (1, ["PR006"], [])
    # a later "changes requested" by the admin withdraws the approval
    withdrawn = str(repository.reviews(review("lee"), review("ops-lead"), review("ops-lead", "CHANGES_REQUESTED",
                                                                  "2026-11-20T12:00:00Z")))
    assert repository.rules("--reviews", withdrawn)[1] == ["POL001", "PR006"]


def test_without_reviews_pol001_says_approvals_are_unknown(repository):
    repository.write({"team-policies/team.yaml": TEAM_POLICY.replace("severity: error", "severity: info")})
    repository.commit("chore: soften the team's rule")
    repository.event(PR_BODY, title="WIP hotfix(payments): default a null currency")
    code, errors, (message,), _ = repository.rules()
    assert (code, errors) == (1, ["POL001", "PR006", "TEAM001"])
    assert "(team-policies/team.yaml)" in message and message.endswith("approvals are unknown: pass --reviews")


def test_a_checkout_of_the_base_still_sees_the_change_in_the_pull_requests_files(repository):
    """pull_request_target checks out the base: the working tree shows no change, GitHub's list
    of the PR's files does."""
    repository.write({".policy.yaml": BASE_CONFIG + "rules: {PR006: 'off'}\n"})
    repository.commit("chore: switch PR006 off")
    repository.git("checkout", "-q", "main")
    files = repository.root / "files.json"
    files.write_text(json.dumps([{"filename": ".policy.yaml", "status": "modified"},
                                 {"filename": "src/payments/serializer.py", "status": "modified"}]))
    code, errors, (message,), _ = repository.rules("--reviews", str(repository.reviews()), "--changed-files", str(files))
    assert errors == ["POL001", "PR006", "PR010"] and "(.policy.yaml)" in message


def test_a_shallow_clone_without_the_base_commit_is_exit_2_saying_how_to_fetch_it(repository):
    clone = repository.root / "clone"
    repository.git("clone", "-q", "--depth=1", "--branch", "hotfix/v3.14.1-card-payment-null-currency",
                   f"file://{repository.path}", str(clone), cwd=repository.root)
    result = repository.check("--github-event", str(repository.root / "event.json"), "src", cwd=clone)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"policy check: the pull request's base commit {repository.base} is not in this clone, and a pull-request "
        "run reads its configuration and policies from it, never from the pull request's own files: fetch it with "
        f"`git fetch --no-tags --depth=1 origin {repository.base}` and run again"]
    repository.git("fetch", "-q", "--no-tags", "--depth=1", "origin", repository.base, cwd=clone)
    fetched = repository.check("--github-event", str(repository.root / "event.json"), "src", cwd=clone)
    assert fetched.returncode == 1 and "PR006" in fetched.stdout, fetched.stderr


def test_a_review_event_in_github_actions_is_a_pull_request_run(repository):
    repository.write({".policy.yaml": BASE_CONFIG + "rules: {PR006: 'off'}\n"})
    repository.commit("chore: switch PR006 off")
    event = json.loads((repository.root / "event.json").read_text())
    event = {"action": "submitted", "review": review("lee"), "pull_request": event["pull_request"]}
    (repository.root / "event.json").write_text(json.dumps(event))
    env = {"GITHUB_EVENT_NAME": "pull_request_review", "GITHUB_EVENT_PATH": str(repository.root / "event.json")}
    result = repository.check("--format", "json", "src", env=env)
    assert sorted({f["rule"] for f in json.loads(result.stdout)["findings"]} & {"POL001", "PR006"}) == \
        ["POL001", "PR006"], result.stderr


def test_a_pull_request_with_no_description_is_judged_by_the_base(repository):
    """GitHub's published example payload has `"body": null`."""
    repository.event(None)
    repository.write({".policy.yaml": BASE_CONFIG + "rules: {PR002: 'off'}\n"})
    repository.commit("chore: switch PR002 off")
    code, errors, (message,), _ = repository.rules()
    assert code == 1 and "POL001" in errors and "PR002" in errors and "(.policy.yaml)" in message


def test_a_configuration_the_pull_request_adds_is_neither_used_nor_unnoticed(repository):
    repository.write({"src/.policy.yaml": "packs: [team-policies]\n"})
    repository.commit("chore: a configuration nearer to the code")
    code, errors, (message,), _ = repository.rules("--reviews", str(repository.reviews(review("lee"))))
    assert (code, errors) == (1, ["POL001", "PR006"])
    assert "(src/.policy.yaml)" in message


def test_a_policy_path_of_the_base_outside_the_repository_is_a_configuration_error(repository):
    repository.write({".policy.yaml": BASE_CONFIG.replace("[team-policies]", "[../elsewhere]")})
    repository.base = repository.commit("chore: shared policies")
    repository.event(PR_BODY)
    result = repository.check("--github-event", str(repository.root / "event.json"), "src")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{repository.base[:7]}:.policy.yaml:2:12: policies: ../elsewhere is outside the repository; "
        "a pull-request run reads policies from the base commit: keep them in the repository"]


def test_a_mistake_in_the_base_policies_is_named_in_the_base(repository):
    repository.write({"team-policies/team.yaml": TEAM_POLICY.replace("doc.title.contains", "doc.title.containz")})
    repository.base = repository.commit("chore: a typo on main")
    repository.write({"team-policies/team.yaml": TEAM_POLICY})
    repository.commit("fix the typo in the PR")
    repository.event(PR_BODY)
    result = repository.check("--github-event", str(repository.root / "event.json"), "src")
    assert result.returncode == 2
    assert result.stderr.startswith(f"{repository.base[:7]}:team-policies/team.yaml:9:50: undeclared reference to "
                                    "function 'containz'"), result.stderr


def test_policy_from_base_needs_a_pull_request(repository):
    result = repository.check("--policy-from", "base", "src")
    assert result.returncode == 2
    assert result.stderr == ("policy check: --policy-from base needs a pull request's event whose "
                             "pull_request.base.sha names the base commit (--github-event F)\n")


def test_a_file_name_the_pull_request_chose_cannot_start_a_line_of_its_own(repository):
    name = "team-policies/x\n::error::forged.yaml"
    repository.write({name: TEAM_POLICY.replace("TEAM001", "TEAM002")})
    repository.commit("chore: a policy with a newline in its name")
    code, errors, (message,), _ = repository.rules()
    assert "POL001" in errors and "team-policies/x\\n::error::forged.yaml" in message and "\n" not in message
