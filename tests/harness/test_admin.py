"""The administrator verbs (`configure`, `delete_volume`, `job`) on the live `minimal` DR pair: each change goes
through the BackBox services, a refusal is a `fail` event with the emulator's message, a malformed step is an
error naming the line and the fix."""

from __future__ import annotations

import pytest

from emulator.v1 import backbox_domain_pb2 as bb
from harness.history import FAIL, OK
from tests.harness.conftest import assert_step_rejected, last_op, settled_backup

T = 30


def _store(sim, domain, store):
    return sim.topo.domain(domain).GetDataStore(bb.GetDataStoreRequest(id=store), timeout=T).data_store


def test_configure_changes_the_export_configuration_with_a_field_mask(dr_pair):
    sim = dr_pair
    before = _store(sim, "E501NEW", "DS_WIN1_DES").export_config
    sim.configure(data_store="DS_WIN1_DES", export_config={"export_check_delay_minutes": 0})
    assert last_op(sim, "configure").type == OK
    after = _store(sim, "E501NEW", "DS_WIN1_DES").export_config
    assert after.export_check_delay_minutes == 0
    assert after.export_destination == before.export_destination, "fields not named are left alone"


@pytest.mark.rule("R15")
def test_configure_adds_a_node_replacement_to_the_import_configuration(dr_pair):
    sim = dr_pair
    sim.configure(data_store="E501_WIN1_SND",
                  import_config={"node_replacements": [{"old_node": "\\INSIDX", "new_node": "\\ETINIUM"}]})
    assert last_op(sim, "configure").type == OK, last_op(sim, "configure")
    config = _store(sim, "YINE500", "E501_WIN1_SND").import_config
    assert [(r.old_node, r.new_node) for r in config.node_replacements] == [("\\INSIDX", "\\ETINIUM")]


@pytest.mark.rule("R17")
def test_a_refused_change_is_a_fail_event_and_changes_nothing(dr_pair):
    sim = dr_pair
    before = _store(sim, "YINE500", "E501_WIN1_SND")
    sim.configure(data_store="E501_WIN1_SND", export_config={"export_destination": "\\INSIDX.$DATA15.BACK"})
    done = last_op(sim, "configure")
    assert done.type == FAIL and done.error, done
    assert _store(sim, "YINE500", "E501_WIN1_SND") == before


@pytest.mark.rule("R54")
def test_delete_volume_removes_the_record_and_the_next_import_removes_it_at_the_secondary(dr_pair):
    sim = dr_pair
    label = settled_backup(sim, 1)[0]
    backup = sim.backups[-1]
    sim.import_("UPDATE")
    assert sim.expect(volume=label, domain="YINE500", present=True)
    sim.delete_volume(label)
    refused = last_op(sim, "delete_volume")
    assert refused.type == FAIL and "DELETE TAPEFILE first" in refused.error, "R54: the tape file goes first"
    sim.mediacom(f"DELETE TAPEFILE {backup['file_id']}, GEN {backup['generation']}", node="\\INSIDX")
    sim.delete_volume(label)
    assert last_op(sim, "delete_volume").type == OK, last_op(sim, "delete_volume")
    assert sim.expect(volume=label, domain="E501NEW", present=False)
    sim.export("FULL")
    sim.import_("FULL")
    assert sim.expect(volume=label, domain="YINE500", present=False)


def test_a_scheduled_import_job_runs_every_night_until_deleted(dr_pair):
    sim = dr_pair
    settled_backup(sim, 1)
    sim.job(node="\\ETINIUM", macro="BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE", at="02:00",
            every="1d")
    assert last_op(sim, "job").type == OK, last_op(sim, "job")
    sim.advance("2d")
    imports = [e for e in sim.history.events if e.f == "auto-import"]
    assert len(imports) == 2, [e.to_json() for e in imports]
    sim.job(delete="E501_WIN1_SND", node="\\ETINIUM")
    assert last_op(sim, "job").value["deleted"], last_op(sim, "job")
    sim.advance("2d")
    assert len([e for e in sim.history.events if e.f == "auto-import"]) == 2, "a deleted job runs no more"


@pytest.mark.parametrize("step, message", [
    ("configure: {data_store: X, export_config: {delay: 0}}", "ExportConfig has no field 'delay'"),
    ("configure: {data_store: X}", "configure says what to change"),
    ("configure: {data_store: X, domain_access: PRIMARY2}", "must be one of PRIMARY, SECONDARY, RESTRICTED"),
    ("configure: {volume_group: VG, fields: {}}", "fields is a mapping"),
    ("delete_volume: {lbl: EW1001}", "delete_volume is a label"),
    ("job: {node: '\\\\ETINIUM'}", "job needs macro"),
    ("job: {macro: BB027_IMPORT_CATALOG, at: 'noon'}", "must be a time of day"),
    ("job: {macro: BB027_IMPORT_CATALOG, every: 1y}", "duration '1y'"),
])
def test_malformed_admin_steps_name_the_line_and_the_fix(step, message):
    assert_step_rejected(step, message)


@pytest.mark.rule("R10")
def test_a_store_id_found_in_two_domains_needs_the_domain(tmp_path):
    """no-expand has a DATA STORE-2 on each site (the RESTRICTED partner has the same name, R56): configuring it
    without `domain:` is refused with the domains named, and changes nothing; with it, the one named changes."""
    from harness.errors import ScenarioError  # noqa: PLC0415
    from tests.harness.conftest import started_sim  # noqa: PLC0415

    with started_sim("no-expand", tmp_path / "state", 1) as sim:
        domains = [d.id for d in sim.spec.backbox.domains]
        before = {d: sim.topo.domain(d).GetDataStore(bb.GetDataStoreRequest(id="DATA STORE-2"), timeout=10)
                  .data_store.status for d in domains}
        with pytest.raises(ScenarioError, match="DATA STORE-2 is in the domains .*: give domain:"):
            sim.configure(data_store="DATA STORE-2", status="INACTIVE")
        after = {d: sim.topo.domain(d).GetDataStore(bb.GetDataStoreRequest(id="DATA STORE-2"), timeout=10)
                 .data_store.status for d in domains}
        assert after == before and bb.DATA_STORE_STATUS_INACTIVE not in after.values()
        sim.configure(data_store="DATA STORE-2", domain=domains[1], status="INACTIVE")
        now = {d: sim.topo.domain(d).GetDataStore(bb.GetDataStoreRequest(id="DATA STORE-2"), timeout=10)
               .data_store.status for d in domains}
        assert now == {domains[0]: before[domains[0]], domains[1]: bb.DATA_STORE_STATUS_INACTIVE}
