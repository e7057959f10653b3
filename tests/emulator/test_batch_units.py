"""ApplyBatch commit units (R40): a stream cut into units commits each on its own, a fault or a crash loses only the
open unit, and with `reject_units` an entry error rolls back its unit alone and skips the rest of its group."""

from __future__ import annotations

import pytest

from emulator.dsmtc_batch import Chunk
from emulator.errors import EmulatorError, InvalidArgument, NodeDown, TransactionAborted
from emulator.faults import CRASH_NODE, KILL_PROCESS, FaultPoint
from emulator.media_catalog import BatchOptions, UpsertDiskFiles
from tests.emulator.test_media_catalog import _batch_file, _batch_volume, _disk_rows

pytestmark = pytest.mark.rule("R40")


def _volume_units(volser: str, files: int = 2, disk: int = 3) -> list[Chunk]:
    """The units of one volume: TAPEVOLUME + first TAPEFILE, then one unit per further TAPEFILE."""
    fid = f"FILE-{volser}"
    units = [Chunk([_batch_volume(volser), _batch_file(volser, file_id=fid, generation=1),
                    UpsertDiskFiles(_disk_rows(disk, file_id=fid, generation=1, start=int(volser[1:]) * 100))],
                   commit=True, unit=f"{volser} TAPEFILE 1", group=volser)]
    for n in range(2, files + 1):
        units.append(Chunk([_batch_file(volser, file_id=fid, generation=n)], commit=True, unit=f"{volser} TAPEFILE {n}",
                           group=volser))
    return units


def _volsers(cat) -> list[str]:
    return [v.volser for v in cat.list_volumes()[0]]


def test_each_unit_commits_on_its_own_and_counts_add_up(cat):
    result = cat.apply_batch(_volume_units("V00001") + _volume_units("V00002"))
    assert result.commits == 4
    assert (result.tape_volumes.added, result.tape_files.added, result.disk_files.added) == (2, 4, 6)
    assert _volsers(cat) == ["V00001", "V00002"]


def test_a_stream_without_marks_stays_one_transaction(cat):
    result = cat.apply_batch([[_batch_volume("V00001")], [_batch_volume("V00002")]])
    assert result.commits == 1 and result.tape_volumes.added == 2


def test_a_broken_stream_keeps_the_committed_units_and_loses_the_open_one(cat):
    def chunks():
        yield from _volume_units("V00001")
        yield Chunk([_batch_volume("V00002"), _batch_file("V00002", generation=1)], unit="V00002 TAPEFILE 1",
                    group="V00002")
        raise TransactionAborted("client went away")

    with pytest.raises(TransactionAborted):
        cat.apply_batch(chunks())
    assert _volsers(cat) == ["V00001"]
    assert {(f.generation, f.volumes[0].volser) for f in cat.list_files()[0]} == {(1, "V00001"), (2, "V00001")}


@pytest.mark.parametrize("point,action,error,kept", [
    ("media_catalog.before_commit", KILL_PROCESS, EmulatorError, 2),   # the 3rd unit never commits
    ("media_catalog.after_commit", KILL_PROCESS, EmulatorError, 3),    # the 3rd unit committed, then killed
    ("media_catalog.after_commit", CRASH_NODE, NodeDown, 3),
])
def test_a_fault_at_a_commit_point_keeps_exactly_the_units_committed_before_it(cat, node, point, action, error,
                                                                               kept):
    node.faults.arm(FaultPoint(point, action, on_hit=3))
    with pytest.raises(error):
        cat.apply_batch(_volume_units("V00001") + _volume_units("V00002"),
                        BatchOptions(process="\\INSIDX.$X1S3"))
    node.faults.disarm()
    if not node.up:
        node.restart()
    files = sorted((f.volumes[0].volser, f.generation) for f in cat.list_files()[0])
    assert files == [("V00001", 1), ("V00001", 2), ("V00002", 1), ("V00002", 2)][:kept]


@pytest.mark.rule("R13")
def test_reject_units_rolls_back_the_unit_and_skips_the_rest_of_its_group(cat):
    cat.create_catalog("OTHERVC", "VOLCAT")
    cat.apply_batch([[_batch_volume("V00002")]])         # the label exists in the search space already
    before = {f.generation for f in cat.list_files()[0]}
    cat_vc = "\\INSIDX.OTHERVC"
    from emulator.media_catalog import Pool, TapeVolume, UpsertVolume  # noqa: PLC0415
    cat.add_pool(Pool(cat_vc, "OTHERPOOL"))
    clash = [Chunk([UpsertVolume(TapeVolume("V00002", cat_vc, "OTHERPOOL", status="ASSIGNED"))], commit=True,
                   unit="V00002 TAPEVOLUME", group="V00002"),
             Chunk([_batch_file("V00002", generation=7)], commit=True, unit="V00002 TAPEFILE 7", group="V00002")]
    result = cat.apply_batch(_volume_units("V00001") + clash + _volume_units("V00003", files=1),
                             BatchOptions(check_search_space=True, reject_units=True))
    assert [(r.unit, r.group) for r in result.rejections] == [("V00002 TAPEVOLUME", "V00002")]
    assert "search space" in result.rejections[0].reason
    assert result.skipped_units == ("V00002 TAPEFILE 7",)
    assert result.commits == 3 and result.tape_volumes.added == 2
    assert {f.generation for f in cat.list_files()[0]} - before == {1, 2}   # generation 7 never landed


def test_without_reject_units_an_entry_error_fails_the_call_but_committed_units_stay(cat):
    bad = Chunk([_batch_file("V00002", generation=0)], commit=True, unit="V00002 TAPEFILE 0", group="V00002")
    with pytest.raises(InvalidArgument, match="GENERATION"):
        cat.apply_batch(_volume_units("V00001") + [bad])
    assert _volsers(cat) == ["V00001"]


@pytest.mark.rule("R15")
def test_a_diskfile_of_an_unknown_node_is_error_5048_and_rejects_its_unit(cat):
    units = [Chunk([_batch_volume("V00001"), _batch_file("V00001", generation=1),
                    UpsertDiskFiles(_disk_rows(2, generation=1, node="\\NOWHERE"))], commit=True, unit="V00001",
                   group="V00001")] + _volume_units("V00002", files=1)
    result = cat.apply_batch(units, BatchOptions(reject_units=True))
    assert [(r.unit, r.mediacom_error) for r in result.rejections] == [("V00001", 5048)]
    assert "DISKFILE \\NOWHERE.$DATA01.SALES.F0000000 is invalid." in result.rejections[0].reason
    assert _volsers(cat) == ["V00002"]
    with pytest.raises(InvalidArgument, match="ERROR-5048"):
        cat.apply_batch([[UpsertDiskFiles(_disk_rows(1, node="\\NOWHERE"))]])
