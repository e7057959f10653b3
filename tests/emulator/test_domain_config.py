"""BackBox domain configuration rules (domain-facts §4, §8): each rule refuses a bad value with its code, field and
fix; the E5.01 sample configuration is clean; license expiry; field masks."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from emulator.domain_config import (ERROR, WARNING, ConfigContext, ConfigurationInvalid, apply_field_mask,
                                    check_data_store, check_domain_access_change, check_domain_config,
                                    check_key_manager, check_license, check_nsk_node, check_volume_group, check_vtc,
                                    DATA_STORE_FIELDS, DOMAIN_CONFIG_FIELDS, effective_auto_scratch, license_status,
                                    normalise_data_store, normalise_domain_config, normalise_volume_group,
                                    raise_on_errors, validate_all, VOLUME_GROUP_FIELDS)
from emulator.errors import InvalidArgument, NotFound
from emulator.v1 import backbox_domain_pb2 as bb
from emulator.v1 import common_pb2

TODAY = date(2025, 10, 3)
WINDISK, QORESTOR = bb.DATA_STORE_TYPE_WINDISK, bb.DATA_STORE_TYPE_QORESTOR
PRIMARY, SECONDARY, RESTRICTED = bb.DOMAIN_ACCESS_PRIMARY, bb.DOMAIN_ACCESS_SECONDARY, bb.DOMAIN_ACCESS_RESTRICTED
NONE, DSMTC, TMF = bb.TAPE_CATALOG_TYPE_NONE, bb.TAPE_CATALOG_TYPE_DSMTC, bb.TAPE_CATALOG_TYPE_TMF
STORAGE = bb.STORAGE_POOL_KIND_STORAGE


def _endpoint(service: str) -> common_pb2.Endpoint:
    return common_pb2.Endpoint(service=service, address="127.0.0.1:50123")


def _ctx(domain_id: str, node: str, stores: list[bb.DataStore], groups: list[bb.VolumeGroup],
         **kwargs) -> ConfigContext:
    """A context built the way the domain manager builds it: every object normalised against the one before."""
    domain = normalise_domain_config(bb.DomainConfig(
        domain_id=domain_id, domain_manager_node=node,
        license=bb.License(key="BB-E501-0001", options=["catalog_sync"], expiry_date="2026-12-31")))
    ctx = ConfigContext(domain=domain, nodes=(bb.NskNode(name=node.upper(), expand_number=12, domain_manager=True,
                                                         install_subvolume="$SYSTEM.BBOX"),),
                        vtcs=(bb.Vtc(id="VTC1", drive_count=4, address=_endpoint("emulator.v1.TapeController")),),
                        today=TODAY, **kwargs)
    ctx = dataclasses.replace(ctx, data_stores=tuple(normalise_data_store(s, ctx) for s in stores))
    return dataclasses.replace(ctx, volume_groups=tuple(normalise_volume_group(g, ctx) for g in groups))


def primary_ctx(**kwargs) -> ConfigContext:
    """E5.01 primary domain E501NEW on \\INSIDX: DS_WIN1_DES and its three groups, as the manual's samples show."""
    store = bb.DataStore(
        id="DS_WIN1_DES", type=WINDISK, domain_access=PRIMARY,
        pools=[bb.StoragePool(kind=STORAGE, path=r"\\bbvtc1.etinet.local\bbox\DS_WIN1_DES")],
        export_config=bb.ExportConfig(full_export_frequency_days=30, export_check_delay_minutes=60,
                                      report_location="$S.#bpak.E5exp",
                                      export_destination=r"\etinium.$data15.E5catsyn"))
    groups = [
        bb.VolumeGroup(id="VG_WIN1_DES", data_store_id="DS_WIN1_DES", tape_catalog=DSMTC, volcat="qcvolcat",
                       pool="E501_WIN1", max_volume_size_mb=2000),
        bb.VolumeGroup(id="VG_WIN1_DES_NC", data_store_id="DS_WIN1_DES", tape_catalog=NONE, max_volume_size_mb=2000),
        bb.VolumeGroup(id="VG_WIN_TMF", data_store_id="DS_WIN1_DES", tape_catalog=TMF, tmf_node=r"\INSIDX",
                       max_volume_size_mb=2000),
    ]
    return _ctx("e501new", r"\insidx", [store], groups, **kwargs)


def secondary_ctx(**kwargs) -> ConfigContext:
    """E5.01 secondary domain YINE500 on \\ETINIUM: E501_WIN1_SND importing DS_WIN1_DES."""
    kwargs.setdefault("default_filecats", {r"\ETINIUM": r"\ETINIUM.LOCALFC"})
    store = bb.DataStore(
        id="E501_WIN1_SND", type=WINDISK, domain_access=SECONDARY, primary_data_store_id="DS_WIN1_DES",
        pools=[bb.StoragePool(kind=STORAGE, path=r"\\bbvtc2.etinet.local\bbox\E501_WIN1_SND", rank=1)],
        import_config=bb.ImportConfig(import_source="$DATA15.E5CATSYN", report_location="$S.#INSEXP"))
    group = bb.VolumeGroup(id="VG_WIN1_DES2", data_store_id="E501_WIN1_SND", primary_volume_group_id="VG_WIN1_DES",
                           tape_catalog=DSMTC, volcat=r"\ETINIUM.SHCH409VC", pool="E501_WIN_2ND",
                           filecat=r"\ETINIUM.SHCH409FC", max_volume_size_mb=2000)
    return _ctx("YINE500", r"\ETINIUM", [store], [group], **kwargs)


def _store(ctx: ConfigContext, **fields) -> bb.DataStore:
    """A changed copy of the context's first store."""
    ds = bb.DataStore()
    ds.CopyFrom(ctx.data_stores[0])
    for name, value in fields.items():
        if isinstance(value, (bb.ExportConfig, bb.ImportConfig)):
            getattr(ds, name).CopyFrom(value)
        elif name == "pools":
            del ds.pools[:]
            ds.pools.extend(value)
        else:
            setattr(ds, name, value)
    return ds


def _group(ctx: ConfigContext, index: int = 0, **fields) -> bb.VolumeGroup:
    vg = bb.VolumeGroup()
    vg.CopyFrom(ctx.volume_groups[index])
    for name, value in fields.items():
        setattr(vg, name, value)
    return vg


def _replace_store(ctx: ConfigContext, ds: bb.DataStore) -> ConfigContext:
    return dataclasses.replace(ctx, data_stores=(ds, *ctx.data_stores[1:]))


def one(problems: list[bb.ConfigurationProblem], code: str, field: str, severity: int = ERROR,
        says: tuple[str, ...] = ()) -> bb.ConfigurationProblem:
    """The single problem with that code, field and severity, whose message + fix contain every fragment."""
    hits = [p for p in problems if (p.code, p.field, p.severity) == (code, field, severity)]
    assert len(hits) == 1, f"expected one {code} on {field}, got: {problems}"
    text = f"{hits[0].message} | {hits[0].fix}"
    for fragment in says:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    assert hits[0].fix, "every problem says how to fix it"
    assert "**ERROR-" not in text, "a configuration problem is no MEDIACOM error: no MEDIACOM error number"
    return hits[0]


# --------------------------------------------------------------------------------------------------------------
# The E5.01 sample and normalisation


def test_e501_sample_configuration_validates_clean_when_configured_as_in_the_manual():
    assert validate_all(primary_ctx()) == []
    assert validate_all(secondary_ctx()) == []


def test_normalisation_fills_defaults_and_writes_names_as_users_do_when_fields_are_bare():
    ctx = primary_ctx()
    ds, vg = ctx.data_stores[0], ctx.volume_groups[0]
    assert ctx.domain.domain_id == "E501NEW" and ctx.domain.ems_collector == "$0"
    assert ctx.domain.license.options == ["CATALOG_SYNC"]
    assert ds.status == bb.DATA_STORE_STATUS_ACTIVE and ds.disk_space_warning_threshold_percent == 90
    assert (ds.pools[0].rank, ds.pools[0].reserved_for) == (1, "ANY")
    assert ds.export_config.export_destination == r"\ETINIUM.$DATA15.E5CATSYN"
    assert ds.export_config.report_location == "$S.#BPAK.E5EXP"
    assert vg.volcat == r"\INSIDX.QCVOLCAT" and vg.media_type == "LTO3" and vg.auto_scratch_at_load is True
    assert vg.key_policy == bb.KEY_POLICY_PER_TAPE


def test_import_config_is_normalised_when_source_is_local_and_replacements_lack_backslashes():
    ctx = secondary_ctx()
    raw = _store(ctx, import_config=bb.ImportConfig(
        import_source="$data15.insexp", node_replacements=[bb.NodeReplacement(old_node="unsidx", new_node="etinium")]))
    imp = normalise_data_store(raw, ctx).import_config
    assert imp.import_source == r"\ETINIUM.$DATA15.INSEXP"
    assert imp.max_disk_files_per_transaction == 20_000  # R40 default
    assert (imp.node_replacements[0].old_node, imp.node_replacements[0].new_node) == (r"\UNSIDX", r"\ETINIUM")


def test_normalise_keeps_explicit_auto_scratch_no_when_set_and_ids_take_the_configured_spelling():
    ctx = primary_ctx()
    vg = normalise_volume_group(bb.VolumeGroup(id=" VGX ", data_store_id="ds_win1_des", auto_scratch_at_load=False),
                                ctx)
    assert (vg.id, vg.data_store_id, vg.auto_scratch_at_load) == ("VGX", "DS_WIN1_DES", False)


# --------------------------------------------------------------------------------------------------------------
# License (R1, W3162)


@pytest.mark.rule("R1")
@pytest.mark.parametrize("days,warning", [(8, False), (7, True), (1, True), (0, True)])
def test_license_warns_w3162_when_expiry_is_within_seven_days(days, warning):
    expiry = TODAY + timedelta(days=days)
    status = license_status(bb.License(key="K", options=["CATALOG_SYNC"], expiry_date=expiry.isoformat()), TODAY)
    assert (status.valid, status.expired, status.catalog_sync, status.days_to_expiry) == (True, False, True, days)
    assert status.warning is warning
    assert (status.warning_code, status.warning_text) == (
        ("W3162", f"Domain license will expire on {expiry.isoformat()}.") if warning else ("", ""))


@pytest.mark.rule("R1")
def test_license_is_invalid_without_catalog_sync_when_expired():
    status = license_status(bb.License(key="K", options=["CATALOG_SYNC"], expiry_date="2025-10-02"), TODAY)
    assert (status.valid, status.expired, status.catalog_sync, status.warning, status.days_to_expiry) == (
        False, True, False, False, -1)
    assert license_status(bb.License(key="K"), TODAY).valid  # no expiry date: never expires
    assert not license_status(bb.License(key="K", expiry_date="someday"), TODAY).valid


@pytest.mark.rule("R1")
@pytest.mark.parametrize("lic,field,says", [
    (bb.License(key=" ", options=["CATALOG_SYNC"]), "key", ("no key", "License Details")),
    (bb.License(key="K", expiry_date="30/01/2026"), "expiry_date", ("30/01/2026", "YYYY-MM-DD")),
    (bb.License(key="K", expiry_date="2026-02-30"), "expiry_date", ("2026-02-30",)),
    (bb.License(key="K", options=["CATSYNC"]), "options", ("CATSYNC", "CATALOG_SYNC", "ENCRYPTION")),
])
def test_license_is_refused_when_malformed(lic, field, says):
    one(check_license(lic), "R1", field, says=says)


@pytest.mark.rule("R1")
@pytest.mark.parametrize("expiry,severity,code,says", [
    ("2025-10-10", WARNING, "W3162", ("Domain license will expire on 2025-10-10.",)),
    ("2025-10-02", ERROR, "R1", ("expired on 2025-10-02", "renewed")),
])
def test_validate_all_reports_the_license_when_it_expires_soon_or_has_expired(expiry, severity, code, says):
    ctx = primary_ctx()
    ctx.domain.license.expiry_date = expiry
    hit = one(validate_all(ctx), code, "expiry_date", severity, says)
    assert (hit.object_kind, hit.object_id) == ("license", "E501NEW")


@pytest.mark.rule("R1")
def test_store_warns_when_catalog_sync_is_configured_without_the_license_option():
    ctx = primary_ctx()
    del ctx.domain.license.options[:]
    one(check_data_store(ctx.data_stores[0], ctx, creating=False), "R1", "export_config", WARNING,
        ("CATALOG_SYNC", "DS_WIN1_DES", "both domains"))


# --------------------------------------------------------------------------------------------------------------
# Domain, nodes, VTCs, key managers


@pytest.mark.parametrize("domain_id", ["E501NEW", "yine500", "SLAB_A", "CH409DR", "UPE411I"])
def test_domain_id_is_accepted_when_it_is_a_message_prefix(domain_id):
    assert check_domain_config(bb.DomainConfig(domain_id=domain_id, domain_manager_node=r"\INSIDX")) == []


@pytest.mark.parametrize("cfg,code,field,says", [
    (bb.DomainConfig(domain_id="", domain_manager_node=r"\A"), "§4", "domain_id", ("E501NEW",)),
    (bb.DomainConfig(domain_id="E501NEWXX", domain_manager_node=r"\A"), "§4", "domain_id", ("1 to 8",)),
    (bb.DomainConfig(domain_id="5E01", domain_manager_node=r"\A"), "§4", "domain_id", ("starting with a letter",)),
    (bb.DomainConfig(domain_id="E5-01", domain_manager_node=r"\A"), "§4", "domain_id", ("message prefix",)),
    (bb.DomainConfig(domain_id="E501NEW"), "§1", "domain_manager_node", ("blank", r"\INSIDX")),
    (bb.DomainConfig(domain_id="E501NEW", domain_manager_node="INSIDX"), "§1", "domain_manager_node", ("backslash",)),
    (bb.DomainConfig(domain_id="E501NEW", domain_manager_node=r"\A", ems_collector="0"), "§1", "ems_collector",
     ("$0",)),
    (bb.DomainConfig(domain_id="E501NEW", domain_manager_node=r"\A", mount_delay_threshold_minutes=-1), "§4",
     "mount_delay_threshold_minutes", ("-1", "at least 0")),
])
def test_domain_config_is_refused_when_a_field_is_bad(cfg, code, field, says):
    one(check_domain_config(cfg), code, field, says=says)


@pytest.mark.parametrize("value", ["", "03:00", "0:05", "23:59", "OFF", " off "])
def test_daily_cleanup_time_is_accepted_when_hh_mm_off_or_empty(value):
    cfg = bb.DomainConfig(domain_id="E501NEW", domain_manager_node=r"\INSIDX", daily_cleanup_time=value)
    assert check_domain_config(cfg) == []


@pytest.mark.parametrize("value", ["24:00", "12:60", "3", "03h00", "NEVER", "-1:30", "03:00:00"])
def test_daily_cleanup_time_is_refused_when_not_a_time_of_day_off_or_empty(value):
    cfg = bb.DomainConfig(domain_id="E501NEW", domain_manager_node=r"\INSIDX", daily_cleanup_time=value)
    one(check_domain_config(cfg), "§4", "daily_cleanup_time", says=(repr(value), "hh:mm", "OFF", "03:00"))
    assert normalise_domain_config(bb.DomainConfig(daily_cleanup_time=" off ")).daily_cleanup_time == "OFF"


@pytest.mark.parametrize("node,code,field,says", [
    (bb.NskNode(name=r"\TOOLONGNAME", expand_number=3), "§1", "name", ("1 to 7",)),
    (bb.NskNode(name=r"\B", expand_number=255), "§1", "expand_number", ("255", "0 to 254")),
    (bb.NskNode(name=r"\insidx", expand_number=3), "§4", "name", (r"\INSIDX", "already")),
    (bb.NskNode(name=r"\B", expand_number=12), "§1", "expand_number", ("12", "own Expand number")),
    (bb.NskNode(name=r"\B", expand_number=3, install_subvolume=r"\B.$SYSTEM.BBOX"), "§1", "install_subvolume",
     ("$VOL.SUBVOL",)),
    (bb.NskNode(name=r"\B", expand_number=3, domain_manager=True), "§4", "domain_manager", (r"\INSIDX", "one node")),
])
def test_nsk_node_is_refused_when_bad_or_clashing_with_the_domain(node, code, field, says):
    problems = check_nsk_node(node, primary_ctx())
    one(problems, code, field, says=says)


def test_nsk_node_is_not_its_own_duplicate_when_ctx_holds_it():
    ctx = primary_ctx()
    assert check_nsk_node(ctx.nodes[0], ctx) == []


@pytest.mark.parametrize("vtc,field,says", [
    (bb.Vtc(id="VTC1", drive_count=1, address=_endpoint("x")), "id", ("already",)),
    (bb.Vtc(id="VTC 2 ", drive_count=1, address=_endpoint("x")), "id", ("not valid", "trailing")),
    (bb.Vtc(id="VTC2", drive_count=0, address=_endpoint("x")), "drive_count", ("at least 1",)),
    (bb.Vtc(id="VTC2", drive_count=1, media_types=["LTO9"], address=_endpoint("x")), "media_types[0]",
     ("LTO9", "LTO3")),
    (bb.Vtc(id="VTC2", drive_count=1), "address", ("TapeController",)),
])
def test_vtc_is_refused_when_a_field_is_bad(vtc, field, says):
    one(check_vtc(vtc, primary_ctx()), "§4", field, says=says)


@pytest.mark.rule("R50")
@pytest.mark.parametrize("km,code,field,says", [
    (bb.KeyManagerRef(id="KM1", address=_endpoint("x")), "R50", "id", ("KM1", "already")),
    (bb.KeyManagerRef(id="KM2"), "R50", "address", ("alternate key manager",)),
    (bb.KeyManagerRef(id="KM2", address=_endpoint("x"), protocol="PKCS11"), "§4", "protocol", ("ESKM or KMIP",)),
])
def test_key_manager_is_refused_when_bad_or_duplicated(km, code, field, says):
    ctx = dataclasses.replace(primary_ctx(), key_managers=(bb.KeyManagerRef(id="KM1", address=_endpoint("k")),))
    one(check_key_manager(km, ctx), code, field, says=says)


# --------------------------------------------------------------------------------------------------------------
# Data stores


@pytest.mark.parametrize("ds_id", ["DS-DIDI", "QS-CATSYNC-PRI", "2ND_SLAB_A-DAILY", "E501 WIN1_SND", "A+B",
                                   "X" * 32])
def test_data_store_id_is_accepted_when_written_as_backbox_ids_are(ds_id):
    ctx = primary_ctx()
    ds = _store(ctx, id=ds_id)
    assert [p for p in check_data_store(ds, ctx, creating=True) if p.field == "id"] == []


@pytest.mark.parametrize("ds_id,says", [
    ("", ("no id",)), ("X" * 33, ("not valid", "1 to 32")), (" DS1", ("leading",)), ("DS.1", ("not valid",)),
    ("ds_win1_des", ("already used", "regardless of case")),
])
def test_data_store_is_refused_on_create_when_its_id_is_bad_or_taken(ds_id, says):
    ctx = primary_ctx()
    one(check_data_store(_store(ctx, id=ds_id), ctx, creating=True), "§4", "id", says=says)


def test_data_store_update_is_not_a_duplicate_when_it_replaces_the_stored_version():
    ctx = primary_ctx()
    assert check_data_store(_store(ctx, description="new text"), ctx, creating=False) == []


@pytest.mark.rule("R17")
@pytest.mark.parametrize("field,says", [("type", ("WINDISK",)), ("domain_access", ("PRIMARY, SECONDARY",))])
def test_data_store_is_refused_when_type_or_domain_access_is_unspecified(field, says):
    ctx = primary_ctx()
    code = "R17" if field == "domain_access" else "§4"
    one(check_data_store(_store(ctx, **{field: 0}), ctx, creating=False), code, field, says=says)


@pytest.mark.rule("R10")
def test_primary_data_store_id_is_refused_on_a_primary_store_when_set_and_only_warned_when_left_over():
    ctx = primary_ctx()
    changed = _store(ctx, primary_data_store_id="DS_OTHER")
    one(check_data_store(changed, ctx, creating=False), "R10", "primary_data_store_id", ERROR, ("SECONDARY", "clear"))
    stale = _replace_store(ctx, changed)  # the stored store already carries it (role switched to PRIMARY)
    one(check_data_store(stale.data_stores[0], stale, creating=False), "R10", "primary_data_store_id", WARNING)


@pytest.mark.parametrize("pool,field,says", [
    (bb.StoragePool(kind=STORAGE, path=""), "pools[0].path", ("UNC", r"\\host\share")),
    (bb.StoragePool(kind=STORAGE, path=r"C:\bbox\images"), "pools[0].path", ("not a UNC path",)),
    (bb.StoragePool(kind=STORAGE, path=r"\\host"), "pools[0].path", ("not a UNC path",)),
    (bb.StoragePool(kind=STORAGE, path=r"\\h\s", rank=-1), "pools[0].rank", ("-1", "at least 0")),
    (bb.StoragePool(path=r"\\h\s"), "pools[0].kind", ("STORAGE, SPARE or COPY",)),
])
def test_data_store_is_refused_when_a_pool_is_bad(pool, field, says):
    ctx = primary_ctx()
    one(check_data_store(_store(ctx, pools=[pool]), ctx, creating=False), "§4", field, says=says)


def test_data_store_is_refused_when_a_pool_path_is_listed_twice():
    ctx = primary_ctx()
    pools = [bb.StoragePool(kind=STORAGE, path=r"\\h\s"), bb.StoragePool(kind=bb.STORAGE_POOL_KIND_SPARE,
                                                                          path="\\\\H\\S\\")]
    one(check_data_store(_store(ctx, pools=pools), ctx, creating=False), "§4", "pools[1].path", says=("twice",))


def test_data_store_gets_the_w3077_banner_when_it_has_no_storage_pool():
    ctx = primary_ctx()
    ds = _store(ctx, id="DS_TST", pools=[bb.StoragePool(kind=bb.STORAGE_POOL_KIND_COPY, path=r"\\h\copy")])
    hit = one(check_data_store(ds, ctx, creating=True), "W3077", "pools", WARNING)
    assert hit.message == "The disk pool is missing in the configuration of DataStore DS_TST."
    assert "W3077" in {p.code for p in validate_all(_replace_store(ctx, ds))}


@pytest.mark.parametrize("value", [-1, 101])
def test_data_store_is_refused_when_the_disk_space_warning_threshold_is_out_of_range(value):
    ctx = primary_ctx()
    one(check_data_store(_store(ctx, disk_space_warning_threshold_percent=value), ctx, creating=False), "§4",
        "disk_space_warning_threshold_percent", says=(str(value), "from 1 to 100"))


@pytest.mark.rule("R46")
@pytest.mark.parametrize("store_type,optimization,allowed", [
    (bb.DATA_STORE_TYPE_DATADOMAIN, "BoostFS", True), (bb.DATA_STORE_TYPE_COHESITY, "", True),
    (QORESTOR, "RapidCIFS", True), (WINDISK, "rapidcifs", True), (QORESTOR, "", False), (WINDISK, "", False),
    (bb.DATA_STORE_TYPE_STOREONCE, "", False),
])
def test_worm_compatibility_is_refused_when_the_store_type_has_none(store_type, optimization, allowed):
    ctx = primary_ctx()
    ds = normalise_data_store(_store(ctx, type=store_type, storage_optimization=optimization, worm_compatibility=True),
                              ctx)
    problems = check_data_store(ds, ctx, creating=False)
    if allowed:
        assert problems == []
    else:
        one(problems, "R46", "worm_compatibility", says=("not available", "DATADOMAIN", "COHESITY"))


@pytest.mark.parametrize("store_type,optimization,says", [
    (WINDISK, "Dedupe", ("unknown", "RapidCIFS")), (WINDISK, "BoostFS", ("does not exist for WINDISK",)),
])
def test_storage_optimization_is_refused_when_unknown_or_of_another_store_type(store_type, optimization, says):
    ctx = primary_ctx()
    ds = _store(ctx, type=store_type, storage_optimization=optimization)
    one(check_data_store(ds, ctx, creating=False), "§4", "storage_optimization", says=says)


@pytest.mark.rule("R57")
def test_qorestor_replication_is_refused_when_the_store_is_not_qorestor():
    ctx = primary_ctx()
    one(check_data_store(_store(ctx, use_qorestor_replication=True), ctx, creating=False), "R57",
        "use_qorestor_replication", says=("QoreStor option", "WINDISK"))
    assert check_data_store(_store(ctx, type=QORESTOR, use_qorestor_replication=True), ctx, creating=False) == []


# --------------------------------------------------------------------------------------------------------------
# Export configuration (R28, R30-R33)


@pytest.mark.parametrize("field,value,code,says", [
    pytest.param("full_export_frequency_days", 3651, "R30", ("from 0 to 3650",), marks=pytest.mark.rule("R30")),
    pytest.param("full_export_frequency_days", -1, "R30", ("never",), marks=pytest.mark.rule("R30")),
    pytest.param("export_check_delay_minutes", 10081, "R28", ("from 0 to 10080",), marks=pytest.mark.rule("R28")),
    pytest.param("priority", 200, "R32", ("from 0 to 199", "inherit"), marks=pytest.mark.rule("R32")),
    pytest.param("priority", -1, "R32", ("from 0 to 199",), marks=pytest.mark.rule("R32")),
    pytest.param("export_destination", "$DATA15.E5CATSYN", "R31", ("no node", r"\ETINIUM.$DATA15.E5CATSYN"),
                 marks=pytest.mark.rule("R31")),
    pytest.param("export_destination", r"\ETINIUM.DATA15.E5CATSYN", "R31", ("dollar sign",),
                 marks=pytest.mark.rule("R31")),
    pytest.param("report_location", "$S.BPAK", "R51", ("4 parts", "$S.#INS.EXP"),
                 marks=pytest.mark.rule("R51")),
    pytest.param("report_location", "$S.#BPAK.E5EXP.X", "R51", ("spooler location",), marks=pytest.mark.rule("R51")),
])
def test_export_config_is_refused_when_a_value_is_out_of_range_or_malformed(field, value, code, says):
    ctx = primary_ctx()
    cfg = bb.ExportConfig()
    cfg.CopyFrom(ctx.data_stores[0].export_config)
    setattr(cfg, field, value)
    one(check_data_store(_store(ctx, export_config=cfg), ctx, creating=False), code, f"export_config.{field}",
        says=(str(value), *says))


@pytest.mark.rule("R17")
@pytest.mark.rule("R55")
@pytest.mark.parametrize("base,config,field,says", [
    (secondary_ctx, bb.ExportConfig(export_destination=r"\INSIDX.$DATA15.E5CATSYN"), "export_config.export_destination",
     ("SECONDARY", "never exports", "set domain access PRIMARY first, or blank the export destination")),
    (primary_ctx, bb.ImportConfig(import_source=r"\INSIDX.$DATA15.E5CATSYN"), "import_config.import_source",
     ("PRIMARY", "never imports", "set domain access SECONDARY first, or blank the import source")),
])
def test_sync_side_of_another_role_is_refused_when_set_and_only_warned_when_left_over(base, config, field, says):
    ctx = base()
    setting = _store(ctx, **{field.split(".")[0]: config})
    one(check_data_store(setting, ctx, creating=False), "R17", field, ERROR, says)
    leftover = _replace_store(ctx, setting)  # stored with it: left over by a role switch (R55 steps 3 and 8)
    problems = check_data_store(_store(leftover, description="after the switch"), leftover, creating=False)
    one(problems, "R17", field, WARNING, says)
    assert [p.severity for p in problems] == [WARNING]


# --------------------------------------------------------------------------------------------------------------
# Import configuration (R15, R16, R32, R40, R48)


def _import(ctx: ConfigContext, **fields) -> bb.ImportConfig:
    cfg = bb.ImportConfig()
    cfg.CopyFrom(ctx.data_stores[0].import_config)
    for name, value in fields.items():
        if name == "node_replacements":
            cfg.node_replacements.extend(value)
        else:
            setattr(cfg, name, value)
    return cfg


@pytest.mark.parametrize("fields,code,field,says", [
    pytest.param({"max_disk_files_per_transaction": 99}, "R40", "max_disk_files_per_transaction",
                 ("99", "default 20,000", "from 100 to 100,000,000"), marks=pytest.mark.rule("R40")),
    pytest.param({"max_disk_files_per_transaction": 100_000_001}, "R40", "max_disk_files_per_transaction",
                 ("100000001",), marks=pytest.mark.rule("R40")),
    pytest.param({"max_disk_files_per_transaction": -1}, "R40", "max_disk_files_per_transaction", ("-1",),
                 marks=pytest.mark.rule("R40")),
    pytest.param({"priority": 200}, "R32", "priority", ("from 0 to 199",), marks=pytest.mark.rule("R32")),
    pytest.param({"import_source": r"\ETINIUM.$DATA15"}, "R48", "import_source", ("3 parts", "staging subvolume"),
                 marks=pytest.mark.rule("R48")),
    pytest.param({"import_source": "", "priority": 10}, "R48", "import_source", ("blank", "staging subvolume"),
                 marks=pytest.mark.rule("R48")),
    pytest.param({"node_replacements": [bb.NodeReplacement(old_node=r"\INSIDX", new_node="ETINIUM")]}, "R15",
                 "node_replacements[0].new_node", ("backslash", r"\ETINIUM"), marks=pytest.mark.rule("R15")),
    pytest.param({"node_replacements": [bb.NodeReplacement(old_node=r"\INSIDX", new_node=r"\insidx")]}, "R15",
                 "node_replacements[0]", ("changes nothing",), marks=pytest.mark.rule("R15")),
    pytest.param({"node_replacements": [bb.NodeReplacement(old_node=r"\A", new_node=r"\ETINIUM"),
                                        bb.NodeReplacement(old_node=r"\a", new_node=r"\B")]}, "R15",
                 "node_replacements[1].old_node", (r"\A", "replaced twice"), marks=pytest.mark.rule("R15")),
])
def test_import_config_is_refused_when_a_value_is_bad(fields, code, field, says):
    ctx = secondary_ctx(default_filecats={})
    one(check_data_store(_store(ctx, import_config=_import(ctx, **fields)), ctx, creating=False), code,
        f"import_config.{field}", says=says)


@pytest.mark.rule("R40")
@pytest.mark.parametrize("value", [0, 100, 20_000, 100_000_000])
def test_max_disk_files_per_transaction_is_accepted_when_zero_or_in_range(value):
    ctx = secondary_ctx()
    ds = _store(ctx, import_config=_import(ctx, max_disk_files_per_transaction=value))
    assert check_data_store(ds, ctx, creating=False) == []


@pytest.mark.rule("R48")
def test_import_source_warns_when_it_is_not_on_a_node_of_the_domain():
    ctx = secondary_ctx()
    ds = _store(ctx, import_config=_import(ctx, import_source=r"\INSIDX.$DATA15.E5CATSYN"))
    one(check_data_store(ds, ctx, creating=False), "R48", "import_config.import_source", WARNING,
        (r"\INSIDX", "not a node of this domain"))


def _r16_ctx() -> ConfigContext:
    """The secondary sample with Nodes Replacement and its group writing into the default FILECAT LOCALFC."""
    ctx = secondary_ctx()
    ds = _store(ctx, import_config=_import(ctx, node_replacements=[bb.NodeReplacement(old_node=r"\INSIDX",
                                                                                    new_node=r"\ETINIUM")]))
    return dataclasses.replace(_replace_store(ctx, ds),
                               volume_groups=(_group(ctx, filecat=r"\ETINIUM.LOCALFC"),))


@pytest.mark.rule("R16")
def test_node_replacement_is_refused_when_a_group_writes_into_the_default_filecat():
    ctx = _r16_ctx()
    one(check_data_store(ctx.data_stores[0], ctx, creating=False), "R16", "import_config.node_replacements",
        says=("VG_WIN1_DES2", r"\ETINIUM.LOCALFC", "MEDIADEFS default", "another FILECAT",
              "remove the node replacement pairs"))


@pytest.mark.rule("R16")
def test_group_filecat_is_refused_when_it_is_the_default_filecat_and_nodes_are_replaced():
    ctx = _r16_ctx()
    vg = normalise_volume_group(_group(ctx, filecat="localfc"), ctx)  # a bare name is the domain manager's catalog
    one(check_volume_group(vg, ctx, creating=False), "R16", "filecat",
        says=("VG_WIN1_DES2", r"\ETINIUM.LOCALFC", "another FILECAT", "remove the node replacement pairs"))
    problems = validate_all(ctx)
    assert [p.code for p in problems] == ["R16"]  # reported once, on the store's replacements
    assert [p.code for p in validate_all(secondary_ctx())] == []  # no replacements: the default FILECAT is allowed


# --------------------------------------------------------------------------------------------------------------
# Volume groups


@pytest.mark.parametrize("ctx_name,fields,code,field,severity,says", [
    pytest.param("primary", {"id": "VG_WIN1_DES_NC"}, "§4", "id", ERROR, ("already used",)),
    pytest.param("primary", {"id": "VG" * 17}, "§4", "id", ERROR, ("1 to 32",)),
    pytest.param("primary", {"data_store_id": "DS_NONE"}, "§4", "data_store_id", ERROR,
                 ("DS_NONE", "does not exist", "DS_WIN1_DES")),
    pytest.param("primary", {"primary_volume_group_id": "VG_X"}, "R10", "primary_volume_group_id", ERROR,
                 ("SECONDARY and RESTRICTED",), marks=pytest.mark.rule("R10")),
    pytest.param("primary", {"tape_catalog": 0}, "§4", "tape_catalog", ERROR, ("NONE, DSMTC, TMF",)),
    pytest.param("secondary", {"tape_catalog": TMF, "volcat": "", "pool": "", "filecat": "", "tmf_node": r"\ETINIUM"},
                 "R43", "tape_catalog", ERROR, ("TMF", "only NONE and DSM/TC", "set NONE (allowed for a TMF"),
                 marks=pytest.mark.rule("R43")),
    pytest.param("secondary", {"tape_catalog": bb.TAPE_CATALOG_TYPE_QTOS, "volcat": "", "pool": "", "filecat": ""},
                 "R43", "tape_catalog", ERROR, ("QTOS",), marks=pytest.mark.rule("R43")),
    pytest.param("primary", {"volcat": ""}, "R38", "volcat", ERROR, ("VOLCAT", r"\INSIDX.QCVOLCAT"),
                 marks=pytest.mark.rule("R38")),
    pytest.param("primary", {"pool": ""}, "R38", "pool", ERROR, ("POOL",), marks=pytest.mark.rule("R38")),
    pytest.param("primary", {"volcat": r"\INSIDX.QC.VOLCAT"}, "§2", "volcat", ERROR, ("not valid", r"\NODE.NAME")),
    pytest.param("primary", {"volcat": r"\INSIDX.9VOLCAT"}, "§2", "volcat", ERROR, ("starting with a letter",)),
    pytest.param("primary", {"pool": "E501-WIN1"}, "§2", "pool", ERROR, ("E501-WIN1", "1 to 30")),
    pytest.param("secondary", {"filecat": ""}, "R38", "filecat", ERROR,
                 ("FILECAT", "shares the VOLCAT", r"\ETINIUM.SHCH409FC"),
                 marks=pytest.mark.rule("R38")),
    pytest.param("primary", {"filecat": r"\INSIDX.QCFILCAT"}, "R38", "filecat", WARNING,
                 ("ignored", "TAPECATALOG DEFINE", "leave filecat blank"), marks=pytest.mark.rule("R38")),
    pytest.param("primary_nc", {"volcat": r"\INSIDX.QCVOLCAT"}, "§4", "volcat", ERROR,
                 ("NONE group has no DSM/TC catalog", "clear volcat")),
    pytest.param("primary_nc", {"pool": "P1"}, "§4", "pool", ERROR, ("clear pool",)),
    pytest.param("primary_tmf", {"tmf_node": ""}, "§4", "tmf_node", ERROR, ("TMF node", "blank")),
    pytest.param("primary_nc", {"tmf_node": r"\INSIDX"}, "§4", "tmf_node", ERROR, ("only used by TMF",)),
    pytest.param("primary", {"max_volume_size_mb": 0}, "§4", "max_volume_size_mb", ERROR, ("at least 1",)),
    pytest.param("primary", {"media_type": "LTO9"}, "§4", "media_type", ERROR, ("LTO9", "LTO2, LTO3, LTO4, 3480")),
    pytest.param("primary", {"media_type": "LTO4"}, "§4", "media_type", WARNING, ("no VTC", "LTO4")),
    pytest.param("primary", {"encryption_algorithm": "DES", "key_manager_id": "KM1"}, "§4", "encryption_algorithm",
                 ERROR, ("DES", "AES256-GCM")),
    pytest.param("primary", {"encryption_algorithm": "AES256-GCM"}, "R50", "key_manager_id", ERROR,
                 ("needs a key manager", "KM1"), marks=pytest.mark.rule("R50")),
    pytest.param("secondary", {"key_manager_id": "KM9"}, "R50", "key_manager_id", ERROR,
                 ("KM9", "not defined", "alternate key manager", "KM1"), marks=pytest.mark.rule("R50")),
    pytest.param("primary", {"warning_threshold_percent": 101}, "§4", "warning_threshold_percent", ERROR,
                 ("from 0 to 100",)),
    pytest.param("primary", {"days_past_last_access": -1}, "§4", "days_past_last_access", ERROR, ("at least 0",)),
])
def test_volume_group_is_refused_when_a_rule_is_broken(ctx_name, fields, code, field, severity, says):
    base, index = {"primary": (primary_ctx, 0), "primary_nc": (primary_ctx, 1), "primary_tmf": (primary_ctx, 2),
                   "secondary": (secondary_ctx, 0)}[ctx_name]
    ctx = base()
    ctx = dataclasses.replace(ctx, key_managers=(bb.KeyManagerRef(id="KM1", address=_endpoint("k")),))
    creating = fields.get("id") is not None
    vg = _group(ctx, index, **fields)
    one(check_volume_group(vg, ctx, creating=creating), code, field, severity, says)


def test_restricted_store_refuses_encrypted_groups():
    ctx = primary_ctx(key_managers=(bb.KeyManagerRef(id="KM1", address=_endpoint("k")),))
    ctx = _replace_store(ctx, _store(ctx, domain_access=RESTRICTED, export_config=bb.ExportConfig()))
    vg = _group(ctx, 1, encryption_algorithm="AES256-GCM", key_manager_id="KM1")
    one(check_volume_group(vg, ctx, creating=False), "§4", "encryption_algorithm",
        says=("RESTRICTED", "does not support encryption"))


@pytest.mark.rule("R46")
def test_auto_scratch_no_is_refused_when_the_store_has_worm_compatibility():
    ctx = primary_ctx()
    ctx = _replace_store(ctx, _store(ctx, type=bb.DATA_STORE_TYPE_DATADOMAIN, worm_compatibility=True))
    vg = _group(ctx, auto_scratch_at_load=False)
    one(check_volume_group(vg, ctx, creating=False), "R46", "auto_scratch_at_load", says=("WORM", "greyed out"))
    assert effective_auto_scratch(vg, ctx.data_stores[0]) is True
    assert effective_auto_scratch(vg, None) is False
    stale = dataclasses.replace(ctx, volume_groups=(vg,))
    one(check_data_store(stale.data_stores[0], stale, creating=False), "R46", "worm_compatibility", WARNING,
        ("VG_WIN1_DES", "forces it to YES"))


@pytest.mark.parametrize("volumes,refused", [(3, True), (0, False)])
def test_group_cannot_change_data_store_when_it_holds_volumes(volumes, refused):
    ctx = primary_ctx()
    other = bb.DataStore()
    other.CopyFrom(ctx.data_stores[0])
    other.id = "DS_OTHER"
    ctx = dataclasses.replace(ctx, data_stores=(*ctx.data_stores, other), volume_counts={"VG_WIN1_DES": volumes})
    problems = check_volume_group(_group(ctx, data_store_id="DS_OTHER"), ctx, creating=False)
    if refused:
        one(problems, "§4", "data_store_id", says=("3 volumes", "DS_WIN1_DES", "DS_OTHER", "empty the group"))
    else:
        assert problems == []


def test_validate_all_reports_groups_whose_store_is_missing_and_checks_one_store_on_request():
    ctx = primary_ctx()
    orphan = _group(ctx, 1, id="VG_ORPHAN", data_store_id="DS_GONE")
    ctx = dataclasses.replace(ctx, volume_groups=(*ctx.volume_groups, orphan))
    one(validate_all(ctx), "§4", "data_store_id", says=("DS_GONE",))
    assert validate_all(ctx, "ds_win1_des") == []
    with pytest.raises(NotFound, match="DS_WIN1_DES"):
        validate_all(ctx, "DS_GONE")


# --------------------------------------------------------------------------------------------------------------
# Role switch (R55)


@pytest.mark.rule("R43")
def test_switch_to_secondary_only_warns_when_groups_do_not_fit_a_secondary_store():
    ctx = primary_ctx()
    problems = check_domain_access_change(ctx.data_stores[0], SECONDARY, ctx)
    assert {p.severity for p in problems} == {WARNING}
    tmf = one(problems, "R43", "tape_catalog", WARNING, ("VG_WIN_TMF", "TMF", "set tape catalog NONE"))
    dsm = one(problems, "R38", "filecat", WARNING, ("VG_WIN1_DES", "FILECAT"))
    assert (tmf.object_kind, tmf.object_id, dsm.object_id) == ("volume_group", "VG_WIN_TMF", "VG_WIN1_DES")
    one(problems, "R52", "export_config.export_destination", WARNING, ("no longer exports", "blank"))
    assert check_domain_access_change(ctx.data_stores[0], PRIMARY, ctx) == []


@pytest.mark.rule("R55")
def test_switch_to_primary_warns_about_the_leftover_import_source():
    ctx = secondary_ctx()
    problems = check_domain_access_change(ctx.data_stores[0], PRIMARY, ctx)
    assert [(p.code, p.field, p.severity) for p in problems] == [("R17", "import_config.import_source", WARNING)]


def test_switch_to_restricted_warns_about_encrypted_groups_and_unspecified_access_is_refused():
    ctx = primary_ctx(key_managers=(bb.KeyManagerRef(id="KM1", address=_endpoint("k")),))
    ctx = dataclasses.replace(ctx, volume_groups=(_group(ctx, 1, encryption_algorithm="AES256-GCM",
                                                         key_manager_id="KM1"),))
    one(check_domain_access_change(ctx.data_stores[0], RESTRICTED, ctx), "§4", "encryption_algorithm", WARNING,
        ("VG_WIN1_DES_NC", "RESTRICTED"))
    one(check_domain_access_change(ctx.data_stores[0], bb.DOMAIN_ACCESS_UNSPECIFIED, ctx), "R17", "domain_access")


# --------------------------------------------------------------------------------------------------------------
# Refusals and field masks


def test_raise_on_errors_lists_each_error_with_field_and_fix_and_returns_warnings_otherwise():
    ctx = primary_ctx()
    ds = _store(ctx, pools=[], export_config=bb.ExportConfig(priority=250))
    with pytest.raises(ConfigurationInvalid) as info:
        raise_on_errors(check_data_store(ds, ctx, creating=False))
    assert isinstance(info.value, InvalidArgument) and info.value.status == "INVALID_ARGUMENT"
    assert str(info.value) == ("data store DS_WIN1_DES, field export_config.priority: export_config.priority 250 is"
                               " out of range. Fix: set a value from 0 to 199 (0 = inherit the priority of the"
                               " domain manager BBSV)")
    assert {p.code for p in info.value.problems} == {"R32", "W3077"}
    warnings = raise_on_errors(check_data_store(_store(ctx, pools=[]), ctx, creating=False))
    assert [w.code for w in warnings] == ["W3077"]


def test_field_mask_copies_nested_and_repeated_fields_when_allowed():
    ctx = primary_ctx()
    current = ctx.data_stores[0]
    update = bb.DataStore(id="IGNORED", description="new", export_config=bb.ExportConfig(priority=150),
                          pools=[bb.StoragePool(kind=STORAGE, path=r"\\h\new")])
    out = apply_field_mask(current, update, ["export_config.priority", "pools"], DATA_STORE_FIELDS, what="data store")
    assert out.export_config.priority == 150
    assert out.export_config.export_destination == current.export_config.export_destination
    assert [p.path for p in out.pools] == [r"\\h\new"] and out.description == current.description
    assert current.export_config.priority == 0  # the current message is not modified
    replaced = apply_field_mask(current, update, [], DATA_STORE_FIELDS, what="data store")
    assert (replaced.id, replaced.description, replaced.HasField("import_config")) == ("DS_WIN1_DES", "new", False)
    assert replaced.export_config.export_destination == ""


def test_field_mask_clears_optional_fields_when_the_update_leaves_them_unset():
    ctx = primary_ctx()
    out = apply_field_mask(ctx.volume_groups[0], bb.VolumeGroup(), ["auto_scratch_at_load"], VOLUME_GROUP_FIELDS,
                           what="volume group")
    assert not out.HasField("auto_scratch_at_load")


@pytest.mark.parametrize("path", ["domain_id", "domain_manager_node", "license"])
def test_domain_field_mask_is_refused_when_it_names_a_field_fixed_at_installation_or_the_license(path):
    ctx = primary_ctx()
    with pytest.raises(ConfigurationInvalid) as info:
        apply_field_mask(ctx.domain, bb.DomainConfig(), [path], DOMAIN_CONFIG_FIELDS, what="domain configuration")
    one(info.value.problems, "FIELD_MASK", path, says=("cannot be changed", "daily_cleanup_time"))
    out = apply_field_mask(ctx.domain, bb.DomainConfig(daily_cleanup_time="04:30"), ["daily_cleanup_time"],
                           DOMAIN_CONFIG_FIELDS, what="domain configuration")
    assert (out.daily_cleanup_time, out.domain_id) == ("04:30", "E501NEW")


@pytest.mark.parametrize("path,says", [
    ("id", ("field id of a data store cannot be changed", "description")),
    ("colour", ("DataStore has no field colour",)),
    ("export_config.colour", ("no field export_config.colour",)),
    ("description.text", ("has no sub-fields",)),
])
def test_field_mask_is_refused_when_a_field_is_unknown_or_immutable(path, says):
    ctx = primary_ctx()
    with pytest.raises(ConfigurationInvalid) as info:
        apply_field_mask(ctx.data_stores[0], bb.DataStore(), [path], DATA_STORE_FIELDS, what="data store")
    hit = one(info.value.problems, "FIELD_MASK", path, says=says)
    assert (hit.object_kind, hit.object_id) == ("data_store", "DS_WIN1_DES")
    assert f"data store DS_WIN1_DES, field {path}:" in str(info.value)
