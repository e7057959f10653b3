"""BBCSEXP under faults (R20, R25, R28, R52, R18): the Expand link lost, the staging disk full, the destination node
down, the process killed at each fault point, EMS extractors stopped or doubled, a second request while an export
runs, retries switched off, an INACTIVE store.

Every scenario ends the same way: heal, let the EMS extractor (or a manual export) retry, then check that nothing is
pending and the staging area holds exactly the primary's catalogs. While a fault holds, the invariant is that every
volume whose staging file is missing or stale is still pending (nothing is lost)."""

from __future__ import annotations

import copy
from typing import Any, Callable

import grpc
import pytest

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, control_pb2, guardian_pb2, media_catalog_pb2 as mc
from harness.launcher import Topology
from tests.backbox.conftest import topology_dict
from tests.catsync.conftest import (NODE, PRI, REMOTE, STORE, T, advance, arm, backup, export, link_down, link_heal,
                                    pending, primary_store, processes, settle, staging_mismatches, staging_names,
                                    status, summary, volume_file)

DELAY = 60                                    # Export Check Delay (minutes) of the delayed topologies
SECOND = "\\INSIDY"                           # a second NSK node of the primary domain (a second extractor)
ALL_LABELS = sorted([f"EW{n}" for n in range(1001, 1011)] + [f"ENCS0{n}" for n in range(1, 4)]
                    + [f"EK{n}" for n in range(1001, 1005)])
RETRY = "TRIGGER EXTRACTOR_RETRY"


# -- topologies and helpers ---------------------------------------------------------------------------------------

def _topology(delay: int = DELAY, second_node: bool = False) -> dict[str, Any]:
    data = topology_dict()
    primary_store(data)["export_config"]["export_check_delay_minutes"] = delay
    if second_node:
        node = copy.deepcopy(data["sites"][0]["nodes"][0])
        node.update(name=SECOND, number=13)
        del node["dsmtc"]
        data["sites"][0]["nodes"].append(node)
        data["domains"][0]["nodes"] = [NODE, SECOND]
    return data


@pytest.fixture
def delayed(make_sites: Callable[..., Topology]) -> Topology:
    """The two sites, DS_WIN1_DES with an Export Check Delay of 60 minutes; its 17 volumes pending export."""
    return make_sites(_topology())


def _retries(topo: Topology) -> list[guardian_pb2.ProcessInfo]:
    """BBCSEXP processes started by an EMS extractor (R28)."""
    return [p for p in processes(topo) if RETRY in p.param]


def _process(topo: Topology, name: str) -> guardian_pb2.ProcessInfo:
    return topo.guardian(NODE).GetProcess(guardian_pb2.GetProcessRequest(name=name), timeout=T).process


def _extractors(topo: Topology) -> dict[str, cs.Extractor]:
    return {e.node: e for e in topo.catalog_sync(PRI).ListExtractors(cs.ListExtractorsRequest(), timeout=T).extractors}


def _set_extractor(topo: Topology, node: str, running: bool) -> cs.Extractor:
    return topo.catalog_sync(PRI).SetExtractor(cs.SetExtractorRequest(node=node, running=running),
                                               timeout=T).extractor


def _disarm(topo: Topology) -> None:
    topo.control_service().DisarmFaultPoint(control_pb2.DisarmFaultPointRequest(), timeout=T)


def _disk_full(topo: Topology, full: bool) -> None:
    topo.control_service().SetDiskFull(control_pb2.SetDiskFullRequest(node=REMOTE, volume="$DATA15", full=full),
                                       timeout=T)


def _alter(topo: Topology, label: str, new: int = mc.VOLUME_STATUS_BAD) -> None:
    """An interactive BackBox function changing a volume's DSM/TC status: an R27 export trigger."""
    resp = topo.domain(PRI).AlterVolumeStatus(bb.AlterVolumeStatusRequest(labels=[label], status=new), timeout=T)
    assert [c.label for c in resp.changes] == [label], resp


def _unsynced(topo: Topology) -> set[str]:
    """Volumes whose staging file is missing or differs from the primary's catalogs."""
    return {problem.split(":", 1)[0] for problem in staging_mismatches(topo)}


def _volume_files(topo: Topology) -> list[str]:
    return sorted(n[1:] for n in staging_names(topo) if n.startswith("V"))


def _assert_synced(topo: Topology) -> None:
    """The end of every scenario: nothing pending, the staging area equals the primary."""
    assert pending(topo) == []
    assert staging_mismatches(topo) == []


def _failed_full_export_with_link_down(topo: Topology) -> cs.ExportRun:
    link_down(topo)
    try:
        run = export(topo, type_=cs.SYNC_TYPE_FULL)
    finally:
        link_heal(topo)
    assert run.status == cs.PROCESS_STATUS_FAILED, run
    return run


# -- 1. the Expand link ---------------------------------------------------------------------------------------------

@pytest.mark.rule("R28")
@pytest.mark.rule("R20")
@pytest.mark.rule("R33")
def test_full_export_fails_with_error_250_and_the_extractor_retries_after_the_delay_when_the_link_is_down(delayed):
    topo = delayed
    link_down(topo)
    try:
        # a backup with DISKFILEs: its automatic export (R27) fails too, the volume stays pending
        written = backup(topo, catalog_files=True, disk_file_count=4, disk_file_prefix="\\INSIDX.$DATA01.SALES.")
        settle(topo)
        automatic = status(topo).latest_export
        assert (automatic.trigger, automatic.status) == (cs.TRIGGER_AUTOMATIC, cs.PROCESS_STATUS_FAILED)
        run = export(topo, type_=cs.SYNC_TYPE_FULL, catalog_files=cs.CATALOG_FILES_OPTION_NO)
        assert run.status == cs.PROCESS_STATUS_FAILED
        assert "error 250" in run.reason and REMOTE in run.reason
        assert pending(topo) == ALL_LABELS                      # nothing pending is lost
        assert _volume_files(topo) == []
        page = status(topo)
        assert page.latest_export.status == cs.PROCESS_STATUS_FAILED
        assert page.latest_export.process == run.process
        assert "error 250" in page.latest_export.reason
        assert page.pending_count == len(ALL_LABELS)
        assert page.HasField("next_retry_time")
        assert not page.HasField("latest_full_export")
    finally:
        link_heal(topo)

    advance(topo, minutes=DELAY - 1)                            # not yet: the delay has not passed
    assert _retries(topo) == []
    assert pending(topo) == ALL_LABELS

    advance(topo, minutes=2)
    retries = _retries(topo)
    assert len(retries) == 1
    assert "TYPE UPDATE" in retries[0].param
    latest = status(topo).latest_export
    assert (latest.process, latest.trigger, latest.type, latest.status) == (
        retries[0].name, cs.TRIGGER_EXTRACTOR_RETRY, cs.SYNC_TYPE_UPDATE, cs.PROCESS_STATUS_FINISHED)
    assert latest.volumes_processed == len(ALL_LABELS)
    assert latest.catalog_files                                 # R33: automatic exports carry DISKFILEs
    _assert_synced(topo)                                        # DISKFILEs included in the comparison
    assert len(volume_file(topo, written.volumes[0].label).disk_files) == 4


def _cut_after_third_volume(topo: Topology) -> cs.ExportRun:
    arm(topo, "export.after_volume_file", control_pb2.FAULT_ACTION_ERROR, guardian_error=250, on_hit=3)
    run = export(topo, type_=cs.SYNC_TYPE_FULL)
    _disarm(topo)
    assert run.status == cs.PROCESS_STATUS_FAILED
    assert "error 250" in run.reason
    assert run.volumes_processed == 3
    assert len(_volume_files(topo)) == 3
    return run


@pytest.mark.rule("R28")
@pytest.mark.rule("R20")
def test_link_cut_in_the_middle_of_a_run_keeps_unwritten_volumes_pending_until_the_retry(delayed):
    topo = delayed
    _cut_after_third_volume(topo)
    unsynced = _unsynced(topo)
    assert len(unsynced) == len(ALL_LABELS) - 3
    assert unsynced <= set(pending(topo))                       # every missing file is still pending

    advance(topo, minutes=DELAY + 1)
    assert len(_retries(topo)) == 1
    _assert_synced(topo)


@pytest.mark.rule("R20")
def test_volumes_written_before_a_mid_run_failure_are_no_longer_pending(delayed):
    # The run's reason says "3 volume(s) written, the others stay pending": an UPDATE export sends only what has
    # not yet been written successfully to staging (R20), so the three written volumes must not be pending.
    topo = delayed
    run = _cut_after_third_volume(topo)
    assert "3 volume(s) written" in run.reason
    written = _volume_files(topo)
    assert pending(topo) == sorted(set(ALL_LABELS) - set(written))


# -- 2. the staging disk full ---------------------------------------------------------------------------------------

@pytest.mark.rule("R28")
def test_export_fails_naming_the_full_staging_disk_and_the_retry_completes_when_space_is_back(delayed):
    topo = delayed
    _disk_full(topo, True)
    try:
        run = export(topo, type_=cs.SYNC_TYPE_FULL)
        assert run.status == cs.PROCESS_STATUS_FAILED
        assert "full" in run.reason and "\\ETINIUM.$DATA15" in run.reason
        assert "error 43" in run.reason or "error 45" in run.reason
        assert pending(topo) == ALL_LABELS
        assert status(topo).latest_export.status == cs.PROCESS_STATUS_FAILED
    finally:
        _disk_full(topo, False)

    advance(topo, minutes=DELAY + 1)
    assert len(_retries(topo)) == 1
    assert status(topo).latest_export.status == cs.PROCESS_STATUS_FINISHED
    _assert_synced(topo)


# -- 3. the destination node down -----------------------------------------------------------------------------------

@pytest.mark.rule("R28")
def test_export_fails_while_the_destination_node_is_down_and_retries_until_it_is_back(delayed):
    topo = delayed
    control = topo.control_service()
    control.CrashNode(control_pb2.CrashNodeRequest(node=REMOTE), timeout=T)
    try:
        run = export(topo, type_=cs.SYNC_TYPE_FULL)
        assert run.status == cs.PROCESS_STATUS_FAILED
        assert "error 201" in run.reason or "error 250" in run.reason
        assert pending(topo) == ALL_LABELS

        advance(topo, minutes=DELAY + 1)                        # the retry fails too: still down
        assert len(_retries(topo)) == 1
        latest = status(topo).latest_export
        assert (latest.trigger, latest.status) == (cs.TRIGGER_EXTRACTOR_RETRY, cs.PROCESS_STATUS_FAILED)
        assert pending(topo) == ALL_LABELS
    finally:
        control.RestartNode(control_pb2.RestartNodeRequest(node=REMOTE), timeout=T)

    advance(topo, minutes=DELAY)                                # the next check retries again
    assert len(_retries(topo)) == 2
    assert status(topo).latest_export.status == cs.PROCESS_STATUS_FINISHED
    _assert_synced(topo)


# -- 4. the process killed at each fault point -----------------------------------------------------------------------

@pytest.mark.rule("R28")
@pytest.mark.rule("R20")
@pytest.mark.parametrize("point, on_hit", [("export.after_volume_file", 1), ("export.after_volume_file", 9),
                                           ("export.before_summary", 1), ("export.after_summary", 1)])
def test_killed_export_is_failed_and_leaves_every_unwritten_volume_pending(delayed, point, on_hit):
    topo = delayed
    arm(topo, point, control_pb2.FAULT_ACTION_KILL_PROCESS, on_hit=on_hit)
    run = export(topo, type_=cs.SYNC_TYPE_FULL)
    assert run.status == cs.PROCESS_STATUS_FAILED               # the service reconciles the killed process
    assert point in run.reason
    assert _process(topo, run.process).state == guardian_pb2.PROCESS_STATE_ABENDED
    latest = status(topo).latest_export
    assert (latest.process, latest.status) == (run.process, cs.PROCESS_STATUS_FAILED)
    if point == "export.after_volume_file":
        assert len(_volume_files(topo)) == on_hit
    else:
        assert _volume_files(topo) == ALL_LABELS
    left = pending(topo)
    assert _unsynced(topo) <= set(left)                         # nothing missing or stale is forgotten

    _disarm(topo)
    again = export(topo)                                        # Export Catalog Updates
    assert (again.status, again.volumes_processed) == (cs.PROCESS_STATUS_FINISHED, len(left))
    _assert_synced(topo)
    assert summary(topo).export_id == again.export_id


@pytest.mark.rule("R28")
@pytest.mark.rule("R7")
def test_export_killed_before_its_summary_is_completed_by_the_extractor(delayed):
    # The last batch of volumes is marked exported before the summary is written: a kill in between leaves nothing
    # pending, so no extractor retries (R28: failed exports are re-initiated) and the staging area keeps no summary
    # of the run (here none at all), which imports and "Check Against Primary" need.
    topo = delayed
    arm(topo, "export.before_summary", control_pb2.FAULT_ACTION_KILL_PROCESS)
    run = export(topo, type_=cs.SYNC_TYPE_FULL)
    _disarm(topo)
    assert run.status == cs.PROCESS_STATUS_FAILED

    advance(topo, minutes=DELAY + 1)
    assert "CSSUMARY" in staging_names(topo), "no summary file in staging and no retry to write one"
    assert status(topo).latest_export.status == cs.PROCESS_STATUS_FINISHED


# -- 5. the EMS extractor stopped ----------------------------------------------------------------------------------

@pytest.mark.rule("R28")
def test_no_retry_while_the_extractor_is_stopped_and_retries_resume_when_it_starts_again(delayed):
    topo = delayed
    _failed_full_export_with_link_down(topo)
    assert _set_extractor(topo, NODE, False).running is False
    assert _extractors(topo)[NODE].running is False

    advance(topo, hours=3)
    assert _retries(topo) == []
    assert pending(topo) == ALL_LABELS
    assert not status(topo).HasField("next_retry_time")         # nobody will retry: the page says none

    manual = export(topo)                                        # Export Catalog Updates accelerates (R28)
    assert (manual.status, manual.volumes_processed) == (cs.PROCESS_STATUS_FINISHED, len(ALL_LABELS))
    _assert_synced(topo)

    assert _set_extractor(topo, NODE, True).running is True
    link_down(topo)
    try:
        _alter(topo, "EW1001")                                   # its automatic export (R27) fails
        settle(topo)
        assert status(topo).latest_export.status == cs.PROCESS_STATUS_FAILED
        assert pending(topo) == ["EW1001"]
    finally:
        link_heal(topo)
    advance(topo, minutes=DELAY + 1)
    assert len(_retries(topo)) == 1
    assert _extractors(topo)[NODE].retries_started == 1
    _assert_synced(topo)


@pytest.mark.rule("R28")
def test_no_automatic_export_while_every_extractor_is_stopped_and_the_extractor_exports_once_started(delayed):
    topo = delayed
    export(topo)                                                 # everything synced first
    _assert_synced(topo)
    _set_extractor(topo, NODE, False)
    before = len(processes(topo))
    _alter(topo, "EW1001")                                       # a volume change would trigger an export (R27)
    settle(topo)
    advance(topo, hours=3)
    started = processes(topo)[before:]
    assert all(p.completion_code == 0 and "AUTOMATIC" in p.param for p in started), started
    assert pending(topo) == ["EW1001"], "the change waits: nobody reads the unload events"
    _set_extractor(topo, NODE, True)
    advance(topo, minutes=DELAY + 1)
    assert len(_retries(topo)) == 1, "the restarted extractor finds the pending volume and exports it"
    _assert_synced(topo)


# -- 6. two extractors ------------------------------------------------------------------------------------------------

@pytest.mark.rule("R28")
def test_exactly_one_extractor_retries_and_the_other_takes_over_when_one_is_stopped(make_sites):
    topo = make_sites(_topology(second_node=True))
    assert sorted(_extractors(topo)) == [NODE, SECOND]
    _failed_full_export_with_link_down(topo)

    advance(topo, minutes=DELAY + 1)
    assert len(_retries(topo)) == 1
    assert sum(e.retries_started for e in _extractors(topo).values()) == 1
    _assert_synced(topo)
    advance(topo, hours=3)                                       # nothing pending: nobody retries again
    assert len(_retries(topo)) == 1

    before = _extractors(topo)
    _set_extractor(topo, NODE, False)
    link_down(topo)
    try:
        _alter(topo, "EW1002")
        settle(topo)
        assert pending(topo) == ["EW1002"]
    finally:
        link_heal(topo)
    advance(topo, minutes=DELAY + 1)
    retries = _retries(topo)
    assert len(retries) == 2
    assert f"EXTRACTOR {SECOND}.$BBEXT" in retries[-1].param
    after = _extractors(topo)
    assert after[SECOND].retries_started == before[SECOND].retries_started + 1
    assert after[NODE].retries_started == before[NODE].retries_started
    _assert_synced(topo)


# -- 7. concurrent requests (R25) --------------------------------------------------------------------------------------

@pytest.mark.rule("R25")
def test_second_request_is_rejected_naming_the_running_export_and_runs_once_it_has_ended(sites):
    topo = sites
    # every volume file waits 150 ms while the point is armed: the FULL export is certainly still running
    arm(topo, "export.after_volume_file", control_pb2.FAULT_ACTION_DELAY, delay_ms=150, repeat=True)
    try:
        first = export(topo, type_=cs.SYNC_TYPE_FULL, wait=False)
        assert first.status == cs.PROCESS_STATUS_RUNNING and first.process

        second = export(topo, wait=False)
        assert (second.status, second.rule, second.process) == (cs.PROCESS_STATUS_REJECTED, "R25", "")
        assert first.process in second.reason

        macro = topo.catalog_sync(PRI).RunMacro(cs.RunMacroRequest(
            text=f"BB026_EXPORT_CATALOG STOREID {STORE}, TYPE UPDATE"), timeout=T)
        assert macro.ok is False
        assert first.process in macro.error_message
        assert [(r.status, r.rule) for r in macro.export_runs] == [(cs.PROCESS_STATUS_REJECTED, "R25")]
        assert any("R25" in line for line in macro.output)
        assert [p.name for p in processes(topo)] == [first.process]   # the rejections started nothing
    finally:
        _disarm(topo)
    settle(topo)

    latest = status(topo).latest_export
    assert (latest.process, latest.status) == (first.process, cs.PROCESS_STATUS_FINISHED)
    third = export(topo)
    assert third.status == cs.PROCESS_STATUS_FINISHED and third.process not in ("", first.process)
    _assert_synced(topo)


# -- 8. retries switched off (R52) ------------------------------------------------------------------------------------

@pytest.mark.rule("R52")
@pytest.mark.rule("R28")
def test_no_retry_when_the_export_check_delay_is_0(make_sites):
    topo = make_sites(_topology(delay=0))
    _failed_full_export_with_link_down(topo)
    advance(topo, days=1)
    assert _retries(topo) == []
    assert pending(topo) == ALL_LABELS
    assert sum(e.retries_started for e in _extractors(topo).values()) == 0


def _no_delay(topo: Topology) -> None:
    topo.domain(PRI).UpdateExportConfig(bb.UpdateExportConfigRequest(
        data_store_id=STORE, export_config=bb.ExportConfig(export_check_delay_minutes=0),
        field_mask=["export_check_delay_minutes"]), timeout=T)


def _inactive(topo: Topology) -> None:
    topo.domain(PRI).SetDataStoreStatus(bb.SetDataStoreStatusRequest(id=STORE, status=bb.DATA_STORE_STATUS_INACTIVE),
                                        timeout=T)


def _extractor_stopped(topo: Topology) -> None:
    _set_extractor(topo, NODE, False)


@pytest.mark.rule("R28")
@pytest.mark.rule("R52")
@pytest.mark.rule("R18")
@pytest.mark.parametrize("no_retry", [_no_delay, _inactive, _extractor_stopped],
                         ids=["check-delay-0", "store-inactive", "extractor-stopped"])
def test_export_status_shows_no_next_retry_when_no_extractor_will_retry(delayed, no_retry):
    # GetExportStatus.next_retry_time: "when the extractor will retry pending volumes (R28); unset if none"
    topo = delayed
    _failed_full_export_with_link_down(topo)
    no_retry(topo)
    page = status(topo)
    assert page.pending_count == len(ALL_LABELS)
    advance(topo, hours=3)
    assert _retries(topo) == []                                  # indeed none comes
    assert not page.HasField("next_retry_time"), f"the page promises a retry at {page.next_retry_time.ToJsonString()}"


# -- 9. an INACTIVE store (R18) -----------------------------------------------------------------------------------------

@pytest.mark.rule("R18")
@pytest.mark.rule("R27")
@pytest.mark.rule("R28")
def test_inactive_store_starts_no_automatic_export_nor_retry_and_a_ui_export_still_runs(delayed):
    topo = delayed
    assert export(topo, type_=cs.SYNC_TYPE_FULL).status == cs.PROCESS_STATUS_FINISHED
    assert pending(topo) == []
    _inactive(topo)
    started = len(processes(topo))

    with pytest.raises(grpc.RpcError) as refused:                # loads are rejected: no backup to trigger it
        backup(topo)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "INACTIVE" in refused.value.details()
    _alter(topo, "EW1001")                                       # an R27 trigger that an INACTIVE store still sees
    settle(topo)
    assert len(processes(topo)) == started                       # no automatic export
    assert pending(topo) == ["EW1001"]

    advance(topo, minutes=3 * DELAY)
    assert len(processes(topo)) == started                       # no extractor retry
    assert pending(topo) == ["EW1001"]
    assert "R18" in _extractors(topo)[NODE].last_outcome

    for trigger in (cs.TRIGGER_MACRO, cs.TRIGGER_NETBATCH, cs.TRIGGER_AUTOMATIC):
        refused_run = export(topo, trigger=trigger)
        assert (refused_run.status, refused_run.rule) == (cs.PROCESS_STATUS_REJECTED, "R18")
    assert len(processes(topo)) == started

    ui = export(topo, trigger=cs.TRIGGER_UI)
    assert (ui.status, ui.volumes_processed) == (cs.PROCESS_STATUS_FINISHED, 1)
    _assert_synced(topo)
