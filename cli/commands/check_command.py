"""`policy check [PATH...]`: evaluate the policies on the documents; exit 0, 1 (findings) or 2."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from contextlib import contextmanager

from ...engine.kinds import FILE_KINDS
from ...engine.policy.policy_sources import POLICY_SOURCES
from ...engine.report import FORMATS
from . import add_follow_outside_links, add_now

_RANK = {"info": 1, "warning": 2, "error": 3}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="document files or folders (Markdown under folders; default: the current folder); "
                             "- reads one document from stdin")
    parser.add_argument("--config", metavar="F", help="the configuration (default: .policy.yaml at or above PATH)")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default text)")
    parser.add_argument("--output", metavar="F", help="write the report to F instead of stdout")
    parser.add_argument("--report", metavar="FORMAT=F", action="append", default=[], type=_report_target,
                        help="also write the report in FORMAT to F, from the same evaluation; repeatable "
                             "(e.g. --format github --report sarif=policy.sarif --report json=report.json)")
    parser.add_argument("--github-event", metavar="F", help="a GitHub pull_request, pull_request_target or pull_request_review event JSON "
                             "(default in Actions: GITHUB_EVENT_PATH on those events)")
    parser.add_argument("--reviews", metavar="F", help="GitHub's list-reviews JSON (for approvals)")
    parser.add_argument("--changed-files", metavar="F", help="changed files: one a line, or GitHub's list-files JSON")
    parser.add_argument("--branch", metavar="B", help="the PR's head branch")
    parser.add_argument("--base", metavar="REF", help="the PR's base branch")
    parser.add_argument("--commits", metavar="A..B", help="check the non-merge commits of this range")
    parser.add_argument("--tags", metavar="GLOB", help="check the annotated tags matching GLOB (e.g. v*)")
    parser.add_argument("--kind", metavar="KIND",
                        help=f"force the kind of every named document: one of {', '.join(FILE_KINDS)}")
    add_now(parser)
    parser.add_argument("--policy-from", choices=POLICY_SOURCES,
                        help="read the configuration and local policies from the pull request's base commit "
                             "(default when the event names it) or the working tree (default otherwise)")
    add_follow_outside_links(parser)
    parser.add_argument("--explain", action="store_true",
                        help="after the report, explain step by step why each rule finding fired")
    parser.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                        help="exit 1 when a finding at or above this severity is not waived (default error)")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the caches of compiled policies, extracted documents "
                             "and whole runs, kept in $XDG_CACHE_HOME/hotfix-policy (else ~/.cache/hotfix-policy) "
                             "and safe to delete (HOTFIX_POLICY_NO_CACHE=1 turns them off for every command)")


@contextmanager
def _collecting_rarely():
    """A run builds hundreds of thousands of objects that live until it ends (documents, their
    values, compiled policies) and makes little cyclic garbage, so the cycle collector's default
    (a young collection every 700 allocations, each full one walking everything) is mostly
    wasted: during the run, the objects loaded before it are never walked (`gc.freeze`, before
    the workers fork, so that they do not write to shared pages either) and young collections
    come every 100,000 allocations. About a tenth of a cold run of 2,000 records
    (benchmarks/README.md). The collector is as it was after the run (a caller in-process)."""
    thresholds, frozen_before = gc.get_threshold(), gc.get_freeze_count()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if not frozen_before:  # else the caller froze some of them, and would have them stay frozen
            gc.unfreeze()


def run(args: argparse.Namespace) -> int:
    later: list = []
    with _collecting_rarely():
        code = _checked(args, later.append)
        if later:  # the run cache's entry, once the report (which the reader waits for) is out
            sys.stdout.flush()
        for store in later:
            _store(store)
    return code


def _store(job) -> None:
    """Write a cache entry. The cache is optional: a failure there is a note, never another exit
    code or a traceback after the report. The note names the error's type only, since its text
    may quote a value from a document."""
    try:
        job()
    except Exception as error:  # noqa: BLE001 - whatever it is, the run's outcome stands
        print(f"policy check: the run cache's entry was not written ({type(error).__name__})", file=sys.stderr)


def _checked(args: argparse.Namespace, store) -> int:
    from ...engine import __version__
    from ...engine.errors import EXIT_FINDINGS, EXIT_OK
    from ...engine.policy.check import configuration, gather, load_run_policies, run_check
    from ...engine.policy.extraction_pool import EarlyExtraction
    from ...engine.policy.inputs import RunInputs
    from ...engine.replay.outcome import outcome_of
    from ...engine.replay.run_cache import checked, holds_no_runs
    from ...engine.report import Report, render
    from ..output import write_output

    targets = _targets(args)
    if args.no_cache:  # the environment, so that the run's worker processes see it too
        from ...engine.cache_folder import NO_CACHE_VARIABLE

        os.environ[NO_CACHE_VARIABLE] = "1"
    paths = args.paths or ["."]
    inputs = RunInputs(paths=paths, kind=args.kind, github_event=args.github_event, reviews=args.reviews,
                       changed_files=args.changed_files, branch=args.branch, base=args.base, commits=args.commits,
                       tags=args.tags, now=args.now, follow_outside_links=args.follow_outside_links,
                       policy_from=args.policy_from)
    if "-" in paths:
        inputs.stdin = sys.stdin.buffer
    from .progress import Progress

    progress = Progress()
    result = None
    try:
        config = configuration(inputs, args.config)
        # A cold run's documents are extracted while its policies load, its inputs are gathered
        # and its cache key made.
        with EarlyExtraction(inputs, config, begin=args.explain or holds_no_runs()) as early:
            policies = load_run_policies(config)
            if args.explain:  # explaining needs the documents: judged, never replayed
                result = run_check(inputs, config, policies, progress, gather(inputs, config, early))
                outcome = outcome_of(result, inputs)
            else:
                outcome = checked(inputs, config, policies, progress, store=store, early=early)
    finally:
        progress.close()
    from .discovery_notes import say, tell

    tell("check", outcome.discovered, outcome.documents, config)
    for path in outcome.event_files:
        say(f"policy check: {path} describes the event's pull request: the event's body is judged "
            "(what GitHub shows), the file is only read")
    from .judging_notes import tell_judging

    tell_judging(config, inputs)
    _tell_unused_caches(say)
    sources = dict(outcome.sources)
    if config.loaded is not None:  # excerpts of waiver findings: masked as a document's text is
        from ...engine.documents.secrets import mask_text

        sources[config.path] = mask_text(config.loaded.text)
    report = Report(findings=outcome.findings, documents=outcome.written, context=outcome.context,
                    excluded=len(outcome.discovered.excluded), sources=sources, rules=_rule_infos(policies),
                    tool_version=__version__, docs=outcome.docs)
    color = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    for fmt, path in targets:
        write_output(render(report, fmt, color=color and path is None), path)
    if result is not None:
        print(_explanations(result), file=sys.stderr if args.format != "text" and not args.output else sys.stdout)
    return EXIT_FINDINGS if _fails(outcome.findings, args.fail_on) else EXIT_OK


def _tell_unused_caches(say) -> None:
    """A cache this run could not trust or make (README, "Security") is named, once, with the way
    back; one found damaged and made again, with what was damaged; a relative XDG_CACHE_HOME,
    ignored, is told with where the caches are instead."""
    from ...engine.cache_folder import caches_made_again, ignored_cache_homes, refusals

    for value, home in ignored_cache_homes():
        say(f"policy check: XDG_CACHE_HOME={value} is not an absolute path, so it is ignored, as the XDG Base "
            f"Directory specification says: the caches are in {os.path.join(home, 'hotfix-policy')}")
    folders_by_reason: dict = {}
    for folder, reason in refusals():
        folders_by_reason.setdefault(reason, []).append(folder)
    for reason, folders in folders_by_reason.items():  # the cache home's: one note for the three caches
        where = f"the cache in {folders[0]}" if len(folders) == 1 else \
            f"the caches in {os.path.dirname(folders[0])} ({', '.join(os.path.basename(f) for f in folders)})"
        say(f"policy check: {where} {'is' if len(folders) == 1 else 'are'} not used: {reason}")
    for folder, why in caches_made_again():
        say(f"policy check: the cache in {folder} was made again: {why}")


def _report_target(value: str) -> tuple:
    """`--report FORMAT=F`: one more format written to a file from the run's one evaluation."""
    fmt, separator, path = value.partition("=")
    if not separator or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=FILE, such as sarif=policy.sarif; found {value!r}")
    if fmt not in FORMATS:
        raise argparse.ArgumentTypeError(f"unknown format {fmt!r} in {value!r}; expected one of: {', '.join(FORMATS)}")
    return fmt, path


def _targets(args: argparse.Namespace) -> list:
    """(format, file or None for stdout) for `--format`/`--output` and each `--report`; two
    reports to one file would overwrite each other: a usage error before anything is written."""
    from ...engine.errors import UsageError

    targets = [(args.format, args.output), *args.report]
    files = [os.path.realpath(path) for _, path in targets if path is not None]
    if len(set(files)) != len(files):
        raise UsageError("--output and --report name the same file twice; give each report its own file")
    return targets


def _explanations(result) -> str:
    """`--explain`: each (rule, document) with a rule finding, explained once."""
    from ...engine.documents.secrets import mask_text
    from ...engine.policy.evaluate import docs_binding
    from ...engine.policy.explanation import explain_rule

    rules = result.policies.rules()
    by_path = {d.path: d for d in result.documents}
    docs = docs_binding(result.documents + result.context)
    parts, seen = [], set()
    for finding in result.findings:
        document = by_path.get(finding.path)
        if finding.rule not in rules or document is None or (finding.rule, finding.path) in seen:
            continue
        seen.add((finding.rule, finding.path))
        policy, rule = rules[finding.rule]
        bindings = {"doc": document.data, "docs": docs, "ctx": result.ctx_of(document), "data": result.policies.data}
        parts.append(explain_rule(policy, rule, document, bindings))
    # the documents' texts are masked already; their files' names (`INC-3-AKIA....md`) are not
    return mask_text("\n\n".join(parts)) if parts else "Nothing to explain: no rule findings."


def _fails(findings: list, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = _RANK[fail_on]
    return any(not f.waived and _RANK[str(getattr(f.severity, "value", f.severity))] >= threshold for f in findings)


def _rule_infos(policies) -> dict:
    from ...engine.policy.engine_rules import ENGINE_RULES
    from ...engine.policy.help_links import rule_help_url
    from ...engine.report import RuleInfo

    infos = {rule_id: RuleInfo(rule_id, severity, summary, rationale, help_uri=rule_help_url(rule_id))
             for rule_id, (severity, summary, rationale) in ENGINE_RULES.items()}
    for rule_id, (policy, rule) in policies.rules().items():
        docs = rule.docs
        infos[rule_id] = RuleInfo(rule_id, rule.severity, rule.summary, str(docs.get("rationale", "")),
                                  str(docs.get("workflow", "")), policy.name, rule_help_url(rule_id, policy))
    return infos
