"""Fault coverage of the scenario library: which fault kinds were active during which phase of the DR cycle, and
in which scenarios (`catsync-sim coverage`).

The library (every built-in scenario, or the ones named) runs with the in-process launcher, each with its own seed
unless one is given; each run's history (harness.history) is then read, nothing else, so the matrix is a
function of the histories and one seed gives one matrix.

Definitions, all on positions in the history (event indices), because many events share one virtual instant:

- A fault is **active** from its `fail` ok event (nemesis process) to the `heal` ok event of the same id, or to
  the end of the history when no heal succeeded. A `fail` whose completion is `fail` / `info` (nothing to hit, a
  refused start) was never active. The swarm's faults are ordinary `fail` / `heal` steps and count the same way.
- An **operation window** is the span of one operation: from its `invoke` to its completion (to the end of the
  history when it has none). A process the harness observed without asking (`auto-export`, `auto-import`: the
  automatic exports, the EMS extractor's retries, NetBatch jobs) is one event at index `i`; its window starts at
  the last harness or nemesis event before `i` whose virtual time is not later than the process's `started`
  time, and ends at `i`. (Among events of the same virtual instant the latest is taken: a fault healed at the
  very instant such a process started is not counted.)
- A fault **exercises** a phase when it is active at some point of a window of that phase: with the fault's
  `fail` ok at index `s` and its `heal` ok at `e`, and a window `[a, b]`, when `s < b` and `e > a`. A fault
  healed before the operation was invoked does not count; one started while it ran (inside a procedure step,
  during an `advance` that fires an extractor retry) does.

The phases and their windows:

- **backup**: `backup` operations (top level and inside procedures).
- **export**: `export` operations, `macro` operations whose TACL text calls BB026_EXPORT_CATALOG, and the
  `auto-export` events (automatic exports after backups, extractor retries, NetBatch BB026 jobs).
- **transfer**: the export windows again, counting only the faults that lie on the way from the exporting node
  to the staging area: a link fault on the EXPAND link between the export's node and a staging node, a
  `node-crash` of a staging node that is not the export's own node, and the staging faults (`staging-truncate`,
  `-corrupt`, `-delete`, `-foreign`, `staging-disk-full`) on a staging node. The staging nodes are those of the
  topology's export destinations plus every `export_destination` a `configure` operation set (a role swap
  reverses the direction). So transfer is a subset of export.
- **import**: `import` operations, `macro` operations calling BB027_IMPORT_CATALOG, and `auto-import` events.
- **restore**: `restore_check` operations (top level and inside procedure steps), and the procedure steps whose
  title speaks of a restore but that made no `restore_check` of their own.
- **role swap**: every step of a DR procedure: the `NAME.N` operations of each procedure in
  `harness.procedures.PROCEDURES` (`role_swap.4`, `unplanned_failover.2`, ...).

The matrix has a row for every kind in `harness.nemesis.FAULTS`, exercised or not; a cell holds the scenarios in
which the pair was exercised. The transfer cells of the kinds that can never lie on the way to the staging area
(storage, key replication, process kills, the EMS extractor, clocks) are not applicable: they are marked so and
are not listed as uncovered.
"""

from __future__ import annotations

import shutil
import tempfile
import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Sequence, TextIO

from harness.errors import HarnessError, ScenarioError
from harness.history import HARNESS, INVOKE, NEMESIS, OK, Event, pairs
from harness.procedures import PROCEDURES
from harness.runner import Progress, RunResult

PHASES = ("backup", "export", "transfer", "import", "restore", "role swap")
OBSERVED = {"auto-export": "export", "auto-import": "import"}      # harness.sim.Sim.observe
STAGING_FAULTS = frozenset({"staging-truncate", "staging-corrupt", "staging-delete", "staging-foreign",
                            "staging-disk-full"})
NONE_MARK = "·"
NA_MARK = "–"
LEGEND = (
    "A cell counts the scenarios in which the fault was active while an operation of the phase ran or started"
    f" ({NONE_MARK}: none). backup: backup jobs. export: export runs (UI, macro, automatic, the EMS extractor's"
    " retries, NetBatch). transfer: an export while the fault lies on its way to the staging area (the Expand link"
    " to it, the staging node, the staging files or disk). import: import runs. restore: restore checks, and"
    " procedure steps that restore. role swap: the steps of any DR procedure (role_swap and the others of"
    f" harness.procedures). {NA_MARK}: no fault of this kind lies on the way to the staging area, so it cannot"
    " count for transfer.")


@dataclass(frozen=True)
class FaultSpan:
    """One fault while it was active: from its `fail` ok event to its `heal` ok event (history indices)."""

    kind: str
    id: str
    start: int
    end: int
    target: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Window:
    """One operation of a phase, as a span of history indices; `node` is where it ran."""

    phase: str
    f: str
    start: int
    end: int
    node: str = ""


def fault_spans(events: Sequence[Event]) -> list[FaultSpan]:
    """Every fault that was active, in the order it started (a missed or refused start is none)."""
    open_: dict[str, tuple[int, str, dict[str, Any]]] = {}
    spans: list[FaultSpan] = []
    for e in events:
        if e.process != NEMESIS or e.type != OK or not isinstance(e.value, dict):
            continue
        fid = str(e.value.get("id", ""))
        if e.f == "fail":
            open_[fid] = (e.index, str(e.value.get("fault", "")), dict(e.value.get("target") or {}))
        elif e.f == "heal" and fid in open_:
            start, kind, target = open_.pop(fid)
            spans.append(FaultSpan(kind, fid, start, e.index, target))
    end = len(events)
    spans += [FaultSpan(kind, fid, start, end, target) for fid, (start, kind, target) in open_.items()]
    return sorted(spans, key=lambda s: s.start)


def phase_windows(events: Sequence[Event]) -> list[Window]:
    """The windows of every phase's operations (see the module docstring), in history order."""
    end = len(events)
    windows: list[Window] = []
    steps: list[tuple[Event, int, str]] = []      # procedure steps: invoke, end, title
    restores: list[int] = []                      # the invoke indices of restore_check operations
    for invoked, done in pairs(events):
        if invoked.type != INVOKE or invoked.process != HARNESS:
            continue
        stop = done.index if done is not None else end
        value = invoked.value if isinstance(invoked.value, dict) else {}
        phases: list[str] = []
        if invoked.f in ("backup", "export", "import"):
            phases = [invoked.f]
        elif invoked.f == "restore_check":
            phases = ["restore"]
            restores.append(invoked.index)
        elif invoked.f == "macro":
            text = str(value.get("text", "")).upper()
            phases = [p for p, call in (("export", "BB026_EXPORT_CATALOG"), ("import", "BB027_IMPORT_CATALOG"))
                      if call in text]
        elif invoked.f.partition(".")[0] in PROCEDURES and invoked.f.partition(".")[2]:
            phases = ["role swap"]
            steps.append((invoked, stop, str(value.get("title", ""))))
        for phase in phases:
            windows.append(Window(phase, invoked.f, invoked.index, stop, invoked.node))
    for e in events:
        if e.f in OBSERVED and e.type != INVOKE and e.process not in (HARNESS, NEMESIS):
            windows.append(Window(OBSERVED[e.f], e.f, _observed_start(events, e), e.index, e.node))
    for invoked, stop, title in steps:    # a procedure that restores through another door than restore_check
        if "restor" in title.lower() and not any(invoked.index < r < stop for r in restores):
            windows.append(Window("restore", invoked.f, invoked.index, stop, invoked.node))
    windows += [Window("transfer", w.f, w.start, w.end, w.node) for w in windows if w.phase == "export"]
    return sorted(windows, key=lambda w: (w.start, w.end, PHASES.index(w.phase)))


def _observed_start(events: Sequence[Event], event: Event) -> int:
    """Where an observed process's window starts: the last harness / nemesis event before it whose virtual time is
    not later than the process's start (its own index when it started after all of them, or the time is unknown)."""
    started = _when((event.value or {}).get("started", "") if isinstance(event.value, dict) else "")
    if started is None:
        return event.index
    for e in reversed(events[: event.index]):
        if e.process in (HARNESS, NEMESIS):
            t = _when(e.time)
            if t is not None and t <= started:
                return e.index
    return 0


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def staging_nodes(events: Sequence[Event], spec: Any = None) -> frozenset[str]:
    """The nodes of the staging areas: the topology's export destinations and those a `configure` set since."""
    nodes: set[str] = set()
    bbx = getattr(spec, "backbox", None)
    for domain in (bbx.domains if bbx else ()):
        for ds in domain.data_stores:
            destination = ds.store.export_config.export_destination
            if destination:
                nodes.add(_node_of(destination, domain.manager))
    for e in events:
        if e.f == "configure" and e.type == INVOKE and isinstance(e.value, dict):
            destination = (e.value.get("export_config") or {}).get("export_destination") \
                if isinstance(e.value.get("export_config"), dict) else ""
            if destination:
                nodes.add(_node_of(str(destination), e.node))
    return frozenset(n for n in nodes if n)


def _node_of(name: str, default: str) -> str:
    return name.split(".", 1)[0].upper() if name.startswith("\\") else default.upper()


def can_hit_transfer(kind: str) -> bool:
    """Whether a fault kind can lie on the way to the staging area at all (the other kinds' transfer cells are
    not applicable, not uncovered)."""
    return kind.startswith("link-") or kind == "node-crash" or kind in STAGING_FAULTS


def on_transfer_path(span: FaultSpan, export_node: str, staging: frozenset[str]) -> bool:
    """Whether the fault lies on the way from `export_node` to a staging area (see the module docstring); with
    no staging node known, any EXPAND link of the export's node, any other node and any staging fault count."""
    node = export_node.upper()
    if span.kind.startswith("link-"):
        kind, _, ends = str(span.target.get("link", "")).partition(":")
        if kind.upper() != "EXPAND":
            return False
        a, sep, b = ends.partition("-\\")
        pair = {a.upper(), (sep[1:] + b).upper()}
        if not staging:
            return not node or node in pair
        return any(pair == {node, s} for s in staging if s != node) or (not node and bool(pair & staging))
    if span.kind == "node-crash":
        crashed = str(span.target.get("node", "")).upper()
        return crashed != node and (not staging or crashed in staging)
    if span.kind in STAGING_FAULTS:
        where = str(span.target.get("node") or str(span.target.get("file", "")).split(".", 1)[0]).upper()
        return not staging or where in staging
    return False


def exercised(events: Sequence[Event], *, spec: Any = None) -> dict[tuple[str, str], list[str]]:
    """(fault kind, phase) → the ids of the faults that exercised it in this history (`spec`: the run's topology,
    for its staging nodes)."""
    staging = staging_nodes(events, spec)
    found: dict[tuple[str, str], list[str]] = {}
    windows = phase_windows(events)
    for span in fault_spans(events):
        for w in windows:
            if not (span.start < w.end and span.end > w.start):
                continue
            if w.phase == "transfer" and not on_transfer_path(span, w.node, staging):
                continue
            ids = found.setdefault((span.kind, w.phase), [])
            if span.id not in ids:
                ids.append(span.id)
    return found


# -- the matrix of a library ------------------------------------------------------------------------------------------

@dataclass
class ScenarioCoverage:
    """What one run of one scenario exercised."""

    name: str
    seed: int
    verdict: str
    history_digest: str
    events: int
    faults: list[str]                                  # the kinds that were active at some time, sorted
    pairs: dict[tuple[str, str], list[str]]            # (kind, phase) → fault ids
    run_dir: Path | None = None
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"scenario": self.name, "seed": self.seed, "verdict": self.verdict,
                "history_digest": self.history_digest, "events": self.events, "faults": self.faults,
                "exercised": [{"fault": k, "phase": p, "ids": ids} for (k, p), ids in sorted(
                    self.pairs.items(), key=lambda item: _order(item[0]))], "error": self.error}


@dataclass
class Coverage:
    """The fault × phase matrix over a set of scenario runs."""

    runs: list[ScenarioCoverage]
    faults: tuple[str, ...] = ()
    phases: tuple[str, ...] = PHASES

    def __post_init__(self) -> None:
        if not self.faults:
            from harness.nemesis import FAULTS  # noqa: PLC0415

            self.faults = tuple(FAULTS)

    def cell(self, fault: str, phase: str) -> list[str]:
        """The scenarios that exercised the pair, in run order."""
        return [r.name for r in self.runs if (fault, phase) in r.pairs]

    def applies(self, fault: str, phase: str) -> bool:
        return phase != "transfer" or can_hit_transfer(fault)

    def uncovered(self) -> list[tuple[str, str]]:
        """The pairs no scenario exercised, leaving out those that cannot apply (a storage fault × transfer)."""
        return [(f, p) for f in self.faults for p in self.phases if self.applies(f, p) and not self.cell(f, p)]

    def mark(self, fault: str, phase: str) -> str:
        if not self.applies(fault, phase):
            return NA_MARK
        return str(len(self.cell(fault, phase)) or NONE_MARK)

    def not_valid(self) -> list[ScenarioCoverage]:
        return [r for r in self.runs if r.verdict != "valid"]

    def to_json(self) -> dict[str, Any]:
        return {"phases": list(self.phases), "faults": list(self.faults),
                "matrix": {f: {p: self.cell(f, p) for p in self.phases} for f in self.faults},
                "uncovered": [{"fault": f, "phase": p} for f, p in self.uncovered()],
                "not_applicable": [{"fault": f, "phase": p} for f in self.faults for p in self.phases
                                   if not self.applies(f, p)],
                "scenarios": [r.to_json() for r in self.runs]}

    def table(self) -> str:
        """The matrix for a terminal: counts right-aligned under each phase."""
        width = max(len("fault"), *(len(f) for f in self.faults))
        cols = [max(len(p), 3) for p in self.phases]
        lines = ["  ".join([f"{'fault':<{width}}", *(f"{p:>{w}}" for p, w in zip(self.phases, cols))]).rstrip()]
        for fault in self.faults:
            cells = [f"{self.mark(fault, p):>{w}}" for p, w in zip(self.phases, cols)]
            lines.append("  ".join([f"{fault:<{width}}", *cells]))
        return "\n".join(lines)

    def markdown(self) -> str:
        """A GitHub table for the README, with its legend."""
        lines = ["| fault | " + " | ".join(self.phases) + " |",
                 "|---|" + "---:|" * len(self.phases)]
        for fault in self.faults:
            cells = [self.mark(fault, p) for p in self.phases]
            lines.append(f"| `{fault}` | " + " | ".join(cells) + " |")
        names = ", ".join(f"`{r.name}`" for r in self.runs)
        legend = textwrap.wrap(f"{LEGEND} Scenarios ({len(self.runs)}): {names}.", width=118,
                               break_on_hyphens=False, break_long_words=False)
        lines += ["", *legend]
        return "\n".join(lines)

    def report(self, width: int = 100) -> str:
        """The terminal view: the table, the legend, who exercised what, what nobody exercises."""
        seeds = ", ".join(f"{r.name} {r.seed}" for r in self.runs)
        out = [f"fault coverage of {len(self.runs)} scenario runs", "", self.table(), ""]
        out += textwrap.wrap(LEGEND, width) + ["", "exercised by:"]
        for fault in self.faults:
            groups: dict[tuple[str, ...], list[str]] = {}
            for phase in self.phases:
                who = tuple(self.cell(fault, phase))
                if who:
                    groups.setdefault(who, []).append(phase)
            for who, phases in groups.items():
                out += textwrap.wrap(f"{fault} × {', '.join(phases)}: {', '.join(who)}", width,
                                     subsequent_indent="    ", break_on_hyphens=False)
        if not any(self.cell(f, p) for f in self.faults for p in self.phases):
            out.append("  (nothing)")
        missing = self.uncovered()
        possible = sum(self.applies(f, p) for f in self.faults for p in self.phases)
        out += ["", f"uncovered ({len(missing)} of {possible} fault × phase pairs that can apply):"]
        for fault in self.faults:
            phases = [p for f, p in missing if f == fault]
            if phases:
                every = [p for p in self.phases if self.applies(fault, p)]
                label = "every phase" if phases == every else ", ".join(phases)
                out.append(f"  {fault}: {label}")
        out += [""] + textwrap.wrap(f"seeds: {seeds}", width, subsequent_indent="    ", break_on_hyphens=False)
        for r in self.not_valid():
            out.append(f"note: {r.name} (seed {r.seed}) ended {r.verdict}"
                       + (f": {r.error}" if r.error else "") + "; its coverage is what its history holds")
        return "\n".join(out)


def _order(pair: tuple[str, str]) -> tuple[int, int]:
    from harness.nemesis import FAULTS  # noqa: PLC0415

    kinds = list(FAULTS)
    return (kinds.index(pair[0]) if pair[0] in kinds else len(kinds), PHASES.index(pair[1]))


class LibraryProgress(Progress):
    """The runner's status line, for a library: `[3/17] link-cut  step 5/9 backup ... | time | faults`, and one
    line per finished scenario."""

    def __init__(self, out: TextIO | None = None, *, count: int = 0, live: bool | None = None):
        super().__init__(out, live=live)
        self.count = count
        self.index = 0
        self.name = ""

    def begin(self, scenario: Any, seed: int, launcher: str, total: int) -> None:
        self.index += 1
        self.name, self.total, self.done, self.current, self.time, self.faults = scenario.name, total, 0, "", "", {}
        if self.live:
            self._status()

    def step(self, step: Any) -> None:
        self.done += 1
        self.current = step.verb
        if self.live:
            self._status()

    def phase(self, text: str) -> None:
        self.current = text[:40]
        if self.live:
            self._status()

    def event(self, event: Event) -> None:    # a failing operation is what a fault scenario is about: no line
        self.time = event.time[:19].replace("T", " ") if event.time else self.time
        if event.process == NEMESIS and event.type == OK and isinstance(event.value, dict):
            if event.f == "fail":
                self.faults[event.value.get("id", "?")] = event.value.get("fault", "?")
            elif event.f == "heal":
                self.faults.pop(event.value.get("id", "?"), None)

    def end(self, result: RunResult) -> None:
        self._print(f"[{self.index}/{self.count}] {result.scenario} seed {result.seed}: {result.verdict},"
                    f" {result.events} events, {result.wall_seconds:.1f} s", final=True)

    def _status(self) -> None:
        faults = ", ".join(self.faults.values()) or "none"
        self._print(f"[{self.index}/{self.count}] {self.name}  step {self.done}/{self.total} {self.current}"
                    f" | {self.time or '-'}Z | faults: {faults}", final=False)


def resolve(names: Iterable[str] | None) -> dict[str, Any]:
    """The scenarios to run, name → source: every built-in when `names` is empty, else each built-in name or
    scenario file given (in that order, once each); an unknown name is a ScenarioError listing the built-ins."""
    from harness.scenario import builtin_scenarios  # noqa: PLC0415

    builtins = builtin_scenarios()
    chosen: dict[str, Any] = {}
    for name in names or ():
        if name in builtins:
            chosen[name] = builtins[name]
        elif Path(name).suffix in (".yaml", ".yml", ".py") and Path(name).is_file():
            chosen[name] = Path(name)
        else:
            raise ScenarioError(f"no scenario named {name!r}: give a scenario file or one of {', '.join(builtins)}"
                                " (catsync-sim scenarios lists them)")
    return chosen or dict(builtins)


def measure(names: Iterable[str] | None = None, *, seed: int | None = None, out: Path | str | None = None,
            progress: Progress | None = None) -> Coverage:
    """Run the scenarios (all built-ins by default) in-process and build the matrix from their histories. Run
    directories go to `out/NAME` (a temporary folder, removed afterwards, when `out` is None)."""
    from harness.history import read_history  # noqa: PLC0415
    from harness.runner import run_scenario  # noqa: PLC0415
    from harness.scenario import builtin_scenarios, load_scenario  # noqa: PLC0415
    from harness.topology import load_topology  # noqa: PLC0415

    builtins = builtin_scenarios()
    sources = resolve(names)
    scenarios = {key: load_scenario(src) for key, src in sources.items()}   # every file checked before any run
    temporary = out is None
    base = Path(tempfile.mkdtemp(prefix="catsync-coverage-")) if temporary else Path(out)
    if isinstance(progress, LibraryProgress):
        progress.count = len(scenarios)
    labels: dict[str, str] = {}
    for i, (key, scenario) in enumerate(scenarios.items()):
        label = key if key in builtins else scenario.name
        labels[key] = label if label not in labels.values() else f"{label}-{i + 1}"
        folder = base / labels[key]
        if folder.is_dir() and any(folder.iterdir()):    # refused before anything runs, not after half the library
            raise HarnessError(f"run directory {folder} is not empty: give a new --out, or remove it")
    runs: list[ScenarioCoverage] = []
    try:
        for key, scenario in scenarios.items():
            label, folder = labels[key], base / labels[key]
            result = run_scenario(scenario, seed=seed, launcher="inprocess", out=folder, progress=progress)
            events = read_history(result.run_dir / "history.jsonl")
            spec = load_topology(scenario.topology_source())
            found = exercised(events, spec=spec)
            active = sorted({s.kind for s in fault_spans(events)})
            runs.append(ScenarioCoverage(label, result.seed, result.verdict, result.history_digest, result.events,
                                         active, found, None if temporary else result.run_dir, result.error))
    finally:
        if temporary:
            shutil.rmtree(base, ignore_errors=True)
    return Coverage(runs)
