"""The launchers (DESIGN §6): one small story — backup on the primary, export, import on the secondary, a node
crash, a fault point, a cut Expand link — told the same way under `inprocess` and `subprocess`, through the
topology's public surface only; `remote` attaches to a running topology; under `subprocess` a crash is a real
SIGKILL, a restart a new OS process, and no node process outlives its topology."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import grpc
import pytest
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import clock_pb2, control_pb2, guardian_pb2
from harness.launcher import TopologyBase, start_topology
from harness.topology import TopologyError
from tests.backbox.conftest import topology_dict
from tests.catsync.conftest import (NODE, REMOTE, STAGING, T, arm, backup, export, import_, link_down, link_heal,
                                    processes, secondary_volumes, settle, staging_names)

LAUNCHERS = ("inprocess", "subprocess")
ADDRESS = re.compile(r"127\.0\.0\.1:\d+")


@pytest.fixture(params=LAUNCHERS)
def topo(request, tmp_path) -> Iterator[TopologyBase]:
    with start_topology(topology_dict(), launcher=request.param, state_dir=tmp_path / "topo") as t:
        yield t


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def node_status(topo: TopologyBase, node: str) -> int:
    nodes = topo.control_service().ListNodes(control_pb2.ListNodesRequest(), timeout=T).nodes
    return next(n.status for n in nodes if n.node.name == node)


def health(topo: TopologyBase, node: str) -> int:
    return health_pb2_grpc.HealthStub(topo.channel(topo.address(node))).Check(
        health_pb2.HealthCheckRequest(), timeout=T).status


def write(topo: TopologyBase, name: str, data: bytes) -> None:
    node = name.split(".", 1)[0]
    topo.guardian(node).WriteFile(iter([guardian_pb2.WriteFileRequest(name=name, data=data)]), timeout=T)


def read(topo: TopologyBase, name: str) -> bytes:
    node = name.split(".", 1)[0]
    return b"".join(c.data for c in topo.guardian(node).ReadFile(guardian_pb2.ReadFileRequest(name=name),
                                                                 timeout=T))


def story(topo: TopologyBase) -> dict[str, Any]:
    """Backup, FULL export, import; what a run of it shows (for the determinism test)."""
    label = backup(topo).volumes[0].label
    settle(topo)   # Advance(0): every node process has finished what the backup's unload started (R27)
    assert [p.name for p in processes(topo) if p.state in (guardian_pb2.PROCESS_STATE_RUNNING,
                                                            guardian_pb2.PROCESS_STATE_WAITING)] == []
    assert f"V{label}" in staging_names(topo), "the automatic export ran to its end within the settle"
    run = export(topo, type_=cs.SYNC_TYPE_FULL)
    assert run.status == cs.PROCESS_STATUS_FINISHED and run.volumes_processed == 17
    imported = import_(topo)
    assert imported.status == cs.PROCESS_STATUS_FINISHED
    assert label in {v.label for v in secondary_volumes(topo)}
    return {"label": label, "export_id": run.export_id, "import_process": imported.process,
            "processes": [(p.name, p.program, p.state) for p in processes(topo, "")]}


# -- the story under each launcher -----------------------------------------------------------------------------------

def test_backup_export_import_when_launched(topo):
    shown = story(topo)
    assert shown["export_id"] == "2025-09-23_20:00:00", "the Export Id is the exporting node's virtual UTC"
    assert topo.launcher in LAUNCHERS and {r[1] for r in topo.describe() if r[1]} == {NODE, REMOTE}


def test_node_crash_and_restart_keep_committed_files_when_launched(topo):
    name = f"{REMOTE}.$DATA01.KEEP.BEFORE"
    write(topo, name, b"committed before the crash")
    pid = topo.pid(REMOTE) if topo.launcher == "subprocess" else 0
    topo.control_service().CrashNode(control_pb2.CrashNodeRequest(node=REMOTE), timeout=T)
    assert node_status(topo, REMOTE) == control_pb2.NODE_STATUS_DOWN
    assert health(topo, REMOTE) == health_pb2.HealthCheckResponse.NOT_SERVING
    with pytest.raises(grpc.RpcError) as down:
        read(topo, name)
    assert down.value.code() == grpc.StatusCode.UNAVAILABLE
    assert ("guardian-error", "201") in tuple(down.value.trailing_metadata())
    if pid:
        assert not alive(pid), "a crash under the subprocess launcher is a real SIGKILL of the node's process"
    resp = topo.control_service().RestartNode(control_pb2.RestartNodeRequest(node=REMOTE), timeout=60)
    assert resp.node.status == control_pb2.NODE_STATUS_UP and resp.node.epoch == 1
    if pid:
        assert topo.pid(REMOTE) not in (0, pid) and alive(topo.pid(REMOTE)), "a restart is a new OS process"
    assert read(topo, name) == b"committed before the crash"
    assert health(topo, REMOTE) == health_pb2.HealthCheckResponse.SERVING
    story(topo)   # the restarted node (and the CatalogSync service it runs) takes part as before


def test_fault_points_fire_in_the_node_process_when_armed(topo):
    arm(topo, "export.after_volume_file")     # passed by BBCSEXP, a Guardian process of \\INSIDX
    backup(topo)
    settle(topo)
    killed = [p for p in processes(topo) if p.termination_text == "killed at fault point export.after_volume_file"]
    assert len(killed) == 1 and killed[0].state == guardian_pb2.PROCESS_STATE_ABENDED
    arm(topo, "guardian.write_file", control_pb2.FAULT_ACTION_ERROR, node=REMOTE, guardian_error=43)
    with pytest.raises(grpc.RpcError) as refused:    # hit inside the \ETINIUM process, counted by the control
        write(topo, f"{REMOTE}.$DATA01.FAULT.X", b"x")
    assert ("guardian-error", "43") in tuple(refused.value.trailing_metadata())
    points = {p.name: p for p in topo.control_service().ListFaultPoints(control_pb2.ListFaultPointsRequest(),
                                                                        timeout=T).points}
    assert (points["guardian.write_file"].hits, points["guardian.write_file"].fired) == (1, 1)
    assert (points["export.after_volume_file"].hits, points["export.after_volume_file"].fired) == (1, 1)
    topo.control_service().DisarmFaultPoint(control_pb2.DisarmFaultPointRequest(), timeout=T)
    write(topo, f"{REMOTE}.$DATA01.FAULT.X", b"x")      # disarmed in every process


def test_crash_node_fault_point_takes_the_node_down_when_hit(topo):
    pid = topo.pid(REMOTE) if topo.launcher == "subprocess" else 0
    arm(topo, "guardian.write_file", control_pb2.FAULT_ACTION_CRASH_NODE, node=REMOTE)
    with pytest.raises(grpc.RpcError):
        write(topo, f"{REMOTE}.$DATA01.FAULT.Y", b"y")
    deadline = time.monotonic() + 10
    while node_status(topo, REMOTE) != control_pb2.NODE_STATUS_DOWN and time.monotonic() < deadline:
        time.sleep(0.05)   # under subprocess the control process learns it from the process's exit
    assert node_status(topo, REMOTE) == control_pb2.NODE_STATUS_DOWN
    if pid:
        assert not alive(pid)
    topo.control_service().DisarmFaultPoint(control_pb2.DisarmFaultPointRequest(), timeout=T)
    topo.control_service().RestartNode(control_pb2.RestartNodeRequest(node=REMOTE), timeout=60)
    write(topo, f"{REMOTE}.$DATA01.FAULT.Y", b"y")


def test_export_fails_with_error_250_while_the_link_is_down_then_works_when_healed(topo):
    link_down(topo)
    try:
        run = export(topo, type_=cs.SYNC_TYPE_FULL)
        assert run.status == cs.PROCESS_STATUS_FAILED
        assert "error 250" in run.reason, run.reason
    finally:
        link_heal(topo)
    run = export(topo, type_=cs.SYNC_TYPE_FULL)
    assert run.status == cs.PROCESS_STATUS_FINISHED and run.volumes_processed == 17


def test_control_plane_reaches_node_state_when_launched(topo):
    ctl = topo.control_service()
    ctl.SetDiskFull(control_pb2.SetDiskFullRequest(node=REMOTE, volume="$DATA15", full=True), timeout=T)
    with pytest.raises(grpc.RpcError) as full:
        write(topo, f"{STAGING}.X", b"x")
    assert ("guardian-error", "43") in tuple(full.value.trailing_metadata())
    ctl.SetDiskFull(control_pb2.SetDiskFullRequest(node=REMOTE, volume="$DATA15", full=False), timeout=T)
    ctl.Snapshot(control_pb2.SnapshotRequest(name="before"), timeout=T)
    write(topo, f"{REMOTE}.$DATA01.SNAP.AFTER", b"after")
    ctl.RestoreSnapshot(control_pb2.RestoreSnapshotRequest(name="before"), timeout=T)
    with pytest.raises(grpc.RpcError):
        read(topo, f"{REMOTE}.$DATA01.SNAP.AFTER")
    topo.clock_service().SetNodeOffset(clock_pb2.SetNodeOffsetRequest(node=REMOTE, offset_seconds=3600), timeout=T)
    ctl.CrashNode(control_pb2.CrashNodeRequest(node=REMOTE), timeout=T)
    ctl.RestartNode(control_pb2.RestartNodeRequest(node=REMOTE), timeout=60)
    info = topo.guardian(REMOTE).GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=T)
    assert info.local_now.seconds - info.utc_now.seconds == 3600, "a restarted node keeps the skew it was given"
    dumped = json.loads(ctl.DumpState(control_pb2.DumpStateRequest(), timeout=T).json)
    assert dumped["nodes"][REMOTE]["epoch"] == 1 and "dsm_volume" in dumped["nodes"][NODE]["tables"]
    assert set(dumped["services"]) == {"storage:STO_PRI", "storage:STO_SEC", "keys:ESKM-PRI", "keys:ESKM-SEC"}


# -- determinism -----------------------------------------------------------------------------------------------------

def run_once(launcher: str, directory: Path) -> tuple[dict[str, Any], str]:
    with start_topology(topology_dict(), launcher=launcher, state_dir=directory, seed=11) as t:
        shown = story(t)
        dumped = t.control_service().DumpState(control_pb2.DumpStateRequest(include_ems=True), timeout=T).json
    return shown, ADDRESS.sub("ADDRESS", dumped)   # ports are the one thing a run chooses freely


@pytest.mark.slow
def test_one_seed_gives_one_history_under_the_subprocess_launcher(tmp_path):
    first, again, inprocess = (run_once(launcher, tmp_path / str(i))
                               for i, launcher in enumerate(("subprocess", "subprocess", "inprocess")))
    assert first[0] == again[0] and first[1] == again[1]
    assert first == inprocess, "the launcher does not change the history either"


# -- subprocess only: processes, failures, orphans -------------------------------------------------------------------

def test_unexpected_death_of_a_node_process_is_a_clear_down_node(tmp_path):
    with start_topology(topology_dict(), launcher="subprocess", state_dir=tmp_path / "t") as topo:
        os.kill(topo.pid(REMOTE), signal.SIGKILL)
        deadline = time.monotonic() + 10
        while node_status(topo, REMOTE) != control_pb2.NODE_STATUS_DOWN and time.monotonic() < deadline:
            time.sleep(0.05)
        with pytest.raises(grpc.RpcError) as down:
            read(topo, f"{REMOTE}.$DATA01.ANY.FILE")
        assert down.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "exited unexpectedly (killed by signal 9)" in down.value.details()
        topo.control_service().RestartNode(control_pb2.RestartNodeRequest(node=REMOTE), timeout=60)
        assert health(topo, REMOTE) == health_pb2.HealthCheckResponse.SERVING


def test_failed_node_start_names_the_node_and_shows_its_stderr(tmp_path):
    data = topology_dict()
    data["sites"][1]["nodes"][0]["address"] = "256.0.0.1:0"   # no such host: the node's server cannot bind
    with pytest.raises(TopologyError) as failed:
        start_topology(data, launcher="subprocess", state_dir=tmp_path / "t", startup_timeout=30)
    text = str(failed.value)
    assert text.startswith("node \\ETINIUM: 'serve' failed:") and "bind to address 256.0.0.1:0" in text
    assert "ETINIUM.log:" in text and "in serve_node" in text, "the tail of the node's stderr comes with the error"
    assert not [p for p in _children() if "harness.node_process" in p], "a failed start leaves no process"


def test_close_stops_every_node_process_when_a_test_fails(tmp_path):
    pids: list[int] = []
    with pytest.raises(RuntimeError):
        with start_topology(topology_dict(), launcher="subprocess", state_dir=tmp_path / "t") as topo:
            topo.control_service().CrashNode(control_pb2.CrashNodeRequest(node=NODE), timeout=T)
            topo.control_service().RestartNode(control_pb2.RestartNodeRequest(node=NODE), timeout=60)
            pids = [pid for h in topo.handles.values() for pid in h.pids]
            raise RuntimeError("the test failed here")
    assert len(pids) == 3 and not [pid for pid in pids if alive(pid)]


@pytest.mark.slow
def test_node_processes_exit_when_their_launcher_is_killed(tmp_path):
    script = ("import sys, time\n"
              "from harness.launcher import start_topology\n"
              "from tests.backbox.conftest import topology_dict\n"
              f"topo = start_topology(topology_dict(), launcher='subprocess', state_dir={str(tmp_path / 't')!r})\n"
              "print(' '.join(str(h.pid) for h in topo.handles.values()), flush=True)\n"
              "time.sleep(120)\n")
    launcher = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                                cwd=Path(__file__).parents[2])
    try:
        pids = [int(p) for p in launcher.stdout.readline().split()]  # type: ignore[union-attr]
        assert len(pids) == 2 and all(alive(p) for p in pids)
    finally:
        launcher.kill()
        launcher.wait()
    deadline = time.monotonic() + 15
    while [p for p in pids if _running(p)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _running(p)], "a node process sees its stdin close and exits"


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed launcher's children are reaped by init, maybe later)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _children() -> list[str]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            if int(fields.get("PPid", "0")) == os.getpid():
                out.append(Path(status.parent, "cmdline").read_text().replace("\0", " "))
        except (OSError, ValueError):
            continue
    return out


# -- remote ------------------------------------------------------------------------------------------------------------

def remote_source(topo: TopologyBase) -> str:
    data = topology_dict()
    for site in data["sites"]:
        for node in site["nodes"]:
            node["address"] = topo.address(node["name"])
    data["control"] = topo.control_address
    return yaml.safe_dump(data, sort_keys=False)


def test_remote_attaches_to_a_running_topology_and_stops_nothing(tmp_path):
    with start_topology(topology_dict(), launcher="subprocess", state_dir=tmp_path / "t") as running:
        with start_topology(remote_source(running), launcher="remote") as remote:
            assert remote.describe() == running.describe() and remote.seed == running.seed
            story(remote)
            remote.control_service().CrashNode(control_pb2.CrashNodeRequest(node=REMOTE), timeout=T)
            remote.control_service().RestartNode(control_pb2.RestartNodeRequest(node=REMOTE), timeout=60)
        assert health(running, NODE) == health_pb2.HealthCheckResponse.SERVING, "closing a remote one stops nothing"
        assert node_status(running, REMOTE) == control_pb2.NODE_STATUS_UP


def test_remote_names_the_endpoints_it_cannot_reach(tmp_path):
    with start_topology(topology_dict(), launcher="subprocess", state_dir=tmp_path / "t") as running:
        running.control_service().CrashNode(control_pb2.CrashNodeRequest(node=REMOTE), timeout=T)
        with pytest.raises(TopologyError) as down:
            start_topology(remote_source(running), launcher="remote", startup_timeout=1)
        assert f"of {REMOTE} at {running.address(REMOTE)} (NOT_SERVING)" in str(down.value)
        source = yaml.safe_load(remote_source(running))
        source["control"] = "127.0.0.1:1"
        with pytest.raises(TopologyError, match="control server .* at 127.0.0.1:1 is not reachable"):
            start_topology(source, launcher="remote", startup_timeout=1)
        del source["control"]
        with pytest.raises(TopologyError, match="add `control: HOST:PORT`"):
            start_topology(source, launcher="remote")
        source["sites"][0]["nodes"][0].pop("address")
        with pytest.raises(TopologyError, match=r"add `address: HOST:PORT` to \\INSIDX"):
            start_topology(source, launcher="remote", control_address=running.control_address)


# -- a scenario run against a topology someone else serves (`run --launcher remote`) ---------------------------------

REMOTE_RUN = """\
name: remote-run
topology: minimal
steps:
  - backup: 2
  - advance: 1h
  - import: UPDATE
  - restore_check: {}
"""


def test_a_scenario_runs_against_a_served_topology_and_leaves_it_running(tmp_path):
    from harness.runner import run_scenario  # noqa: PLC0415
    from harness.scenario import parse_scenario  # noqa: PLC0415

    with start_topology("minimal", state_dir=tmp_path / "served", launcher="subprocess") as served:
        result = run_scenario(parse_scenario(REMOTE_RUN, "remote-run.yaml"), seed=4, launcher="remote",
                              control=served.control_address, out=tmp_path / "run")
        assert result.verdict == "valid", (result.error, [c for c in result.checks if c["verdict"] != "valid"])
        assert "--launcher remote" in result.replay
        # the served topology holds what the run did, and still answers after the run closed its connections
        page = served.catalog_sync("YINE500").GetImportStatus(cs.GetImportStatusRequest(
            data_store_id="E501_WIN1_SND"), timeout=T)
        assert page.latest_import.export_id, "the run's import happened in the served topology"
        assert served.guardian("\\INSIDX").GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=T).up


def test_a_remote_run_says_what_is_wrong_with_the_address_or_the_topology(tmp_path, monkeypatch):
    from harness.errors import ScenarioError  # noqa: PLC0415
    from harness.runner import run_scenario  # noqa: PLC0415
    from harness.scenario import parse_scenario  # noqa: PLC0415

    scenario = parse_scenario(REMOTE_RUN, "remote-run.yaml")
    monkeypatch.delenv("CATSYNC_SIM_CONTROL", raising=False)
    result = run_scenario(scenario, launcher="remote", out=tmp_path / "none")
    assert result.verdict == "unknown" and "catsync-sim serve minimal" in result.error
    with start_topology("two-node", state_dir=tmp_path / "served") as other:
        result = run_scenario(scenario, launcher="remote", control=other.control_address, out=tmp_path / "other")
        assert result.verdict == "unknown" and "is 'two-node'; this scenario needs 'minimal'" in result.error
    with pytest.raises(ScenarioError, match="real_time is for a topology the run starts"):
        run_scenario(scenario, launcher="remote", control="127.0.0.1:1", real_time=60)
