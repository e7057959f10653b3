"""The Catalog Sync import (BBCSIMP) on the two-site topology, rule by rule: what may start it (R1, R17, R18, R25,
R29, R35, R48), the configuration check that aborts it before any change (R10, R14, R16, R38, R39, R41-R43, R45),
what it writes (R13-R15, R22-R24, R40, R44, R50), how it recovers from volume errors (R21), its traces (R51), the
Import Status page and Check Against Primary Configuration.

Secondary configurations the platform refuses at configuration time (R38 blank FILECAT, R43 TMF group, R16 default
FILECAT with Nodes Replacement) are reached the way a real site reaches them: through a role switch, which only
warns (R55), or by altering MEDIADEFS after the store was configured."""

from __future__ import annotations

from typing import Any, Callable

import grpc
import pytest

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, control_pb2, guardian_pb2, media_catalog_pb2 as mc
from tests.backbox.conftest import topology_dict
from tests.catsync.conftest import (NODE, PRI, REMOTE, SEC, SEC_FILECAT, SEC_STORE, SEC_VOLCAT, STAGING, STORE, T,
                                    VOLCAT, advance, arm, backup, ems_texts, export, import_, import_status,
                                    primary_entries, primary_volumes, read_file, secondary_catalogs,
                                    secondary_entries, secondary_store, secondary_volumes, settle)

FULL, UPDATE = cs.SYNC_TYPE_FULL, cs.SYNC_TYPE_UPDATE
FINISHED, FAILED, REJECTED = cs.PROCESS_STATUS_FINISHED, cs.PROCESS_STATUS_FAILED, cs.PROCESS_STATUS_REJECTED
DSMTC, NONE, TMF = bb.TAPE_CATALOG_TYPE_DSMTC, bb.TAPE_CATALOG_TYPE_NONE, bb.TAPE_CATALOG_TYPE_TMF
DES2 = "VG_WIN1_DES2"
SEC_POOL = "E501_WIN_2ND"
PRI_FILECAT = "\\INSIDX.QCFILCAT"
DES_LABELS = [f"EW{n}" for n in range(1001, 1011)]
SALES = "\\INSIDX.$DATA01.SALES."


# -- topologies ------------------------------------------------------------------------------------------------------

def group(gid: str, primary: str, catalog: str = "DSMTC", **extra: Any) -> dict[str, Any]:
    """A secondary volume group taking primary group `primary` (R10)."""
    g: dict[str, Any] = {"id": gid, "tape_catalog": catalog, "max_volume_size_mb": 1}
    if primary:
        g["primary_volume_group_id"] = primary
    if catalog == "DSMTC":
        g.update(volcat="SHCH409VC", pool=SEC_POOL, filecat="SHCH409FC")
    g.update(extra)
    return g


def with_groups(*groups: dict[str, Any], km: str = "KM1", **des2: Any) -> dict[str, Any]:
    """The two-site topology with more secondary groups, VG_WIN1_DES2 changed by `des2`, and the secondary domain's
    key manager id `km`."""
    data = topology_dict()
    store = secondary_store(data)
    store["volume_groups"][0].update(des2)
    store["volume_groups"] += list(groups)
    data["domains"][1]["key_managers"] = [{"id": km, "server": "ESKM-SEC"}]
    return data


def every_group_mapped(**des2: Any) -> dict[str, Any]:
    return with_groups(group("VG_WIN1_DES_NC2", "VG_WIN1_DES_NC", "NONE"),
                       group("VG_WIN1_ENC2", "VG_WIN1_ENC", key_manager_id="KM1"), **des2)


def with_local_primary_store(volcat: str = "SHCH409VC") -> dict[str, Any]:
    """YINE500 also owns a PRIMARY store registering local backups in `volcat` (R9, R42)."""
    data = topology_dict()
    data["domains"][1]["data_stores"].append(
        {"id": "DS_LOCAL", "type": "WINDISK", "domain_access": "PRIMARY", "storage": "STO_SEC",
         "volume_groups": [{"id": "VG_LOCAL", "tape_catalog": "DSMTC", "volcat": volcat, "pool": SEC_POOL,
                            "max_volume_size_mb": 1}]})
    return data


# -- actions ---------------------------------------------------------------------------------------------------------

def update_group(topo, gid: str = DES2, **fields: Any) -> bb.UpdateVolumeGroupResponse:
    return topo.domain(SEC).UpdateVolumeGroup(bb.UpdateVolumeGroupRequest(
        volume_group=bb.VolumeGroup(id=gid, **fields), field_mask=list(fields)), timeout=T)


def update_import_config(topo, **fields: Any) -> None:
    topo.domain(SEC).UpdateImportConfig(bb.UpdateImportConfigRequest(
        data_store_id=SEC_STORE, import_config=bb.ImportConfig(**fields), field_mask=list(fields)), timeout=T)


def set_access(topo, access: int) -> None:
    topo.domain(SEC).SetDomainAccess(bb.SetDomainAccessRequest(id=SEC_STORE, domain_access=access,
                                                               primary_data_store_id=STORE), timeout=T)


def role_switch_change(topo, **fields: Any) -> None:
    """Change VG_WIN1_DES2 while its store is PRIMARY, then make it SECONDARY again (warnings only, R55)."""
    set_access(topo, bb.DOMAIN_ACCESS_PRIMARY)
    update_group(topo, **fields)
    set_access(topo, bb.DOMAIN_ACCESS_SECONDARY)


def mediacom(topo, node: str, text: str) -> str:
    resp = topo.media_catalog(node).Mediacom(mc.MediacomRequest(text=text), timeout=T)
    assert resp.ok, resp.output
    return resp.output


def macro(topo, text: str, *, wait: bool = True) -> cs.RunMacroResponse:
    return topo.catalog_sync(SEC).RunMacro(cs.RunMacroRequest(text=text, node=REMOTE, wait=wait), timeout=T)


def check(topo, store: str = SEC_STORE, domain: str = SEC) -> cs.CheckAgainstPrimaryResponse:
    return topo.catalog_sync(domain).CheckAgainstPrimary(cs.CheckAgainstPrimaryRequest(data_store_id=store),
                                                         timeout=T)


def write_staging(topo, name: str, data: bytes) -> None:
    topo.guardian(REMOTE).WriteFile(iter([guardian_pb2.WriteFileRequest(name=name, data=data)]), timeout=T)


def full_sync(topo) -> cs.ImportRun:
    export(topo, type_=FULL)
    run = import_(topo, type_=FULL)
    assert run.status == FINISHED, run.reason
    return run


def synced_then_changed(topo) -> dict[str, Any]:
    """FULL export + FULL import, then a new backup exported on its own: the staging area holds news, and the
    secondary's catalogs (returned) are what a refused import must leave exactly as they are."""
    full_sync(topo)
    advance(topo, minutes=5)
    backup(topo, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES)
    settle(topo)
    return secondary_catalogs(topo)


def sec_ems(topo, code: str) -> list[str]:
    return [t for t in ems_texts(topo, REMOTE) if t.startswith(f"{SEC}-{code}")]


def coded(run: cs.ImportRun, code: str) -> list[str]:
    return [line for line in run.report.lines if line.startswith(f"{SEC}-{code}")]


def bbcsimp_processes(topo) -> list[guardian_pb2.ProcessInfo]:
    return list(topo.guardian(REMOTE).ListProcesses(guardian_pb2.ListProcessesRequest(program="BBCSIMP"),
                                                    timeout=T).processes)


# -- only on request (R29, R35, R1, R17, R18, R25, R48) ----------------------------------------------------------

@pytest.mark.rule("R29")
@pytest.mark.parametrize("trigger", [cs.TRIGGER_AUTOMATIC, cs.TRIGGER_EXTRACTOR_RETRY],
                         ids=["automatic", "extractor-retry"])
def test_import_is_refused_when_the_trigger_is_not_a_request(sites, trigger):
    export(sites, type_=FULL)
    with pytest.raises(grpc.RpcError) as err:
        import_(sites, trigger=trigger)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION and "R29" in err.value.details()
    assert bbcsimp_processes(sites) == []


@pytest.mark.rule("R29")
def test_no_import_starts_without_a_request(sites):
    export(sites, type_=FULL)
    backup(sites)
    settle(sites)
    advance(sites, days=2)
    assert bbcsimp_processes(sites) == []
    assert not import_status(sites).HasField("latest_import")
    assert secondary_volumes(sites) == []


@pytest.mark.rule("R35")
def test_bb027_resolves_store_id_aliases_and_applies_its_options(make_sites):
    data = topology_dict()
    secondary_store(data)["id"] = "E501 WIN1 SND"
    sites = make_sites(data)
    backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES)
    settle(sites)
    export(sites, type_=FULL)
    full = macro(sites, "LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS BB027_IMPORT_CATALOG STOREID E501_WIN1_SND,"
                        " STOREID_ALIAS 1, CATALOGFILES NO, TYPE FULL")
    assert full.ok, full.error_message
    assert full.calls[0].resolved_store_id == "E501 WIN1 SND"
    run = full.import_runs[0]
    assert (run.data_store_id, run.type, run.status, run.trigger) == ("E501 WIN1 SND", FULL, FINISHED,
                                                                      cs.TRIGGER_MACRO)
    assert not run.catalog_files and run.volumes_processed == 10
    assert secondary_entries(sites, ["EW1001"])["EW1001"][2] == [], "CATALOGFILES NO: no DISKFILE inserted"
    update = macro(sites, "BB027_IMPORT_CATALOG STOREID E501+WIN1+SND, STOREID_ALIAS 2")
    assert update.ok and update.import_runs[0].type == UPDATE, "TYPE defaults to UPDATE"
    assert update.import_runs[0].catalog_files and update.import_runs[0].status == FINISHED
    plain = macro(sites, "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND")
    assert not plain.ok and not plain.import_runs
    assert "E501_WIN1_SND does not exist" in plain.error_message and "E501 WIN1 SND" in plain.error_message


@pytest.mark.rule("R35")
@pytest.mark.rule("R17")
def test_bb027_storeid_all_imports_every_secondary_store_and_a_primary_store_is_refused(make_sites):
    data = with_local_primary_store(volcat="LOCALVC")
    data["domains"][1]["data_stores"].append(
        {"id": "E501_WIN1_SN2", "type": "WINDISK", "domain_access": "SECONDARY", "storage": "STO_SEC",
         "import_config": {"import_source": "\\ETINIUM.$DATA15.E5CATSY2"}, "volume_groups": []})
    sites = make_sites(data)
    export(sites, type_=FULL)
    every = macro(sites, "BB027_IMPORT_CATALOG STOREID ALL, TYPE FULL")
    assert sorted(r.data_store_id for r in every.import_runs) == sorted([SEC_STORE, "E501_WIN1_SN2"])
    assert {r.data_store_id: r.status for r in every.import_runs}[SEC_STORE] == FINISHED
    refused = macro(sites, "BB027_IMPORT_CATALOG STOREID DS_LOCAL, TYPE FULL")
    run = refused.import_runs[0]
    assert not refused.ok and run.status == REJECTED and run.rule == "R17" and not run.process
    assert "PRIMARY" in run.reason and "(R17)" in refused.output[0]
    ui = import_(sites, "DS_LOCAL", FULL)
    assert ui.status == REJECTED and ui.rule == "R17"


@pytest.mark.rule("R1")
def test_import_needs_the_catalog_sync_license_option(sites):
    export(sites, type_=FULL)
    sites.domain(SEC).SetLicense(bb.SetLicenseRequest(license=bb.License(
        key="YINE-NOCS", options=["ENCRYPTION"], expiry_date="2027-12-31")), timeout=T)
    run = import_(sites, type_=FULL)
    assert run.status == REJECTED and run.rule == "R1" and "CATALOG_SYNC" in run.reason
    assert bbcsimp_processes(sites) == [] and secondary_volumes(sites) == []


@pytest.mark.rule("R18")
def test_inactive_store_imports_from_the_ui_only(sites):
    export(sites, type_=FULL)
    sites.domain(SEC).SetDataStoreStatus(bb.SetDataStoreStatusRequest(
        id=SEC_STORE, status=bb.DATA_STORE_STATUS_INACTIVE), timeout=T)
    refused = macro(sites, f"BB027_IMPORT_CATALOG STOREID {SEC_STORE}, TYPE FULL")
    assert not refused.ok and refused.import_runs[0].status == REJECTED and refused.import_runs[0].rule == "R18"
    assert secondary_volumes(sites) == []
    ui = import_(sites, type_=FULL, trigger=cs.TRIGGER_UI)
    assert ui.status == FINISHED and ui.volumes_processed == 10


@pytest.mark.rule("R48")
def test_blank_import_source_refuses_the_import(sites):
    export(sites, type_=FULL)
    update_import_config(sites, import_source="")
    run = import_(sites, type_=FULL)
    assert run.status == REJECTED and run.rule == "R48" and "Import Source" in run.reason
    assert bbcsimp_processes(sites) == []


@pytest.mark.rule("R25")
def test_one_import_process_per_store_at_a_time(sites):
    export(sites, type_=FULL)
    first = import_(sites, type_=FULL, wait=False)
    second = import_(sites, wait=False)
    assert first.status == cs.PROCESS_STATUS_RUNNING and first.process
    assert second.status == REJECTED and second.rule == "R25" and first.process in second.reason
    settle(sites)
    latest = import_status(sites).latest_import
    assert latest.process == first.process and latest.status == FINISHED
    assert [p.name for p in bbcsimp_processes(sites)] == [first.process]


# -- mapping and the configuration check (R10, R39, R14, R16, R38, R41-R43, R45) -------------------------------

@pytest.mark.rule("R10")
def test_store_and_group_names_are_mapped_through_the_primary_ids(make_sites):
    sites = make_sites(with_groups(group("VG_WIN1_DES_NC", "", "NONE")))   # same name: no primary id needed
    run = full_sync(sites)
    assert run.primary_data_store_id == STORE and run.report.header.primary_data_store_id == STORE
    assert "                    Primary data store: DS_WIN1_DES" in run.report.lines
    rows = {r.secondary_volume_group_id: r.primary_volume_group_id for r in run.report.validation}
    assert rows == {DES2: "VG_WIN1_DES", "VG_WIN1_DES_NC": "VG_WIN1_DES_NC", "": "VG_WIN1_ENC"}
    groups = {v.label: (v.data_store_id, v.volume_group_id) for v in secondary_volumes(sites)}
    assert groups == {**{label: (SEC_STORE, DES2) for label in DES_LABELS},
                      **{f"ENCS0{n}": (SEC_STORE, "VG_WIN1_DES_NC") for n in (1, 2, 3)}}


@pytest.mark.rule("R39")
def test_primary_groups_missing_here_are_warned_and_their_volumes_rejected(sites):
    backup(sites, file_id="ENC-FILE", group="VG_WIN1_ENC")
    settle(sites)
    run = full_sync(sites)
    assert run.volumes_processed == 10 and run.volume_errors == 0 and not run.report.fatal
    for pg in ("VG_WIN1_DES_NC", "VG_WIN1_ENC"):
        text = (f"{SEC}-W3332 Primary volume group {pg} is not configured in the local secondary domain {SEC} for"
                f" data store {STORE}. For this group, volumes to import will be rejected.")
        assert list(run.report.lines).count(text) == 1
        row = next(r for r in run.report.validation if r.primary_volume_group_id == pg)
        assert row.volumes_rejected and row.warning.code == "W3332" and not row.secondary_volume_group_id
    problems = [(p.code, p.object_id, p.severity) for p in check(sites).problems]
    assert problems == [("W3332", "VG_WIN1_DES_NC", bb.PROBLEM_SEVERITY_WARNING),
                        ("W3332", "VG_WIN1_ENC", bb.PROBLEM_SEVERITY_WARNING)]
    assert sorted(v.label for v in secondary_volumes(sites)) == DES_LABELS
    assert not [r for r in secondary_catalogs(sites)["dsm_volume"] if "EK100" in r]


def _r16(topo) -> None:
    """Nodes Replacement is set; MEDIADEFS then makes the group's FILECAT the default one (the platform checked
    R16 when the store was configured, not when MEDIADEFS changed)."""
    update_import_config(topo, node_replacements=[bb.NodeReplacement(old_node=NODE, new_node=REMOTE)],
                         non_dedicated_catalog=True)
    mediacom(topo, REMOTE, "ALTER MEDIADEFS, FILECAT SHCH409FC")


def _case(rule: str, name: str, setup: Callable[[Any], Any]) -> Any:
    return pytest.param(rule, setup, id=f"{rule}-{name}", marks=pytest.mark.rule(rule))


FATAL_CASES = [
    _case("R38", "no-filecat-after-role-switch", lambda t: role_switch_change(t, filecat="")),
    _case("R43", "tmf-group-after-role-switch", lambda t: role_switch_change(
        t, tape_catalog=TMF, volcat="", pool="", filecat="", tmf_node=REMOTE)),
    _case("R43", "dsmtc-group-fed-by-a-none-group", lambda t: update_group(
        t, primary_volume_group_id="VG_WIN1_DES_NC")),
    _case("R41", "volcat-of-the-primary", lambda t: update_group(t, volcat=VOLCAT)),
    _case("R45", "filecat-named-as-the-primary-volcat", lambda t: update_group(t, filecat=VOLCAT)),
    _case("R42", "mediadefs-default-catalogs", lambda t: update_group(t, volcat="LOCALVC", filecat="LOCALFC",
                                                                      pool="LOCAL_POOL")),
    _case("R16", "default-filecat-with-nodes-replacement", _r16),
    _case("R14", "volcat-missing", lambda t: update_group(t, volcat="NOSUCHVC")),
    _case("R14", "filecat-missing", lambda t: update_group(t, filecat="NOSUCHFC")),
    _case("R14", "pool-missing", lambda t: update_group(t, pool="NO_POOL")),
    _case("R14", "catalog-node-unreachable", lambda t: update_group(t, volcat="\\NOWHERE.SHCH409VC")),
    _case("R10", "staging-of-another-primary-store", lambda t: t.domain(SEC).UpdateDataStore(
        bb.UpdateDataStoreRequest(data_store=bb.DataStore(id=SEC_STORE, primary_data_store_id="DS_OTHER"),
                                  field_mask=["primary_data_store_id"]), timeout=T)),
]


@pytest.mark.parametrize("rule, setup", FATAL_CASES)
def test_configuration_error_aborts_the_import_before_any_change(sites, rule, setup):
    before = synced_then_changed(sites)
    setup(sites)
    run = import_(sites, type_=FULL)
    assert run.status == FAILED and run.report.fatal and run.volumes_processed == 0
    assert run.report.fatal_message.startswith(f"{SEC}-E3333 Import aborted before any change")
    assert [line for line in coded(run, "E3333") if f"({rule})" in line], list(run.report.lines)
    assert f"({rule})" in run.reason
    assert secondary_catalogs(sites) == before, "nothing applied"
    found = check(sites)
    assert found.fatal and any(p.code == rule and p.severity == bb.PROBLEM_SEVERITY_ERROR for p in found.problems)
    assert [t for t in sec_ems(sites, "E3345") if run.process in t]
    assert import_status(sites).latest_import.status == FAILED


@pytest.mark.rule("R45")
def test_filecat_of_the_primary_backups_is_a_configuration_error(sites):
    """The realistic R45 case: the secondary group names the FILECAT the primary's TAPEFILEs are in."""
    before = synced_then_changed(sites)
    assert {f.filecat for f in primary_entries(sites, ["EW1001"])["EW1001"][1]} == {PRI_FILECAT}
    update_group(sites, filecat=PRI_FILECAT)
    run = import_(sites, type_=FULL)
    assert run.status == FAILED and run.report.fatal
    assert [line for line in coded(run, "E3333") if "(R45)" in line], list(run.report.lines)
    assert secondary_catalogs(sites) == before


@pytest.mark.rule("R10")
@pytest.mark.rule("R16")
def test_every_store_configuration_error_is_printed_in_the_report(sites):
    """Two store-level errors: the report names each one (the fatal line says "and 1 more ... above")."""
    before = synced_then_changed(sites)
    sites.domain(SEC).UpdateDataStore(bb.UpdateDataStoreRequest(
        data_store=bb.DataStore(id=SEC_STORE, primary_data_store_id="DS_OTHER"),
        field_mask=["primary_data_store_id"]), timeout=T)
    _r16(sites)
    run = import_(sites, type_=FULL)
    assert run.status == FAILED and secondary_catalogs(sites) == before
    for rule in ("R10", "R16"):
        assert [line for line in coded(run, "E3333") if f"({rule})" in line], (rule, list(run.report.lines))
    assert {p.code for p in check(sites).problems} >= {"R10", "R16"}


@pytest.mark.parametrize("rule, config, changes", [
    pytest.param("R41", {"secondary_shares_node_name": True},
                 {"volcat": VOLCAT, "pool": "E501_WIN1", "filecat": PRI_FILECAT}, id="R41-same-node-name",
                 marks=pytest.mark.rule("R41")),
    pytest.param("R42", {"non_dedicated_catalog": True},
                 {"volcat": "\\ETINIUM.LOCALVC", "filecat": "LOCALFC", "pool": "LOCAL_POOL"},
                 id="R42-mediadefs-default",
                 marks=pytest.mark.rule("R42")),
])
def test_checked_box_allows_the_catalog_it_names(sites, rule, config, changes):
    export(sites, type_=FULL)
    update_import_config(sites, **config)
    update_group(sites, **changes)
    assert not check(sites).fatal and rule not in {p.code for p in check(sites).problems}
    run = import_(sites, type_=FULL)
    assert run.status == FINISHED and not run.report.fatal and run.volumes_processed == 10
    record = {v.label: v for v in secondary_volumes(sites)}["EW1001"]
    assert (record.volcat, record.pool) == (changes["volcat"], changes["pool"])


@pytest.mark.rule("R42")
def test_catalog_of_a_local_primary_group_needs_the_non_dedicated_box(make_sites):
    sites = make_sites(with_local_primary_store())
    export(sites, type_=FULL)
    before = secondary_catalogs(sites)
    run = import_(sites, type_=FULL)
    assert run.status == FAILED and secondary_catalogs(sites) == before
    assert [line for line in coded(run, "E3333") if "(R42)" in line and "PRIMARY volume group VG_LOCAL" in line]
    update_import_config(sites, non_dedicated_catalog=True)
    run = import_(sites, type_=FULL)
    assert run.status == FINISHED and run.volumes_processed == 10


@pytest.mark.rule("R43")
def test_tmf_and_dsmtc_primary_groups_may_feed_groups_without_catalog(make_sites):
    data = with_groups(group("VG_WIN_TMF2", "VG_WIN_TMF", "NONE"), group("VG_WIN1_ENC2", "VG_WIN1_ENC", "NONE"))
    data["domains"][0]["data_stores"][0]["volume_groups"].append(
        {"id": "VG_WIN_TMF", "tape_catalog": "TMF", "tmf_node": NODE, "max_volume_size_mb": 1,
         "volumes": "TMF001-TMF002"})
    sites = make_sites(data)
    b = backup(sites, file_id="ENC-FILE", group="VG_WIN1_ENC")
    settle(sites)
    run = full_sync(sites)
    assert run.volumes_processed == 16 and not run.volume_errors
    rows = {r.secondary_volume_group_id: r for r in run.report.validation}
    assert not rows["VG_WIN_TMF2"].fatal and not rows["VG_WIN1_ENC2"].fatal
    assert rows["VG_WIN1_ENC2"].warning.code == "R43", "DSM/TC -> NONE: only the BackBox records are imported"
    records = {v.label: v for v in secondary_volumes(sites)}
    enc = b.volumes[0].label
    for label, gid in (("TMF001", "VG_WIN_TMF2"), (enc, "VG_WIN1_ENC2")):
        rec = records[label]
        assert (rec.volume_group_id, rec.catalog_type, rec.volcat, rec.tmf_node) == (gid, NONE, "", "")
    dumped = secondary_catalogs(sites)
    assert not [r for t in ("dsm_volume", "dsm_tapefile") for r in dumped[t] if enc in r or "TMF00" in r]


@pytest.mark.parametrize("changes, why", [
    pytest.param({"filecat": ""}, "needs a FILECAT", id="R38-blank-filecat", marks=pytest.mark.rule("R38")),
    pytest.param({"tape_catalog": TMF, "volcat": "", "pool": "", "filecat": "", "tmf_node": REMOTE},
                 "not supported in SECONDARY", id="R43-tmf-group", marks=pytest.mark.rule("R43")),
])
def test_platform_refuses_these_secondary_groups_at_configuration_time(sites, changes, why):
    with pytest.raises(grpc.RpcError) as err:
        update_group(sites, **changes)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and why in err.value.details()


@pytest.mark.rule("R16")
def test_platform_refuses_default_filecat_with_nodes_replacement(sites):
    update_import_config(sites, node_replacements=[bb.NodeReplacement(old_node=NODE, new_node=REMOTE)])
    with pytest.raises(grpc.RpcError) as err:
        update_group(sites, filecat="LOCALFC")
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "MEDIADEFS default FILECAT" in err.value.details()


# -- what a FULL import writes (R22, R14, R44, R50, R15, R13, R40) --------------------------------------------

def expected_record(primary: bb.BackBoxVolume, target: bb.VolumeGroup, export_id: str) -> bb.BackBoxVolume:
    """The primary's record as the secondary must hold it (R22), bookkeeping of when left out."""
    rec = bb.BackBoxVolume()
    rec.CopyFrom(primary)
    rec.data_store_id, rec.volume_group_id = SEC_STORE, target.id
    rec.write_access, rec.pending_export, rec.imported_export_id = ".", False, export_id
    if target.tape_catalog == DSMTC:
        rec.volcat, rec.pool, rec.filecat = SEC_VOLCAT, SEC_POOL, SEC_FILECAT                   # R14
        rec.media_type = target.media_type                                                      # R44
    return without_bookkeeping(rec)


def without_bookkeeping(rec: bb.BackBoxVolume) -> bb.BackBoxVolume:
    out = bb.BackBoxVolume()
    out.CopyFrom(rec)
    for name in ("change_sequence", "imported_time"):
        out.ClearField(name)
    return out


@pytest.mark.rule("R22")
@pytest.mark.rule("R44")
@pytest.mark.rule("R50")
def test_full_import_records_equal_the_primary_except_the_mapped_fields(make_sites):
    sites = make_sites(every_group_mapped(media_type="LTO4"))
    backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES)
    settle(sites)
    enc = backup(sites, file_id="ENC-FILE", group="VG_WIN1_ENC").volumes[0].label
    settle(sites)
    run = full_sync(sites)
    assert run.volumes_processed == 17 and not run.report.missing_key_manager_ids
    targets = {g.primary_volume_group_id: g for g in sites.domain(SEC).ListVolumeGroups(
        bb.ListVolumeGroupsRequest(data_store_id=SEC_STORE), timeout=T).volume_groups}
    assert targets["VG_WIN1_DES"].media_type == "LTO4"
    have = {v.label: without_bookkeeping(v) for v in secondary_volumes(sites)}
    want = {v.label: expected_record(v, targets[v.volume_group_id], run.export_id) for v in primary_volumes(sites)}
    assert have.keys() == want.keys()
    assert [label for label in want if have[label] != want[label]] == []
    assert have[enc].encrypted and have[enc].key_manager_id == "KM1", "R50: the key manager id is kept"
    assert have["EW1001"].media_type == "LTO4" and have["EW1002"].media_type == "LTO4"


@pytest.mark.rule("R14")
@pytest.mark.rule("R44")
def test_dsmtc_entries_are_requalified_to_the_secondary_catalogs(make_sites):
    sites = make_sites(with_groups(media_type="LTO4"))
    label = backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES).volumes[0].label
    settle(sites)
    full_sync(sites)
    (ptv, pfiles, pdisks), (stv, sfiles, sdisks) = primary_entries(sites, [label])[label], \
        secondary_entries(sites, [label])[label]
    want = mc.TapeVolume()
    want.CopyFrom(ptv)
    want.volcat, want.pool, want.media_type = SEC_VOLCAT, SEC_POOL, "LTO4"
    assert stv == want
    assert len(sfiles) == len(pfiles) == 1
    for p, s in zip(pfiles, sfiles):
        w = mc.TapeFile()
        w.CopyFrom(p)
        w.filecat, w.volcat, w.pool = SEC_FILECAT, SEC_VOLCAT, SEC_POOL
        assert s == w
    assert [(d.filecat, d.disk_file_name) for d in sdisks] == [(SEC_FILECAT, d.disk_file_name) for d in pdisks]
    assert len(sdisks) == 3


@pytest.mark.rule("R50")
def test_key_manager_id_unknown_here_is_reported(make_sites):
    sites = make_sites(with_groups(group("VG_WIN1_ENC2", "VG_WIN1_ENC"), km="KM2"))
    enc = backup(sites, file_id="ENC-FILE", group="VG_WIN1_ENC").volumes[0].label
    settle(sites)
    run = full_sync(sites)
    assert list(run.report.missing_key_manager_ids) == ["KM1"]
    assert [line for line in coded(run, "W3347") if "KM1" in line]
    assert [t for t in sec_ems(sites, "W3347") if "KM1" in t]
    assert {v.label: v.key_manager_id for v in secondary_volumes(sites)}[enc] == "KM1"


def disk_names(topo, label: str) -> list[str]:
    return sorted(d.disk_file_name for d in secondary_entries(topo, [label])[label][2])


@pytest.mark.rule("R15")
def test_disk_file_names_keep_their_node(sites):
    label = backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES).volumes[0].label
    settle(sites)
    full_sync(sites)
    assert disk_names(sites, label) == [f"{SALES}F000000{n}" for n in (1, 2, 3)]


@pytest.mark.rule("R15")
def test_nodes_replacement_rewrites_the_node_of_inserted_disk_files(sites):
    label = backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES).volumes[0].label
    settle(sites)
    update_import_config(sites, node_replacements=[bb.NodeReplacement(old_node=NODE, new_node=REMOTE)])
    full_sync(sites)
    assert disk_names(sites, label) == [f"\\ETINIUM.$DATA01.SALES.F000000{n}" for n in (1, 2, 3)]


@pytest.mark.rule("R15")
@pytest.mark.rule("R21")
def test_disk_file_node_unknown_here_rejects_only_its_volume(sites):
    label = backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES).volumes[0].label
    settle(sites)
    export(sites, type_=FULL)
    update_import_config(sites, node_replacements=[bb.NodeReplacement(old_node=NODE, new_node="\\NOWHERE")])
    run = import_(sites, type_=FULL)
    assert run.status == FINISHED and run.volume_errors == 1 and run.volumes_processed == 9
    (problem,) = run.report.volume_errors
    assert problem.label == label and "ERROR-5048" in problem.message and "R15" in problem.message
    assert [line for line in coded(run, "W3346") if label in line and "5048" in line]
    assert label not in {v.label for v in secondary_volumes(sites)}
    assert secondary_entries(sites, [label])[label] == [None, [], []], "nothing of its unit applied"
    assert import_status(sites).next_update_reimports_all


@pytest.mark.rule("R15")
def test_catalogfiles_no_inserts_no_disk_file(sites):
    label = backup(sites, catalog_files=True, disk_file_count=3, disk_file_prefix=SALES).volumes[0].label
    settle(sites)
    export(sites, type_=FULL)
    run = import_(sites, type_=FULL, catalog_files=cs.CATALOG_FILES_OPTION_NO)
    assert run.status == FINISHED and not run.catalog_files
    tv, files, disks = secondary_entries(sites, [label])[label]
    assert tv is not None and len(files) == 1 and disks == []
    assert secondary_catalogs(sites)["dsm_diskfile"] == []


@pytest.mark.rule("R13")
def test_label_already_in_the_search_space_is_not_imported(sites):
    export(sites, type_=FULL)
    mediacom(sites, REMOTE, "ADD TAPEVOLUME EW1003, POOL LOCAL_POOL, VOLCAT LOCALVC")
    run = import_(sites, type_=FULL)
    assert run.status == FINISHED and run.volumes_processed == 9 and run.volume_errors == 1
    (problem,) = run.report.volume_errors
    assert problem.label == "EW1003" and "search space" in problem.message and "R13" in problem.message
    assert "EW1003" not in {v.label for v in secondary_volumes(sites)}
    assert secondary_entries(sites, ["EW1003"])["EW1003"][0] is None
    assert secondary_entries(sites, ["EW1003"], volcat="\\ETINIUM.LOCALVC")["EW1003"][0].pool == "LOCAL_POOL"
    assert sorted(v.label for v in secondary_volumes(sites)) == [x for x in DES_LABELS if x != "EW1003"]


@pytest.mark.rule("R40")
def test_disk_files_are_committed_per_tape_file_and_every_maximum(sites):
    full_sync(sites)
    update_import_config(sites, max_disk_files_per_transaction=100)
    advance(sites, minutes=5)
    label = backup(sites, file_id="BIG", catalog_files=True, disk_file_count=250,
                   disk_file_prefix="\\INSIDX.$DATA01.BIG.").volumes[0].label
    settle(sites)
    arm(sites, "media_catalog.after_commit", action=control_pb2.FAULT_ACTION_DELAY, on_hit=1_000_000,
        program="BBCSIMP")
    run = import_(sites)
    assert run.status == FINISHED and [v.label for v in run.report.volumes] == [label]
    hits = {p.name: p.hits for p in sites.control_service().ListFaultPoints(control_pb2.ListFaultPointsRequest(),
                                                                             timeout=T).points}
    assert hits["media_catalog.after_commit"] == 1 + 250 // 100, "one per tape file, one per 100 DISKFILEs"
    assert len(disk_names(sites, label)) == 250


# -- deletions (R23, R24) --------------------------------------------------------------------------------------

@pytest.mark.rule("R23")
@pytest.mark.rule("R24")
def test_only_a_full_import_deletes_volumes_the_primary_deleted(sites):
    label = backup(sites, file_id="GONE", catalog_files=True, disk_file_count=2,
                   disk_file_prefix="\\INSIDX.$DATA01.HR.").volumes[0].label
    settle(sites)
    full_sync(sites)
    mediacom(sites, REMOTE, f"ADD TAPEVOLUME ZZ0001, POOL {SEC_POOL}, VOLCAT SHCH409VC")   # no BackBox volume
    advance(sites, minutes=5)
    mediacom(sites, NODE, "DELETE TAPEFILE GONE")
    sites.domain(PRI).DeleteVolume(bb.DeleteVolumeRequest(label=label, user="SUPER.SUPER"), timeout=T)
    settle(sites)
    advance(sites, minutes=5)
    export(sites, type_=FULL)
    advance(sites, minutes=5)
    update = import_(sites)
    assert update.status == FINISHED and not update.report.deleted
    assert label in {v.label for v in secondary_volumes(sites)}, "an UPDATE import deletes nothing"
    full = import_(sites, type_=FULL)
    assert full.status == FINISHED and [(d.label, d.volume_group_id) for d in full.report.deleted] == [(label, DES2)]
    start = list(full.report.lines).index("Deletion of unreferenced volumes")
    assert any(line.split() == [label, DES2] for line in full.report.lines[start:start + 6])
    assert label not in {v.label for v in secondary_volumes(sites)}
    assert secondary_entries(sites, [label])[label] == [None, [], []], "TAPEVOLUME, TAPEFILEs, DISKFILEs gone"
    assert (full.report.summaries[0].backbox_deleted, full.report.summaries[0].nsk_deleted) == (1, 1)
    assert (full.report.activity[0].tape_files_deleted, full.report.activity[0].disk_files_deleted) == (1, 2)
    assert secondary_entries(sites, ["ZZ0001"])["ZZ0001"][0] is not None, "never a TAPEVOLUME without volume"


# -- volume errors and UPDATE imports (R21) --------------------------------------------------------------------

@pytest.mark.rule("R21")
def test_volume_error_makes_the_next_update_reimport_every_volume(sites):
    export(sites, type_=FULL)
    advance(sites, minutes=1)
    name = f"{STAGING}.VEW1002"
    good = read_file(sites, name)
    write_staging(sites, name, b"garbage!" * 8)
    bad = import_(sites, type_=FULL)
    assert bad.status == FINISHED and bad.volume_errors == 1 and bad.volumes_processed == 9
    assert bad.report.volume_errors[0].label == "EW1002" and "R21" in bad.reason
    assert "EW1002" not in {v.label for v in secondary_volumes(sites)}
    assert import_status(sites).next_update_reimports_all
    advance(sites, minutes=1)
    write_staging(sites, name, good)
    again = import_(sites)
    assert again.status == FINISHED and again.volumes_processed == 10 and not again.volume_errors
    assert coded(again, "I3340") and any(w.code == "I3340" for w in again.report.warnings)
    assert not import_status(sites).next_update_reimports_all
    advance(sites, minutes=1)
    quiet = import_(sites)
    assert quiet.volumes_processed == 0 and not coded(quiet, "I3340")


@pytest.mark.rule("R21")
def test_update_imports_only_files_received_since_the_last_successful_import(sites):
    full_sync(sites)
    advance(sites, minutes=5)
    label = backup(sites).volumes[0].label
    settle(sites)
    assert import_status(sites).available.received_after_last_import == 1
    advance(sites, minutes=5)
    run = import_(sites)
    assert run.status == FINISHED and [v.label for v in run.report.volumes] == [label]
    assert run.volumes_processed == 1 and import_status(sites).available.received_after_last_import == 0
    assert import_(sites).volumes_processed == 0


# -- traces (R51) ----------------------------------------------------------------------------------------------

@pytest.mark.rule("R51")
def test_start_and_end_ems_messages_only_with_ems_verbose(sites):
    export(sites, type_=FULL)
    quiet = import_(sites, type_=FULL)
    assert not sec_ems(sites, "I3286") and not sec_ems(sites, "I3342")
    sites.domain(SEC).UpdateDomainConfig(bb.UpdateDomainConfigRequest(
        config=bb.DomainConfig(ems_verbose=True), field_mask=["ems_verbose"]), timeout=T)
    loud = import_(sites)
    assert quiet.process != loud.process
    assert [t for t in sec_ems(sites, "I3286") if loud.process in t and SEC_STORE in t]
    assert [t for t in sec_ems(sites, "I3342") if loud.process in t and "0 volumes processed" in t]


@pytest.mark.rule("R51")
def test_error_ems_messages_without_ems_verbose(sites):
    failed = import_(sites, type_=FULL)                     # nothing exported yet: no summary file
    assert failed.status == FAILED
    assert [t for t in sec_ems(sites, "E3345") if failed.process in t]
    export(sites, type_=FULL)
    write_staging(sites, f"{STAGING}.VEW1004", b"not a staging file")
    run = import_(sites, type_=FULL)
    assert run.volume_errors == 1
    assert [t for t in sec_ems(sites, "W3346") if run.process in t and "EW1004" in t]
    assert not sec_ems(sites, "I3286") and not sec_ems(sites, "I3342")


@pytest.mark.rule("R51")
def test_report_is_written_to_the_configured_location(sites):
    update_import_config(sites, report_location="$S.#BPAK.E5IMP")
    export(sites, type_=FULL)
    run = import_(sites, type_=FULL)
    listed = sites.guardian(REMOTE).ListReports(guardian_pb2.ListReportsRequest(location="$S.#BPAK.E5IMP"),
                                                timeout=T).reports
    assert [r.process for r in listed] == [run.process]
    spooled = sites.guardian(REMOTE).ReadReport(guardian_pb2.ReadReportRequest(location="$S.#BPAK.E5IMP"),
                                                timeout=T).report
    assert list(spooled.lines) == list(run.report.lines)
    assert run.report.completion_line in spooled.lines and "Report in $S.#BPAK.E5IMP" in run.report.completion_line
    got = sites.catalog_sync(SEC).GetReport(cs.GetReportRequest(data_store_id=SEC_STORE,
                                                                kind=cs.PROCESS_KIND_IMPORT), timeout=T)
    assert got.process == run.process and list(got.lines) == list(run.report.lines)


# -- the Import Status page and Check Against Primary Configuration --------------------------------------------

def test_import_status_page_after_imports(sites):
    before = import_status(sites)
    assert not before.check_against_primary_available and not before.HasField("latest_import")
    full = full_sync(sites)
    advance(sites, hours=1)
    b = backup(sites)
    settle(sites)
    label = b.volumes[0].label
    st = import_status(sites)
    assert st.available.total_volume_files == 17 and st.available.received_after_last_import == 1
    assert st.available.latest_export_type == UPDATE and st.check_against_primary_available
    advance(sites, minutes=5)
    update = import_(sites)
    st = import_status(sites)
    assert st.most_recent_imported.label == label and st.most_recent_imported.time == b.volumes[0].unload_time
    assert st.available.received_after_last_import == 0 and st.available.total_volume_files == 17
    assert (st.latest_full_import.process, st.latest_full_import.export_id, st.latest_full_import.volumes_processed) \
        == (full.process, full.export_id, 10)
    assert (st.latest_import.process, st.latest_import.type, st.latest_import.status,
            st.latest_import.volumes_processed) == (update.process, UPDATE, FINISHED, 1)
    lines = list(st.lines)
    assert f"  Volume {label} (Unloaded on 2025-09-23 21:00:00)" in lines
    assert "  Total Number of BackBox Volumes: 17" in lines
    assert "  Volumes Received After Last Successful Import: 0" in lines
    assert f"  Process Name: {full.process}" in lines and f"  Process Name: {update.process}" in lines
    assert "  Import type: UPDATE" in lines and "  Process Status: FINISHED" in lines


def test_check_against_primary_shows_the_import_validation_table(sites):
    run = full_sync(sites)
    found = check(sites)
    assert list(found.rows) == list(run.report.validation)
    assert (found.primary_data_store_id, found.export_id, found.fatal) == (STORE, run.export_id, False)
    assert [line for line in found.lines if line.startswith(f"{SEC}-W3332")] == coded(run, "W3332")


@pytest.mark.parametrize("store, domain, code", [
    pytest.param(SEC_STORE, SEC, grpc.StatusCode.FAILED_PRECONDITION, id="before-the-first-export"),
    pytest.param("NO_SUCH_STORE", SEC, grpc.StatusCode.NOT_FOUND, id="unknown-store"),
    pytest.param(STORE, PRI, grpc.StatusCode.FAILED_PRECONDITION, id="primary-store"),
])
def test_check_against_primary_is_unavailable(sites, store, domain, code):
    with pytest.raises(grpc.RpcError) as err:
        check(sites, store, domain)
    assert err.value.code() == code and err.value.details()
