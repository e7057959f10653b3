"""The catsync-sim pytest plugin (harness/pytest_plugin.py), tested the way pytest tests its own plugins: inner test
files run by `pytester`, with no conftest — the fixtures come from the `pytest11` entry point of the installed
package. Inner runs start real topologies on loopback ports (about 1-2 s each) and one or two scenario runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


# the inner pytest processes skip the two heavy plugins of the environment (about 2 s of imports each) that the
# inner tests do not use
LEAN = ("-p", "no:hypothesispytest", "-p", "no:faker")


def _outcomes(result: pytest.RunResult) -> dict[str, int]:
    return {k: v for k, v in result.parseoutcomes().items() if k not in ("warning", "warnings")}


# -- sim_topology ----------------------------------------------------------------------------------------------------

def test_sim_topology_is_started_and_closed_when_the_test_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(r'''
        import socket
        from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2

        SEEN = {}

        def test_backup_on_the_primary(sim_topology, tmp_path):
            info = sim_topology.guardian("\\INSIDX").GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=30)
            assert info.node.name == "\\INSIDX" and info.up
            assert sim_topology.spec.name == "minimal"
            assert sim_topology.state_dir == tmp_path / "sim-topology"
            done = sim_topology.domain("E501NEW").RunBackup(bb.RunBackupRequest(
                node="\\INSIDX", volume_group_id="VG_WIN1_DES", file_id="E501NEW-OBK11-WIN1", data_bytes=50_000,
                content_seed=3), timeout=60)
            assert done.tape_file.file_id == "E501NEW-OBK11-WIN1" and done.volumes

        def test_fails_while_holding_a_topology(sim_topology):
            SEEN["address"] = sim_topology.address("\\INSIDX")
            assert False, "deliberate"

        def test_the_failed_test_topology_was_closed():
            host, port = SEEN["address"].rsplit(":", 1)
            try:
                socket.create_connection((host, int(port)), timeout=2).close()
            except OSError:
                return
            raise AssertionError(f"the node server at {SEEN['address']} still listens after its test")
    ''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    assert _outcomes(result) == {"passed": 2, "failed": 1}, result.stdout.str()
    result.stdout.fnmatch_lines(["*- catsync-sim -*", "seed: 1", "topology minimal: state in *sim-topology"])


def test_sim_topology_marker_and_indirect_parametrisation_choose_the_topology(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(r'''
        import pytest

        @pytest.mark.sim_topology("two-node")
        def test_marker(sim_topology):
            assert sim_topology.spec.name == "two-node"

        @pytest.mark.parametrize("sim_topology", ["minimal", "two-node"], indirect=True)
        def test_indirect(sim_topology, request):
            assert sim_topology.spec.name == request.node.callspec.params["sim_topology"]

        @pytest.mark.sim_topology("minimal", "two-node")
        def test_two_arguments(sim_topology):
            pass

        @pytest.mark.sim_topology("no-such-topology")
        def test_unknown(sim_topology):
            pass
    ''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--strict-markers", "-rE")
    assert _outcomes(result) == {"passed": 3, "errors": 2}, result.stdout.str()
    result.stdout.fnmatch_lines([
        "*sim_topology takes one argument*write @pytest.mark.sim_topology(\"minimal\")*",
        "*no topology named 'no-such-topology'*minimal*",
    ], consecutive=False)


def test_sim_topology_marker_is_listed_when_markers_are_shown(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_inprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.sim_topology(source): *"])


# -- sim_seed, --sim-seed, CATSYNC_SIM_SEED --------------------------------------------------------------------------

SEED_TEST = '''
    def test_seed(sim_seed):
        print("SEED", sim_seed)
        assert sim_seed == {expected}
'''


@pytest.mark.parametrize(("args", "env", "expected"), [
    ((), None, 1),                       # a fixed default: a plain `pytest` run is reproducible
    ((), "7", 7),
    (("--sim-seed", "42"), "7", 42),     # the option wins over the environment
])
def test_sim_seed_comes_from_the_option_then_the_environment_then_1(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, args: tuple, env: str | None,
        expected: int) -> None:
    if env is None:
        monkeypatch.delenv("CATSYNC_SIM_SEED", raising=False)
    else:
        monkeypatch.setenv("CATSYNC_SIM_SEED", env)
    pytester.makepyfile(SEED_TEST.format(expected=expected))
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", *args)
    assert _outcomes(result) == {"passed": 1}, result.stdout.str()
    result.stdout.fnmatch_lines([f"catsync-sim: seed {expected} *"])


@pytest.mark.parametrize(("args", "env", "message"), [
    (("--sim-seed", "abc"), None, "*--sim-seed: 'abc' is not an integer: give a whole number*"),
    ((), "x1", "*CATSYNC_SIM_SEED='x1' is not an integer: set it to a whole number or unset it*"),
])
def test_a_bad_seed_is_a_usage_error_naming_the_fix_when_given(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, args: tuple, env: str | None,
        message: str) -> None:
    if env is None:
        monkeypatch.delenv("CATSYNC_SIM_SEED", raising=False)
    else:
        monkeypatch.setenv("CATSYNC_SIM_SEED", env)
    pytester.makepyfile(SEED_TEST.format(expected=1))
    result = pytester.runpytest_subprocess(*LEAN, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


# -- sim_run ---------------------------------------------------------------------------------------------------------

def test_sim_run_runs_a_scenario_with_the_session_seed_and_reports_a_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(r'''
        import json

        FAILING = """
        name: wrong-expectation
        topology: minimal
        final: none
        steps:
          - backup: 1
          - expect: {last: backup, type: fail}
        """

        def test_smoke_is_valid(sim_run, sim_seed, tmp_path):
            result = sim_run("smoke")
            assert sim_seed == 42
            assert result.verdict == "valid" and result.ok, result.checks
            assert result.seed == 42 and (result.run_dir / "seed").read_text() == "42\n"
            assert result.run_dir.parent == tmp_path / "sim-runs"
            assert json.loads((result.run_dir / "results.json").read_text())["verdict"] == "valid"
            assert result.replay == "catsync-sim run smoke --seed 42"

        def test_fails_on_an_invalid_run(sim_run):
            result = sim_run(FAILING, seed=5)
            assert result.verdict == "invalid"
            assert result.ok, result.replay
    ''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--sim-seed", "42")
    out = result.stdout.str()
    assert _outcomes(result) == {"passed": 1, "failed": 1}, out
    result.stdout.fnmatch_lines([
        "*- catsync-sim -*",
        "seed: 42",
        "replay this test: pytest test_sim_run_runs_a_scenario_with_the_session_seed_and_reports_a_failure.py"
        "::test_fails_on_an_invalid_run --sim-seed 42",
        "run wrong-expectation: verdict invalid (seed 5), run directory *sim-runs*wrong-expectation-seed5",
        "  replay: catsync-sim run *wrong-expectation-seed5*scenario.yaml --seed 5",
        "  invalid expectations: 0 of 1 expectations held*",
    ])
    # the passing test's run is not reported; only the failing test carries a section
    assert out.count("- catsync-sim -") == 1 and "run smoke" not in out


def test_sim_run_replays_a_failing_builtin_run_by_its_name(pytester: pytest.Pytester) -> None:
    """The replay line of a built-in scenario is the `catsync-sim run NAME --seed N` command; an error in the
    scenario itself is raised to the test, not turned into a verdict."""
    pytester.makepyfile(r'''
        import pytest
        from harness.errors import ScenarioError

        def test_unknown_scenario(sim_run):
            with pytest.raises(ScenarioError, match="no scenario named 'nope'.*smoke"):
                sim_run("nope")

        def test_fails_after_smoke(sim_run):
            sim_run("smoke")
            assert False, "deliberate"
    ''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--sim-seed", "3")
    assert _outcomes(result) == {"passed": 1, "failed": 1}, result.stdout.str()
    result.stdout.fnmatch_lines(["run smoke: verdict valid (seed 3), run directory *smoke-seed3",
                                 "  replay: catsync-sim run smoke --seed 3"])


# -- sim -------------------------------------------------------------------------------------------------------------

def test_sim_records_its_history_and_heals_faults_left_active(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(r'''
        import json

        PATHS = {}

        def test_backup_under_a_link_cut(sim, tmp_path):
            PATHS["history"] = tmp_path / "sim" / "history.jsonl"
            assert sim.seed == 9 and sim.topo.seed == 9
            sim.fail("link-down")
            assert sim.backup(1)
            assert sim.nemesis.active

        def test_the_fault_was_healed_at_teardown():
            events = [json.loads(line) for line in PATHS["history"].read_text().splitlines()]
            fs = [(e["f"], e["type"]) for e in events]
            assert ("backup", "ok") in fs and fs[-1] == ("heal", "ok"), fs
    ''')
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--sim-seed", "9")
    assert _outcomes(result) == {"passed": 2}, result.stdout.str()


# -- loading: the entry point, xdist, light imports ------------------------------------------------------------------

def test_plugin_loads_from_the_entry_point_without_a_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_seed(sim_seed):\n    assert sim_seed == 1\n")
    assert not list(pytester.path.rglob("conftest.py"))
    result = pytester.runpytest_subprocess(*LEAN)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["plugins:*catsync-sim-*"])
    blocked = pytester.runpytest_subprocess(*LEAN, "-p", "no:catsync_sim")    # the entry point's name blocks it
    blocked.stdout.fnmatch_lines(["*fixture 'sim_seed' not found*"])


def test_plugin_loads_by_its_entry_point_name_when_autoload_is_disabled(pytester: pytest.Pytester,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile("def test_seed(sim_seed):\n    assert sim_seed == 5\n")
    without = pytester.runpytest_subprocess("--sim-seed", "5")
    assert without.ret == pytest.ExitCode.USAGE_ERROR    # no plugin, no --sim-seed
    without.stderr.fnmatch_lines(["*unrecognized arguments: --sim-seed*"])
    pytester.runpytest_subprocess("-p", "catsync_sim", "--sim-seed", "5").assert_outcomes(passed=1)


def test_two_tests_each_with_a_topology_pass_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(r'''
        from emulator.v1 import guardian_pb2

        def _ping(topo, tmp_path):
            assert topo.state_dir == tmp_path / "sim-topology"
            info = topo.guardian("\\ETINIUM").GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=30)
            assert info.node.name == "\\ETINIUM"

        def test_one(sim_topology, tmp_path):
            _ping(sim_topology, tmp_path)

        def test_two(sim_topology, tmp_path):
            _ping(sim_topology, tmp_path)

        def test_deliberate_failure(sim_seed):
            assert False
    ''')
    result = pytester.runpytest_subprocess(*LEAN, "-n", "2", "--sim-seed", "11")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["created: 2/2 workers", "*- catsync-sim -*", "seed: 11"], consecutive=False)


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    """The plugin module adds only itself to what `import harness` and pytest already load (grpc, the emulator and
    the harness modules load inside the fixtures)."""
    code = ("import sys, json, pytest, harness; before = set(sys.modules); import harness.pytest_plugin; "
            "print(json.dumps(sorted(set(sys.modules) - before)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent).stdout
    assert json.loads(out) == ["harness.pytest_plugin"]
