#!/usr/bin/env bash
# The check step of the hotfix-policy GitHub Action (action.yml), kept out of the YAML so that
# tests/integrations/test_action.py can run it locally against a fixture event.
#
# On an event that carries a pull request (pull_request, pull_request_target,
# pull_request_review) it fetches the PR's reviews and changed files with `gh api` and makes sure
# the PR's base commit is in the clone (the configuration and policies are read from it). Then it
# runs `policy check` once: GitHub workflow commands on stdout (the annotations), SARIF and JSON
# to files from the same evaluation (`--report`). The JSON becomes the job summary and, for the
# PR's own findings, one PR comment kept up to date (comment.py). Writes the step's outputs
# (exit-code, errors, warnings, sarif-file) and exits 0: the action's last step exits with policy
# check's status, after the SARIF upload.
#
# Nothing the checked repository or the PR wrote is interpreted here: policy check's stderr
# (which quotes the configuration and policies) is re-emitted between `::stop-commands::` and
# its random end token, so no line of it is a workflow command; the summary and the comment go
# through markdown_text.py.
#
# Reads: INPUT_PATHS (default "."), INPUT_FAIL_ON (default error), INPUT_ARGS, INPUT_PR_COMMENT
# (default true), INPUT_COMMENT_AUTHOR, POLICY_WORK_DIR (default $RUNNER_TEMP/hotfix-policy), and
# GitHub's GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, GH_TOKEN.

set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${POLICY_WORK_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/hotfix-policy}"
mkdir -p "$work"
rm -f "$work/policy.sarif" "$work/report.json"
python="${POLICY_PYTHON:-python}"
step_summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"

output() {  # name=value to the step's outputs (stdout when not in Actions)
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1=$2" >> "$GITHUB_OUTPUT"; else echo "output $1=$2"; fi
}

annotate() {  # an error annotation; the text escaped as workflow commands require
  local text="${1//%/%25}"
  text="${text//$'\r'/%0D}"
  echo "::error title=hotfix-policy::${text//$'\n'/%0A}"
}

stop() {  # a problem before or instead of the check: an error annotation, exit-code 2
  local message="$1"
  annotate "$message"
  "$python" "$here/summary.py" problem "$message" >> "$step_summary"
  output exit-code 2
  exit 0
}

verbatim() {  # a file's text on stderr with workflow commands stopped: no line of it is one
  local token
  token="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  [[ ${#token} -eq 32 ]] || token="hotfix-policy-$RANDOM$RANDOM$RANDOM$$"
  {
    echo "::stop-commands::$token"
    cat "$1"
    [[ -z "$(tail -c 1 "$1")" ]] || echo      # the end token on a line of its own
    echo "::$token::"
  } >&2
}

# Paths and extra arguments: split on spaces and newlines, never glob-expanded.
set -f
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
# shellcheck disable=SC2206
extra=(${INPUT_ARGS:-})
set +f
[[ ${#paths[@]} -gt 0 ]] || paths=(.)
fail_on="${INPUT_FAIL_ON:-error}"
case "$fail_on" in error|warning|never) ;; *) stop "fail-on must be error, warning or never, not '$fail_on'" ;; esac
pr_comment="${INPUT_PR_COMMENT:-true}"
case "$pr_comment" in true|false) ;; *) stop "pr-comment must be true or false, not '$pr_comment'" ;; esac

check=(policy check "${paths[@]}" --fail-on "$fail_on")

# The event's shape decides: every event whose payload carries `pull_request` is a PR run
# (pages.py pr-number is empty for a push or a schedule).
event_name="${GITHUB_EVENT_NAME:-}"
event="${GITHUB_EVENT_PATH:-}"
number=""
if [[ -n "$event" && -f "$event" ]]; then
  number="$("$python" "$here/pages.py" pr-number "$event")" || stop "cannot read the GitHub event file $event"
elif [[ "$event_name" == pull_request* ]]; then
  stop "GITHUB_EVENT_PATH does not name the event file ('$event')"
fi

if [[ -n "$number" ]]; then
  check+=(--github-event "$event")
  repository="${GITHUB_REPOSITORY:-}"
  [[ -n "$repository" ]] || stop "GITHUB_REPOSITORY is not set"
  # `--paginate` prints one JSON array a page; pages.py joins them into one list.
  for what in reviews files; do
    if ! gh api "repos/$repository/pulls/$number/$what?per_page=100" --paginate > "$work/$what.pages" \
        2> "$work/$what.err"; then
      stop "gh api could not list the PR's $what ($(tr '\n' ' ' < "$work/$what.err")); the workflow needs permissions: pull-requests: read"
    fi
    "$python" "$here/pages.py" join < "$work/$what.pages" > "$work/$what.json" \
      || stop "gh api returned something other than JSON pages for the PR's $what"
  done
  check+=(--reviews "$work/reviews.json" --changed-files "$work/files.json")

  # policy check reads the configuration and policies from the PR's base commit, never from the
  # PR's own changes; actions/checkout fetches one commit, so fetch the base when it is missing.
  base="$("$python" "$here/pages.py" base-sha "$event")" || stop "cannot read the PR's base commit from $event"
  if [[ -n "$base" ]] && ! git cat-file -e "$base^{commit}" 2> /dev/null; then
    echo "fetching the PR's base commit $base"
    if ! git fetch --no-tags --depth=1 origin "$base" > "$work/fetch.err" 2>&1; then
      stop "the PR's base commit $base is not in the clone and 'git fetch --no-tags --depth=1 origin $base' failed ($(tr '\n' ' ' < "$work/fetch.err")); the configuration and policies are read from the base commit: check out with fetch-depth: 0, or give the job permissions: contents: read"
    fi
  fi
fi

check+=("${extra[@]}")
echo "policy check: ${check[*]:2}"

# One evaluation, three formats: workflow commands on stdout for the runner (the annotations),
# SARIF for code scanning and JSON for the summary and the comment. Its status is the verdict.
"${check[@]}" --format github --report "sarif=$work/policy.sarif" --report "json=$work/report.json" \
  2> "$work/stderr.txt"
status=$?
[[ -s "$work/stderr.txt" ]] && verbatim "$work/stderr.txt"
output exit-code "$status"

if [[ $status -ge 2 ]]; then
  # policy check --format github printed each mistake as an error annotation at its place.
  "$python" "$here/summary.py" stopped "$work/stderr.txt" --exit-code "$status" >> "$step_summary"
  exit 0
fi

if [[ -s "$work/policy.sarif" ]]; then
  output sarif-file "$work/policy.sarif"
fi
if [[ -s "$work/report.json" ]]; then
  "$python" "$here/summary.py" report "$work/report.json" --exit-code "$status" --fail-on "$fail_on" \
    --event "${event:-}" --outputs "${GITHUB_OUTPUT:-/dev/null}" >> "$step_summary"
  if [[ -n "$number" && "$pr_comment" == true ]]; then
    "$python" "$here/comment.py" "$work/report.json" --event "$event" --repository "$repository" \
      --number "$number" --author "${INPUT_COMMENT_AUTHOR:-github-actions[bot]}" --summary "$step_summary"
  fi
fi
exit 0
