"""Bounded load test: signed-in users against gunicorn on loopback, for a fixed time.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> .venv/bin/python bench/load.py
Options: --users 10,50 (one run per figure), --seconds 60, --workers 2 (gunicorn
processes, sync, one thread each), --think 0 (seconds between a user's requests).

The demo company must be loaded first (`manage.py migrate && manage.py seed_demo`, or
one run of bench/pages.py). The script starts gunicorn on 127.0.0.1 (a free port,
DEBUG off, static files collected first), signs in the demo users (sessions written in the database, no password
round trip), and runs closed-loop virtual users, one thread each: planners on their
demand grid (page, SKU x their territory, family x region), the manager on the board
and home page, executives on the sign-off page. Users only read: the demo's open cycle
is in data gathering, where the grid refuses edits. Per run it prints requests/s,
p50/p95/p99 of the answer time seen by the client, the errors (any status but 200, or
no answer: must be 0), p95 per page, and the CPU the gunicorn workers used as a share
of their capacity (near 100% there: the web workers saturate first; well below it with
high latency: the database or the client machine does). Nothing runs beyond
--seconds plus start-up; gunicorn is stopped at the end.
"""

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")
# the sessions this process writes must verify in gunicorn: one key for both
os.environ.setdefault("SECRET_KEY", "load-bench-only-" + "x" * 40)

PLANNERS = ("planner-north", "planner-south", "planner-east", "planner-west")
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    wall: float = 0.0  # seconds the run took
    cpu: float = 0.0  # CPU seconds the gunicorn workers used meanwhile

    def add(self, label: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.times[label].append(ms)
            if error:
                self.errors.append(f"{label}: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,50")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think", type=float, default=0.0)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("load: set DATABASE_URL to a PostgreSQL database holding the demo company.")
    import django

    django.setup()
    scripts = user_scripts()
    port = free_port()
    server = start_gunicorn(port, options.workers)
    try:
        for users in (int(n) for n in options.users.split(",")):
            results = run(port, scripts, users, options.seconds, options.think, server)
            report(users, options, results)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def user_scripts() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Per demo user: a session cookie and the (label, path) it walks round."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cycles.models import Cycle
    from territories.models import Territory

    cycle = Cycle.objects.exclude(status=Cycle.Status.RELEASED).order_by("-month").first()
    if cycle is None:
        sys.exit("load: no open cycle; load the demo company first (manage.py seed_demo).")
    grid = f"/api/demand/cycles/{cycle.pk}/grid/"
    scripts = {}
    for username in (*PLANNERS, "manager", "exec"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookie = client.cookies["sessionid"].value
        if username in PLANNERS:
            mine = Territory.objects.filter(territoryassignment__user__username=username).first()
            pages = [
                ("grid page", f"/demand/{cycle.pk}/"),
                ("grid API, SKU x territory",
                 f"{grid}?product_level=sku&territory_level=territory&territory={mine.pk}"),
                ("grid API, family x region",
                 f"{grid}?product_level=family&territory_level=region"),
            ]  # fmt: skip
        elif username == "manager":
            pages = [("board", f"/cycles/?cycle={cycle.pk}"), ("home", "/")]
        else:
            pages = [("sign-off", f"/cycles/{cycle.pk}/sign-off/")]
        scripts[username] = (cookie, pages)
    return scripts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env() -> dict[str, str]:
    """The environment of a production web process on loopback: DEBUG off, no TLS."""
    return {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
    }


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = production_env()
    manage = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)  # DEBUG off serves the manifest
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "sop_planner.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "1",
        "--timeout", "120", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if get(port, "/accounts/login/", "")[0] == 200:
                return server
        except OSError:
            time.sleep(0.5)
    os.killpg(server.pid, signal.SIGKILL)
    sys.exit("load: gunicorn did not answer within 120 s.")


def get(port: int, path: str, cookie: str, connection=None) -> tuple[int, bytes]:
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = connection.getresponse()
    return response.status, response.read()


def run(port, scripts, users: int, seconds: float, think: float, server) -> Results:
    """`users` threads; user i plays a planner 6 times in 10, the manager 2, an executive 2."""
    roles = [*PLANNERS, *PLANNERS[:2], "manager", "manager", "exec", "exec"]
    results = Results()
    stop_at = time.monotonic() + seconds
    before = cpu_seconds(server.pid)
    threads = [
        threading.Thread(
            target=virtual_user,
            args=(port, scripts[roles[i % len(roles)]], stop_at, think, results),
        )
        for i in range(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.wall = time.monotonic() - started
    results.cpu = cpu_seconds(server.pid) - before
    return results


def virtual_user(port, script, stop_at: float, think: float, results: Results) -> None:
    cookie, pages = script
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    step = random.randrange(len(pages))
    while time.monotonic() < stop_at:
        label, path = pages[step % len(pages)]
        step += 1
        started = time.perf_counter()
        try:
            status, _ = get(port, path, cookie, connection)
            error = None if status == 200 else f"status {status}"
        except (OSError, http.client.HTTPException) as failure:
            error = repr(failure)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        results.add(label, (time.perf_counter() - started) * 1000, error)
        if think:
            time.sleep(think)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of gunicorn's worker processes (children of the master)."""
    total = 0.0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def percentile(times: list[float], q: int) -> float:
    return (
        statistics.quantiles(times, n=100, method="inclusive")[q - 1]
        if len(times) > 1
        else times[0]
    )


def report(users: int, options, results: Results) -> None:
    every = [ms for times in results.times.values() for ms in times]
    if not every:
        print(f"{users} users: no request answered")
        return
    busy = results.cpu / (results.wall * options.workers) * 100
    print(f"\n{users} users, {options.seconds:.0f} s, gunicorn {options.workers} sync workers, "
          f"think {options.think} s, load average now {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")  # fmt: skip
    print(f"  {len(every) / results.wall:.1f} requests/s; p50 {percentile(every, 50):.0f} ms, "
          f"p95 {percentile(every, 95):.0f} ms, p99 {percentile(every, 99):.0f} ms; "
          f"{len(results.errors)} errors; gunicorn workers busy {busy:.0f}% of their CPU")  # fmt: skip
    for label, times in sorted(results.times.items()):
        print(f"  {label:<28}{len(times):>6} requests  p95 {percentile(times, 95):>7.0f} ms")
    for error in results.errors[:10]:
        print(f"  error: {error}")


if __name__ == "__main__":
    main()
