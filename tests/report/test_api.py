"""The package's promises to its caller: cheap to import, formats loaded only when used."""

from __future__ import annotations

import subprocess
import sys

from hotfix_policy.engine.report import FORMATS, Report, RuleInfo, render, summary_counts
from hotfix_policy.engine.findings import Severity



def test_text_render_loads_neither_xml_nor_json_schema():
    code = ("import sys; from hotfix_policy.engine.report import Report, render; "
            "render(Report([], 1, {}, {}, ''), 'text'); "
            "print(sorted(m for m in sys.modules if m.startswith(('xml', 'jsonschema', 'hotfix_policy.engine.report.', "
            "'lsp', 'pygls', 'lsprotocol'))))")
    from tests.conftest import REPO
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                            timeout=60)
    assert result.stdout.strip() == "['hotfix_policy.engine.report.model', 'hotfix_policy.engine.report.text']", result.stderr


def test_defaults_allow_a_minimal_report():
    report = Report([], 0)
    assert summary_counts(report) == {"documents": 0, "context": 0, "errors": 0, "warnings": 0, "infos": 0,
                                      "waived": 0, "excluded": 0}
    assert all(render(report, fmt) for fmt in FORMATS)
    assert RuleInfo("X1", Severity.INFO, "s").help_uri == ""


def test_policy_check_offers_exactly_the_formats_there_are(capsys):
    import pytest

    from hotfix_policy.cli.main import build_parser

    parser = build_parser()
    assert all(parser.parse_args(["check", "--format", fmt]).format == fmt for fmt in FORMATS)
    with pytest.raises(SystemExit):
        parser.parse_args(["check", "--format", "yaml"])
    offered = capsys.readouterr().err.split("(choose from ", 1)[1].split(")", 1)[0]
    assert offered == ", ".join(repr(fmt) for fmt in FORMATS)
