"""A real client: Emacs (batch) with eglot drives the language server.

The probe evaluates the eglot configuration documented in `editors/README.md` (the first
`emacs-lisp` block, verbatim, with its own command `policy lsp --stdio` found on PATH), opens an
incident record with two mistakes in the hostile workspace of `tests/launchers/` (`.policy.yaml`
with `packs: []`: only the tiny policy of `tests/lsp/helpers.py` applies; folders named like our
modules that must never be imported, though eglot starts the server in that folder), reads the
diagnostics through Flymake, asks
`completion-at-point` after `Severity: `, finishes the first candidate (eglot applies the
server's edit) and reads Flymake again; then it opens the policy YAML. It writes what it saw as
JSON and exits 1 on any error; the assertions are here. Skipped when Emacs or eglot is not
installed (Debian 12: `apt-get install emacs-nox elpa-eglot`).

In batch Emacs there is no command loop and Emacs is never idle, so the probe does by hand
what those would do: it runs `post-command-hook` after opening a file (eglot-ensure connects
there), and after the edit it calls what eglot's and Flymake's idle timers call
(`eglot--signal-textDocument/didChange`, `flymake-start`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import POLICY_COMMAND
from tests.launchers.workspace import HostileWorkspace, hostile_workspace  # noqa: F401 - a fixture

REPO = Path(__file__).resolve().parents[2]
README = REPO / "editors" / "README.md"
EMACS = shutil.which("emacs")
TIMEOUT = 90  # seconds for the whole Emacs run (about 2 s here)


def eglot_available() -> bool:
    if EMACS is None:
        return False
    try:
        run = subprocess.run([EMACS, "--batch", "-q", "--eval",
                              "(kill-emacs (if (require 'eglot nil t) 0 3))"],
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return False
    return run.returncode == 0


pytestmark = pytest.mark.skipif(not eglot_available(),
                                reason="Emacs with eglot is not installed (Debian: apt-get install emacs-nox elpa-eglot)")

PROBE = r"""
(require 'cl-lib)
(require 'json)
(defvar probe-result nil)
(defun probe-put (key value) (setq probe-result (plist-put probe-result key value)))
(defun probe-wait (what pred)
  (let ((deadline (+ (float-time) 30)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (unless (funcall pred) (error "Timed out waiting for %s" what))))
(defun probe-diagnostics ()
  (let (out)
    (dolist (d (flymake-diagnostics))
      (let ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d)))
        (push (list :line (1- (line-number-at-pos beg))
                    :start (save-excursion (goto-char beg) (- beg (line-beginning-position)))
                    :end (save-excursion (goto-char end) (- end (line-beginning-position)))
                    :type (symbol-name (flymake-diagnostic-type d))
                    :text (flymake-diagnostic-text d))
              out)))
    (vconcat (sort out (lambda (a b) (string< (plist-get a :text) (plist-get b :text)))))))
(defun probe-open (file)
  (find-file file)
  ;; eglot-ensure connects on the next command: run the hook the command loop would run
  (run-hooks 'post-command-hook)
  (probe-wait "eglot to connect" (lambda () (and (eglot-current-server) eglot--managed-mode)))
  (eglot-current-server))
(defun probe-server (server)
  (list :language-id (eglot--language-id server)
        :command (vconcat (process-command (jsonrpc--process server)))
        ;; the server's working directory (Linux): eglot starts it in the project root
        :cwd (directory-file-name (file-symlink-p (format "/proc/%d/cwd" (process-id (jsonrpc--process server)))))
        :root (directory-file-name (expand-file-name (project-root (eglot--project server))))
        :modes (vconcat (mapcar #'symbol-name (eglot--major-modes server)))))

(condition-case err
    (progn
      (probe-put :emacs emacs-version)
      (unless (require 'markdown-mode nil t)
        (define-derived-mode markdown-mode text-mode "Markdown")
        (add-to-list 'auto-mode-alist '("\\.md\\'" . markdown-mode))
        (probe-put :stand-in-markdown-mode t))
      (unless (require 'yaml-mode nil t)
        (define-derived-mode yaml-mode text-mode "YAML")
        (add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . yaml-mode))
        (probe-put :stand-in-yaml-mode t))
      (load (getenv "PROBE_CONFIG") nil t)
      (require 'eglot)
      (probe-put :eglot (file-name-nondirectory (directory-file-name (file-name-directory (locate-library "eglot")))))
      (setq eglot-sync-connect t)

      ;; the incident record: diagnostics through Flymake
      (let ((server (probe-open (getenv "PROBE_DOC"))))
        (probe-put :mode (symbol-name major-mode))
        (probe-put :server (probe-server server))
        (probe-wait "two diagnostics" (lambda () (>= (length (flymake-diagnostics)) 2)))
        (probe-put :diagnostics (probe-diagnostics))

        ;; completion after `Severity: ` (end of `Severity: 😀 bad`)
        (goto-char (point-min)) (forward-line 3) (end-of-line)
        (let* ((capf (eglot-completion-at-point))
               (beg (nth 0 capf)) (end (nth 1 capf))
               (candidates (all-completions "" (nth 2 capf)))
               (exit (plist-get (nthcdr 3 capf) :exit-function)))
          (probe-put :completion (vconcat (mapcar #'substring-no-properties candidates)))
          (probe-put :completion-kinds
                     (vconcat (mapcar (lambda (c) (plist-get (get-text-property 0 'eglot--lsp-item c) :kind))
                                      candidates)))
          ;; finish the first candidate as completion-at-point does: insert it, then the exit function
          (let ((chosen (car candidates)))
            (delete-region beg end)
            (goto-char beg)
            (insert chosen)
            (funcall exit chosen 'finished))
          (probe-put :edited-line (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
        ;; what eglot's and Flymake's idle timers would do
        (eglot--signal-textDocument/didChange)
        (probe-wait "the diagnostics of the edited buffer"
                    (lambda ()
                      (flymake-start)
                      (accept-process-output nil 0.02)
                      (and (= (length (flymake-diagnostics)) 1)
                           (string-match-p "\\[T002\\]" (flymake-diagnostic-text (car (flymake-diagnostics)))))))
        (probe-put :after-edit (probe-diagnostics))

        ;; the policy YAML: its own server (one per mode), same project root
        (let ((policy-server (probe-open (getenv "PROBE_POLICY"))))
          (probe-put :policy-mode (symbol-name major-mode))
          (probe-wait "the policy's diagnostics" (lambda () (>= (length (flymake-diagnostics)) 1)))
          (probe-put :policy-diagnostics (probe-diagnostics))
          (probe-put :policy-server (probe-server policy-server))
          (probe-put :servers-differ (not (eq server policy-server)))
          (eglot-shutdown policy-server)
          (eglot-shutdown server)
          (probe-put :stopped (not (or (jsonrpc-running-p server) (jsonrpc-running-p policy-server)))))))
  (error (probe-put :error (format "%S" err))))

(with-temp-file (getenv "PROBE_OUT")
  (insert (json-encode probe-result)))
(kill-emacs (if (plist-get probe-result :error) 1 0))
"""


def readme_config() -> str:
    blocks = re.findall(r"```emacs-lisp\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "editors/README.md has no emacs-lisp block"
    return blocks[0]


def run_probe(workspace: HostileWorkspace, tmp_path: Path) -> dict:
    probe = tmp_path / "probe.el"
    probe.write_text(PROBE, encoding="utf-8")
    config = tmp_path / "hotfix-policy-config.el"
    config.write_text(readme_config(), encoding="utf-8")
    out = tmp_path / "probe.json"
    # the README's command, `policy`, found on PATH as in a user's Emacs
    env = dict(os.environ, PROBE_OUT=str(out), PROBE_CONFIG=str(config),
               PROBE_DOC=str(workspace.record), PROBE_POLICY=str(workspace.draft),
               PATH=os.pathsep.join([str(Path(POLICY_COMMAND).parent), os.environ.get("PATH", "")]),
               HOME=str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    command = [EMACS, "--batch", "-q", "-l", str(probe)]
    try:
        run = subprocess.run(command, cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=TIMEOUT)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"Emacs did not finish in {TIMEOUT} s; output: {error.stdout!r} {error.stderr!r}")
    result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    assert run.returncode == 0 and "error" not in result, (
        f"probe failed (exit {run.returncode}): {result.get('error')}; planted modules imported: {workspace.imported()}; "
        f"stderr: {run.stderr.decode(errors='replace')[-2000:]}")
    return result


def test_eglot_reads_diagnostics_and_completion(hostile_workspace: HostileWorkspace, tmp_path: Path):
    workspace = hostile_workspace.root
    result = run_probe(hostile_workspace, tmp_path)
    assert result["mode"] == "markdown-mode"
    # the README's command, started by eglot in the workspace
    assert result["server"] == {"language-id": "markdown", "command": ["policy", "lsp", "--stdio"],
                                "cwd": str(workspace), "root": str(workspace), "modes": ["markdown-mode"]}

    # Flymake's view: 0-based line, character columns (eglot converted the server's UTF-16
    # columns 10-16 around the emoji of "Severity: 😀 bad" to characters 10-15)
    assert result["diagnostics"] == [
        {"line": 3, "start": 10, "end": 15, "type": "eglot-error",
         "text": "hotfix-policy [T001]: Severity must be CRITICAL, HIGH or MEDIUM"},
        {"line": 4, "start": 8, "end": 16, "type": "eglot-warning", "text": "hotfix-policy [T002]: Unknown status"},
    ]

    # completion-at-point after `Severity: `; finishing CRITICAL applies the server's edit
    assert result["completion"] == ["CRITICAL", "HIGH", "MEDIUM"]
    assert result["completion-kinds"] == [20, 20, 20]   # EnumMember
    assert result["edited-line"] == "Severity: CRITICAL"
    assert result["after-edit"] == [
        {"line": 4, "start": 8, "end": 16, "type": "eglot-warning", "text": "hotfix-policy [T002]: Unknown status"}]

    # the policy YAML: its own server with the yaml language id, rooted at .policy.yaml
    assert result["policy-mode"] == "yaml-mode"
    assert result["policy-server"] == {"language-id": "yaml", "command": ["policy", "lsp", "--stdio"],
                                       "cwd": str(workspace), "root": str(workspace), "modes": ["yaml-mode"]}
    assert result["servers-differ"] is True
    # the draft policy (found by content, sent as yaml): the CEL syntax error at the stray 'MEDIUM'
    [policy_diagnostic] = result["policy-diagnostics"]
    assert (policy_diagnostic["line"], policy_diagnostic["start"], policy_diagnostic["end"],
            policy_diagnostic["type"]) == (8, 55, 56, "eglot-error")
    assert policy_diagnostic["text"].startswith("hotfix-policy [FILE002]: ") and "'MEDIUM'" in policy_diagnostic["text"]
    assert result["stopped"] is True
    assert hostile_workspace.imported() == []
