"""The Guardian service over real gRPC: streamed files, errors with their Guardian numbers, health, reflection,
processes calling back as themselves, EMS followers, and forwarding of another node's names over the route."""

from __future__ import annotations

import random
import threading
import uuid
from datetime import timedelta

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from emulator import rpc
from emulator.faults import KILL_PROCESS, FaultPoint
from emulator.serve import serve_node
from emulator.v1 import guardian_pb2 as g
from emulator.v1 import guardian_pb2_grpc
from tests.emulator import programs_fixture as programs
from tests.emulator.waiting import until

T = rpc.DEFAULT_DEADLINE
FIXTURE = "tests.emulator.programs_fixture"
STAGING = "\\ETINIUM.$DATA15.E5CATSYN"


_until = until


def _failure(call, *args, **kwargs) -> tuple[grpc.StatusCode, int | None, str]:
    with pytest.raises(grpc.RpcError) as err:
        result = call(*args, timeout=T, **kwargs)
        if hasattr(result, "__next__"):  # a server stream fails when read
            list(result)
    return err.value.code(), rpc.guardian_error(err.value), err.value.details()


def _chunks(name: str, data: bytes, size: int = 64 * 1024, mode: int = g.WRITE_MODE_UNSPECIFIED):
    yield g.WriteFileRequest(name=name, mode=mode, data=data[:size])
    for start in range(size, len(data), size):
        yield g.WriteFileRequest(data=data[start:start + size])


@pytest.fixture
def guardian(node_server):
    node, address = node_server
    channel = rpc.channel(address)
    yield node, guardian_pb2_grpc.GuardianStub(channel), channel
    channel.close()


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def two_nodes(make_node):
    """\\INSIDX and \\ETINIUM served, INSIDX routing ETINIUM's names straight to its server (no link proxy)."""
    insidx, etinium = make_node("\\INSIDX", 12), make_node("\\ETINIUM", 5, utc_offset_seconds=-5 * 3600)
    server_a, server_b = serve_node(insidx), serve_node(etinium)
    insidx.set_route("\\ETINIUM", server_b.address)
    channel = rpc.channel(server_a.address)
    try:
        yield insidx, etinium, guardian_pb2_grpc.GuardianStub(channel), server_b
    finally:
        channel.close()
        server_a.stop(None)
        server_b.stop(None)


# -- files ----------------------------------------------------------------------------------------------------
def test_a_5mb_file_streams_in_and_out_intact_when_sent_in_chunks(guardian):
    node, stub, _ = guardian
    data = random.Random(5).randbytes(5 * 1024 * 1024)
    written = stub.WriteFile(_chunks("$DATA15.E5CATSYN.BIG", data), timeout=T)
    assert (written.info.name, written.info.size) == ("\\INSIDX.$DATA15.E5CATSYN.BIG", len(data))
    replies = list(stub.ReadFile(g.ReadFileRequest(name="$DATA15.E5CATSYN.BIG"), timeout=T))
    assert b"".join(r.data for r in replies) == data
    assert len(replies) == 80 and all(len(r.data) == 64 * 1024 for r in replies)
    assert replies[0].info.size == len(data) and not any(r.HasField("info") for r in replies[1:])
    assert node.disk.read_bytes("$DATA15.E5CATSYN.BIG") == data


def test_read_returns_the_range_and_the_info_when_offset_length_and_chunk_size_are_given(guardian):
    _node, stub, _ = guardian
    stub.WriteFile(_chunks("$DATA15.E5CATSYN.SMALL", bytes(range(200))), timeout=T)
    replies = list(stub.ReadFile(g.ReadFileRequest(name="$DATA15.E5CATSYN.SMALL", offset=50, length=100,
                                                   chunk_size=40), timeout=T))
    assert [len(r.data) for r in replies] == [40, 40, 20]
    assert b"".join(r.data for r in replies) == bytes(range(50, 150))
    empty = list(stub.ReadFile(g.ReadFileRequest(name="$DATA15.E5CATSYN.SMALL", offset=999), timeout=T))
    assert len(empty) == 1 and empty[0].info.size == 200 and empty[0].data == b""


def test_file_info_list_rename_and_purge_answer_when_files_exist(guardian, clock):
    _node, stub, _ = guardian
    clock.advance(by=timedelta(hours=3))
    for name in ("VEW1008", "VEW1002", "CSSUMARY"):
        stub.WriteFile(_chunks(f"$DATA15.E5CATSYN.{name}", b"x", mode=g.WRITE_MODE_CREATE), timeout=T)
    info = stub.GetFileInfo(g.GetFileInfoRequest(name="$DATA15.E5CATSYN.VEW1008"), timeout=T).info
    assert info.modified.ToDatetime() == clock.now().replace(tzinfo=None) and info.owner == "SUPER.SUPER"
    listed = stub.ListFiles(g.ListFilesRequest(subvolume="$DATA15.E5CATSYN", pattern="VEW*"), timeout=T).files
    assert [f.name for f in listed] == ["\\INSIDX.$DATA15.E5CATSYN.VEW1002", "\\INSIDX.$DATA15.E5CATSYN.VEW1008"]
    renamed = stub.RenameFile(g.RenameFileRequest(name="$DATA15.E5CATSYN.VEW1002", new_name="OLD.VEW1002"),
                              timeout=T).info
    assert renamed.name == "\\INSIDX.$DATA15.OLD.VEW1002"
    purged = stub.PurgeFile(g.PurgeFileRequest(name="$DATA15.E5CATSYN.*"), timeout=T).purged
    assert list(purged) == ["\\INSIDX.$DATA15.E5CATSYN.CSSUMARY", "\\INSIDX.$DATA15.E5CATSYN.VEW1008"]
    volumes = stub.ListDiskVolumes(g.ListDiskVolumesRequest(), timeout=T).volumes
    assert [(v.name, v.used_bytes) for v in volumes] == [("$DATA01", 0), ("$DATA15", 1)]


@pytest.mark.parametrize("name, code, error", [
    ("$DATA15.E5CATSYN.NOFILE", grpc.StatusCode.NOT_FOUND, 11),
    ("$DATA99.E5CATSYN.VEW1008", grpc.StatusCode.NOT_FOUND, 14),
    ("$DATA15.E5CATSYN.TOOLONGNAME", grpc.StatusCode.INVALID_ARGUMENT, 13),
    ("\\NOWHERE.$DATA15.E5CATSYN.VEW1008", grpc.StatusCode.NOT_FOUND, 18),
])
def test_errors_carry_status_and_guardian_error_when_a_name_is_wrong(guardian, name, code, error):
    _node, stub, _ = guardian
    got_code, got_error, details = _failure(stub.GetFileInfo, g.GetFileInfoRequest(name=name))
    assert (got_code, got_error) == (code, error)
    assert details  # says what to fix
    assert _failure(stub.ReadFile, g.ReadFileRequest(name=name))[:2] == (code, error)


def test_create_fails_with_already_exists_and_error_10_when_the_file_exists(guardian):
    node, stub, _ = guardian
    stub.WriteFile(_chunks("$DATA15.E5CATSYN.VEW1008", b"first"), timeout=T)
    code, error, _ = _failure(stub.WriteFile, _chunks("$DATA15.E5CATSYN.VEW1008", b"second",
                                                      mode=g.WRITE_MODE_CREATE))
    assert (code, error) == (grpc.StatusCode.ALREADY_EXISTS, 10)
    assert node.disk.read_bytes("$DATA15.E5CATSYN.VEW1008") == b"first"


def test_a_write_fails_with_resource_exhausted_and_error_43_when_the_volume_is_full(guardian):
    node, stub, _ = guardian
    node.disk.set_full("$DATA15", True)
    try:
        code, error, details = _failure(stub.WriteFile, _chunks("$DATA15.E5CATSYN.VEW1008", b"x" * 1000))
    finally:
        node.disk.set_full("$DATA15", False)
    assert (code, error) == (grpc.StatusCode.RESOURCE_EXHAUSTED, 43)
    assert "heal" in details
    assert not node.disk.exists("$DATA15.E5CATSYN.VEW1008")


def test_write_is_refused_when_the_stream_is_empty_or_names_two_files(guardian):
    node, stub, _ = guardian
    assert _failure(stub.WriteFile, iter([]))[0] == grpc.StatusCode.INVALID_ARGUMENT
    two = iter([g.WriteFileRequest(name="$DATA15.A.ONE", data=b"1"), g.WriteFileRequest(name="$DATA15.A.TWO")])
    assert _failure(stub.WriteFile, two)[0] == grpc.StatusCode.INVALID_ARGUMENT
    assert node.disk.list("$DATA15.A") == []


# -- node, health, reflection ---------------------------------------------------------------------------------
def test_node_info_shows_identity_and_local_time_when_the_node_has_an_offset(two_nodes):
    _insidx, etinium, _stub, server_b = two_nodes
    with rpc.channel(server_b.address) as channel:
        info = guardian_pb2_grpc.GuardianStub(channel).GetNodeInfo(g.GetNodeInfoRequest(), timeout=T)
    assert (info.node.name, info.node.expand_number, info.node.utc_offset_seconds) == ("\\ETINIUM", 5, -18000)
    assert info.local_now.ToDatetime() - info.utc_now.ToDatetime() == timedelta(hours=-5)
    assert info.up and info.epoch == etinium.epoch == 0


def test_health_follows_the_node_when_it_crashes_and_restarts(guardian):
    node, stub, channel = guardian
    health = health_pb2_grpc.HealthStub(channel)
    serving = health_pb2.HealthCheckResponse.SERVING
    for service in ("", "emulator.v1.Guardian"):
        assert health.Check(health_pb2.HealthCheckRequest(service=service), timeout=T).status == serving
    node.crash()
    assert health.Check(health_pb2.HealthCheckRequest(service="emulator.v1.Guardian"), timeout=T).status == \
        health_pb2.HealthCheckResponse.NOT_SERVING
    assert _failure(stub.GetNodeInfo, g.GetNodeInfoRequest())[:2] == (grpc.StatusCode.UNAVAILABLE, 201)
    node.restart()
    assert health.Check(health_pb2.HealthCheckRequest(service=""), timeout=T).status == serving
    assert stub.GetNodeInfo(g.GetNodeInfoRequest(), timeout=T).epoch == 1


def test_reflection_lists_the_guardian_service_when_asked(guardian):
    _node, _stub, channel = guardian
    reflection = reflection_pb2_grpc.ServerReflectionStub(channel)
    replies = list(reflection.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]),
                                                   timeout=T))
    services = {s.name for s in replies[0].list_services_response.service}
    assert {"emulator.v1.Guardian", "grpc.health.v1.Health"} <= services


# -- processes ------------------------------------------------------------------------------------------------
def _deploy(stub, name: str, function: str) -> None:
    stub.DeployProgram(g.DeployProgramRequest(program=g.Program(name=name, entry_point=f"{FIXTURE}:{function}")),
                       timeout=T)


def test_a_started_program_writes_through_its_endpoints_when_started_with_wait(guardian, tag):
    node, stub, _ = guardian
    _deploy(stub, "WRITER", "write_file")
    assert [p.name for p in stub.ListPrograms(g.ListProgramsRequest(), timeout=T).programs] == ["WRITER"]
    started = stub.StartProcess(g.StartProcessRequest(program="WRITER", param="$DATA15.OUT.RESULT=hello",
                                                      env={"TAG": tag}, wait=True), timeout=T).process
    assert (started.state, started.completion_code) == (g.PROCESS_STATE_STOPPED, 0)
    assert started.name.startswith("\\INSIDX.$X") and started.priority == 120
    assert programs.OUTCOMES[tag] == "OK"
    assert node.disk.read_bytes("$DATA15.OUT.RESULT") == b"hello"
    listed = stub.ListProcesses(g.ListProcessesRequest(program="WRITER"), timeout=T).processes
    assert [p.name for p in listed] == [started.name]


def test_a_killed_process_is_abended_and_its_calls_are_refused_when_it_keeps_calling(guardian, tag):
    _node, stub, _ = guardian
    _deploy(stub, "LOOP", "loop_until_killed")
    programs.GATES[tag] = running = threading.Event()
    started = stub.StartProcess(g.StartProcessRequest(program="LOOP", env={"TAG": tag}), timeout=T).process
    assert running.wait(10)
    killed = stub.KillProcess(g.KillProcessRequest(name=started.name), timeout=T).process
    assert (killed.state, killed.completion_code, killed.termination_text) == (g.PROCESS_STATE_ABENDED, 5,
                                                                               "killed")
    _until(lambda: tag in programs.OUTCOMES)
    assert programs.OUTCOMES[tag] == "ABORTED"
    code, _error, details = _failure(stub.GetNodeInfo, g.GetNodeInfoRequest(),
                                     metadata=[(rpc.PROCESS_KEY, started.name)])
    assert code == grpc.StatusCode.ABORTED and "killed" in details
    waited = stub.WaitProcess(g.WaitProcessRequest(name=started.name, timeout_seconds=5), timeout=T)
    assert waited.ended and waited.process.state == g.PROCESS_STATE_ABENDED


def test_a_kill_fault_at_write_abends_the_writer_and_writes_nothing_when_armed_for_its_program(guardian, tag):
    node, stub, _ = guardian
    _deploy(stub, "WRITER", "write_file")
    node.faults.arm(FaultPoint("guardian.write_file", KILL_PROCESS, program="WRITER"))
    try:
        ended = stub.StartProcess(g.StartProcessRequest(program="WRITER", param="$DATA15.OUT.RESULT=x",
                                                        env={"TAG": tag}, wait=True), timeout=T).process
    finally:
        node.faults.disarm()
    assert (ended.state, ended.completion_code) == (g.PROCESS_STATE_ABENDED, 5)
    assert ended.termination_text == "killed at fault point guardian.write_file"
    _until(lambda: tag in programs.OUTCOMES)  # the kill ended the record; the stray thread answers later
    assert programs.OUTCOMES[tag] == "ABORTED"
    assert not node.disk.exists("$DATA15.OUT.RESULT")


def test_process_calls_fail_with_not_found_when_the_program_or_process_is_unknown(guardian):
    _node, stub, _ = guardian
    assert _failure(stub.StartProcess, g.StartProcessRequest(program="NOPROG"))[0] == grpc.StatusCode.NOT_FOUND
    assert _failure(stub.GetProcess, g.GetProcessRequest(name="$X000"))[0] == grpc.StatusCode.NOT_FOUND
    assert _failure(stub.KillProcess, g.KillProcessRequest(name="$X000"))[0] == grpc.StatusCode.NOT_FOUND
    assert _failure(stub.StartProcess, g.StartProcessRequest(program="1BAD"))[:2] == (
        grpc.StatusCode.INVALID_ARGUMENT, 13)


# -- spooler and EMS ------------------------------------------------------------------------------------------
def test_reports_are_spooled_listed_and_read_when_a_process_writes_them(guardian):
    _node, stub, _ = guardian
    written = stub.WriteReport(g.WriteReportRequest(location="$S.#INS.EXP", lines=["E501NEW-BB051 start", "end"]),
                               timeout=T, metadata=[(rpc.PROCESS_KEY, "\\INSIDX.$X66X")]).report
    assert written.process == "\\INSIDX.$X66X" and not written.lines
    listed = stub.ListReports(g.ListReportsRequest(location="$S.#INS"), timeout=T).reports
    assert [r.report_id for r in listed] == [written.report_id]
    read = stub.ReadReport(g.ReadReportRequest(location="$S.#INS.EXP"), timeout=T).report
    assert list(read.lines) == ["E501NEW-BB051 start", "end"]
    assert _failure(stub.WriteReport, g.WriteReportRequest(location="$S.INS"))[0] == \
        grpc.StatusCode.INVALID_ARGUMENT


def test_events_are_logged_read_and_followed_when_appended(guardian):
    _node, stub, _ = guardian
    first = stub.AppendEvent(g.AppendEventRequest(event=g.EmsEvent(
        ssid="ETINET.100.100", event_number=3273, text="E501NEW-I3273 CATALOG FULL process started")),
        timeout=T, metadata=[(rpc.PROCESS_KEY, "\\INSIDX.$ZBBS")]).event
    assert first.sequence == 1 and first.node_number == 12 and first.collector == "$0"
    assert first.line == ("2025-09-23 20:00:00 \\INSIDX.$ZBBS ETINET.100.100 3273 "
                          "E501NEW-I3273 CATALOG FULL process started")
    follower = stub.FollowEvents(g.FollowEventsRequest(filter=g.EventFilter(ssid="ETINET"), from_start=True),
                                 timeout=T)
    try:
        assert next(follower).event.sequence == 1
        stub.AppendEvent(g.AppendEventRequest(event=g.EmsEvent(ssid="TANDEM.EMS.H01", event_number=1, text="x")),
                         timeout=T)
        stub.AppendEvent(g.AppendEventRequest(event=g.EmsEvent(
            ssid="ETINET.100.100", event_number=3279, text="E501NEW-I3279 done", emphasis=g.EMPHASIS_CRITICAL)),
            timeout=T)
        followed = next(follower).event
        assert (followed.sequence, followed.emphasis) == (3, g.EMPHASIS_CRITICAL)
    finally:
        follower.cancel()
    read = stub.ReadEvents(g.ReadEventsRequest(filter=g.EventFilter(event_numbers=[3279])), timeout=T).events
    assert [e.sequence for e in read] == [3]


def test_a_follower_ends_with_unavailable_when_the_node_crashes(guardian):
    node, stub, _ = guardian
    stub.AppendEvent(g.AppendEventRequest(event=g.EmsEvent(ssid="ETINET.100.100", event_number=1, text="a")),
                     timeout=T)
    follower = stub.FollowEvents(g.FollowEventsRequest(from_start=True), timeout=T)
    assert next(follower).event.sequence == 1
    node.crash()
    with pytest.raises(grpc.RpcError) as err:
        next(follower)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE


# -- forwarding to another node -------------------------------------------------------------------------------
def test_a_remote_name_is_written_and_read_on_its_own_node_when_called_on_another(two_nodes):
    insidx, etinium, stub, _ = two_nodes
    data = random.Random(2).randbytes(1024 * 1024 + 17)
    info = stub.WriteFile(_chunks(f"{STAGING}.VEW1008", data), timeout=T).info
    assert (info.name, info.size) == (f"{STAGING}.VEW1008", len(data))
    assert etinium.disk.read_bytes("$DATA15.E5CATSYN.VEW1008") == data
    assert insidx.disk.list("$DATA15.E5CATSYN") == []
    replies = list(stub.ReadFile(g.ReadFileRequest(name=f"{STAGING}.VEW1008", chunk_size=100_000), timeout=T))
    assert b"".join(r.data for r in replies) == data and replies[0].info.size == len(data)
    listed = stub.ListFiles(g.ListFilesRequest(subvolume=STAGING), timeout=T).files
    assert [f.name for f in listed] == [f"{STAGING}.VEW1008"]
    renamed = stub.RenameFile(g.RenameFileRequest(name=f"{STAGING}.VEW1008", new_name=f"{STAGING}.OLD"),
                              timeout=T).info
    assert renamed.name == f"{STAGING}.OLD"
    assert list(stub.PurgeFile(g.PurgeFileRequest(name=f"{STAGING}.*"), timeout=T).purged) == [f"{STAGING}.OLD"]


def test_a_process_writes_to_the_remote_staging_subvolume_when_given_a_remote_name(two_nodes, tag):
    _insidx, etinium, stub, _ = two_nodes
    _deploy(stub, "BBCSEXP", "write_file")
    ended = stub.StartProcess(g.StartProcessRequest(program="BBCSEXP", param=f"{STAGING}.CSSUMARY=summary",
                                                    env={"TAG": tag}, wait=True), timeout=T).process
    assert (ended.state, ended.completion_code, programs.OUTCOMES[tag]) == (g.PROCESS_STATE_STOPPED, 0, "OK")
    assert etinium.disk.read_bytes("$DATA15.E5CATSYN.CSSUMARY") == b"summary"


def test_remote_errors_reach_the_caller_with_the_same_status_and_guardian_error_when_forwarded(two_nodes):
    _insidx, etinium, stub, _ = two_nodes
    code, error, details = _failure(stub.GetFileInfo, g.GetFileInfoRequest(name=f"{STAGING}.NOFILE"))
    assert (code, error) == (grpc.StatusCode.NOT_FOUND, 11) and "\\ETINIUM" in details
    code, error, details = _failure(stub.WriteFile, _chunks("\\ETINIUM.$DATA99.E5CATSYN.X", b"x"))
    assert (code, error) == (grpc.StatusCode.NOT_FOUND, 14) and "$DATA15" in details
    code, error, _ = _failure(stub.ReadFile, g.ReadFileRequest(name=f"{STAGING}.NOFILE"))
    assert (code, error) == (grpc.StatusCode.NOT_FOUND, 11)
    assert _failure(stub.GetProcess, g.GetProcessRequest(name="\\ETINIUM.$X000"))[0] == grpc.StatusCode.NOT_FOUND
    assert etinium.disk.list("$DATA15.E5CATSYN") == []


def test_a_remote_call_fails_unavailable_when_the_remote_node_is_down_or_unreachable(two_nodes):
    _insidx, etinium, stub, server_b = two_nodes
    etinium.crash()
    assert _failure(stub.GetFileInfo, g.GetFileInfoRequest(name=f"{STAGING}.X"))[:2] == (
        grpc.StatusCode.UNAVAILABLE, 201)
    server_b.stop(None)
    code, error, _ = _failure(stub.WriteFile, _chunks(f"{STAGING}.X", b"x"))
    assert (code, error) == (grpc.StatusCode.UNAVAILABLE, 250)
