"""The embedded default does not block: while a worker writes a 1,000-row budget commit
into SQLite, another user's board and demand grid keep answering, and a sign-in gets in.

Everything runs as bin/run runs it: SQLite in its own folder, the filesystem broker, a
real worker process. The reads are made by tests/platform/embedded_budget_commit.py,
which marks each one made while the worker's write transaction was open from its start
to its end.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).parent / "celery"


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    # every upload goes to the worker, as big ones always have
    return env | {"SOP_VAR_DIR": str(tmp_path), "UPLOAD_BACKGROUND_BYTES": "0"}


def run(env, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


def test_the_board_and_grid_answer_while_a_worker_commits_a_budget(embedded_env):
    run(embedded_env, "manage.py", "migrate", "--no-input", "-v0")
    worker = subprocess.Popen(
        [str(CELERY), "-A", "sop_planner", "worker", "--pool=solo", "--loglevel=warning"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        output = run(embedded_env, "-m", "tests.platform.embedded_budget_commit")
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    outcome = json.loads(output.strip().splitlines()[-1])

    assert outcome["journal_mode"] == "wal"
    assert (outcome["commit_status"], outcome["rows_written"]) == ("committed", 1008)
    reads = outcome["reads"]
    assert reads and all(read["status"] == 200 for read in reads)
    inside = [read["url"] for read in reads if read["inside_commit"]]
    assert "/cycles/" in inside  # the board answered with the commit's transaction open
    assert any(url.startswith(("/demand/", "/api/demand/")) for url in inside)  # so did the grid
    login = outcome["login"]
    assert login["lock_held_at_start"] and login["status"] == 302  # signed in, not timed out
