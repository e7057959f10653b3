"""Volume events and pending exports (R27), event subscriptions (R18), the OBB017 daily cleanup (R17, R47),
volume deletion (R54), Catalog Detach and label uniqueness (R3) on the two-site BackBox topology."""

from __future__ import annotations

import threading
from datetime import timedelta

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration

from emulator.v1 import (backbox_domain_pb2 as bb, clock_pb2, control_pb2, guardian_pb2 as g, media_catalog_pb2 as mc,
                         storage_pb2 as st, tape_controller_pb2 as tc)
from tests.backbox.conftest import topology_dict

PRI, SEC = "E501NEW", "YINE500"
DS, NODE = "DS_WIN1_DES", "\\INSIDX"
VOLCAT, FILECAT = "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT"
PROGRAM = "BBCSEXP"
T = 30


@pytest.fixture
def sites(make_sites):
    """The bare domains (no Catalog Sync software installed): these tests subscribe their own programs."""
    data = topology_dict()
    for domain in data["domains"]:
        domain["catalog_sync"] = False
    return make_sites(data)


def advance(sites, **delta) -> None:
    sites.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=int(timedelta(**delta)
                                                                                   .total_seconds()))), timeout=T)


def backup(sites, file_id: str, group: str = "VG_WIN1_DES", **kw) -> bb.RunBackupResponse:
    kw.setdefault("data_bytes", 200_000)
    return sites.domain(PRI).RunBackup(bb.RunBackupRequest(node=NODE, volume_group_id=group, file_id=file_id, **kw),
                                       timeout=T)


def events(sites, after: int = 0, **kw) -> list[bb.VolumeEvent]:
    return list(sites.domain(PRI).ListVolumeEvents(bb.ListVolumeEventsRequest(after_sequence=after, **kw),
                                                   timeout=T).events)


def last_sequence(sites) -> int:
    return sites.domain(PRI).ListVolumeEvents(bb.ListVolumeEventsRequest(limit=1), timeout=T).last_sequence


def pending(sites, limit: int = 0) -> bb.ListPendingExportsResponse:
    return sites.domain(PRI).ListPendingExports(bb.ListPendingExportsRequest(data_store_id=DS, limit=limit),
                                                timeout=T)


def clear_pending(sites) -> int:
    """What a FULL export does at its end: every volume seen is written to staging. Returns the newest
    sequence after it (the EXPORTED events included)."""
    seen = pending(sites)
    sites.domain(PRI).MarkExported(bb.MarkExportedRequest(data_store_id=DS, up_to_sequence=seen.last_sequence),
                                   timeout=T)
    assert pending(sites).total == 0
    return last_sequence(sites)


def create(sites, *labels: str) -> bb.CreateVolumesResponse:
    return sites.domain(PRI).CreateVolumes(bb.CreateVolumesRequest(volume_group_id="VG_WIN1_DES", labels=labels,
                                                                   user="SUPER.SUPER"), timeout=T)


def alter(sites, label: str, status: int) -> bb.AlterVolumeStatusResponse:
    return sites.domain(PRI).AlterVolumeStatus(bb.AlterVolumeStatusRequest(labels=[label], status=status,
                                                                           user="SUPER.SUPER"), timeout=T)


def volume(sites, label: str) -> bb.BackBoxVolume:
    return sites.domain(PRI).GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume


def in_catalog(sites, label: str) -> bool:
    return bool(sites.domain(PRI).ListVolumes(bb.ListVolumesRequest(labels=[label]), timeout=T).volumes)


def image_found(sites, label: str) -> bool:
    return sites.storage("STO_PRI").StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T).found


def kind(name: str) -> int:
    return bb.VolumeEventKind.Value("VOLUME_EVENT_KIND_" + name)


# -- triggers ----------------------------------------------------------------------------------------------------

@pytest.mark.rule("R27")
def test_volume_creation_on_the_primary_store_is_a_trigger(sites):
    first = clear_pending(sites)
    resp = create(sites, "EW1011", "EW1012")
    assert [v.label for v in resp.volumes] == ["EW1011", "EW1012"] and not resp.rejected
    evs = events(sites, first)
    assert [e.sequence for e in evs] == list(resp.event_sequences) == [first + 1, first + 2]
    for e, label in zip(evs, ["EW1011", "EW1012"]):
        assert (e.kind, e.source, e.label, e.data_store_id, e.volume_group_id, e.export_trigger) == (
            kind("CREATED"), bb.VOLUME_EVENT_SOURCE_INTERACTIVE, label, DS, "VG_WIN1_DES", True)
    p = pending(sites)
    assert [(x.label, list(x.kinds), x.last_sequence) for x in p.entries] == [
        ("EW1011", [kind("CREATED")], first + 1), ("EW1012", [kind("CREATED")], first + 2)]
    assert volume(sites, "EW1011").pending_export
    assert sites.media_catalog(NODE).GetTapeVolume(mc.GetTapeVolumeRequest(volser="EW1011", volcat=VOLCAT),
                                                   timeout=T).volume.status == mc.VOLUME_STATUS_SCRATCH


@pytest.mark.rule("R27")
def test_unload_after_write_is_a_trigger_and_a_read_only_unload_is_not(sites):
    first = clear_pending(sites)
    r = backup(sites, "E501NEW-OBK11-WIN1")
    label = r.volumes[0].label
    written = events(sites, first)
    assert [(e.kind, e.source, e.label, e.export_trigger) for e in written] == [
        (kind("UNLOADED_AFTER_WRITE"), bb.VOLUME_EVENT_SOURCE_VTC, label, True)]
    assert written[0].unload_time == r.volumes[0].unload_time and list(r.event_sequences) == [written[0].sequence]
    entry = pending(sites).entries[0]
    assert (entry.label, list(entry.kinds), entry.unload_time) == (label, [kind("UNLOADED_AFTER_WRITE")],
                                                                   r.volumes[0].unload_time)
    second = clear_pending(sites)
    vtc = sites.vtc("VTC1")
    mounted = vtc.Mount(tc.MountRequest(label=label, mode=bb.MOUNT_MODE_INPUT, node=NODE, process="\\INSIDX.$RS01"),
                        timeout=T)
    unloaded = vtc.Unload(tc.UnloadRequest(drive_id=mounted.drive.id, label=label, node=NODE), timeout=T)
    assert not unloaded.written and unloaded.event_sequence == second + 1
    assert [(e.kind, e.export_trigger) for e in events(sites, second)] == [(kind("UNLOADED"), False)]
    sites.domain(PRI).RunRestore(bb.RunRestoreRequest(node=NODE, file_id="E501NEW-OBK11-WIN1"), timeout=T)
    assert {e.kind for e in events(sites, second)} == {kind("UNLOADED")}, "a restore reads only"
    assert pending(sites).total == 0 and not volume(sites, label).pending_export


@pytest.mark.rule("R27")
def test_interactive_status_change_is_a_trigger(sites):
    first = clear_pending(sites)
    resp = alter(sites, "EW1005", mc.VOLUME_STATUS_BAD)
    assert [(c.label, c.old_status, c.new_status) for c in resp.changes] == [
        ("EW1005", mc.VOLUME_STATUS_SCRATCH, mc.VOLUME_STATUS_BAD)]
    (e,) = events(sites, first)
    assert (e.kind, e.source, e.export_trigger, e.old_status, e.new_status, e.user) == (
        kind("CATALOG_STATUS_CHANGED"), bb.VOLUME_EVENT_SOURCE_INTERACTIVE, True, mc.VOLUME_STATUS_SCRATCH,
        mc.VOLUME_STATUS_BAD, "SUPER.SUPER")
    assert list(resp.event_sequences) == [e.sequence]
    assert volume(sites, "EW1005").catalog_status == mc.VOLUME_STATUS_BAD
    assert [x.label for x in pending(sites).entries] == ["EW1005"]
    sites.domain(PRI).UpdateVolume(bb.UpdateVolumeRequest(volume=bb.BackBoxVolume(label="EW1006", comment="x"),
                                                          field_mask=["comment"]), timeout=T)
    assert events(sites, e.sequence)[0].export_trigger is False and pending(sites).total == 1, \
        "an attribute change is not a trigger"


@pytest.mark.rule("R27")
def test_pending_exports_are_listed_oldest_first_and_limited(sites):
    clear_pending(sites)
    advance(sites, minutes=1)
    create(sites, "EW1030")
    advance(sites, minutes=1)
    create(sites, "EW1020")
    advance(sites, minutes=1)
    alter(sites, "EW1003", mc.VOLUME_STATUS_BAD)
    advance(sites, minutes=1)
    r = backup(sites, "E501NEW-OBK11-WIN1")
    advance(sites, minutes=1)
    newest = alter(sites, "EW1030", mc.VOLUME_STATUS_BAD).event_sequences[0]
    top = pending(sites, limit=3)
    assert top.total == 4 and [x.label for x in top.entries] == ["EW1030", "EW1020", "EW1003"]
    full = pending(sites)
    assert [x.label for x in full.entries] == ["EW1030", "EW1020", "EW1003", r.volumes[0].label]
    oldest = full.entries[0]
    assert list(oldest.kinds) == [kind("CREATED"), kind("CATALOG_STATUS_CHANGED")] and oldest.event_count == 2
    assert oldest.last_sequence == newest and oldest.last_event_time.seconds - oldest.first_pending_time.seconds == 240
    times = [x.first_pending_time.seconds for x in full.entries]
    assert times == sorted(times) and len(set(times)) == 4
    assert full.entries[3].unload_time == r.volumes[0].unload_time


@pytest.mark.rule("R27")
def test_mark_exported_keeps_a_volume_with_a_newer_trigger(sites):
    clear_pending(sites)
    create(sites, "EW1040", "EW1041")
    seen = pending(sites)  # the export reads the pending volumes ...
    alter(sites, "EW1041", mc.VOLUME_STATUS_BAD)  # ... a trigger arrives while it writes staging
    done = sites.domain(PRI).MarkExported(bb.MarkExportedRequest(
        data_store_id=DS, volumes=[bb.ExportedVolume(label=x.label, sequence=seen.last_sequence)
                                   for x in seen.entries], export_id="E1", process="\\INSIDX.$X66X"), timeout=T)
    assert (done.cleared, done.still_pending) == (1, 1)
    assert [x.label for x in pending(sites).entries] == ["EW1041"]
    assert not volume(sites, "EW1040").pending_export and volume(sites, "EW1041").pending_export
    exported = events(sites, seen.last_sequence, kinds=[kind("EXPORTED")])
    assert [(e.label, e.source, e.export_trigger, e.detail) for e in exported] == [
        ("EW1040", bb.VOLUME_EVENT_SOURCE_EXPORT, False, "E1")]
    assert volume(sites, "EW1040").change_sequence == seen.entries[0].last_sequence, \
        "being exported is not a change of the volume"


@pytest.mark.rule("R20")
def test_mark_exported_up_to_sequence_clears_only_what_the_full_export_saw(sites):
    seen = pending(sites)
    assert seen.total == 17, "the topology created 17 volumes"
    create(sites, "EW1042")
    done = sites.domain(PRI).MarkExported(bb.MarkExportedRequest(data_store_id=DS,
                                                                 up_to_sequence=seen.last_sequence), timeout=T)
    assert (done.cleared, done.still_pending) == (17, 1)
    assert [x.label for x in pending(sites).entries] == ["EW1042"]


@pytest.mark.rule("R27")
def test_sequences_strictly_increase_and_survive_a_node_crash(sites):
    create(sites, "EW1050")
    backup(sites, "E501NEW-OBK11-WIN1")
    before = events(sites)
    control = sites.control_service()
    control.CrashNode(control_pb2.CrashNodeRequest(node=NODE), timeout=T)
    try:
        with pytest.raises(grpc.RpcError) as err:
            events(sites)
        assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    finally:
        control.RestartNode(control_pb2.RestartNodeRequest(node=NODE), timeout=T)
    assert events(sites) == before, "committed events survive the crash"
    after = create(sites, "EW1051").event_sequences[0]
    seqs = [e.sequence for e in events(sites)]
    assert after == before[-1].sequence + 1 and seqs == sorted(set(seqs))
    assert pending(sites).total == 19


@pytest.mark.rule("R27")
def test_watch_streams_the_backlog_then_live_events(sites):
    stream = sites.domain(PRI).WatchVolumeEvents(bb.WatchVolumeEventsRequest(after_sequence=14), timeout=T)
    try:
        backlog = [next(stream).event for _ in range(3)]
        assert [e.sequence for e in backlog] == [15, 16, 17]
        created = create(sites, "EW1060").event_sequences[0]
        live = next(stream).event
        assert (live.sequence, live.label, live.kind) == (created, "EW1060", kind("CREATED"))
    finally:
        stream.cancel()
    triggers = sites.domain(PRI).WatchVolumeEvents(bb.WatchVolumeEventsRequest(
        after_sequence=created, kinds=[kind("UNLOADED_AFTER_WRITE")]), timeout=T)
    try:
        alter(sites, "EW1060", mc.VOLUME_STATUS_BAD)
        r = backup(sites, "E501NEW-OBK11-WIN1")
        e = next(triggers).event
        assert (e.kind, e.label, e.sequence) == (kind("UNLOADED_AFTER_WRITE"), r.volumes[0].label,
                                                 r.event_sequences[0])
    finally:
        triggers.cancel()


def test_consumer_acknowledgement_and_resume(sites):
    d, consumer = sites.domain(PRI), "BBCSEXP DS_WIN1_DES"
    ack = d.AcknowledgeVolumeEvents(bb.AcknowledgeVolumeEventsRequest(consumer=consumer, sequence=12), timeout=T)
    assert ack.acknowledged_sequence == 12
    assert [e.sequence for e in events(sites, consumer=consumer)] == [13, 14, 15, 16, 17]
    again = d.AcknowledgeVolumeEvents(bb.AcknowledgeVolumeEventsRequest(consumer=consumer, sequence=5), timeout=T)
    assert again.acknowledged_sequence == 12, "an acknowledgement never goes back"
    assert [e.sequence for e in events(sites, consumer="ANOTHER", limit=2)] == [1, 2]
    stream = d.WatchVolumeEvents(bb.WatchVolumeEventsRequest(consumer=consumer), timeout=T)
    try:
        assert next(stream).event.sequence == 13
    finally:
        stream.cancel()
    with pytest.raises(grpc.RpcError) as err:
        d.AcknowledgeVolumeEvents(bb.AcknowledgeVolumeEventsRequest(consumer=" ", sequence=3), timeout=T)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT


# -- subscriptions -----------------------------------------------------------------------------------------------

def _subscribe(sites) -> bb.EventSubscription:
    sites.guardian(NODE).DeployProgram(g.DeployProgramRequest(program=g.Program(
        name=PROGRAM, entry_point="tests.emulator.programs_fixture:record")), timeout=T)
    return sites.domain(PRI).AddEventSubscription(bb.AddEventSubscriptionRequest(subscription=bb.EventSubscription(
        program=PROGRAM, node=NODE, data_store_ids=[DS], export_triggers_only=True,
        startup_text="STOREID {data_store_id}, TYPE UPDATE, SEQ {sequence} {kind} {label}")), timeout=T).subscription


def _started(sites) -> list[g.ProcessInfo]:
    return list(sites.guardian(NODE).ListProcesses(g.ListProcessesRequest(program=PROGRAM), timeout=T).processes)


@pytest.mark.rule("R27")
def test_subscription_starts_the_program_after_a_trigger(sites):
    sub = _subscribe(sites)
    assert sub.id and [s.id for s in sites.domain(PRI).ListEventSubscriptions(
        bb.ListEventSubscriptionsRequest(), timeout=T).subscriptions] == [sub.id]
    sites.domain(PRI).UpdateVolume(bb.UpdateVolumeRequest(volume=bb.BackBoxVolume(label="EW1006", comment="x"),
                                                          field_mask=["comment"]), timeout=T)
    assert _started(sites) == [], "not a trigger: nothing started"
    resp = create(sites, "EW1070", "EW1071")
    (proc,) = _started(sites)
    assert proc.param == f"STOREID {DS}, TYPE UPDATE, SEQ {resp.event_sequences[0]} CREATED EW1070"
    assert proc.name.startswith("\\INSIDX.$")
    sites.domain(PRI).DeleteEventSubscription(bb.DeleteEventSubscriptionRequest(id=sub.id), timeout=T)
    create(sites, "EW1072")
    assert len(_started(sites)) == 1


@pytest.mark.rule("R18")
def test_inactive_store_starts_no_program_and_the_volume_stays_pending(sites):
    _subscribe(sites)
    clear_pending(sites)
    d = sites.domain(PRI)
    d.SetDataStoreStatus(bb.SetDataStoreStatusRequest(id=DS, status=bb.DATA_STORE_STATUS_INACTIVE), timeout=T)
    seq = alter(sites, "EW1005", mc.VOLUME_STATUS_BAD).event_sequences[0]
    assert _started(sites) == []
    assert [(x.label, x.last_sequence) for x in pending(sites).entries] == [("EW1005", seq)]
    d.SetDataStoreStatus(bb.SetDataStoreStatusRequest(id=DS, status=bb.DATA_STORE_STATUS_ACTIVE), timeout=T)
    alter(sites, "EW1005", mc.VOLUME_STATUS_SCRATCH)
    assert len(_started(sites)) == 1, "active again: the next trigger starts it"


# -- OBB017 ------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R47")
def test_obb017_sees_dsmtc_expiration_and_frees_only_groups_that_delete_expired_volumes(sites):
    des = backup(sites, "E501NEW-OBK11-WIN1", retention_days=1).volumes[0].label
    enc = backup(sites, "E501NEW-OBK11-ENC", group="VG_WIN1_ENC", retention_days=1).volumes[0].label
    first = clear_pending(sites)
    d = sites.domain(PRI)
    advance(sites, days=1, hours=1)
    early = d.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=[DS]), timeout=T).results[0]
    assert early.executed and not early.status_changes and not early.freed_labels, "DSM/TC has not expired yet"
    expired = sites.media_catalog(NODE).ExpireTapeFiles(mc.ExpireTapeFilesRequest(), timeout=T)
    assert sorted(v.volser for v in expired.volumes_changed) == sorted([des, enc])
    assert image_found(sites, des) and image_found(sites, enc)
    (result,) = d.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=[DS]), timeout=T).results
    assert result.executed and list(result.freed_labels) == [des]
    assert sorted((c.label, c.old_status, c.new_status) for c in result.status_changes) == sorted(
        (label, mc.VOLUME_STATUS_ASSIGNED, mc.VOLUME_STATUS_SCRATCH) for label in (des, enc))
    seen = [e for e in events(sites, first) if e.kind == kind("CATALOG_STATUS_CHANGED")]
    assert sorted(e.sequence for e in seen) == sorted(result.event_sequences)
    assert all(e.source == bb.VOLUME_EVENT_SOURCE_OBB017 and e.export_trigger for e in seen)
    assert not image_found(sites, des), "FREE_EXPIRED deleted the image (Delete Expired Volumes)"
    assert image_found(sites, enc), "VG_WIN1_ENC does not delete expired volumes (R47)"
    a, b = volume(sites, des), volume(sites, enc)
    assert (a.catalog_status, a.materialized, a.data_bytes) == (mc.VOLUME_STATUS_SCRATCH, False, 0)
    assert (b.catalog_status, b.materialized, b.expired) == (mc.VOLUME_STATUS_SCRATCH, True, True)
    assert not a.HasField("first_non_expired_tape_file")
    assert sorted(x.label for x in pending(sites).entries) == sorted([des, enc])
    again = d.RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=[DS]), timeout=T).results[0]
    assert not again.status_changes and not again.freed_labels


@pytest.mark.rule("R17")
def test_obb017_is_skipped_on_a_secondary_store(sites):
    (result,) = sites.domain(SEC).RunDailyCleanup(bb.RunDailyCleanupRequest(), timeout=T).results
    assert result.data_store_id == "E501_WIN1_SND" and not result.executed
    assert result.decision.skipped and result.decision.rule == "R17" and "SECONDARY" in result.decision.reason
    lines = sites.guardian("\\ETINIUM").ReadEvents(g.ReadEventsRequest(filter=g.EventFilter(
        text_contains="OBB017")), timeout=T).events
    assert [e.event_number for e in lines] == [3018] and "skipped" in lines[0].text


@pytest.mark.rule("R18")
def test_obb017_is_skipped_on_an_inactive_primary_store(sites):
    backup(sites, "E501NEW-OBK11-WIN1", retention_days=1)
    advance(sites, days=2)
    sites.media_catalog(NODE).ExpireTapeFiles(mc.ExpireTapeFilesRequest(), timeout=T)
    d = sites.domain(PRI)
    d.SetDataStoreStatus(bb.SetDataStoreStatusRequest(id=DS, status=bb.DATA_STORE_STATUS_INACTIVE), timeout=T)
    (result,) = d.RunDailyCleanup(bb.RunDailyCleanupRequest(), timeout=T).results
    assert not result.executed and result.decision.skipped and result.decision.rule == "R18"
    assert not result.status_changes and not result.freed_labels and image_found(sites, "EW1001")
    assert volume(sites, "EW1001").catalog_status == mc.VOLUME_STATUS_ASSIGNED, "nothing was looked at"


def test_obb017_runs_daily_at_the_configured_time(sites):
    d, guardian = sites.domain(PRI), sites.guardian(NODE)
    obb017 = g.ReadEventsRequest(filter=g.EventFilter(text_contains="OBB017"))
    advance(sites, days=1)
    assert list(guardian.ReadEvents(obb017, timeout=T).events) == [], "daily_cleanup_time OFF"
    d.UpdateDomainConfig(bb.UpdateDomainConfigRequest(config=bb.DomainConfig(daily_cleanup_time="03:00"),
                                                      field_mask=["daily_cleanup_time"]), timeout=T)
    advance(sites, days=1)
    (line,) = guardian.ReadEvents(obb017, timeout=T).events
    assert line.event_number == 3017 and line.text.startswith(f"{PRI}-I3017 OBB017 data store {DS}")
    assert " 03:00:00 \\INSIDX.$OBB17 " in line.line, line.line
    advance(sites, days=1)
    assert len(guardian.ReadEvents(obb017, timeout=T).events) == 2, "once a day"


# -- delete, detach, labels --------------------------------------------------------------------------------------

@pytest.mark.rule("R54")
def test_delete_volume_is_refused_while_unexpired_data_remain(sites):
    r = backup(sites, "E501NEW-OBK11-WIN1", retention_days=30)
    label = r.volumes[0].label
    d, catalog = sites.domain(PRI), sites.media_catalog(NODE)
    with pytest.raises(grpc.RpcError) as err:
        d.DeleteVolume(bb.DeleteVolumeRequest(label=label, user="SUPER.SUPER"), timeout=T)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "DELETE TAPEFILE" in err.value.details() and "E501NEW-OBK11-WIN1" in err.value.details()
    assert volume(sites, label).materialized and image_found(sites, label)
    gone = catalog.DeleteTapeFile(mc.DeleteTapeFileRequest(key=mc.TapeFileKey(
        filecat=FILECAT, file_id="E501NEW-OBK11-WIN1", generation=1), user="SUPER.SUPER"), timeout=T)
    assert [(v.volser, v.status) for v in gone.volumes] == [(label, mc.VOLUME_STATUS_SCRATCH)]
    first = last_sequence(sites)
    resp = d.DeleteVolume(bb.DeleteVolumeRequest(label=label, user="SUPER.SUPER"), timeout=T)
    assert resp.image_deleted and resp.tape_catalog_entry_deleted and resp.volume.label == label
    assert not in_catalog(sites, label)
    with pytest.raises(grpc.RpcError) as err:
        catalog.GetTapeVolume(mc.GetTapeVolumeRequest(volser=label, volcat=VOLCAT), timeout=T)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
    assert not image_found(sites, label)
    assert [(e.kind, e.export_trigger) for e in events(sites, first)] == [(kind("DELETED"), False)]
    assert label not in [x.label for x in pending(sites).entries]


@pytest.mark.rule("R53")
def test_catalog_detach_removes_backbox_records_only(sites):
    r = backup(sites, "E501NEW-OBK11-WIN1", retention_days=30)
    label = r.volumes[0].label
    resp = sites.domain(PRI).CatalogDetach(bb.CatalogDetachRequest(data_store_id=DS, labels=[label]), timeout=T)
    assert list(resp.detached) == [label] and not resp.rejected and resp.job_id
    assert not in_catalog(sites, label)
    assert image_found(sites, label), "images stay"
    tv = sites.media_catalog(NODE).GetTapeVolume(mc.GetTapeVolumeRequest(volser=label, volcat=VOLCAT), timeout=T)
    assert tv.volume.status == mc.VOLUME_STATUS_ASSIGNED and [f.file_id for f in tv.files] == ["E501NEW-OBK11-WIN1"]
    group = sites.domain(PRI).CatalogDetach(bb.CatalogDetachRequest(data_store_id=DS,
                                                                    volume_group_id="VG_WIN1_DES_NC"), timeout=T)
    assert sorted(group.detached) == ["ENCS01", "ENCS02", "ENCS03"]
    left = sites.domain(PRI).ListVolumes(bb.ListVolumesRequest(data_store_id=DS), timeout=T).volumes
    assert len(left) == 17 - 4 and label not in [v.label for v in left]
    assert pending(sites).total == 13


@pytest.mark.rule("R3")
def test_create_volumes_rejects_labels_existing_in_the_domain_one_by_one(sites):
    resp = create(sites, "EW1001", "EW1080", "ENCS01", "EK1002")
    assert [v.label for v in resp.volumes] == ["EW1080"] and len(resp.event_sequences) == 1
    rejected = {r.label: r.reason for r in resp.rejected}
    assert sorted(rejected) == ["EK1002", "ENCS01", "EW1001"]
    assert all("R3" in reason for reason in rejected.values())
    assert volume(sites, "ENCS01").volume_group_id == "VG_WIN1_DES_NC", "the existing record is untouched"
    assert sites.media_catalog(NODE).CheckLabel(mc.CheckLabelRequest(volser="ENCS01"), timeout=T).locations == [], \
        "no DSM/TC volume was added for a rejected label"


@pytest.mark.rule("R13")
def test_create_volumes_rejects_a_label_known_to_dsmtc_only(sites):
    sites.media_catalog(NODE).AddTapeVolume(mc.AddTapeVolumeRequest(volume=mc.TapeVolume(
        volser="XT0001", volcat=VOLCAT, pool="E501_WIN1"), user="SUPER.SUPER"), timeout=T)
    resp = create(sites, "XT0001", "XT0002")
    assert [v.label for v in resp.volumes] == ["XT0002"]
    (rej,) = resp.rejected
    assert rej.label == "XT0001" and "ADD TAPEVOLUME" in rej.reason


def test_unknown_label_is_not_found_for_the_catalog_and_the_vtc(sites):
    with pytest.raises(grpc.RpcError) as err:
        volume(sites, "ZZ9999")
    assert err.value.code() == grpc.StatusCode.NOT_FOUND and "ZZ9999" in err.value.details()
    with pytest.raises(grpc.RpcError) as err:
        sites.vtc("VTC1").Mount(tc.MountRequest(label="ZZ9999", mode=bb.MOUNT_MODE_INPUT, node=NODE), timeout=T)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND and "ZZ9999" in err.value.details()
    (failed,) = sites.vtc("VTC1").ListMountRequests(tc.ListMountRequestsRequest(), timeout=T).mounts
    assert failed.status == bb.TAPE_MOUNT_STATUS_FAILED and "ZZ9999" in failed.message
    drives = sites.vtc("VTC1").ListDrives(tc.ListDrivesRequest(), timeout=T).drives
    assert all(d.status == tc.DRIVE_STATUS_FREE for d in drives), "the refused mount gave its drive back"


@pytest.mark.rule("R27")
def test_vtc_resends_the_end_of_a_write_until_the_domain_manager_answers(sites):
    vtc, control = sites.vtc("VTC1"), sites.control_service()
    mounted = vtc.Mount(tc.MountRequest(scratch_volume_group_id="VG_WIN1_DES", mode=bb.MOUNT_MODE_OUTPUT, node=NODE,
                                        process="\\INSIDX.$BK01"), timeout=T)
    label = mounted.volume.label
    head = tc.TapeFileHeader(drive_id=mounted.drive.id, file_id="RESENT", generation=1)
    vtc.WriteTapeFile(iter([tc.WriteTapeFileRequest(header=head), tc.WriteTapeFileRequest(data=b"d" * 5000)]),
                      timeout=T)
    first = clear_pending(sites)
    control.CrashNode(control_pb2.CrashNodeRequest(node=NODE), timeout=T)
    try:
        unloaded = vtc.Unload(tc.UnloadRequest(drive_id=mounted.drive.id, label=label), timeout=T)
    finally:
        control.RestartNode(control_pb2.RestartNodeRequest(node=NODE), timeout=T)
    assert unloaded.written and unloaded.event_sequence == 0, "the domain manager did not answer"
    assert volume(sites, label).current_operation == bb.VOLUME_OPERATION_LOAD, "still locked"
    assert events(sites, first) == []
    advance(sites, minutes=2)
    (e,) = events(sites, first)
    assert (e.kind, e.label, e.export_trigger, e.unload_time) == (kind("UNLOADED_AFTER_WRITE"), label, True,
                                                                  unloaded.unload_time)
    vol = volume(sites, label)
    assert not vol.current_operation and vol.materialized and vol.unload_time == unloaded.unload_time
    assert [x.label for x in pending(sites).entries] == [label]


def _gated_subscription(sites, tag: str) -> threading.Event:
    """A single-per-data-store subscription of the `gate` program: each run waits until the event is set."""
    from tests.emulator import programs_fixture  # noqa: PLC0415 - same process as the topology
    gate = programs_fixture.GATES.setdefault(tag, threading.Event())
    sites.guardian(NODE).DeployProgram(g.DeployProgramRequest(program=g.Program(
        name=PROGRAM, entry_point="tests.emulator.programs_fixture:gate")), timeout=T)
    sites.domain(PRI).AddEventSubscription(bb.AddEventSubscriptionRequest(subscription=bb.EventSubscription(
        program=PROGRAM, node=NODE, data_store_ids=[DS], export_triggers_only=True, startup_text=tag,
        single_per_data_store=True)), timeout=T)
    return gate


@pytest.mark.rule("R25")
def test_single_per_data_store_subscription_waits_for_the_running_process(sites, monkeypatch):
    """A run still going after the bounded wait is running (R25): the new trigger starts nothing."""
    from emulator import domain_volumes  # noqa: PLC0415
    monkeypatch.setattr(domain_volumes, "PREVIOUS_RUN_WAIT", 0.2)
    tag = f"R25-{id(sites)}"
    gate = _gated_subscription(sites, tag)
    try:
        create(sites, "EW1090")
        (running,) = _started(sites)
        create(sites, "EW1091")
        assert len(_started(sites)) == 1, "the running export takes the new volume too"
    finally:
        gate.set()
    done = sites.guardian(NODE).WaitProcess(g.WaitProcessRequest(name=running.name, timeout_seconds=10), timeout=T)
    assert done.ended
    create(sites, "EW1092")
    assert len(_started(sites)) == 2


@pytest.mark.rule("R25")
def test_in_virtual_time_a_trigger_at_the_same_instant_waits_for_the_previous_run_to_end(sites):
    """A process takes no virtual time: the run started by the first trigger ends at this instant, so a second
    trigger at the same instant waits for it (wall time) and starts the next run. Without the wait, whether the
    second run starts would depend on thread timing, and one seed would not give one history."""
    tag = f"R25-wait-{id(sites)}"
    gate = _gated_subscription(sites, tag)
    release = threading.Timer(0.5, gate.set)      # the first run takes half a wall second
    try:
        create(sites, "EW1093")
        release.start()
        create(sites, "EW1094")                   # at the same virtual instant, while the first run goes on
        started = _started(sites)
        assert len(started) == 2, [p.name for p in started]
        assert started[0].state != g.PROCESS_STATE_RUNNING, "the second run started after the first ended"
    finally:
        gate.set()
        release.cancel()
