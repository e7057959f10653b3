r"""BBCSIMP under faults (R40, R21-R24, R10, R35): the import killed at every commit point, \ETINIUM crashed under
it, imports run twice, damaged or foreign staging files, fuzzed staging files and BB027 text.

The scenario (`_stage`): the primary holds a tape file on two volumes with 150 DISKFILEs, two single-volume tape
files and a volume of a group without tape catalog; a FULL export and a FULL import; then a new tape file with 120
DISKFILEs (the import's maximum of 100 DISKFILEs per transaction cuts it into two commits, R40), two tape files
deleted, two DSM/TC volumes and a NONE volume deleted on the primary, and a second FULL export. The import under
test is the FULL import of that second export: it adds and updates entries, removes an obsolete TAPEFILE with its
DISKFILEs (R24) and deletes the three volumes (R23).

After every cut the secondary holds nothing half-written (`_half_written`): a volume whose BackBox record carries
the new export id has exactly the DSM/TC entries of the clean run (the record is written last); every TAPEFILE has
the TFTOV rows it had before or has after the clean run; every TFTOV and DISKFILE row has its TAPEFILE; a deleted
volume's record goes only after its TAPEVOLUME. Every scenario ends with the catalogs of the clean run, exactly.
"""

from __future__ import annotations

import json
import random
import struct
import zlib
from collections import defaultdict
from typing import Any, Callable, Iterator

import grpc
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from catsync import importer, staging
from catsync.v1 import catalog_sync_pb2 as cs, staging_pb2
from emulator.v1 import backbox_domain_pb2 as bb, control_pb2, guardian_pb2, media_catalog_pb2 as mc
from harness.launcher import Topology, start_topology
from tests.backbox.conftest import topology_dict
from tests.catsync.conftest import (DSMTC_TABLES, NODE, PRI, REMOTE, SEC, SEC_STORE, STAGING, T, advance, arm, backup,
                                    export, import_, import_status, primary_store, read_file, secondary_catalogs,
                                    secondary_entries, secondary_store, secondary_volumes, settle)

FULL, UPDATE = cs.SYNC_TYPE_FULL, cs.SYNC_TYPE_UPDATE
FINISHED, FAILED = cs.PROCESS_STATUS_FINISHED, cs.PROCESS_STATUS_FAILED
KILL, CRASH = control_pb2.FAULT_ACTION_KILL_PROCESS, control_pb2.FAULT_ACTION_CRASH_NODE
RUN_DEADLINE = 10                              # seconds; a clean import takes a fraction of one
NEVER = 10**6                                  # on_hit of a point armed only to count its hits
PROGRAM = "BBCSIMP"
PRI_FILECAT = "\\INSIDX.QCFILCAT"
DISKS = "\\INSIDX.$DATA01.SALES."
NC_2ND = "VG_WIN1_DES_NC_2ND"
MAX_DISK_FILES = 100                           # R40's minimum: F-C's 120 DISKFILEs take two commits
LABELS = ["ENCS01", "ENCS02", "EW1001", "EW1002", "EW1003", "EW1004", "EW1005", "EW1006"]
IMPORTED = ["ENCS01", "EW1001", "EW1002", "EW1003", "EW1005"]   # what the second FULL export holds
DELETED = ["ENCS02", "EW1004", "EW1006"]                         # deleted on the primary in between (R23)
CHANGED = "EW1005"                             # SCRATCH after the first import, then F-C's volume
BEFORE, CLEAN = "before", "clean"              # snapshots: before the import under test, after its clean run
COMMIT_POINTS = ("media_catalog.before_commit", "media_catalog.after_commit")
CRASH_POINTS = ("import.after_validation", "import.before_volumes", "import.after_volumes", "import.before_deletions",
                "import.after_deletions", "import.before_state", *COMMIT_POINTS)
# The hits of a clean run. Commits (R40): EW1001 and EW1002 one each (TAPEVOLUME + F-A + its 75 DISKFILEs on the
# volume), EW1003 one (TAPEVOLUME, its obsolete F-B deleted), EW1005 two (TAPEVOLUME + F-C + 100 DISKFILEs, then
# 20 DISKFILEs), then one per deleted DSM/TC volume.
CLEAN_HITS = {**{p: 1 for p in CRASH_POINTS}, **{p: 7 for p in COMMIT_POINTS}}


# -- the scenario ----------------------------------------------------------------------------------------------------

def _topology() -> dict[str, Any]:
    data = topology_dict()
    groups = primary_store(data)["volume_groups"]
    groups[0]["volumes"] = "EW1001-EW1006"
    groups[1]["volumes"] = "ENCS01-ENCS02"
    del groups[2]                              # VG_WIN1_ENC: key managers are another test's business
    sec = secondary_store(data)
    sec["import_config"]["max_disk_files_per_transaction"] = MAX_DISK_FILES
    sec["volume_groups"].append({"id": NC_2ND, "primary_volume_group_id": "VG_WIN1_DES_NC", "tape_catalog": "NONE",
                                 "max_volume_size_mb": 1})
    return data


class Staged:
    """A topology whose staging area holds the second FULL export, the secondary what the first import wrote; the
    clean run's catalogs once known. (Not a dataclass: hypothesis would print every field of a failing example.)"""

    def __init__(self, topo: Topology, export_id: str, before: dict[str, Any], before_view: dict[str, tuple],
                 volume_file: bytes):
        self.topo, self.export_id, self.before, self.before_view = topo, export_id, before, before_view
        self.volume_file = volume_file         # CHANGED's staging file as exported
        self.clean: dict[str, Any] = {}
        self.clean_view: dict[str, tuple] = {}

    def __repr__(self) -> str:
        return f"Staged(export {self.export_id})"


def _backup(topo: Topology, file_id: str, disk_files: int, data_bytes: int = 100_000,
            group: str = "VG_WIN1_DES") -> list[str]:
    resp = backup(topo, file_id=file_id, group=group, data_bytes=data_bytes, catalog_files=bool(disk_files),
                  disk_file_count=disk_files, disk_file_prefix=DISKS)
    return [v.label for v in resp.volumes]


def _stage(topo: Topology) -> Staged:
    assert _backup(topo, "F-A", 150, 1_500_000) == ["EW1001", "EW1002"]
    assert _backup(topo, "F-B", 3) == ["EW1003"]
    assert _backup(topo, "F-D", 2) == ["EW1004"]
    assert _backup(topo, "F-N", 0, group="VG_WIN1_DES_NC") == ["ENCS01"]
    settle(topo)
    assert export(topo, type_=FULL).status == FINISHED
    first = _import(topo)
    assert (first.status, first.volumes_processed, first.volume_errors) == (FINISHED, len(LABELS), 0), first.reason
    advance(topo, minutes=10)                  # the second export gets a later export id
    assert _backup(topo, "F-C", 120) == [CHANGED]
    for file_id in ("F-B", "F-D"):             # EW1003 and EW1004 become SCRATCH
        topo.media_catalog(NODE).DeleteTapeFile(mc.DeleteTapeFileRequest(
            key=mc.TapeFileKey(filecat=PRI_FILECAT, file_id=file_id, generation=1)), timeout=T)
    for label in DELETED:
        topo.domain(PRI).DeleteVolume(bb.DeleteVolumeRequest(label=label), timeout=T)
    settle(topo)
    advance(topo, minutes=10)
    second = export(topo, type_=FULL)
    assert second.status == FINISHED, second.reason
    before = secondary_catalogs(topo)
    return Staged(topo, second.export_id, before, _view(topo, before),
                  read_file(topo, staging.volume_file(STAGING, CHANGED)))


@pytest.fixture
def scenario(make_sites: Callable[..., Topology]) -> Staged:
    """A topology of its own, staged, with the snapshot BEFORE."""
    staged = _stage(make_sites(_topology()))
    _snapshot(staged.topo, BEFORE)
    return staged


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Staged]:
    """One staged topology for the module, with the snapshots BEFORE and CLEAN: each test restores the one it
    starts from."""
    topo = start_topology(_topology(), state_dir=tmp_path_factory.mktemp("import-faults"))
    try:
        out = _stage(topo)
        _snapshot(topo, BEFORE)
        _assert_clean(_import(topo))
        out.clean = secondary_catalogs(topo)
        out.clean_view = _view(topo, out.clean)
        _snapshot(topo, CLEAN)
        yield out
    finally:
        topo.close()


# -- helpers -----------------------------------------------------------------------------------------------------------

def _snapshot(topo: Topology, name: str) -> None:
    topo.control_service().Snapshot(control_pb2.SnapshotRequest(name=name), timeout=T)


def _restore(topo: Topology, name: str, expected: dict[str, Any] | None) -> None:
    topo.control_service().RestoreSnapshot(control_pb2.RestoreSnapshotRequest(name=name), timeout=T)
    if expected is not None:
        assert secondary_catalogs(topo) == expected, f"snapshot {name} did not bring the secondary back"


def _arm(topo: Topology, point: str, action: int, on_hit: int) -> None:
    arm(topo, point, action, on_hit=on_hit, program=PROGRAM if point.startswith("media_catalog.") else "")


def _disarm(topo: Topology) -> None:
    topo.control_service().DisarmFaultPoint(control_pb2.DisarmFaultPointRequest(), timeout=T)


def _hits(topo: Topology, point: str) -> int:
    points = topo.control_service().ListFaultPoints(control_pb2.ListFaultPointsRequest(), timeout=T).points
    return next(p.hits for p in points if p.name == point)


def _clean_run(topo: Topology, point: str) -> tuple[int, dict[str, Any]]:
    """The FULL import untouched: how often it passes `point`, and the catalogs it leaves."""
    _arm(topo, point, KILL, NEVER)
    try:
        run = _import(topo)
        hits = _hits(topo, point)
    finally:
        _disarm(topo)
    _assert_clean(run)
    return hits, secondary_catalogs(topo)


def _assert_clean(run: cs.ImportRun, deleted: list[str] = DELETED) -> None:
    assert (run.status, run.volume_errors, run.volumes_processed) == (FINISHED, 0, len(IMPORTED)), run.reason
    assert sorted(v.label for v in run.report.deleted) == deleted


def _rerun(topo: Topology) -> None:
    """The FULL import again after a cut: it deletes what the cut run had not deleted yet."""
    left = sorted(set(DELETED) & {v.label for v in secondary_volumes(topo)})
    _assert_clean(_import(topo), deleted=left)


def _import(topo: Topology) -> cs.ImportRun:
    """A FULL import that may meet an armed fault: a deadline well below the suite's, so a hang fails alone."""
    runs = topo.catalog_sync(SEC).ImportCatalog(cs.ImportCatalogRequest(
        data_store_id=SEC_STORE, type=FULL, wait=True), timeout=RUN_DEADLINE).runs
    assert len(runs) == 1
    return runs[0]


def _write(topo: Topology, name: str, data: bytes) -> None:
    node = name.split(".", 1)[0]
    topo.guardian(node).WriteFile(iter([guardian_pb2.WriteFileRequest(
        name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=data)]), timeout=T)


def _rows(catalogs: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {t: [json.loads(r) for r in catalogs[t]] for t in DSMTC_TABLES}


def _key(row: dict[str, Any]) -> tuple:
    return row["filecat"], row["file_id"], row["generation"], row["version"]


def _tape_files(catalogs: dict[str, Any]) -> dict[tuple, tuple]:
    """TAPEFILE key -> (its row, its TFTOV rows)."""
    rows = _rows(catalogs)
    tftov = defaultdict(list)
    for r in rows["dsm_tftov"]:
        tftov[_key(r)].append(json.dumps(r, sort_keys=True))
    return {_key(r): (json.dumps(r, sort_keys=True), sorted(tftov[_key(r)])) for r in rows["dsm_tapefile"]}


def _view(topo: Topology, catalogs: dict[str, Any]) -> dict[str, tuple]:
    """label -> (BackBox record, DSM/TC entries) for every label of the scenario."""
    entries = secondary_entries(topo, LABELS)
    return {label: (catalogs["backbox"].get(label), entries.get(label)) for label in LABELS}


def _half_written(topo: Topology, staged: Staged, clean: dict[str, Any], clean_view: dict[str, tuple]) -> list[str]:
    """What a cut import may not leave behind (see the module docstring); empty = nothing."""
    problems = []
    now = secondary_catalogs(topo)
    view = _view(topo, now)
    for label, record in sorted(_records(topo).items()):
        if record.imported_export_id == staged.export_id and view[label][1] != clean_view[label][1]:
            problems.append(f"{label}: record of export {staged.export_id} but DSM/TC entries not the clean run's")
    old, new = _tape_files(staged.before), _tape_files(clean)
    for key, got in sorted(_tape_files(now).items()):
        if got not in (old.get(key), new.get(key)):
            problems.append(f"TAPEFILE {key}: row or TFTOV rows neither as before nor as after the import")
    return problems + _orphans(topo, now)


def _orphans(topo: Topology, now: dict[str, Any]) -> list[str]:
    """TFTOV and DISKFILE rows without their TAPEFILE; a deleted volume's record gone before its TAPEVOLUME."""
    rows, files, records = _rows(now), _tape_files(now), _records(topo)
    problems = [f"TFTOV {r['volser']} of missing TAPEFILE {_key(r)}" for r in rows["dsm_tftov"] if _key(r) not in files]
    problems += [f"DISKFILE {r['disk_file_name']} of missing TAPEFILE {_key(r)}" for r in rows["dsm_diskfile"]
                 if _key(r) not in files]
    volumes = {r["volser"] for r in rows["dsm_volume"]}
    return problems + [f"{label}: BackBox record deleted before its TAPEVOLUME" for label in DELETED
                       if label not in records and label in volumes]


def _records(topo: Topology) -> dict[str, bb.BackBoxVolume]:
    return {v.label: v for v in secondary_volumes(topo)}


def _frame(payload: bytes, kind: int = staging.KIND_VOLUME) -> bytes:
    """A well-formed staging file around any payload bytes (valid header and CRCs)."""
    head = staging.HEADER.pack(staging.MAGIC, staging.FORMAT_VERSION, kind, 0, len(payload), zlib.crc32(payload))
    return head + struct.pack(">I", zlib.crc32(head)) + payload


def _payload(data: bytes) -> staging_pb2.VolumeExport:
    return staging.decode_as(data, staging.KIND_VOLUME, staging_pb2.VolumeExport)


# -- 1. the crash matrix (R40) -----------------------------------------------------------------------------------------

def test_crash_matrix_covers_every_fault_point_of_the_import_program():
    assert set(importer.FAULT_POINTS) <= set(CRASH_POINTS)


@pytest.mark.rule("R40")
@pytest.mark.rule("R22")
@pytest.mark.rule("R23")
@pytest.mark.rule("R24")
@pytest.mark.parametrize("point", CRASH_POINTS)
def test_nothing_is_half_written_and_the_rerun_equals_the_clean_run_when_the_import_is_killed_at_any_commit_point(
        scenario, point):
    topo = scenario.topo
    hits, clean = _clean_run(topo, point)
    assert hits == CLEAN_HITS[point]
    clean_view = _view(topo, clean)
    for n in range(1, hits + 1):
        _restore(topo, BEFORE, scenario.before)
        _arm(topo, point, KILL, n)
        try:
            run = _import(topo)
        finally:
            _disarm(topo)
        assert run.status == FAILED and point in run.reason, f"hit {n}: {run}"
        latest = import_status(topo).latest_import
        assert (latest.process, latest.status) == (run.process, FAILED), f"hit {n}"
        assert _half_written(topo, scenario, clean, clean_view) == [], f"killed at hit {n} of {point}"

        _rerun(topo)
        assert secondary_catalogs(topo) == clean, f"rerun after the kill at hit {n} of {point}"


# -- 2. \ETINIUM crashed under the import ---------------------------------------------------------------------------

def _node_down(topo: Topology) -> bool:
    nodes = topo.control_service().ListNodes(control_pb2.ListNodesRequest(), timeout=T).nodes
    return any(n.node.name == REMOTE and n.status == control_pb2.NODE_STATUS_DOWN for n in nodes)


@pytest.mark.rule("R40")
@pytest.mark.rule("R24")
@pytest.mark.parametrize("point, on_hit", [("media_catalog.after_commit", 3), ("import.after_volumes", 1)],
                         ids=["third-commit", "after-volumes"])
def test_rerun_equals_the_clean_run_when_the_secondary_node_crashed_mid_import(scenario, point, on_hit):
    topo = scenario.topo
    _, clean = _clean_run(topo, point)
    clean_view = _view(topo, clean)
    _restore(topo, BEFORE, scenario.before)
    _arm(topo, point, CRASH, on_hit)
    run = None
    try:
        try:
            run = _import(topo)
        except grpc.RpcError as exc:           # the service of YINE500 lives on the node that crashed
            assert exc.code() == grpc.StatusCode.UNAVAILABLE, exc
        assert _node_down(topo)
    finally:
        _disarm(topo)
        if _node_down(topo):
            topo.control_service().RestartNode(control_pb2.RestartNodeRequest(node=REMOTE), timeout=T)
    if run is not None:
        assert run.status == FAILED, run
    assert import_status(topo).latest_import.status == FAILED
    assert _half_written(topo, scenario, clean, clean_view) == []

    _rerun(topo)
    assert secondary_catalogs(topo) == clean


# -- 3. idempotence ----------------------------------------------------------------------------------------------

@pytest.mark.rule("R19")
@pytest.mark.rule("R24")
def test_second_full_import_changes_nothing_when_it_imports_the_same_export(staged):
    topo = staged.topo
    _restore(topo, BEFORE, staged.before)
    _assert_clean(_import(topo))
    assert secondary_catalogs(topo) == staged.clean
    again = _import(topo)
    assert (again.status, again.volume_errors, again.volumes_processed) == (FINISHED, 0, len(IMPORTED))
    assert list(again.report.deleted) == []
    assert secondary_catalogs(topo) == staged.clean
    for summary in again.report.summaries:
        assert (summary.backbox_added, summary.backbox_deleted, summary.nsk_added, summary.nsk_updated,
                summary.nsk_deleted) == (0, 0, 0, 0, 0), summary
    for activity in again.report.activity:
        assert (activity.tape_files_added, activity.tape_files_updated, activity.tape_files_deleted,
                activity.disk_files_added, activity.disk_files_deleted) == (0, 0, 0, 0, 0), activity


@pytest.mark.rule("R21")
@pytest.mark.rule("R23")
def test_second_update_import_processes_no_volume_when_nothing_was_received_since(staged):
    topo = staged.topo
    _restore(topo, BEFORE, staged.before)
    first = import_(topo, type_=UPDATE)
    assert (first.status, first.volume_errors, first.volumes_processed) == (FINISHED, 0, len(IMPORTED))
    after_first = secondary_catalogs(topo)
    assert sorted(after_first["backbox"]) == LABELS          # an UPDATE deletes nothing (R23)

    second = import_(topo, type_=UPDATE)
    assert (second.status, second.volume_errors, second.volumes_processed) == (FINISHED, 0, 0)
    assert secondary_catalogs(topo) == after_first
    assert import_status(topo).available.received_after_last_import == 0


# -- 4. damaged staging files ------------------------------------------------------------------------------------

def _truncated(topo: Topology, data: bytes) -> bytes:
    return data[:staging.HEADER_SIZE - 4]


def _torn(topo: Topology, data: bytes) -> bytes:
    return data[:-9]                           # the header announces 9 bytes more than the file holds


def _corrupted(topo: Topology, data: bytes) -> bytes:
    at = staging.HEADER_SIZE + (len(data) - staging.HEADER_SIZE) // 2
    return data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]


def _foreign_magic(topo: Topology, data: bytes) -> bytes:
    return b"ZIP!" + random.Random(5).randbytes(len(data) - 4)


def _foreign_store(topo: Topology, data: bytes) -> bytes:
    message = staging.MESSAGE_OF_KIND[data[6]]()
    message.ParseFromString(data[staging.HEADER_SIZE:])
    message.data_store_id = "DS_OTHER"
    return staging.encode(message, data[6])


def _other_volume(topo: Topology, data: bytes) -> bytes:
    return read_file(topo, staging.volume_file(STAGING, "EW1003"))


def _summary_kind(topo: Topology, data: bytes) -> bytes:
    return read_file(topo, staging.summary_file(STAGING))


VOLUME_DAMAGE = [  # (damage, words the volume's error must hold: what is wrong, then what to do)
    pytest.param(_truncated, ["only 20 bytes", "export the volume again"], id="truncated"),
    pytest.param(_torn, ["torn", "export the volume again"], id="torn"),
    pytest.param(_corrupted, ["CRC-32", "corrupted", "export the volume again"], id="corrupted-payload"),
    pytest.param(_foreign_magic, ["not a Catalog Sync file", "remove it"], id="foreign-magic"),
    pytest.param(_foreign_store, ["DS_OTHER", "not a volume of DS_WIN1_DES", "remove it"], id="foreign-store"),
    pytest.param(_other_volume, ["holds volume EW1003", "remove it"], id="other-volume"),
    pytest.param(_summary_kind, ["EXPORT_SUMMARY", "does not match"], id="summary-as-volume"),
    pytest.param(lambda topo, data: _edit(lambda p: setattr(p.tape_volume, "volser", "EW1003"))(topo, data),
                 ["EW1003"], id="tapevolume-of-another-volume"),
]


def _import_with_damaged_file(staged, damage) -> tuple[str, cs.ImportRun, cs.VolumeProblem]:
    """Import with CHANGED's staging file damaged (then put back): only that volume fails."""
    topo = staged.topo
    _restore(topo, BEFORE, staged.before)
    name = staging.volume_file(STAGING, CHANGED)
    _write(topo, name, damage(topo, staged.volume_file))
    try:
        run = _import(topo)
    finally:
        _write(topo, name, staged.volume_file)
    assert (run.status, run.volume_errors, run.volumes_processed) == (FINISHED, 1, len(IMPORTED) - 1), run.reason
    [problem] = run.report.volume_errors
    assert problem.label == CHANGED
    return name, run, problem


@pytest.mark.rule("R21")
@pytest.mark.rule("R22")
@pytest.mark.parametrize("damage, words", VOLUME_DAMAGE)
def test_only_that_volume_fails_and_every_other_is_imported_when_its_staging_file_is_damaged(staged, damage, words):
    topo = staged.topo
    name, run, problem = _import_with_damaged_file(staged, damage)
    for word in [name, *words]:
        assert word in problem.message, f"{word!r} not in {problem.message!r}"
    assert sorted(v.label for v in run.report.deleted) == DELETED
    assert import_status(topo).next_update_reimports_all                          # R21

    now = _view(topo, secondary_catalogs(topo))
    expected = {**staged.clean_view, CHANGED: staged.before_view[CHANGED]}
    assert now == expected                     # nothing of it applied, every other volume as in the clean run


def _edit(change: Callable[[staging_pb2.VolumeExport], None]) -> Callable[[Topology, bytes], bytes]:
    """A damage that keeps the file well-formed: one value of the payload changed."""
    def damage(topo: Topology, data: bytes) -> bytes:
        payload = _payload(data)
        change(payload)
        return staging.encode(payload, staging.KIND_VOLUME)
    return damage


VALUE_DAMAGE = [  # (a value DSM/TC refuses, words the volume's error must hold)
    pytest.param(_edit(lambda p: setattr(p.tape_volume, "status", 99)), ["status", "99"], id="tapevolume-status-99"),
    pytest.param(_edit(lambda p: setattr(p.tape_files[0], "mode", 42)), ["mode", "42"], id="tapefile-mode-42"),
    pytest.param(_edit(lambda p: setattr(p.disk_files[0], "status", 7)), ["status", "7"], id="diskfile-status-7"),
    pytest.param(_edit(lambda p: setattr(p.tape_files[0], "generation", 0)), ["GENERATION 0", "out of range"],
                 id="tapefile-generation-0"),
    pytest.param(_edit(lambda p: setattr(p.tape_volume, "volser", "EW10055")), ["EW10055", "TAPEVOLUME",
                                                                                "inconsistent"],
                 id="tapevolume-label-too-long"),
    pytest.param(_edit(lambda p: setattr(p.disk_files[0], "disk_file_name", "\\NOWHERE.$DATA01.SALES.X")),
                 ["\\NOWHERE.$DATA01.SALES.X", "Nodes Replacement"], id="diskfile-node-unknown-first-commit"),
    pytest.param(_edit(lambda p: setattr(p.disk_files[-1], "disk_file_name", "\\NOWHERE.$DATA01.SALES.X")),
                 ["\\NOWHERE.$DATA01.SALES.X", "Nodes Replacement"], id="diskfile-node-unknown-second-commit"),
]


@pytest.mark.rule("R15")
@pytest.mark.rule("R22")
@pytest.mark.parametrize("damage, words", VALUE_DAMAGE)
def test_only_that_volume_fails_with_nothing_of_it_applied_when_its_file_holds_a_value_dsmtc_refuses(
        staged, damage, words):
    topo = staged.topo
    name, run, problem = _import_with_damaged_file(staged, damage)
    for word in words:
        assert word in problem.message, f"{word!r} not in {problem.message!r}"
    now = _view(topo, secondary_catalogs(topo))
    assert now == {**staged.clean_view, CHANGED: staged.before_view[CHANGED]}


SUMMARY_DAMAGE = [
    pytest.param(_truncated, [staging.summary_file(STAGING), "truncated", "run an export"], id="truncated"),
    pytest.param(_torn, [staging.summary_file(STAGING), "torn", "run an export"], id="torn"),
    pytest.param(_corrupted, [staging.summary_file(STAGING), "CRC-32", "run an export"], id="corrupted-payload"),
    pytest.param(_foreign_magic, [staging.summary_file(STAGING), "not a Catalog Sync file"], id="foreign-magic"),
    pytest.param(_foreign_store, ["DS_OTHER", "Primary Data Store Id", "R10"], id="foreign-store"),
]


@pytest.mark.rule("R10")
@pytest.mark.parametrize("damage, words", SUMMARY_DAMAGE)
def test_import_fails_naming_the_file_before_any_change_when_the_summary_file_is_damaged(staged, damage, words):
    topo = staged.topo
    _restore(topo, BEFORE, staged.before)
    name = staging.summary_file(STAGING)
    original = read_file(topo, name)
    _write(topo, name, damage(topo, original))
    try:
        run = _import(topo)
    finally:
        _write(topo, name, original)
    assert run.status == FAILED
    for word in words:
        assert word in run.reason, f"{word!r} not in {run.reason!r}"
    assert run.report.fatal and run.volumes_processed == 0
    assert import_status(topo).latest_import.status == FAILED
    assert secondary_catalogs(topo) == staged.before


# -- 5. fuzz ---------------------------------------------------------------------------------------------------------

_TEXT = st.text(max_size=12)
_LABELISH = st.one_of(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -$", max_size=8), _TEXT)
_EDITS: list[Callable[[staging_pb2.VolumeExport, Any], None]] = [
    lambda p, draw: setattr(p.tape_volume, "volser", draw(_LABELISH)),
    lambda p, draw: setattr(p.tape_volume, "status", draw(st.integers(-2, 12))),
    lambda p, draw: setattr(p.tape_volume, "pool", draw(_TEXT)),
    lambda p, draw: setattr(p.tape_volume, "media_type", draw(_TEXT)),
    lambda p, draw: setattr(p.tape_volume, "vol_index", draw(st.integers(-3, 2**31 - 1))),
    lambda p, draw: setattr(p, "has_tape_volume", draw(st.booleans())),
    lambda p, draw: setattr(p, "catalog_files", draw(st.booleans())),
    lambda p, draw: setattr(p, "volume_group_id", draw(st.sampled_from(["VG_WIN1_DES_NC", "VG_NOPE", "", "vg_x"]))),
    lambda p, draw: setattr(p.volume, "label", draw(_LABELISH)),
    lambda p, draw: setattr(p.volume, "catalog_status", draw(st.integers(-2, 12))),
    lambda p, draw: setattr(p, "domain_id", draw(st.sampled_from(["E501NEW", "OTHER", ""]))),
    lambda p, draw: setattr(p.tape_files[0], "file_id", draw(st.text(max_size=70))),
    lambda p, draw: setattr(p.tape_files[0], "generation", draw(st.integers(-3, 2**31 - 1))),
    lambda p, draw: setattr(p.tape_files[0], "version", draw(st.integers(-3, 200))),
    lambda p, draw: setattr(p.tape_files[0], "mode", draw(st.integers(-1, 9))),
    lambda p, draw: setattr(p.tape_files[0], "status", draw(st.integers(-1, 9))),
    lambda p, draw: setattr(p.tape_files[0], "record_format", draw(_TEXT)),
    lambda p, draw: setattr(p.tape_files[0], "comment", draw(st.text(max_size=100))),
    lambda p, draw: setattr(p.tape_files[0], "filecat", draw(st.sampled_from(["\\ETINIUM.SHCH409FC", "", "NOPE"]))),
    lambda p, draw: setattr(p.tape_files[0].volumes[0], "volser", draw(_LABELISH)),
    lambda p, draw: p.tape_files[0].volumes.append(p.tape_files[0].volumes[0]),
    lambda p, draw: setattr(p.disk_files[0], "disk_file_name", draw(st.one_of(
        st.text(max_size=40), st.sampled_from(["\\NOWHERE.$DATA01.SALES.X", "\\ETINIUM.$DATA01.SALES.X"])))),
    lambda p, draw: setattr(p.disk_files[0], "generation", draw(st.integers(-3, 2**31 - 1))),
    lambda p, draw: setattr(p.disk_files[0], "status", draw(st.integers(-1, 9))),
    lambda p, draw: setattr(p.disk_files[0], "file_id", draw(st.text(max_size=70))),
]


@st.composite
def _edited(draw: Any, payload: staging_pb2.VolumeExport) -> bytes:
    """The payload with a few fields changed, in a well-formed file."""
    edited = staging_pb2.VolumeExport()
    edited.CopyFrom(payload)
    for edit in draw(st.lists(st.sampled_from(_EDITS), min_size=1, max_size=3)):
        edit(edited, draw)
    return staging.encode(edited, staging.KIND_VOLUME)


def _flipped(data: bytes) -> st.SearchStrategy[bytes]:
    def apply(changes: list[tuple[int, int]]) -> bytes:
        out = bytearray(data)
        for at, mask in changes:
            out[at] ^= mask
        return bytes(out)
    return st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(1, 255)), min_size=1, max_size=4).map(apply)


def _volume_contents(original: bytes) -> st.SearchStrategy[bytes]:
    payload = original[staging.HEADER_SIZE:]
    damaged = st.one_of(
        st.binary(max_size=300),                                              # anything at all
        st.integers(0, len(original) - 1).map(lambda n: original[:n]),        # cut short
        st.binary(min_size=1, max_size=32).map(lambda tail: original + tail),  # grown
        _flipped(original),                                                   # bytes changed, framing kept
        _flipped(payload).map(_frame),                                        # payload changed, CRCs made valid
    )
    return st.one_of(damaged, _edited(_payload(original)))                   # half of them: valid, fields changed


FUZZ = settings(derandomize=True, max_examples=25, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate],    # no shrinking: an import per step would take minutes
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.rule("R22")
@FUZZ
@given(data=st.data())
def test_run_finishes_with_at_most_that_volume_failed_when_a_volume_file_holds_any_bytes(staged, data):
    topo = staged.topo
    _restore(topo, CLEAN, None)                # each example ends clean; the restore only keeps a failure alone
    clean_view = staged.clean_view
    content = data.draw(_volume_contents(staged.volume_file), label="content")
    name = staging.volume_file(STAGING, CHANGED)
    _write(topo, name, content)
    try:
        run = _import(topo)
    finally:
        _write(topo, name, staged.volume_file)
    assert run.status == FINISHED, run.reason
    errors = [(p.label, p.message) for p in run.report.volume_errors]
    assert [label for label, _ in errors] in ([], [CHANGED]), errors
    now = secondary_catalogs(topo)
    view = _view(topo, now)
    others = [label for label in LABELS if label != CHANGED]
    assert {k: view[k] for k in others} == {k: clean_view[k] for k in others}, "another volume changed"
    assert _orphans(topo, now) == []
    if errors:
        assert errors[0][1].strip()
        assert now == staged.clean             # nothing of it applied
    else:                                      # a harmless change, imported: a FULL import of the file repairs it
        _assert_clean(_import(topo), deleted=[])
        assert secondary_catalogs(topo) == staged.clean


_MACRO_NAMES = ["BB027_IMPORT_CATALOG", "bb027_import_catalog", "BB027_IMPORT_CATALOGUE", "BB027",
                "BB026_EXPORT_CATALOG"]
_MACRO_STORES = ["E501_WIN1_SND", "e501_win1_snd", "ALL", "E501+WIN1+SND", "DS_WIN1_DES", "NOPE", "", "E501_WIN1_SND,"]
_MACRO_OPTIONS = ["TYPE FULL", "TYPE UPDATE", "TYPE HALF", "TYPE", "CATALOGFILES YES", "CATALOGFILES NO",
                  "CATALOGFILES MAYBE", "STOREID_ALIAS 0", "STOREID_ALIAS 1", "STOREID_ALIAS 2", "STOREID_ALIAS 3",
                  "STOREID E501_WIN1_SND", "COLOR RED"]
_MACRO_GAPS = [", ", ",", " ", " , ", " &\n  ", ",,", ""]


@st.composite
def _bb027_text(draw: Any) -> str:
    line = draw(st.sampled_from(_MACRO_NAMES))
    if draw(st.integers(0, 9)):
        line += draw(st.sampled_from([" ", "  ", ", "])) + "STOREID " + draw(st.sampled_from(_MACRO_STORES))
    for option in draw(st.lists(st.sampled_from(_MACRO_OPTIONS), max_size=3)):
        line += draw(st.sampled_from(_MACRO_GAPS)) + option
    if draw(st.booleans()):
        at = draw(st.integers(0, len(line)))
        line = line[:at] + draw(st.text(max_size=3)) + line[at:]
    prefix = draw(st.sampled_from(["", "LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS\n", "== nightly\n"]))
    return prefix + line


@pytest.mark.rule("R35")
@FUZZ
@given(text=st.one_of(_bb027_text(), st.text(max_size=60)))
def test_bb027_text_is_refused_with_a_clear_error_and_no_change_or_runs_a_proper_import(staged, text):
    topo = staged.topo
    _restore(topo, CLEAN, None)
    resp = topo.catalog_sync(SEC).RunMacro(cs.RunMacroRequest(text=text, wait=True), timeout=T)
    if resp.ok:
        assert resp.calls
        for run in resp.import_runs:
            assert (run.status, run.volume_errors) == (FINISHED, 0), run.reason
            assert run.data_store_id == "E501_WIN1_SND"
    else:
        message = resp.error_message
        assert message.strip() and "Traceback" not in message and len(message) < 2000, message
        assert any(message in line for line in resp.output), resp.output
        assert secondary_catalogs(topo) == staged.clean
