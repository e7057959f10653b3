"""The checkers' public door: run_checkers, overall, CheckResult as JSON, check_run_dir on stored run directories
(tests/harness/histories/<case>/: history.jsonl + dumps/*.json) and its one-line errors for malformed ones.

The stored cases are written by the builders below (`python -m tests.harness.test_checkers_rundir` rewrites
them); a test pins that the files are what the builders write, so they cannot drift from the world they claim."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from pathlib import Path
from typing import Callable

import pytest

from harness.checkers import CHECKERS, CheckResult, check_run_dir, overall, run_checkers
from harness.errors import HarnessError, RunDirError
from tests.harness.test_checkers_world import PRI, SEC, Story, World

HISTORIES = Path(__file__).parent / "histories"
LATER = "2025-09-23T21:00:00+00:00"


def _clean_full_sync() -> tuple[Story, dict]:
    world, story = World(), Story()
    story.backup(world.backup("EW1001"))
    story.backup(world.backup("EK1001", group="VG_WIN1_ENC", file_id="E501NEW-OBK11-ENC"))
    world.exported()
    name = story.export("FULL")
    dumps = {name: world.state()}
    world.replicate()
    story.import_("FULL")
    dumps["final"] = world.state()
    return story, dumps


def _missing_after_update() -> tuple[Story, dict]:
    story, dumps = _clean_full_sync()
    world = World()
    world.data = json.loads(json.dumps(dumps["final"]))
    story.at(LATER).backup(world.backup("EW1003", generation=2, time=LATER))
    world.exported()
    name = story.export("UPDATE")
    dumps[name] = world.state()
    story.import_("UPDATE")          # the import "ran" but EW1003 never arrived
    dumps["final"] = world.state()
    return story, dumps


def _extra_after_update() -> tuple[Story, dict]:
    story, dumps = _clean_full_sync()
    world = World()
    world.data = json.loads(json.dumps(dumps["final"]))
    world.backbox(PRI)["volumes"] = [v for v in world.backbox(PRI)["volumes"] if v["label"] != "EW1001"]
    name = story.export("UPDATE")
    dumps[name] = world.state()
    story.import_("UPDATE")          # R23: an UPDATE import deletes nothing
    dumps["final"] = world.state()
    return story, dumps


def _shared_ssl() -> tuple[Story, dict]:
    story, dumps = _clean_full_sync()
    for node in (PRI, SEC):
        dumps["final"]["nodes"][node]["tables"]["dsm_mediadefs"][0]["ssl"] = json.dumps([PRI, SEC])
    return story, dumps


CASES: dict[str, tuple[Callable[[], tuple[Story, dict]], dict[str, str]]] = {
    "clean-full-sync": (_clean_full_sync, {name: "valid" for name in CHECKERS}),
    "missing-after-update": (_missing_after_update, {"consistency": "invalid", "recoverability": "invalid",
                                                     "rpo": "invalid"}),
    "extra-after-update": (_extra_after_update, {"consistency": "valid", "label-uniqueness": "valid"}),
    "shared-ssl": (_shared_ssl, {"label-uniqueness": "invalid", "consistency": "valid"}),
}


def write_case(name: str, root: Path = HISTORIES) -> Path:
    story, dumps = CASES[name][0]()
    run = root / name
    shutil.rmtree(run, ignore_errors=True)
    (run / "dumps").mkdir(parents=True)
    (run / "history.jsonl").write_text("".join(dataclasses.replace(e, wall=0.0).to_json() + "\n"
                                               for e in story.events))
    for dump, data in dumps.items():
        (run / "dumps" / f"{dump}.json").write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")
    return run


def _files(run: Path) -> dict[str, str]:
    return {str(p.relative_to(run)): p.read_text() for p in sorted(run.rglob("*")) if p.is_file()}


# -- stored run directories -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES))
def test_stored_histories_are_what_the_builders_write(case, tmp_path):
    assert _files(write_case(case, tmp_path)) == _files(HISTORIES / case), \
        f"run `python -m tests.harness.test_checkers_rundir` to rewrite tests/harness/histories/{case}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_run_dir_gives_each_stored_case_its_verdicts(case):
    want = CASES[case][1]
    got = {r.checker: r.verdict for r in check_run_dir(HISTORIES / case, rpo_limit_seconds=1800)}
    assert {k: got[k] for k in want} == want, got


def test_check_run_dir_names_the_missing_volume_when_an_update_never_arrived():
    (res,) = check_run_dir(HISTORIES / "missing-after-update", only=["consistency"])
    assert [(e["kind"], e["label"], e["what"]) for e in res.evidence] == [("missing", "EW1003", "backbox")]


# -- malformed run directories -----------------------------------------------------------------------------------

@pytest.fixture
def run_dir(tmp_path) -> Path:
    return write_case("clean-full-sync", tmp_path)


def test_run_dir_error_when_history_is_missing(run_dir):
    (run_dir / "history.jsonl").unlink()
    with pytest.raises(RunDirError, match="history.jsonl is missing"):
        check_run_dir(run_dir)


def test_run_dir_error_when_a_history_line_is_not_json(run_dir):
    with (run_dir / "history.jsonl").open("a") as out:
        out.write('{"index": 9, "type": "ok"\n')
    with pytest.raises(RunDirError, match=r"history.jsonl:9: not a history event"):
        check_run_dir(run_dir)


def test_run_dir_error_when_the_final_dump_is_missing(run_dir):
    (run_dir / "dumps" / "final.json").unlink()
    with pytest.raises(RunDirError, match="final.json is missing"):
        check_run_dir(run_dir)


def test_run_dir_error_when_a_dump_is_not_json(run_dir):
    (run_dir / "dumps" / "export-4.json").write_text("{not json")
    with pytest.raises(RunDirError, match=r"export-4.json is not JSON"):
        check_run_dir(run_dir)


def test_run_dir_error_when_a_dump_is_not_a_state_dump(run_dir):
    (run_dir / "dumps" / "final.json").write_text("[]")
    with pytest.raises(RunDirError, match="is not a state dump"):
        check_run_dir(run_dir)


def test_run_dir_error_when_the_path_is_not_a_directory(tmp_path):
    with pytest.raises(RunDirError, match="is not a directory"):
        check_run_dir(tmp_path / "nowhere")


def test_run_dir_errors_are_harness_errors_of_one_line(run_dir):
    (run_dir / "history.jsonl").unlink()
    with pytest.raises(HarnessError) as err:
        check_run_dir(run_dir)
    assert "\n" not in str(err.value)


# -- the API --------------------------------------------------------------------------------------------------------

def test_run_checkers_runs_every_registered_checker_in_order():
    story, dumps = _clean_full_sync()
    assert [r.checker for r in run_checkers(story.events, dumps)] == list(CHECKERS) == [
        "consistency", "recoverability", "rpo", "label-uniqueness", "fileid-collisions"]


def test_run_checkers_refuses_an_unknown_checker_name():
    with pytest.raises(HarnessError, match="unknown checker consistancy: choose from consistency"):
        run_checkers([], {}, only=["consistancy"])


def test_every_checker_is_unknown_when_the_final_dump_is_malformed():
    results = run_checkers([], {"final": {"no": "nodes"}})
    assert {r.verdict for r in results} == {"unknown"}
    assert all("final dump is malformed" in r.summary for r in results)


def test_overall_is_invalid_over_unknown_over_valid():
    v, u, i = (CheckResult("x", verdict, "s") for verdict in ("valid", "unknown", "invalid"))
    assert overall([v, u, i]) == "invalid" and overall([v, u]) == "unknown" and overall([v]) == "valid"
    assert overall([]) == "valid" and overall([i.to_dict(), v.to_dict()]) == "invalid"


def test_check_result_round_trips_through_json():
    res = CheckResult("consistency", "invalid", "1 missing", ({"kind": "missing", "label": "EW1008"},))
    back = CheckResult.from_dict(json.loads(json.dumps(res.to_dict())))
    assert back == res


def test_check_result_refuses_an_unknown_verdict():
    with pytest.raises(ValueError, match="verdict 'maybe' must be one of valid, invalid, unknown"):
        CheckResult("rpo", "maybe", "?")


def test_evidence_is_cut_with_a_count_when_a_diff_is_huge():
    world, story = World(), Story()
    for n in range(250):
        world.scratch(f"EW{n:04d}")
    world.exported()
    name = story.export("FULL")
    dumps = {name: world.state()}
    story.import_("FULL")
    dumps["final"] = world.state()          # nothing replicated
    (res,) = run_checkers(story.events, dumps, only=["consistency"])
    assert len(res.evidence) == 201 and res.evidence[-1] == {"kind": "truncated", "omitted": 50}
    assert "250 missing" in res.summary


def test_checkers_exports_are_pinned():
    import harness.checkers as checkers  # noqa: PLC0415

    assert sorted(checkers.__all__) == ["CHECKERS", "CheckResult", "INVALID", "UNKNOWN", "VALID", "check_run_dir",
                                        "overall", "run_checkers"]
    assert all(hasattr(checkers, name) for name in checkers.__all__)


if __name__ == "__main__":
    for case in (sys.argv[1:] or sorted(CASES)):
        print(write_case(case))
