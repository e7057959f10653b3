"""Topologies: sites, nodes, links and the DSM/TC setup of each node, loaded from YAML and validated with
errors that name the line and the fix. Built-in topologies live in `harness/topologies/*.yaml`.

```yaml
name: two-node
seed: 1
clock: {mode: virtual, start: 2025-09-23T20:00:00Z}
sites:
  - name: PRIMARY
    nodes:
      - name: \\INSIDX
        number: 12
        utc_offset: "-05:00"
        volumes: {$DATA01: 0, $DATA15: 0}          # capacity in bytes, 0 = unlimited
        dsmtc:
          volcats: [QCVOLCAT]
          filecats: [QCFILCAT]
          pools: [{volcat: QCVOLCAT, name: E501_WIN1, media_type: LTO3}]
          mediadefs: {volcat: QCVOLCAT, filecat: QCFILCAT, pool: E501_WIN1, ssl: [\\INSIDX]}
links:
  - {kind: EXPAND, between: [\\INSIDX, \\ETINIUM]}
```
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from emulator.clock import parse_offset, parse_time_of_day
from emulator.errors import EmulatorError
from emulator.link import KINDS
from emulator.names import parse_node, parse_volume


class TopologyError(EmulatorError):
    """The topology file is malformed: the message names the line and how to fix it."""

    status = "INVALID_ARGUMENT"


@dataclass(frozen=True)
class PoolSpec:
    volcat: str
    name: str
    media_type: str = "LTO3"
    autoscratch: bool = True
    searchspace_in: bool = True


@dataclass(frozen=True)
class DsmtcSpec:
    volcats: tuple[str, ...] = ()
    filecats: tuple[str, ...] = ()
    pools: tuple[PoolSpec, ...] = ()
    mediadefs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NodeSpec:
    name: str
    number: int
    site: str
    utc_offset_seconds: int = 0
    volumes: dict[str, int] = field(default_factory=dict)
    dsmtc: DsmtcSpec = DsmtcSpec()
    autoexpire_time: str = "02:00"   # $ZSVR daily DSM/TC expiration, node local time (R37)
    address: str = ""                # fixed address (remote launcher / fixed ports); empty = 127.0.0.1:0


@dataclass(frozen=True)
class LinkSpec:
    kind: str
    node_a: str
    node_b: str

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.node_a}-{self.node_b}"


@dataclass(frozen=True)
class TopologySpec:
    name: str
    seed: int
    clock_mode: str
    clock_start: datetime
    clock_rate: float
    sites: tuple[str, ...]
    nodes: tuple[NodeSpec, ...]
    links: tuple[LinkSpec, ...]
    description: str = ""
    source: str = ""                 # the YAML text as loaded
    backbox: Any = None              # harness.backbox_topology.BackBoxSpec: storages, VTCs, domains ...

    def node(self, name: str) -> NodeSpec:
        key = parse_node(name)
        for spec in self.nodes:
            if spec.name == key:
                return spec
        raise TopologyError(f"node {key} is not in topology {self.name}")


class _Doc:
    """A YAML document with the line of every mapping, list item and key, keyed by path."""

    def __init__(self, text: str, origin: str):
        self.origin = origin
        self.lines: dict[tuple, int] = {}       # path -> line of the value
        self.key_lines: dict[tuple, int] = {}   # path -> line of the key naming it (mapping entries only)
        try:
            root = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = f"{origin}:{mark.line + 1}: " if mark else f"{origin}: "
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or exc
            raise TopologyError(f"{where}YAML syntax error{at}: {problem}; check the indentation (spaces, not tabs)"
                                " and the quoting (a Guardian name may stay unquoted: \\INSIDX)") from None
        self.data = self._convert(root, ()) if root is not None else {}
        self.lines.setdefault((), 1)   # an empty file: its errors point at line 1

    def _convert(self, node: yaml.Node, path: tuple) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in out:
                    # yaml would keep the last one silently: a repeated key is a typo or a pasted block
                    first = self.key_lines[(*path, key)]
                    raise self.error((), f"key {key!r} appears twice in the same mapping (lines {first} and"
                                         f" {key_node.start_mark.line + 1}): keep one of them",
                                     line=key_node.start_mark.line + 1, dotted=".".join(map(str, (*path, key))))
                self.key_lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = self._convert(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:null":   # `steps:` with nothing after it (serialize would emit no value)
            return None
        return yaml.safe_load(yaml.serialize(node)) if node.tag != "tag:yaml.org,2002:str" else node.value

    def line_of(self, path: tuple) -> int | None:
        """The line of `path` (its key's line for a mapping entry), else of its nearest ancestor in the file."""
        probe = path
        while probe and probe not in self.key_lines and probe not in self.lines:
            probe = probe[:-1]
        return self.key_lines.get(probe) or self.lines.get(probe)

    def error(self, path: tuple, message: str, *, line: int | None = None, dotted: str = "") -> TopologyError:
        """`FILE:LINE: dotted.path: message` — the message says what is wrong and how to fix it."""
        line = line or self.line_of(path)
        where = f"{self.origin}:{line}" if line else self.origin
        dotted = dotted or ".".join(str(p) for p in path) or "(top)"
        return TopologyError(f"{where}: {dotted}: {message}")


_SHAPES = {dict: "mapping (key: value entries, or {key: value})", list: "list (- item lines, or [a, b])",
           int: "whole number", str: "text (quote it if it looks like a number or a time)"}


def _expect(doc: _Doc, path: tuple, value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        shape = _SHAPES.get(kind, kind.__name__)
        raise doc.error(path, f"{what} must be a {kind.__name__}, not {type(value).__name__} {value!r}: write a"
                              f" {shape}")
    return value


def unknown_key_message(key: str, allowed: Any) -> str:
    """`unknown key 'nmae': did you mean 'name'? allowed keys are ...` (shared with harness.backbox_topology)."""
    names = sorted(str(a) for a in allowed)
    close = difflib.get_close_matches(str(key), names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else "remove it or fix its spelling; "
    return f"unknown key {key!r}: {hint}allowed keys are {', '.join(names)}"


def _known(doc: _Doc, path: tuple, mapping: dict, allowed: set[str]) -> None:
    for key in mapping:
        if key not in allowed:
            raise doc.error((*path, key), unknown_key_message(key, allowed))


def _name(doc: _Doc, path: tuple, value: Any, parser: Any) -> str:
    try:
        return parser(str(value))
    except EmulatorError as exc:
        raise doc.error(path, exc.message) from None


def parse_topology(text: str, origin: str = "<topology>") -> TopologySpec:
    """Parse and validate a topology document."""
    doc = _Doc(text, origin)
    data = _expect(doc, (), doc.data, dict, "the topology")
    _known(doc, (), data, {"name", "description", "seed", "clock", "sites", "links", "domains", "replication"})
    name = str(data.get("name") or Path(origin).stem)
    seed = _expect(doc, ("seed",), data.get("seed", 1), int, "seed")
    clock = _expect(doc, ("clock",), data.get("clock", {}), dict, "clock")
    _known(doc, ("clock",), clock, {"mode", "start", "rate"})
    mode = str(clock.get("mode", "virtual"))
    if mode not in ("virtual", "real"):
        raise doc.error(("clock", "mode"), f"clock mode {mode!r} must be virtual or real")
    start = clock.get("start", "2025-09-23T20:00:00Z")
    if isinstance(start, str):
        try:
            start = datetime.fromisoformat(start.replace("Z", "+00:00"))
        except ValueError:
            raise doc.error(("clock", "start"), f"start {start!r} must be an ISO time like 2025-09-23T20:00:00Z") \
                from None
    if not isinstance(start, datetime):
        raise doc.error(("clock", "start"), "start must be an ISO time like 2025-09-23T20:00:00Z")
    start = start if start.tzinfo else start.replace(tzinfo=timezone.utc)
    rate = clock.get("rate", 1.0)
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or rate <= 0:
        raise doc.error(("clock", "rate"), f"rate {rate!r} must be a positive number (virtual seconds per wall second)")
    rate = float(rate)

    sites_raw = _expect(doc, ("sites",), data.get("sites"), list, "sites (a list of sites with nodes)")
    sites, nodes, numbers = [], [], {}
    for i, site in enumerate(sites_raw):
        spath = ("sites", i)
        _expect(doc, spath, site, dict, "a site")
        _known(doc, spath, site, {"name", "nodes", "description", "storage", "key_managers", "vtcs"})
        site_name = str(site.get("name") or f"SITE{i + 1}")
        if site_name in sites:
            raise doc.error((*spath, "name"), f"site {site_name} is defined twice: give each site its own name, or"
                                              " list all its nodes under one site")
        sites.append(site_name)
        for j, raw in enumerate(_expect(doc, (*spath, "nodes"), site.get("nodes", []), list, "nodes")):
            nodes.append(_parse_node(doc, (*spath, "nodes", j), raw, site_name, numbers))
    if not nodes:
        raise doc.error(("sites",), "the topology has no nodes: add at least one node under a site")
    seen = {}
    for spec, path in nodes:
        if spec.name in seen:
            raise doc.error(path, f"node {spec.name} is defined twice: node names are unique in a network;"
                                  " rename or remove one")
        seen[spec.name] = spec

    links = []
    for k, raw in enumerate(_expect(doc, ("links",), data.get("links", []), list, "links")):
        lpath = ("links", k)
        _expect(doc, lpath, raw, dict, "a link")
        _known(doc, lpath, raw, {"kind", "between"})
        kind = str(raw.get("kind", "EXPAND")).upper()
        if kind not in KINDS:
            raise doc.error((*lpath, "kind"), f"link kind {kind!r} must be EXPAND or WAN")
        between = raw.get("between")
        if not isinstance(between, list) or len(between) != 2:
            raise doc.error((*lpath, "between"), "between must list two nodes: between: [\\INSIDX, \\ETINIUM]")
        a, b = (_name(doc, (*lpath, "between", x), between[x], parse_node) for x in (0, 1))
        for end in (a, b):
            if end not in seen:
                raise doc.error((*lpath, "between"), f"{end} is not a node of this topology: define it under a site")
        if a == b:
            raise doc.error((*lpath, "between"), f"a link joins two different nodes, not {a} with itself")
        spec = LinkSpec(kind, a, b)
        if any({l.node_a, l.node_b} == {a, b} and l.kind == kind for l in links):
            raise doc.error(lpath, f"the {kind} link between {a} and {b} is defined twice: remove one")
        links.append(spec)
    for spec, path in nodes:
        for entry in spec.dsmtc.mediadefs.get("ssl", []):
            target = entry.split(".")[0]
            if target != spec.name and not any({l.node_a, l.node_b} == {spec.name, target} for l in links):
                raise doc.error((*path, "dsmtc", "mediadefs", "ssl"),
                                f"SSL names {target}, which has no link to {spec.name}: add a link or drop it")
    from harness.backbox_topology import parse_backbox  # noqa: PLC0415

    backbox = parse_backbox(doc, data, sites_raw, set(seen))
    return TopologySpec(name, seed, mode, start, rate, tuple(sites), tuple(s for s, _ in nodes), tuple(links),
                        str(data.get("description", "")), text, backbox)


def _parse_node(doc: _Doc, path: tuple, raw: Any, site: str, numbers: dict) -> tuple[NodeSpec, tuple]:
    _expect(doc, path, raw, dict, "a node")
    _known(doc, path, raw, {"name", "number", "utc_offset", "volumes", "dsmtc", "address", "autoexpire_time"})
    if "name" not in raw:
        raise doc.error(path, "a node needs a name such as \\INSIDX")
    name = _name(doc, (*path, "name"), raw["name"], parse_node)
    number = _expect(doc, (*path, "number"), raw.get("number", len(numbers) + 1), int, "number")
    if not 0 <= number <= 254:
        raise doc.error((*path, "number"), f"Expand node number {number} must be 0..254")
    if number in numbers:
        raise doc.error((*path, "number"), f"Expand node number {number} is already used by {numbers[number]}:"
                                                 " give each node its own number (0..254)")
    numbers[number] = name
    try:
        offset = parse_offset(raw.get("utc_offset", 0))
    except EmulatorError as exc:
        raise doc.error((*path, "utc_offset"), exc.message) from None
    vols_raw = raw.get("volumes", {"$SYSTEM": 0, "$DATA01": 0})
    if isinstance(vols_raw, list):
        vols_raw = {v: 0 for v in vols_raw}
    _expect(doc, (*path, "volumes"), vols_raw, dict, "volumes (a map $VOL: capacity bytes)")
    volumes = {}
    for vol, cap in vols_raw.items():
        volumes[_name(doc, (*path, "volumes", vol), vol, parse_volume)] = \
            _expect(doc, (*path, "volumes", vol), cap or 0, int, f"capacity of {vol}")
    dsmtc = _parse_dsmtc(doc, (*path, "dsmtc"), raw.get("dsmtc", {}), name)
    autoexpire = str(raw.get("autoexpire_time", "02:00"))
    autoexpire = "" if autoexpire.upper() in ("", "OFF", "NONE") else autoexpire
    if autoexpire:
        try:
            parse_time_of_day(autoexpire, "AUTOEXPIRE^TIME")
        except EmulatorError as exc:
            raise doc.error((*path, "autoexpire_time"), f"{exc.message}, or off") from None
    return NodeSpec(name, number, site, offset, volumes, dsmtc, autoexpire, str(raw.get("address", ""))), path


def _parse_dsmtc(doc: _Doc, path: tuple, raw: Any, node: str) -> DsmtcSpec:
    _expect(doc, path, raw, dict, "dsmtc")
    _known(doc, path, raw, {"volcats", "filecats", "pools", "mediadefs"})
    volcats = _catalogs(doc, (*path, "volcats"), raw.get("volcats", []), "VOLCAT", "QCVOLCAT")
    filecats = _catalogs(doc, (*path, "filecats"), raw.get("filecats", []), "FILECAT", "QCFILCAT")
    pools: list[PoolSpec] = []
    for i, pool in enumerate(_expect(doc, (*path, "pools"), raw.get("pools", []), list, "pools")):
        ppath = (*path, "pools", i)
        _expect(doc, ppath, pool, dict, "a pool")
        _known(doc, ppath, pool, {"volcat", "name", "media_type", "autoscratch", "searchspace_in"})
        if not str(pool.get("name") or "").strip():
            raise doc.error(ppath, "a pool needs a name: {volcat: QCVOLCAT, name: E501_WIN1}")
        volcat = str(pool.get("volcat", volcats[0] if volcats else "")).upper()
        if volcat not in volcats:
            raise doc.error((*ppath, "volcat") if "volcat" in pool else ppath,
                            f"pool {pool.get('name')} names VOLCAT {volcat or '(none)'}, which this node "
                            f"does not define: add it to volcats ({', '.join(volcats) or 'empty'})")
        name = str(pool["name"]).upper()
        if any(p.volcat == volcat and p.name == name for p in pools):
            raise doc.error((*ppath, "name"), f"pool {name} is defined twice in VOLCAT {volcat}: pool names are"
                                              " unique within a VOLCAT; remove one or rename it")
        for flag in ("autoscratch", "searchspace_in"):
            if not isinstance(pool.get(flag, True), bool):
                raise doc.error((*ppath, flag), f"{flag} must be true or false, not {pool[flag]!r}")
        pools.append(PoolSpec(volcat, name, str(pool.get("media_type", "LTO3")),
                              bool(pool.get("autoscratch", True)), bool(pool.get("searchspace_in", True))))
    mediadefs = dict(_expect(doc, (*path, "mediadefs"), raw.get("mediadefs", {}), dict, "mediadefs"))
    _known(doc, (*path, "mediadefs"), mediadefs, {"volcat", "filecat", "pool", "ssl", "retention_days"})
    # MEDIADEFS defaults must name what this node defines: the launcher sets them through ALTER MEDIADEFS, which
    # would refuse them with no line to point at.
    for key, known in (("volcat", volcats), ("filecat", filecats), ("pool", tuple(p.name for p in pools))):
        if key in mediadefs and str(mediadefs[key]).upper() not in known:
            raise doc.error((*path, "mediadefs", key),
                            f"MEDIADEFS {key} {mediadefs[key]} is not defined on {node}: use one of"
                            f" {', '.join(known) or '(none)'} or add it under dsmtc {key}s")
    if "retention_days" in mediadefs:
        days = mediadefs["retention_days"]
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 9999:
            raise doc.error((*path, "mediadefs", "retention_days"),
                            f"retention_days {days!r} must be a whole number of days from 1 to 9999")
    ssl = []
    ssl_raw = mediadefs.get("ssl", [node])
    if not isinstance(ssl_raw, list):
        raise doc.error((*path, "mediadefs", "ssl"), f"ssl must be a list of nodes: ssl: [{ssl_raw}]")
    for i, entry in enumerate(ssl_raw):
        parts = str(entry).split(".", 1)
        target = _name(doc, (*path, "mediadefs", "ssl", i), parts[0], parse_node)
        ssl.append(target + (f".{parts[1].upper()}" if len(parts) > 1 else ""))
    mediadefs["ssl"] = ssl
    return DsmtcSpec(volcats, filecats, tuple(pools), mediadefs)


def _catalogs(doc: _Doc, path: tuple, raw: Any, kind: str, example: str) -> tuple[str, ...]:
    names = [str(v).upper() for v in _expect(doc, path, raw, list, f"{kind.lower()}s")]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise doc.error((*path, i), f"{kind} {name} is listed twice: list each catalog once")
        if not name.strip():
            raise doc.error((*path, i), f"a {kind} needs a name such as {example}")
    return tuple(names)


def builtin_dir() -> Path:
    return Path(str(resources.files("harness") / "topologies"))


def builtin_topologies() -> dict[str, Path]:
    """Name → file of every built-in topology."""
    return {p.stem: p for p in sorted(builtin_dir().glob("*.yaml"))}


def load_topology(source: str | Path | TopologySpec | dict) -> TopologySpec:
    """A spec from a built-in name, a YAML file, a YAML text, a dict, or a spec (returned as is)."""
    if isinstance(source, TopologySpec):
        return source
    if isinstance(source, dict):
        return parse_topology(yaml.safe_dump(source, sort_keys=False), "<dict>")
    text = str(source)
    builtins = builtin_topologies()
    if text in builtins:
        return parse_topology(builtins[text].read_text(), str(builtins[text]))
    path = Path(text)
    if "\n" not in text and path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise TopologyError(f"topology file {text} does not exist: give a path or one of "
                                f"{', '.join(builtins)}")
        return parse_topology(path.read_text(), str(path))
    if "\n" in text or ":" in text:
        return parse_topology(text)
    raise TopologyError(f"no topology named {text!r}: give a YAML file or one of {', '.join(builtins)}")
