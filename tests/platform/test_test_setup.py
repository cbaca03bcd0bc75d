"""The test command itself: without Chromium only the browser tests are skipped."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PURE = "tests/reassessment/test_metrics.py"
BROWSER = "tests/browser/test_menu.py"


def _pytest(*, ci: bool) -> subprocess.CompletedProcess:
    """Run a pure and a browser test file in a fresh pytest, with Chromium 'missing'."""
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "DATABASE_URL", "REDIS_URL"}}
    env["SOP_CHROMIUM"] = "/nonexistent/chromium"
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", PURE, BROWSER, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _count(output: str, outcome: str) -> int:
    found = re.search(rf"(\d+) {outcome}", output)
    return int(found.group(1)) if found else 0


def _collected(path: str) -> int:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", path, "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return _count(result.stdout, "tests? collected")


def test_without_chromium_the_other_tests_run_and_only_browser_tests_skip():
    result = _pytest(ci=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _count(result.stdout, "passed") == _collected(PURE) > 0
    assert _count(result.stdout, "skipped") == _collected(BROWSER) > 0
    skipped_lines = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skipped_lines and all(BROWSER in line for line in skipped_lines)
    assert all("needs Debian's Chromium" in line for line in skipped_lines)


def test_in_ci_a_skipped_browser_test_fails_the_run():
    result = _pytest(ci=True)
    assert result.returncode != 0
    assert "nothing may be skipped in CI" in result.stdout
