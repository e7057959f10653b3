"""Guardian disk files: atomic writes, modes, streamed writes, reads, lists, rename, purge, volumes and faults."""

from __future__ import annotations

from datetime import timedelta

import pytest

from emulator.disk import DiskVolume, RemoteName, UnknownVolume, WriteMode
from emulator.errors import (DiskFull, EmulatorError, FileExists, FileNotFound, InvalidArgument, InvalidName,
                             NodeDown, ProcessKilled, TransactionAborted)
from emulator.faults import ERROR, KILL_PROCESS, FaultPoint

NAME = "$DATA15.E5CATSYN.VEW1008"
FULL = "\\INSIDX.$DATA15.E5CATSYN.VEW1008"


def _files_on_disk(node):
    return sorted(str(p.relative_to(node.store.disk_dir)) for p in node.store.disk_dir.rglob("*") if p.is_file())


def test_write_then_read_returns_the_content_when_the_name_is_partial(node):
    info = node.disk.write(NAME, b"hello")
    assert info.name == FULL
    assert info.size == 5
    assert node.disk.read_bytes(FULL) == b"hello"
    assert (node.store.disk_dir / "$DATA15" / "E5CATSYN" / "VEW1008").read_bytes() == b"hello"


def test_modified_time_is_the_node_clock_when_a_file_is_written(node, clock):
    clock.advance(by=timedelta(days=3, seconds=7))
    info = node.disk.write(NAME, b"x", file_code=101, owner="BACKBOX.ADMIN")
    assert info.modified == clock.now()
    clock.advance(by=timedelta(hours=1))
    again = node.disk.info(NAME)
    assert (again.modified, again.file_code, again.owner) == (info.modified, 101, "BACKBOX.ADMIN")


def test_create_mode_fails_with_error_10_when_the_file_exists(node):
    node.disk.write(NAME, b"old")
    with pytest.raises(FileExists) as err:
        node.disk.write(NAME, b"new", WriteMode.CREATE)
    assert err.value.guardian_error == 10
    assert "REPLACE" in err.value.message
    assert node.disk.read_bytes(NAME) == b"old"


def test_append_mode_adds_to_the_end_when_the_file_exists(node):
    node.disk.write(NAME, b"abc", WriteMode.APPEND)
    node.disk.write(NAME, b"def", WriteMode.APPEND)
    assert node.disk.read_bytes(NAME) == b"abcdef"
    assert node.disk.info(NAME).size == 6


def test_replace_keeps_the_file_code_when_the_new_write_gives_none(node):
    node.disk.write(NAME, b"a", file_code=180)
    assert node.disk.write(NAME, b"bb").file_code == 180


def test_readers_see_the_old_content_when_a_streamed_write_is_not_committed(node):
    node.disk.write(NAME, b"old")
    writer = node.disk.open_write(NAME)
    writer.write(b"new ")
    writer.write(b"content")
    assert node.disk.read_bytes(NAME) == b"old"
    assert [f.name for f in node.disk.list("$DATA15.E5CATSYN")] == [FULL]  # the temp file is not a file
    info = writer.commit()
    assert info.size == len(b"new content")
    assert node.disk.read_bytes(NAME) == b"new content"


def test_a_reader_keeps_its_version_when_the_file_is_replaced_while_it_reads(node):
    node.disk.write(NAME, b"A" * 300)
    _info, chunks = node.disk.read(NAME, chunk_size=100)
    first = next(chunks)
    node.disk.write(NAME, b"B" * 300)
    assert first + b"".join(chunks) == b"A" * 300


def test_an_aborted_write_changes_nothing_when_the_caller_fails(node):
    node.disk.write(NAME, b"old")
    with pytest.raises(RuntimeError), node.disk.open_write(NAME) as writer:
        writer.write(b"half")
        raise RuntimeError("stream broke")
    assert node.disk.read_bytes(NAME) == b"old"
    assert _files_on_disk(node) == ["$DATA15/E5CATSYN/VEW1008"]


def test_read_returns_the_requested_range_when_offset_and_length_are_given(node):
    node.disk.write(NAME, bytes(range(100)))
    info, chunks = node.disk.read(NAME, offset=10, length=25, chunk_size=10)
    parts = list(chunks)
    assert info.size == 100
    assert [len(p) for p in parts] == [10, 10, 5]
    assert b"".join(parts) == bytes(range(10, 35))
    assert list(node.disk.read(NAME, offset=500)[1]) == []


@pytest.mark.parametrize("kwargs", [{"offset": -1}, {"length": -2}, {"chunk_size": -1},
                                    {"chunk_size": 64 * 1024 * 1024}])
def test_read_is_refused_when_the_range_is_invalid(node, kwargs):
    node.disk.write(NAME, b"x")
    with pytest.raises(InvalidArgument):
        node.disk.read(NAME, **kwargs)


def test_read_fails_with_error_11_when_the_file_is_missing(node):
    with pytest.raises(FileNotFound) as err:
        node.disk.read(NAME)
    assert err.value.guardian_error == 11
    assert "E5CATSYN" in err.value.message


def test_list_returns_matching_files_sorted_when_a_pattern_is_given(node):
    for file_id in ("VEW1008", "VEW1002", "CSSUMARY", "XEW1001"):
        node.disk.write(f"$DATA15.E5CATSYN.{file_id}", file_id.encode())
    node.disk.write("$DATA15.OTHER.VEW9999", b"x")
    names = [f.name.rsplit(".", 1)[1] for f in node.disk.list("\\INSIDX.$DATA15.E5CATSYN", "VEW*")]
    assert names == ["VEW1002", "VEW1008"]
    assert len(node.disk.list("$DATA15.E5CATSYN")) == 4
    assert [f.name for f in node.disk.list("$DATA15.E5CATSYN", "?SSUMAR?")] == ["\\INSIDX.$DATA15.E5CATSYN.CSSUMARY"]
    assert node.disk.list("$DATA15.EMPTY") == []


def test_rename_moves_the_attributes_when_the_target_is_in_the_same_volume(node, clock):
    node.disk.write(NAME, b"data", file_code=7)
    written = node.disk.info(NAME).modified
    clock.advance(by=timedelta(minutes=5))
    info = node.disk.rename(NAME, "ARCHIVE.VEW1008")
    assert info.name == "\\INSIDX.$DATA15.ARCHIVE.VEW1008"
    assert (info.modified, info.file_code, info.size) == (written, 7, 4)
    assert not node.disk.exists(NAME)


def test_rename_is_refused_when_the_target_is_on_another_volume(node):
    node.disk.write(NAME, b"data")
    with pytest.raises(InvalidArgument) as err:
        node.disk.rename(NAME, "$DATA01.E5CATSYN.VEW1008")
    assert "copy" in err.value.message
    assert node.disk.read_bytes(NAME) == b"data"


def test_rename_fails_with_error_10_when_the_target_exists_and_replace_is_off(node):
    node.disk.write(NAME, b"one")
    node.disk.write("$DATA15.E5CATSYN.OTHER", b"two")
    with pytest.raises(FileExists):
        node.disk.rename(NAME, "$DATA15.E5CATSYN.OTHER")
    assert node.disk.read_bytes("$DATA15.E5CATSYN.OTHER") == b"two"
    node.disk.rename(NAME, "$DATA15.E5CATSYN.OTHER", replace=True)
    assert node.disk.read_bytes("$DATA15.E5CATSYN.OTHER") == b"one"
    assert len(node.disk.list("$DATA15.E5CATSYN")) == 1


def test_purge_removes_every_matching_file_when_the_file_part_is_a_pattern(node):
    for file_id in ("VEW1008", "VEW1002", "CSSUMARY"):
        node.disk.write(f"$DATA15.E5CATSYN.{file_id}", b"x")
    purged = node.disk.purge("$DATA15.E5CATSYN.VEW*")
    assert purged == ["\\INSIDX.$DATA15.E5CATSYN.VEW1002", "\\INSIDX.$DATA15.E5CATSYN.VEW1008"]
    assert [f.name for f in node.disk.list("$DATA15.E5CATSYN")] == ["\\INSIDX.$DATA15.E5CATSYN.CSSUMARY"]
    assert node.disk.volumes()[1].used_bytes == 1


def test_purge_fails_with_error_11_when_nothing_matches_unless_missing_ok(node):
    with pytest.raises(FileNotFound):
        node.disk.purge(NAME)
    with pytest.raises(FileNotFound):
        node.disk.purge("$DATA15.E5CATSYN.*")
    assert node.disk.purge(NAME, missing_ok=True) == []
    assert node.disk.purge("$DATA15.E5CATSYN.*", missing_ok=True) == []


@pytest.mark.parametrize("bad", [
    "$DATA15.E5CATSYN",                      # too few parts
    "$DATA15.E5CATSYN.VEW1008.EXTRA",        # too many parts
    "$DATA15.5CATSYN.VEW1008",               # subvolume starts with a digit
    "$DATA15.E5CATSYN.VERYLONGNAME",         # file id longer than 8
    "\\INSIDX.$DATA15.E5CATSYN.VEW 1008",    # blank
    "\\INSIDXLONG.$DATA15.E5CATSYN.VEW1008",  # node longer than 7
    "\\ETINIUM.$DATA1515.ABCDEFGH.ABCDEFGH",  # volume of 8: 36 characters, over DISKFILENAME's 35
    "$S.#INS.EXP",                           # a spooler location
])
def test_malformed_names_are_refused_and_change_nothing_when_written(node, bad):
    with pytest.raises(InvalidName) as err:
        node.disk.write(bad, b"x")
    assert err.value.guardian_error == 13
    assert err.value.message
    assert _files_on_disk(node) == []


def test_unknown_volume_fails_with_error_14_naming_the_configured_volumes_when_written(node):
    with pytest.raises(UnknownVolume) as err:
        node.disk.write("$DATA99.E5CATSYN.VEW1008", b"x")
    assert err.value.guardian_error == 14
    assert err.value.status == "NOT_FOUND"
    assert "$DATA01, $DATA15" in err.value.message and "topology" in err.value.message
    assert _files_on_disk(node) == []
    with pytest.raises(UnknownVolume):
        node.disk.list("$DATA99.E5CATSYN")


def test_a_name_on_another_node_raises_remote_name_when_used_locally(node):
    with pytest.raises(RemoteName) as err:
        node.disk.write("\\ETINIUM.$DATA15.E5CATSYN.VEW1008", b"x")
    assert err.value.node == "\\ETINIUM"
    with pytest.raises(RemoteName):
        node.disk.list("\\ETINIUM.$DATA15.E5CATSYN")
    with pytest.raises(RemoteName):
        node.disk.purge("\\ETINIUM.$DATA15.E5CATSYN.*")
    assert _files_on_disk(node) == []


def test_volumes_report_capacity_and_use_when_files_are_written(make_node):
    node = make_node(volumes={"$DATA01": 0, "$DATA15": 1000})
    node.disk.write(NAME, b"x" * 300)
    node.disk.write("$DATA15.E5CATSYN.OTHER", b"x" * 200)
    assert node.disk.volumes() == [DiskVolume("$DATA01", 0, 0, False), DiskVolume("$DATA15", 1000, 500, False)]


def test_write_fails_with_error_43_and_changes_nothing_when_the_volume_has_no_room(make_node):
    node = make_node(volumes={"$DATA15": 100})
    node.disk.write(NAME, b"a" * 80)
    with pytest.raises(DiskFull) as err:
        node.disk.write("$DATA15.E5CATSYN.OTHER", b"b" * 30)
    assert err.value.guardian_error == 43
    assert "purge" in err.value.message
    assert _files_on_disk(node) == ["$DATA15/E5CATSYN/VEW1008"]
    node.disk.write(NAME, b"c" * 95)  # a replacement only needs room for the difference
    assert node.disk.volumes()[0].used_bytes == 95


def test_streamed_write_stops_with_error_43_when_a_chunk_overflows_the_volume(make_node):
    node = make_node(volumes={"$DATA15": 100})
    writer = node.disk.open_write(NAME)
    writer.write(b"x" * 60)
    with pytest.raises(DiskFull):
        writer.write(b"x" * 60)
    assert _files_on_disk(node) == []


def test_writes_fail_with_error_43_while_the_volume_is_forced_full(node):
    node.disk.write(NAME, b"before")
    node.disk.set_full("$DATA15", True)
    try:
        assert [v.full for v in node.disk.volumes()] == [False, True]
        with pytest.raises(DiskFull) as err:
            node.disk.write(NAME, b"after")
        assert "heal" in err.value.message
        node.disk.write("$DATA01.OTHER.FILE", b"other volume still works")
    finally:
        node.disk.set_full("$DATA15", False)
    assert node.disk.read_bytes(NAME) == b"before"
    node.disk.write(NAME, b"after")
    assert node.disk.read_bytes(NAME) == b"after"


def test_set_full_is_refused_when_the_volume_is_not_configured(node):
    with pytest.raises(UnknownVolume):
        node.disk.set_full("$NOPE", True)


def test_an_armed_write_fault_fails_the_write_and_keeps_the_old_content_when_it_fires(node):
    node.disk.write(NAME, b"old")
    node.faults.arm(FaultPoint("guardian.write_file", ERROR, guardian_error=45))
    try:
        with pytest.raises(EmulatorError) as err:
            node.disk.write(NAME, b"new")
        assert err.value.guardian_error == 45
    finally:
        node.faults.disarm()
    assert node.disk.read_bytes(NAME) == b"old"
    assert _files_on_disk(node) == ["$DATA15/E5CATSYN/VEW1008"]


def test_a_kill_fault_at_write_refuses_the_commit_when_the_process_is_named(node):
    node.faults.arm(FaultPoint("guardian.write_file", KILL_PROCESS))
    try:
        with pytest.raises(ProcessKilled):
            node.disk.write(NAME, b"new", process="\\INSIDX.$X66X")
    finally:
        node.faults.disarm()
    assert _files_on_disk(node) == []


def test_a_write_in_flight_is_lost_when_the_node_crashes_before_commit(node):
    node.disk.write(NAME, b"committed")
    writer = node.disk.open_write(NAME)
    writer.write(b"in flight")
    node.crash()
    with pytest.raises(NodeDown):
        writer.commit()
    node.restart()
    assert node.disk.read_bytes(NAME) == b"committed"
    assert node.disk.info(NAME).size == len(b"committed")
    assert _files_on_disk(node) == ["$DATA15/E5CATSYN/VEW1008"]


def test_a_write_begun_before_a_restart_is_refused_when_committed_after_it(node):
    node.disk.write(NAME, b"committed")
    writer = node.disk.open_write(NAME)
    writer.write(b"stale")
    node.crash()
    node.restart()
    with pytest.raises(TransactionAborted) as err:
        writer.commit()
    assert "write it again" in err.value.message
    assert node.disk.read_bytes(NAME) == b"committed"


def test_rename_fails_with_error_11_when_the_source_is_missing(node):
    with pytest.raises(FileNotFound):
        node.disk.rename(NAME, "$DATA15.E5CATSYN.OTHER")
    assert _files_on_disk(node) == []


def test_operations_fail_with_node_down_while_the_node_is_crashed(node):
    node.crash()
    with pytest.raises(NodeDown):
        node.disk.write(NAME, b"x")
    with pytest.raises(NodeDown):
        node.disk.read(NAME)
    node.restart()
    node.disk.write(NAME, b"x")


def test_file_attributes_survive_a_crash_and_restart_when_committed(node, clock):
    clock.advance(by=timedelta(hours=2))
    before = node.disk.write(NAME, b"kept", file_code=33)
    node.crash()
    node.restart()
    assert node.disk.info(NAME) == before
