"""Every DR procedure passes its sample scenario (harness.procedures.samples) under the in-process and the
subprocess launcher: the procedure completes every step, the run is valid, and a failure names the seed and the
command that replays it."""

from __future__ import annotations

import pytest

from harness.history import read_history
from harness.procedures import PROCEDURES, procedure_class
from harness.procedures.samples import SAMPLES, sample_scenario
from harness.runner import run_scenario

LAUNCHERS = ("inprocess", "subprocess")


def test_every_procedure_has_a_sample():
    assert set(SAMPLES) == set(PROCEDURES)


@pytest.mark.parametrize("launcher", [pytest.param(lr, marks=[pytest.mark.slow] if lr != "inprocess" else [])
                                      for lr in LAUNCHERS])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_procedure_completes_under_each_launcher(name, launcher, tmp_path):
    result = run_scenario(sample_scenario(name), seed=3, launcher=launcher, out=tmp_path / "run")
    where = f"seed {result.seed}, replay: {result.replay}"
    assert result.verdict == "valid", (where, result.error, [c for c in result.checks if c["verdict"] != "valid"])
    done = [e for e in read_history(tmp_path / "run" / "history.jsonl") if e.f == name and e.type != "invoke"]
    assert done and done[-1].type == "ok", (where, done[-1].error if done else "no completion")
    steps = done[-1].value["steps"]
    assert [s["step"] for s in steps] == [s.id for s in procedure_class(name).steps] and all(s["ok"] for s in steps)
    assert isinstance(done[-1].value.get("rpo_seconds"), int) and isinstance(done[-1].value.get("rto_seconds"), int)
