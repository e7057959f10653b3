"""Label uniqueness across an SSL search space (R3, R13) and FILEID collisions in a non-dedicated FILECAT (R4, R11,
R42), on hand-written worlds."""

from __future__ import annotations

import json

import pytest

from harness.checkers import run_checkers
from tests.harness.test_checkers_world import PRI, SEC, SEC_DOMAIN, Story, World, synced


def check(name, events, dumps):
    (res,) = run_checkers(events, dumps, only=[name])
    return res


@pytest.fixture
def world() -> World:
    w = World()
    w.backup("EW1001")
    w.backup("EW1003", file_id="E501NEW-OBK11-WIN1", generation=2)
    return w


def share_ssl(dumps: dict) -> None:
    """Primary and secondary in one SSL: what R3 forbids."""
    for node in (PRI, SEC):
        dumps["final"]["nodes"][node]["tables"]["dsm_mediadefs"][0]["ssl"] = json.dumps([PRI, SEC])


def local_tape(view: World, volser: str, file_id: str, generation: int, *, filecat: str = "SHCH409FC") -> None:
    """A local backup at the secondary site: a LOCAL_POOL tape whose tape file is cataloged in `filecat`."""
    t = view.tables()
    t["dsm_volume"].append({"volcat": "LOCALVC", "volser": volser, "pool": "LOCAL_POOL", "status": "ASSIGNED",
                            "media_type": "LTO3", "volset_id": volser, "vol_index": 1})
    key = {"filecat": filecat, "file_id": file_id, "generation": generation, "version": 0}
    t["dsm_tapefile"].append({**key, "volcat": "LOCALVC", "pool": "LOCAL_POOL", "volset_id": volser,
                              "status": "VALID"})
    t["dsm_tftov"].append({**key, "volser": volser, "vol_index": 1, "file_section": 1, "file_sequence": 1,
                           "file_seq_label_lba": 0})


def final_view(dumps) -> World:
    view = World()
    view.data = dumps["final"]
    return view


# -- label uniqueness --------------------------------------------------------------------------------------------

@pytest.mark.rule("R3")
def test_labels_are_unique_when_primary_and_secondary_have_separate_ssls(world):
    events, dumps = synced(world)
    res = check("label-uniqueness", events, dumps)
    assert res.verdict == "valid" and "2 SSL search spaces" in res.summary


@pytest.mark.rule("R3")
def test_duplicate_label_when_primary_and_secondary_share_an_ssl(world):
    events, dumps = synced(world)
    share_ssl(dumps)
    res = check("label-uniqueness", events, dumps)
    assert res.verdict == "invalid"
    assert [e["label"] for e in res.evidence] == ["EW1001", "EW1003"]
    assert res.evidence[0] == {"kind": "duplicate-label", "label": "EW1001", "search_space_of": [SEC, PRI],
                               "entries": ["\\ETINIUM.SHCH409VC pool E501_WIN_2ND", "\\INSIDX.QCVOLCAT pool E501_WIN1"],
                               "rule": "R13"}


@pytest.mark.rule("R13")
def test_duplicate_label_when_a_local_volume_has_an_imported_name(world):
    events, dumps = synced(world)
    local_tape(final_view(dumps), "EW1003", "LOCAL-BACKUP", 1, filecat="LOCALFC")
    res = check("label-uniqueness", events, dumps)
    assert [(e["label"], e["entries"]) for e in res.evidence] == [
        ("EW1003", ["\\ETINIUM.LOCALVC pool LOCAL_POOL", "\\ETINIUM.SHCH409VC pool E501_WIN_2ND"])]


@pytest.mark.rule("R13")
def test_labels_are_unique_when_the_secondary_pool_is_out_of_the_search_space(world):
    events, dumps = synced(world)
    share_ssl(dumps)
    for node in (PRI, SEC):     # the R13 workaround: pools excluded from the system search space
        for pool in dumps["final"]["nodes"][node]["tables"]["dsm_pool"]:
            if pool["name"] in ("E501_WIN_2ND",):
                pool["searchspace_in"] = 0
    assert check("label-uniqueness", events, dumps).verdict == "valid"


def test_label_uniqueness_is_unknown_when_an_ssl_node_is_down(world):
    events, dumps = synced(world)
    share_ssl(dumps)
    del dumps["final"]["nodes"][SEC]["tables"]
    dumps["final"]["nodes"][SEC]["up"] = False
    res = check("label-uniqueness", events, dumps)
    assert res.verdict == "unknown" and "\\ETINIUM" in res.summary


@pytest.mark.rule("R3")
def test_duplicate_label_when_a_domain_holds_a_label_twice(world):
    events, dumps = synced(world)
    vols = final_view(dumps).backbox()["volumes"]
    vols.append(dict(vols[0]))
    res = check("label-uniqueness", events, dumps)
    assert [(e["label"], e.get("domain")) for e in res.evidence] == [("EW1001", SEC_DOMAIN)]


# -- FILEID collisions ---------------------------------------------------------------------------------------------

@pytest.mark.rule("R42")
def test_fileid_collisions_are_absent_when_the_filecat_is_dedicated(world):
    events, dumps = synced(world)
    res = check("fileid-collisions", events, dumps)
    assert res.verdict == "valid" and "1 FILECATs" in res.summary


@pytest.mark.rule("R42")
def test_fileid_collision_when_a_local_backup_in_the_import_filecat_reuses_a_generation(world):
    events, dumps = synced(world)
    local_tape(final_view(dumps), "LOC001", "E501NEW-OBK11-WIN1", 2)
    res = check("fileid-collisions", events, dumps)
    assert res.verdict == "invalid"
    assert res.evidence == ({"kind": "fileid-collision", "catalog": "\\ETINIUM.SHCH409FC",
                             "file_id": "E501NEW-OBK11-WIN1", "generation": 2, "imported": ["EW1003"],
                             "local": ["LOC001"], "rule": "R42"},)


@pytest.mark.rule("R11")
def test_fileid_collisions_are_absent_when_local_backups_use_their_own_filecat(world):
    events, dumps = synced(world)
    local_tape(final_view(dumps), "LOC001", "E501NEW-OBK11-WIN1", 2, filecat="LOCALFC")
    assert check("fileid-collisions", events, dumps).verdict == "valid"


@pytest.mark.rule("R42")
def test_fileid_collisions_are_absent_when_a_local_file_has_another_generation(world):
    events, dumps = synced(world)
    local_tape(final_view(dumps), "LOC001", "E501NEW-OBK11-WIN1", 3)
    assert check("fileid-collisions", events, dumps).verdict == "valid"


@pytest.mark.rule("R4")
def test_fileid_collision_when_a_tape_file_names_imported_and_local_volumes(world):
    events, dumps = synced(world)
    t = final_view(dumps).tables()
    row = next(r for r in t["dsm_tftov"] if r["volser"] == "EW1001")
    t["dsm_tftov"].append({**row, "volser": "LOC001", "vol_index": 2})
    res = check("fileid-collisions", events, dumps)
    assert [(e["imported"], e["local"]) for e in res.evidence] == [(["EW1001"], ["LOC001"])]


@pytest.mark.rule("R42")
def test_fileid_collision_when_the_import_overwrote_a_local_backup_the_history_recorded(world):
    """A local backup of a PRIMARY store at the secondary site (R9) wrote FILEID gen 2 into SHCH409FC; the import
    then replaced that TAPEFILE with the primary's gen 2: only the history still tells the local one."""
    events, dumps = synced(world)
    view = final_view(dumps)
    sec_bb = view.backbox()
    sec_bb["config"]["data_store"].append({"id": "LOCAL_DS", "domain_access": "DOMAIN_ACCESS_PRIMARY", "pools": []})
    sec_bb["volumes"].append({"label": "LOC001", "data_store_id": "LOCAL_DS", "volume_group_id": "VG_LOCAL",
                              "filecat": "\\ETINIUM.SHCH409FC"})
    story = Story()
    story.history.events.extend(events)
    story.backup({"domain": SEC_DOMAIN, "data_store": "LOCAL_DS", "group": "VG_LOCAL", "node": SEC,
                  "file_id": "E501NEW-OBK11-WIN1", "generation": 2, "labels": ["LOC001"], "encrypted": False})
    res = check("fileid-collisions", story.events, dumps)
    assert [(e["file_id"], e["generation"], e["imported"], e["local"]) for e in res.evidence] == [
        ("E501NEW-OBK11-WIN1", 2, ["EW1003"], ["LOC001"])]


@pytest.mark.rule("R3")
@pytest.mark.parametrize("entry, verdict", [("\\ETINIUM.LOCALVC", "valid"), ("\\ETINIUM.SHCH409VC", "invalid")])
def test_an_ssl_entry_naming_one_volcat_searches_only_that_volcat(world, entry, verdict):
    events, dumps = synced(world)
    dumps["final"]["nodes"][PRI]["tables"]["dsm_mediadefs"][0]["ssl"] = json.dumps([PRI, entry])
    assert check("label-uniqueness", events, dumps).verdict == verdict
