"""The control plane of one emulator process: the nodes, clock, links and fault points it hosts; crash and
restart, snapshots (copies of the node folders while quiesced), reset, and JSON state dumps for checkers."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any, Callable

from emulator.clock import Clock
from emulator.errors import Conflict, InvalidArgument, NotFound
from emulator.faults import FaultPoints
from emulator.link import LinkProxy
from emulator.names import parse_node, parse_volume
from emulator.node import Node

INITIAL = "initial"


class ControlPlane:
    """Everything an emulator process runs, seen from the harness."""

    def __init__(self, nodes: dict[str, Node], clock: Clock, faults: FaultPoints, links: dict[str, LinkProxy],
                 snapshot_dir: Path, *, name: str = "", seed: int = 0, topology_yaml: str = ""):
        self.nodes = nodes
        self.clock = clock
        self.faults = faults
        self.links = links
        self.snapshot_dir = Path(snapshot_dir)
        self.name = name
        self.seed = seed
        self.topology_yaml = topology_yaml
        self.extra_dumps: dict[str, Callable[[], dict]] = {}   # "storage:STO_PRI" -> its dump()

    def node(self, name: str) -> Node:
        key = parse_node(name)
        if key not in self.nodes:
            raise NotFound(f"node {key} is not in this topology: known nodes are {', '.join(sorted(self.nodes))}")
        return self.nodes[key]

    def link(self, link_id: str) -> LinkProxy:
        if link_id not in self.links:
            hint = ", ".join(sorted(self.links)) or "none"
            raise NotFound(f"link {link_id!r} is not in this topology: known links are {hint}")
        return self.links[link_id]

    # -- crash / restart ------------------------------------------------------------------------------------
    def crash_node(self, name: str) -> tuple[Node, list[str], int]:
        node = self.node(name)
        killed, rolled_back = node.crash()
        return node, killed, rolled_back

    def restart_node(self, name: str) -> Node:
        node = self.node(name)
        node.restart()
        return node

    # -- snapshots ------------------------------------------------------------------------------------------
    def _members(self) -> list[Any]:
        """The nodes, in name order (a launcher may hold stand-ins for them)."""
        return [self.nodes[k] for k in sorted(self.nodes)]

    def _running(self) -> list[str]:
        return [p for n in self._members() if n.up for p in n.processes.running()]

    def _quiesce_check(self) -> None:
        busy = self._running()
        if busy:
            raise Conflict(f"processes are running ({', '.join(busy)}): wait for them before a snapshot or restore")

    def _snapshot_node(self, node: Any, folder: Path) -> int:
        return node.store.snapshot_to(folder)

    def _restore_node(self, node: Any, name: str, folder: Path) -> None:
        node.store.restore_from(folder)
        node.processes.recover_after_restart()

    def snapshot(self, name: str) -> int:
        """Copy every node's state to the snapshot `name`; return the bytes copied."""
        _check_snapshot_name(name)
        self._quiesce_check()
        target = self.snapshot_dir / name
        total = sum(self._snapshot_node(node, target / node.name.lstrip("\\")) for node in self._members())
        target.mkdir(parents=True, exist_ok=True)
        (target / "clock.json").write_text(json.dumps({"utc": self.clock.now().isoformat()}))
        return total

    def restore(self, name: str) -> None:
        """Put every node back in the state of snapshot `name` (the clock does not move back)."""
        _check_snapshot_name(name)
        source = self.snapshot_dir / name
        if not source.is_dir():
            raise NotFound(f"no snapshot named {name!r}: known snapshots are {', '.join(self.snapshots()) or 'none'}")
        self._quiesce_check()
        down = [n.name for n in self._members() if not n.up]
        if down:
            raise Conflict(f"{', '.join(down)} is down: restart it before restoring a snapshot (nothing was restored)")
        for node in self._members():
            self._restore_node(node, name, source / node.name.lstrip("\\"))

    def snapshots(self) -> list[str]:
        if not self.snapshot_dir.is_dir():
            return []
        return sorted(p.name for p in self.snapshot_dir.iterdir() if p.is_dir())

    def reset(self) -> None:
        """Back to the state the topology had when it was started; heal links, disarm fault points."""
        for link in self.links.values():
            link.heal()
            link.reset_counters()
        self.faults.disarm()
        for node in self.nodes.values():
            if not node.up:
                node.restart()
            for volume in node.disk.volumes():
                if volume.full:
                    node.disk.set_full(volume.name, False)
        self.restore(INITIAL)

    # -- state dumps ----------------------------------------------------------------------------------------
    def dump_state(self, nodes: list[str] | None = None, *, include_files: bool = False,
                   include_ems: bool = False) -> dict[str, Any]:
        """Every table of every node (EMS only when asked), plus file listings: the checkers' input."""
        chosen = [self.node(n) for n in nodes] if nodes else [self.nodes[k] for k in sorted(self.nodes)]
        out: dict[str, Any] = {"topology": self.name, "seed": self.seed, "utc": self.clock.now().isoformat(),
                               "nodes": {}}
        for node in chosen:
            entry: dict[str, Any] = {"up": node.up, "epoch": node.epoch, "number": node.config.number,
                                     "utc_offset_seconds": node.config.utc_offset_seconds}
            if node.up:
                with node.store.read() as db:
                    tables = {}
                    for table in sorted(db.table_names()):
                        if table.startswith("ems") and not include_ems or table.startswith("bb_"):
                            continue  # BackBox records are dumped readable below, not as blobs
                        tables[table] = [dict(r) for r in db[table].rows]
                entry["tables"] = tables
                if node.domain is not None:
                    entry["backbox"] = node.domain.dump()
                if include_files:
                    entry["files"] = _file_listing(node.store.disk_dir)
            out["nodes"][node.name] = entry
        for name in sorted(self.extra_dumps):  # storages, key managers: never key material (fingerprints only)
            out.setdefault("services", {})[name] = self.extra_dumps[name]()
        return out

    def dump_state_json(self, nodes: list[str] | None = None, **kwargs: bool) -> str:
        return json.dumps(self.dump_state(nodes, **kwargs), sort_keys=True, default=_json_default)

    def set_disk_full(self, node: str, volume: str, full: bool) -> None:
        self.node(node).disk.set_full(parse_volume(volume), full)


def _check_snapshot_name(name: str) -> None:
    if not name or not name.replace("-", "").replace("_", "").isalnum():
        raise InvalidArgument(f"snapshot name {name!r} must be letters, digits, '-' or '_'")


def _file_listing(disk_dir: Path) -> dict[str, dict[str, int]]:
    files = {}
    for path in sorted(disk_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            data = path.read_bytes()
            files[".".join(path.relative_to(disk_dir).parts)] = {"size": len(data), "crc32": zlib.crc32(data)}
    return files


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex()
    return str(value)
