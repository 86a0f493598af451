"""Open an HTML file in headless Chromium: a screenshot, and the page's text after its script ran.
Used by tests/test_html_browser.py and scripts/html_screenshots.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], timeout: float) -> tuple[str, float]:
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        started = time.perf_counter()
        done = subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "LANG": "zh_CN.UTF-8"},
        )
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout, seconds


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2000, timeout: float = 120) -> float:
    """Seconds Chromium took to load ``page`` and write ``png``."""
    _, seconds = _run([f"--screenshot={png}", f"--window-size={width},{height}", page.resolve().as_uri()], timeout)
    return seconds


def dom(page: Path, timeout: float = 120, width: int = 1280) -> str:
    """The document as Chromium holds it after loading (its script has run), laid out in a
    window ``width`` pixels wide (as :func:`screenshot` takes it)."""
    out, _ = _run(["--dump-dom", f"--window-size={width},2000", page.resolve().as_uri()], timeout)
    return out
