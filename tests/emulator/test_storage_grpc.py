"""The Storage service over real gRPC: two storages on 127.0.0.1:0 sharing a virtual clock — images, continuous
replication with lag, pause / resume, Sync, reverse, AutoCopy with its retries, every fault and its clearing,
and a source reopened with its backlog."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from grpc_health.v1 import health_pb2, health_pb2_grpc

from emulator import rpc
from emulator.clock import Clock
from emulator.servicers.storage import serve_storage
from emulator.storage import StorageStore
from emulator.v1 import common_pb2
from emulator.v1 import storage_pb2 as pb
from emulator.v1 import storage_pb2_grpc

T = rpc.DEFAULT_DEADLINE
LAG = timedelta(minutes=10)
FIVE_MINUTES = timedelta(minutes=5)


@dataclass
class Side:
    store: StorageStore
    server: rpc.Server
    stub: storage_pb2_grpc.StorageStub
    channel: grpc.Channel

    @property
    def address(self) -> str:
        return self.server.address


@pytest.fixture
def serve(tmp_path: Path, clock: Clock):
    """`serve("PRI")` → a served storage; everything is stopped and closed at the end."""
    sides: list[Side] = []

    def factory(storage_id: str, **kwargs) -> Side:
        store = StorageStore(storage_id, f"\\\\qs\\bbox\\{storage_id.lower()}", tmp_path / storage_id, clock,
                             **kwargs)
        server = serve_storage(store)
        channel = rpc.channel(server.address)
        side = Side(store, server, storage_pb2_grpc.StorageStub(channel), channel)
        sides.append(side)
        return side

    yield factory
    for side in sides:
        side.channel.close()
        side.server.stop(None)
        side.store.close()


@pytest.fixture
def pair(serve) -> tuple[Side, Side]:
    return serve("PRI"), serve("DR")


def _d(delta: timedelta) -> Duration:
    out = Duration()
    out.FromTimedelta(delta)
    return out


def _configure(src: Side, dst: Side, mode: int = pb.REPLICATION_MODE_CONTINUOUS, lag: timedelta = LAG,
               **kwargs) -> pb.ReplicationStatus:
    config = pb.ReplicationConfig(enabled=True, peer_storage_id=dst.store.storage_id,
                                  peer=common_pb2.Endpoint(service="emulator.v1.Storage", address=dst.address),
                                  peer_path=dst.store.path, mode=mode, lag=_d(lag), **kwargs)
    return src.stub.ConfigureReplication(pb.ConfigureReplicationRequest(config=config), timeout=T).status


def _put(side: Side, label: str, ind: bytes = b"index", dat: bytes = b"data", chunk: int = 64 * 1024
         ) -> pb.VolumeImage:
    def requests():
        yield pb.PutImageRequest(image=pb.VolumeImage(label=label, labeled=True, key_manager_id="KM1",
                                                      media_key_name=f"K-{label}"))
        for part, content in ((pb.IMAGE_PART_INDEX, ind), (pb.IMAGE_PART_DATA, dat)):
            for offset in range(0, len(content), chunk):
                yield pb.PutImageRequest(chunk=pb.ImageChunk(part=part, offset=offset,
                                                             data=content[offset:offset + chunk]))
    return side.stub.PutImage(requests(), timeout=T).image


def _get(side: Side, label: str, verify: bool = False) -> tuple[pb.VolumeImage, bytes, bytes]:
    replies = list(side.stub.GetImage(pb.GetImageRequest(label=label, labeled=True, verify_checksum=verify),
                                      timeout=T))
    content = {pb.IMAGE_PART_INDEX: b"", pb.IMAGE_PART_DATA: b""}
    for reply in replies[1:]:
        content[reply.chunk.part] += reply.chunk.data
    return replies[0].image, content[pb.IMAGE_PART_INDEX], content[pb.IMAGE_PART_DATA]


def _has(side: Side, label: str) -> bool:
    return side.stub.StatImage(pb.StatImageRequest(label=label, labeled=True), timeout=T).found


def _status(side: Side) -> pb.ReplicationStatus:
    return side.stub.GetReplicationStatus(pb.GetReplicationStatusRequest(), timeout=T).status


def _events(side: Side, kind: int | None = None) -> list[pb.ReplicationEvent]:
    events = side.stub.ListReplicationEvents(pb.ListReplicationEventsRequest(), timeout=T).events
    return [e for e in events if kind is None or e.kind == kind]


def _sync(side: Side, labels: tuple[str, ...] = (), timeout: timedelta = timedelta(0)) -> pb.SyncResponse:
    return side.stub.Sync(pb.SyncRequest(ignore_lag=True, labels=labels, timeout=_d(timeout)), timeout=T)


def _fault(side: Side, kind: int, label: str = "", count: int = 0) -> pb.StorageFault:
    return side.stub.InjectStorageFault(pb.InjectStorageFaultRequest(kind=kind, label=label, labeled=True,
                                                                     count=count), timeout=T).fault


def _clear(side: Side, fault_id: str = "") -> int:
    return side.stub.ClearStorageFault(pb.ClearStorageFaultRequest(fault_id=fault_id), timeout=T).cleared


def _failure(call, *args) -> tuple[grpc.StatusCode, str, int | None]:
    with pytest.raises(grpc.RpcError) as err:
        result = call(*args, timeout=T)
        if hasattr(result, "__next__"):
            list(result)
    return err.value.code(), err.value.details(), rpc.guardian_error(err.value)


def test_server_is_healthy_and_knows_its_own_endpoint(serve):
    side = serve("PRI")
    health = health_pb2_grpc.HealthStub(side.channel)
    reply = health.Check(health_pb2.HealthCheckRequest(service="emulator.v1.Storage"), timeout=T)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    assert side.store.self_endpoint == side.address


def test_put_and_get_round_trip_with_checksum_when_image_spans_chunks(serve, clock: Clock):
    side = serve("PRI")
    dat = bytes(range(256)) * 1000  # 256 KB: several 64 KB chunks each way
    image = _put(side, "EW1008", b"ind" * 100, dat)
    assert image.object_name == "LBEW1008" and image.path == side.store.path
    assert image.checksum == hashlib.sha256(b"ind" * 100 + dat).hexdigest()
    assert image.key_manager_id == "KM1" and image.encrypted
    assert image.modified_time.ToDatetime().replace(tzinfo=None) == clock.now().replace(tzinfo=None)
    got, ind, data = _get(side, "EW1008", verify=True)
    assert (got.checksum, ind, data) == (image.checksum, b"ind" * 100, dat)
    page = side.stub.ListImages(pb.ListImagesRequest(pattern="EW*"), timeout=T)
    assert [i.label for i in page.images] == ["EW1008"] and page.page.total == 1
    assert _failure(side.stub.GetImage, pb.GetImageRequest(label="EW9999", labeled=True))[0] == \
        grpc.StatusCode.NOT_FOUND


def test_get_image_streams_only_the_asked_parts_in_chunks_of_chunk_size(serve):
    side = serve("PRI")
    _put(side, "EW1", b"i" * 10, b"d" * 25)
    replies = list(side.stub.GetImage(pb.GetImageRequest(label="EW1", labeled=True, chunk_size=10,
                                                         parts=[pb.IMAGE_PART_DATA]), timeout=T))
    assert replies[0].image.data_bytes == 25
    assert [(r.chunk.part, r.chunk.offset, len(r.chunk.data)) for r in replies[1:]] == [
        (pb.IMAGE_PART_DATA, 0, 10), (pb.IMAGE_PART_DATA, 10, 10), (pb.IMAGE_PART_DATA, 20, 5)]
    code, details, _ = _failure(side.stub.GetImage, pb.GetImageRequest(label="EW1", labeled=True, parts=[7]))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "IND and/or DAT" in details


def test_list_images_pages_with_the_returned_token(serve):
    side = serve("PRI")
    for label in ("EW1", "EW2", "EW3"):
        _put(side, label)
    first = side.stub.ListImages(pb.ListImagesRequest(pattern="EW*", page=common_pb2.PageRequest(page_size=2)),
                                 timeout=T)
    assert [i.label for i in first.images] == ["EW1", "EW2"] and first.page.total == 3
    rest = side.stub.ListImages(pb.ListImagesRequest(pattern="EW*", page=common_pb2.PageRequest(
        page_size=2, page_token=first.page.next_page_token)), timeout=T)
    assert [i.label for i in rest.images] == ["EW3"] and rest.page.next_page_token == ""


def test_put_image_is_refused_when_the_first_message_has_no_image(serve):
    side = serve("PRI")
    chunk_only = iter([pb.PutImageRequest(chunk=pb.ImageChunk(part=pb.IMAGE_PART_DATA, data=b"d"))])
    code, details, _ = _failure(lambda reqs, timeout: side.stub.PutImage(reqs, timeout=timeout), chunk_only)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "first message" in details
    assert side.store.list_images()[2] == 0


def test_unknown_enum_values_are_refused_as_invalid_argument(serve):
    side = serve("PRI")
    code, details, _ = _failure(side.stub.InjectStorageFault, pb.InjectStorageFaultRequest(kind=99))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "storage.proto" in details
    code, details, _ = _failure(side.stub.InjectStorageFault, pb.InjectStorageFaultRequest())
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "DROP_OBJECT" in details


@pytest.mark.rule("R2")
@pytest.mark.rule("R57")
def test_image_reaches_replica_path_only_after_lag(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    assert _status(dst).role == pb.REPLICATION_ROLE_REPLICA  # introduced at configure
    image = _put(src, "EW1")
    clock.advance(by=LAG - timedelta(seconds=1))
    assert not _has(dst, "EW1")
    assert _status(src).lag.ToTimedelta() == LAG - timedelta(seconds=1)
    clock.advance(by=timedelta(seconds=1))
    copy, ind, dat = _get(dst, "EW1", verify=True)
    assert (copy.replica, copy.source_storage_id, copy.path) == (True, "PRI", dst.store.path)
    assert _status(src).config.peer_path == dst.store.path and _status(dst).config.peer_path == src.store.path
    assert (copy.checksum, ind, dat) == (image.checksum, b"index", b"data")
    status = _status(src)
    assert (status.backlog_objects, status.replicated_objects, status.last_replicated_label) == (0, 1, "EW1")
    assert [e.label for e in _events(dst, pb.REPLICATION_EVENT_KIND_RECEIVED)] == ["EW1"]


def test_delete_replicates_after_lag(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    clock.advance(by=LAG)
    assert src.stub.DeleteImage(pb.DeleteImageRequest(label="EW1", labeled=True), timeout=T).deleted
    assert _has(dst, "EW1")
    clock.advance(by=LAG)
    assert not _has(dst, "EW1")
    assert len(_events(src, pb.REPLICATION_EVENT_KIND_DELETE_REPLICATED)) == 1


def test_paused_replication_holds_backlog_until_resumed(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    assert src.stub.PauseReplication(pb.PauseReplicationRequest(), timeout=T).status.paused
    _put(src, "EW1")
    clock.advance(by=LAG * 3)
    status = _status(src)
    assert not _has(dst, "EW1") and status.backlog_objects == 1 and status.lag.ToTimedelta() == LAG * 3
    assert not src.stub.ResumeReplication(pb.ResumeReplicationRequest(), timeout=T).status.paused
    clock.advance(by=timedelta(0))  # overdue changes go at the next step
    assert _has(dst, "EW1")
    kinds = [e.kind for e in _events(src)]
    assert kinds == [pb.REPLICATION_EVENT_KIND_PAUSED, pb.REPLICATION_EVENT_KIND_RESUMED,
                     pb.REPLICATION_EVENT_KIND_REPLICATED]


@pytest.mark.rule("R55")
def test_sync_ignoring_lag_ships_only_the_named_labels(pair):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    _put(src, "EW2")
    reply = _sync(src, labels=("EW1",))
    assert reply.caught_up and _has(dst, "EW1") and not _has(dst, "EW2")
    assert reply.status.backlog_objects == 1
    assert _sync(src).caught_up and _has(dst, "EW2")


def test_sync_waits_on_wall_clock_for_backlog_to_drain(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    at_once = src.stub.Sync(pb.SyncRequest(), timeout=T)  # timeout 0: the state now, nothing shipped
    assert not at_once.caught_up and at_once.status.backlog_objects == 1
    pending = src.stub.Sync.future(pb.SyncRequest(timeout=_d(timedelta(seconds=20))), timeout=T)
    clock.advance(by=LAG)  # the timer ships; the waiting Sync sees the backlog empty
    assert pending.result().caught_up and _has(dst, "EW1")


def test_sync_on_a_replica_is_caught_up_and_on_an_unconfigured_storage_refused(pair):
    src, dst = pair
    assert _failure(src.stub.Sync, pb.SyncRequest())[0] == grpc.StatusCode.FAILED_PRECONDITION
    _configure(src, dst)
    assert _sync(dst).caught_up


def test_disabled_replication_forgets_its_peer_and_backlog(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    off = pb.ConfigureReplicationRequest(config=pb.ReplicationConfig(enabled=False))
    status = src.stub.ConfigureReplication(off, timeout=T).status
    assert (status.role, status.backlog_objects, status.config.peer_storage_id) == (
        pb.REPLICATION_ROLE_UNSPECIFIED, 0, "")
    clock.advance(by=LAG)
    assert not _has(dst, "EW1")


def test_replicate_existing_ships_images_written_before_configure(pair, clock: Clock):
    src, dst = pair
    _put(src, "EW1")
    _put(src, "EW2")
    config = pb.ReplicationConfig(enabled=True, peer_storage_id="DR", peer_path=dst.store.path,
                                  peer=common_pb2.Endpoint(service="emulator.v1.Storage", address=dst.address),
                                  mode=pb.REPLICATION_MODE_CONTINUOUS, lag=_d(LAG))
    status = src.stub.ConfigureReplication(pb.ConfigureReplicationRequest(config=config, replicate_existing=True),
                                           timeout=T).status
    assert status.backlog_objects == 2
    clock.advance(by=LAG)
    assert _has(dst, "EW1") and _has(dst, "EW2") and _status(src).replicated_objects == 2


def test_events_page_after_a_sequence_with_a_limit(pair):
    src, dst = pair
    _configure(src, dst)
    for label in ("EW1", "EW2", "EW3"):
        _put(src, label)
        _sync(src)
    first = src.stub.ListReplicationEvents(pb.ListReplicationEventsRequest(limit=2), timeout=T)
    assert [e.label for e in first.events] == ["EW1", "EW2"] and first.last_sequence == first.events[-1].sequence
    rest = src.stub.ListReplicationEvents(pb.ListReplicationEventsRequest(after_sequence=first.last_sequence),
                                          timeout=T)
    assert [e.label for e in rest.events] == ["EW3"]


@pytest.mark.rule("R55")
def test_reverse_swaps_roles_when_backlog_is_empty(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    clock.advance(by=LAG)
    reply = src.stub.ReverseReplication(pb.ReverseReplicationRequest(), timeout=T)
    assert reply.status.role == pb.REPLICATION_ROLE_REPLICA and list(reply.dropped_labels) == []
    new_source = _status(dst)
    assert new_source.role == pb.REPLICATION_ROLE_SOURCE and new_source.config.peer.address == src.address
    _put(dst, "EW2")
    clock.advance(by=LAG)
    assert _get(src, "EW2")[0].source_storage_id == "DR"
    # and back again, this time asked on the replica (it forwards to its source)
    dst_reply = src.stub.ReverseReplication(pb.ReverseReplicationRequest(), timeout=T)
    assert dst_reply.status.role == pb.REPLICATION_ROLE_SOURCE and _status(dst).role == pb.REPLICATION_ROLE_REPLICA


@pytest.mark.rule("R55")
def test_replica_takes_over_only_when_forced_while_its_source_is_down(pair):
    src, dst = pair
    _configure(src, dst)
    src.server.stop(None)
    code, details, _ = _failure(dst.stub.ReverseReplication, pb.ReverseReplicationRequest())
    assert code == grpc.StatusCode.UNAVAILABLE and "reverse with force" in details
    assert _status(dst).role == pb.REPLICATION_ROLE_REPLICA
    reply = dst.stub.ReverseReplication(pb.ReverseReplicationRequest(force=True), timeout=T)
    assert reply.status.role == pb.REPLICATION_ROLE_SOURCE and reply.status.config.peer_storage_id == "PRI"
    assert [e.kind for e in _events(dst, pb.REPLICATION_EVENT_KIND_REVERSED)] == [pb.REPLICATION_EVENT_KIND_REVERSED]


@pytest.mark.rule("R55")
def test_reverse_is_refused_naming_backlog_unless_forced(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    code, details, _ = _failure(src.stub.ReverseReplication, pb.ReverseReplicationRequest())
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "LBEW1" in details and "force" in details
    assert _status(src).role == pb.REPLICATION_ROLE_SOURCE
    reply = src.stub.ReverseReplication(pb.ReverseReplicationRequest(force=True), timeout=T)
    assert list(reply.dropped_labels) == ["EW1"] and reply.status.backlog_objects == 0
    clock.advance(by=LAG * 2)
    assert not _has(dst, "EW1") and _status(dst).role == pb.REPLICATION_ROLE_SOURCE


def _autocopy(src: Side, dst: Side) -> None:
    _configure(src, dst, mode=pb.REPLICATION_MODE_AUTOCOPY, lag=timedelta(0))


def _dismount(side: Side, label: str, access: int) -> pb.NotifyDismountResponse:
    return side.stub.NotifyDismount(pb.NotifyDismountRequest(label=label, labeled=True, access=access,
                                                             vtc_id="VTC1", drive_id="D1"), timeout=T)


def test_autocopy_copies_read_write_dismount_and_skips_read_only(pair, clock: Clock):
    """domain-facts §7: a "With Ring" dismount is copied, a "No Ring" one is not."""
    src, dst = pair
    _autocopy(src, dst)
    _put(src, "EW1")
    _put(src, "EW2")
    clock.advance(by=timedelta(hours=1))
    assert not _has(dst, "EW1")  # puts are not shipped by themselves
    assert _dismount(src, "EW1", pb.DISMOUNT_ACCESS_READ_WRITE).copy_scheduled
    skipped = _dismount(src, "EW2", pb.DISMOUNT_ACCESS_READ_ONLY)
    assert not skipped.copy_scheduled and "read-only" in skipped.reason
    clock.advance(by=timedelta(0))
    assert _has(dst, "EW1") and not _has(dst, "EW2")
    assert [e.label for e in _events(src, pb.REPLICATION_EVENT_KIND_SKIPPED_READ_ONLY)] == ["EW2"]


def test_autocopy_retries_every_five_minutes_and_gives_up_after_twelve(pair, clock: Clock):
    """domain-facts §7: retry every 5 minutes, 12 attempts, then a failure message."""
    src, dst = pair
    _autocopy(src, dst)
    _fault(dst, pb.STORAGE_FAULT_KIND_STOP_REPLICA)
    _put(src, "EW1")
    start = clock.now()
    _dismount(src, "EW1", pb.DISMOUNT_ACCESS_READ_WRITE)
    clock.advance(by=timedelta(hours=2))
    failed = _events(src, pb.REPLICATION_EVENT_KIND_ATTEMPT_FAILED)
    gave_up = _events(src, pb.REPLICATION_EVENT_KIND_GAVE_UP)
    assert [e.attempt for e in failed] == list(range(1, 12))
    assert [e.time.ToDatetime() - start.replace(tzinfo=None) for e in failed] == [FIVE_MINUTES * i
                                                                                for i in range(11)]
    assert len(gave_up) == 1 and gave_up[0].attempt == 12 and "LBEW1" in gave_up[0].message
    assert gave_up[0].time.ToDatetime() - start.replace(tzinfo=None) == FIVE_MINUTES * 11
    status = _status(src)
    assert (status.failures, status.autocopy_pending) == (12, 0) and "UNAVAILABLE" in status.last_error
    assert not _has(dst, "EW1")


def test_autocopy_uses_the_configured_retry_interval_and_attempts(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst, mode=pb.REPLICATION_MODE_AUTOCOPY, lag=timedelta(0), retry_interval=_d(timedelta(minutes=1)),
               max_attempts=3)
    _fault(dst, pb.STORAGE_FAULT_KIND_STOP_REPLICA)
    _put(src, "EW1")
    start = clock.now().replace(tzinfo=None)
    _dismount(src, "EW1", pb.DISMOUNT_ACCESS_READ_WRITE)
    clock.advance(by=timedelta(minutes=10))
    assert [e.attempt for e in _events(src, pb.REPLICATION_EVENT_KIND_ATTEMPT_FAILED)] == [1, 2]
    gave_up = _events(src, pb.REPLICATION_EVENT_KIND_GAVE_UP)
    assert [(e.attempt, e.time.ToDatetime() - start) for e in gave_up] == [(3, timedelta(minutes=2))]


def test_dismount_schedules_no_copy_when_replication_is_continuous(pair):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    reply = _dismount(src, "EW1", pb.DISMOUNT_ACCESS_READ_WRITE)
    assert not reply.copy_scheduled and "does not AutoCopy" in reply.reason


def test_autocopy_succeeds_when_replica_returns_before_the_last_attempt(pair, clock: Clock):
    src, dst = pair
    _autocopy(src, dst)
    fault = _fault(dst, pb.STORAGE_FAULT_KIND_STOP_REPLICA)
    _put(src, "EW1")
    _dismount(src, "EW1", pb.DISMOUNT_ACCESS_READ_WRITE)
    clock.advance(by=FIVE_MINUTES * 2)  # attempts 1, 2, 3
    assert _status(src).autocopy_pending == 1
    assert _clear(dst, fault.id) == 1
    clock.advance(by=FIVE_MINUTES)
    assert _has(dst, "EW1") and _status(src).autocopy_pending == 0
    assert [e.attempt for e in _events(src, pb.REPLICATION_EVENT_KIND_REPLICATED)] == [4]


def test_drop_fault_loses_image_now_and_discards_copies_until_cleared(pair):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW9")
    _fault(src, pb.STORAGE_FAULT_KIND_DROP_OBJECT, "EW9")
    assert not _has(src, "EW9")  # lost here at once
    fault = _fault(dst, pb.STORAGE_FAULT_KIND_DROP_OBJECT, "EW1")
    _put(src, "EW1")
    _put(src, "EW2")
    assert _sync(src).caught_up  # the source believes it is there
    assert not _has(dst, "EW1") and _has(dst, "EW2")
    assert _clear(dst, fault.id) == 1
    _put(src, "EW1", dat=b"again")
    _sync(src)
    assert _get(dst, "EW1", verify=True)[2] == b"again"


def test_corrupt_fault_fails_verified_reads_and_damages_arriving_copies(pair):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    _fault(src, pb.STORAGE_FAULT_KIND_CORRUPT_OBJECT, "EW1")
    code, details, _ = _failure(src.stub.GetImage, pb.GetImageRequest(label="EW1", labeled=True,
                                                                       verify_checksum=True))
    assert code == grpc.StatusCode.DATA_LOSS and "LBEW1" in details
    fault = _fault(dst, pb.STORAGE_FAULT_KIND_CORRUPT_OBJECT, "EW2")
    _put(src, "EW2")
    assert _sync(src).caught_up  # the damaged EW1 is held back, EW2 goes
    assert not _has(dst, "EW1") and "DATA_LOSS: LBEW1 is damaged" in _status(src).last_error
    assert _failure(dst.stub.GetImage, pb.GetImageRequest(label="EW2", labeled=True,
                                                          verify_checksum=True))[0] == grpc.StatusCode.DATA_LOSS
    assert _clear(dst, fault.id) == 1
    _put(src, "EW2")
    _sync(src)
    assert _get(dst, "EW2", verify=True)[2] == b"data"


def test_stop_replica_fault_grows_source_backlog_until_cleared(pair, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    fault = _fault(dst, pb.STORAGE_FAULT_KIND_STOP_REPLICA)
    assert _failure(dst.stub.ReplicateIn, iter([pb.ReplicateInRequest(source_storage_id="PRI")]))[0] == \
        grpc.StatusCode.UNAVAILABLE
    _put(src, "EW1")
    clock.advance(by=LAG)
    _put(src, "EW2")
    status = _status(src)
    assert (status.backlog_objects, status.failures) == (2, 1) and "UNAVAILABLE" in status.last_error
    assert [f.id for f in _status(dst).active_faults] == [fault.id]
    assert _clear(dst) == 1
    clock.advance(by=LAG)  # the retry (5 min) and EW2's lag
    assert _has(dst, "EW1") and _has(dst, "EW2") and _status(src).backlog_objects == 0


def test_disk_full_fault_fails_puts_and_replicate_ins_with_guardian_error_43(pair):
    src, dst = pair
    _configure(src, dst)
    fault = _fault(src, pb.STORAGE_FAULT_KIND_DISK_FULL)
    code, details, guardian = _failure(lambda reqs, timeout: src.stub.PutImage(reqs, timeout=timeout),
                                       iter([pb.PutImageRequest(image=pb.VolumeImage(label="EW1", labeled=True))]))
    assert (code, guardian) == (grpc.StatusCode.RESOURCE_EXHAUSTED, 43) and fault.id in details
    assert _clear(src, fault.id) == 1
    _fault(dst, pb.STORAGE_FAULT_KIND_DISK_FULL, count=1)
    _put(src, "EW1")
    assert not _sync(src).caught_up
    assert "RESOURCE_EXHAUSTED" in _status(src).last_error and not _has(dst, "EW1")
    assert _sync(src).caught_up and _has(dst, "EW1")  # the count was one operation


def test_reopened_source_keeps_images_and_backlog_and_ships_them(pair, serve, clock: Clock):
    src, dst = pair
    _configure(src, dst)
    _put(src, "EW1")
    src.server.stop(None)
    src.store.close()
    again = serve("PRI")
    assert _has(again, "EW1") and _status(again).backlog_objects == 1
    assert _status(again).config.peer_storage_id == "DR"
    clock.advance(by=LAG)
    assert _has(dst, "EW1")
