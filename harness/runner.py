"""Run a scenario: start its topology, play the steps, end the Jepsen way (heal everything → settle → the final
export / import → dump → check), and write the run directory (see `write_outputs`).

`run_scenario(...)` is the door for the CLI (`catsync-sim run`), the pytest plugin (`sim_run`) and the shrinker.
Its verdict is `valid`, `invalid` or `unknown`; the exit code is 0 / 1 / 2. A run that fails prints its seed and
the command that replays it.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, TextIO

from harness.errors import HarnessError, ScenarioError
from harness.history import History, digest
from harness.scenario import PROCEDURE_VERBS, Scenario, Step, load_scenario
from harness.sim import Sim
from harness.topology import load_topology

EXIT = {"valid": 0, "invalid": 1, "unknown": 2}
SETTLE_STEP = 3600          # seconds of virtual time per settle round
SETTLE_ROUNDS = 72          # three virtual days at most
REAL_SETTLE_STEP = 60       # on the real clock: a minute of virtual time per round


@dataclass
class RunResult:
    """What a run concluded, and where its files are."""

    scenario: str
    seed: int
    launcher: str
    verdict: str
    checks: list[dict[str, Any]]
    run_dir: Path
    history_digest: str
    replay: str
    events: int = 0
    error: str = ""
    wall_seconds: float = 0.0
    faults: list[dict[str, Any]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT.get(self.verdict, 2)

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"


def replay_command(scenario: Scenario, seed: int, launcher: str) -> str:
    from harness.scenario import builtin_scenarios  # noqa: PLC0415

    name = scenario.name if scenario.name in builtin_scenarios() and scenario.origin.endswith(
        tuple(str(p) for p in builtin_scenarios().values())) else scenario.origin
    extra = f" --launcher {launcher}" if launcher != "inprocess" else ""
    return f"catsync-sim run {name} --seed {seed}{extra}"


def run_scenario(source: str | Path | Scenario, *, seed: int | None = None, launcher: str = "inprocess",
                 out: Path | str | None = None, progress: "Progress | None" = None, keep_state: bool = False,
                 real_time: float | None = None, control: str | None = None,
                 attach: Callable[[Sim, Path], Any] | None = None) -> RunResult:
    """Run one scenario end to end and write its run directory; never raises for what the run found.
    `real_time` (virtual seconds per wall second) runs it on the real clock, as a demo does: `advance` waits.
    `launcher="remote"` runs it against the topology served at `control` (or $CATSYNC_SIM_CONTROL).
    `attach(sim, run_dir)` is called once the topology runs (the demo's web console); what it returns, if not
    None, has `hold(checks)` called after the checkers, while the topology still runs, and `close()` before the
    topology stops."""
    scenario = load_scenario(source)
    seed = scenario.seed if seed is None else seed
    spec = load_topology(scenario.topology_source())
    spec = replace(spec, seed=seed)
    if launcher == "remote" and real_time is not None:
        raise ScenarioError("real_time is for a topology the run starts; a remote topology runs on its own clock")
    if control is not None and launcher != "remote":
        raise ScenarioError("control is the address of a running topology: it goes with launcher='remote'")
    if real_time is not None:
        if real_time <= 0:
            raise ScenarioError(f"real_time {real_time} must be a positive rate (virtual seconds per wall second)")
        spec = replace(spec, clock_mode="real", clock_rate=float(real_time))
    if scenario.swarm is not None:   # the random schedule of this seed, as plain steps (replayable, shrinkable)
        from harness.swarm import swarm_steps  # noqa: PLC0415

        scenario = replace(scenario, steps=swarm_steps(seed, spec, scenario.swarm, scenario.origin) + scenario.steps,
                           swarm=None)
    run_dir = _run_dir(out, scenario, seed)
    if not Path(scenario.origin).is_file():   # YAML text or an expanded scenario: replay the copy kept here
        scenario = replace(scenario, origin=str((run_dir / "scenario.yaml").resolve()))
    replay = replay_command(scenario, seed, launcher)
    (run_dir / "dumps").mkdir(parents=True, exist_ok=True)
    (run_dir / "seed").write_text(f"{seed}\n")
    (run_dir / "topology.yaml").write_text(spec.source)
    (run_dir / "scenario.yaml").write_text(scenario.to_yaml())
    history = History(sink=run_dir / "history.jsonl")
    (run_dir / "history.jsonl").write_text("")
    if progress is not None:
        progress.begin(scenario, seed, launcher, _count_steps(scenario.steps))
        history.listeners.append(progress.event)
    started = time.monotonic()
    state_dir = run_dir / "state" if keep_state else Path(tempfile.mkdtemp(prefix="catsync-run-"))
    error, checks, sim = "", [], None
    topo = attached = None
    try:
        try:
            from harness.launcher import start_topology  # noqa: PLC0415

            if launcher == "remote":   # a topology someone serves: its own state and seed; the run's seed drives the rest
                from harness.launch_remote import attach_for_run  # noqa: PLC0415

                topo = attach_for_run(spec, control)
            else:
                kwargs = {"launcher": launcher} if launcher != "inprocess" else {}
                topo = start_topology(spec, state_dir=state_dir, seed=seed, **kwargs)
            sim = _make_sim(topo, history, seed, spec, run_dir, scenario)
            attached = attach(sim, run_dir) if attach is not None else None
            try:
                if scenario.python is not None:
                    scenario.python(sim)
                else:
                    for step in scenario.steps:
                        run_step(sim, step, progress)
            except ScenarioError as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 - the run must still heal, check and write what it saw
                error = f"{type(exc).__name__}: {exc}"
                (run_dir / "error.txt").write_text(traceback.format_exc())
            finally:
                _end(sim, scenario, progress)
            checks = _check(sim, scenario, run_dir)
            _collect_logs(topo, run_dir)
        except (HarnessError, Exception) as exc:  # noqa: BLE001 - topology start or the end sequence broke
            error = error or f"{type(exc).__name__}: {exc}"
            (run_dir / "error.txt").write_text(traceback.format_exc())
        verdict = _verdict(checks, error, sim)
        result = RunResult(scenario.name, seed, launcher, verdict, checks, run_dir, digest(history.events), replay,
                           len(history), error, round(time.monotonic() - started, 3),
                           sim.nemesis.log if sim is not None else [])
        write_outputs(result, scenario, spec, history)
        if progress is not None:
            progress.end(result)
        if attached is not None:
            # the run is written; what is done while it is held open (a demo's web console) is not part of it
            history.sink = run_dir / "console-history.jsonl"
            attached.hold(checks)
        return result
    finally:
        if attached is not None:
            attached.close()
        if topo is not None:
            topo.close()
        if not keep_state:
            shutil.rmtree(state_dir, ignore_errors=True)


def _run_dir(out: Path | str | None, scenario: Scenario, seed: int) -> Path:
    if out is not None:
        path = Path(out)
        if path.exists() and any(path.iterdir()):
            raise HarnessError(f"run directory {path} is not empty: give a new --out, or remove it")
        path.mkdir(parents=True, exist_ok=True)
        return path
    base = Path("catsync-runs") / f"{scenario.name}-seed{seed}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    path.mkdir(parents=True)
    return path


def _make_sim(topo: Any, history: History, seed: int, spec: Any, run_dir: Path, scenario: Scenario) -> Sim:
    from harness.workload import Workload  # noqa: PLC0415

    sim = Sim(topo, history, seed=seed, workload=Workload(seed, spec))

    def dump(name: str) -> None:
        (run_dir / "dumps" / f"{name}.json").write_text(sim.dump_json())

    def checkers(name: str, only: list[str] | None = None, **options: Any) -> list:
        from harness.checkers import run_checkers  # noqa: PLC0415

        dumps = _load_dumps(run_dir, final=name)
        rpo = options.get("rpo", scenario.check.get("rpo"))
        return run_checkers(list(history.events), dumps, rpo_limit_seconds=rpo, only=only)
    sim.dump = dump
    sim.run_checkers = checkers
    return sim


def _load_dumps(run_dir: Path, *, final: str = "final") -> dict[str, dict]:
    dumps = {}
    for path in sorted((run_dir / "dumps").glob("*.json")):
        dumps[path.stem] = json.loads(path.read_text())
    if final != "final" and final in dumps:
        dumps["final"] = dumps[final]
    return dumps


def _count_steps(steps: tuple[Step, ...]) -> int:
    return sum(s.args["times"] * _count_steps(s.args["steps"]) if s.verb == "repeat" else 1 for s in steps)


def run_step(sim: Sim, step: Step, progress: "Progress | None" = None) -> None:
    """Play one step (a `repeat` plays its steps `times` times); a bad argument names the step's line."""
    if step.verb == "repeat":
        for _ in range(step.args["times"]):
            for inner in step.args["steps"]:
                run_step(sim, inner, progress)
        return
    if progress is not None:
        progress.step(step)
    try:
        _dispatch(sim, step.verb, step.args)
    except ScenarioError as exc:
        raise ScenarioError(f"{step.where()}: {exc}") from None


def _dispatch(sim: Sim, verb: str, args: Any) -> None:
    kw = dict(args) if isinstance(args, dict) else {}
    if verb == "backup":
        sim.backup(**(kw if isinstance(args, dict) else {"count": args}))
    elif verb == "advance":
        if isinstance(args, dict) and "until" in args:
            sim.advance(until=args["until"])
        else:
            sim.advance(kw.get("by") if isinstance(args, dict) else args)
    elif verb in ("export", "import"):
        if isinstance(args, str):
            kw = {"type": args}
        call = sim.export if verb == "export" else sim.import_
        call(**kw)
    elif verb == "macro":
        sim.macro(**(kw if isinstance(args, dict) else {"text": args}))
    elif verb == "mediacom":
        sim.mediacom(**(kw if isinstance(args, dict) else {"command": args}))
    elif verb == "fail":
        if isinstance(args, str):
            sim.fail(args)
        else:
            kind = kw.pop("fault")
            sim.fail(kind, **kw)
    elif verb == "heal":
        sim.heal(args or "all")
    elif verb == "restore_check":
        sim.restore_check(**kw)
    elif verb == "check":
        sim.check(kw.pop("checkers", None), **kw)
    elif verb == "expect":
        sim.expect(**kw)
    elif verb == "say":
        sim.say(str(args))
    elif verb == "show":
        sim.show(**kw)
    elif verb in PROCEDURE_VERBS:
        sim.procedure(verb, kw)
    elif verb == "configure":
        sim.configure(**kw)
    elif verb == "delete_volume":
        sim.delete_volume(**(kw if isinstance(args, dict) else {"label": args}))
    elif verb == "job":
        sim.job(**kw)
    else:
        raise ScenarioError(f"unknown verb {verb!r}")


def _end(sim: Sim | None, scenario: Scenario, progress: "Progress | None") -> None:
    """Heal everything → settle → the scenario's final export / import → the final dump."""
    if sim is None:
        return
    if progress is not None:
        progress.phase("heal, settle, final export / import, check")
    if sim.nemesis.active:
        sim.heal("all")
    # on the real clock an advance is a wait: settle in short steps, ending as soon as nothing moves on its own
    step, rounds = (REAL_SETTLE_STEP, SETTLE_ROUNDS * SETTLE_STEP // REAL_SETTLE_STEP) if sim.real_time else \
        (SETTLE_STEP, SETTLE_ROUNDS)
    for _ in range(rounds):
        sim.advance(0)
        if not sim.pending_work() and not sim.running_processes():
            break
        sim.advance(step)
    for pd, ps, sd, ss in sim.roles.pairs:
        if scenario.final.get("export"):
            sim.export(scenario.final["export"], data_store=ps, domain=pd)
        if scenario.final.get("import"):
            sim.import_(scenario.final["import"], data_store=ss, domain=sd)
    sim.observe()
    sim.dump("final")


def _check(sim: Sim | None, scenario: Scenario, run_dir: Path) -> list[dict[str, Any]]:
    if sim is None:
        return []
    from harness.checkers import run_checkers  # noqa: PLC0415

    dumps = _load_dumps(run_dir)
    results = [r.to_dict() for r in run_checkers(list(sim.history.events), dumps,
                                                 rpo_limit_seconds=scenario.check.get("rpo"),
                                                 only=scenario.check.get("checkers"))]
    expects = [e for e in sim.history.events if e.f == "expect" and e.type != "invoke"]
    if expects:
        failed = [e for e in expects if e.type != "ok"]
        results.append({"checker": "expectations", "verdict": "invalid" if failed else "valid",
                        "summary": f"{len(expects) - len(failed)} of {len(expects)} expectations held"
                                   + (f"; first failure: {failed[0].error}" if failed else ""),
                        "evidence": [{"index": e.index, "error": e.error} for e in failed]})
    checks = [e for e in sim.history.events if e.f == "check" and e.type != "invoke" and e.process == "harness"]
    if checks:
        failed = [e for e in checks if e.type != "ok" and not _claimed(sim.history.events, e, "check")]
        results.append({"checker": "checks", "verdict": "invalid" if failed else "valid",
                        "summary": f"{len(checks) - len(failed)} of {len(checks)} mid-run checks passed or were"
                                   " expected to fail" + (f"; first failure: {failed[0].error}" if failed else ""),
                        "evidence": [{"index": e.index, "error": e.error} for e in failed]})
    procs = [e for e in sim.history.events if e.f in PROCEDURE_VERBS and e.type != "invoke" and e.process == "harness"]
    if procs:
        failed = [e for e in procs if e.type != "ok" and not _claimed(sim.history.events, e, e.f)]
        results.append({"checker": "procedures", "verdict": "invalid" if failed else "valid",
                        "summary": f"{len(procs) - len(failed)} of {len(procs)} procedures completed or stopped where"
                                   " expected" + (f"; first failure: {failed[0].error}" if failed else ""),
                        "evidence": [{"index": e.index, "error": e.error,
                                      "steps": (e.value or {}).get("steps", [])} for e in failed]})
    return results


def _claimed(events: list[Any], done: Any, f: str) -> bool:
    """A failed `check` step or procedure is what the scenario wanted when the next harness step of the same level
    expects it: `expect: {last: check, type: fail}`. (A procedure's own steps and operations come before its
    completion, so the next invoke after the completion is the scenario's next step.)"""
    for e in events[done.index + 1:]:
        if e.process != "harness" or e.type != "invoke":
            continue
        value = e.value if isinstance(e.value, dict) else {}
        return e.f == "expect" and value.get("last") == f and value.get("type") == "fail"
    return False


def _verdict(checks: list[dict[str, Any]], error: str, sim: Sim | None) -> str:
    if error or sim is None:
        return "unknown"
    verdicts = {c["verdict"] for c in checks}
    if "invalid" in verdicts:
        return "invalid"
    if "unknown" in verdicts or not checks:
        return "unknown"
    return "valid"


def _collect_logs(topo: Any, run_dir: Path) -> None:
    """The reports and EMS logs of every node, as an operator would print them."""
    from emulator import rpc  # noqa: PLC0415
    from emulator.v1 import guardian_pb2  # noqa: PLC0415

    for node in sorted(n.name for n in topo.spec.nodes):
        safe = node.lstrip("\\")
        try:
            events = topo.guardian(node).ReadEvents(guardian_pb2.ReadEventsRequest(), timeout=rpc.DEFAULT_DEADLINE)
            reports = topo.guardian(node).ListReports(guardian_pb2.ListReportsRequest(),
                                                      timeout=rpc.DEFAULT_DEADLINE).reports
        except Exception:  # noqa: BLE001 - a node still down at the end: its logs are in its dump
            continue
        (run_dir / "ems").mkdir(exist_ok=True)
        (run_dir / "ems" / f"{safe}.log").write_text("".join(f"{_ems_line(e)}\n" for e in events.events))
        for info in reports:
            full = topo.guardian(node).ReadReport(guardian_pb2.ReadReportRequest(
                location=info.location, report_id=info.report_id), timeout=rpc.DEFAULT_DEADLINE).report
            folder = run_dir / "reports" / safe
            folder.mkdir(parents=True, exist_ok=True)
            where = info.location.replace("$", "").replace("#", "").replace(".", "-")
            name = f"{info.report_id:04d}-{where}-{info.process.rsplit('.', 1)[-1].lstrip('$')}.txt"
            (folder / name).write_text("\n".join(full.lines) + "\n")


def _ems_line(event: Any) -> str:
    from datetime import timezone  # noqa: PLC0415

    when = event.gen_time.ToDatetime(timezone.utc).strftime("%Y-%m-%d %H:%M:%S") if event.HasField("gen_time") \
        else ""
    process = event.process if event.process.startswith("\\") else f"{event.node}.{event.process}"
    return f"{when}Z {process} {event.text}"


def write_outputs(result: RunResult, scenario: Scenario, spec: Any, history: History) -> None:
    """results.json, junit.xml and timeline.html (history.jsonl was written as the run went)."""
    from harness.junit import write_junit  # noqa: PLC0415
    from harness.timeline import write_timeline  # noqa: PLC0415

    run_dir = result.run_dir
    results = {
        "scenario": result.scenario, "description": scenario.description, "topology": spec.name,
        "seed": result.seed, "launcher": result.launcher, "verdict": result.verdict, "checks": result.checks,
        "history_digest": result.history_digest, "replay": result.replay, "events": result.events,
        "error": result.error, "wall_seconds": result.wall_seconds, "faults": result.faults,
        "virtual_start": history.events[0].time if history.events else "",
        "virtual_end": history.events[-1].time if history.events else "",
    }
    (run_dir / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True, default=str) + "\n")
    write_junit(run_dir / "junit.xml", results, list(history.events))
    write_timeline(run_dir / "timeline.html", list(history.events), results,
                   title=f"{result.scenario} (seed {result.seed})")


class Progress:
    """A live status line on a terminal (one line per step elsewhere): step n/N, the verb, the virtual time,
    the active faults."""

    def __init__(self, out: TextIO | None = None, *, live: bool | None = None):
        self.out = out or sys.stderr
        self.live = self.out.isatty() if live is None else live
        self.total = 0
        self.done = 0
        self.current = ""
        self.time = ""
        self.faults: dict[str, str] = {}

    def begin(self, scenario: Scenario, seed: int, launcher: str, total: int) -> None:
        self.total = total
        self._print(f"running {scenario.name} (seed {seed}, launcher {launcher}, {total} steps)", final=True)

    def step(self, step: Step) -> None:
        self.done += 1
        arg = step.args if not isinstance(step.args, dict) else ", ".join(f"{k}={v}" for k, v in step.args.items())
        self.current = f"{step.verb} {arg if arg is not None else ''}".strip()[:60]
        self._status()

    def phase(self, text: str) -> None:
        self.current = text
        self._status()

    def event(self, event: Any) -> None:
        self.time = event.time[:19].replace("T", " ") if event.time else self.time
        if event.f == "fail" and event.type == "ok" and isinstance(event.value, dict):
            self.faults[event.value.get("id", "?")] = event.value.get("fault", "?")
        elif event.f == "heal" and event.type == "ok" and isinstance(event.value, dict):
            self.faults.pop(event.value.get("id", "?"), None)
        if event.type in ("fail", "info") and event.process == "harness":
            self._print(f"  ! {event.f} {event.type}: {event.error[:100]}", final=True)
        elif self.live:
            self._status()

    def end(self, result: RunResult) -> None:
        self._print("", final=True) if self.live else None
        for check in result.checks:
            self._print(f"  {check['verdict']:<8} {check['checker']:<18} {check['summary']}", final=True)
        self._print(f"{result.verdict.upper()}: {result.scenario} seed {result.seed} — {result.events} events,"
                    f" {result.wall_seconds:.1f} s; run directory {result.run_dir}", final=True)
        if result.error:
            self._print(f"error: {result.error}", final=True)
        if result.verdict != "valid":
            self._print(f"replay: {result.replay}", final=True)

    def _status(self) -> None:
        faults = ", ".join(f"{k} {v}" for k, v in self.faults.items()) or "none"
        line = f"[{self.done:>3}/{self.total}] {self.current:<40} | {self.time or '-'}Z | faults: {faults}"
        self._print(line, final=not self.live)

    def _print(self, text: str, *, final: bool) -> None:
        if self.live and not final:
            self.out.write("\r\x1b[2K" + text[:160])
        else:
            self.out.write(("\r\x1b[2K" if self.live else "") + text + "\n")
        self.out.flush()


def check_determinism(source: str | Path | Scenario, *, seed: int | None = None, launcher: str = "inprocess",
                      out: Path | str | None = None, progress: Progress | None = None
                      ) -> tuple[RunResult, RunResult, str]:
    """Run twice with one seed; return both results and the first differing canonical history line ("" when
    the histories are byte-identical)."""
    from harness.history import read_history  # noqa: PLC0415

    base = Path(out) if out is not None else None
    first = run_scenario(source, seed=seed, launcher=launcher, out=base / "run-1" if base else None,
                         progress=progress)
    second = run_scenario(source, seed=seed, launcher=launcher, out=base / "run-2" if base else None,
                          progress=progress)
    a = [e.to_json(canonical=True) for e in read_history(first.run_dir / "history.jsonl")]
    b = [e.to_json(canonical=True) for e in read_history(second.run_dir / "history.jsonl")]
    diff = ""
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            diff = f"event {i} differs:\n  run 1: {x}\n  run 2: {y}"
            break
    else:
        if len(a) != len(b):
            diff = f"run 1 has {len(a)} events, run 2 has {len(b)}"
    return first, second, diff



