"""Guardian programs for the emulator's tests, deployed as `tests.emulator.programs_fixture:<function>`.

Each is called as `entry(startup) -> int | None`, as a program of the node's library. Tests observe them through
`SEEN` (startup messages by tag) and hold them with `GATES` (events by tag); tags are unique per test.
"""

from __future__ import annotations

import threading
import time

import grpc

from emulator import rpc
from emulator.v1 import guardian_pb2, guardian_pb2_grpc

SEEN: dict[str, list[guardian_pb2.StartupMessage]] = {}
ORDER: list[str] = []
GATES: dict[str, threading.Event] = {}
OUTCOMES: dict[str, str] = {}
_lock = threading.Lock()


def _note(startup: guardian_pb2.StartupMessage) -> str:
    tag = startup.env.get("TAG", startup.param)
    with _lock:
        SEEN.setdefault(tag, []).append(startup)
        ORDER.append(tag)
    return tag


def record(startup: guardian_pb2.StartupMessage) -> None:
    """Note the startup message, end normally."""
    _note(startup)


def exit_code(startup: guardian_pb2.StartupMessage) -> int:
    """End with the completion code given as PARAM."""
    _note(startup)
    return int(startup.param)


def not_an_int(startup: guardian_pb2.StartupMessage) -> str:
    return "done"


def fail(startup: guardian_pb2.StartupMessage) -> None:
    """Raise: the process ABENDs with code 3 and this text."""
    _note(startup)
    raise RuntimeError(f"boom {startup.param}")


def gate(startup: guardian_pb2.StartupMessage) -> None:
    """Wait until the test opens `GATES[tag]` (at most 30 s)."""
    tag = _note(startup)
    GATES[tag].wait(timeout=30)


def _guardian(startup: guardian_pb2.StartupMessage) -> guardian_pb2_grpc.GuardianStub:
    for endpoint in startup.endpoints:
        if endpoint.service == "emulator.v1.Guardian" and endpoint.node == startup.node:
            return guardian_pb2_grpc.GuardianStub(rpc.channel(endpoint.address))
    raise RuntimeError(f"no Guardian endpoint for {startup.node} in the startup message")


def write_file(startup: guardian_pb2.StartupMessage) -> int:
    """Write PARAM `name=content` through the node's Guardian service, as the calling process."""
    tag = _note(startup)
    name, _, content = startup.param.partition("=")
    stub = _guardian(startup)
    try:
        stub.WriteFile(iter([guardian_pb2.WriteFileRequest(name=name, data=content.encode())]),
                       timeout=rpc.DEFAULT_DEADLINE, metadata=[(rpc.PROCESS_KEY, startup.process)])
    except grpc.RpcError as exc:
        OUTCOMES[tag] = exc.code().name
        return 2
    OUTCOMES[tag] = "OK"
    return 0


def loop_until_killed(startup: guardian_pb2.StartupMessage) -> int:
    """Call the node as itself until a call is refused (the process was killed); give up after 20 s."""
    tag = _note(startup)
    stub = _guardian(startup)
    deadline = time.monotonic() + 20
    GATES.setdefault(tag, threading.Event()).set()  # tells the test the loop runs
    while time.monotonic() < deadline:
        try:
            stub.GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=rpc.DEFAULT_DEADLINE,
                             metadata=[(rpc.PROCESS_KEY, startup.process)])
        except grpc.RpcError as exc:
            OUTCOMES[tag] = exc.code().name
            return 0
    OUTCOMES[tag] = "TIMEOUT"
    return 9
