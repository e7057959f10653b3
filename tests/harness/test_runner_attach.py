"""`run_scenario(attach=...)`: what a demo's web console hangs on the run. The run is written before it is held
open, and what is done while it is held stays out of it."""

from __future__ import annotations

import json
import threading

from harness.runner import run_scenario


class Recorder:
    """An attachment that checks, while the run is held, what the run directory already holds, then operates the
    sites as a trainer would."""

    def __init__(self, sim, run_dir):
        self.sim, self.run_dir = sim, run_dir
        self.seen: dict = {}
        self.closed = False

    def hold(self, checks):
        self.seen["results"] = json.loads((self.run_dir / "results.json").read_text())
        self.seen["timeline"] = (self.run_dir / "timeline.html").is_file()
        self.seen["history_lines"] = len((self.run_dir / "history.jsonl").read_text().splitlines())
        self.sim.advance("1h")                       # the trainer moves the clock after the story

    def close(self):
        self.closed = True


def test_a_held_run_is_written_first_and_what_follows_goes_to_console_history(tmp_path):
    made: list[Recorder] = []

    def attach(sim, run_dir):
        made.append(Recorder(sim, run_dir))
        return made[0]
    out = tmp_path / "run"
    result = run_scenario("smoke", out=out, attach=attach)
    rec = made[0]
    assert result.verdict == "valid" and rec.closed
    assert rec.seen["results"]["verdict"] == "valid" and rec.seen["timeline"]
    assert rec.seen["results"]["events"] == rec.seen["history_lines"] == result.events
    assert len((out / "history.jsonl").read_text().splitlines()) == result.events    # unchanged by the hold
    console = [json.loads(line) for line in (out / "console-history.jsonl").read_text().splitlines()]
    assert [(e["f"], e["type"]) for e in console] == [("advance", "invoke"), ("advance", "ok")]


def test_two_heals_of_one_fault_at_once_heal_it_once(tmp_path):
    from tests.harness.conftest import started_sim  # noqa: PLC0415

    with started_sim("minimal", tmp_path / "state", 1) as sim:
        sim.fail("ems-extractor-stopped", node="\\INSIDX")
        errors: list[BaseException] = []

        def heal():
            try:
                sim.heal("all")
            except BaseException as exc:  # noqa: BLE001 - the test reports it
                errors.append(exc)
        threads = [threading.Thread(target=heal) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == [] and sim.nemesis.active == {}
        heals = [e for e in sim.history.events if e.f == "heal" and e.type == "ok"]
        assert len(heals) == 1

