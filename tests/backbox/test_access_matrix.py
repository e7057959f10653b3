"""The Domain Access matrix (R17), data store de-activation (R18) and the Catalog Sync license option (R1), each
cell asked twice: through CheckAccess, and through the real operation the cell governs (CreateVolumes, a VTC
Mount, RunDailyCleanup, the export triggers of R27, UpsertVolumes / DeleteVolumes of an import).

The expectations come from the manual's table (domain-facts §8 R17, S0 "Types of DS Processing"), copied below
in its own words; `emulator/domain_access.py` carries its own copy, which these tests check against the manual.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Callable, Iterator

import grpc
import pytest
from google.protobuf import duration_pb2

from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, media_catalog_pb2 as mc, tape_controller_pb2 as tc
from harness.launcher import Topology, start_topology
from tests.backbox.conftest import topology_dict

T = 10  # every RPC has a deadline
PRI_DOMAIN, SEC_DOMAIN = "E501NEW", "YINE500"
DS, VG, SEC_DS, SEC_VG = "DS_WIN1_DES", "VG_WIN1_DES", "E501_WIN1_SND", "VG_WIN1_DES2"
NODE, VOLCAT, FILECAT = "\\INSIDX", "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT"
READ_LABEL, NEW_LABEL, IMPORT_LABEL, STATUS_LABEL = "EW1002", "EW2001", "IM0001", "EW1005"
UI, AUTO, MACRO, TAPE = (bb.OPERATION_ORIGIN_UI, bb.OPERATION_ORIGIN_AUTOMATIC, bb.OPERATION_ORIGIN_MACRO,
                         bb.OPERATION_ORIGIN_TAPE_APPLICATION)
START_LOCAL_DATE = date(2025, 9, 23)  # clock start 2025-09-23T20:00Z is 15:00 on \INSIDX (UTC-5)

# -- R17, as the manual states it ------------------------------------------------------------------------------
COLUMNS = ("VOLUME_CREATION", "EXPORT", "IMPORT", "LOAD_INPUT", "LOAD_OUTPUT", "OBB017")
R17_TABLE = {
    #              Volume creation            Export  Import  Load input  Load output  OBB017
    "PRIMARY":    ("writes tape + catalogs", "OK",   "No",   "OK",       "OK",        "Executed"),
    "SECONDARY":  ("Rejected",               "No",   "OK",   "OK",       "Rejected",  "Skipped"),
    "RESTRICTED": ("BackBox catalog only",   "No",   "No",   "OK",       "Rejected",  "Skipped"),
}
ALLOWED_WORDS = {"writes tape + catalogs", "BackBox catalog only", "OK", "Executed"}
ACCESS = {"PRIMARY": bb.DOMAIN_ACCESS_PRIMARY, "SECONDARY": bb.DOMAIN_ACCESS_SECONDARY,
          "RESTRICTED": bb.DOMAIN_ACCESS_RESTRICTED}
FIX_WORDS = {  # what a refusal message must tell the user to do
    "VOLUME_CREATION": "PRIMARY", "EXPORT": "PRIMARY", "IMPORT": "SECONDARY", "LOAD_OUTPUT": "PRIMARY"}


def op(column: str) -> int:
    return bb.DataStoreOperation.Value(f"DATA_STORE_OPERATION_{column}")


CELLS = [pytest.param(access, column, word, id=f"{access}-{column}")
         for access, row in R17_TABLE.items() for column, word in zip(COLUMNS, row)]


# -- helpers -------------------------------------------------------------------------------------------------
def switch(sites, access: str, ds: str = DS, domain: str = PRI_DOMAIN) -> bb.SetDomainAccessResponse:
    resp = sites.domain(domain).SetDomainAccess(bb.SetDomainAccessRequest(id=ds, domain_access=ACCESS[access]),
                                                timeout=T)
    assert resp.data_store.domain_access == ACCESS[access]
    return resp


def refused(call: Callable[[], object], code: grpc.StatusCode = grpc.StatusCode.FAILED_PRECONDITION) -> str:
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert err.value.code() == code, err.value.details()
    return err.value.details()


def check(sites, operation: str, ds: str = DS, origin: int = 0, domain: str = PRI_DOMAIN) -> bb.AccessDecision:
    return sites.domain(domain).CheckAccess(bb.CheckAccessRequest(data_store_id=ds, operation=op(operation),
                                                                  origin=origin), timeout=T).decision


def volume(sites, label: str, domain: str = PRI_DOMAIN) -> bb.BackBoxVolume:
    return sites.domain(domain).GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume


def absent(sites, label: str, domain: str = PRI_DOMAIN) -> bool:
    """No BackBox record of the label."""
    return not sites.domain(domain).ListVolumes(bb.ListVolumesRequest(labels=[label]), timeout=T).volumes


def tape_volume_missing(sites, label: str) -> bool:
    try:
        sites.media_catalog(NODE).GetTapeVolume(mc.GetTapeVolumeRequest(volser=label, volcat=VOLCAT), timeout=T)
    except grpc.RpcError as exc:
        assert exc.code() == grpc.StatusCode.NOT_FOUND, exc.details()
        return True
    return False


def mount(sites, label: str, mode: int) -> tc.MountResponse:
    return sites.vtc("VTC1").Mount(tc.MountRequest(label=label, mode=mode, node=NODE, process="\\INSIDX.$BK01"),
                                   timeout=T)


def begin(sites, label: str, mode: int, drive: str = "$T101") -> bb.BeginVolumeOperationResponse:
    return sites.domain(PRI_DOMAIN).BeginVolumeOperation(bb.BeginVolumeOperationRequest(
        operation=bb.VOLUME_OPERATION_LOAD, label=label, mode=mode, vtc_id="VTC1", drive_id=drive, node=NODE),
        timeout=T)


def upsert(sites, ds: str, vg: str, label: str = IMPORT_LABEL, domain: str = PRI_DOMAIN
           ) -> bb.UpsertVolumesResponse:
    record = bb.BackBoxVolume(label=label, data_store_id=ds, volume_group_id=vg, labeled=True, read_access="A",
                              write_access="A", control_access="G")
    options = bb.UpsertVolumesOptions(data_store_id=ds, label=f"import {ds}", export_id="2025-09-23_15:00:00")
    return sites.domain(domain).UpsertVolumes(iter([bb.UpsertVolumesRequest(options=options, volumes=[record])]),
                                              timeout=T)


def clear_pending(sites, ds: str = DS) -> None:
    d = sites.domain(PRI_DOMAIN)
    last = d.ListPendingExports(bb.ListPendingExportsRequest(data_store_id=ds), timeout=T).last_sequence
    d.MarkExported(bb.MarkExportedRequest(data_store_id=ds, up_to_sequence=last, export_id="clear"), timeout=T)
    assert d.ListPendingExports(bb.ListPendingExportsRequest(data_store_id=ds), timeout=T).total == 0


def cleanup(sites, ds: str = DS) -> bb.DataStoreCleanupResult:
    resp = sites.domain(PRI_DOMAIN).RunDailyCleanup(bb.RunDailyCleanupRequest(data_store_ids=[ds]), timeout=30)
    (result,) = resp.results
    return result


def set_license(sites, domain: str, options: list[str], expiry: str = "2027-12-31") -> bb.LicenseStatus:
    return sites.domain(domain).SetLicense(bb.SetLicenseRequest(license=bb.License(
        key=f"{domain}-TEST", options=options, expiry_date=expiry)), timeout=T).license_status


@pytest.fixture(scope="module")
def shared_sites(tmp_path_factory) -> Iterator[Topology]:
    """One topology for the decision-only tests (they change nothing but access, status and license, which
    `decider` puts back): it saves a topology start per test."""
    topo = start_topology(topology_dict(), state_dir=tmp_path_factory.mktemp("access"))
    yield topo
    topo.close()


@pytest.fixture
def decider(shared_sites: Topology) -> Topology:
    """The shared topology back at its baseline: both stores ACTIVE, DS_WIN1_DES PRIMARY, Catalog Sync licensed."""
    for domain, ds in ((PRI_DOMAIN, DS), (SEC_DOMAIN, SEC_DS)):
        shared_sites.domain(domain).SetDataStoreStatus(bb.SetDataStoreStatusRequest(
            id=ds, status=bb.DATA_STORE_STATUS_ACTIVE), timeout=T)
        set_license(shared_sites, domain, ["CATALOG_SYNC", "ENCRYPTION"])
    switch(shared_sites, "PRIMARY")
    return shared_sites


def verdict(word: str) -> str:
    w = word.strip().lower()
    return ("catalog only" if "catalog only" in w else "refused" if w in ("no", "rejected")
            else "skipped" if w == "skipped" else "allowed")


@pytest.mark.rule("R17")
def test_code_table_matches_the_manual():
    """domain_access.py's docstring table gives the manual's verdicts (its words may differ)."""
    import emulator.domain_access as access_module

    rows = {}
    for line in access_module.__doc__.splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if cols[0] in R17_TABLE:
            rows[cols[0]] = [verdict(c) for c in cols[1:]]
    assert rows == {access: [verdict(w) for w in row] for access, row in R17_TABLE.items()}


# -- R17 through CheckAccess ---------------------------------------------------------------------------------
@pytest.mark.rule("R17")
@pytest.mark.parametrize("access, column, word", CELLS)
def test_check_access_follows_r17_when_store_is(decider, access, column, word):
    sites = decider
    if access != "PRIMARY":
        switch(sites, access)
    origin = bb.OPERATION_ORIGIN_UI if column in ("EXPORT", "IMPORT", "VOLUME_CREATION") else 0
    decision = check(sites, column, origin=origin)
    assert decision.rule == "R17"
    assert decision.domain_access == ACCESS[access]
    assert decision.allowed is (word in ALLOWED_WORDS)
    assert decision.catalog_only is (word == "BackBox catalog only")
    assert decision.skipped is (word == "Skipped")
    if not decision.allowed:
        assert access in decision.reason and DS in decision.reason
    if word in ("No", "Rejected"):
        assert FIX_WORDS[column] in decision.reason.split(";", 1)[1], decision.reason


@pytest.mark.rule("R17")
@pytest.mark.parametrize("operation", [bb.DATA_STORE_OPERATION_UNSPECIFIED, 99], ids=["UNSPECIFIED", "unknown"])
def test_check_access_refuses_when_operation_is_not_a_column(decider, operation):
    decision = decider.domain(PRI_DOMAIN).CheckAccess(bb.CheckAccessRequest(
        data_store_id=DS, operation=operation, origin=UI), timeout=T).decision
    assert not decision.allowed and decision.rule == "R17"
    assert "VOLUME_CREATION, EXPORT, IMPORT, LOAD_INPUT, LOAD_OUTPUT, OBB017" in decision.reason


# -- R17 through the real operations -------------------------------------------------------------------------
def _volume_creation(sites, access: str, word: str) -> None:
    d = sites.domain(PRI_DOMAIN)
    request = bb.CreateVolumesRequest(volume_group_id=VG, labels=[NEW_LABEL], user="SUPER.SUPER")
    if word == "Rejected":
        details = refused(lambda: d.CreateVolumes(request, timeout=T))
        assert "PRIMARY" in details and "import" in details
        assert absent(sites, NEW_LABEL)
        assert tape_volume_missing(sites, NEW_LABEL)
        return
    resp = d.CreateVolumes(request, timeout=T)
    assert [v.label for v in resp.volumes] == [NEW_LABEL] and not resp.rejected
    created = volume(sites, NEW_LABEL)
    if word == "BackBox catalog only":  # no tape, no DSM/TC TAPEVOLUME
        assert tape_volume_missing(sites, NEW_LABEL)
        assert created.catalog_status == mc.VOLUME_STATUS_UNSPECIFIED and not created.materialized
    else:
        assert not tape_volume_missing(sites, NEW_LABEL)
        assert created.catalog_status == mc.VOLUME_STATUS_SCRATCH and created.pending_export


def _export(sites, access: str, word: str) -> None:
    """The domain's share of an export: an R27 trigger makes a PRIMARY store's volume pending export, never
    another store's."""
    d = sites.domain(PRI_DOMAIN)
    clear_pending(sites)
    before = d.ListVolumeEvents(bb.ListVolumeEventsRequest(data_store_id=DS), timeout=T).last_sequence
    changed = d.AlterVolumeStatus(bb.AlterVolumeStatusRequest(labels=[STATUS_LABEL], status=mc.VOLUME_STATUS_RELEASED,
                                                              user="SUPER.SUPER"), timeout=T)
    assert [c.label for c in changed.changes] == [STATUS_LABEL]
    events = d.ListVolumeEvents(bb.ListVolumeEventsRequest(after_sequence=before, data_store_id=DS), timeout=T).events
    (event,) = [e for e in events if e.kind == bb.VOLUME_EVENT_KIND_CATALOG_STATUS_CHANGED]
    pending = d.ListPendingExports(bb.ListPendingExportsRequest(data_store_id=DS), timeout=T)
    if word == "OK":
        assert event.export_trigger and [p.label for p in pending.entries] == [STATUS_LABEL]
    else:
        assert not event.export_trigger and pending.total == 0
        assert not volume(sites, STATUS_LABEL).pending_export


def _import(sites, access: str, word: str, switched: bb.SetDomainAccessResponse | None = None) -> None:
    d = sites.domain(PRI_DOMAIN)
    if word == "No":
        details = refused(lambda: upsert(sites, DS, VG))
        assert "SECONDARY" in details and access in details
        assert absent(sites, IMPORT_LABEL)
        details = refused(lambda: d.DeleteVolumes(bb.DeleteVolumesRequest(data_store_id=DS, labels=[READ_LABEL]),
                                                  timeout=T))
        assert "SECONDARY" in details
        assert volume(sites, READ_LABEL).label == READ_LABEL
        return
    # R38: the switch warns that the DSM/TC group needs a FILECAT to receive imports; follow the fix.
    assert switched is not None
    assert any(w.code == "R38" and w.object_id == VG and w.field == "filecat" for w in switched.warnings)
    d.UpdateVolumeGroup(bb.UpdateVolumeGroupRequest(volume_group=bb.VolumeGroup(id=VG, filecat=FILECAT),
                                                    field_mask=["filecat"]), timeout=T)
    resp = upsert(sites, DS, VG)
    assert resp.added == 1 and resp.rejected == 0
    assert volume(sites, IMPORT_LABEL).imported_export_id == "2025-09-23_15:00:00"
    gone = d.DeleteVolumes(bb.DeleteVolumesRequest(data_store_id=DS, labels=[IMPORT_LABEL]), timeout=T)
    assert [v.label for v in gone.deleted] == [IMPORT_LABEL]
    assert absent(sites, IMPORT_LABEL)


def _load(sites, access: str, word: str, mode: int) -> None:
    v = sites.vtc("VTC1")
    if word == "Rejected":
        details = refused(lambda: mount(sites, READ_LABEL, mode))
        assert "PRIMARY" in details and access in details
        latest = v.ListMountRequests(tc.ListMountRequestsRequest(limit=1), timeout=T).mounts[0]
        assert latest.status == bb.TAPE_MOUNT_STATUS_FAILED and "PRIMARY" in latest.message
        assert not volume(sites, READ_LABEL).current_operation
        # what the VTC asked: the domain refuses, and takes no lock
        assert "load for output" in refused(lambda: begin(sites, READ_LABEL, mode))
        assert not volume(sites, READ_LABEL).current_operation
        return
    resp = mount(sites, READ_LABEL, mode)
    assert resp.mount.status == bb.TAPE_MOUNT_STATUS_LOADED and resp.drive.status == tc.DRIVE_STATUS_INUSE
    assert volume(sites, READ_LABEL).current_operation == bb.VOLUME_OPERATION_LOAD
    v.Unload(tc.UnloadRequest(drive_id=resp.drive.id, label=READ_LABEL), timeout=T)
    assert not volume(sites, READ_LABEL).current_operation


def _obb017(sites, access: str, word: str) -> None:
    result = cleanup(sites)
    assert result.executed is (word == "Executed") and result.decision.allowed is (word == "Executed")
    assert result.decision.skipped is (word == "Skipped")
    if word == "Skipped":
        assert result.decision.rule == "R17" and access in result.decision.reason
        assert not result.freed_labels and not result.status_changes


OPERATIONS: dict[str, Callable] = {
    "VOLUME_CREATION": _volume_creation, "EXPORT": _export, "IMPORT": _import, "OBB017": _obb017,
    "LOAD_INPUT": lambda s, a, w: _load(s, a, w, bb.MOUNT_MODE_INPUT),
    "LOAD_OUTPUT": lambda s, a, w: _load(s, a, w, bb.MOUNT_MODE_OUTPUT),
}


@pytest.mark.rule("R17")
@pytest.mark.parametrize("access, column, word", CELLS)
def test_operation_follows_r17_when_store_is(sites, access, column, word):
    switched = switch(sites, access) if access != "PRIMARY" else None
    if column == "IMPORT":
        _import(sites, access, word, switched)
    else:
        OPERATIONS[column](sites, access, word)


@pytest.mark.rule("R17")
def test_load_output_is_refused_when_store_switches_during_the_load(sites, monkeypatch):
    """A switch to SECONDARY committed between the domain's first access check and its lock (here: while it reads
    DSM/TC) must not let the write through."""
    domain = sites.nodes[NODE].domain
    original = domain.mounts._dsmtc_states

    def switch_meanwhile(vg, labels):
        states = original(vg, labels)
        domain.set_domain_access(DS, bb.DOMAIN_ACCESS_SECONDARY)
        return states
    monkeypatch.setattr(domain.mounts, "_dsmtc_states", switch_meanwhile)
    details = refused(lambda: begin(sites, READ_LABEL, bb.MOUNT_MODE_OUTPUT))
    assert "SECONDARY" in details and "PRIMARY" in details
    assert not volume(sites, READ_LABEL).current_operation


# -- R17 / §4: access codes and the current-operation lock ---------------------------------------------------
@pytest.mark.rule("R17")
@pytest.mark.parametrize("access", ["SECONDARY", "RESTRICTED"])
def test_write_access_is_disabled_when_store_is(sites, access):
    d = sites.domain(PRI_DOMAIN)
    assert volume(sites, READ_LABEL).write_access == "A"
    switch(sites, access)
    assert volume(sites, READ_LABEL).write_access == "."
    details = refused(lambda: d.UpdateVolume(bb.UpdateVolumeRequest(
        volume=bb.BackBoxVolume(label=READ_LABEL, write_access="A"), field_mask=["write_access"]), timeout=T),
        grpc.StatusCode.INVALID_ARGUMENT)
    assert "'.'" in details and "PRIMARY" in details
    if access == "RESTRICTED":
        made = d.CreateVolumes(bb.CreateVolumesRequest(volume_group_id=VG, labels=[NEW_LABEL], write_access="A"),
                               timeout=T).volumes[0]
        assert (made.write_access, made.read_access) == (".", "?")  # `?` = authorisation as at backup time
    else:
        d.UpdateVolumeGroup(bb.UpdateVolumeGroupRequest(volume_group=bb.VolumeGroup(id=VG, filecat=FILECAT),
                                                        field_mask=["filecat"]), timeout=T)
        upsert(sites, DS, VG)  # the record says write access A
        assert volume(sites, IMPORT_LABEL).write_access == "."


@pytest.mark.rule("R17")
def test_load_is_refused_when_volume_is_loaded_until_reset(sites):
    d = sites.domain(PRI_DOMAIN)
    first = mount(sites, READ_LABEL, bb.MOUNT_MODE_INPUT)
    held = volume(sites, READ_LABEL)
    assert held.current_operation == bb.VOLUME_OPERATION_LOAD and held.operation_id == first.mount.operation_id
    details = refused(lambda: begin(sites, READ_LABEL, bb.MOUNT_MODE_INPUT, drive="$T102"))
    assert "busy" in details and "Reset" in details
    details = refused(lambda: switch(sites, "SECONDARY"))  # R55 step 1: not while a volume is in use
    assert READ_LABEL in details
    reset = d.ResetVolumeOperation(bb.ResetVolumeOperationRequest(label=READ_LABEL, user="SUPER.SUPER"), timeout=T)
    assert reset.previous_operation == bb.VOLUME_OPERATION_LOAD and not reset.volume.current_operation
    again = mount(sites, READ_LABEL, bb.MOUNT_MODE_INPUT)  # on the other drive: the VTC still holds the first
    assert again.mount.status == bb.TAPE_MOUNT_STATUS_LOADED and again.drive.id != first.drive.id


# -- R18: an INACTIVE store ----------------------------------------------------------------------------------
R18_CASES = [  # (column, origin, verdict); EXPORT asked of the PRIMARY store, IMPORT of the SECONDARY one
    ("VOLUME_CREATION", UI, "Rejected"), ("LOAD_INPUT", TAPE, "Rejected"), ("LOAD_OUTPUT", TAPE, "Rejected"),
    ("OBB017", AUTO, "Skipped"),
    ("EXPORT", AUTO, "Rejected"), ("EXPORT", MACRO, "Rejected"), ("EXPORT", 0, "Rejected"), ("EXPORT", UI, "OK"),
    ("IMPORT", AUTO, "Rejected"), ("IMPORT", MACRO, "Rejected"), ("IMPORT", UI, "OK"),
]


def deactivate(sites, column: str) -> tuple[str, str]:
    domain, ds = (SEC_DOMAIN, SEC_DS) if column == "IMPORT" else (PRI_DOMAIN, DS)
    resp = sites.domain(domain).SetDataStoreStatus(bb.SetDataStoreStatusRequest(
        id=ds, status=bb.DATA_STORE_STATUS_INACTIVE), timeout=T)
    assert resp.data_store.status == bb.DATA_STORE_STATUS_INACTIVE
    return domain, ds


@pytest.mark.rule("R18")
@pytest.mark.parametrize("column, origin, verdict", [
    pytest.param(*c, id=f"{c[0]}-{bb.OperationOrigin.Name(c[1]).removeprefix('OPERATION_ORIGIN_')}")
    for c in R18_CASES])
def test_check_access_when_store_is_inactive(decider, column, origin, verdict):
    sites = decider
    domain, ds = deactivate(sites, column)
    decision = check(sites, column, ds, origin, domain)
    assert decision.rule == "R18" and decision.status == bb.DATA_STORE_STATUS_INACTIVE
    assert decision.allowed is (verdict == "OK")
    assert decision.skipped is (verdict == "Skipped")
    assert "INACTIVE" in decision.reason
    if verdict != "OK":
        fix = "from the UI" if column in ("EXPORT", "IMPORT") else "SetDataStoreStatus ACTIVE"
        assert fix in decision.reason, decision.reason


@pytest.mark.rule("R18")
def test_inactive_store_rejects_creation_and_skips_obb017(sites):
    d = sites.domain(PRI_DOMAIN)
    deactivate(sites, "VOLUME_CREATION")
    details = refused(lambda: d.CreateVolumes(bb.CreateVolumesRequest(volume_group_id=VG, labels=[NEW_LABEL]),
                                              timeout=T))
    assert "INACTIVE" in details and "SetDataStoreStatus ACTIVE" in details
    assert tape_volume_missing(sites, NEW_LABEL)
    result = cleanup(sites)
    assert not result.executed and result.decision.skipped and result.decision.rule == "R18"


@pytest.mark.rule("R18")
@pytest.mark.parametrize("mode", [bb.MOUNT_MODE_INPUT, bb.MOUNT_MODE_OUTPUT], ids=["INPUT", "OUTPUT"])
def test_inactive_store_rejects_loads(sites, mode):
    deactivate(sites, "LOAD_INPUT")
    for attempt in (lambda: mount(sites, READ_LABEL, mode), lambda: begin(sites, READ_LABEL, mode)):  # VTC, domain
        details = refused(attempt)
        assert "INACTIVE" in details and "SetDataStoreStatus ACTIVE" in details
    assert not volume(sites, READ_LABEL).current_operation
    sites.domain(PRI_DOMAIN).SetDataStoreStatus(bb.SetDataStoreStatusRequest(
        id=DS, status=bb.DATA_STORE_STATUS_ACTIVE), timeout=T)
    assert mount(sites, READ_LABEL, mode).mount.status == bb.TAPE_MOUNT_STATUS_LOADED  # re-activated: loads again


@pytest.mark.rule("R18")
def test_inactive_store_leaves_automatic_export_pending(sites):
    """The R27 trigger is still recorded; the export waits for re-activation or a UI export."""
    deactivate(sites, "EXPORT")
    clear_pending(sites)
    sites.domain(PRI_DOMAIN).AlterVolumeStatus(bb.AlterVolumeStatusRequest(
        labels=[STATUS_LABEL], status=mc.VOLUME_STATUS_RELEASED), timeout=T)
    pending = sites.domain(PRI_DOMAIN).ListPendingExports(bb.ListPendingExportsRequest(data_store_id=DS), timeout=T)
    assert [p.label for p in pending.entries] == [STATUS_LABEL]


@pytest.mark.rule("R18")
def test_ui_import_runs_when_secondary_store_is_inactive(sites):
    deactivate(sites, "IMPORT")
    resp = upsert(sites, SEC_DS, SEC_VG, domain=SEC_DOMAIN)
    assert resp.added == 1
    assert volume(sites, IMPORT_LABEL, SEC_DOMAIN).write_access == "."


# -- R1: the Catalog Sync license option ---------------------------------------------------------------------
@pytest.mark.rule("R1")
@pytest.mark.parametrize("domain, ds, column", [(PRI_DOMAIN, DS, "EXPORT"), (SEC_DOMAIN, SEC_DS, "IMPORT")])
def test_catalog_sync_is_refused_when_license_lacks_option(decider, domain, ds, column):
    sites = decider
    status = set_license(sites, domain, ["ENCRYPTION"])
    assert status.valid and not status.catalog_sync
    for origin in (UI, MACRO, AUTO):
        decision = check(sites, column, ds, origin, domain)
        assert not decision.allowed and decision.rule == "R1"
        assert "CATALOG_SYNC" in decision.reason and "SetLicense" in decision.reason
    other = "VOLUME_CREATION" if column == "EXPORT" else "LOAD_INPUT"
    assert check(sites, other, ds, UI, domain).allowed  # only Catalog Sync needs the option
    if column == "IMPORT":
        d = sites.domain(domain)
        assert "CATALOG_SYNC" in refused(lambda: upsert(sites, SEC_DS, SEC_VG, domain=SEC_DOMAIN))
        assert "CATALOG_SYNC" in refused(lambda: d.DeleteVolumes(bb.DeleteVolumesRequest(
            data_store_id=SEC_DS, labels=[IMPORT_LABEL]), timeout=T))
    set_license(sites, domain, ["CATALOG_SYNC", "ENCRYPTION"])
    assert check(sites, column, ds, UI, domain).allowed


@pytest.mark.rule("R1")
@pytest.mark.parametrize("options, links", [
    (["CATALOG_SYNC"], {PRI_DOMAIN: bb.CATALOG_SYNC_LINK_EXPORT_STATUS, SEC_DOMAIN: bb.CATALOG_SYNC_LINK_IMPORT_STATUS}),
    (["ENCRYPTION"], {PRI_DOMAIN: bb.CATALOG_SYNC_LINK_UNSPECIFIED, SEC_DOMAIN: bb.CATALOG_SYNC_LINK_UNSPECIFIED}),
], ids=["licensed", "unlicensed"])
def test_storage_admin_catalog_sync_link(decider, options, links):
    sites = decider
    for domain, link in links.items():
        set_license(sites, domain, options)
        rows = sites.domain(domain).GetStorageAdminStatus(bb.GetStorageAdminStatusRequest(), timeout=T).rows
        assert rows and all(r.catalog_sync_link == link for r in rows)


@pytest.mark.rule("R1")
@pytest.mark.parametrize("days, warns", [(7, True), (8, False)])
@pytest.mark.parametrize("advance_hours", [0, 6], ids=["15h00-local", "21h00-local-next-UTC-day"])
def test_license_expiry_warning_w3162(sites, days, warns, advance_hours):
    """W3162 within 7 days of the expiry, counted in the domain manager's local date (\\INSIDX is UTC-5: at
    02:00Z on the 24th it is still the 23rd there)."""
    if advance_hours:
        by = duration_pb2.Duration(seconds=advance_hours * 3600)
        sites.clock_service().Advance(clock_pb2.AdvanceRequest(by=by), timeout=T)
    expiry = (START_LOCAL_DATE + timedelta(days=days)).isoformat()
    set_status = set_license(sites, PRI_DOMAIN, ["CATALOG_SYNC"], expiry)
    read = sites.domain(PRI_DOMAIN).GetDomainConfig(bb.GetDomainConfigRequest(), timeout=T).license_status
    for status in (set_status, read):
        assert status.days_to_expiry == days and status.valid and status.catalog_sync
        assert status.warning is warns
        if warns:
            assert status.warning_code == "W3162"
            assert status.warning_text == f"Domain license will expire on {expiry}."
        else:
            assert not status.warning_code and not status.warning_text


@pytest.mark.rule("R17")  # found while checking that a refused creation left no record
def test_get_volume_is_not_found_when_label_unknown(decider):
    sites = decider
    assert "ZZ9999" in refused(lambda: volume(sites, "ZZ9999"), grpc.StatusCode.NOT_FOUND)
