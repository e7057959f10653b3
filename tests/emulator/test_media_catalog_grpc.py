"""The MediaCatalog service over real gRPC: round trips, errors with their MEDIACOM numbers, label checks across
the SSL through another node's service, ApplyBatch as one transaction (commit, client cancel, node crash),
the DISKFILE and volume-entry streams, expiration and the MEDIACOM console."""

from __future__ import annotations

import threading
from datetime import timedelta

import grpc
import pytest

from emulator import rpc
from emulator.faults import CRASH_NODE, DELAY, FaultPoint
from emulator.serve import serve_node
from emulator.v1 import media_catalog_pb2 as pb
from emulator.v1 import media_catalog_pb2_grpc
from tests.emulator.waiting import until

T = rpc.DEFAULT_DEADLINE
VC, FC = "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT"
FID = "E501NEW-OBK11-WIN1"


_until = until


def _failure(call, *args, **kwargs) -> tuple[grpc.StatusCode, dict, str]:
    with pytest.raises(grpc.RpcError) as err:
        result = call(*args, timeout=T, **kwargs)
        if hasattr(result, "__next__"):
            list(result)
    return err.value.code(), dict(err.value.trailing_metadata() or ()), err.value.details()


def _setup(stub, node="\\INSIDX") -> None:
    stub.CreateCatalog(pb.CreateCatalogRequest(catalog=pb.Catalog(name="QCVOLCAT", kind=pb.CATALOG_KIND_VOLCAT)),
                       timeout=T)
    stub.CreateCatalog(pb.CreateCatalogRequest(catalog=pb.Catalog(name="QCFILCAT", node=node,
                                                                  kind=pb.CATALOG_KIND_FILECAT)), timeout=T)
    stub.AddPool(pb.AddPoolRequest(pool=pb.Pool(volcat="QCVOLCAT", name="BKPOOL", label=pb.LABEL_TYPE_ANSI,
                                                media_type="LTO3", autoscratch=True, searchspace_in=True)), timeout=T)


def _add_volume(stub, volser, **kw):
    return stub.AddTapeVolume(pb.AddTapeVolumeRequest(volume=pb.TapeVolume(volser=volser, volcat="QCVOLCAT",
                                                                           pool="BKPOOL", **kw)), timeout=T).volume


@pytest.fixture
def mc(node_server):
    node, address = node_server
    channel = rpc.channel(address)
    stub = media_catalog_pb2_grpc.MediaCatalogStub(channel)
    _setup(stub)
    yield node, stub
    channel.close()


@pytest.fixture
def peer(make_node):
    """\\ETINIUM served on its own port, with QCVOLCAT/BKPOOL; yields (node, stub, address)."""
    other = make_node("\\ETINIUM", number=13)
    server = serve_node(other)
    channel = rpc.channel(server.address)
    stub = media_catalog_pb2_grpc.MediaCatalogStub(channel)
    _setup(stub, "\\ETINIUM")
    try:
        yield other, stub, server.address
    finally:
        channel.close()
        server.stop(None)


# -- round trips ---------------------------------------------------------------------------------------------
def test_catalogs_pools_and_volumes_round_trip_when_created(mc):
    node, stub = mc
    kinds = [(c.name, c.kind, c.node) for c in stub.ListCatalogs(pb.ListCatalogsRequest(), timeout=T).catalogs]
    assert kinds == [("QCVOLCAT", pb.CATALOG_KIND_VOLCAT, "\\INSIDX"),
                     ("QCFILCAT", pb.CATALOG_KIND_FILECAT, "\\INSIDX")]
    volume = _add_volume(stub, "x00030")
    assert (volume.volser, volume.volcat, volume.status, volume.media_type, volume.label) == \
        ("X00030", VC, pb.VOLUME_STATUS_SCRATCH, "LTO3", pb.LABEL_TYPE_ANSI)
    for i in range(1, 5):
        _add_volume(stub, f"X0003{i}")
    page = stub.ListTapeVolumes(pb.ListTapeVolumesRequest(pattern="X*", page={"page_size": 2, "page_token": "2"}),
                                timeout=T)
    assert [v.volser for v in page.volumes] == ["X00032", "X00033"]
    assert (page.page.next_page_token, page.page.total) == ("4", 5)
    pool = stub.AlterPool(pb.AlterPoolRequest(pool=pb.Pool(volcat=VC, name="BKPOOL", autoscratch=False),
                                              field_mask=["autoscratch"]), timeout=T).pool
    assert (pool.autoscratch, pool.media_type) == (False, "LTO3")


def test_tape_files_generations_and_status_round_trip_when_cataloged(mc):
    node, stub = mc
    _add_volume(stub, "X00030")
    _add_volume(stub, "X00031")
    f = stub.AddTapeFile(pb.AddTapeFileRequest(file=pb.TapeFile(
        filecat="QCFILCAT", file_id=FID, volcat="QCVOLCAT", mode=pb.TAPE_FILE_MODE_BKFI,
        volumes=[pb.TapeFileVolume(volser="X00030"), pb.TapeFileVolume(volser="X00031")])), timeout=T).file
    assert (f.generation, f.status, f.volset_id, [v.vol_index for v in f.volumes]) == \
        (1, pb.TAPE_FILE_STATUS_VALID, "X00030", [1, 2])
    assert f.HasField("expiration_time") and f.mode == pb.TAPE_FILE_MODE_BKFI
    assert stub.NextGeneration(pb.NextGenerationRequest(filecat=FC, file_id=FID), timeout=T).generation == 2
    got = stub.GetTapeFile(pb.GetTapeFileRequest(key=pb.TapeFileKey(filecat=FC, file_id=FID, version=-1)), timeout=T)
    assert got.file.generation == 1
    volume = stub.GetTapeVolume(pb.GetTapeVolumeRequest(volser="X00031"), timeout=T)
    assert volume.volume.status == pb.VOLUME_STATUS_ASSIGNED and [x.file_id for x in volume.files] == [FID]
    altered = stub.AlterTapeFile(pb.AlterTapeFileRequest(key=pb.TapeFileKey(filecat=FC, file_id=FID),
                                                         permanent=True), timeout=T).files
    assert altered[0].permanent and not altered[0].HasField("expiration_time")
    gone = stub.DeleteTapeFile(pb.DeleteTapeFileRequest(key=pb.TapeFileKey(filecat=FC, file_id=FID)), timeout=T)
    assert [v.status for v in gone.volumes] == [pb.VOLUME_STATUS_SCRATCH] * 2
    listed = stub.ListTapeFiles(pb.ListTapeFilesRequest(volser="X00030", status=pb.TAPE_FILE_STATUS_INVALID),
                                timeout=T)
    assert [x.file_id for x in listed.files] == [FID] and listed.page.total == 1


# -- errors --------------------------------------------------------------------------------------------------
def test_errors_carry_status_and_mediacom_number_when_refused(mc):
    node, stub = mc
    code, trailers, details = _failure(stub.GetTapeVolume, pb.GetTapeVolumeRequest(volser="NOSUCH"))
    assert code == grpc.StatusCode.NOT_FOUND and trailers[rpc.MEDIACOM_ERROR_KEY] == "5030"
    code, trailers, details = _failure(stub.AddTapeVolume, pb.AddTapeVolumeRequest(
        volume=pb.TapeVolume(volser="ABCDEFG", volcat=VC, pool="BKPOOL")))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "at most 6 fit" in details
    code, trailers, details = _failure(stub.ListPools, pb.ListPoolsRequest(volcat="\\ETINIUM.SHCH409VC"))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "\\ETINIUM's MediaCatalog" in details
    code, trailers, _ = _failure(stub.AlterMediaDefs, pb.AlterMediaDefsRequest(
        media_defs=pb.MediaDefs(ssl=["\\INSIDX"]), field_mask=["ssl"], user="OPS.JOHN"))
    assert code == grpc.StatusCode.PERMISSION_DENIED and trailers[rpc.GUARDIAN_ERROR_KEY] == "48"


@pytest.mark.parametrize("request_, text", [
    (pb.AddTapeFileRequest(file=pb.TapeFile(filecat=FC, file_id="F" * 61, volcat=VC,
                                            volumes=[pb.TapeFileVolume(volser="X00030")])), "at most 60"),
    (pb.AddTapeFileRequest(file=pb.TapeFile(filecat=FC, file_id=FID, volcat=VC, comment="c" * 81,
                                            volumes=[pb.TapeFileVolume(volser="X00030")])), "at most 80"),
    (pb.AddPoolRequest(pool=pb.Pool(volcat=VC, name="P" * 31)), "at most 30"),
])
def test_oversized_fields_refused_and_nothing_changes_when_sent(mc, request_, text):
    node, stub = mc
    _add_volume(stub, "X00030")
    before = node.catalog.dump()
    method = stub.AddTapeFile if isinstance(request_, pb.AddTapeFileRequest) else stub.AddPool
    code, trailers, details = _failure(method, request_)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and text in details and trailers[rpc.MEDIACOM_ERROR_KEY] == "5003"
    assert node.catalog.dump() == before


# -- the SSL (R3, R13) ---------------------------------------------------------------------------------------
@pytest.mark.rule("R3")
@pytest.mark.rule("R13")
def test_label_found_on_an_ssl_node_blocks_the_add_when_in_its_search_space(mc, peer):
    node, stub = mc
    other, other_stub, address = peer
    node.set_route("\\ETINIUM", address)
    stub.AlterMediaDefs(pb.AlterMediaDefsRequest(media_defs=pb.MediaDefs(ssl=["\\INSIDX", "\\ETINIUM"]),
                                                 field_mask=["ssl"], user="SUPER.SUPER"), timeout=T)
    _add_volume(other_stub, "EW0001")
    found = stub.CheckLabel(pb.CheckLabelRequest(volser="EW0001"), timeout=T)
    assert [(x.node, x.volcat, x.in_search_space) for x in found.locations] == \
        [("\\ETINIUM", "\\ETINIUM.QCVOLCAT", True)]
    assert stub.CheckLabel(pb.CheckLabelRequest(volser="EW0001", local_only=True), timeout=T).locations == []
    code, trailers, details = _failure(stub.AddTapeVolume, pb.AddTapeVolumeRequest(
        volume=pb.TapeVolume(volser="EW0001", volcat=VC, pool="BKPOOL")))
    assert code == grpc.StatusCode.ALREADY_EXISTS and details.startswith("**ERROR-5031** TAPEVOLUME EW0001")
    assert trailers[rpc.MEDIACOM_ERROR_KEY] == "5031"
    result = stub.Mediacom(pb.MediacomRequest(text="ADD TAPEVOLUME EW0001, POOL BKPOOL"), timeout=T)
    assert (result.ok, result.error_code) == (False, 5031)
    stub.AddPool(pb.AddPoolRequest(pool=pb.Pool(volcat=VC, name="EXPOOL", searchspace_in=False)), timeout=T)
    stub.AddTapeVolume(pb.AddTapeVolumeRequest(volume=pb.TapeVolume(volser="EW0001", volcat=VC, pool="EXPOOL")),
                       timeout=T)  # R13: a pool out of the search space takes it


@pytest.mark.rule("R3")
def test_ssl_node_reported_unreachable_when_its_link_is_down(mc, peer):
    node, stub = mc
    other, other_stub, address = peer
    node.set_route("\\ETINIUM", address)
    stub.AlterMediaDefs(pb.AlterMediaDefsRequest(media_defs=pb.MediaDefs(ssl=["\\INSIDX", "\\ETINIUM.QCVOLCAT",
                                                                              "\\NOROUTE"]),
                                                 field_mask=["ssl"]), timeout=T)
    other.crash()
    try:
        found = stub.CheckLabel(pb.CheckLabelRequest(volser="EW0001"), timeout=T)
        assert sorted(found.unreachable_nodes) == ["\\ETINIUM", "\\NOROUTE"]
        assert _add_volume(stub, "EW0001").volser == "EW0001"  # uniqueness there unproven: the add goes on
    finally:
        other.restart()


# -- ApplyBatch ----------------------------------------------------------------------------------------------
def _ops(volser="V00001", n_disk=10, start=0, file_id=FID):
    ops = [pb.CatalogOp(upsert_tape_volume=pb.TapeVolume(volser=volser, volcat=VC, pool="BKPOOL",
                                                         status=pb.VOLUME_STATUS_ASSIGNED, volset_id=volser,
                                                         vol_index=1)),
           pb.CatalogOp(upsert_tape_file=pb.TapeFile(filecat=FC, file_id=file_id, generation=5, volcat=VC,
                                                     pool="BKPOOL", volset_id=volser, status=pb.TAPE_FILE_STATUS_VALID,
                                                     volumes=[pb.TapeFileVolume(volser=volser, vol_index=1)]))]
    for i in range(start, start + n_disk):
        ops.append(pb.CatalogOp(upsert_disk_file=pb.DiskFile(
            filecat=FC, disk_file_name=f"\\INSIDX.$DATA01.SALES.F{i:07d}", file_id=file_id, generation=5,
            status=pb.DISK_FILE_STATUS_VALID, volset_id=volser, vol_index=1, time_dumped={"seconds": 1758657600})))
    return ops


@pytest.mark.rule("R40")
def test_apply_batch_commits_every_chunk_in_one_transaction_when_half_closed(mc):
    node, stub = mc
    requests = [pb.ApplyBatchRequest(options=pb.BatchOptions(label="import VEW1008"), ops=_ops(n_disk=1000)),
                pb.ApplyBatchRequest(ops=_ops(n_disk=1000, start=1000)[2:]),
                pb.ApplyBatchRequest(ops=[pb.CatalogOp(delete_disk_file=pb.DiskFile(
                    filecat=FC, disk_file_name="\\INSIDX.$DATA01.SALES.F0000000", file_id=FID, generation=5))])]
    result = stub.ApplyBatch(iter(requests), timeout=T)
    assert (result.ops, result.tape_volumes.added, result.tape_files.added) == (2003, 1, 1)
    assert (result.disk_files.added, result.disk_files.deleted) == (2000, 1)
    assert result.transaction_id > 0
    again = stub.ApplyBatch(iter([pb.ApplyBatchRequest(ops=_ops(n_disk=5, start=1))]), timeout=T)
    assert (again.tape_volumes.unchanged, again.tape_files.unchanged, again.disk_files.unchanged) == (1, 1, 5)
    chunks = list(stub.ListDiskFiles(pb.ListDiskFilesRequest(filecat=FC, chunk_size=700), timeout=T))
    assert [len(c.files) for c in chunks] == [700, 700, 599]
    assert chunks[0].files[0].time_dumped.seconds == 1758657600


@pytest.mark.rule("R40")
@pytest.mark.rule("R15")
def test_apply_batch_commit_units_and_rejections_travel_over_grpc(mc):
    node, stub = mc
    bad = _ops("V00002", n_disk=1, file_id="OTHER-FILE")
    bad[2].upsert_disk_file.disk_file_name = "\\NOWHERE.$DATA01.SALES.F0000001"
    requests = [pb.ApplyBatchRequest(options=pb.BatchOptions(label="import", reject_units=True), ops=_ops(n_disk=3),
                                     commit=True, unit="V00001 TAPEVOLUME", unit_group="V00001"),
                pb.ApplyBatchRequest(ops=bad, commit=True, unit="V00002 TAPEVOLUME", unit_group="V00002"),
                pb.ApplyBatchRequest(ops=_ops("V00002", n_disk=0, file_id="OTHER-FILE")[1:], commit=True,
                                     unit="V00002 TAPEFILE 2", unit_group="V00002")]
    result = stub.ApplyBatch(iter(requests), timeout=T)
    assert (result.commits, result.tape_volumes.added, result.disk_files.added) == (1, 1, 3)
    assert [(r.unit, r.unit_group, r.mediacom_error) for r in result.rejections] == [
        ("V00002 TAPEVOLUME", "V00002", 5048)]
    assert list(result.skipped_units) == ["V00002 TAPEFILE 2"]
    assert [v.volser for v in stub.ListTapeVolumes(pb.ListTapeVolumesRequest(volcat=VC), timeout=T).volumes] == [
        "V00001"]


def test_apply_batch_leaves_nothing_when_the_client_cancels_mid_stream(mc):
    node, stub = mc
    before = node.catalog.dump()
    node.faults.arm(FaultPoint("media_catalog.after_chunk", DELAY, on_hit=10**9))  # counts the chunks
    release = threading.Event()

    def requests():
        yield pb.ApplyBatchRequest(ops=_ops("V00001", 500))
        yield pb.ApplyBatchRequest(ops=_ops("V00002", 500, start=500))
        release.wait(T)

    call = stub.ApplyBatch.future(requests(), timeout=T)
    _until(lambda: node.faults.list()[0].hits >= 2)
    assert node.store.in_flight()
    call.cancel()
    release.set()
    _until(lambda: not node.store.in_flight())
    assert call.cancelled() or call.exception() is not None
    assert node.catalog.dump() == before


def test_apply_batch_leaves_nothing_when_the_node_crashes_between_chunks(mc):
    node, stub = mc
    before = node.catalog.dump()
    node.faults.arm(FaultPoint("media_catalog.after_chunk", CRASH_NODE, on_hit=2))
    requests = [pb.ApplyBatchRequest(ops=_ops(f"V0000{i}", 100, start=100 * i)) for i in range(1, 4)]
    code, trailers, details = _failure(stub.ApplyBatch, iter(requests))
    assert code == grpc.StatusCode.UNAVAILABLE and "crashed at fault point media_catalog.after_chunk" in details
    node.faults.disarm()
    node.restart()
    assert node.catalog.dump() == before


def test_apply_batch_refused_whole_when_an_op_is_invalid(mc):
    node, stub = mc
    before = node.catalog.dump()
    bad = pb.CatalogOp(upsert_disk_file=pb.DiskFile(filecat=FC, disk_file_name="$DATA01.NOQUAL.F", file_id=FID,
                                                    generation=5))
    code, trailers, details = _failure(stub.ApplyBatch, iter([pb.ApplyBatchRequest(ops=_ops()),
                                                              pb.ApplyBatchRequest(ops=[bad])]))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "DISKFILE name" in details
    assert node.catalog.dump() == before


# -- streams, cleanup, console -------------------------------------------------------------------------------
@pytest.mark.rule("R15")
def test_list_disk_files_refused_with_5048_when_pattern_node_unknown(mc):
    node, stub = mc
    code, trailers, details = _failure(stub.ListDiskFiles, pb.ListDiskFilesRequest(pattern="\\NODEP.$*.*.*"))
    assert (code, trailers[rpc.MEDIACOM_ERROR_KEY]) == (grpc.StatusCode.INVALID_ARGUMENT, "5048")
    assert details == "**ERROR-5048** DISKFILE \\NODEP.$*.*.* is invalid."


@pytest.mark.rule("R22")
def test_read_volume_entries_streams_each_volume_then_its_disk_files(mc):
    node, stub = mc
    stub.ApplyBatch(iter([pb.ApplyBatchRequest(ops=_ops("V00001", 5) + _ops("V00002", 0, file_id="OTHER"))]),
                    timeout=T)
    replies = list(stub.ReadVolumeEntries(pb.ReadVolumeEntriesRequest(
        volcat=VC, volsers=["V00001", "V00002", "NOSUCH"], include_disk_files=True, disk_file_chunk=3), timeout=T))
    summary = [(r.volser, r.found, len(r.files), len(r.disk_files), r.continued) for r in replies]
    assert summary == [("V00001", True, 1, 3, False), ("V00001", True, 0, 2, True), ("V00002", True, 1, 0, False),
                       ("NOSUCH", False, 0, 0, False)]
    assert replies[0].volume.status == pb.VOLUME_STATUS_ASSIGNED and replies[0].files[0].volumes[0].volser == "V00001"


def test_expire_tape_files_frees_volumes_when_files_expired(mc):
    node, stub = mc
    _add_volume(stub, "X00030")
    stub.AddTapeFile(pb.AddTapeFileRequest(file=pb.TapeFile(
        filecat=FC, file_id=FID, volcat=VC, volumes=[pb.TapeFileVolume(volser="X00030")])), timeout=T)
    node.clock.advance(timedelta(days=31))
    result = stub.ExpireTapeFiles(pb.ExpireTapeFilesRequest(), timeout=T)
    assert [k.file_id for k in result.invalidated] == [FID] == [k.file_id for k in result.removed]
    assert [(v.volser, v.status) for v in result.volumes_changed] == [("X00030", pb.VOLUME_STATUS_SCRATCH)]


def test_mediacom_answers_output_or_error_when_called(mc):
    node, stub = mc
    ok = stub.Mediacom(pb.MediacomRequest(text="INFO MEDIADEFS; INFO POOL *"), timeout=T)
    assert ok.ok and ok.error_code == 0 and ok.output.startswith("MEDIADEFS \\INSIDX")
    bad = stub.Mediacom(pb.MediacomRequest(text="ALTER MEDIADEFS, SSL (\\INSIDX)", user="OPS.JOHN"), timeout=T)
    assert (bad.ok, bad.error_code) == (False, 5004) and bad.output.startswith("**ERROR-5004**")


def test_list_pages_refused_when_token_was_not_given_by_the_server(mc):
    node, stub = mc
    code, trailers, details = _failure(stub.ListTapeFiles, pb.ListTapeFilesRequest(page={"page_token": "abc"}))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "start again with an empty token" in details
