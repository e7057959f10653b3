"""The nemesis: every fault a scenario can inject, each one healable, each recorded with its start and stop.

A fault kind is a class with `start()` (inject, return what it hit) and `heal()` (undo). `Nemesis.fail(kind,
**params)` starts one and records `fail` invoke / ok events of the `nemesis` process; `Nemesis.heal(id | kind |
"all")` ends it with `heal` events. Every run heals whatever is still active before it settles (STYLE habit 7).

Kinds (the issue's list; parameters in brackets, all optional unless marked):
  link-down [between], link-one-way [between, from], link-latency [between, ms*], link-loss [between,
  probability*], link-bandwidth [between, bytes_per_second*]  — the Link service's faults (Guardian error 250)
  node-crash [node*]                      — Control.CrashNode; heal = RestartNode
  process-kill [point*, node, program, on_hit, repeat] — a fault point armed to kill the process hitting it
  storage-replication-pause [storage], storage-replication-lag [storage, lag*], storage-drop-object [storage,
  label], storage-corrupt-object [storage, label]
  key-replication-pause [key_manager]
  staging-truncate / staging-corrupt / staging-delete [label | file], staging-foreign [file]
  staging-disk-full [node, volume]        — Control.SetDiskFull on the staging area's volume
  ems-extractor-stopped [node]            — CatalogSync.SetExtractor running=false
  clock-skew [node*, seconds*]            — the node's clock moved by `seconds` (Clock.SetNodeOffset)
"""

from __future__ import annotations

import contextlib
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import grpc
from google.protobuf.duration_pb2 import Duration

from catsync.v1 import catalog_sync_pb2 as cs
from emulator import rpc
from emulator.names import parse_node
from emulator.v1 import (clock_pb2, control_pb2, guardian_pb2, key_manager_pb2 as km, link_pb2, storage_pb2 as st)
from harness.scenario import parse_duration
from emulator.errors import EmulatorError
from harness.errors import HarnessError, ScenarioError
from harness.history import FAIL, INFO, NEMESIS, OK

if TYPE_CHECKING:
    from harness.sim import Sim

T = rpc.DEFAULT_DEADLINE


class NothingToHit(HarnessError):
    """The fault has no target right now (no staging file yet, the file exists already): recorded, not raised."""


@dataclass
class Fault:
    """One injected fault: its kind's parameters, what it hit (`target`) and what healing needs (`saved`)."""

    kind: ClassVar[str] = ""
    allowed: ClassVar[frozenset[str]] = frozenset()
    required: ClassVar[frozenset[str]] = frozenset()
    summary: ClassVar[str] = ""

    sim: "Sim"
    params: dict[str, Any]
    id: str = ""
    target: dict[str, Any] = field(default_factory=dict)
    saved: dict[str, Any] = field(default_factory=dict)

    def validate(self) -> None:
        """Check the parameters' values before anything is recorded or touched (a typo is the author's error)."""
        for key in ("node", "from"):
            if key in self.params:
                parse_node(str(self.params[key]))
        if "between" in self.params and isinstance(self.params["between"], (list, tuple)):
            for end in self.params["between"]:
                parse_node(str(end))

    def start(self) -> None:
        raise NotImplementedError

    def heal(self) -> None:
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {"fault": self.kind, "id": self.id, "target": self.target, "params": self.params}


FAULTS: dict[str, type[Fault]] = {}


def fault_kind(cls: type[Fault]) -> type[Fault]:
    FAULTS[cls.kind] = cls
    return cls


# -- links ---------------------------------------------------------------------------------------------------------

class _LinkFault(Fault):
    base_allowed = frozenset({"between", "kind"})

    def link_id(self) -> str:
        between = self.params.get("between")
        kind = str(self.params.get("kind", "EXPAND")).upper()
        if between is None:
            a, b = self.sim.primary_node, self.sim.secondary_node
        elif isinstance(between, (list, tuple)) and len(between) == 2:
            a, b = (parse_node(str(n)) for n in between)
        else:
            raise ScenarioError(f"{self.kind}: between must list two nodes, e.g. between: [\\INSIDX, \\ETINIUM]")
        return self.sim.topo.link_id(a, b, kind)

    def fault(self) -> link_pb2.LinkFault:
        raise NotImplementedError

    def validate(self) -> None:
        super().validate()
        if not isinstance(self, LinkOneWay):
            self.fault()

    def _others(self) -> list["_LinkFault"]:
        """The other active faults on the same link: a link carries all of them at once."""
        return [f for f in self.sim.nemesis.active.values()
                if isinstance(f, _LinkFault) and f is not self and f.target.get("link") == self.target["link"]]

    def _apply(self, faults: list["_LinkFault"]) -> None:
        link = self.target["link"]
        if not faults:
            self.sim.topo.link_service().HealLink(link_pb2.HealLinkRequest(id=link), timeout=T)
            return
        merged = link_pb2.LinkFault()
        for f in faults:
            merged.MergeFrom(f.saved["fault"])   # scalar fields set by a later fault win
        self.sim.topo.link_service().SetLinkFault(link_pb2.SetLinkFaultRequest(id=link, fault=merged), timeout=T)

    def start(self) -> None:
        self.target = {"link": self.link_id()}
        self.saved["fault"] = self.fault()
        self._apply([*self._others(), self])

    def heal(self) -> None:
        self._apply(self._others())


@fault_kind
class LinkDown(_LinkFault):
    kind, summary = "link-down", "the Expand link is down both ways (Guardian error 250)"
    allowed = _LinkFault.base_allowed | {"guardian_error"}

    def fault(self) -> link_pb2.LinkFault:
        return link_pb2.LinkFault(down=True, guardian_error=int(self.params.get("guardian_error", 0)))


@fault_kind
class LinkOneWay(_LinkFault):
    kind, summary = "link-one-way", "calls from one node are lost, answers to the other are lost"
    allowed = _LinkFault.base_allowed | {"from"}

    def fault(self) -> link_pb2.LinkFault:
        source = parse_node(str(self.params.get("from", self.sim.primary_node)))
        self.target["from"] = source
        return link_pb2.LinkFault(one_way_from=source)


@fault_kind
class LinkLatency(_LinkFault):
    kind, summary = "link-latency", "every message over the link waits `ms` wall milliseconds"
    allowed, required = _LinkFault.base_allowed | {"ms"}, frozenset({"ms"})

    def fault(self) -> link_pb2.LinkFault:
        return link_pb2.LinkFault(latency_ms=_int(self, "ms", 0, 60_000))


@fault_kind
class LinkLoss(_LinkFault):
    kind, summary = "link-loss", "each call over the link is dropped with `probability` (seeded)"
    allowed, required = _LinkFault.base_allowed | {"probability"}, frozenset({"probability"})

    def fault(self) -> link_pb2.LinkFault:
        p = self.params["probability"]
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ScenarioError(f"link-loss: probability {p!r} must be a number from 0 to 1, e.g. 0.2")
        return link_pb2.LinkFault(loss_probability=float(p))


@fault_kind
class LinkBandwidth(_LinkFault):
    kind, summary = "link-bandwidth", "the link carries at most `bytes_per_second`"
    allowed, required = _LinkFault.base_allowed | {"bytes_per_second"}, frozenset({"bytes_per_second"})

    def fault(self) -> link_pb2.LinkFault:
        return link_pb2.LinkFault(bandwidth_bytes_per_second=_int(self, "bytes_per_second", 1, 10**12))


# -- nodes and processes ---------------------------------------------------------------------------------------------

@fault_kind
class NodeCrash(Fault):
    kind, summary = "node-crash", "the node crashes (its processes die, open transactions roll back)"
    allowed, required = frozenset({"node"}), frozenset({"node"})

    def start(self) -> None:
        node = parse_node(str(self.params["node"]))
        self.target = {"node": node}
        resp = self.sim.topo.control_service().CrashNode(control_pb2.CrashNodeRequest(node=node), timeout=T)
        self.target["killed"] = list(getattr(resp, "killed_processes", []) or [])

    def heal(self) -> None:
        self.sim.topo.control_service().RestartNode(control_pb2.RestartNodeRequest(node=self.target["node"]),
                                                    timeout=T)


@fault_kind
class ProcessKill(Fault):
    kind, summary = "process-kill", "the process reaching fault point `point` is killed there"
    allowed, required = frozenset({"point", "node", "program", "on_hit", "repeat"}), frozenset({"point"})

    def validate(self) -> None:
        super().validate()
        _int(self, "on_hit", 1, 10**6, default=1)

    def start(self) -> None:
        point = control_pb2.FaultPoint(name=str(self.params["point"]), action=control_pb2.FAULT_ACTION_KILL_PROCESS,
                                       on_hit=_int(self, "on_hit", 1, 10**6, default=1),
                                       repeat=bool(self.params.get("repeat", False)),
                                       program=str(self.params.get("program", "")).upper())
        if "node" in self.params:
            point.node = parse_node(str(self.params["node"]))
        self.target = {"point": point.name, "node": point.node, "program": point.program, "on_hit": point.on_hit}
        self.sim.topo.control_service().ArmFaultPoint(control_pb2.ArmFaultPointRequest(point=point), timeout=T)

    def heal(self) -> None:
        resp = self.sim.topo.control_service().DisarmFaultPoint(
            control_pb2.DisarmFaultPointRequest(name=self.target["point"]), timeout=T)
        self.target["fired"] = sum(p.fired for p in resp.points)


# -- storage and key replication -------------------------------------------------------------------------------------

class _StorageFault(Fault):
    def storage_id(self) -> str:
        return str(self.params.get("storage") or self.sim.primary_storage).upper()


@fault_kind
class StorageReplicationPause(_StorageFault):
    kind, summary = "storage-replication-pause", "the storage stops shipping images to its replica"
    allowed = frozenset({"storage"})

    def start(self) -> None:
        self.target = {"storage": self.storage_id()}
        self.sim.topo.storage(self.target["storage"]).PauseReplication(st.PauseReplicationRequest(), timeout=T)

    def heal(self) -> None:
        self.sim.topo.storage(self.target["storage"]).ResumeReplication(st.ResumeReplicationRequest(), timeout=T)


@fault_kind
class StorageReplicationLag(_StorageFault):
    kind, summary = "storage-replication-lag", "changes reach the replica only `lag` (virtual time) later"
    allowed, required = frozenset({"storage", "lag"}), frozenset({"lag"})

    def validate(self) -> None:
        try:
            parse_duration(self.params["lag"])
        except ValueError as exc:
            raise ScenarioError(f"storage-replication-lag: {exc}") from None

    def start(self) -> None:
        try:
            lag = parse_duration(self.params["lag"])
        except ValueError as exc:
            raise ScenarioError(f"storage-replication-lag: {exc}") from None
        stub = self.sim.topo.storage(self.storage_id())
        config = stub.GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status.config
        if not config.enabled:
            raise ScenarioError(f"storage-replication-lag: storage {self.storage_id()} does not replicate: name a"
                                " storage with replication (topology 'replication: storage:')")
        self.target = {"storage": self.storage_id(), "lag_seconds": lag}
        earlier = self._others()
        self.saved["lag"] = earlier[0].saved["lag"] if earlier else config.lag.seconds   # the configured lag
        config.lag.CopyFrom(Duration(seconds=lag))
        stub.ConfigureReplication(st.ConfigureReplicationRequest(config=config), timeout=T)

    def _others(self) -> list["StorageReplicationLag"]:
        return [f for f in self.sim.nemesis.active.values() if isinstance(f, StorageReplicationLag)
                and f is not self and f.target.get("storage") == self.target["storage"]]

    def heal(self) -> None:
        others = self._others()
        stub = self.sim.topo.storage(self.target["storage"])
        config = stub.GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status.config
        lag = others[-1].target["lag_seconds"] if others else self.saved["lag"]
        config.lag.CopyFrom(Duration(seconds=lag))
        stub.ConfigureReplication(st.ConfigureReplicationRequest(config=config), timeout=T)


class _StorageObjectFault(_StorageFault):
    fault_kind_value = 0
    allowed = frozenset({"storage", "label", "count"})

    def validate(self) -> None:
        _int(self, "count", 0, 10**6, default=0)

    def start(self) -> None:
        label = str(self.params.get("label") or self.sim.latest_label() or "").upper()
        self.target = {"storage": self.storage_id(), "label": label}
        resp = self.sim.topo.storage(self.target["storage"]).InjectStorageFault(st.InjectStorageFaultRequest(
            kind=self.fault_kind_value, label=label, labeled=bool(label),
            count=_int(self, "count", 0, 10**6, default=0)), timeout=T)
        self.saved["fault_id"] = resp.fault.id

    def heal(self) -> None:
        self.sim.topo.storage(self.target["storage"]).ClearStorageFault(
            st.ClearStorageFaultRequest(fault_id=self.saved["fault_id"]), timeout=T)


@fault_kind
class StorageDropObject(_StorageObjectFault):
    kind, summary = "storage-drop-object", "an image is lost on the way to the replica"
    fault_kind_value = st.STORAGE_FAULT_KIND_DROP_OBJECT

    def storage_id(self) -> str:
        """Default: the replica of the primary's storage; dropped at the source the primary would lose it too."""
        if self.params.get("storage"):
            return str(self.params["storage"]).upper()
        return self.sim.secondary_storage


@fault_kind
class StorageCorruptObject(_StorageObjectFault):
    kind, summary = "storage-corrupt-object", "an image's bytes are flipped (checksum mismatch on read)"
    fault_kind_value = st.STORAGE_FAULT_KIND_CORRUPT_OBJECT


@fault_kind
class KeyReplicationPause(Fault):
    kind, summary = "key-replication-pause", "the key manager stops sending keys to its alternate"
    allowed = frozenset({"key_manager"})

    def start(self) -> None:
        name = str(self.params.get("key_manager") or self.sim.primary_key_manager).upper()
        self.target = {"key_manager": name}
        self.sim.topo.key_manager(name).PauseKeyReplication(km.PauseKeyReplicationRequest(), timeout=T)

    def heal(self) -> None:
        self.sim.topo.key_manager(self.target["key_manager"]).ResumeKeyReplication(
            km.ResumeKeyReplicationRequest(), timeout=T)


# -- the staging area ------------------------------------------------------------------------------------------------

class _StagingFault(Fault):
    """Damage one file of the staging area; healing puts the original back if nobody rewrote it since."""

    allowed = frozenset({"label", "file", "subvolume"})

    def file_name(self) -> str:
        subvolume = str(self.params.get("subvolume") or self.sim.staging_subvolume)
        if "file" in self.params:
            name = str(self.params["file"]).upper()
            return name if name.startswith("\\") else f"{subvolume}.{name}"
        label = str(self.params.get("label") or self.sim.latest_label() or "")
        if not label:
            raise NothingToHit(f"{self.kind}: no volume was exported yet: give label: or file:")
        from catsync import staging  # noqa: PLC0415 - the staging file naming is the product's format

        return staging.volume_file(subvolume, label.upper())

    def damage(self, data: bytes) -> bytes | None:
        raise NotImplementedError

    def start(self) -> None:
        name = self.file_name()
        node = name.split(".", 1)[0]
        self.target = {"file": name}
        try:
            original = self.sim.read_file(node, name)
        except grpc.RpcError as exc:
            raise NothingToHit(f"{self.kind}: cannot read {name} ({exc.details()}): export the volume first or name"
                               " an existing staging file") from None
        self.saved["original"] = original
        damaged = self.damage(original)
        if damaged is None:
            self.sim.topo.guardian(node).PurgeFile(guardian_pb2.PurgeFileRequest(name=name), timeout=T)
            self.saved["crc"] = None
        else:
            self.sim.write_file(node, name, damaged)
            self.saved["crc"] = zlib.crc32(damaged)

    def heal(self) -> None:
        name = self.target["file"]
        node = name.split(".", 1)[0]
        try:
            now = self.sim.read_file(node, name)
        except grpc.RpcError:
            now = None
        untouched = now is None if self.saved["crc"] is None else now is not None and zlib.crc32(now) == \
            self.saved["crc"]
        self.target["restored"] = untouched
        if untouched:   # an export since rewrote it: the new file stands
            self.sim.write_file(node, name, self.saved["original"])


@fault_kind
class StagingTruncate(_StagingFault):
    kind, summary = "staging-truncate", "a staging file loses its second half (a torn write)"

    def damage(self, data: bytes) -> bytes:
        return data[: len(data) // 2]


@fault_kind
class StagingCorrupt(_StagingFault):
    kind, summary = "staging-corrupt", "bytes in the middle of a staging file are flipped"

    def damage(self, data: bytes) -> bytes:
        if not data:
            return b"\xff"
        middle = len(data) // 2
        return data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 8]) + data[middle + 8:]


@fault_kind
class StagingDelete(_StagingFault):
    kind, summary = "staging-delete", "a staging file is purged"

    def damage(self, data: bytes) -> None:
        return None


@fault_kind
class StagingForeign(Fault):
    kind, summary = "staging-foreign", "a file that is not an export file appears in the staging area"
    allowed = frozenset({"file", "subvolume", "content"})

    def start(self) -> None:
        subvolume = str(self.params.get("subvolume") or self.sim.staging_subvolume)
        # the default name is no volume file (V + a label): `file: VZZ001` makes the import read and refuse it
        name = f"{subvolume}.{str(self.params.get('file', 'VZZFORGN')).upper()}"
        node = name.split(".", 1)[0]
        self.target = {"file": name}
        try:
            self.saved["original"] = self.sim.read_file(node, name)   # a file there already comes back at heal
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
            self.saved["original"] = None
        content = str(self.params.get("content", "not a catalog sync file\n")).encode()
        self.saved["crc"] = zlib.crc32(content)
        self.sim.write_file(node, name, content)

    def heal(self) -> None:
        name = self.target["file"]
        node = name.split(".", 1)[0]
        try:
            now = self.sim.read_file(node, name)
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.NOT_FOUND:
                raise
            return
        if zlib.crc32(now) != self.saved["crc"]:
            return   # an export rewrote it since: the new file stands
        if self.saved["original"] is not None:
            self.sim.write_file(node, name, self.saved["original"])
        else:
            self.sim.topo.guardian(node).PurgeFile(guardian_pb2.PurgeFileRequest(name=name), timeout=T)


@fault_kind
class StagingDiskFull(Fault):
    kind, summary = "staging-disk-full", "the staging area's disk volume is full (Guardian error 43)"
    allowed = frozenset({"node", "volume"})

    def start(self) -> None:
        node, volume = self.sim.staging_subvolume.split(".")[:2]
        node = parse_node(str(self.params.get("node", node)))
        volume = str(self.params.get("volume", volume)).upper()
        self.target = {"node": node, "volume": volume}
        self.sim.topo.control_service().SetDiskFull(control_pb2.SetDiskFullRequest(node=node, volume=volume,
                                                                                   full=True), timeout=T)

    def heal(self) -> None:
        self.sim.topo.control_service().SetDiskFull(control_pb2.SetDiskFullRequest(full=False, **self.target),
                                                    timeout=T)


# -- catsync and clocks ----------------------------------------------------------------------------------------------

@fault_kind
class ExtractorStopped(Fault):
    kind, summary = "ems-extractor-stopped", "the EMS extractor $BBEXT of a node stops (no export retries, R28)"
    allowed = frozenset({"node", "domain"})

    def start(self) -> None:
        node = parse_node(str(self.params.get("node", self.sim.primary_node)))
        domain = str(self.params.get("domain") or self.sim.primary_domain).upper()
        self.target = {"node": node, "domain": domain}
        self.sim.topo.catalog_sync(domain).SetExtractor(cs.SetExtractorRequest(node=node, running=False), timeout=T)

    def heal(self) -> None:
        self.sim.topo.catalog_sync(self.target["domain"]).SetExtractor(
            cs.SetExtractorRequest(node=self.target["node"], running=True), timeout=T)


@fault_kind
class ClockSkew(Fault):
    kind, summary = "clock-skew", "a node's clock runs `seconds` ahead (negative: behind) of the others"
    allowed, required = frozenset({"node", "seconds"}), frozenset({"node", "seconds"})

    def validate(self) -> None:
        super().validate()
        _int(self, "seconds", -86399, 86399)

    def start(self) -> None:
        node = parse_node(str(self.params["node"]))
        skew = _int(self, "seconds", -86399, 86399)
        clock = self.sim.topo.clock_service()
        current = clock.GetTime(clock_pb2.GetTimeRequest(node=node), timeout=T).node_offset_seconds
        if abs(current + skew) >= 86400:
            raise ScenarioError(f"clock-skew: {node} runs {current / 3600:+.1f} h from UTC already; {skew:+d} s more"
                                " would put it a day or more off, which a node's clock cannot show: skew it less")
        self.saved["skew"] = skew
        self.target = {"node": node, "offset_seconds": current + skew}
        clock.SetNodeOffset(clock_pb2.SetNodeOffsetRequest(node=node, offset_seconds=current + skew), timeout=T)

    def heal(self) -> None:
        # take back this fault's own skew only: other skews of the node may still be active
        clock = self.sim.topo.clock_service()
        current = clock.GetTime(clock_pb2.GetTimeRequest(node=self.target["node"]), timeout=T).node_offset_seconds
        clock.SetNodeOffset(clock_pb2.SetNodeOffsetRequest(
            node=self.target["node"], offset_seconds=current - self.saved["skew"]), timeout=T)


def _int(fault: Fault, key: str, low: int, high: int, default: int | None = None) -> int:
    value = fault.params.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(f"{fault.kind}: {key} {value!r} must be a whole number from {low} to {high}")
    return value


class Nemesis:
    """The active faults of a run, started and healed with history events."""

    def __init__(self, sim: "Sim"):
        self.sim = sim
        self.active: dict[str, Fault] = {}
        self.missed: set[str] = set()     # ids of faults whose start hit nothing: healing them is a no-op
        self.count = 0
        self.log: list[dict[str, Any]] = []   # every fault with its start / stop virtual times (results.json)

    @staticmethod
    def make(sim: "Sim", kind: str, params: dict[str, Any]) -> Fault:
        if kind not in FAULTS:
            raise ScenarioError(f"unknown fault {kind!r}: the faults are {', '.join(sorted(FAULTS))}")
        cls = FAULTS[kind]
        unknown = sorted(set(params) - cls.allowed - {"id"})
        if unknown:
            raise ScenarioError(f"fault {kind}: unknown parameter {unknown[0]!r}: allowed are "
                                f"{', '.join(sorted(cls.allowed)) or 'none'}")
        missing = sorted(cls.required - set(params))
        if missing:
            raise ScenarioError(f"fault {kind}: {missing[0]} is required, e.g. {missing[0]}: ...")
        return cls(sim, {k: v for k, v in params.items() if k != "id"})

    def fail(self, kind: str, /, **params: Any) -> Fault | None:
        """Start a fault; None (and a `fail` event) when there is nothing to hit or the platform refused. `kind`
        is positional only: a link fault has a parameter of that name (`kind: EXPAND`)."""
        with self._lock():
            return self._fail(kind, params)

    def _lock(self) -> Any:
        """The Sim's operation lock (a demo's steps and its web console share the Sim), if it has one."""
        return getattr(self.sim, "lock", None) or contextlib.nullcontext()

    def _fail(self, kind: str, params: dict[str, Any]) -> Fault | None:
        fault = self.make(self.sim, kind, params)
        self.count += 1
        fault.id = str(params.get("id") or f"F{self.count}")
        if fault.id in self.active:
            raise ScenarioError(f"fault id {fault.id} is already active: heal it first or choose another id")
        try:
            fault.validate()
        except EmulatorError as exc:
            raise ScenarioError(f"{kind}: {exc.message}") from None
        history = self.sim.history
        invoked = history.invoke("fail", {"fault": kind, "id": fault.id, "params": fault.params}, process=NEMESIS)
        try:
            fault.start()
        except NothingToHit as exc:    # nothing to hit now (no staging file yet ...): recorded, the run goes on
            history.complete(invoked, FAIL, fault.describe(), error=str(exc))
            self.missed.add(fault.id)
            return None
        except (ScenarioError, EmulatorError) as exc:   # a malformed value or an unknown node / link / storage
            message = str(exc) if isinstance(exc, ScenarioError) else f"{kind}: {exc.message}"
            history.complete(invoked, FAIL, fault.describe(), error=message)
            raise ScenarioError(message) from None
        except grpc.RpcError as exc:
            history.complete(invoked, INFO if rpc.is_indefinite(exc) else FAIL, fault.describe(),
                             error=f"{exc.code().name}: {exc.details()}")
            self.missed.add(fault.id)
            return None
        history.complete(invoked, OK, fault.describe())
        self.active[fault.id] = fault
        self.log.append({**fault.describe(), "start": history.events[-1].time, "stop": ""})
        return fault

    def heal(self, which: str = "all") -> list[Fault]:
        """Heal one fault by id, every fault of a kind, or all of them (latest first)."""
        with self._lock():
            return self._heal(which)

    def _heal(self, which: str) -> list[Fault]:
        chosen = [f for f in self.active.values() if which in ("all", f.id, f.kind)]
        if not chosen and which in self.missed:   # its start hit nothing (a swarm draws heals blindly)
            return []
        if not chosen and which != "all":
            raise ScenarioError(f"nothing to heal named {which!r}: active faults are "
                                f"{', '.join(f'{f.id} ({f.kind})' for f in self.active.values()) or 'none'}")
        for fault in reversed(chosen):
            invoked = self.sim.history.invoke("heal", {"fault": fault.kind, "id": fault.id}, process=NEMESIS)
            try:
                fault.heal()
            except grpc.RpcError as exc:   # e.g. the node of the fault is down: the fault stays active
                self.sim.history.complete(invoked, INFO if rpc.is_indefinite(exc) else FAIL, fault.describe(),
                                          error=f"{exc.code().name}: {exc.details()}")
                continue
            self.sim.history.complete(invoked, OK, fault.describe())
            self.active.pop(fault.id, None)
            for entry in self.log:
                if entry["id"] == fault.id and not entry["stop"]:
                    entry["stop"] = self.sim.history.events[-1].time
                    entry["target"] = fault.target
        return chosen
