"""The catsync-sim pytest plugin: started topologies and scenario runs as fixtures, one seed for the session, and
the seed plus the replay commands in the report of a failing test.

Installed with the package (entry point `pytest11`, name `catsync_sim`), so a test suite needs no conftest and no
`pytest_plugins` line (naming the module there, or `-p harness.pytest_plugin`, registers it twice and pytest stops;
with `PYTEST_DISABLE_PLUGIN_AUTOLOAD=1` load it with `-p catsync_sim`, and `-p no:catsync_sim` turns it off):

```python
import pytest
from emulator.v1 import guardian_pb2

def test_primary_is_up(sim_topology):                 # the built-in `minimal` DR pair, started for this test
    info = sim_topology.guardian("\\\\INSIDX").GetNodeInfo(guardian_pb2.GetNodeInfoRequest(), timeout=10)
    assert info.name == "\\\\INSIDX"

@pytest.mark.sim_topology("e501-sample")               # another built-in topology, a YAML file or a dict
def test_on_the_manual_sample(sim_topology): ...

def test_smoke(sim_run):
    result = sim_run("smoke")                          # a built-in scenario, a .yaml / .py file or YAML text
    assert result.ok, result.replay
```

Fixtures (all function-scoped; every file lives under the test's `tmp_path`, every server binds port 0, so tests
run in any order and in parallel under `pytest -n auto`):

- `sim_seed`: the session's seed — `--sim-seed N`, else the `CATSYNC_SIM_SEED` environment variable, else 1.
- `sim_topology`: a started `harness.launcher.Topology`, closed after the test even when it fails.
- `sim_run`: `sim_run(scenario, *, seed=None, launcher="inprocess", keep_state=False) -> RunResult`.
- `sim`: a `harness.sim.Sim` driving `sim_topology`, its history in `tmp_path/sim/history.jsonl`.

When a test that used one of them fails, its report gains a `catsync-sim` section: the seed, the command that
replays the test, each topology's state folder, and each scenario run's verdict, run directory and replay command.

Only the standard library and pytest are imported here: grpc, the emulator and the harness modules load when a
fixture first runs, so the plugin costs nothing to test suites that do not use it.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

import pytest

if TYPE_CHECKING:   # annotations only: importing these loads grpc
    from harness.launcher import Topology
    from harness.runner import RunResult
    from harness.sim import Sim

DEFAULT_SEED = 1
DEFAULT_TOPOLOGY = "minimal"
SEED_ENV = "CATSYNC_SIM_SEED"
SECTION = "catsync-sim"
_SEED_KEY = pytest.StashKey[int]()


@dataclass
class _Record:
    """What the sim fixtures of one test did, for the report of a failure."""

    seed: int
    topologies: list[tuple[str, Path]] = field(default_factory=list)     # (name, state folder)
    runs: list[tuple[Any, bool]] = field(default_factory=list)          # (RunResult, from a file?) in call order
    histories: list[Path] = field(default_factory=list)                 # the `sim` fixture's history.jsonl

    def describe(self, item: pytest.Item) -> str:
        lines = [f"seed: {self.seed}",
                 f"replay this test: pytest {shlex.quote(item.nodeid)} --sim-seed {self.seed}"]
        for name, state in self.topologies:
            lines.append(f"topology {name}: state in {state}")
        for path in self.histories:
            lines.append(f"sim history: {path}")
        for run, from_file in self.runs:
            lines.append(f"run {run.scenario}: verdict {run.verdict} (seed {run.seed}), run directory {run.run_dir}")
            # a scenario given as YAML text has no file to name: replay the copy the run directory keeps
            replay = run.replay if from_file else f"catsync-sim run {run.run_dir / 'scenario.yaml'} --seed {run.seed}"
            lines.append(f"  replay: {replay}")
            if run.error:
                lines.append(f"  error: {run.error}")
            lines.extend(f"  {c.get('verdict', '?')} {c.get('checker', '?')}: {c.get('summary', '')}"
                         for c in run.checks if c.get("verdict") != "valid")
        return "\n".join(lines)


_RECORD_KEY = pytest.StashKey[_Record]()


# -- options, markers, header ----------------------------------------------------------------------------------------

def _seed_arg(text: str) -> int:
    import argparse  # noqa: PLC0415

    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer: give a whole number, e.g. --sim-seed 42"
                                         ) from None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("catsync-sim", "catsync-sim simulation fixtures")
    group.addoption("--sim-seed", type=_seed_arg, default=None, metavar="N",
                    help=f"the seed of every sim_* fixture (default: ${SEED_ENV}, else {DEFAULT_SEED}); a failing "
                         "test's report prints the seed it ran with")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sim_topology(source): the topology the sim_topology / sim fixtures start — a built-in name "
                   f"(default {DEFAULT_TOPOLOGY}), a YAML file (relative to the test file) or a dict")
    config.stash[_SEED_KEY] = _resolve_seed(config.getoption("sim_seed"), os.environ.get(SEED_ENV))


def _resolve_seed(option: int | None, env: str | None) -> int:
    if option is not None:
        return option
    if env is not None and env.strip():
        try:
            return int(env.strip())
        except ValueError:
            raise pytest.UsageError(f"{SEED_ENV}={env!r} is not an integer: set it to a whole number or unset it"
                                    ) from None
    return DEFAULT_SEED


def pytest_report_header(config: pytest.Config) -> str:
    return f"catsync-sim: seed {config.stash[_SEED_KEY]} (--sim-seed / ${SEED_ENV})"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    record = item.stash.get(_RECORD_KEY, None)
    if record is not None and report.failed:
        report.sections.append((SECTION, record.describe(item)))
    return report


def _record(request: pytest.FixtureRequest) -> _Record:
    node = request.node
    if _RECORD_KEY not in node.stash:
        node.stash[_RECORD_KEY] = _Record(request.config.stash[_SEED_KEY])
    return node.stash[_RECORD_KEY]


def _near_test(request: pytest.FixtureRequest, source: Any) -> Any:
    """A relative file name is looked up beside the test file first, then in the working directory."""
    if isinstance(source, (str, Path)) and "\n" not in str(source) and Path(source).suffix in (".yaml", ".yml", ".py"):
        candidate = Path(request.node.path).parent / source
        if not Path(source).is_absolute() and candidate.is_file():
            return candidate
    return source


# -- fixtures --------------------------------------------------------------------------------------------------------

@pytest.fixture
def sim_seed(request: pytest.FixtureRequest) -> int:
    """The seed of this session's sim fixtures: `--sim-seed N`, else `$CATSYNC_SIM_SEED`, else 1.

    It seeds `sim_topology` (link loss draws, process names), `sim` (its workload) and every `sim_run` that is
    not given a seed, so one number replays a failing test; its report prints it."""
    return _record(request).seed


@pytest.fixture
def sim_topology(request: pytest.FixtureRequest, sim_seed: int, tmp_path: Path) -> Iterator["Topology"]:
    """A started topology (`harness.launcher.Topology`), closed after the test even when it fails.

    Default: the built-in `minimal` DR pair (E501NEW on \\INSIDX exporting to YINE500 on \\ETINIUM). Choose
    another with the marker `@pytest.mark.sim_topology("e501-sample")` (a built-in name, a YAML file relative to
    the test file, or a dict) on the test, its class or its module, or parametrise indirectly:
    `@pytest.mark.parametrize("sim_topology", ["minimal", "e501-sample"], indirect=True)`.
    Seeded with `sim_seed`; its state lives in `tmp_path/sim-topology` and every server binds port 0."""
    from harness.launcher import start_topology  # noqa: PLC0415 - grpc loads only when a test asks for it
    from harness.topology import load_topology  # noqa: PLC0415

    marker = request.node.get_closest_marker("sim_topology")
    param = getattr(request, "param", None)
    if marker is not None and (len(marker.args) != 1 or marker.kwargs):
        pytest.fail(f"@pytest.mark.sim_topology takes one argument, the topology (got args {marker.args!r}, "
                    f"kwargs {marker.kwargs!r}): write @pytest.mark.sim_topology(\"minimal\")", pytrace=False)
    if marker is not None and param is not None:
        pytest.fail("sim_topology is both parametrised and marked: keep one of the two", pytrace=False)
    source = param if param is not None else marker.args[0] if marker is not None else DEFAULT_TOPOLOGY
    spec = load_topology(_near_test(request, source))
    state = tmp_path / "sim-topology"
    _record(request).topologies.append((spec.name, state))
    topo = start_topology(spec, state_dir=state, seed=sim_seed)
    try:
        yield topo
    finally:
        topo.close()


@pytest.fixture
def sim_run(request: pytest.FixtureRequest, sim_seed: int, tmp_path: Path) -> Callable[..., "RunResult"]:
    """Run a scenario end to end: `sim_run(scenario, *, seed=None, launcher="inprocess", keep_state=False)`.

    `scenario` is a built-in name (`"smoke"`), a `.yaml` / `.py` file (relative to the test file), YAML text or
    a `harness.scenario.Scenario`. The run starts its own topology (the scenario's), uses `sim_seed` unless given
    a seed, writes its run directory under `tmp_path/sim-runs/` and returns a `harness.runner.RunResult`
    (`.ok`, `.verdict`, `.checks`, `.seed`, `.replay`, `.run_dir`). It does not assert: write
    `assert result.ok, result.replay`. A failing test's report lists every run with its replay command."""
    record = _record(request)

    def run(scenario: Any, *, seed: int | None = None, launcher: str = "inprocess",
            keep_state: bool = False) -> "RunResult":
        from harness.runner import Progress, run_scenario  # noqa: PLC0415
        from harness.scenario import load_scenario  # noqa: PLC0415

        loaded = load_scenario(_near_test(request, scenario))
        chosen = sim_seed if seed is None else seed
        base = tmp_path / "sim-runs" / f"{loaded.name}-seed{chosen}"
        out, n = base, 1
        while out.exists():
            n += 1
            out = base.with_name(f"{base.name}-{n}")
        # one line per step on stderr: pytest captures it and shows it only when the test fails
        result = run_scenario(loaded, seed=chosen, launcher=launcher, out=out, keep_state=keep_state,
                              progress=Progress(sys.stderr, live=False))
        record.runs.append((result, Path(loaded.origin).is_file()))
        return result
    return run


@pytest.fixture
def sim(request: pytest.FixtureRequest, sim_topology: "Topology", sim_seed: int, tmp_path: Path) -> Iterator["Sim"]:
    """A `harness.sim.Sim` driving `sim_topology` with the scenario verbs (`sim.backup(3)`, `sim.fail("link-down")`,
    `sim.advance("1h")`, `sim.import_("UPDATE")`, `sim.check()`, `sim.expect(...)`), seeded with `sim_seed`.

    Its history goes to `tmp_path/sim/history.jsonl` and its dumps to `tmp_path/sim/dumps/`; faults still active
    at the end of the test are healed before the topology closes. It does not run the end sequence of a scenario
    (heal, settle, final export / import, check): call the verbs, or use `sim_run` for a whole run."""
    from harness.history import History  # noqa: PLC0415
    from harness.sim import Sim  # noqa: PLC0415
    from harness.workload import Workload  # noqa: PLC0415

    folder = tmp_path / "sim"
    (folder / "dumps").mkdir(parents=True)
    sink = folder / "history.jsonl"
    sink.write_text("")
    _record(request).histories.append(sink)
    history = History(sink=sink)
    driver = Sim(sim_topology, history, seed=sim_seed, workload=Workload(sim_seed, sim_topology.spec))

    def dump(name: str) -> None:
        (folder / "dumps" / f"{name}.json").write_text(driver.dump_json())

    def checkers(name: str, only: list[str] | None = None, **options: Any) -> list:
        import json  # noqa: PLC0415

        from harness.checkers import run_checkers  # noqa: PLC0415

        dumps = {p.stem: json.loads(p.read_text()) for p in sorted((folder / "dumps").glob("*.json"))}
        dumps["final"] = dumps[name]     # the checkers read the state `check` just dumped as the final one
        return run_checkers(list(history.events), dumps, rpo_limit_seconds=options.get("rpo"), only=only)

    driver.dump = dump
    driver.run_checkers = checkers
    yield driver
    if driver.nemesis.active:   # every fault heals; the topology's own teardown follows
        driver.heal("all")
