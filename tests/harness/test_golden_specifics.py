"""What the golden scenarios of harness/scenarios cannot say by themselves.

- A FILEID collision in a non-dedicated catalog (R4, R42): no scenario step can make a local backup reuse an
  imported FILEID (the workload gives each volume group FILEIDs of its own), so this drives the same topology as
  `fileid-collision-non-dedicated` from Python: a local backup on \\ETINIUM takes the primary's FILEID, and the
  import then writes the primary's generation over it.
- The daily DSM/TC expiration of a node whose clock is skewed (R37): its AUTOEXPIRE^TIME is a time of the node's
  own clock, so a skew moves the run.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from harness.checkers import check_run_dir
from harness.history import OK
from harness.runner import run_scenario
from harness.scenario import Scenario, parse_scenario, scenario_dir
from harness.workload import run as run_job

NON_DEDICATED = scenario_dir() / "topologies" / "non-dedicated-filecat.yaml"
FINAL_CHECKERS = ["consistency", "recoverability", "rpo", "label-uniqueness"]


def _events(run_dir: Path, f: str) -> list[dict[str, Any]]:
    lines = (run_dir / "history.jsonl").read_text().splitlines()
    return [e for e in map(json.loads, lines) if e["f"] == f and e["type"] != "invoke"]


def _local_backup_with_fileid(sim: Any, file_id: str) -> dict[str, Any]:
    """A backup of \\ETINIUM's own store DS_ET_LOCAL under a FILEID of the primary, recorded like the backup verb's."""
    job = sim.workload.jobs(1, data_store="DS_ET_LOCAL", now=sim.now(), multi_volume_rate=0)[0]
    job = replace(job, file_id=file_id)
    invoked = sim.history.invoke("backup", job.describe(), node=job.node)
    value = run_job(sim.topo, job)
    sim.history.complete(invoked, OK, value)
    return value


@pytest.mark.slow
@pytest.mark.rule("R42")
@pytest.mark.rule("R4")
def test_a_fileid_collision_in_a_non_dedicated_filecat_is_caught_when_a_local_backup_reuses_an_imported_fileid(
        tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def scenario(sim: Any) -> None:
        sim.backup(count=1, data_store="DS_WIN1_DES", multi_volume_rate=0)
        seen["primary"] = sim.backups[-1]
        seen["local"] = _local_backup_with_fileid(sim, seen["primary"]["file_id"])
        sim.advance("1h")
        sim.configure(data_store="E501_WIN1_SND", import_config={"non_dedicated_catalog": True})   # R42 allowed
        sim.import_("UPDATE")
        sim.mediacom(f"INFO TAPEFILE {seen['primary']['file_id']}, GEN 1, FILECAT LOCALFC")
        sim.check(["fileid-collisions"])
        sim.expect(last="check", type="fail")

    story = Scenario("fileid-collision-driven", str(NON_DEDICATED), seed=5, check={"checkers": FINAL_CHECKERS},
                     python=scenario)
    result = run_scenario(story, out=tmp_path / "run")

    primary, local = seen["primary"], seen["local"]
    assert (primary["generation"], local["generation"]) == (1, 1)     # one FILEID + GENERATION on both sides
    assert result.verdict == "valid", result.checks
    assert "fileid-collisions" not in {c["checker"] for c in result.checks}
    check = _events(result.run_dir, "check")[0]
    assert check["type"] == "fail"
    evidence = check["value"]["checks"][0]["evidence"]
    assert evidence == [{"kind": "fileid-collision", "catalog": "\\ETINIUM.LOCALFC", "file_id": primary["file_id"],
                         "generation": 1, "imported": primary["labels"], "local": local["labels"], "rule": "R42"}]
    # R4: the import wrote the primary's entry over the local one, which now names the imported volume only
    info = _events(result.run_dir, "mediacom")[0]["value"]["output"]
    assert f"VOLUMES {primary['labels'][0]}(1)   VOLCAT \\ETINIUM.SHCH409VC" in info
    assert local["labels"][0] not in info
    # the corruption stays: the final state judged by that checker is invalid, hence the scenario's check: list
    final = {r.checker: r.verdict for r in check_run_dir(result.run_dir, only=["fileid-collisions"])}
    assert final == {"fileid-collisions": "invalid"}


SKEWED_NIGHT = r"""
name: skewed-night
topology: minimal
seed: 1
final: none
steps:
  - fail: {fault: clock-skew, node: '\ETINIUM', seconds: 43200}
  - advance: {until: '2025-09-24T15:00:00Z'}
"""


@pytest.mark.slow
@pytest.mark.rule("R37")
def test_the_daily_dsmtc_expiration_of_a_skewed_node_runs_at_its_autoexpire_time_on_its_own_clock(
        tmp_path: Path) -> None:
    # \ETINIUM (UTC+0, AUTOEXPIRE^TIME 02:00) is skewed 12 h ahead at 2025-09-23 20:00 UTC, when its clock reads
    # 2025-09-24 08:00: its next 02:00 is 2025-09-25 02:00 on its clock, 2025-09-24 14:00 UTC.
    result = run_scenario(parse_scenario(SKEWED_NIGHT, "skewed-night.yaml"), out=tmp_path / "run")
    runs = [line.split(" \\", 1)[0] for line in (result.run_dir / "ems" / "ETINIUM.log").read_text().splitlines()
            if "$ZSVR : DSM/TC daily expiration" in line]
    assert runs == ["2025-09-24 14:00:00Z"]
