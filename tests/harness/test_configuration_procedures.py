"""The configuration changes as procedures, on the `minimal` DR pair (DS_WIN1_DES on \\INSIDX exporting to
E501_WIN1_SND on \\ETINIUM): stop exports / imports (R52), abandon a SECONDARY (R53) or a PRIMARY (R54) data store,
migrate a data store to the other domain (R58). What each leaves behind is read back through the services."""

from __future__ import annotations

import grpc
import pytest

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2 as gd, key_manager_pb2 as km, media_catalog_pb2 as mc
from emulator.v1 import storage_pb2 as st
from harness.errors import ScenarioError
from harness.history import read_history
from harness.runner import run_scenario
from harness.scenario import parse_scenario
from tests.harness.conftest import assert_step_rejected, last_op, settled_backup

A, B = "E501NEW", "YINE500"
A_STORE, B_STORE = "DS_WIN1_DES", "E501_WIN1_SND"
STAGING = "\\ETINIUM.$DATA15.E5CATSYN"
T = 10


def _missing(call) -> bool:
    try:
        call()
    except grpc.RpcError as exc:
        assert exc.code() == grpc.StatusCode.NOT_FOUND, exc
        return True
    return False


def _synced(sim, count: int = 2) -> list[str]:
    labels = settled_backup(sim, count)
    sim.import_("UPDATE")
    assert last_op(sim, "import").type == "ok"
    return labels


def _on_secondary_storage(sim, label: str) -> bool:
    return sim.topo.storage("STO_SEC").StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T).found


def _replicated(sim, labels: list[str]) -> None:
    """Wait (virtual time) until the storage replication has copied the images: a test of their deletion must
    see them there first."""
    for _ in range(24):
        if all(_on_secondary_storage(sim, lb) for lb in labels):
            return
        sim.advance("5m")
    raise AssertionError(f"the images of {labels} never reached STO_SEC")


def _jobs(sim, domain: str) -> list:
    """The NetBatch jobs on the domain manager node of `domain` (\\INSIDX for A, \\ETINIUM for B)."""
    node = "\\INSIDX" if domain == A else "\\ETINIUM"
    return list(sim.topo.catalog_sync(domain).ListJobs(cs.ListJobsRequest(node=node), timeout=T).jobs)


def _done(sim, name: str):
    event = last_op(sim, name)
    assert event.type == "ok", event.error
    return event.value


def _run(tmp_path, steps: str, seed: int = 3):
    text = f"name: t\ntopology: minimal\nseed: {seed}\nsteps:\n{steps}"
    result = run_scenario(parse_scenario(text, "t.yaml"), seed=seed, out=tmp_path / "run")
    return result, read_history(tmp_path / "run" / "history.jsonl")


# -- R52 -----------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R52")
def test_stop_exports_clears_the_configuration_and_no_export_runs_after_it(dr_pair):
    sim = dr_pair
    _synced(sim)
    sim.job(node="\\INSIDX", macro=f"BB026_EXPORT_CATALOG STOREID {A_STORE}, TYPE FULL", at="03:00", every="1d")
    sim.procedure("stop_exports", {})
    value = _done(sim, "stop_exports")
    assert [s["step"] for s in value["steps"]] == ["1", "2"] and value["rpo_seconds"] == 0
    config = sim.topo.domain(A).GetDataStore(bb.GetDataStoreRequest(id=A_STORE), timeout=T).data_store.export_config
    assert (config.full_export_frequency_days, config.export_check_delay_minutes, config.export_destination) == \
        (0, 0, "")
    jobs = _jobs(sim, A)
    assert not [j for j in jobs if A_STORE in j.macro_text]
    page = sim.topo.catalog_sync(A).GetExportStatus(cs.GetExportStatusRequest(data_store_id=A_STORE), timeout=T)
    latest = page.latest_export.export_id
    settled_backup(sim, 1)
    sim.advance("2d")
    # an automatic start finds exports stopped and ends quietly (R52, R31): no export, the volume stays pending
    page = sim.topo.catalog_sync(A).GetExportStatus(cs.GetExportStatusRequest(data_store_id=A_STORE), timeout=T)
    assert page.latest_export.export_id == latest, "nothing may export once exports are stopped"
    assert page.pending_count >= 1 and not page.exports_enabled


@pytest.mark.rule("R52")
def test_stop_imports_removes_the_nightly_import_job(dr_pair):
    sim = dr_pair
    _synced(sim)
    sim.job(node="\\ETINIUM", macro=f"BB027_IMPORT_CATALOG STOREID {B_STORE}, TYPE UPDATE", at="02:00", every="1d")
    sim.procedure("stop_imports", {})
    value = _done(sim, "stop_imports")
    assert value["steps"][0]["ok"] and value["rto_seconds"] == 0 and value["rpo_seconds"] == 0
    jobs = _jobs(sim, B)
    assert not [j for j in jobs if B_STORE in j.macro_text]
    imports = [e for e in sim.history.events if e.f.endswith("import") and e.type != "invoke"]
    sim.advance("2d")
    assert [e for e in sim.history.events if e.f.endswith("import") and e.type != "invoke"] == imports


# -- R53 -----------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R53")
def test_abandon_secondary_removes_staging_dsmtc_entries_catalog_configuration_images_and_keys(dr_pair):
    sim = dr_pair
    labels = _synced(sim, 3)
    _replicated(sim, labels)
    keys = {sim.topo.domain(B).GetVolume(bb.GetVolumeRequest(label=lb), timeout=T).volume.media_key_name
            for lb in labels} - {""}
    a_volumes = len(sim.topo.domain(A).ListVolumes(bb.ListVolumesRequest(data_store_id=A_STORE), timeout=T).volumes)
    sim.procedure("abandon_secondary", {"delete_images": True, "delete_keys": True})
    value = _done(sim, "abandon_secondary")
    assert [s["step"] for s in value["steps"]] == ["1", "2", "3", "4", "5", "6"]
    assert _missing(lambda: sim.topo.domain(B).GetDataStore(bb.GetDataStoreRequest(id=B_STORE), timeout=T))
    assert not sim.topo.domain(B).ListVolumes(bb.ListVolumesRequest(data_store_id=B_STORE), timeout=T).volumes
    assert not sim.topo.guardian("\\ETINIUM").ListFiles(gd.ListFilesRequest(subvolume=STAGING), timeout=T).files
    for label in labels:
        assert _missing(lambda lb=label: sim.topo.media_catalog("\\ETINIUM").GetTapeVolume(
            mc.GetTapeVolumeRequest(volser=lb, volcat="SHCH409VC"), timeout=T))
        assert not _on_secondary_storage(sim, label)
    assert keys and value["steps"][5]["ok"]
    for key in keys:   # a destroyed key answers that its material is gone
        with pytest.raises(grpc.RpcError) as gone:
            sim.topo.key_manager("ESKM-SEC").GetKey(km.GetKeyRequest(name=key), timeout=T)
        assert gone.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "destroyed" in gone.value.details()
    # the primary keeps its catalog, and exports nowhere any more
    assert len(sim.topo.domain(A).ListVolumes(bb.ListVolumesRequest(data_store_id=A_STORE), timeout=T).volumes) \
        == a_volumes
    ds = sim.topo.domain(A).GetDataStore(bb.GetDataStoreRequest(id=A_STORE), timeout=T).data_store
    assert ds.export_config.export_destination == ""
    assert sim.roles.pairs == [] and sim.roles.secondary_node == ""


@pytest.mark.rule("R53")
def test_abandon_secondary_keeps_the_images_and_keys_unless_asked(dr_pair):
    sim = dr_pair
    labels = _synced(sim, 1)
    _replicated(sim, labels)
    sim.procedure("abandon_secondary", {})
    assert _done(sim, "abandon_secondary")["steps"][5]["ok"]
    assert _on_secondary_storage(sim, labels[0])
    # with no SECONDARY site left, the verbs that default to it say so and what to give instead
    with pytest.raises(ScenarioError, match=r"no SECONDARY site .*give node:, e\.g\. node: \\INSIDX"):
        sim.restore_check()


@pytest.mark.rule("R53")
def test_abandon_secondary_refuses_a_primary_store(dr_pair):
    with pytest.raises(ScenarioError, match="not SECONDARY; abandon_primary"):
        dr_pair.procedure("abandon_secondary", {"data_store": A_STORE})


# -- R54 -----------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R54")
def test_abandon_primary_deletes_tape_files_first_then_volumes_images_and_configuration(dr_pair):
    sim = dr_pair
    labels = _synced(sim, 2)
    backups = list(sim.backups)
    keys = {sim.topo.domain(A).GetVolume(bb.GetVolumeRequest(label=lb), timeout=T).volume.media_key_name
            for lb in labels} - {""}
    sim.procedure("abandon_primary", {"delete_keys": True})
    value = _done(sim, "abandon_primary")
    steps = {s["step"]: s for s in value["steps"]}
    assert list(steps) == ["1", "2", "3", "4", "5"]
    deletes = [e for e in sim.history.events if e.f in ("mediacom", "delete_volume") and e.type == "invoke"]
    first_volume = next(i for i, e in enumerate(deletes) if e.f == "delete_volume")
    assert first_volume > 0 and all(e.f == "mediacom" for e in deletes[:first_volume]), \
        "R54: the TAPEFILEs go before the volumes"
    assert _missing(lambda: sim.topo.domain(A).GetDataStore(bb.GetDataStoreRequest(id=A_STORE), timeout=T))
    for label in labels:
        assert not sim.topo.storage("STO_PRI").StatImage(st.StatImageRequest(label=label, labeled=True),
                                                          timeout=T).found
        assert _missing(lambda lb=label: sim.topo.media_catalog("\\INSIDX").GetTapeVolume(
            mc.GetTapeVolumeRequest(volser=lb, volcat="QCVOLCAT"), timeout=T))
    for b in backups:
        assert not sim.topo.media_catalog("\\INSIDX").ListTapeFiles(mc.ListTapeFilesRequest(
            file_id_pattern=b["file_id"]), timeout=T).files
    assert keys and value["steps"][4]["ok"]
    for key in keys:   # the primary's key manager no longer serves them
        with pytest.raises(grpc.RpcError) as gone:
            sim.topo.key_manager("ESKM-PRI").GetKey(km.GetKeyRequest(name=key), timeout=T)
        assert "destroyed" in gone.value.details()
    # the secondary is not touched
    assert sim.topo.domain(B).GetVolume(bb.GetVolumeRequest(label=labels[0]), timeout=T).volume.label == labels[0]


# -- R58 -----------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R58")
def test_migrate_datastore_moves_the_catalog_and_the_backups_to_the_other_domain(dr_pair):
    sim = dr_pair
    labels = _synced(sim, 2)
    sim.procedure("migrate_datastore", {})
    value = _done(sim, "migrate_datastore")
    assert [s["step"] for s in value["steps"]] == [str(n) for n in range(1, 8)]
    assert value["rpo_seconds"] == 0 and value["rto_seconds"] == 0   # the FULL import took everything, at once
    b = sim.topo.domain(B).GetDataStore(bb.GetDataStoreRequest(id=B_STORE), timeout=T).data_store
    assert b.domain_access == bb.DOMAIN_ACCESS_PRIMARY
    assert _missing(lambda: sim.topo.domain(A).GetDataStore(bb.GetDataStoreRequest(id=A_STORE), timeout=T))
    for label in labels:
        assert sim.topo.domain(B).GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume.label == label
        assert _missing(lambda lb=label: sim.topo.domain(A).GetVolume(bb.GetVolumeRequest(label=lb), timeout=T))
    # the migrated store takes the next backup, and \ETINIUM restores the migrated ones (step 7)
    assert any(e.f == "restore_check" and e.type == "ok" and e.node == "\\ETINIUM" for e in sim.history.events)
    after = sim.backup(1)
    assert after and after[0]["domain"] == B, after


@pytest.mark.rule("R58")
def test_migrate_datastore_stops_before_the_switch_when_images_did_not_replicate(tmp_path):
    result, events = _run(tmp_path, """\
  - backup: 2
  - advance: 1h
  - import: UPDATE
  - fail: storage-replication-pause
  - backup: 1
  - migrate_datastore: {}
  - expect: {last: migrate_datastore, type: fail}
""")
    stopped = next(e for e in events if e.f == "migrate_datastore" and e.type != "invoke")
    assert stopped.type == "fail" and stopped.value["stopped_at"] == "4", stopped.error
    assert "storage replication" in stopped.error
    step = next(e for e in events if e.f == "migrate_datastore.4" and e.type != "invoke")
    assert step.value["operator_sees"]["export_status"], "the operator's pages come with the failed step"
    # nothing was switched or detached: both stores are where they were
    assert not any(e.f.startswith("migrate_datastore.") and e.value and e.value.get("step") in ("5", "6")
                   for e in events if e.type == "invoke")
    assert result.verdict == "valid", [c for c in result.checks if c["verdict"] != "valid"]


@pytest.mark.rule("R52")
@pytest.mark.rule("R53")
@pytest.mark.rule("R54")
def test_the_runs_of_the_abandon_procedures_are_valid(tmp_path):
    for name in ("abandon_secondary", "abandon_primary"):
        result, events = _run(tmp_path / name, f"""\
  - backup: 2
  - advance: 1h
  - import: UPDATE
  - {name}: {{}}
""")
        assert result.verdict == "valid", (name, [c for c in result.checks if c["verdict"] != "valid"])
        checks = {c["checker"]: c["summary"] for c in result.checks}
        assert "no SECONDARY store left to check" in checks["consistency"], checks
        rule = {"abandon_secondary": "R53", "abandon_primary": "R54"}[name]
        assert f"removed by {name} ({rule})): no RPO to measure" in checks["rpo"], checks


def test_a_fault_at_a_step_stops_the_procedure_there(tmp_path):
    result, events = _run(tmp_path, """\
  - backup: 2
  - migrate_datastore: {fail_at: 2}
  - expect: {last: migrate_datastore, type: fail}
""")
    stopped = next(e for e in events if e.f == "migrate_datastore" and e.type != "invoke")
    assert stopped.value["stopped_at"] == "2"
    assert result.verdict == "valid", [c for c in result.checks if c["verdict"] != "valid"]


def test_a_store_that_is_not_in_the_topology_is_named_in_the_error(dr_pair):
    with pytest.raises(ScenarioError, match="stop_exports: no data store NO_SUCH_DS in topology minimal"):
        dr_pair.procedure("stop_exports", {"data_store": "NO_SUCH_DS"})


@pytest.mark.parametrize("step, message", [
    ("stop_exports: {store: X}", "unknown key 'store'"),
    ("stop_imports: {data_store: 3}", "data_store is a name"),
    ("abandon_secondary: {delete_images: yes please}", "delete_images is true or false"),
    ("abandon_primary: {delete_images: true}", "unknown key 'delete_images'"),
    ("migrate_datastore: {fail_at: 9}", "fail_at 9 is not a step of migrate_datastore"),
    ("stop_exports: {fail_at: 1}", "has no fault of its own"),
    ("migrate_datastore: [to_store]", "takes a mapping"),
])
def test_malformed_configuration_procedures_are_rejected(step, message):
    assert_step_rejected(step, message)


@pytest.mark.rule("R52")
@pytest.mark.rule("R35")
def test_stop_imports_refuses_to_remove_a_job_for_every_store_and_spares_other_stores_jobs(dr_pair):
    """A BB027 job with STOREID ALL imports into this store too: removing it would stop the other stores' imports,
    so the step stops and says to split the job. Store ids are compared whole, after STOREID_ALIAS."""
    sim = dr_pair
    sim.job(node="\\ETINIUM", macro="BB027_IMPORT_CATALOG STOREID ALL, TYPE UPDATE", at="02:00", every="1d")
    assert sim.procedure("stop_imports", {}) is None
    stopped = last_op(sim, "stop_imports")
    assert "STOREID ALL" in stopped.error and "one job per data store" in stopped.error
    sim.job(node="\\ETINIUM", delete="all")
    sim.job(node="\\ETINIUM", macro=f"BB027_IMPORT_CATALOG STOREID {B_STORE}X, TYPE UPDATE", at="02:00")
    sim.job(node="\\ETINIUM", macro=f"BB027_IMPORT_CATALOG STOREID {B_STORE}, TYPE UPDATE", at="03:00")
    sim.procedure("stop_imports", {})
    left = _jobs(sim, B)
    assert [j.macro_text for j in left] == [f"BB027_IMPORT_CATALOG STOREID {B_STORE}X, TYPE UPDATE"]


@pytest.mark.rule("R58")
@pytest.mark.rule("R52")
def test_migrate_datastore_removes_the_targets_import_jobs_before_promoting_it(dr_pair):
    sim = dr_pair
    _synced(sim, 1)
    sim.job(node="\\ETINIUM", macro=f"BB027_IMPORT_CATALOG STOREID {B_STORE}, TYPE UPDATE", at="02:00", every="1d")
    sim.procedure("migrate_datastore", {})
    _done(sim, "migrate_datastore")
    assert not _jobs(sim, B)
    sim.advance("2d")
    assert not [e for e in sim.history.events if e.f == "auto-import"], "a PRIMARY store imports nothing (R17)"


@pytest.mark.rule("R54")
def test_after_abandon_primary_a_backup_says_the_store_was_abandoned(dr_pair):
    sim = dr_pair
    _synced(sim, 1)
    sim.procedure("abandon_primary", {})
    _done(sim, "abandon_primary")
    assert (sim.roles.primary_store, sim.roles.pairs) == ("", [])
    with pytest.raises(ScenarioError, match="DS_WIN1_DES was abandoned"):
        sim.backup(1)
