"""Benchmark: uploads through gunicorn and a real worker; the web request only stores and queues.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/<bench db> \
      REDIS_URL=redis://127.0.0.1:6379/<a Redis database of its own> \
      .venv/bin/python bench/upload_limits.py
Options: --rows 500000 (the actuals file), --products 3000 (the master-data file).

It loads the large demo company once (as bench/upload_bench.py), flushes the Redis
database, then starts gunicorn (one sync worker, DEBUG off) and a Celery worker (solo
pool) on loopback, both on the given database and broker. Each file is written into a
temporary folder (deleted at the end; no data file is committed): a products file, an
actuals file, and the hostile workbooks of tests/uploads/hostile_workbooks.py (3 million
rows packed into ~190 KB, a ~100 KB shared-string bomb, 30,000 columns, a 40,000-character
cell). Each is POSTed to /api/imports/ with a token; the good ones are then committed
through /api/imports/<id>/commit. Per file it prints the outcome, the web requests' time
(upload, and commit), the worker's time (from the answer until the batch is previewed /
refused / written, polled every 0.1 s), and the peak resident memory (VmHWM) of the
gunicorn worker and of the Celery worker so far. The web process's peak must stay near
its idle figure whatever the file: it never reads one. The committed rows are reverted
at the end (through the service, not timed), so a second run starts from the same data.
"""

import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from large_company import bench_user, ensure_large_company  # noqa: E402
from load import free_port, production_env  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sop_planner.settings")
FINISHED = {"previewed", "failed", "needs_mapping", "committed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--products", type=int, default=3000)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("upload_limits: set DATABASE_URL to a PostgreSQL database of its own.")
    if not os.environ.get("REDIS_URL"):
        sys.exit("upload_limits: set REDIS_URL to a Redis database of its own (it is flushed).")
    with tempfile.TemporaryDirectory(prefix="upload-limits-") as folder:
        os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
        import django

        django.setup()
        run(options, Path(folder))


def run(options, folder: Path) -> None:
    import redis
    from django.core.management import call_command

    from accounts.roles import Role

    call_command("migrate", verbosity=0)
    ensure_large_company()
    analyst = bench_user("upload-limits", Role.SALES_OPS_ANALYST)
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    files = list(bench_files(options, folder))
    port = free_port()
    web, worker = start_web(port), start_worker()
    try:
        token = api_token(analyst)
        request(port, token, "GET", "/api/imports/")  # the web worker, warmed up
        print(f"idle gunicorn worker: peak RSS {peak_mb(child_of(web.pid)):.0f} MB\n")
        header = f"{'file':<40}{'outcome':<28}{'web s':>13}{'worker s':>11}{'web MB':>8}{'worker MB':>10}"
        print(header)
        committed = [
            measure(port, token, name, path, kind, web, worker) for name, path, kind in files
        ]
    finally:
        for process in (web, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    revert(analyst, [batch_id for batch_id in committed if batch_id])
    print("\nload average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def bench_files(options, folder: Path):
    """(label, path, kind) of each file, written now."""
    from upload_bench import write_file

    from tests.uploads import hostile_workbooks as hostile

    products = folder / "products.csv"
    lines = ["sku,name,family,unit_price,unit_cost"]
    family = _a_family_code()
    tag = uuid.uuid4().hex[:6].upper()
    lines += [
        f"LB-{tag}-{n:05d},Bench {n},{family},{n % 90 + 10}.50,4.25"
        for n in range(options.products)
    ]
    products.write_text("\n".join(lines) + "\n")
    yield f"products, {options.products:,} rows", products, "products"
    actuals = folder / "actuals.csv"
    write_file(actuals, options.rows)
    yield f"actuals, {options.rows:,} rows", actuals, "actuals"
    for label, build in (
        ("xlsx, 3 million rows", hostile.millions_of_rows),
        ("xlsx, shared-string bomb", hostile.shared_string_bomb),
        ("xlsx, 30,000 columns", lambda: hostile.wide(30_000, rows=20)),
        ("xlsx, 40,000-character cell", lambda: hostile.long_cell(40_000)),
    ):
        path = folder / f"{label.split(', ')[1].replace(' ', '-')}.xlsx"
        path.write_bytes(build())
        yield f"{label} ({path.stat().st_size / 1e6:.2f} MB)", path, "actuals"


def _a_family_code() -> str:
    from products.models import ProductFamily

    return ProductFamily.objects.order_by("code").values_list("code", flat=True).first()


def measure(port, token, label, path: Path, kind: str, web, worker) -> int | None:
    """Upload (and commit, when it previews clean); prints one line; the committed batch id."""
    started = time.perf_counter()
    status, body = upload(port, token, path, kind)
    web_seconds = [time.perf_counter() - started]
    if status != 201:
        print(f"{label:<40}HTTP {status}: {body[:200]}")
        return None
    batch, worker_seconds = wait(port, token, body["id"])
    committed = None
    if batch["status"] == "previewed":
        started = time.perf_counter()
        request(
            port, token, "POST", f"/api/imports/{batch['id']}/commit", {"accept_partial": True}
        )
        web_seconds.append(time.perf_counter() - started)
        batch, writing = wait(port, token, batch["id"])
        worker_seconds += writing
        committed = batch["id"] if batch["status"] == "committed" else None
    outcome = _outcome(batch)
    web_text = " + ".join(f"{s:.2f}" for s in web_seconds)
    print(
        f"{label:<40}{outcome:<28}{web_text:>13}{worker_seconds:>11.1f}"
        f"{peak_mb(child_of(web.pid)):>8.0f}{peak_mb(worker.pid):>10.0f}"
    )
    if batch["status"] == "failed":
        print(f"    refusal: {batch['error']}")
    return committed


def _outcome(batch: dict) -> str:
    if batch["status"] == "committed":
        return f"committed {batch['rows_written']:,} rows"
    return batch["status_label"]


def wait(port, token, batch_id: int, timeout: float = 1800) -> tuple[dict, float]:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        _status, batch = request(port, token, "GET", f"/api/imports/{batch_id}/")
        if batch["status"] in FINISHED:
            return batch, time.perf_counter() - started
        time.sleep(0.1)
    sys.exit(f"upload_limits: batch {batch_id} did not finish within {timeout:.0f} s.")


def upload(port, token, path: Path, kind: str) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    return request(
        port, token, "POST", "/api/imports/", body, f"multipart/form-data; boundary={boundary}"
    )


def request(port, token, method, path, body=None, content_type="application/json"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    headers = {"Authorization": f"Token {token}", "Content-Type": content_type}
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, {"detail": data[:300].decode(errors="replace")}


def api_token(user) -> str:
    from knox.models import AuthToken

    return AuthToken.objects.create(user)[1]


def start_web(port: int) -> subprocess.Popen:
    from load import start_gunicorn

    return start_gunicorn(port, 1)


def start_worker() -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "celery"), "-A", "sop_planner", "worker",
        "--pool=solo", "--loglevel=warning", "--without-heartbeat", "--without-mingle",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=production_env(), start_new_session=True)


def child_of(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0])


def peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def revert(analyst, batch_ids: list[int]) -> None:
    from uploads.services import upload_revert, upload_unwrite

    for batch_id in batch_ids:
        upload_revert(actor=analyst, batch_id=batch_id, reason="benchmark clean-up")
        upload_unwrite(batch_id=batch_id)  # the worker's part, run here


if __name__ == "__main__":
    main()
