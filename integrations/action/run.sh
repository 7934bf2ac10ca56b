#!/usr/bin/env bash
# The check step of the hotfix-policy GitHub Action (action.yml), kept out of the YAML so that
# tests/integrations/test_action.py can run it locally against a fixture event.
#
# On a pull_request event it fetches the PR's reviews and changed files with `gh api`, then runs
# `policy check` three times on the same inputs: GitHub workflow commands on stdout (the
# annotations), SARIF and JSON to files. The JSON becomes the job summary. Writes the step's
# outputs (exit-code, errors, warnings, sarif-file) and exits 0: the action's last step exits
# with policy check's status, after the SARIF upload.
#
# Reads: INPUT_PATHS (default "."), INPUT_FAIL_ON (default error), INPUT_ARGS, POLICY_WORK_DIR
# (default $RUNNER_TEMP/hotfix-policy), and GitHub's GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
# GITHUB_REPOSITORY, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GH_TOKEN.

set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${POLICY_WORK_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/hotfix-policy}"
mkdir -p "$work"
rm -f "$work/policy.sarif" "$work/report.json"
python="${POLICY_PYTHON:-python}"

output() {  # name=value to the step's outputs (stdout when not in Actions)
  if [[ -n "${GITHUB_OUTPUT:-}" ]]; then echo "$1=$2" >> "$GITHUB_OUTPUT"; else echo "output $1=$2"; fi
}

summary() {  # stdin to the job summary
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then cat >> "$GITHUB_STEP_SUMMARY"; else cat; fi
}

annotate() {  # an error annotation; the text escaped as workflow commands require
  local text="${1//%/%25}"
  text="${text//$'\r'/%0D}"
  echo "::error title=hotfix-policy::${text//$'\n'/%0A}"
}

stop() {  # a problem before or instead of the check: an error annotation, exit-code 2
  local message="$1"
  annotate "$message"
  printf '## hotfix-policy\n\n❌ The check could not run: %s\n' "$message" | summary
  output exit-code 2
  exit 0
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

check=(policy check "${paths[@]}" --fail-on "$fail_on")

event_name="${GITHUB_EVENT_NAME:-}"
event="${GITHUB_EVENT_PATH:-}"
number=""
# pull_request_review carries the same pull_request object: a run on each submitted review sees
# the new approval (policy check reads the event file named with --github-event whatever its name).
if [[ "$event_name" =~ ^(pull_request|pull_request_target|pull_request_review)$ ]]; then
  [[ -f "$event" ]] || stop "GITHUB_EVENT_PATH does not name the event file ('$event')"
  number="$("$python" "$here/pages.py" pr-number "$event")" || stop "cannot read the PR number from $event"
  check+=(--github-event "$event")
fi

if [[ -n "$number" ]]; then
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
fi

check+=("${extra[@]}")
echo "policy check: ${check[*]:2}"

# 1. Annotations: workflow commands on stdout, for the runner to read. Its status is the verdict.
"${check[@]}" --format github 2> "$work/stderr.txt"
status=$?
cat "$work/stderr.txt" >&2
output exit-code "$status"

if [[ $status -ge 2 ]]; then
  while IFS= read -r line; do
    [[ -n "$line" ]] && annotate "$line"
  done < "$work/stderr.txt"
  {
    # shellcheck disable=SC2016  # the backticks are Markdown
    printf '## hotfix-policy\n\n❌ `policy check` stopped (exit %s): a mistake in the command line, a policy or the configuration.\n\n```\n' "$status"
    cat "$work/stderr.txt"
    printf '```\n'
  } | summary
  exit 0
fi

# 2. SARIF for code scanning and JSON for the summary: the same run, two more formats.
"${check[@]}" --format sarif --output "$work/policy.sarif" > /dev/null 2>&1
if [[ $? -le 1 && -s "$work/policy.sarif" ]]; then
  output sarif-file "$work/policy.sarif"
fi
"${check[@]}" --format json --output "$work/report.json" > /dev/null 2>&1
if [[ -s "$work/report.json" ]]; then
  "$python" "$here/summary.py" "$work/report.json" --exit-code "$status" --fail-on "$fail_on" \
    --event "${event:-}" --outputs "${GITHUB_OUTPUT:-/dev/null}" | summary
fi
exit 0
