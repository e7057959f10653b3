r"""Every fault of the nemesis (harness.nemesis.FAULTS) against the real services of the `minimal` DR pair: its
effect shows while it is active, the history records its `fail` and `heal` operations with id, kind and target,
and after the heal the effect is gone. Then the nemesis's own rules: bad steps, heal by id / all, a fault with
nothing to hit.

`CHECKS` maps each fault kind to its check; `test_every_fault_kind_has_a_check` fails when a kind is added to the
registry without one.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import grpc
import pytest

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs
from emulator import rpc
from emulator.v1 import (clock_pb2, control_pb2, guardian_pb2, key_manager_pb2 as km, link_pb2,
                         storage_pb2 as st)
from grpc_health.v1 import health_pb2, health_pb2_grpc
from harness.errors import ScenarioError
from harness.history import FAIL, INFO, INVOKE, NEMESIS, OK
from harness.nemesis import FAULTS
from harness.sim import Sim
from tests.harness.conftest import assert_fault_recorded, expect, last_op, nemesis_ops, on_secondary, settled_backup

T = 30
GROUP = "VG_WIN1_DES"            # the unencrypted DSM/TC group of DS_WIN1_DES
ENC_GROUP = "VG_WIN1_ENC"        # its encrypted group (key manager KM1 = ESKM-PRI, replicated to ESKM-SEC)
PLAIN = dict(group=GROUP, multi_volume_rate=0.0)   # one volume per backup: one label to follow
REPLICA = "STO_SEC"


# -- helpers -----------------------------------------------------------------------------------------------------

def backup(sim: Sim, count: int = 1, **options: Any) -> list[str]:
    return settled_backup(sim, count, **{**PLAIN, **options})


def link_id(sim: Sim) -> str:
    return sim.topo.link_id(sim.primary_node, sim.secondary_node)


def remote_call(sim: Sim, source: str, dest: str) -> tuple[str, int | None, float]:
    """A Guardian call from `source` about a subvolume of `dest`, forwarded over the Expand link: (status name,
    Guardian error, wall seconds)."""
    started = time.monotonic()
    try:
        sim.topo.guardian(source).ListFiles(guardian_pb2.ListFilesRequest(subvolume=f"{dest}.$SYSTEM.SYSTEM"),
                                            timeout=T)
        return "OK", None, time.monotonic() - started
    except grpc.RpcError as exc:
        return exc.code().name, rpc.guardian_error(exc), time.monotonic() - started


def link_counters(sim: Sim) -> link_pb2.LinkCounters:
    return sim.topo.link_service().GetLink(link_pb2.GetLinkRequest(id=link_id(sim)), timeout=T).link.counters


def image(sim: Sim, storage: str, label: str) -> st.StatImageResponse:
    return sim.topo.storage(storage).StatImage(st.StatImageRequest(label=label, labeled=True), timeout=T)


def read_image(sim: Sim, storage: str, label: str) -> str:
    """OK, or the status of a checksum-verified read of the image."""
    try:
        for _ in sim.topo.storage(storage).GetImage(st.GetImageRequest(label=label, labeled=True,
                                                                       verify_checksum=True), timeout=T):
            pass
        return "OK"
    except grpc.RpcError as exc:
        return exc.code().name


def replication(sim: Sim, storage: str = "STO_PRI") -> st.ReplicationStatus:
    return sim.topo.storage(storage).GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status


def keys(sim: Sim, server: str) -> set[str]:
    return {k.name for k in sim.topo.key_manager(server).ListKeys(km.ListKeysRequest(), timeout=T).keys}


def staging_name(sim: Sim, label: str) -> str:
    return staging.volume_file(sim.staging_subvolume, label)


def staging_bytes(sim: Sim, name: str) -> bytes | None:
    try:
        return sim.read_file(sim.secondary_node, name)
    except grpc.RpcError as exc:
        assert exc.code() == grpc.StatusCode.NOT_FOUND, exc
        return None


def export_status(sim: Sim) -> cs.GetExportStatusResponse:
    return sim.topo.catalog_sync(sim.primary_domain).GetExportStatus(
        cs.GetExportStatusRequest(data_store_id=sim.primary_store), timeout=T)


def offset(sim: Sim, node: str) -> int:
    return sim.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(node=node), timeout=T).node_offset_seconds


# -- one check per fault kind --------------------------------------------------------------------------------------

CHECKS: dict[str, Callable[[Sim], None]] = {}
RULES: dict[str, tuple[str, ...]] = {}


def check(kind: str, *rules: str) -> Callable[[Callable[[Sim], None]], Callable[[Sim], None]]:
    def register(fn: Callable[[Sim], None]) -> Callable[[Sim], None]:
        CHECKS[kind], RULES[kind] = fn, rules
        return fn
    return register


@check("link-down", "R5", "R28")
def _link_down(sim: Sim) -> None:
    backup(sim)
    fault = sim.fail("link-down")
    backup(sim)
    value = sim.export("UPDATE")
    assert last_op(sim, "export").type == FAIL and value["outcome"] == "FAILED"
    assert "error 250" in value["reason"]          # all paths to the remote system are down (domain-facts §1)
    assert remote_call(sim, sim.primary_node, sim.secondary_node)[:2] == ("UNAVAILABLE", 250)
    assert remote_call(sim, sim.secondary_node, sim.primary_node)[:2] == ("UNAVAILABLE", 250)
    assert export_status(sim).pending_count > 0     # the volumes stay pending
    sim.heal(fault.id)
    assert sim.export("UPDATE")["outcome"] == "COMPLETED" and export_status(sim).pending_count == 0
    assert_fault_recorded(sim.history, fault.id, "link-down", {"link": link_id(sim)})


@check("link-one-way", "R5")
def _link_one_way(sim: Sim) -> None:
    backup(sim)
    pri, sec = sim.primary_node, sim.secondary_node
    fault = sim.fail("link-one-way")                # from the primary by default
    assert remote_call(sim, pri, sec)[:2] == ("UNAVAILABLE", 250)
    # the other way the call arrives and runs; only its answer is lost (indefinite)
    probe = f"{pri}.$DATA01.NEMESIS.ONEWAY"
    with pytest.raises(grpc.RpcError) as lost:
        sim.write_file(sec, probe, b"arrived")
    assert lost.value.code() == grpc.StatusCode.UNAVAILABLE
    assert sim.read_file(pri, probe) == b"arrived"
    backup(sim)
    assert sim.export("UPDATE")["outcome"] == "FAILED" and "250" in last_op(sim, "export").error
    sim.heal(fault.id)
    assert remote_call(sim, pri, sec)[0] == remote_call(sim, sec, pri)[0] == "OK"
    assert sim.export("UPDATE")["outcome"] == "COMPLETED"
    assert_fault_recorded(sim.history, fault.id, "link-one-way", {"link": link_id(sim), "from": pri})


@check("link-latency")
def _link_latency(sim: Sim) -> None:
    ms = 400
    fault = sim.fail("link-latency", ms=ms)
    for source, dest in ((sim.primary_node, sim.secondary_node), (sim.secondary_node, sim.primary_node)):
        status, _, seconds = remote_call(sim, source, dest)
        assert status == "OK" and seconds >= ms / 1000, (source, seconds)
    sim.heal(fault.id)
    status, _, seconds = remote_call(sim, sim.primary_node, sim.secondary_node)
    assert status == "OK" and seconds < ms / 1000
    assert_fault_recorded(sim.history, fault.id, "link-latency", {"link": link_id(sim)})


@check("link-loss")
def _link_loss(sim: Sim) -> None:
    backup(sim)
    lossy = sim.fail("link-loss", probability=1)
    before = link_counters(sim).dropped
    assert {remote_call(sim, sim.primary_node, sim.secondary_node)[:2] for _ in range(5)} == {("UNAVAILABLE", 250)}
    assert link_counters(sim).dropped - before == 5
    backup(sim)
    assert sim.export("UPDATE")["outcome"] == "FAILED"
    sim.heal(lossy.id)
    clean = sim.fail("link-loss", probability=0)
    before = link_counters(sim).dropped
    assert {remote_call(sim, sim.primary_node, sim.secondary_node)[0] for _ in range(5)} == {"OK"}
    assert link_counters(sim).dropped == before
    assert sim.export("UPDATE")["outcome"] == "COMPLETED"
    sim.heal(clean.id)
    assert remote_call(sim, sim.primary_node, sim.secondary_node)[0] == "OK"
    assert_fault_recorded(sim.history, lossy.id, "link-loss", {"link": link_id(sim)})
    assert_fault_recorded(sim.history, clean.id, "link-loss", {"link": link_id(sim)})


@check("link-bandwidth")
def _link_bandwidth(sim: Sim) -> None:
    data, rate = b"\x5a" * 100_000, 250_000      # 0.4 s at the limit
    name = f"{sim.secondary_node}.$DATA15.NEMESIS.BIGFILE"

    def write_seconds() -> float:
        started = time.monotonic()
        sim.write_file(sim.primary_node, name, data)    # from the primary: the bytes cross the link
        return time.monotonic() - started
    fault = sim.fail("link-bandwidth", bytes_per_second=rate)
    assert write_seconds() >= len(data) / rate
    assert sim.read_file(sim.secondary_node, name) == data
    sim.heal(fault.id)
    assert write_seconds() < len(data) / rate
    assert_fault_recorded(sim.history, fault.id, "link-bandwidth", {"link": link_id(sim)})


@check("node-crash")
def _node_crash(sim: Sim) -> None:
    backup(sim)
    node = sim.secondary_node
    health = health_pb2_grpc.HealthStub(sim.topo.channel(sim.topo.address(node)))
    fault = sim.fail("node-crash", node=node)
    assert health.Check(health_pb2.HealthCheckRequest(), timeout=T).status == health_pb2.HealthCheckResponse.NOT_SERVING
    with pytest.raises(grpc.RpcError) as down:
        sim.topo.guardian(node).GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=T)
    assert down.value.code() == grpc.StatusCode.UNAVAILABLE
    assert sim.import_("UPDATE") is None
    done = last_op(sim, "import")
    assert done.type == INFO and "UNAVAILABLE" in done.error     # indefinite: Jepsen's info
    sim.heal(fault.id)
    assert health.Check(health_pb2.HealthCheckRequest(), timeout=T).status == health_pb2.HealthCheckResponse.SERVING
    assert sim.import_("UPDATE")["outcome"] == "COMPLETED"
    assert_fault_recorded(sim.history, fault.id, "node-crash", {"node": node})


@check("process-kill", "R20")
def _process_kill(sim: Sim) -> None:
    point = "export.after_volume_file"
    backup(sim, 2)
    fault = sim.fail("process-kill", point=point)
    value = sim.export("FULL")
    assert last_op(sim, "export").type == FAIL and value["outcome"] == "FAILED"
    assert point in value["reason"]
    points = sim.topo.control_service().ListFaultPoints(control_pb2.ListFaultPointsRequest(), timeout=T).points
    assert [(p.name, p.fired) for p in points] == [(point, 1)]
    sim.heal(fault.id)
    assert fault.target["fired"] == 1
    assert not sim.topo.control_service().ListFaultPoints(control_pb2.ListFaultPointsRequest(), timeout=T).points
    assert sim.export("FULL")["outcome"] == "COMPLETED"
    assert_fault_recorded(sim.history, fault.id, "process-kill", {"point": point, "on_hit": 1})
    assert nemesis_ops(sim.history, "heal", fault.id)[0][1].value["target"]["fired"] == 1


@check("storage-replication-pause", "R2")
def _storage_replication_pause(sim: Sim) -> None:
    fault = sim.fail("storage-replication-pause")
    label, = backup(sim)
    sim.advance("1h")                                    # far past the 5 minute lag
    status = replication(sim)
    assert status.paused and status.backlog_objects >= 1
    assert image(sim, "STO_PRI", label).found and not image(sim, REPLICA, label).found
    sim.heal(fault.id)
    sim.advance("5m")
    status = replication(sim)
    assert not status.paused and status.backlog_objects == 0 and image(sim, REPLICA, label).found
    assert_fault_recorded(sim.history, fault.id, "storage-replication-pause", {"storage": "STO_PRI"})


@check("storage-replication-lag", "R2")
def _storage_replication_lag(sim: Sim) -> None:
    normal = replication(sim).config.lag.seconds
    fault = sim.fail("storage-replication-lag", lag="2h")
    assert replication(sim).config.lag.seconds == 7200
    label, = backup(sim)
    sim.advance(7200 - 60)
    assert not image(sim, REPLICA, label).found
    sim.advance(60)
    assert image(sim, REPLICA, label).found               # exactly the lag later, in virtual time
    sim.heal(fault.id)
    assert replication(sim).config.lag.seconds == normal
    label, = backup(sim)
    sim.advance(normal)
    assert image(sim, REPLICA, label).found
    assert_fault_recorded(sim.history, fault.id, "storage-replication-lag",
                          {"storage": "STO_PRI", "lag_seconds": 7200})


@check("storage-drop-object", "R2")
def _storage_drop_object(sim: Sim) -> None:
    label, = backup(sim)
    fault = sim.fail("storage-drop-object")             # the latest backup's image, at the replica
    sim.advance("1h")
    assert not image(sim, REPLICA, label).found           # never arrives
    assert image(sim, "STO_PRI", label).found             # the primary keeps its copy
    assert replication(sim).backlog_objects == 0          # nothing left to try
    sim.heal(fault.id)
    assert not replication(sim, REPLICA).active_faults
    again, = backup(sim)
    sim.advance("5m")
    assert image(sim, REPLICA, again).found and read_image(sim, REPLICA, again) == "OK"
    assert_fault_recorded(sim.history, fault.id, "storage-drop-object", {"storage": REPLICA, "label": label})


@check("storage-corrupt-object", "R2")
def _storage_corrupt_object(sim: Sim) -> None:
    label, = backup(sim)
    fault = sim.fail("storage-corrupt-object")
    assert read_image(sim, "STO_PRI", label) == "DATA_LOSS"      # checksum mismatch on read
    sim.advance("1h")
    assert not image(sim, REPLICA, label).found                   # a damaged image is held back
    assert "DATA_LOSS" in replication(sim).last_error
    sim.heal(fault.id)
    assert not replication(sim).active_faults
    again, = backup(sim)
    sim.advance("5m")
    assert read_image(sim, "STO_PRI", again) == read_image(sim, REPLICA, again) == "OK"
    assert read_image(sim, "STO_PRI", label) == "DATA_LOSS"      # a heal stops new damage; rotten bytes stay
    assert_fault_recorded(sim.history, fault.id, "storage-corrupt-object", {"storage": "STO_PRI", "label": label})


@check("key-replication-pause", "R50")
def _key_replication_pause(sim: Sim) -> None:
    fault = sim.fail("key-replication-pause")
    label, = backup(sim, group=ENC_GROUP)
    assert sim.backups[-1]["encrypted"]
    key = image(sim, "STO_PRI", label).image.media_key_name
    sim.advance("1h")                                            # far past the 1 minute lag
    assert key in keys(sim, "ESKM-PRI") and key not in keys(sim, "ESKM-SEC")
    status = sim.topo.key_manager("ESKM-PRI").GetKeyReplicationStatus(km.GetKeyReplicationStatusRequest(),
                                                                      timeout=T).status
    assert status.paused and status.backlog >= 1
    sim.heal(fault.id)
    sim.advance("1m")
    assert key in keys(sim, "ESKM-SEC")
    assert_fault_recorded(sim.history, fault.id, "key-replication-pause", {"key_manager": "ESKM-PRI"})


def _staging_damage(sim: Sim, kind: str, reason: str) -> None:
    """truncate / corrupt: the next import reports the volume (W3346), imports the others; the heal puts the
    original file back and the next UPDATE imports every volume again (R21)."""
    first, second, damaged = backup(sim, 3)
    name = staging_name(sim, damaged)
    original = staging_bytes(sim, name)
    fault = sim.fail(kind)                                        # the latest backup's volume file
    assert staging_bytes(sim, name) != original
    value = sim.import_("UPDATE")
    assert value["outcome"] == "COMPLETED_WITH_WARNINGS" and value["volume_errors"] == 1
    assert expect(sim, report=sim.secondary_store, matches=rf"W3346 Volume {damaged} .*{reason}")
    assert on_secondary(sim, first) and on_secondary(sim, second) and on_secondary(sim, damaged, present=False)
    sim.heal(fault.id)
    assert fault.target["restored"] is True and staging_bytes(sim, name) == original
    value = sim.import_("UPDATE")
    assert value["outcome"] == "COMPLETED" and on_secondary(sim, damaged)
    assert expect(sim, report=sim.secondary_store, contains="I3340")   # R21: everything re-imported
    assert_fault_recorded(sim.history, fault.id, kind, {"file": name})


@check("staging-truncate", "R21")
def _staging_truncate(sim: Sim) -> None:
    _staging_damage(sim, "staging-truncate", "torn")


@check("staging-corrupt", "R21")
def _staging_corrupt(sim: Sim) -> None:
    _staging_damage(sim, "staging-corrupt", "corrupted")


@check("staging-delete", "R21")
def _staging_delete(sim: Sim) -> None:
    first, second, lost = backup(sim, 3)
    name = staging_name(sim, lost)
    original = staging_bytes(sim, name)
    fault = sim.fail("staging-delete")
    assert staging_bytes(sim, name) is None
    assert sim.import_("UPDATE")["outcome"] in ("COMPLETED", "COMPLETED_WITH_WARNINGS")
    assert on_secondary(sim, first) and on_secondary(sim, second) and on_secondary(sim, lost, present=False)
    sim.heal(fault.id)
    assert fault.target["restored"] is True and staging_bytes(sim, name) == original
    assert sim.import_("UPDATE")["outcome"] == "COMPLETED" and on_secondary(sim, lost)
    assert_fault_recorded(sim.history, fault.id, "staging-delete", {"file": name})


@check("staging-foreign")
def _staging_foreign(sim: Sim) -> None:
    """A file of another kind in the staging subvolume (reserved for one SECONDARY store, R48): the import
    reads only per-volume files `V<label>` and the summary, so it ignores the file and imports every volume."""
    labels = backup(sim, 2)
    fault = sim.fail("staging-foreign")        # VZZFORGN: 8 characters, longer than any V<label> file
    name = fault.target["file"]
    assert staging_bytes(sim, name) == b"not a catalog sync file\n"
    value = sim.import_("UPDATE")
    assert value["outcome"] == "COMPLETED" and value["volume_errors"] == 0
    assert all(on_secondary(sim, label) for label in labels)
    assert expect(sim, report=sim.secondary_store, absent="W3346")
    sim.heal(fault.id)
    assert staging_bytes(sim, name) is None
    assert sim.import_("UPDATE")["outcome"] == "COMPLETED"
    assert_fault_recorded(sim.history, fault.id, "staging-foreign", {"file": f"{sim.staging_subvolume}.VZZFORGN"})


@check("staging-disk-full")
def _staging_disk_full(sim: Sim) -> None:
    backup(sim)
    node, volume = sim.staging_subvolume.split(".")[:2]
    fault = sim.fail("staging-disk-full")
    backup(sim)
    value = sim.export("UPDATE")
    assert value["outcome"] == "FAILED" and "error 43" in value["reason"]   # no disk space for an extent (GEM)
    with pytest.raises(grpc.RpcError) as full:
        sim.write_file(node, f"{sim.staging_subvolume}.PROBE", b"x")
    assert full.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and rpc.guardian_error(full.value) == 43
    sim.heal(fault.id)
    assert sim.export("UPDATE")["outcome"] == "COMPLETED" and export_status(sim).pending_count == 0
    assert_fault_recorded(sim.history, fault.id, "staging-disk-full", {"node": node, "volume": volume})


@check("ems-extractor-stopped", "R28")
def _ems_extractor_stopped(sim: Sim) -> None:
    backup(sim)
    fault = sim.fail("ems-extractor-stopped")
    cut = sim.fail("link-down")
    backup(sim)
    assert sim.export("UPDATE")["outcome"] == "FAILED"
    sim.heal(cut.id)
    running = {e.node: e.running for e in sim.topo.catalog_sync(sim.primary_domain).ListExtractors(
        cs.ListExtractorsRequest(), timeout=T).extractors}
    assert running[sim.primary_node] is False
    sim.advance("1h")                                    # four Export Check Delays of 15 minutes
    status = export_status(sim)
    assert status.pending_count > 0 and not status.HasField("next_retry_time")
    assert not [e for e in sim.history.events if e.f == "auto-export" and "EXTRACTOR_RETRY" in str(e.value)]
    sim.heal(fault.id)
    assert export_status(sim).HasField("next_retry_time")
    sim.advance("16m")
    retries = [e for e in sim.history.events if e.f == "auto-export" and "EXTRACTOR_RETRY" in str(e.value)]
    assert [e.type for e in retries] == [OK] and export_status(sim).pending_count == 0
    assert_fault_recorded(sim.history, fault.id, "ems-extractor-stopped",
                          {"node": sim.primary_node, "domain": sim.primary_domain})


@check("clock-skew")
def _clock_skew(sim: Sim) -> None:
    node = sim.primary_node
    before = offset(sim, node)                           # \INSIDX runs at -05:00
    other = offset(sim, sim.secondary_node)
    fault = sim.fail("clock-skew", node=node, seconds=3600)
    answer = sim.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(node=node), timeout=T)
    assert answer.node_offset_seconds == before + 3600
    assert answer.node_local.seconds - answer.utc.seconds == before + 3600
    assert offset(sim, sim.secondary_node) == other
    sim.heal(fault.id)
    assert offset(sim, node) == before
    assert_fault_recorded(sim.history, fault.id, "clock-skew", {"node": node, "offset_seconds": before + 3600})


# -- the registry --------------------------------------------------------------------------------------------------

def test_every_fault_kind_has_a_check():
    missing, stale = sorted(set(FAULTS) - set(CHECKS)), sorted(set(CHECKS) - set(FAULTS))
    assert not missing, f"fault kinds without a check: {missing}: add one with @check(kind) in {__name__}"
    assert not stale, f"checks of fault kinds the nemesis no longer has: {stale}"


@pytest.mark.parametrize("kind", [pytest.param(k, marks=[pytest.mark.rule(r) for r in RULES.get(k, ())], id=k)
                                  for k in sorted(FAULTS)])
def test_fault_shows_is_recorded_and_heals_when_injected(kind, dr_pair):
    if kind not in CHECKS:
        pytest.fail(f"fault kind {kind} has no check: add one with @check({kind!r})")
    CHECKS[kind](dr_pair)
    assert not dr_pair.nemesis.active


# -- the nemesis's own rules ---------------------------------------------------------------------------------------

def test_bad_steps_raise_scenario_errors_naming_the_allowed_values_when_kind_or_parameters_are_wrong(dr_pair):
    sim = dr_pair
    with pytest.raises(ScenarioError) as unknown:
        sim.fail("link-flap")
    assert all(kind in str(unknown.value) for kind in FAULTS)
    for kind, cls in sorted(FAULTS.items()):
        with pytest.raises(ScenarioError) as bad:
            sim.fail(kind, bogus=1)
        assert "'bogus'" in str(bad.value) and all(p in str(bad.value) for p in cls.allowed), kind
        for missing in sorted(cls.required):
            given = {p: {"node": sim.primary_node, "seconds": 5, "ms": 5}.get(p, 1) for p in cls.required - {missing}}
            with pytest.raises(ScenarioError, match=f"{missing} is required"):
                sim.fail(kind, **given)
    assert not sim.history.events, "a malformed step is not an operation: nothing is recorded"
    assert not sim.nemesis.active


def test_heal_names_the_active_faults_when_the_id_is_unknown(dr_pair):
    sim = dr_pair
    with pytest.raises(ScenarioError, match="active faults are none"):
        sim.heal("F9")
    sim.fail("link-latency", ms=1, id="SLOW")
    sim.fail("clock-skew", node=sim.secondary_node, seconds=60)
    with pytest.raises(ScenarioError, match=r"active faults are SLOW \(link-latency\), F2 \(clock-skew\)"):
        sim.heal("F9")
    with pytest.raises(ScenarioError, match="SLOW is already active"):
        sim.fail("link-down", id="SLOW")
    assert set(sim.nemesis.active) == {"SLOW", "F2"}


def test_heal_all_heals_every_active_fault_latest_first(dr_pair):
    sim = dr_pair
    before = offset(sim, sim.secondary_node)
    started = [sim.fail("link-latency", ms=1), sim.fail("storage-replication-pause"),
               sim.fail("clock-skew", node=sim.secondary_node, seconds=60), sim.fail("key-replication-pause")]
    healed = sim.heal("all")
    assert [f.id for f in healed] == [f.id for f in started]       # chosen in start order ...
    heals = [e.value["id"] for e in sim.history.events if e.f == "heal" and e.type == INVOKE]
    assert heals == [f.id for f in reversed(started)]             # ... healed latest first
    assert [e.type for e in sim.history.events if e.f == "heal" and e.type != INVOKE] == [OK] * 4
    assert not sim.nemesis.active and sim.heal("all") == []
    link = sim.topo.link_service().GetLink(link_pb2.GetLinkRequest(id=link_id(sim)), timeout=T).link
    assert link.fault.latency_ms == 0 and not replication(sim).paused and offset(sim, sim.secondary_node) == before
    assert all(e["stop"] for e in sim.nemesis.log)


def test_heal_by_kind_heals_only_that_kind(dr_pair):
    sim = dr_pair
    sim.fail("storage-replication-pause")
    sim.fail("clock-skew", node=sim.primary_node, seconds=1)
    sim.fail("clock-skew", node=sim.secondary_node, seconds=1)
    assert [f.kind for f in sim.heal("clock-skew")] == ["clock-skew", "clock-skew"]
    assert [f.kind for f in sim.nemesis.active.values()] == ["storage-replication-pause"]


def test_fault_is_recorded_as_failed_without_raising_when_its_target_is_missing(dr_pair):
    sim = dr_pair
    assert sim.fail("staging-corrupt") is None                     # nothing exported yet: no staging file
    (invoked, done), = nemesis_ops(sim.history, "fail", "F1")
    assert invoked.value == {"fault": "staging-corrupt", "id": "F1", "params": {}}
    assert done.type == FAIL and "no volume was exported yet" in done.error
    assert not sim.nemesis.active and sim.heal("all") == []
    assert sim.fail("node-crash", node="\\NOWHERE") is None        # the platform refuses: a definite failure
    assert last_op_of_nemesis(sim).type == FAIL and "NOT_FOUND" in last_op_of_nemesis(sim).error


def last_op_of_nemesis(sim: Sim) -> Any:
    return next(e for e in reversed(sim.history.events) if e.process == NEMESIS and e.type != INVOKE)


@pytest.mark.parametrize("kind", ["staging-truncate", "staging-corrupt", "staging-delete"])
def test_heal_keeps_the_new_staging_file_when_an_export_rewrote_it(kind, dr_pair):
    sim = dr_pair
    label, = backup(sim)
    name = staging_name(sim, label)
    fault = sim.fail(kind)
    assert sim.export("FULL")["outcome"] == "COMPLETED"           # rewrites every volume's file (R7, R19)
    rewritten = staging_bytes(sim, name)
    assert rewritten is not None
    sim.heal(fault.id)
    assert fault.target["restored"] is False and staging_bytes(sim, name) == rewritten
    assert nemesis_ops(sim.history, "heal", fault.id)[0][1].value["target"]["restored"] is False
    value = sim.import_("UPDATE")
    assert value["outcome"] == "COMPLETED" and on_secondary(sim, label)


def test_import_reports_a_foreign_file_named_like_a_volume_file_and_imports_the_others(dr_pair):
    sim = dr_pair
    labels = backup(sim, 2)
    fault = sim.fail("staging-foreign", file="VZZ001")
    value = sim.import_("UPDATE")
    assert value["outcome"] == "COMPLETED_WITH_WARNINGS" and value["volume_errors"] == 1
    assert expect(sim, report=sim.secondary_store, matches="W3346 Volume ZZ001 .*not a Catalog Sync file")
    assert all(on_secondary(sim, label) for label in labels)
    sim.heal(fault.id)
    assert sim.import_("UPDATE")["outcome"] == "COMPLETED"


# -- found by these tests and fixed: faults that compose, bad values, staging files the import must notice -------

def test_bad_parameter_values_raise_scenario_errors(dr_pair):
    sim = dr_pair
    steps = [("link-loss", {"probability": 2}), ("link-latency", {"ms": -5}), ("storage-replication-lag",
             {"lag": "soon"}), ("clock-skew", {"node": sim.primary_node, "seconds": "x"}),
             ("process-kill", {"point": "export.after_volume_file", "on_hit": 0})]
    recorded = []
    for kind, params in steps:
        try:
            sim.fail(kind, **params)
            recorded.append(kind)
        except ScenarioError:
            pass
    assert not recorded, f"recorded as failed faults instead of raising: {recorded}"
    assert not sim.history.events


def test_bad_target_names_raise_scenario_errors_and_leave_no_open_invoke(dr_pair):
    sim = dr_pair
    for kind, params in [("storage-replication-pause", {"storage": "STO_NOPE"}),
                         ("link-down", {"between": [sim.primary_node, "\\NOPE"]}),
                         ("node-crash", {"node": "bad name"})]:
        try:
            sim.fail(kind, **params)   # a recorded failure would do too
        except ScenarioError:
            pass
    opened = [e for e in sim.history.events if e.type == INVOKE]
    assert len(opened) * 2 == len(sim.history.events), "every recorded invoke has its completion"


def test_two_link_faults_on_one_link_combine_and_heal_separately(dr_pair):
    sim = dr_pair
    down = sim.fail("link-down")
    slow = sim.fail("link-latency", ms=1)
    assert remote_call(sim, sim.primary_node, sim.secondary_node)[0] == "UNAVAILABLE"
    sim.heal(slow.id)
    assert down.id in sim.nemesis.active
    assert remote_call(sim, sim.primary_node, sim.secondary_node)[0] == "UNAVAILABLE"


def test_two_clock_skews_of_one_node_healed_in_any_order_restore_the_offset(dr_pair):
    sim = dr_pair
    node = sim.primary_node
    before = offset(sim, node)
    first, second = sim.fail("clock-skew", node=node, seconds=10), sim.fail("clock-skew", node=node, seconds=20)
    assert offset(sim, node) == before + 30
    sim.heal(first.id)
    sim.heal(second.id)
    assert offset(sim, node) == before


def test_staging_foreign_over_an_export_file_puts_the_original_back_when_healed(dr_pair):
    sim = dr_pair
    label, = backup(sim)
    name = staging_name(sim, label)
    original = staging_bytes(sim, name)
    fault = sim.fail("staging-foreign", file=f"V{label}")
    assert staging_bytes(sim, name) != original
    sim.heal(fault.id)
    assert staging_bytes(sim, name) == original


@pytest.mark.rule("R2")
def test_storage_drop_object_keeps_the_primary_copy(dr_pair):
    sim = dr_pair
    label, = backup(sim)
    sim.fail("storage-drop-object")
    sim.advance("1h")
    assert not image(sim, REPLICA, label).found
    assert image(sim, "STO_PRI", label).found and read_image(sim, "STO_PRI", label) == "OK"


def test_storage_drop_object_on_the_replica_loses_only_the_replicas_copy(dr_pair):
    sim = dr_pair
    label, = backup(sim)
    fault = sim.fail("storage-drop-object", storage=REPLICA, label=label)
    sim.advance("1h")
    assert image(sim, "STO_PRI", label).found and not image(sim, REPLICA, label).found
    sim.heal(fault.id)
    again, = backup(sim)
    sim.advance("5m")
    assert image(sim, REPLICA, again).found


@pytest.mark.rule("R21")
def test_update_import_reports_a_deleted_staging_file(dr_pair):
    sim = dr_pair
    *_, lost = backup(sim, 2)
    sim.fail("staging-delete")
    value = sim.import_("UPDATE")
    assert value["volume_errors"] == 1
    assert expect(sim, report=sim.secondary_store, matches=f"W3346 Volume {lost} ")


@pytest.mark.rule("R23")
def test_full_import_keeps_a_volume_whose_staging_file_was_deleted(dr_pair):
    sim = dr_pair
    label, = backup(sim)
    assert sim.import_("FULL")["outcome"] == "COMPLETED" and on_secondary(sim, label)
    sim.fail("staging-delete")
    sim.import_("FULL")
    assert on_secondary(sim, label)



def test_sim_expect_returns_false_when_the_expectation_fails(dr_pair):
    assert dr_pair.expect(volume="EW1001", present=True) is False


def test_a_fault_that_hit_nothing_is_a_fail_event_and_healing_it_is_a_no_op(dr_pair):
    sim = dr_pair
    assert sim.fail("staging-corrupt", id="S1") is None      # nothing was exported yet
    started = [e for e in sim.history.events if e.f == "fail" and e.type != "invoke"]
    assert started[-1].type == "fail" and "no volume was exported yet" in started[-1].error
    assert sim.heal("S1") == [], "a swarm's drawn heal of it must not stop the run"
    with pytest.raises(ScenarioError, match="nothing to heal named 'S9'"):
        sim.heal("S9")
