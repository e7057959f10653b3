"""Recoverability and RPO checkers on hand-written worlds: catalog + replicated image + replicated key at the
secondary for every volume the primary can restore; the RPO measured from the backup events."""

from __future__ import annotations

import pytest

from harness.checkers import run_checkers
from tests.harness.test_checkers_world import SEC, SEC_STORE, US0, Story, World, synced


def check(name, events, dumps, **kw):
    (res,) = run_checkers(events, dumps, only=[name], **kw)
    return res


@pytest.fixture
def world() -> World:
    w = World()
    w.backup("EW1001")
    w.backup("EK1001", group="VG_WIN1_ENC", file_id="E501NEW-OBK11-ENC")
    w.backup("ENCS01", group="VG_NC", file_id="E501NEW-OBK11-NC")
    w.scratch("EW1002")
    return w


def final_view(dumps) -> World:
    view = World()
    view.data = dumps["final"]
    return view


# -- recoverability -------------------------------------------------------------------------------------------------

@pytest.mark.rule("R2")
@pytest.mark.rule("R50")
def test_recoverability_is_valid_when_catalog_image_and_key_are_replicated(world):
    events, dumps = synced(world)
    res = check("recoverability", events, dumps)
    assert res.verdict == "valid", res
    assert "all 3 volumes" in res.summary            # EW1002 holds nothing: not a restorable volume


@pytest.mark.rule("R2")
def test_missing_image_when_storage_replication_did_not_deliver(world):
    events, dumps = synced(world)
    view = final_view(dumps)
    view.images()[:] = [i for i in view.images() if i["label"] != "ENCS01"]
    res = check("recoverability", events, dumps)
    assert res.verdict == "invalid"
    assert res.evidence == ({"kind": "missing-image", "data_store": SEC_STORE, "label": "ENCS01",
                             "storage": ["STO_SEC"], "rule": "R2"},)


@pytest.mark.rule("R2")
def test_image_differs_when_the_replica_is_an_older_write(world):
    events, dumps = synced(world)
    next(i for i in final_view(dumps).images() if i["label"] == "EW1001")["checksum"] = "older"
    res = check("recoverability", events, dumps)
    assert [(e["kind"], e["label"], e["actual"]) for e in res.evidence] == [("image-differs", "EW1001", "older")]


@pytest.mark.rule("R2")
def test_image_damaged_when_the_replicas_bytes_no_longer_match_its_checksum(world):
    events, dumps = synced(world)
    next(i for i in final_view(dumps).images() if i["label"] == "EW1001")["damaged"] = True
    res = check("recoverability", events, dumps)
    assert res.verdict == "invalid"
    assert [(e["kind"], e["label"]) for e in res.evidence] == [("image-damaged", "EW1001")]


@pytest.mark.rule("R50")
def test_missing_key_when_key_replication_did_not_deliver(world):
    events, dumps = synced(world)
    final_view(dumps).keys().clear()
    res = check("recoverability", events, dumps)
    assert res.evidence == ({"kind": "missing-key", "data_store": SEC_STORE, "label": "EK1001",
                             "key_manager": "ESKM-SEC", "key": "E501NEW-EK1001-1", "state": "absent",
                             "rule": "R50"},)


@pytest.mark.rule("R50")
def test_missing_key_when_the_replicated_key_was_destroyed(world):
    events, dumps = synced(world)
    final_view(dumps).keys()[0].update(state="DESTROYED", destroyed="2025-09-23T21:00:00+00:00")
    res = check("recoverability", events, dumps)
    assert [(e["kind"], e["state"]) for e in res.evidence] == [("missing-key", "DESTROYED")]


@pytest.mark.rule("R50")
def test_missing_key_manager_when_the_secondary_domain_lacks_the_id(world):
    events, dumps = synced(world)
    final_view(dumps).backbox(SEC)["config"]["key_manager"] = [{"id": "KM2", "server_name": "ESKM-SEC"}]
    res = check("recoverability", events, dumps)
    assert [(e["kind"], e["key_manager_id"]) for e in res.evidence] == [("missing-key-manager", "KM1")]


@pytest.mark.rule("R14")
def test_missing_catalog_entries_make_a_volume_unrecoverable(world):
    events, dumps = synced(world)
    view = final_view(dumps)
    view.tables()["dsm_volume"] = [r for r in view.tables()["dsm_volume"] if r["volser"] != "EW1001"]
    view.tables()["dsm_tapefile"] = [r for r in view.tables()["dsm_tapefile"] if r["file_id"] != "E501NEW-OBK11-ENC"]
    view.backbox(SEC)["volumes"] = [v for v in view.backbox(SEC)["volumes"] if v["label"] != "ENCS01"]
    res = check("recoverability", events, dumps)
    assert sorted((e["kind"], e["label"]) for e in res.evidence) == [
        ("missing-record", "ENCS01"), ("missing-tapefile", "EK1001"), ("missing-tapevolume", "EW1001")]


def test_a_volume_whose_files_expired_at_the_primary_is_not_required(world):
    world.backup("EW1003", file_id="OLD", generation=2, expiration_us=US0 - 1)
    events, dumps = synced(world)
    view = final_view(dumps)
    view.images()[:] = [i for i in view.images() if i["label"] != "EW1003"]
    assert check("recoverability", events, dumps).verdict == "valid"


def test_recoverability_is_unknown_when_the_history_has_no_import(world):
    res = check("recoverability", [], {"final": world.state()})
    assert res.verdict == "unknown" and "no import" in res.summary


# -- RPO --------------------------------------------------------------------------------------------------------------

def rpo_story(world: World, *, replicate_second: bool) -> tuple[list, dict]:
    """Backup EW1001 at 20:00, export, import; backup EW1003 at 21:00 (replicated or not)."""
    story = Story()
    story.backup(world.backup("EW1001"))
    world.exported()
    name = story.export("FULL")
    dumps = {name: world.state()}
    world.replicate()
    story.import_("FULL")
    story.at("2025-09-23T21:00:00+00:00").backup(world.backup("EW1003", file_id="E501NEW-OBK11-WIN1", generation=2,
                                                              time="2025-09-23T21:00:00+00:00"))
    if replicate_second:
        world.exported()
        name = story.export("UPDATE")
        dumps[name] = world.state()
        world.replicate()
        story.import_("UPDATE")
    dumps["final"] = world.state()
    return story.events, dumps


def test_rpo_is_zero_when_the_newest_backup_is_restorable_at_the_secondary():
    events, dumps = rpo_story(World(), replicate_second=True)
    res = check("rpo", events, dumps, rpo_limit_seconds=60)
    assert res.verdict == "valid" and "RPO 0 s" in res.summary
    assert res.evidence[0]["rpo_seconds"] == 0 and res.evidence[0]["kind"] == "rpo"


def test_rpo_is_invalid_when_above_the_bound():
    events, dumps = rpo_story(World(), replicate_second=False)
    res = check("rpo", events, dumps, rpo_limit_seconds=1800)
    assert res.verdict == "invalid"
    (e,) = res.evidence
    assert (e["kind"], e["rpo_seconds"], e["limit_seconds"]) == ("rpo-exceeded", 3600, 1800)
    assert e["newest_primary"]["labels"] == ["EW1003"] and e["newest_secondary"]["labels"] == ["EW1001"]
    assert e["why_not_at_secondary"] == "no BackBox record of EW1003"


def test_rpo_is_valid_with_the_measured_value_when_within_the_bound():
    events, dumps = rpo_story(World(), replicate_second=False)
    res = check("rpo", events, dumps, rpo_limit_seconds=7200)
    assert res.verdict == "valid" and "RPO 3600 s <= 7200 s" in res.summary
    assert check("rpo", events, dumps).verdict == "valid"          # no bound: measured only


@pytest.mark.rule("R50")
def test_rpo_counts_an_encrypted_backup_only_when_its_key_reached_the_secondary():
    world = World()
    story = Story()
    story.backup(world.backup("EK1001", group="VG_WIN1_ENC", file_id="ENC"))
    world.exported()
    name = story.export("FULL")
    dumps = {name: world.state()}
    world.replicate()
    world.keys().clear()
    story.at("2025-09-23T22:00:00+00:00").import_("FULL")
    dumps["final"] = world.state()
    res = check("rpo", story.events, dumps, rpo_limit_seconds=0)
    (e,) = res.evidence
    assert res.verdict == "valid" and e["newest_secondary"] is None and e["rpo_seconds"] == 0
    assert e["why_not_at_secondary"] == "no key E501NEW-EK1001-1 for EK1001"


def test_rpo_runs_from_the_history_start_when_nothing_is_restorable_at_the_secondary():
    world = World()
    story = Story()
    story.at("2025-09-23T20:00:00+00:00").op("advance", {"by_seconds": 600}, "ok", {"by_seconds": 600})
    story.at("2025-09-23T20:10:00+00:00").backup(world.backup("EW1001", time="2025-09-23T20:10:00+00:00"))
    res = check("rpo", story.events, {"final": world.state()}, rpo_limit_seconds=300)
    assert res.verdict == "invalid" and res.evidence[0]["rpo_seconds"] == 600
    assert "nothing restorable at the secondary" in res.summary


def test_a_backup_rewritten_by_a_later_one_is_restorable_nowhere():
    world = World()
    story = Story()
    story.backup(world.backup("EW1001"))
    world.exported()
    name = story.export("FULL")
    dumps = {name: world.state()}
    world.replicate()
    story.import_("FULL")
    # EW1001 rewritten at 21:00 (not replicated): the 20:00 backup is gone at both sites
    story.at("2025-09-23T21:00:00+00:00").backup(world.backup("EW1001", file_id="NEW", generation=2,
                                                              time="2025-09-23T21:00:00+00:00"))
    dumps["final"] = world.state()
    res = check("rpo", story.events, dumps)
    (e,) = res.evidence
    assert e["newest_secondary"] is None and e["newest_primary"]["file_id"] == "NEW"


def test_rpo_is_valid_when_the_history_has_no_backup():
    res = check("rpo", [], {"final": World().state()}, rpo_limit_seconds=10)
    assert res.verdict == "valid" and "no backup" in res.summary


@pytest.mark.rule("R39")
def test_rpo_is_unknown_when_no_backup_is_of_a_replicated_group():
    world = World()
    story = Story().backup(world.backup("ETMF01", group="VG_TMF", file_id="TMF"))
    res = check("rpo", story.events, {"final": world.state()})
    assert res.verdict == "unknown" and "no RPO to measure" in res.summary


def test_rpo_ignores_the_secondary_dsmtc_entries_of_another_filecat():
    events, dumps = rpo_story(World(), replicate_second=True)
    view = final_view(dumps)
    for r in view.tables()["dsm_tapefile"]:
        if r["generation"] == 2:
            r["filecat"] = "LOCALFC"
    res = check("rpo", events, dumps)
    assert res.evidence[0]["rpo_seconds"] == 3600
    assert res.evidence[0]["why_not_at_secondary"] == \
        "no VALID TAPEFILE E501NEW-OBK11-WIN1 gen 2 in \\ETINIUM.SHCH409FC"


def test_rpo_does_not_count_a_backup_whose_secondary_record_is_older():
    events, dumps = rpo_story(World(), replicate_second=True)
    view = final_view(dumps)
    view.records()["EW1003"]["last_written_time"] = "2025-09-23T19:00:00Z"    # an earlier write of the volume
    res = check("rpo", events, dumps)
    (e,) = res.evidence
    assert e["rpo_seconds"] == 3600
    assert e["why_not_at_secondary"] == "the record of EW1003 is older than the backup (written 2025-09-23T19:00:00Z)"


@pytest.mark.rule("R50")
def test_rpo_does_not_count_an_encrypted_backup_whose_secondary_record_names_no_key():
    world = World()
    story = Story()
    story.backup(world.backup("EK1001", group="VG_WIN1_ENC", file_id="ENC"))
    world.exported()
    name = story.export("FULL")
    dumps = {name: world.state()}
    world.replicate()
    for name_ in ("encrypted", "media_key_name"):
        world.records()["EK1001"].pop(name_)
    story.import_("FULL")
    dumps["final"] = world.state()
    (e,) = check("rpo", story.events, dumps).evidence
    assert e["newest_secondary"] is None
    assert e["why_not_at_secondary"] == "the record of EK1001 does not name the backup's key (R50)"


@pytest.mark.rule("R53")
def test_a_secondary_store_gone_without_a_procedure_removing_it_is_not_excused(world):
    """The checkers skip a removed store only when abandon_secondary / abandon_primary / migrate_datastore says it
    removed it; a store that vanished otherwise is a finding, never a valid run."""
    events, dumps = synced(world)
    sec = final_view(dumps).backbox()["config"]
    sec["data_store"] = [s for s in sec["data_store"] if s["id"] != SEC_STORE]
    for name in ("consistency", "recoverability"):
        res = check(name, events, dumps)
        assert res.verdict != "valid" and "removed" not in res.summary, res
    story = Story()
    story.op("abandon_secondary", {}, "ok", {"data_store": f"{SEC_STORE} (YINE500)", "steps": []})
    for name in ("consistency", "recoverability"):
        res = check(name, events + story.events, dumps)
        assert res.verdict == "valid" and "removed from YINE500's configuration by abandon_secondary (R53)" in \
            res.summary, res


@pytest.mark.rule("R2")
def test_rpo_does_not_count_a_backup_whose_replica_image_is_damaged():
    events, dumps = rpo_story(World(), replicate_second=True)
    assert check("rpo", events, dumps).evidence[0]["rpo_seconds"] == 0
    view = final_view(dumps)
    next(i for i in view.images() if i["label"] == "EW1003")["damaged"] = True
    res = check("rpo", events, dumps, rpo_limit_seconds=1800)
    (e,) = res.evidence
    assert res.verdict == "invalid" and e["rpo_seconds"] == 3600 and e["newest_secondary"]["labels"] == ["EW1001"]
    assert e["why_not_at_secondary"] == "the image of EW1003 is damaged (its bytes no longer match its checksum)"
