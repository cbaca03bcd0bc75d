"""Benchmark: the embedded default (SQLite, filesystem broker) while a worker commits a budget.

Run:  .venv/bin/python bench/embedded_commit.py
(no DATABASE_URL or REDIS_URL needed: it makes its own SQLite database in a temporary
folder, as bin/run does in var/, and starts its own Celery worker process.)

What it measures: Finance commits a 1,008-row budget upload (7 families x 12 territories
x 12 months), written by the worker in one transaction; meanwhile another user keeps
requesting the cycle board, the demand grid page and the grid API, and a third signs
in. Prints the commit's time from the click to committed (the worker's pick-up
included), each read's server time while the commit's write transaction was open
(p50 / p95 / max, and how many), and how long the sign-in (a write: session, last
login) waited for the commit's lock. Target: every read under 1 s throughout.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).parent / "celery"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="sop-embedded-") as folder:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
        env |= {"SOP_VAR_DIR": folder, "UPLOAD_BACKGROUND_BYTES": "0"}
        python = [sys.executable]
        subprocess.run([*python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        worker = subprocess.Popen(
            [str(CELERY), "-A", "sop_planner", "worker", "--pool=solo", "--loglevel=warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            result = subprocess.run(
                [*python, "-m", "tests.platform.embedded_budget_commit"],
                cwd=ROOT, env=env, capture_output=True, text=True, check=True,
            )  # fmt: skip
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    report(json.loads(result.stdout.strip().splitlines()[-1]))


def report(outcome: dict) -> None:
    inside = [read["seconds"] * 1000 for read in outcome["reads"] if read["inside_commit"]]
    every = [read["seconds"] * 1000 for read in outcome["reads"]]
    print(f"journal mode: {outcome['journal_mode']}")
    print(f"budget commit: {outcome['rows_written']} rows, {outcome['commit_status']}, "
          f"{outcome['commit_seconds']:.1f} s from the click (worker pick-up included)")  # fmt: skip
    if inside:
        p95 = (
            statistics.quantiles(inside, n=20, method="inclusive")[18]
            if len(inside) > 1
            else inside[0]
        )
        print(f"reads (board, grid page, grid API) inside the commit's transaction: "
              f"{len(inside)}, p50 {statistics.median(inside):.0f} ms, p95 {p95:.0f} ms, "
              f"max {max(inside):.0f} ms")  # fmt: skip
    print(f"all reads while the commit was queued or running: {len(every)}, "
          f"max {max(every, default=0):.0f} ms, statuses {sorted({r['status'] for r in outcome['reads']})}")  # fmt: skip
    login = outcome["login"]
    if login:
        print(f"sign-in during the commit: HTTP {login['status']} after {login['seconds'] * 1000:.0f} ms"
              " (a write: it waits for the commit's lock)")  # fmt: skip
    verdict = "ok" if max(every, default=0) < 1000 else "MISS"
    print(f"{verdict}: every read under 1 s while the worker committed")


if __name__ == "__main__":
    main()
