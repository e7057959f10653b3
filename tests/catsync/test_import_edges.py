"""Edges of the import found in review: a FULL export that could not write some volumes must not make the FULL
import delete them (R23), a volume of a primary group the summary does not know is a volume error (R39, R21),
BBCSIMP started by the platform itself refuses to run (R29), and an import runs at its configured priority
(R32)."""

from __future__ import annotations

import pytest

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs, staging_pb2
from emulator.v1 import guardian_pb2
from tests.backbox.conftest import topology_dict
from tests.catsync.conftest import (REMOTE, SEC, STAGING, T, backup, ems_texts, export, import_, read_file,
                                    secondary_store, secondary_volumes, settle, summary, volume_file)


def _write(topo, name: str, message, kind: int) -> None:
    topo.guardian(REMOTE).WriteFile(iter([guardian_pb2.WriteFileRequest(
        name=name, mode=guardian_pb2.WRITE_MODE_REPLACE, data=staging.encode(message, kind))]), timeout=T)


def _imported_once(sites) -> None:
    backup(sites, label="EW1003")
    settle(sites)
    assert export(sites, type_=cs.SYNC_TYPE_FULL).status == cs.PROCESS_STATUS_FINISHED
    assert import_(sites, type_=cs.SYNC_TYPE_FULL).status == cs.PROCESS_STATUS_FINISHED
    assert "EW1003" in {v.label for v in secondary_volumes(sites)}


@pytest.mark.rule("R23")
@pytest.mark.parametrize("failed_on_primary", [True, False], ids=["failed-by-the-full-export", "gone-from-primary"])
def test_full_import_keeps_a_volume_the_latest_full_export_failed_to_write(sites, failed_on_primary):
    _imported_once(sites)
    # a later FULL export whose summary leaves EW1003 out: either it could not write its file (failed_labels),
    # or the primary no longer had it
    s = summary(sites)
    file_run = volume_file(sites, "EW1003").run_sequence
    later = staging_pb2.ExportSummary()
    later.CopyFrom(s)
    later.run_sequence = later.last_full_run_sequence = file_run + 1
    del later.last_full_labels[:]
    later.last_full_labels.extend(label for label in s.last_full_labels if label != "EW1003")
    if failed_on_primary:
        later.failed_labels.append("EW1003")
    _write(sites, staging.summary_file(STAGING), later, staging.KIND_SUMMARY)

    run = import_(sites, type_=cs.SYNC_TYPE_FULL)

    assert run.status == cs.PROCESS_STATUS_FINISHED, run.reason
    deleted = [r.label for r in run.report.deleted]
    present = {v.label for v in secondary_volumes(sites)}
    if failed_on_primary:
        assert "EW1003" in present and "EW1003" not in deleted
    else:
        assert "EW1003" not in present and deleted == ["EW1003"]


@pytest.mark.rule("R39")
@pytest.mark.rule("R21")
def test_volume_of_a_primary_group_the_summary_does_not_know_is_a_volume_error(sites):
    _imported_once(sites)
    name = staging.volume_file(STAGING, "EW1003")
    payload = staging.decode_as(read_file(sites, name), staging.KIND_VOLUME, staging_pb2.VolumeExport, name)
    payload.volume_group_id = payload.volume.volume_group_id = "VG_GHOST"
    _write(sites, name, payload, staging.KIND_VOLUME)

    run = import_(sites, type_=cs.SYNC_TYPE_UPDATE)

    assert run.status == cs.PROCESS_STATUS_FINISHED
    (problem,) = run.report.volume_errors
    assert (problem.label, problem.code) == ("EW1003", "R39")
    assert "VG_GHOST" in problem.message and "FULL export" in problem.message
    page = sites.catalog_sync(SEC).GetImportStatus(cs.GetImportStatusRequest(data_store_id=run.data_store_id),
                                                   timeout=T)
    assert page.next_update_reimports_all


@pytest.mark.rule("R29")
@pytest.mark.parametrize("trigger", ["AUTOMATIC", "EXTRACTOR_RETRY"])
def test_bbcsimp_started_by_the_platform_refuses_to_run(sites, trigger):
    _imported_once(sites)
    before = {v.label: v for v in secondary_volumes(sites)}
    started = sites.guardian(REMOTE).StartProcess(guardian_pb2.StartProcessRequest(
        program="BBCSIMP", param=f"STOREID E501_WIN1_SND, TYPE FULL, TRIGGER {trigger}"), timeout=T).process
    settle(sites)

    ended = sites.guardian(REMOTE).GetProcess(guardian_pb2.GetProcessRequest(name=started.name), timeout=T).process
    assert ended.completion_code == 2
    assert any(f"{started.name} import of data store E501_WIN1_SND rejected (R29)" in t
               for t in ems_texts(sites, REMOTE))
    assert {v.label: v for v in secondary_volumes(sites)} == before


@pytest.mark.rule("R32")
def test_import_process_runs_at_the_import_process_priority(make_sites):
    data = topology_dict()
    secondary_store(data)["import_config"]["priority"] = 150
    topo = make_sites(data)
    run = import_(topo, wait=False)
    info = topo.guardian(REMOTE).GetProcess(guardian_pb2.GetProcessRequest(name=run.process), timeout=T).process
    assert (info.program, info.priority) == ("BBCSIMP", 150)
