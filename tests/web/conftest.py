"""Fixtures of the web console tests: the `minimal` DR pair with two settled backups and its console, and a real
headless Chromium (Debian's `chromium`, driven by Playwright) with a fresh page per test.

Without a Chromium the browser tests are skipped on a workstation and fail under CI (`CI` set): .ci/run installs it.
Screenshots go to $CATSYNC_SIM_SCREENSHOTS, default `test-screenshots/` at the project root.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pytest

from tests.harness.conftest import settled_backup, started_sim

if TYPE_CHECKING:
    from harness.sim import Sim
    from harness.web import WebConsole

CHROMIUM_NAMES = ("chromium", "chromium-browser")
PAGE_TIMEOUT_MS = 20_000     # waits end as soon as their condition holds: a loaded 2-core machine needs room
ROOT = Path(__file__).resolve().parents[2]


def chromium_path() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test process."""
    path = chromium_path()
    if path is None:
        message = "no Chromium: install Debian's package (apt-get install chromium); .ci/run does"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[test]'")
    expect.set_options(timeout=PAGE_TIMEOUT_MS)   # expect() has its own default (5 s), apart from the page's
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page, with PAGE_TIMEOUT_MS for every wait."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def web_sim(tmp_path: Path) -> Iterator["Sim"]:
    """`minimal` (DS_WIN1_DES on \\INSIDX in E501NEW exporting to E501_WIN1_SND on \\ETINIUM in YINE500), seed 1,
    with two backups whose automatic exports have ended."""
    with started_sim("minimal", tmp_path / "state", 1) as sim:
        settled_backup(sim, 2)
        yield sim


@pytest.fixture
def console(web_sim: "Sim") -> Iterator["WebConsole"]:
    """The web console of `web_sim` on a free loopback port."""
    from harness.web import start_console  # noqa: PLC0415

    web = start_console(web_sim, "127.0.0.1:0")
    try:
        yield web
    finally:
        web.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    path = Path(os.environ.get("CATSYNC_SIM_SCREENSHOTS", ROOT / "test-screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path
