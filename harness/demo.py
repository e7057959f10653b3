"""`catsync-sim demo`: a scenario told as a story, for a person watching (a trainer's DR drill).

The default story is `dr-drill` (harness/scenarios/dr-drill.yaml) on the E5.01 sample sites; any built-in scenario
or scenario file can be told the same way. The demo is an ordinary run (`harness.runner.run_scenario`, so it heals,
settles, runs the final export / import, checks and writes its run directory with timeline.html); what is its own
is `StoryView`, a `Progress` that turns the history into plain words as it arrives: the `say:` narration, each
operation and its outcome, the pages / EMS lines / reports / MEDIACOM output a `show:` step looks at (indented as
an operator sees them), faults starting and healing, and the virtual time at both sites.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from harness.errors import HarnessError
from harness.runner import Progress, RunResult, run_scenario
from harness.scenario import Scenario, Step, builtin_scenarios, load_scenario

STORY = "dr-drill"
PROMPT = "press Enter to go on"
WIDTH = 100
GUTTER = "      | "

_STYLES = {"say": "1;36", "fault": "1;31", "heal": "1;32", "ok": "32", "bad": "1;31", "dim": "2", "head": "1",
           "clock": "33", "show": "34"}
_SHOW_TITLES = {"export_status": "Export Status page of {target}", "import_status": "Import Status page of {target}",
                "ems": "EMS log of {target}", "report": "{kind} report of {target}",
                "mediacom": "{node} MEDIACOM> {target}"}
_BACKGROUND = {"auto-export": "export", "auto-import": "import"}


def stories() -> dict[str, Path]:
    """Name → file of every story `catsync-sim demo NAME` can tell: the DR drill first, then the other built-in
    scenarios."""
    builtins = builtin_scenarios()
    ordered = {STORY: builtins[STORY]} if STORY in builtins else {}
    ordered.update((name, path) for name, path in builtins.items() if name != STORY)
    return ordered


def list_stories(out: TextIO) -> None:
    """One line per story: its name, topology and description."""
    out.write("Stories for 'catsync-sim demo NAME' (default: dr-drill):\n")
    for name, path in stories().items():
        try:
            scenario = load_scenario(path)
        except HarnessError as exc:     # one broken file does not hide the other stories
            out.write(f"  {name:<12} {'?':<12} (does not load: {exc})\n")
            continue
        line = " ".join(scenario.description.split())
        out.write(f"  {name:<12} {scenario.topology:<12} {line}\n")
    out.flush()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds and seconds % 86400 == 0:
        return f"{seconds // 86400}d"
    parts = [(seconds // 3600, "h"), (seconds % 3600 // 60, "m"), (seconds % 60, "s")]
    return "".join(f"{n}{unit}" for n, unit in parts if n) or "0s"


def _procedure_of(f: str) -> tuple[str, str] | None:
    """(`role_swap`, "") for a procedure, (`role_swap`, "4") for one of its steps, None for anything else."""
    from harness.procedures import PROCEDURES  # noqa: PLC0415

    name, _, step = f.partition(".")
    return (name, step) if name in PROCEDURES else None


def _kib(n: Any) -> str:
    return f"{int(n) / 1024:.0f} KiB" if isinstance(n, (int, float)) else "?"


class StoryView(Progress):
    """Prints a run as a story: narration, operations in plain words, what the operator sees, faults, the clock;
    at the end the checkers' verdicts and where timeline.html is. With `pause`, waits for Enter after each step
    (EOF on `stdin` turns pausing off, so a demo piped from nothing never hangs)."""

    def __init__(self, out: TextIO | None = None, *, colour: bool | None = None, pause: bool = False,
                 stdin: TextIO | None = None, real_time: float | None = None,
                 node_offsets: dict[str, int] | None = None, run_dir: Path | None = None, run_dir_kind: str = ""):
        super().__init__(out or sys.stdout, live=False)
        self.colour = (_isatty(self.out) and not os.environ.get("NO_COLOR")) if colour is None else colour
        self.pause = pause
        self.stdin = stdin if stdin is not None else sys.stdin
        self.real_time = real_time
        self.node_offsets = node_offsets or {}
        self.run_dir, self.run_dir_kind = run_dir, run_dir_kind
        self.clock = ""                         # the virtual time (ISO, to the minute) last shown
        self.invoked: dict[str, Any] = {}       # f -> the arguments of its latest invoke (completions lack them)
        self._owe_pause = False
        self.width = min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns) - 2

    # -- the Progress hooks ----------------------------------------------------------------------------------------
    def begin(self, scenario: Scenario, seed: int, launcher: str, total: int) -> None:
        self.total = total
        self._line(self._c("head", f"catsync-sim demo: {scenario.name}") + f"  (seed {seed}, topology "
                   f"{scenario.topology}, {total} steps)")
        if scenario.description:
            self._wrap(" ".join(scenario.description.split()), "  ", "dim")
        clock = f"real clock, {self.real_time:g} virtual seconds per wall second" if self.real_time \
            else "virtual clock (it moves only when the story advances it)"
        self._line(f"  time: {clock}")
        if self.run_dir is not None:
            self._line(f"  run directory: {self.run_dir.resolve()} ({self.run_dir_kind or 'as given'})")
        if self.pause:
            self._line("  step by step: the story waits for Enter after each step (end of input: no more waiting)")

    def step(self, step: Step) -> None:
        self._pause()
        self.done += 1
        self._owe_pause = True

    def phase(self, text: str) -> None:
        self._pause()
        self._line("")
        if not text.startswith("heal, settle"):     # a phase this view does not know: its own words
            self._line(self._c("head", text))
            return
        self._line(self._c("head", "The run's end") + ": heal every fault, let pending work settle, the final export"
                   " / import, then the checkers compare both sites.")

    def event(self, event: Any) -> None:
        if event.type == "invoke":
            self.invoked[event.f] = event.value
            if _procedure_of(event.f):
                self._procedure_invoked(event)
            by = (event.value or {}).get("by_seconds") if isinstance(event.value, dict) else None
            if event.f == "advance" and self.real_time and by != 0:
                wait = f"{_duration(by)} of virtual time, {by / self.real_time:.1f} s on the wall clock" \
                    if by is not None else f"until {(event.value or {}).get('until')}"
                self._line(self._c("clock", f"  . waiting {wait} ..."))
            return
        background = event.time and self.clock and event.time[:16] < self.clock and event.process != "harness"
        if not background:
            self._clock(event.time)
        handler = getattr(self, f"_on_{event.f.replace('-', '_')}", None)
        if _procedure_of(event.f):
            self._procedure_done(event)
        elif handler is not None:
            handler(event, bool(background))
        else:
            self._generic(event)

    def end(self, result: RunResult) -> None:
        self._pause()
        self._line("")
        self._line(self._c("head", "Verdicts of the checkers"))
        for check in result.checks:
            style = {"valid": "ok", "invalid": "bad"}.get(check["verdict"], "clock")
            self._line(f"  {self._c(style, format(check['verdict'], '<8'))} {check['checker']:<18} {check['summary']}")
        verdict = result.verdict.upper()
        self._line("")
        self._line(self._c("ok" if result.ok else "bad", verdict) + f": {result.scenario} (seed {result.seed}),"
                   f" {result.events} history events, {result.wall_seconds:.1f} s")
        if result.error:
            self._line(self._c("bad", f"error: {result.error}"))
        run_dir = Path(result.run_dir).resolve()
        self._line(f"timeline: {run_dir / 'timeline.html'}")
        self._line(f"run directory: {run_dir}" + (f" ({self.run_dir_kind})" if self.run_dir_kind else ""))
        if not result.ok:
            self._line(f"replay: {result.replay.replace('catsync-sim run ', 'catsync-sim demo ', 1)}"
                       f"  (without the narration: {result.replay})")

    # -- pausing ---------------------------------------------------------------------------------------------------
    def _pause(self) -> None:
        if not (self.pause and self._owe_pause):
            return
        self._owe_pause = False
        self.out.write(self._c("dim", f"  -- {PROMPT} -- "))
        self.out.flush()
        line = self.stdin.readline()
        if not line:                     # end of input: go on without pausing
            self.pause = False
        if not line or not _isatty(self.stdin):   # a terminal echoed the Enter already
            self.out.write("\n")
            self.out.flush()

    # -- one handler per kind of event -----------------------------------------------------------------------------
    def _on_say(self, event: Any, background: bool) -> None:
        self._line("")
        self._wrap(str((event.value or {}).get("text", "")), "", "say")

    def _on_show(self, event: Any, background: bool) -> None:
        if event.type != "ok":
            return self._failed(event, "could not show")
        value = event.value or {}
        spec = self.invoked.get("show") or {}
        subject = value.get("subject", "")
        title = _SHOW_TITLES.get(subject, "{target}").format(
            target=value.get("target", ""), kind=str(spec.get("kind") or "the latest").capitalize(),
            node=spec.get("node") or "")
        if subject == "ems" and spec.get("last"):
            title += f", last {spec['last']}"
        self._line(self._c("show", f"    [{title}]"))
        for line in value.get("lines") or []:
            self._line(GUTTER + line)

    def _on_backup(self, event: Any, background: bool) -> None:
        if event.type != "ok":
            return self._failed(event, "backup")
        v, args = event.value or {}, self.invoked.get("backup") or {}
        labels = v.get("labels") or []
        where = f"volume{'s' if len(labels) > 1 else ''} {', '.join(labels)}" if labels else "no volume"
        files = v.get("disk_files") or 0
        extra = f", {files} DISKFILE{'s' if files > 1 else ''}" if files else ""
        extra += ", encrypted" if v.get("encrypted") else ""
        expires = str(v.get("expiration") or "")[:10] or "never"
        self._op(f"backup {v.get('file_id')} gen {v.get('generation')} on {v.get('node')}: {where} of"
                 f" {v.get('group')}, {_kib(args.get('data_bytes'))}{extra}, expires {expires}")

    def _on_auto_export(self, event: Any, background: bool) -> None:
        self._background(event, background)

    def _on_auto_import(self, event: Any, background: bool) -> None:
        self._background(event, background)

    def _background(self, event: Any, background: bool) -> None:
        """A process nobody in the story started by hand: an automatic export, an extractor retry, a NetBatch job."""
        v = event.value or {}
        param = {k.strip().upper(): rest.strip() for k, _, rest in
                 (p.strip().partition(" ") for p in str(v.get("param", "")).split(","))}
        trigger, what = param.get("TRIGGER", ""), _BACKGROUND.get(event.f, event.f)
        who = {"AUTOMATIC": f"automatic {what} (a volume was unloaded, R27)",
               "EXTRACTOR_RETRY": f"the EMS extractor {param.get('EXTRACTOR', '')} re-initiates the {what} (R28)",
               "NETBATCH": f"NetBatch starts the {what}"}.get(trigger, f"{what} ({trigger.lower() or 'background'})")
        code = v.get("completion_code")
        if code == 0:
            outcome = self._c("ok", "completed")
        elif code == 1:
            outcome = self._c("clock", "completed with warnings")
        else:
            text = f" {v['text']}" if v.get("text") else ""
            outcome = self._c("bad", f"FAILED (completion code {code}{text})")
        when = f"[{self._at(event.time, event.node)}] " if background else ""
        self._op(f"{when}{who}: {v.get('program', '')} {event.process} {outcome}")

    def _on_export(self, event: Any, background: bool) -> None:
        self._sync(event, "export")

    def _on_import(self, event: Any, background: bool) -> None:
        self._sync(event, "import")

    def _sync(self, event: Any, what: str) -> None:
        v, args = event.value or {}, self.invoked.get(what) or {}
        head = f"{what} {args.get('type', '')} of {args.get('data_store', '')} ({args.get('trigger', 'UI')})"
        if event.type == "ok":
            self._op(f"{head}: {v.get('process')} {self._c('ok', v.get('outcome', 'done'))}, {v.get('volumes', 0)}"
                     f" volumes, export id {v.get('export_id') or '-'}")
        else:
            self._failed(event, head)

    def _on_fail(self, event: Any, background: bool) -> None:
        v = event.value or {}
        if event.type != "ok":
            return self._failed(event, f"fault {v.get('fault')}")
        from harness.nemesis import FAULTS  # noqa: PLC0415

        cls = FAULTS.get(v.get("fault", ""))
        summary = cls.summary.replace("`", "") if cls is not None else ""
        target = ", ".join(f"{k} {t}" for k, t in (v.get("target") or {}).items())
        params = ", ".join(f"{k} {p}" for k, p in (v.get("params") or {}).items())
        self._op(self._c("fault", f"FAULT {v.get('id')} starts: {v.get('fault')}") + f" - {summary}"
                 + (f" ({target})" if target else "") + (f" [{params}]" if params else ""), mark="!")

    def _on_heal(self, event: Any, background: bool) -> None:
        v = event.value or {}
        if event.type != "ok":
            return self._failed(event, f"heal {v.get('id')}")
        self._op(self._c("heal", f"FAULT {v.get('id')} healed: {v.get('fault')}") + " - back to normal", mark="+")

    def _on_advance(self, event: Any, background: bool) -> None:
        if event.type != "ok":
            return self._failed(event, "advance")
        v = event.value or {}
        by = f"+{_duration(v['by_seconds'])}" if "by_seconds" in v else f"to {v.get('until', '')}"
        if v.get("by_seconds") == 0:
            return
        fired = f", {v['fired']} timers fired" if v.get("fired") else ""
        self._op(self._c("clock", f"clock {by}{fired}"), mark=".")

    def _on_expect(self, event: Any, background: bool) -> None:
        from harness.expect import SUBJECTS  # noqa: PLC0415

        spec = {k: s for k, s in (self.invoked.get("expect") or {}).items() if k != "description"}
        subject = next((k for k in spec if k in SUBJECTS), "")
        what = ", ".join([f"{subject} {spec.get(subject, '')}".strip(), *(
            f"{k} '{s}'" if isinstance(s, str) else f"{k} {s}" for k, s in spec.items() if k != subject)])
        if event.type == "ok":
            self._line(self._c("dim", f"    ok, as expected: {what}"))
        else:
            self._line(self._c("bad", f"    UNEXPECTED: {event.error or what}"))

    def _on_restore_check(self, event: Any, background: bool) -> None:
        v, args = event.value or {}, self.invoked.get("restore_check") or {}
        head = f"test restore at {args.get('node')} of {args.get('file_id')} gen {args.get('generation')}"
        if event.type != "ok":
            return self._failed(event, head)
        tail = "listed" if args.get("list_only") else self._c("ok", "the data matches what the backup wrote")
        self._op(f"{head}: volumes {', '.join(v.get('labels') or [])}, {_kib(v.get('bytes_read'))} read, {tail}")

    def _on_configure(self, event: Any, background: bool) -> None:
        args = {k: a for k, a in (self.invoked.get("configure") or {}).items() if k != "domain"}
        target = args.pop("data_store", None) or args.pop("volume_group", "")
        changes = "; ".join(", ".join(f"{k}.{f} {x}" for f, x in a.items()) if isinstance(a, dict) else f"{k} {a}"
                            for k, a in args.items())
        if event.type != "ok":
            return self._failed(event, f"configure {target}")
        warnings = (event.value or {}).get("warnings") or []
        self._op(f"configure {target}: {changes}" + (f" (warnings: {'; '.join(warnings)})" if warnings else ""))

    def _on_job(self, event: Any, background: bool) -> None:
        args = self.invoked.get("job") or {}
        if event.type != "ok":
            return self._failed(event, "NetBatch job")
        if "delete" in args:
            return self._op(f"NetBatch jobs deleted on {args.get('node')}: "
                            f"{', '.join((event.value or {}).get('deleted') or []) or 'none'}")
        when = f", first at {self._local(args['at'])}" if args.get("at") else ""
        every = f", every {_duration(args['every_seconds'])}" if args.get("every_seconds") else ""
        self._op(f"NetBatch on {args.get('node')}: {(event.value or {}).get('message', 'job submitted')}:"
                 f" {args.get('macro')}{every}{when}")

    def _on_mediacom(self, event: Any, background: bool) -> None:
        args = self.invoked.get("mediacom") or {}
        self._op(f"{args.get('node')} MEDIACOM> {args.get('command')}")
        for line in str((event.value or {}).get("output", "")).splitlines():
            self._line(GUTTER + line)
        if event.type != "ok":
            self._failed(event, "MEDIACOM")

    def _on_macro(self, event: Any, background: bool) -> None:
        args, v = self.invoked.get("macro") or {}, event.value or {}
        self._op(f"{args.get('node')} TACL> {args.get('text')}")
        for line in v.get("output") or []:
            self._line(GUTTER + line)
        for run in v.get("runs") or []:
            self._line(f"      {run.get('process')}: {run.get('type')} {run.get('outcome')}, {run.get('volumes')}"
                       " volumes")
        if event.type != "ok":
            self._failed(event, "macro")

    def _on_check(self, event: Any, background: bool) -> None:
        for check in (event.value or {}).get("checks") or []:
            self._line(f"    {check['verdict']:<8} {check['checker']:<18} {check['summary']}")
        if event.type != "ok":
            self._failed(event, "check")

    # -- DR procedures: a heading, one line per step as it starts, what it found, the measures at the end ----------
    def _procedure_invoked(self, event: Any) -> None:
        name, step = _procedure_of(event.f)
        v = event.value if isinstance(event.value, dict) else {}
        if not step:
            from harness.procedures import procedure_class  # noqa: PLC0415

            cls = procedure_class(name)
            self.procedure_steps = len(cls.steps)
            self._line("")
            self._line(self._c("head", f"{name.replace('_', ' ').upper()}") + f" - {cls.description}"
                       f" ({self.procedure_steps} steps)")
            return
        self._line(self._c("show", f"  step {step} of {getattr(self, 'procedure_steps', '?')}: {v.get('title', '')}"
                                   f" ({v.get('rule', '')})"))

    def _procedure_done(self, event: Any) -> None:
        name, step = _procedure_of(event.f)
        v = event.value if isinstance(event.value, dict) else {}
        if step:
            if event.type != "ok":
                self._failed(event, f"step {step}")
                for page, lines in (v.get("operator_sees") or {}).items():
                    self._line(self._c("show", f"    [what the operator sees: {page}]"))
                    for line in lines:
                        self._line(GUTTER + line)
                return
            found = ", ".join(f"{k.replace('_', ' ')} {x}" for k, x in v.items()
                              if k != "title" and isinstance(x, (str, int, float, bool)) and x != "")
            if found:
                self._line(self._c("dim", f"    found: {found[:200]}"))
            return
        measures = ", ".join(f"{label} {_duration(v[key])}" for key, label in (("rpo_seconds", "RPO"),
                                                                                ("rto_seconds", "RTO")) if key in v)
        if event.type == "ok":
            self._op(self._c("ok", f"{name.replace('_', ' ')} completed") + (f": {measures}" if measures else ""))
        else:
            self._failed(event, name.replace("_", " "))

    def _generic(self, event: Any) -> None:
        """A verb this view has no words for yet: its name, outcome and a short value."""
        if event.type != "ok":
            return self._failed(event, event.f)
        value = event.value if isinstance(event.value, dict) else {}
        brief = ", ".join(f"{k} {v}" for k, v in value.items() if isinstance(v, (str, int, float)) and v != "")
        self._op(f"{event.f} {self._c('ok', 'done')}" + (f": {brief[:160]}" if brief else ""))

    def _failed(self, event: Any, what: str) -> None:
        kind = "FAILED" if event.type == "fail" else "did not answer (the outcome is unknown)"
        error = event.error
        if not error and isinstance(event.value, dict):
            error = str(event.value.get("reason", ""))
        self._op(self._c("bad", f"{what} {kind}") + (f": {error}" if error else ""), mark="x")

    # -- time ------------------------------------------------------------------------------------------------------
    def _clock(self, iso: str) -> None:
        """A line with the virtual time at each site whenever it moved since the last one."""
        if not iso or iso[:16] == self.clock:
            return
        self.clock = iso[:16]
        self._line(self._c("clock", f"  -- {self._local(iso)} --"))

    def _local(self, iso: str) -> str:
        try:
            utc = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
        except ValueError:
            return str(iso)
        sites = [f"{(utc + timedelta(seconds=off)).strftime('%H:%M')} on {node}"
                 for node, off in self.node_offsets.items()] if any(self.node_offsets.values()) else []
        return f"{utc.strftime('%Y-%m-%d %H:%M')} UTC" + (f" ({', '.join(sites)})" if sites else "")

    def _at(self, iso: str, node: str) -> str:
        """`15:15 on \\INSIDX`: a time as the node where it happened shows it."""
        try:
            utc = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
        except ValueError:
            return str(iso)
        if node in self.node_offsets:
            return f"{(utc + timedelta(seconds=self.node_offsets[node])).strftime('%H:%M')} on {node}"
        return f"{utc.strftime('%H:%M')} UTC"

    # -- output ----------------------------------------------------------------------------------------------------
    def _op(self, text: str, *, mark: str = "*") -> None:
        self._line(f"  {mark} {text}")

    def _wrap(self, text: str, indent: str, style: str) -> None:
        for line in textwrap.wrap(text, width=self.width, initial_indent=indent, subsequent_indent=indent) or [""]:
            self._line(self._c(style, line))

    def _c(self, style: str, text: str) -> str:
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if self.colour and text else text

    def _line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()


def _default_run_dir(name: str, seed: int) -> tuple[Path, str]:
    """A new folder under the current directory when it is writable, else a temporary one; and which it is."""
    cwd = Path.cwd()
    if os.access(cwd, os.W_OK):
        base = cwd / "catsync-runs" / f"demo-{name}-seed{seed}"
        path, n = base, 1
        while path.exists():
            n += 1
            path = base.with_name(f"{base.name}-{n}")
        return path, "a new folder under the current directory"
    path = Path(tempfile.mkdtemp(prefix=f"catsync-demo-{name}-"))
    return path, "a temporary folder: the current directory is not writable"


def run_demo(story: str | None = None, *, seed: int | None = None, out_dir: Path | str | None = None,
             step: bool = False, real_time: float | None = None, stdout: TextIO | None = None,
             stdin: TextIO | None = None, colour: bool | None = None, web: str | None = None,
             web_hold: bool = True) -> int:
    """Tell a story (default the DR drill) and return the run's exit code: 0 valid, 1 invalid, 2 unknown / a
    story that does not exist. With `web` (HOST:PORT) the web console of the run is served there while the story
    is told, and (with `web_hold`) stays up after it until Ctrl-C."""
    from harness.topology import load_topology  # noqa: PLC0415

    out = stdout or sys.stdout
    name = story or STORY
    try:
        scenario = load_scenario(stories().get(name, name))
    except HarnessError as exc:
        sys.stderr.write(f"catsync-sim demo: {exc}\n")
        list_stories(sys.stderr)
        return 2
    if real_time is not None and real_time <= 0:
        sys.stderr.write(f"catsync-sim demo: --real-time {real_time:g} must be a positive rate (virtual seconds per"
                         " wall second, e.g. 600: an hour in 6 s)\n")
        return 2
    if web is not None:
        from harness.web import parse_address  # noqa: PLC0415

        try:
            parse_address(web)
        except HarnessError as exc:
            sys.stderr.write(f"catsync-sim demo: {exc}\n")
            return 2
    seed = scenario.seed if seed is None else seed
    if out_dir is None:
        run_dir, kind = _default_run_dir(scenario.name, seed)
    else:
        run_dir, kind = Path(out_dir), "--out"
    try:
        spec = load_topology(scenario.topology_source())
        offsets = {n.name: n.utc_offset_seconds for n in spec.nodes}
        view = StoryView(out, colour=colour, pause=step, stdin=stdin, real_time=real_time, node_offsets=offsets,
                         run_dir=run_dir, run_dir_kind=kind)
        attach = _web_attach(web, out, scenario.name, web_hold, stdin) if web is not None else None
        result = run_scenario(scenario, seed=seed, out=run_dir, progress=view, real_time=real_time, attach=attach)
    except HarnessError as exc:
        sys.stderr.write(f"catsync-sim demo: {exc}\n")
        return 2
    return result.exit_code


class _DemoConsole:
    """The web console of a demo's run: up once the topology runs, held open after the checks."""

    def __init__(self, console: Any, out: TextIO, hold_open: bool, stdin: TextIO | None):
        self.console, self.out, self.hold_open, self.stdin = console, out, hold_open, stdin

    def hold(self, checks: list[dict[str, Any]]) -> None:
        if not self.hold_open:
            return
        from harness.web import wait_for_stop  # noqa: PLC0415

        self.out.write(f"\nThe story is told; the web console stays up at {self.console.url} with the sites as the"
                       " story left them (what is done there now is kept apart, in console-history.jsonl).\n"
                       "Press Ctrl-C to end it.\n")
        wait_for_stop(self.out, stdin=self.stdin)

    def close(self) -> None:
        self.console.close()


def _web_attach(address: str, out: TextIO, name: str, hold_open: bool, stdin: TextIO | None) -> Any:
    def attach(sim: Any, run_dir: Path) -> _DemoConsole:
        from harness.web import start_console  # noqa: PLC0415

        console = start_console(sim, address, title=f"demo {name}", dumps_dir=run_dir / "dumps")
        out.write(f"  web console: {console.url}   (Storage Admin, Export / Import Status, faults, timeline)\n")
        if not console.loopback_only:
            out.write("  the console has no login: anyone who reaches that address can operate the sites\n")
        out.flush()
        return _DemoConsole(console, out, hold_open, stdin)
    return attach
