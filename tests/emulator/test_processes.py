"""Guardian processes: the program library, `$Xnnn` names, start order in virtual time, ends, kills and crashes."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta

import pytest

from emulator.clock import REAL
from emulator.disk import RemoteName
from emulator.errors import AlreadyExists, Conflict, InvalidArgument, InvalidName, NotFound, ProcessKilled
from emulator.node import Endpoint, Node, NodeConfig
from emulator.processes import ProcessState, Program
from tests.emulator import programs_fixture as programs
from tests.emulator.waiting import until

FIXTURE = "tests.emulator.programs_fixture"


_until = until


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def gate(tag):
    """An open-able gate for the `gate` program under this test's tag; always opened at the end."""
    event = programs.GATES[tag] = threading.Event()
    yield event
    event.set()


@pytest.fixture
def library(node):
    for name, function in (("REC", "record"), ("EXIT", "exit_code"), ("FAIL", "fail"), ("GATE", "gate"),
                           ("NOTINT", "not_an_int")):
        node.processes.deploy(name, f"{FIXTURE}:{function}")
    return node


def _count(node) -> int:
    with node.store.read() as db:
        return db["guardian_processes"].count


def _ran(tag: str) -> bool:
    return tag in programs.SEEN


def test_deploy_registers_a_program_and_replaces_it_when_deployed_again(node):
    node.processes.deploy("bbcsexp", "catsync.export:main", "export")
    node.processes.deploy("BBCSIMP", "catsync.import_:main")
    node.processes.deploy("BBCSEXP", "catsync.export:main2", "export v2")
    assert node.processes.programs() == [Program("BBCSEXP", "catsync.export:main2", "export v2"),
                                         Program("BBCSIMP", "catsync.import_:main", "")]


@pytest.mark.parametrize("name, entry, error", [
    ("", "m:f", InvalidName), ("1BAD", "m:f", InvalidName), ("TOOLONGNAME", "m:f", InvalidName),
    ("GOOD", "no_function", InvalidArgument), ("GOOD", "a b:f", InvalidArgument), ("GOOD", "m:", InvalidArgument),
])
def test_deploy_is_refused_and_changes_nothing_when_name_or_entry_point_is_malformed(node, name, entry, error):
    with pytest.raises(error) as err:
        node.processes.deploy(name, entry)
    assert err.value.message
    assert node.processes.programs() == []


def test_start_is_refused_when_the_program_is_not_deployed(library):
    with pytest.raises(NotFound) as err:
        library.processes.start("BBCSEXP")
    assert "DeployProgram" in err.value.message and "REC" in err.value.message
    assert _count(library) == 0


def test_start_is_refused_and_no_process_is_created_when_the_entry_point_cannot_be_loaded(node):
    node.processes.deploy("MISSING", "tests.emulator.no_such_module:main")
    node.processes.deploy("NOFUNC", f"{FIXTURE}:no_such_function")
    for program in ("MISSING", "NOFUNC"):
        with pytest.raises(Conflict) as err:
            node.processes.start(program)
        assert "redeploy" in err.value.message
    assert _count(node) == 0


def test_generated_names_are_x_plus_three_alphanumerics_and_unique_when_many_start(library):
    names = [library.processes.start("REC", "unique").name for _ in range(60)]
    assert all(re.fullmatch(r"\\INSIDX\.\$X[A-Z0-9]{3}", n) for n in names)
    assert len(set(names)) == 60
    for name in names:
        library.processes.wait(name, 10)


def test_generated_names_repeat_when_the_seed_repeats(tmp_path, clock):
    def names(folder: str, seed: int) -> list[str]:
        node = Node(NodeConfig("\\INSIDX", 12, volumes={"$DATA15": 0}), tmp_path / folder, clock, seed=seed)
        try:
            node.processes.deploy("REC", f"{FIXTURE}:record")
            started = [node.processes.start("REC", "seeded").name for _ in range(5)]
            for name in started:
                node.processes.wait(name, 10)
            return started
        finally:
            node.close()

    assert names("a", 7) == names("b", 7)
    assert names("c", 7) != names("d", 8)


def test_the_startup_message_carries_name_param_env_priority_and_endpoints_when_started(library, tag):
    library.endpoints = [Endpoint("emulator.v1.Guardian", "\\INSIDX", "127.0.0.1:4561")]
    info = library.processes.start("REC", "STOREID DS1", {"TAG": tag, "MODE": "FULL"}, 0, parent="$ZBBS")
    library.processes.wait(info.name, 10)
    startup = programs.SEEN[tag][0]
    assert startup.process == info.name and startup.node == "\\INSIDX"
    assert startup.param == "STOREID DS1" and dict(startup.env) == {"TAG": tag, "MODE": "FULL"}
    assert startup.priority == info.priority == 120  # R32: 0 = inherit
    assert [(e.service, e.node, e.address) for e in startup.endpoints] == [
        ("emulator.v1.Guardian", "\\INSIDX", "127.0.0.1:4561")]
    assert info.parent == "$ZBBS"


@pytest.mark.parametrize("program, param, state, code, text", [
    ("REC", "x", ProcessState.STOPPED, 0, ""),
    ("EXIT", "2", ProcessState.STOPPED, 2, ""),
    ("FAIL", "now", ProcessState.ABENDED, 3, "RuntimeError: boom now"),
    ("NOTINT", "", ProcessState.ABENDED, 3, "program returned 'done': return an int completion code or None"),
])
def test_the_end_state_follows_what_the_program_did_when_it_ends(library, clock, program, param, state, code,
                                                                 text):
    clock.advance(by=timedelta(minutes=1))
    info, ended = library.processes.wait(library.processes.start(program, param).name, 10)
    assert ended
    assert (info.state, info.completion_code, info.termination_text) == (state, code, text)
    assert info.ended == clock.now()


def test_processes_run_one_at_a_time_in_start_order_when_time_is_virtual(library, tag, gate):
    first = library.processes.start("GATE", tag)
    second = library.processes.start("REC", f"{tag}-2")
    assert (first.state, second.state) == (ProcessState.WAITING, ProcessState.WAITING)
    _until(lambda: _ran(tag))
    assert library.processes.get(first.name).state is ProcessState.RUNNING
    assert library.processes.get(second.name).state is ProcessState.WAITING
    assert not _ran(f"{tag}-2")
    gate.set()
    info, ended = library.processes.wait(second.name, 10)
    assert ended and info.state is ProcessState.STOPPED
    assert [t for t in programs.ORDER if t.startswith(tag)] == [tag, f"{tag}-2"]


def test_processes_run_side_by_side_when_time_is_real(library, clock, tag, gate):
    clock.set_mode(REAL)
    first = library.processes.start("GATE", tag, {"TAG": tag})
    second = library.processes.start("GATE", tag, {"TAG": tag})
    assert first.state is second.state is ProcessState.RUNNING
    _until(lambda: len(programs.SEEN.get(tag, [])) == 2)  # both started before the gate opened
    gate.set()
    for name in (first.name, second.name):
        assert library.processes.wait(name, 10)[0].state is ProcessState.STOPPED


def test_advancing_the_clock_waits_for_running_processes_when_time_is_virtual(library, clock, tag, gate):
    info = library.processes.start("GATE", tag)
    advanced = threading.Event()
    mover = threading.Thread(target=lambda: (clock.advance(by=timedelta(seconds=1)), advanced.set()), daemon=True)
    mover.start()
    _until(lambda: _ran(tag))
    assert not advanced.wait(0.3)  # the settle hook holds virtual time while the process runs
    gate.set()
    assert advanced.wait(10)
    assert library.processes.get(info.name).state is ProcessState.STOPPED


def test_a_kill_abends_a_running_process_at_once_and_refuses_its_calls_when_it_still_runs(library, tag, gate):
    victim = library.processes.start("GATE", tag)
    nxt = library.processes.start("REC", f"{tag}-next")
    _until(lambda: _ran(tag))
    killed = library.processes.kill(victim.name, "killed")
    assert (killed.state, killed.completion_code, killed.termination_text) == (ProcessState.ABENDED, 5, "killed")
    assert library.processes.is_killed(victim.name) and library.processes.is_killed("$" + victim.name.split("$")[1])
    with pytest.raises(ProcessKilled) as err:
        library.processes.check_alive(victim.name)
    assert "start a new process" in err.value.message
    assert library.processes.wait(nxt.name, 10)[1]  # the queue moved on without the stray thread
    gate.set()
    _until(lambda: library.processes.running() == [])
    assert library.processes.get(victim.name).state is ProcessState.ABENDED  # its late return changes nothing


def test_kill_returns_none_when_no_such_process_is_on_this_node(library):
    assert library.processes.kill("$NOPE", "x") is None
    assert library.processes.kill("\\ETINIUM.$X66X", "x") is None
    assert not library.processes.is_killed("\\ETINIUM.$X66X")
    library.processes.check_alive("\\ETINIUM.$X66X")


def test_stop_ends_a_waiting_process_before_it_runs_when_it_is_queued(library, tag, gate):
    library.processes.start("GATE", tag)
    queued = library.processes.start("REC", f"{tag}-queued")
    stopped = library.processes.stop(queued.name)
    assert (stopped.state, stopped.completion_code, stopped.termination_text) == (ProcessState.STOPPED, 0, "stopped")
    gate.set()
    _until(lambda: library.processes.running() == [])
    assert not _ran(f"{tag}-queued")
    assert library.processes.stop(queued.name) == stopped  # an ended process is returned as it is


def test_wait_returns_not_ended_when_the_timeout_passes_first(library, tag, gate):
    info = library.processes.start("GATE", tag)
    got, ended = library.processes.wait(info.name, 0.05)
    assert not ended and got.state in (ProcessState.WAITING, ProcessState.RUNNING)


def test_a_crash_abends_waiting_and_running_processes_and_the_record_survives_the_restart(library, tag, gate):
    running = library.processes.start("GATE", tag)
    waiting = library.processes.start("REC", f"{tag}-w")
    _until(lambda: _ran(tag))
    killed, _rolled_back = library.crash()
    assert killed == [running.name, waiting.name]
    library.restart()
    for name in (running.name, waiting.name):
        info = library.processes.get(name)
        assert (info.state, info.completion_code, info.termination_text) == (ProcessState.ABENDED, 5,
                                                                              "node crashed")
        with pytest.raises(ProcessKilled):
            library.processes.check_alive(name)
    assert not _ran(f"{tag}-w")
    assert library.processes.running() == []


def test_priority_out_of_range_is_refused_and_nothing_starts_when_given(library):
    for priority in (-1, 200):
        with pytest.raises(InvalidArgument) as err:
            library.processes.start("REC", priority=priority)
        assert "1..199" in err.value.message
    assert _count(library) == 0


def test_an_explicit_name_is_used_and_must_be_free_when_given(library, tag, gate):
    info = library.processes.start("GATE", tag, name="$bbexp")
    assert info.name == "\\INSIDX.$BBEXP"
    with pytest.raises(AlreadyExists):
        library.processes.start("REC", name="\\INSIDX.$BBEXP")
    with pytest.raises(InvalidName):
        library.processes.start("REC", name="$TOOLONG")
    with pytest.raises(RemoteName):
        library.processes.start("REC", name="\\ETINIUM.$BBEXP")
    assert _count(library) == 1


def test_get_fails_with_not_found_when_the_name_is_unknown(library):
    with pytest.raises(NotFound):
        library.processes.get("$X000")
    with pytest.raises(InvalidName):
        library.processes.get("X000")


def test_list_filters_by_program_and_live_state_when_asked(library, tag, gate):
    done = library.processes.start("REC", f"{tag}-done")
    library.processes.wait(done.name, 10)
    live = library.processes.start("GATE", tag)
    assert [p.name for p in library.processes.list()] == [done.name, live.name]
    assert [p.name for p in library.processes.list("rec")] == [done.name]
    assert [p.name for p in library.processes.list(running_only=True)] == [live.name]
    assert library.processes.running() == [live.name]
    assert library.processes.program_of(live.name) == "GATE"
