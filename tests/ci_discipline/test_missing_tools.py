"""With ``CI=true`` every skip fails (a missing tool's names the tool); elsewhere a test skips in one line.

Runs a small inner pytest session (a subprocess, so the environment variable is real) whose conftest is
the suite's own ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest

INNER_TESTS = """
import pytest
from tests.support.tools import missing_tool, require_executable

def test_helper_missing_node():
    missing_tool("node", hint="install Node.js 20+")

def test_executable_not_on_path():
    require_executable("surely-not-installed-tool-4711", hint="install it")

@pytest.mark.skipif(True, reason="missing tool: npm (install Node.js 20+)")
def test_marker_missing_npm():
    pass

def test_importorskip_missing_module():
    pytest.importorskip("surely_not_installed_module_4711")

@pytest.mark.skip(reason="documented as not applicable here")
def test_unrelated_skip():
    pass

def test_inline_skip():
    pytest.skip("not today")

def test_passes():
    pass
"""

# A module skipped while it is imported: in CI its collection fails.
INNER_MODULE = """
import pytest

pytest.importorskip("surely_not_installed_module_4712")

def test_never_collected():
    pass
"""

# A skip turned into a failure during setup (a skipif marker) is reported as an error: both fail the run.
FAILED = ("failure", "error")


def run_inner(tmp_path: Path, *, ci: str | None) -> dict[str, tuple[str, str]]:
    """Run the inner tests; return ``{test name: (outcome, message)}`` from pytest's JUnit XML report."""
    hooks = "from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401\n"
    (tmp_path / "conftest.py").write_text(hooks)
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_TESTS))
    (tmp_path / "test_inner_module.py").write_text(textwrap.dedent(INNER_MODULE))
    report = tmp_path / "report.xml"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    if ci is not None:
        env["CI"] = ci
    pytest_args = ["-q", "-p", "no:cacheprovider", "--continue-on-collection-errors", f"--junitxml={report}"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *pytest_args, "test_inner.py", "test_inner_module.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert report.exists(), result.stdout + result.stderr
    outcomes: dict[str, tuple[str, str]] = {}
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        name = case.attrib["name"].removeprefix("test_")
        outcome = next((child for child in case if child.tag in ("failure", "error", "skipped")), None)
        if outcome is None:
            outcomes[name] = ("passed", "")
        else:
            outcomes[name] = (outcome.tag, outcome.attrib.get("message", "") + (outcome.text or ""))
    assert len(outcomes) == 8, result.stdout + result.stderr
    return outcomes


def test_in_ci_missing_tools_fail_and_name_the_tool(tmp_path: Path) -> None:
    outcomes = run_inner(tmp_path, ci="true")
    assert outcomes["helper_missing_node"][0] in FAILED
    assert "missing tool: node" in outcomes["helper_missing_node"][1]
    assert outcomes["executable_not_on_path"][0] in FAILED
    assert "surely-not-installed-tool-4711" in outcomes["executable_not_on_path"][1]
    assert outcomes["marker_missing_npm"][0] in FAILED
    assert "missing tool: npm" in outcomes["marker_missing_npm"][1]
    assert outcomes["importorskip_missing_module"][0] in FAILED
    assert "surely_not_installed_module_4711" in outcomes["importorskip_missing_module"][1]
    for name in ("unrelated_skip", "inline_skip"):  # not only missing tools: no test may skip in CI
        assert outcomes[name][0] in FAILED, outcomes[name]
        assert "CI=true, so a skip is a failure" in outcomes[name][1]
    assert "documented as not applicable here" in outcomes["unrelated_skip"][1]
    assert outcomes["inner_module"][0] in FAILED, outcomes["inner_module"]
    assert "surely_not_installed_module_4712" in outcomes["inner_module"][1]
    assert outcomes["passes"][0] == "passed"


@pytest.mark.parametrize("ci", [None, "false", ""])
def test_on_a_developer_machine_missing_tools_skip_in_one_line(tmp_path: Path, ci: str | None) -> None:
    outcomes = run_inner(tmp_path, ci=ci)
    for name in ("helper_missing_node", "executable_not_on_path", "marker_missing_npm"):
        assert outcomes[name][0] == "skipped", outcomes[name]
        assert "missing tool:" in outcomes[name][1]
        assert "\n" not in outcomes[name][1].strip(), "the skip reason should be one line"
    for name in ("importorskip_missing_module", "unrelated_skip", "inline_skip", "inner_module"):
        assert outcomes[name][0] == "skipped", outcomes[name]
    assert outcomes["passes"][0] == "passed"
