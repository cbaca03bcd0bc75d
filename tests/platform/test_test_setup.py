"""The test setup itself: what a machine without Chromium runs and skips.

Runs pytest in a subprocess on one browser test file and one pure test file
with SOP_TEST_CHROMIUM pointing at nothing (tests/fixtures/chromium.py reads it).
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROWSER_FILE = "tests/browser/test_menu.py"
PURE_FILE = "tests/cycles/test_stages.py"
RUNNER_VARIABLES = {"CI", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT", "PYTEST_ADDOPTS"}


def run_pytest_without_chromium(tmp_path, **extra_env: str) -> tuple[int, str, dict[str, str]]:
    """Returns the exit code, the output, and each test's outcome by file."""
    env = {k: v for k, v in os.environ.items() if k not in RUNNER_VARIABLES}
    env["SOP_TEST_CHROMIUM"] = str(tmp_path / "no-chromium-here")
    env.update(extra_env)
    report = tmp_path / "report.xml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            f"--junitxml={report}",
            BROWSER_FILE,
            PURE_FILE,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    outcomes = {}
    for case in ET.parse(report).iter("testcase"):
        outcome = "skipped" if case.find("skipped") is not None else "passed"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        outcomes[f"{case.get('classname')}::{case.get('name')}"] = outcome
    return result.returncode, result.stdout + result.stderr, outcomes


def by_file(outcomes: dict[str, str], module: str) -> set[str]:
    return {outcome for test, outcome in outcomes.items() if test.startswith(module)}


def test_without_chromium_the_pure_tests_run_and_only_the_browser_tests_are_skipped(tmp_path):
    code, output, outcomes = run_pytest_without_chromium(tmp_path)

    assert code == 0, output
    assert by_file(outcomes, "tests.cycles.test_stages") == {"passed"}, output
    assert by_file(outcomes, "tests.browser.test_menu") == {"skipped"}, output
    assert "needs Debian's Chromium" in output


def test_in_ci_a_skipped_browser_test_fails_the_run(tmp_path):
    code, output, outcomes = run_pytest_without_chromium(tmp_path, CI="true")

    assert code == 1, output
    assert by_file(outcomes, "tests.cycles.test_stages") == {"passed"}, output
    assert "nothing may be skipped in CI" in output
