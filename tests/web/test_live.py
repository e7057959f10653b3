"""Pages follow what happens while they are open: a scenario running in another thread, the EMS log, and the
Configuration page stays read-only."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from playwright.sync_api import expect

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2
from harness.runner import run_scenario
from harness.web import start_console

EXPORT = "domain/E501NEW/store/DS_WIN1_DES/export"
MOST_RECENT = "[data-testid=most-recent] dd"


class _Console:
    """What run_scenario's attach returns here: the console, closed with the run, never held open."""

    def __init__(self, web):
        self.web = web

    def hold(self, checks):
        pass

    def close(self):
        self.web.close()


def test_an_open_page_follows_a_scenario_while_it_runs(page, tmp_path: Path):
    gates = {name: tmp_path / name for name in ("first-done", "go", "end")}
    scenario = tmp_path / "two_backups.py"
    scenario.write_text(f'''"""Two backups an hour apart, each step only when the test says so."""
import time
from pathlib import Path

TOPOLOGY = "minimal"
SEED = 3


def wait(name):
    deadline = time.monotonic() + 120
    while not Path(name).exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def scenario(sim):
    sim.backup(count=1)
    sim.advance(0)
    Path({str(gates["first-done"])!r}).touch()
    wait({str(gates["go"])!r})
    sim.advance("1h")                  # a later unload time, whatever volume the backup lands on
    sim.backup(count=1)
    sim.advance(0)
    wait({str(gates["end"])!r})        # the run (and its console) stays until the test has looked
''')
    consoles: list = []

    def attach(sim, run_dir):
        consoles.append(start_console(sim, "127.0.0.1:0", dumps_dir=run_dir / "dumps"))
        return _Console(consoles[-1])
    results: list = []
    runner = threading.Thread(target=lambda: results.append(run_scenario(scenario, out=tmp_path / "run",
                                                                         attach=attach)))
    runner.start()
    try:
        deadline = time.monotonic() + 120
        while not gates["first-done"].exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gates["first-done"].exists() and consoles, "the scenario never reached its first backup"
        page.goto(consoles[0].url + EXPORT)
        before = page.locator(MOST_RECENT).inner_text()
        assert before.startswith("EW")
        page.evaluate("window.kept = 1")
        gates["go"].touch()
        page.wait_for_function("(old) => document.querySelector('[data-testid=most-recent] dd').innerText !== old",
                               arg=before)
        assert page.evaluate("window.kept") == 1   # live, not reloaded
    finally:
        for gate in gates.values():
            gate.touch()
    runner.join(180)
    assert results and results[0].verdict == "valid", results


def test_the_ems_page_shows_a_new_event_without_a_reload(console, web_sim, page):
    page.goto(console.url + "domain/E501NEW/ems")
    page.evaluate("window.kept = 1")
    web_sim.topo.guardian("\\INSIDX").AppendEvent(guardian_pb2.AppendEventRequest(event=guardian_pb2.EmsEvent(
        ssid="TANDEM.OPERATOR.0", event_number=1, process="$ZTRN", text="DR drill starts now")), timeout=10)
    expect(page.get_by_test_id("ems-lines")).to_contain_text("DR drill starts now")
    assert page.evaluate("window.kept") == 1


def test_configuration_is_read_only_and_lists_the_key_managers(console, web_sim, page):
    page.goto(console.url + "domain/E501NEW/config")
    kms = web_sim.topo.domain("E501NEW").ListKeyManagers(bb.ListKeyManagersRequest(), timeout=10).key_managers
    rows = page.locator("[data-testid=key-managers] tbody tr")
    expect(rows).to_have_count(len(kms))
    assert [r.locator("td").first.inner_text() for r in rows.all()] == [k.id for k in kms]
    assert page.locator("main form").count() == 0   # nothing to change here
    status = page.request.post(console.url + "domain/E501NEW/config",
                               form={"csrf_token": console.console.token, "ems_verbose": "0"}).status
    assert status == 404


def test_configuration_lists_the_netbatch_jobs_of_the_domain(console, web_sim, page):
    web_sim.job(node="\\ETINIUM", macro="BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE", every="1d")
    jobs = web_sim.topo.catalog_sync("YINE500").ListJobs(cs.ListJobsRequest(), timeout=10).jobs
    assert len(jobs) == 1
    page.goto(console.url + "domain/YINE500/config")
    row = page.locator("[data-testid=jobs] tbody tr")
    expect(row).to_have_count(1)
    cells = row.locator("td").all_inner_texts()
    assert cells[:3] == [jobs[0].job_name, "\\ETINIUM", "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE"]
    assert cells[4] == "1d"
    page.goto(console.url + "domain/E501NEW/config")
    expect(page.locator("[data-testid=jobs]")).to_contain_text("no NetBatch job")
