"""`catsync-sim serve --web` and `catsync-sim demo --web` in real processes, looked at in a real browser, stopped
with Ctrl-C as a user stops them."""

from __future__ import annotations

import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

URL = re.compile(r"web console: (http://127\.0\.0\.1:\d+/)")
START_WAIT = 180.0            # seconds for the command to print the line a test waits for


def _start(args: list[str], until: str) -> tuple[subprocess.Popen, list[str]]:
    """The command in its own process; its output lines up to (and with) the first one containing `until` (within
    START_WAIT seconds), the rest drained in the background so the process never blocks on a full pipe."""
    proc = subprocess.Popen([sys.executable, "-m", "harness.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    arrived: queue.Queue = queue.Queue()

    def drain() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            lines.append(line)
            arrived.put(line)
        arrived.put(None)
    threading.Thread(target=drain, daemon=True).start()
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        try:
            line = arrived.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        if until in line:
            return proc, lines
    proc.kill()
    proc.wait()
    raise AssertionError(f"{until!r} not printed within {START_WAIT} s; exit {proc.returncode}:\n" + "".join(lines))


def _interrupt(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("the process did not end on Ctrl-C") from None


def _url(lines: list[str]) -> str:
    found = [m.group(1) for line in lines if (m := URL.search(line))]
    assert found, "".join(lines)
    return found[0]


@pytest.mark.slow
@pytest.mark.parametrize("launcher", ["inprocess", "subprocess"])
def test_serve_web_serves_the_console_of_the_topology_and_keeps_its_history(page, tmp_path: Path, launcher: str):
    proc, lines = _start(["serve", "minimal", "--state-dir", str(tmp_path), "--launcher", launcher,
                          "--web", "127.0.0.1:0"], "web console:")
    try:
        url = _url(lines)
        page.goto(url + "domain/E501NEW/storage")
        expect(page.locator("[data-testid=storage-admin]")).to_contain_text("DS_WIN1_DES")
        page.goto(url + "faults")
        page.locator("[data-testid='fail-node-\\\\ETINIUM'] button").click()
        expect(page.locator("[data-testid=message]")).to_contain_text("node-crash started on \\ETINIUM")
        expect(page.locator("[data-testid=panel-nodes]")).to_contain_text("DOWN")
        page.locator("[data-testid=heal-all] button").click()
        expect(page.locator("[data-testid=panel-nodes]")).not_to_contain_text("DOWN")
        # a served topology has no scenario: the panel's backups give the pages something to show
        page.select_option("#f-count", "3")
        page.locator("[data-testid=backup-form] button").click()
        message = page.locator("[data-testid=message]")
        expect(message).to_contain_text("3 backup jobs done on DS_WIN1_DES")
        newest = message.inner_text().rsplit(",", 1)[-1].strip()
        page.goto(url + "domain/E501NEW/store/DS_WIN1_DES/export")
        expect(page.locator("[data-testid=most-recent]")).to_contain_text(newest)  # R27: exported automatically
    finally:
        code = _interrupt(proc)
    assert code == 0, "".join(lines)
    events = [json.loads(line) for line in (tmp_path / "console-history.jsonl").read_text().splitlines()]
    assert [(e["f"], e["type"]) for e in events if e["process"] == "nemesis"] == [
        ("fail", "invoke"), ("fail", "ok"), ("heal", "invoke"), ("heal", "ok")]
    assert [e["type"] for e in events if e["f"] == "backup"] == ["invoke", "ok"] * 3


@pytest.mark.slow
def test_demo_web_shows_the_story_and_stays_up_until_ctrl_c(page, tmp_path: Path):
    proc, lines = _start(["demo", "smoke", "--out", str(tmp_path / "run"), "--web", "127.0.0.1:0"],
                         "the web console stays up")
    try:
        url = _url(lines)
        page.goto(url + "timeline")
        count = page.locator("[data-testid=timeline-count]")
        expect(count).to_contain_text("events in the history of this run")
        assert int(count.inner_text().split()[0]) > 10
        page.goto(url + "checks")
        expect(page.locator("[data-testid=checks-overall]")).to_have_text(re.compile(r"^Overall: VALID\b"))
        expect(page.locator("[data-testid=checks]")).to_contain_text("recoverability")
    finally:
        code = _interrupt(proc)
    assert code == 0, "".join(lines)
    assert (tmp_path / "run" / "timeline.html").is_file()


@pytest.mark.parametrize("command", [["serve", "minimal"], ["demo", "smoke"]])
def test_a_malformed_web_address_is_refused_before_anything_starts(command, tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "harness.cli", *command, "--web", "localhost:http"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert "web address 'localhost:http' must be HOST:PORT" in done.stderr
    assert "Traceback" not in done.stderr and "topology" not in done.stdout
