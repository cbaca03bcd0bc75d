"""Take the README's screenshots (docs/screens/*.png) of a running demo: see bin/screens.

Each picture is taken on its own; one that fails (a page changed, a tool missing) is
reported and the others are still taken. PNGs are kept small: a fixed viewport and clip,
and, where Pillow is installed, 256 colours.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from functools import partial
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("SOP_TEST_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo"
WIDTH, HEIGHT = 1280, 760


def main(base: str, plan_file: str, out_dir: str) -> int:
    plan, out = json.loads(Path(plan_file).read_text()), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _wait_for(base)
    cycle, compare = plan["cycle"], "&".join(f"compare={pk}" for pk in plan["scenarios"])
    shots = [  # file, user, page, what to wait for
        ("grid.png", "planner-north", f"/demand/{cycle}/", "#demand-grid-app[data-loaded]"),
        ("gap-list.png", "finance", f"/reconciliation/{cycle}/", "main h1"),
        ("scenario-compare.png", "manager", f"/reconciliation/{cycle}/scenarios/?{compare}",
         "main h1"),
        ("planner-home.png", "planner-north", "/", "#todos"),
    ]  # fmt: skip
    failed = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, user, path, ready in shots:
            _try(failed, name, partial(_shot, browser, base, user, path, ready, out / name))
        _try(failed, "pack-page-1.png", partial(_pack, browser, base, cycle, out))
        browser.close()
    for name in sorted(p.name for p in out.glob("*.png")):
        print(f"  {name}: {(out / name).stat().st_size // 1024} KB")
    if failed:
        print("Not taken: " + "; ".join(failed), file=sys.stderr)
    return 1 if failed else 0


def _try(failed: list[str], name: str, take) -> None:
    try:
        take()
    except Exception as error:  # one broken page must not cost the other pictures
        failed.append(f"{name} ({type(error).__name__}: {str(error).splitlines()[0]})")


def _page(browser, base: str, user: str) -> Page:
    context = browser.new_context(base_url=base, viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("#whoami")
    return page


def _shot(browser, base: str, user: str, path: str, ready: str, target: Path) -> None:
    page = _page(browser, base, user)
    page.goto(path)
    page.wait_for_selector(ready)
    page.wait_for_timeout(500)  # charts and the grid settle
    page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
    page.context.close()
    _shrink(target)


def _pack(browser, base: str, cycle: int, out: Path) -> None:
    """The executive pack's first page, rendered from its PDF with pdftoppm."""
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm is not installed (apt-get install poppler-utils)")
    page = _page(browser, base, "exec")
    response = page.request.get(f"/reconciliation/{cycle}/pack.pdf")
    if not response.ok:
        raise RuntimeError(f"the pack PDF answered {response.status}")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "pack.pdf"
        pdf.write_bytes(response.body())
        stem = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-f", "1", "-l", "1", "-r", "80", "-singlefile", pdf, stem],
            check=True,
        )
        shutil.copyfile(f"{stem}.png", out / "pack-page-1.png")
    page.context.close()
    _shrink(out / "pack-page-1.png")


def _shrink(target: Path) -> None:
    """256 colours where Pillow is installed: a third of the size, text still sharp."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(target) as image:
        small = image.convert("RGB").quantize(colors=256)
    small.save(target, optimize=True)


def _wait_for(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"The app did not answer at {base} within {seconds:.0f} s."
                ) from None
            time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
