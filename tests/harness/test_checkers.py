"""Catalog consistency checker on hand-written worlds (tests/harness/test_checkers_world.py): a clean replication
is valid, and each kind of the typed diff is found with its exact evidence."""

from __future__ import annotations

import json

import pytest

from harness.checkers import run_checkers
from tests.harness.test_checkers_world import PRI, SEC, SEC_STORE, Story, World, synced

SALES = "\\INSIDX.$DATA01.SALES.F0000001"


def consistency(events, dumps, **kw):
    (res,) = run_checkers(events, dumps, only=["consistency"], **kw)
    return res


def kinds(res) -> list[tuple[str, str, str]]:
    return [(e["kind"], e["label"], e["what"]) for e in res.evidence]


@pytest.fixture
def world() -> World:
    w = World()
    w.backup("EW1001", disk_files=(SALES,))
    w.backup(["EW1003", "EW1004"], file_id="E501NEW-OBK11-SET", generation=4)        # a two-volume set
    w.backup("EK1001", group="VG_WIN1_ENC", file_id="E501NEW-OBK11-ENC")
    w.backup("ENCS01", group="VG_NC", file_id="E501NEW-OBK11-NC")
    w.scratch("EW1002")
    return w


def break_final(dumps: dict, change) -> dict:
    """Apply `change(world-like view of the final dump)` to the final dump."""
    view = World()
    view.data = dumps["final"]
    change(view)
    return dumps


# -- valid ----------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R14")
@pytest.mark.rule("R22")
def test_consistency_is_valid_when_the_secondary_holds_what_was_exported(world):
    events, dumps = synced(world)
    res = consistency(events, dumps)
    assert res.verdict == "valid", res
    assert res.evidence == ()
    assert "6 volumes compared" in res.summary and "1 in groups with no secondary group" not in res.summary


@pytest.mark.rule("R39")
def test_volumes_of_a_group_with_no_secondary_group_are_not_expected_when_w3332(world):
    world.backup("ETMF01", group="VG_TMF", file_id="E501NEW-OBK11-TMF")
    events, dumps = synced(world)
    res = consistency(events, dumps)
    assert res.verdict == "valid" and "1 in groups with no secondary group (R39)" in res.summary


@pytest.mark.rule("R44")
def test_media_type_is_kept_when_the_secondary_group_has_none(world):
    events, dumps = synced(world)
    assert world.records()["EK1001"]["media_type"] == "LTO3"          # VG_WIN1_ENC2 names no media type
    assert consistency(events, dumps).verdict == "valid"


def test_volumes_pending_export_at_the_reference_are_not_compared_when_changed_after_the_snapshot(world):
    story = Story()
    world.exported()
    world.pending("EW1001")                     # rewritten while the export ran: the next one carries it
    name = story.export("FULL")
    dumps = {name: world.state()}
    world.replicate()
    world.records()["EW1001"]["catalog_status"] = "VOLUME_STATUS_SCRATCH"
    story.import_("FULL")
    dumps["final"] = world.state()
    res = consistency(story.events, dumps)
    assert res.verdict == "valid" and "1 pending export at the reference not compared" in res.summary


# -- missing / stale ----------------------------------------------------------------------------------------------

@pytest.mark.rule("R22")
def test_missing_when_a_backbox_record_is_absent(world):
    events, dumps = synced(world)
    dumps["final"]["nodes"][SEC]["backbox"]["volumes"] = [
        v for v in dumps["final"]["nodes"][SEC]["backbox"]["volumes"] if v["label"] != "ENCS01"]
    res = consistency(events, dumps)
    assert res.verdict == "invalid"
    assert res.evidence == ({"kind": "missing", "data_store": SEC_STORE, "label": "ENCS01", "what": "backbox",
                             "rule": "R22"},)


@pytest.mark.rule("R24")
@pytest.mark.parametrize("table, what", [("dsm_volume", "tapevolume"), ("dsm_tapefile", "tapefile"),
                                         ("dsm_diskfile", "diskfile")])
def test_missing_when_a_dsmtc_entry_is_absent(world, table, what):
    events, dumps = synced(world, catalog_files=True)

    def drop(view):
        rows = view.tables()[table]
        rows.remove(next(r for r in rows if r.get("volser") == "EW1001" or r.get("volset_id") == "EW1001"))
        if table == "dsm_tapefile":   # its TFTOV rows and DISKFILEs go with it
            view.tables()["dsm_tftov"] = [t for t in view.tables()["dsm_tftov"] if t["volser"] != "EW1001"]
            view.tables()["dsm_diskfile"].clear()
    res = consistency(events, break_final(dumps, drop))
    assert res.verdict == "invalid"
    assert kinds(res) == [("missing", "EW1001", what)]


@pytest.mark.rule("R22")
def test_stale_when_a_record_field_differs_from_the_export(world):
    events, dumps = synced(world)
    break_final(dumps, lambda v: v.records()["EW1001"].update(catalog_status="VOLUME_STATUS_SCRATCH"))
    res = consistency(events, dumps)
    assert res.evidence == ({"kind": "stale", "data_store": SEC_STORE, "label": "EW1001", "what": "backbox",
                             "field": "catalog_status", "expected": "VOLUME_STATUS_ASSIGNED",
                             "actual": "VOLUME_STATUS_SCRATCH", "rule": "R22"},)


@pytest.mark.rule("R24")
def test_stale_when_a_tape_file_expiration_differs(world):
    events, dumps = synced(world)

    def alter(view):
        row = next(r for r in view.tables()["dsm_tapefile"] if r["file_id"] == "E501NEW-OBK11-SET")
        row["expiration_us"] += 1
    res = consistency(events, break_final(dumps, alter))
    # one finding for the set, not one per volume
    assert [(e["kind"], e["what"], e["field"], e["file_id"]) for e in res.evidence] == [
        ("stale", "tapefile", "expiration_us", "E501NEW-OBK11-SET")]


def test_bookkeeping_fields_are_not_compared_when_a_restore_loaded_the_volume(world):
    events, dumps = synced(world)
    break_final(dumps, lambda v: v.records()["EW1001"].update(unload_time="2025-09-24T01:00:00Z",
                                                               change_sequence="512"))
    assert consistency(events, dumps).verdict == "valid"


# -- extra: FULL vs UPDATE imports -------------------------------------------------------------------------------

def _deleted_after_sync(world: World, import_type: str, *, full_export_after_delete: bool = True):
    """EW1002 imported once, then deleted at the primary; export, import of `import_type`."""
    events, dumps = synced(world)
    story = Story()
    story.history.events.extend(events)
    world.backbox(PRI)["volumes"] = [v for v in world.backbox(PRI)["volumes"] if v["label"] != "EW1002"]
    world.tables(PRI)["dsm_volume"] = [r for r in world.tables(PRI)["dsm_volume"] if r["volser"] != "EW1002"]
    name = story.export("FULL" if full_export_after_delete else "UPDATE")
    dumps[name] = world.state()
    story.import_(import_type)
    dumps["final"] = world.state()      # EW1002 stays at the secondary
    return consistency(story.events, dumps)


@pytest.mark.rule("R23")
def test_extra_when_a_full_import_kept_a_volume_the_primary_deleted(world):
    res = _deleted_after_sync(world, "FULL")
    assert res.verdict == "invalid"
    assert res.evidence == ({"kind": "extra", "data_store": SEC_STORE, "label": "EW1002", "what": "backbox",
                             "volume_group_id": "VG_WIN1_DES2", "rule": "R23"},)


@pytest.mark.rule("R23")
def test_extra_is_allowed_when_the_latest_import_was_update(world):
    res = _deleted_after_sync(world, "UPDATE")
    assert res.verdict == "valid", res


@pytest.mark.rule("R7")
@pytest.mark.rule("R19")
def test_extra_is_allowed_when_the_latest_full_export_predates_the_deletion(world):
    # the staging area still holds EW1002's file from the FULL export: a FULL import keeps it
    res = _deleted_after_sync(world, "FULL", full_export_after_delete=False)
    assert res.verdict == "valid", res


@pytest.mark.rule("R24")
def test_extra_tape_file_when_a_full_import_kept_one_the_primary_no_longer_has(world):
    events, dumps = synced(world)

    def add(view):
        row = next(r for r in view.tables()["dsm_tapefile"] if r["file_id"] == "E501NEW-OBK11-WIN1")
        view.tables()["dsm_tapefile"].append({**row, "generation": 9})
        view.tables()["dsm_tftov"].append({"filecat": "SHCH409FC", "file_id": "E501NEW-OBK11-WIN1", "generation": 9,
                                           "version": 0, "volser": "EW1001", "vol_index": 1, "file_section": 1,
                                           "file_sequence": 2, "file_seq_label_lba": 0})
    res = consistency(events, break_final(dumps, add))
    assert [(e["kind"], e["what"], e["generation"]) for e in res.evidence] == [("extra", "tapefile", 9)]


# -- orphans ------------------------------------------------------------------------------------------------------

@pytest.mark.rule("R24")
def test_orphan_when_dsmtc_entries_have_no_backbox_record(world):
    events, dumps = synced(world)

    def orphan(view):
        row = next(r for r in view.tables()["dsm_volume"] if r["volser"] == "EW1002")
        view.tables()["dsm_volume"].append({**row, "volser": "ZZ0001"})
        view.tables()["dsm_tapefile"].append({"filecat": "SHCH409FC", "file_id": "GHOST", "generation": 1,
                                              "version": 0, "volcat": "SHCH409VC", "pool": "E501_WIN_2ND",
                                              "volset_id": "ZZ0001", "status": "VALID"})
        view.tables()["dsm_tftov"].append({"filecat": "SHCH409FC", "file_id": "GHOST", "generation": 1, "version": 0,
                                           "volser": "ZZ0001", "vol_index": 1, "file_section": 1, "file_sequence": 1,
                                           "file_seq_label_lba": 0})
        view.tables()["dsm_diskfile"].append({"filecat": "SHCH409FC", "file_id": "NOFILE", "generation": 3,
                                              "version": 0, "disk_file_name": "\\ETINIUM.$A.B.C", "volset_id": ""})
        # a local volume in the local pool is nobody's orphan
        view.tables()["dsm_volume"].append({**row, "volser": "LOC001", "volcat": "LOCALVC", "pool": "LOCAL_POOL"})
    res = consistency(events, break_final(dumps, orphan))
    assert [(e["kind"], e["what"], e["label"]) for e in res.evidence] == [
        ("orphan", "tapevolume", "ZZ0001"), ("orphan", "tapefile", "ZZ0001"), ("orphan", "diskfile", "")]
    assert res.evidence[0]["catalog"] == "\\ETINIUM.SHCH409VC" and res.evidence[0]["pool"] == "E501_WIN_2ND"


# -- re-qualification (R14), media type (R44), node replacement (R15) ---------------------------------------------

@pytest.mark.rule("R14")
def test_wrong_catalog_when_the_record_keeps_the_primary_volcat(world):
    events, dumps = synced(world)
    break_final(dumps, lambda v: v.records()["EW1001"].update(volcat="\\INSIDX.QCVOLCAT"))
    res = consistency(events, dumps)
    assert res.evidence == ({"kind": "wrong-catalog", "data_store": SEC_STORE, "label": "EW1001", "what": "backbox",
                             "field": "volcat", "expected": "\\ETINIUM.SHCH409VC", "actual": "\\INSIDX.QCVOLCAT",
                             "rule": "R14"},)


@pytest.mark.rule("R14")
def test_wrong_catalog_when_tape_files_land_in_another_filecat(world):
    events, dumps = synced(world)

    def move(view):
        for table in ("dsm_tapefile", "dsm_tftov", "dsm_diskfile"):
            for r in view.tables()[table]:
                if r["file_id"] == "E501NEW-OBK11-WIN1":
                    r["filecat"] = "LOCALFC"
    res = consistency(events, break_final(dumps, move))
    (e,) = res.evidence
    assert (e["kind"], e["what"], e["field"], e["expected"], e["actual"]) == (
        "wrong-catalog", "tapefile", "filecat", "\\ETINIUM.SHCH409FC", ["\\ETINIUM.LOCALFC"])


@pytest.mark.rule("R14")
def test_wrong_catalog_when_the_tape_volume_is_in_another_pool(world):
    events, dumps = synced(world)

    def move(view):
        row = next(r for r in view.tables()["dsm_volume"] if r["volser"] == "EW1002")
        row.update(volcat="LOCALVC", pool="LOCAL_POOL")
    res = consistency(events, break_final(dumps, move))
    (e,) = res.evidence
    assert (e["kind"], e["label"], e["what"], e["actual"]) == (
        "wrong-catalog", "EW1002", "tapevolume", ["\\ETINIUM.LOCALVC pool LOCAL_POOL"])


@pytest.mark.rule("R43")
def test_wrong_catalog_when_a_volume_of_a_group_without_catalog_names_one(world):
    events, dumps = synced(world)
    break_final(dumps, lambda v: v.records()["ENCS01"].update(volcat="\\ETINIUM.SHCH409VC"))
    res = consistency(events, dumps)
    assert [(e["kind"], e["label"], e["field"]) for e in res.evidence] == [("wrong-catalog", "ENCS01", "volcat")]


@pytest.mark.rule("R44")
def test_wrong_media_type_when_the_primary_media_type_was_kept(world):
    events, dumps = synced(world)

    def keep(view):
        next(r for r in view.tables()["dsm_volume"] if r["volser"] == "EW1002")["media_type"] = "LTO3"
        view.records()["EW1002"]["media_type"] = "LTO3"
    res = consistency(events, break_final(dumps, keep))
    assert [(e["kind"], e["what"], e["expected"], e["actual"]) for e in res.evidence] == [
        ("wrong-media-type", "backbox", "LTO4", "LTO3"), ("wrong-media-type", "tapevolume", "LTO4", "LTO3")]


@pytest.mark.rule("R15")
def test_wrong_node_replacement_when_a_diskfile_keeps_the_primary_node(world):
    events, dumps = synced(world)
    break_final(dumps, lambda v: v.tables()["dsm_diskfile"][0].update(disk_file_name=SALES))
    res = consistency(events, dumps)
    (e,) = res.evidence
    assert (e["kind"], e["expected"], e["actual"]) == (
        "wrong-node-replacement", "\\ETINIUM.$DATA01.SALES.F0000001", SALES)


@pytest.mark.rule("R33")
def test_diskfiles_are_not_required_when_the_import_excluded_them(world):
    events, dumps = synced(world)
    break_final(dumps, lambda v: v.tables()["dsm_diskfile"].clear())
    assert consistency(events, dumps).verdict == "valid"          # not told: none arrived, none required
    story = Story()
    story.history.events.extend(events[:-2])
    story.import_("FULL", catalog_files=True)
    res = consistency(story.events, dumps)
    assert kinds(res) == [("missing", "EW1001", "diskfile")]


# -- which primary state (references) -----------------------------------------------------------------------------

def test_unknown_when_the_history_has_no_import(world):
    story = Story()
    name = story.export("FULL")
    res = consistency(story.events, {name: world.state(), "final": world.state()})
    assert res.verdict == "unknown" and "no import in the history" in res.summary


def test_unknown_when_no_successful_export_precedes_the_import(world):
    story = Story()
    story.export("FULL", ok=False)
    story.import_("FULL")
    res = consistency(story.events, {"final": world.state()})
    assert res.verdict == "unknown" and "no successful export of DS_WIN1_DES before" in res.summary


def test_unknown_when_no_import_succeeded(world):
    story = Story()
    name = story.export("FULL")
    story.import_("FULL", ok=False)
    res = consistency(story.events, {name: world.state(), "final": world.state()})
    assert res.verdict == "unknown" and "no successful import of E501_WIN1_SND" in res.summary


def test_the_final_dump_is_the_reference_when_an_automatic_export_has_none(world):
    story = Story().auto_export()
    world.exported()
    world.replicate()
    story.import_("UPDATE")
    res = consistency(story.events, {"final": world.state()})
    assert res.verdict == "valid" and "auto-export" in res.summary and "dump final" in res.summary


def test_unknown_when_the_primary_was_exported_again_before_any_dump(world):
    story = Story().auto_export()
    story.import_("UPDATE")
    story.auto_export()
    res = consistency(story.events, {"final": world.state()})
    assert res.verdict == "unknown" and "exported again" in res.summary


def test_the_latest_export_before_the_import_is_the_reference_when_there_are_several(world):
    story = Story()
    world.exported()
    first = story.export("FULL")
    dumps = {first: world.state()}
    world.backup("EW1005", generation=2)          # exported by the second export, imported next
    world.exported()
    second = story.export("UPDATE")
    dumps[second] = world.state()
    world.replicate()
    story.import_("UPDATE")
    world.backup("EW1006", generation=3)          # after the import: not expected yet
    world.exported()
    story.export("UPDATE", dump=False)
    dumps["final"] = world.state()
    res = consistency(story.events, dumps)
    assert res.verdict == "valid" and f"dump {second}" in res.summary, res


def test_a_check_dump_is_the_reference_when_the_export_has_none(world):
    story = Story().auto_export()
    world.exported()
    world.replicate()
    story.import_("UPDATE").check("check-9")
    dumps = {"check-9": world.state()}
    story.auto_export()
    dumps["final"] = world.state()
    res = consistency(story.events, dumps)
    assert res.verdict == "valid" and "dump check-9" in res.summary


def test_unknown_when_the_secondary_dsmtc_node_is_down(world):
    events, dumps = synced(world)
    node = dumps["final"]["nodes"][SEC]
    node["up"] = False
    del node["tables"]
    res = consistency(events, dumps)
    assert res.verdict == "unknown" and "\\ETINIUM is down" in res.summary


# -- indefinite runs (info): judged valid when valid under one reading --------------------------------------------

def _after_indefinite_import(world: World, *, applied: bool):
    events, dumps = synced(world)
    story = Story()
    story.history.events.extend(events)
    world.backup("EW1005", generation=2)
    world.exported()
    name = story.export("UPDATE")
    dumps[name] = world.state()
    if applied:
        world.replicate()
    story.import_("UPDATE", indefinite=True)
    dumps["final"] = world.state()
    return consistency(story.events, dumps)


def test_consistency_is_valid_when_an_indefinite_import_did_apply(world):
    res = _after_indefinite_import(world, applied=True)
    assert res.verdict == "valid" and "assuming the indefinite runs happened" in res.summary, res


def test_consistency_is_valid_when_an_indefinite_import_did_not_apply(world):
    res = _after_indefinite_import(world, applied=False)
    assert res.verdict == "valid" and "assuming" not in res.summary, res


def test_consistency_is_invalid_when_invalid_under_every_reading_of_an_indefinite_import(world):
    events, dumps = synced(world)
    story = Story()
    story.history.events.extend(events)
    name = story.export("UPDATE")              # a second reading: this export, if the import below ran
    dumps[name] = dumps["final"]
    story.import_("UPDATE", indefinite=True)
    dumps["final"] = json.loads(json.dumps(dumps["final"]))
    break_final(dumps, lambda v: v.records()["EW1001"].update(catalog_status="VOLUME_STATUS_SCRATCH"))
    res = consistency(story.events, dumps)
    assert res.verdict == "invalid" and [e["kind"] for e in res.evidence] == ["stale"]


@pytest.mark.rule("R28")
def test_the_reference_is_a_failed_export_that_wrote_files_before_the_import(world):
    events, dumps = synced(world)
    story = Story()
    story.history.events.extend(events)
    world.backup("EW1005", generation=2)
    world.backup("EW1006", generation=3)
    world.exported()
    world.pending("EW1006")                  # the link broke after EW1005's file: EW1006 stays pending (R28)
    name = story.export("UPDATE", ok=False)
    dumps[name] = world.state()
    world.replicate("EW1005")
    story.import_("UPDATE")
    dumps["final"] = world.state()
    res = consistency(story.events, dumps)
    assert res.verdict == "valid" and f"dump {name}" in res.summary and "1 pending export" in res.summary, res
    world.records()["EW1005"]["catalog_status"] = "VOLUME_STATUS_SCRATCH"     # the import got it wrong
    dumps["final"] = world.state()
    assert kinds(consistency(story.events, dumps)) == [("stale", "EW1005", "backbox")]
