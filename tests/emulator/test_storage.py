"""The storage domain object without gRPC: images as real files with their metadata, capacity, faults, reopening,
and replication between two stores wired by an in-process peer."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterable

import pytest

from emulator.clock import Clock
from emulator.errors import Conflict, DiskFull, InvalidArgument, NotFound
from emulator.storage import (
    AUTOCOPY, CORRUPT_OBJECT, DAT, DISK_FULL, DROP_OBJECT, IND, READ_ONLY, READ_WRITE, REPLICA, SOURCE,
    STOP_REPLICA, Chunk, DataLoss, ReplicatedObject, ReplicationConfig, SourceInfo, StorageStore, Unavailable,
    VolumeImage,
)

LAG = timedelta(minutes=10)


class DownPeer:
    """A peer that does not answer."""

    def __getattr__(self, name: str):
        def call(*args, **kwargs):
            raise Unavailable("peer storage at local:? answered UNAVAILABLE: connection refused")
        return call


class LocalPeer:
    """A peer reached by a direct call instead of gRPC."""

    def __init__(self, store: StorageStore):
        self.store = store

    def replicate(self, source: SourceInfo, items: Iterable[ReplicatedObject | Chunk]):
        return self.store.replicate_in(source, items)

    def configure(self, config: ReplicationConfig) -> None:
        self.store.configure(config)

    def reverse(self, force: bool) -> list[str]:
        return self.store.reverse(force)[1]


@pytest.fixture
def make_store(tmp_path: Path, clock: Clock):
    """`make_store("PRI")` → a store under tmp_path, reachable by its peers at `local:PRI`."""
    registry: dict[str, StorageStore] = {}
    stores: list[StorageStore] = []

    def factory(storage_id: str = "PRI", **kwargs) -> StorageStore:
        store = StorageStore(storage_id, f"\\\\qs\\bbox\\{storage_id.lower()}", tmp_path / storage_id, clock,
                             **kwargs)
        store.self_endpoint = f"local:{storage_id}"
        store.connect_peer = lambda address: LocalPeer(registry[address])
        registry[store.self_endpoint] = store
        stores.append(store)
        return store

    yield factory
    for store in stores:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., StorageStore]) -> StorageStore:
    return make_store()


@pytest.fixture
def pair(make_store: Callable[..., StorageStore]) -> tuple[StorageStore, StorageStore]:
    """PRI replicating continuously to DR with a 10 minute lag."""
    src, dst = make_store("PRI"), make_store("DR")
    src.configure(ReplicationConfig(True, "DR", "local:DR", lag=LAG))
    return src, dst


def test_put_writes_real_files_and_metadata_when_image_is_labeled(store: StorageStore, clock: Clock):
    image = store.put("ew1008", b"index", b"data" * 1000, key_manager_id="KM1", media_key_name="K-EW1008")
    assert image.object_name == "LBEW1008" and image.label == "EW1008"
    assert (store.objects_dir / "LBEW1008.IND").read_bytes() == b"index"
    assert (store.objects_dir / "LBEW1008.DAT").read_bytes() == b"data" * 1000
    assert image.checksum == hashlib.sha256(b"index" + b"data" * 1000).hexdigest()
    assert image.modified_time == clock.now() and image.path == store.path
    assert image.encrypted and image.key_manager_id == "KM1" and image.change_sequence == 1
    assert store.stat("EW1008") == image
    got, ind, dat = store.get("EW1008", verify_checksum=True)
    assert (got, ind, dat) == (image, b"index", b"data" * 1000)


def test_unlabeled_image_uses_nl_prefix_when_labeled_is_false(store: StorageStore):
    store.put("EW1008", b"i", b"d", labeled=False)
    assert (store.objects_dir / "NLEW1008.DAT").exists()
    assert store.stat("EW1008") is None and store.stat("EW1008", labeled=False) is not None


def test_get_streams_in_chunks_when_chunk_size_is_given(store: StorageStore):
    store.put("EW1", b"x" * 10, b"y" * 25)
    _, chunks = store.open_image("EW1", chunk_size=10, parts=[DAT])
    assert [(c.part, c.offset, len(c.data)) for c in chunks] == [(DAT, 0, 10), (DAT, 10, 10), (DAT, 20, 5)]


def test_put_stream_is_refused_and_leaves_nothing_when_chunks_are_out_of_order(store: StorageStore):
    bad = [Chunk(DAT, 0, b"d"), Chunk(IND, 0, b"i")]
    with pytest.raises(InvalidArgument, match="IND chunk came after DAT"):
        store.put_stream(VolumeImage("EW1"), bad)
    with pytest.raises(InvalidArgument, match="offset 5"):
        store.put_stream(VolumeImage("EW1"), [Chunk(IND, 5, b"i")])
    assert store.stat("EW1") is None and list(store.objects_dir.iterdir()) == []


def test_label_is_refused_when_it_is_not_one_to_six_letters_or_digits(store: StorageStore):
    for label in ("", "EW10089", "EW-1"):
        with pytest.raises(InvalidArgument, match="1 to 6 letters or digits"):
            store.put(label, b"i", b"d")


def test_list_matches_pattern_and_pages_when_many_images(store: StorageStore):
    for label in ("EW1", "EW2", "EW3", "XA1"):
        store.put(label, b"i", b"d")
    page, token, total = store.list_images("EW*", page_size=2)
    assert [i.label for i in page] == ["EW1", "EW2"] and total == 3
    page, token, _ = store.list_images("EW*", page_size=2, page_token=token)
    assert [i.label for i in page] == ["EW3"] and token == ""
    assert store.list_images("?A1")[2] == 1
    with pytest.raises(InvalidArgument, match="pattern"):
        store.list_images("EW%")


def test_delete_removes_files_and_reports_when_image_was_missing(store: StorageStore):
    store.put("EW1", b"i", b"d")
    assert store.delete("EW1") is True
    assert store.delete("EW1") is False
    assert not (store.objects_dir / "LBEW1.DAT").exists() and store.used_bytes() == 0
    with pytest.raises(NotFound, match="no image LBEW1"):
        store.get("EW1")


def test_put_fails_disk_full_when_capacity_is_exceeded(make_store: Callable[..., StorageStore]):
    store = make_store(capacity_bytes=100)
    store.put("EW1", b"", b"x" * 60)
    store.put("EW1", b"", b"x" * 90)  # a rewrite needs only its own room
    with pytest.raises(DiskFull, match="is full|does not fit") as err:
        store.put("EW2", b"", b"x" * 20)
    assert err.value.guardian_error == 43 and err.value.status == "RESOURCE_EXHAUSTED"
    assert store.stat("EW2") is None and store.status().used_bytes == 90


def test_disk_full_fault_fails_puts_until_count_is_used(store: StorageStore):
    fault = store.inject_fault(DISK_FULL, count=1)
    with pytest.raises(DiskFull, match=fault.id):
        store.put("EW1", b"i", b"d")
    store.put("EW1", b"i", b"d")
    assert store.faults() == []


def test_corrupt_fault_flips_stored_bytes_and_get_verify_fails_when_image_exists(store: StorageStore):
    store.put("EW1", b"i", b"data")
    fault = store.inject_fault(CORRUPT_OBJECT, "EW1")
    _, _, dat = store.get("EW1")  # without verification the damaged bytes come back
    assert dat != b"data" and len(dat) == 4
    with pytest.raises(DataLoss, match="LBEW1") as err:
        store.get("EW1", verify_checksum=True)
    assert err.value.status == "DATA_LOSS"
    assert store.clear_fault(fault.id) == 1 and store.faults() == []
    store.put("EW1", b"i", b"data")  # rewriting heals the image
    assert store.get("EW1", verify_checksum=True)[2] == b"data"


def test_drop_fault_loses_images_now_counting_each_one(store: StorageStore):
    for label in ("EW1", "EW2", "EW3"):
        store.put(label, b"i", b"d")
    store.inject_fault(DROP_OBJECT, count=2)
    assert [i.label for i in store.list_images()[0]] == ["EW3"]
    assert store.faults() == []  # both operations used


def test_clear_fault_is_refused_when_the_id_is_unknown(store: StorageStore):
    store.inject_fault(STOP_REPLICA)
    with pytest.raises(NotFound, match="F9"):
        store.clear_fault("F9")
    assert store.clear_fault() == 1


@pytest.mark.rule("R2")
def test_change_reaches_replica_only_after_lag(pair, clock: Clock):
    src, dst = pair
    src.put("EW1", b"i", b"d")
    clock.advance(by=LAG - timedelta(seconds=1))
    assert dst.stat("EW1") is None
    assert src.status().lag == LAG - timedelta(seconds=1) and src.status().backlog_objects == 1
    clock.advance(by=timedelta(seconds=1))
    copy = dst.stat("EW1")
    assert copy is not None and copy.replica and copy.source_storage_id == "PRI" and copy.path == dst.path
    assert dst.status().role == REPLICA and src.status().backlog_objects == 0


def test_replica_ignores_object_when_it_is_older_than_its_copy(pair):
    src, dst = pair
    src.put("EW1", b"i", b"new")
    src.sync(ignore_lag=True)
    old = VolumeImage("EW1", checksum=hashlib.sha256(b"iold").hexdigest())
    result = dst.replicate_in(SourceInfo("PRI"), [ReplicatedObject(old, source_sequence=0),
                                                   Chunk(IND, 0, b"i"), Chunk(DAT, 0, b"old")])
    assert (result.objects_applied, result.objects_ignored) == (0, 1)
    assert dst.get("EW1")[2] == b"new"


def test_replica_ignores_stale_object_when_it_would_not_fit(make_store, clock: Clock):
    src, dst = make_store("PRI"), make_store("DR", capacity_bytes=10)
    src.configure(ReplicationConfig(True, "DR", "local:DR"))
    src.put("EW1", b"i", b"new")
    clock.advance(by=timedelta(0))
    big = b"x" * 50  # an old copy larger than the replica: read and dropped, not refused DISK_FULL
    old = VolumeImage("EW1", checksum=hashlib.sha256(big).hexdigest())
    result = dst.replicate_in(SourceInfo("PRI"), [ReplicatedObject(old, source_sequence=0), Chunk(DAT, 0, big)])
    assert (result.objects_applied, result.objects_ignored, result.bytes) == (0, 1, 50)
    assert dst.get("EW1")[2] == b"new"


def test_replicate_in_fails_data_loss_when_checksum_does_not_match(store: StorageStore):
    header = ReplicatedObject(VolumeImage("EW1", checksum="0" * 64), source_sequence=1)
    with pytest.raises(DataLoss, match="LBEW1 from PRI arrived damaged"):
        store.replicate_in(SourceInfo("PRI"), [header, Chunk(DAT, 0, b"d")])
    assert store.stat("EW1") is None


def test_replicate_in_is_refused_when_store_is_itself_a_source(pair):
    src, _ = pair
    with pytest.raises(Conflict, match="itself a replication source"):
        src.replicate_in(SourceInfo("OTHER"), [])


def test_replicate_in_is_refused_when_replica_belongs_to_another_source(pair):
    _, dst = pair
    with pytest.raises(Conflict, match="replica of PRI, not of OTHER"):
        dst.replicate_in(SourceInfo("OTHER"), [])
    assert dst.config.peer_storage_id == "PRI"


def test_replicate_in_is_refused_when_a_chunk_comes_before_its_object(store: StorageStore):
    with pytest.raises(InvalidArgument, match="before its object header"):
        store.replicate_in(SourceInfo("PRI"), [Chunk(IND, 0, b"i")])


def test_stop_replica_fault_refuses_replicate_in_and_source_retries(pair, clock: Clock):
    src, dst = pair
    fault = dst.inject_fault(STOP_REPLICA)
    src.put("EW1", b"i", b"d")
    clock.advance(by=LAG)
    status = src.status()
    assert status.failures == 1 and "UNAVAILABLE" in status.last_error and status.backlog_objects == 1
    with pytest.raises(Unavailable):
        dst.replicate_in(SourceInfo("PRI"), [])
    dst.clear_fault(fault.id)
    clock.advance(by=timedelta(minutes=5))  # the default retry interval
    assert dst.stat("EW1") is not None and src.status().backlog_objects == 0


def test_autocopy_copies_on_read_write_dismount_only(make_store, clock: Clock):
    """domain-facts §7: "With Ring" dismounts are copied, "No Ring" ones are not."""
    src, dst = make_store("PRI"), make_store("DR")
    src.configure(ReplicationConfig(True, "DR", "local:DR", mode=AUTOCOPY))
    src.put("EW1", b"i", b"d")
    clock.advance(by=timedelta(hours=1))
    assert dst.stat("EW1") is None  # a put alone is not copied
    assert src.notify_dismount("EW1", access=READ_ONLY)[0] is False
    assert src.notify_dismount("EW1", access=READ_WRITE)[0] is True
    assert src.status().autocopy_pending == 1
    clock.advance(by=timedelta(0))
    assert dst.stat("EW1") is not None and src.status().autocopy_pending == 0


def test_reverse_swaps_roles_when_backlog_is_empty(pair, clock: Clock):
    src, dst = pair
    status, dropped = src.reverse()
    assert (status.role, dst.status().role, dropped) == (REPLICA, SOURCE, [])
    dst.put("EW9", b"i", b"d")
    clock.advance(by=LAG)
    assert src.stat("EW9").source_storage_id == "DR"


def test_reverse_is_refused_naming_backlog_unless_forced(pair, clock: Clock):
    src, dst = pair
    src.put("EW1", b"i", b"d")
    with pytest.raises(Conflict, match="LBEW1"):
        src.reverse()
    assert src.status().role == SOURCE
    _, dropped = dst.reverse(force=True)  # called on the replica: it asks the source
    assert dropped == ["EW1"] and dst.status().role == SOURCE
    clock.advance(by=LAG)
    assert dst.stat("EW1") is None


def test_reopened_store_keeps_images_config_backlog_and_rearms(pair, make_store, clock: Clock):
    src, dst = pair
    src.put("EW1", b"i", b"d")
    src.inject_fault(CORRUPT_OBJECT, "EW7")
    src.close()
    again = make_store("PRI")
    assert again.stat("EW1") is not None and again.status().backlog_objects == 1
    assert again.config.peer_storage_id == "DR" and [f.label for f in again.faults()] == ["EW7"]
    clock.advance(by=LAG)
    assert dst.stat("EW1") is not None


def test_dump_is_json_with_images_replication_and_faults(pair):
    src, _ = pair
    src.put("EW1", b"i", b"d")
    src.inject_fault(STOP_REPLICA)
    dump = json.loads(json.dumps(src.dump()))
    assert dump["images"][0]["checksum"] == hashlib.sha256(b"id").hexdigest()
    assert dump["replication"]["role"] == SOURCE and dump["replication"]["backlog_objects"] == 1
    assert dump["faults"][0]["kind"] == STOP_REPLICA


def test_reverse_keeps_source_and_backlog_when_peer_does_not_answer(pair):
    src, dst = pair
    src.put("EW1", b"i", b"d")
    src.connect_peer = lambda address: DownPeer()
    with pytest.raises(Unavailable, match="reverse failed, PRI stays the source"):
        src.reverse(force=True)
    assert src.status().role == SOURCE and src.status().backlog_objects == 1 and dst.status().role == REPLICA


@pytest.mark.rule("R55")
def test_replica_takes_over_alone_when_forced_and_source_is_unreachable(pair, clock: Clock):
    src, dst = pair
    reach = dst.connect_peer
    dst.connect_peer = lambda address: DownPeer()
    with pytest.raises(Unavailable):
        dst.reverse()
    status, dropped = dst.reverse(force=True)
    assert (status.role, status.config.peer_storage_id, dropped) == (SOURCE, "PRI", [])
    dst.connect_peer = reach  # PRI is back, still believing it is the source: two sources, shown, not merged
    dst.put("EW2", b"i", b"d")
    clock.advance(by=timedelta(0))
    status = dst.status()
    assert status.failures == 1 and status.backlog_objects == 1 and src.stat("EW2") is None
    assert "itself a replication source" in status.last_error


def test_dismount_schedules_no_copy_when_mode_is_continuous(pair):
    src, _ = pair
    src.put("EW1", b"i", b"d")
    scheduled, reason = src.notify_dismount("EW1", access=READ_WRITE)
    assert not scheduled and "does not AutoCopy" in reason and src.status().autocopy_pending == 0


def test_configure_disabled_stops_replicating_and_drops_backlog(pair, clock: Clock):
    src, dst = pair
    src.put("EW1", b"i", b"d")
    status = src.configure(ReplicationConfig(enabled=False))
    assert (status.role, status.backlog_objects) == ("", 0)
    src.put("EW2", b"i", b"d")
    clock.advance(by=LAG * 2)
    assert dst.stat("EW1") is None and dst.stat("EW2") is None and src.status().backlog_objects == 0


def test_replicate_existing_seeds_every_current_image_in_change_order(make_store, clock: Clock):
    src, dst = make_store("PRI"), make_store("DR")
    for label in ("EW2", "EW1"):
        src.put(label, b"i", label.encode())
    status = src.configure(ReplicationConfig(True, "DR", "local:DR", lag=LAG), replicate_existing=True)
    assert [b["object_name"] for b in src.backlog()] == ["LBEW2", "LBEW1"] and status.backlog_objects == 2
    clock.advance(by=LAG)
    assert dst.get("EW1")[2] == b"EW1" and dst.get("EW2")[2] == b"EW2"


def test_deletes_stay_on_replica_when_keep_deleted_is_set(make_store, clock: Clock):
    src, dst = make_store("PRI"), make_store("DR")
    src.configure(ReplicationConfig(True, "DR", "local:DR", keep_deleted_on_replica=True))
    src.put("EW1", b"i", b"d")
    clock.advance(by=timedelta(0))
    src.delete("EW1")
    clock.advance(by=LAG)
    assert src.stat("EW1") is None and dst.stat("EW1") is not None
