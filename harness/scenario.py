"""Scenarios: YAML steps or a Python function, with the verbs of `harness.sim.Sim`. Loaded and validated before
anything starts, with errors that name the line and the fix.

```yaml
name: link-cut-during-backups
description: backups while the Expand link is down; the extractor retries the exports once it is back
topology: e501-sample          # a built-in topology or a YAML file (relative to this file)
seed: 7                        # `catsync-sim run --seed` overrides it
final: {export: UPDATE, import: UPDATE}   # the end of every run: heal, settle, these, check (none: skip)
check: {rpo: 1h}               # checker options (rpo bound), or {checkers: [consistency, rpo]}
steps:
  - backup: 3                  # three seeded jobs of the workload (or a mapping of workload options)
  - fail: link-down            # or {fault: link-down, between: [\\INSIDX, \\ETINIUM]}
  - backup: {count: 2, group: VG_WIN1_DES}
  - advance: 2h
  - expect: {last: backup, type: ok}
  - heal: link-down            # an id (F1), a kind, or all
  - advance: 30m
  - import: UPDATE
  - restore_check: {}
  - repeat: {times: 3, steps: [{backup: 1}, {advance: 1d}]}
```

A Python scenario is a `.py` file defining `scenario(sim)` and optionally `TOPOLOGY`, `SEED`, `DESCRIPTION`,
`FINAL`, `CHECK`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import yaml

from harness.backbox_topology import parse_duration
from harness.errors import ScenarioError
from harness.procedures import PROCEDURES
from harness.topology import TopologyError, _Doc

VERBS = ("backup", "advance", "export", "import", "macro", "mediacom", "fail", "heal", "restore_check", "check",
         "expect", "configure", "delete_volume", "job", "say", "show", "repeat", *PROCEDURES)
PROCEDURE_VERBS = tuple(PROCEDURES)     # harness.procedures
DEFAULT_FINAL = {"export": "UPDATE", "import": "UPDATE"}
CHECKER_NAMES = ("consistency", "recoverability", "rpo", "label-uniqueness", "fileid-collisions")


@dataclass(frozen=True)
class Step:
    verb: str
    args: Any
    line: int = 0
    origin: str = ""

    def where(self) -> str:
        return f"{self.origin}:{self.line}" if self.line else self.origin or "<scenario>"

    def to_yaml_obj(self) -> dict[str, Any]:
        if self.verb == "repeat":
            return {"repeat": {"times": self.args["times"], "steps": [s.to_yaml_obj() for s in self.args["steps"]]}}
        return {self.verb: self.args}


@dataclass(frozen=True)
class Scenario:
    name: str
    topology: str
    seed: int = 1
    description: str = ""
    steps: tuple[Step, ...] = ()
    final: dict[str, str | None] = field(default_factory=lambda: dict(DEFAULT_FINAL))
    check: dict[str, Any] = field(default_factory=dict)
    origin: str = "<scenario>"
    base_dir: Path | None = None
    python: Callable[[Any], None] | None = None
    swarm: dict[str, Any] | None = None     # random steps drawn from the seed before `steps` (harness.swarm)

    def topology_source(self) -> str:
        """The topology as `load_topology` takes it: a built-in name or a path made absolute."""
        from harness.topology import builtin_topologies  # noqa: PLC0415

        if self.topology in builtin_topologies() or self.base_dir is None:
            return self.topology
        path = Path(self.topology)
        return str(path if path.is_absolute() else (self.base_dir / path))

    def to_yaml(self) -> str:
        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        data["topology"] = self.topology_source()
        data["seed"] = self.seed
        data["final"] = self.final
        if self.check:
            data["check"] = self.check
        if self.python is not None:
            data["python"] = self.origin
        if self.swarm is not None:
            data["swarm"] = self.swarm
        data["steps"] = [s.to_yaml_obj() for s in self.steps]
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=118)


def scenario_dir() -> Path:
    return Path(str(resources.files("harness") / "scenarios"))


def builtin_scenarios() -> dict[str, Path]:
    """Name → file of every built-in scenario."""
    folder = scenario_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted([*folder.glob("*.yaml"), *folder.glob("*.py")]) if not p.stem.startswith("_")}


def load_scenario(source: str | Path | Scenario) -> Scenario:
    """A scenario from a built-in name, a `.yaml` / `.py` file, or YAML text."""
    if isinstance(source, Scenario):
        return source
    text = str(source)
    builtins = builtin_scenarios()
    if text in builtins:
        return load_scenario(builtins[text])
    path = Path(text)
    if "\n" not in text and path.suffix in (".yaml", ".yml", ".py"):
        if not path.is_file():
            raise ScenarioError(f"scenario file {text} does not exist: give a path or one of "
                                f"{', '.join(builtins) or '(no built-ins)'}")
        if path.suffix == ".py":
            return _load_python(path)
        return parse_scenario(path.read_text(), str(path), base_dir=path.resolve().parent)
    if "\n" in text or ":" in text:
        return parse_scenario(text)
    raise ScenarioError(f"no scenario named {text!r}: give a YAML or Python file or one of "
                        f"{', '.join(builtins) or '(no built-ins)'} (catsync-sim scenarios lists them)")


def parse_scenario(text: str, origin: str = "<scenario>", *, base_dir: Path | None = None) -> Scenario:
    """Parse and validate a YAML scenario (every step checked before anything runs)."""
    try:
        doc = _Doc(text, origin)
    except TopologyError as exc:
        raise ScenarioError(str(exc).replace("a Guardian name may stay unquoted", "quote text with ': '")) from None
    data = doc.data
    if not isinstance(data, dict):
        raise ScenarioError(f"{origin}: a scenario is a mapping with name, topology and steps")
    known = {"name", "description", "topology", "seed", "final", "check", "steps", "swarm"}
    for key in data:
        if key not in known:
            raise _error(doc, (key,), f"unknown key {key!r}: allowed keys are {', '.join(sorted(known))}")
    if "topology" not in data:
        raise _error(doc, (), "a scenario needs a topology: a built-in name (catsync-sim topologies) or a YAML file")
    seed = data.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise _error(doc, ("seed",), f"seed {seed!r} must be a whole number of at least 0")
    final = _final(doc, data.get("final", DEFAULT_FINAL))
    check = _check(doc, data.get("check") or {})
    steps_raw = data.get("steps") or []
    if not isinstance(steps_raw, list):
        raise _error(doc, ("steps",), "steps is a list: each item one verb, e.g. '- backup: 3'")
    steps = tuple(_step(doc, ("steps", i), raw) for i, raw in enumerate(steps_raw))
    swarm = None
    if "swarm" in data:
        from harness.swarm import validate_swarm  # noqa: PLC0415

        try:
            swarm = validate_swarm(data["swarm"])
        except ScenarioError as exc:
            raise _error(doc, ("swarm",), str(exc)) from None
    if not steps and swarm is None:
        raise _error(doc, ("steps",) if "steps" in data else (), "a scenario needs steps (or a swarm: section)")
    return Scenario(str(data.get("name") or Path(origin).stem), str(data["topology"]), seed,
                    str(data.get("description") or "").strip(), steps, final, check, origin, base_dir, None, swarm)


def _error(doc: _Doc, path: tuple, message: str) -> ScenarioError:
    return ScenarioError(str(doc.error(path, message)))


def _final(doc: _Doc, raw: Any) -> dict[str, str | None]:
    if raw in (None, "none", "NONE", False):
        return {"export": None, "import": None}
    if not isinstance(raw, dict):
        raise _error(doc, ("final",), "final is {export: UPDATE|FULL|none, import: UPDATE|FULL|none} or none")
    out: dict[str, str | None] = {}
    for key in raw:
        if key not in ("export", "import"):
            raise _error(doc, ("final", key), f"unknown key {key!r}: final has export and import")
    for key in ("export", "import"):
        value = raw.get(key, DEFAULT_FINAL[key])
        value = None if value in (None, False) or str(value).lower() == "none" else str(value).upper()
        if value not in (None, "FULL", "UPDATE"):
            raise _error(doc, ("final", key), f"final {key} {value!r} must be FULL, UPDATE or none")
        out[key] = value
    return out


def _check(doc: _Doc, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _error(doc, ("check",), "check is a mapping: {rpo: 1h, checkers: [consistency, rpo]}")
    return _check_args(lambda path, msg: _error(doc, ("check", *path), msg), raw)


def _check_args(error: Callable[[tuple, str], ScenarioError], raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "rpo":
            try:
                out["rpo"] = parse_duration(value)
            except ValueError as exc:
                raise error((key,), f"rpo: {exc}") from None
        elif key == "checkers":
            names = value if isinstance(value, list) else [value]
            for name in names:
                if name not in CHECKER_NAMES:
                    raise error((key,), f"unknown checker {name!r}: the checkers are {', '.join(CHECKER_NAMES)}")
            out["checkers"] = list(names)
        else:
            raise error((key,), f"unknown key {key!r}: check takes rpo and checkers")
    return out


def _step(doc: _Doc, path: tuple, raw: Any) -> Step:
    line = doc.lines.get(path, 0)
    if isinstance(raw, str) and raw in ("restore_check", "check", "heal"):
        raw = {raw: None}
    if not isinstance(raw, dict) or len(raw) != 1:
        raise _error(doc, path, f"a step is one verb with its argument, e.g. '- advance: 1h'; the verbs are"
                                f" {', '.join(VERBS)}")
    verb, args = next(iter(raw.items()))
    if verb not in VERBS:
        raise _error(doc, path, f"unknown verb {verb!r}: the verbs are {', '.join(VERBS)}")
    apath = (*path, verb)

    def err(sub: tuple, message: str) -> ScenarioError:
        return _error(doc, (*apath, *sub), f"{verb}: {message}")
    if verb == "repeat":
        if not isinstance(args, dict) or set(args) != {"times", "steps"}:
            raise err((), "repeat is {times: N, steps: [...]}")
        times = args["times"]
        if isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= 10_000:
            raise err(("times",), f"times {times!r} must be a whole number from 1 to 10000")
        if not isinstance(args["steps"], list) or not args["steps"]:
            raise err(("steps",), "steps is a non-empty list of steps")
        inner = tuple(_step(doc, (*apath, "steps", i), s) for i, s in enumerate(args["steps"]))
        return Step(verb, {"times": times, "steps": inner}, line, doc.origin)
    validate_step(verb, args, err)
    return Step(verb, args, line, doc.origin)


def validate_step(verb: str, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
    """Check one step's argument without running it (the verbs check the rest against the live topology)."""
    from harness.expect import ALLOWED, SUBJECTS  # noqa: PLC0415
    from harness.nemesis import FAULTS  # noqa: PLC0415

    if verb == "advance":
        if isinstance(args, dict):
            extra = sorted(set(args) - {"by", "until"})
            if extra or len(args) != 1:
                raise err((), "advance is a duration (30m, 2h, 7d) or {by: 2h} or {until: 2025-09-24T02:00:00Z}")
            if "by" in args:
                args = args["by"]
            else:
                return
        if isinstance(args, bool) or (isinstance(args, (int, float)) and args < 0):
            raise err((), f"{args!r} is not a duration: write 30m, 2h, 7d or a number of seconds")
        if not isinstance(args, (int, float)):
            try:
                parse_duration(args)
            except ValueError as exc:
                raise err((), str(exc)) from None
    elif verb in ("export", "import"):
        if isinstance(args, str):
            args = {"type": args}
        if args is None:
            return
        if not isinstance(args, dict):
            raise err((), f"{verb} is FULL, UPDATE or {{type: FULL, data_store: ID}}")
        allowed = {"type", "data_store", "domain", "catalog_files", "trigger"}
        _keys(err, args, allowed)
        if str(args.get("type", "UPDATE")).upper() not in ("FULL", "UPDATE"):
            raise err(("type",), f"type {args['type']!r} must be FULL or UPDATE")
        if str(args.get("trigger", "UI")).upper() not in ("UI", "MACRO", "NETBATCH"):
            raise err(("trigger",), f"trigger {args['trigger']!r} must be UI, MACRO or NETBATCH (automatic"
                                    " exports follow backups by themselves)")
    elif verb == "backup":
        if isinstance(args, bool) or not isinstance(args, (int, dict)) or (isinstance(args, int) and args < 1):
            raise err((), "backup is a count (backup: 3) or a mapping of workload options ({count: 2, group: ...})")
        from harness.workload import BackupStep  # noqa: PLC0415

        try:
            BackupStep.from_step(args)
        except ValueError as exc:
            raise err((), str(exc)) from None
    elif verb in ("macro", "mediacom"):
        key = "text" if verb == "macro" else "command"
        if isinstance(args, dict):
            _keys(err, args, {key, "node", "wait"} if verb == "macro" else {key, "node"})
            if key not in args:
                raise err((), f"{verb} needs {key}:")
        elif not isinstance(args, str) or not args.strip():
            raise err((), f"{verb} is the {key} as text, or {{{key}: ..., node: \\\\ETINIUM}}")
    elif verb == "fail":
        kind, params = (args, {}) if isinstance(args, str) else (
            (args.get("fault"), {k: v for k, v in args.items() if k != "fault"}) if isinstance(args, dict)
            else (None, {}))
        if kind not in FAULTS:
            raise err(("fault",) if isinstance(args, dict) else (),
                      f"unknown fault {kind!r}: the faults are {', '.join(sorted(FAULTS))}")
        cls = FAULTS[kind]
        unknown = sorted(set(params) - cls.allowed - {"id"})
        if unknown:
            raise err((unknown[0],), f"{kind} takes {', '.join(sorted(cls.allowed)) or 'no parameters'}, not"
                                     f" {unknown[0]!r}")
        missing = sorted(cls.required - set(params))
        if missing:
            raise err((), f"{kind} needs {missing[0]}: (e.g. {{fault: {kind}, {missing[0]}: ...}})")
    elif verb == "heal":
        if args is not None and not isinstance(args, str):
            raise err((), "heal is a fault id (F1), a fault kind (link-down) or all")
    elif verb in ("restore_check", "check"):
        if args is not None and not isinstance(args, dict):
            raise err((), f"{verb} takes a mapping of options or nothing")
        if verb == "restore_check" and args:
            _keys(err, args, {"file_id", "generation", "node", "domain", "list_only"})
        if verb == "check" and args:
            _check_args(err, args)
    elif verb == "say":
        if not isinstance(args, str) or not args.strip():
            raise err((), "say is the narration as text: say: \"The Expand link to the DR site goes down.\"")
    elif verb == "show":
        from harness.expect import SHOW_SUBJECTS  # noqa: PLC0415

        if not isinstance(args, dict):
            raise err((), f"show is a mapping naming one of {', '.join(SHOW_SUBJECTS)}, e.g. {{export_status:"
                          " DS_WIN1_DES}")
        subjects = [k for k in args if k in SHOW_SUBJECTS]
        if len(subjects) != 1:
            raise err((), f"show names exactly one of {', '.join(SHOW_SUBJECTS)}")
        _keys(err, args, {subjects[0], *SHOW_SUBJECTS[subjects[0]]})
    elif verb in PROCEDURE_VERBS:
        from harness.procedures import validate_procedure  # noqa: PLC0415

        validate_procedure(verb, args, err)
    elif verb in ("configure", "delete_volume", "job"):
        from harness import admin  # noqa: PLC0415

        getattr(admin, f"validate_{verb}")(args, err)
    elif verb == "expect":
        if not isinstance(args, dict):
            raise err((), "expect is a mapping, e.g. {last: export, outcome: COMPLETED}")
        subjects = [k for k in args if k in SUBJECTS]
        if len(subjects) != 1:
            raise err((), f"expect names exactly one of {', '.join(SUBJECTS)}")
        _keys(err, args, {subjects[0], "description", *ALLOWED[subjects[0]]})


def _keys(err: Callable[[tuple, str], ScenarioError], args: dict, allowed: set[str]) -> None:
    for key in args:
        if key not in allowed:
            raise err((key,), f"unknown key {key!r}: allowed are {', '.join(sorted(allowed))}")


def _load_python(path: Path) -> Scenario:
    spec = importlib.util.spec_from_file_location(f"catsync_scenario_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ScenarioError(f"{path}: cannot be loaded as Python")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - the user's file: say where it broke
        raise ScenarioError(f"{path}: {type(exc).__name__}: {exc}") from None
    func = getattr(module, "scenario", None)
    if not callable(func):
        raise ScenarioError(f"{path}: a Python scenario defines scenario(sim) (and optionally TOPOLOGY, SEED)")
    doc = _Doc(yaml.safe_dump({"final": getattr(module, "FINAL", DEFAULT_FINAL),
                               "check": getattr(module, "CHECK", {})}), str(path))
    return Scenario(getattr(module, "NAME", path.stem), str(getattr(module, "TOPOLOGY", "two-node")),
                    int(getattr(module, "SEED", 1)), str(getattr(module, "DESCRIPTION", module.__doc__ or "")).strip(),
                    (), _final(doc, doc.data.get("final")), _check(doc, doc.data.get("check") or {}), str(path),
                    path.resolve().parent, func)
