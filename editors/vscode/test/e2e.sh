#!/usr/bin/env bash
# End-to-end test of the VS Code extension in VS Code itself (code-server 4.100.3 in headless
# Debian Chromium, driven by playwright-core). The one entry point CI calls; it installs what it
# needs (Debian packages, code-server, npm packages), builds the .vsix, runs the unit tests and
# the browser test (on the fixture, then on a hostile copy of it whose Python modules must never
# be imported), and stops everything it started, also on failure.
#
#   bash editors/vscode/test/e2e.sh
#
# Environment: HOTFIX_POLICY_PYTHON (default: `command -v python`; must have hotfix-policy
# installed), HOTFIX_POLICY_E2E_CACHE (where code-server is installed, default
# ~/.cache/hotfix-policy-vscode-e2e), HOTFIX_POLICY_E2E_KEEP=1 keeps the run's folder.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
RIPGREP_CACHE=vscode-ripgrep-cache-1.15.11
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
extension=$(dirname "$here")
repo=$(cd "$extension/../.." && pwd)
cache=${HOTFIX_POLICY_E2E_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/hotfix-policy-vscode-e2e}
python=${HOTFIX_POLICY_PYTHON:-$(command -v python || command -v python3 || true)}
started=$(date +%s)

say() { echo "e2e: [$(($(date +%s) - started))s] $*"; }
fail() { echo "e2e: FAILED: $*" >&2; exit 1; }

[ -n "$python" ] || fail "no python on PATH (set HOTFIX_POLICY_PYTHON)"
python=$(cd / && "$python" -c 'import sys; print(sys.executable)')
# The extension's own interpreter check, run as the extension runs it (by path, never -c).
probe=$("$python" "$extension/python/probe_interpreter.py" hotfix-policy) || fail "$python did not run the probe"
case "$probe" in
    *'"missing": []'*) ;;
    *) fail "$python cannot import the language server ($probe): run pip install -e . first" ;;
esac

# -- Debian packages (apt-get update only when something is missing) ------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing+=(fonts-noto-color-emoji) # the screenshots show the templates' emoji
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    say "apt-get install ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# -- code-server, once per cache ------------------------------------------------------------------
code_server_dir=$cache/code-server-$CODE_SERVER_VERSION
code_server=$code_server_dir/node_modules/.bin/code-server
if [ ! -f "$code_server_dir/.installed" ] || [ ! -x "$code_server" ]; then
    say "installing code-server $CODE_SERVER_VERSION into $code_server_dir (about a minute)"
    rm -rf "$code_server_dir"
    mkdir -p "$code_server_dir" "$cache/tmp/$RIPGREP_CACHE"
    # Its postinstall downloads ripgrep from the internet: seed the download cache with Debian's rg.
    tar czf "$cache/tmp/$RIPGREP_CACHE/$RIPGREP_ARCHIVE" -C "$(dirname "$(command -v rg)")" rg
    echo '{"name": "hotfix-policy-e2e-code-server", "private": true}' > "$code_server_dir/package.json"
    if ! (cd "$code_server_dir" && TMPDIR=$cache/tmp npm_config_yes=true npm_config_unsafe_perm=true \
            npm install --no-audit --no-fund --foreground-scripts "code-server@$CODE_SERVER_VERSION" \
            > "$code_server_dir/install.log" 2>&1); then
        tail -40 "$code_server_dir/install.log" >&2
        fail "npm install code-server@$CODE_SERVER_VERSION"
    fi
    touch "$code_server_dir/.installed"
fi

# -- the extension: npm ci (when the lock changed), unit tests, .vsix -----------------------------
cd "$extension"
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock-sum ] || [ "$(cat node_modules/.lock-sum)" != "$lock_sum" ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    echo "$lock_sum" > node_modules/.lock-sum
fi

say "unit tests"
HOTFIX_POLICY_PYTHON=$python node --test test/unit/

rm -rf "$extension/test/out"
run=$(mktemp -d /tmp/hotfix-policy-e2e.XXXXXX)
code_server_pid=""
test_pid=""
# Stops every process of a session (started with setsid, so the session id is that pid), by id.
stop_session() {
    local sid=$1 name=$2 pids count
    pids=$(ps -eo pid=,sid= | awk -v sid="$sid" '$2 == sid {print $1}')
    [ -n "$pids" ] || return 0
    count=$(echo $pids | wc -w)
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do
        pids=$(ps -eo pid=,sid= | awk -v sid="$sid" '$2 == sid {print $1}')
        [ -n "$pids" ] || break
        sleep 0.1
    done
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
    say "stopped $name ($count processes)"
}
cleanup() {
    status=$?
    trap - EXIT INT TERM
    [ -z "$test_pid" ] || stop_session "$test_pid" "the browser test"
    # code-server's session holds its extension host and the language server too.
    [ -z "$code_server_pid" ] || stop_session "$code_server_pid" "code-server"
    if [ "$status" != 0 ]; then
        mkdir -p "$extension/test/out"
        cp "$run/code-server.log" "$extension/test/out/" 2>/dev/null || true
        find "$run/data/logs" -name '*Hotfix Policy*' -exec cp {} "$extension/test/out/output-channel.log" \; 2>/dev/null || true
        cp "$run"/out/*.png "$extension/test/out/" 2>/dev/null || true
        if [ -f "$extension/test/out/output-channel.log" ]; then
            echo "e2e: the extension's output channel:" >&2
            tail -40 "$extension/test/out/output-channel.log" >&2
        fi
        echo "e2e: logs and screenshots of the failed run are in $extension/test/out/" >&2
    fi
    if [ "${HOTFIX_POLICY_E2E_KEEP:-}" = 1 ]; then echo "e2e: kept $run" >&2; else rm -rf "$run"; fi
    say "done (exit $status)"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "vsce package"
npx vsce package --allow-missing-repository --no-rewrite-relative-links -o "$run/hotfix-policy.vsix" > "$run/vsce.log" 2>&1 \
    || { cat "$run/vsce.log" >&2; fail "vsce package"; }

# -- a fresh VS Code profile with the extension and the fixture workspace -------------------------
mkdir -p "$run/data/User" "$run/extensions" "$run/out"
cp -a "$here/fixture" "$run/workspace"
# The stories: the built-in pack, an outage's record, a policy being written, a PR description.
cp -a "$here/stories" "$run/stories"
# The hostile workspace: the fixture again, with Python modules named like this package, its
# dependencies and the standard library, each writing a marker into $run/markers when imported
# (hostile.py also checks that each does, imported from there with python -c). None may run.
cp -a "$here/fixture" "$run/hostile"
"$python" "$repo/tests/launchers/hostile.py" "$run/hostile" "$run/markers" > "$run/hostile.log" 2>&1 \
    || { cat "$run/hostile.log" >&2; fail "planting the hostile workspace"; }
mkdir -p "$run/data/Machine"
"$python" - "$run/data/User/settings.json" "$run/data/Machine/settings.json" "$python" <<'EOF'
import json, sys
# A machine-overridable setting belongs in the Remote (Machine) settings of a code-server window:
# from the User settings, a window drops it as soon as a second window connects.
json.dump({"hotfixPolicy.python": sys.argv[3]}, open(sys.argv[2], "w"), indent=2)
settings = {
    "hotfixPolicy.trace.server": "messages",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "security.workspace.trust.enabled": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "git.enabled": False,
    "editor.minimap.enabled": False,
    "editor.wordBasedSuggestions": "off",  # completion items come from the server (and snippets) only
    "files.autoSave": "off",
    # The server's clock in the stories window (the first workspace pins its own in .policy.yaml):
    # ten minutes before the record's next update is due, 30 clock seconds a real second.
    "hotfixPolicy.testClock": {"start": "2026-11-20T14:32:00Z", "rate": 30},
}
json.dump(settings, open(sys.argv[1], "w"), indent=2)
EOF
code_server_args=(--config "$run/config.yaml" --user-data-dir "$run/data" --extensions-dir "$run/extensions")
say "installing the .vsix"
"$code_server" "${code_server_args[@]}" --install-extension "$run/hotfix-policy.vsix" > "$run/install-extension.log" 2>&1 \
    || { cat "$run/install-extension.log" >&2; fail "code-server --install-extension"; }

port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "starting code-server on 127.0.0.1:$port"
setsid "$code_server" "${code_server_args[@]}" --auth none --bind-addr "127.0.0.1:$port" \
    --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    > "$run/code-server.log" 2>&1 < /dev/null &
code_server_pid=$!
"$python" - "$port" "$code_server_pid" <<'EOF' || { cat "$run/code-server.log" >&2; fail "code-server did not come up"; }
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("code-server exited")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("timed out")
EOF

say "driving VS Code in headless Chromium"
# In a session of its own too, so that cleanup can stop Chromium even if node is killed.
E2E_PORT=$port E2E_WORKSPACE="$run/workspace" E2E_OUT="$run/out" E2E_IMAGES="$extension/images" \
E2E_HOSTILE="$run/hostile" E2E_MARKERS="$run/markers" E2E_STORIES="$run/stories" \
E2E_PYTHON="$python" E2E_CODE_SERVER_PID="$code_server_pid" \
    setsid timeout 600 node "$here/e2e.js" < /dev/null &
test_pid=$!
wait "$test_pid"
