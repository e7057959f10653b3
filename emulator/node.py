"""One emulated NonStop node: identity, persistent state, the Guardian pieces (disk, spooler, processes, EMS),
DSM/TC, and its routes to other nodes. Up or down: a crash kills its processes and rolls back transactions in
flight; a restart reopens its files.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import grpc

from emulator import rpc
from emulator.clock import Clock, parse_time_of_day
from emulator.ems import EmsEvent
from emulator.errors import EmulatorError, NodeDown, ProcessKilled, UnknownSystem
from emulator.faults import CRASH_NODE, ERROR, KILL_PROCESS, FaultPoints
from emulator.names import parse_node, parse_volume
from emulator.state import NodeStore


@dataclass(frozen=True)
class NodeConfig:
    """What a topology says about a node."""

    name: str                                  # `\INSIDX`
    number: int = 0                            # Expand node number 0..254
    site: str = ""
    utc_offset_seconds: int = 0
    volumes: dict[str, int] = field(default_factory=dict)  # `$DATA15` -> capacity bytes (0 = unlimited)
    autoexpire_time: str = "02:00"             # PARAM AUTOEXPIRE^TIME hh:mm of $ZSVR, node local time (R37);
                                               # "" = no daily run, only EXPIRE TAPEFILE by hand

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", parse_node(self.name))
        if not 0 <= self.number <= 254:
            raise EmulatorError(f"node {self.name}: Expand node number {self.number} must be 0..254")
        object.__setattr__(self, "volumes", {parse_volume(v): int(c) for v, c in self.volumes.items()})
        if self.autoexpire_time:
            parse_time_of_day(self.autoexpire_time, f"node {self.name}: AUTOEXPIRE^TIME")


@dataclass(frozen=True)
class Endpoint:
    service: str
    node: str
    address: str


class Node:
    """An emulated node; its components are created here and share its store, clock and fault points."""

    def __init__(self, config: NodeConfig, state_dir: Path | str, clock: Clock,
                 faults: FaultPoints | None = None, seed: int = 0):
        from emulator.disk import GuardianDisk          # noqa: PLC0415 - components import Node for typing
        from emulator.ems import EmsLog                 # noqa: PLC0415
        from emulator.media_catalog import MediaCatalogStore  # noqa: PLC0415
        from emulator.processes import ProcessTable     # noqa: PLC0415
        from emulator.spooler import Spooler            # noqa: PLC0415

        self.config = config
        self.name = config.name
        self.clock = clock
        self.faults = faults or FaultPoints()
        self.seed = seed
        self.store = NodeStore(state_dir)
        self.epoch = 0
        self._up = True
        self._routes: dict[str, str] = {}              # other node -> address of the link proxy toward it
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.RLock()
        self.endpoints: list[Endpoint] = []            # filled in by the launcher
        self.on_crash: list = []                       # callbacks(node) run after a crash (health, servers)
        self.on_restart: list = []
        self.domain = None                             # the BackBoxDomain when this node runs a domain manager
        clock.set_offset(self.name, config.utc_offset_seconds)
        self.disk = GuardianDisk(self)
        self.spooler = Spooler(self)
        self.ems = EmsLog(self)
        self.processes = ProcessTable(self)
        self.catalog = MediaCatalogStore(self)
        self._schedule_daily_expiration()

    # -- time -----------------------------------------------------------------------------------------------
    def utc_now(self) -> datetime:
        return self.clock.now()

    def local_now(self) -> datetime:
        """The node's local time (UTC + its offset)."""
        return self.clock.local_now(self.name)

    # -- $ZSVR daily cleanup -----------------------------------------------------------------------------------
    def _schedule_daily_expiration(self) -> None:
        """$ZSVR runs the DSM/TC cleanup once every 24 h at AUTOEXPIRE^TIME, node local time (domain-facts §1)."""
        # a node whose services restart in a new OS process replaces the timer of its previous life
        self.clock.cancel_owner(f"{self.name}/$ZSVR")
        if self.config.autoexpire_time:  # R37
            self.clock.register_daily(f"{self.name}/$ZSVR", "DSM/TC daily expiration", self.name,
                                      self.config.autoexpire_time, lambda _firing: self.daily_expiration())

    def daily_expiration(self) -> None:
        """One $ZSVR cleanup run (skipped while the node is down); an EMS event tells what it did."""
        if not self._up:
            return
        result = self.catalog.expire()
        self.ems.append(EmsEvent(
            ssid="TANDEM.DSMTC.T6028", event_number=2001, process="$ZSVR",
            text=f"$ZSVR : DSM/TC daily expiration: {len(result.invalidated)} tape file(s) expired, "
                 f"{len(result.removed)} removed, {len(result.volumes_changed)} volume(s) freed"))

    # -- up / down ------------------------------------------------------------------------------------------
    @property
    def up(self) -> bool:
        return self._up

    def down_error(self) -> EmulatorError | None:
        """The error every call gets while the node is down (the gate of its servers)."""
        return None if self._up else NodeDown(f"node {self.name} is down: restart it (Control.RestartNode)")

    def check_up(self) -> None:
        if (err := self.down_error()) is not None:
            raise err

    def crash(self) -> tuple[list[str], int]:
        """Crash now: processes die, transactions in flight roll back; return (killed, rolled back)."""
        with self._lock:
            if not self._up:
                return [], 0
            self._up = False
            rolled_back = self.store.crash()
            killed = self.processes.kill_all("node crashed")
            for callback in self.on_crash:
                callback(self)
            return killed, rolled_back

    def restart(self) -> None:
        """Reopen the node's files; committed state is all there is."""
        with self._lock:
            if self._up:
                return
            self.store.restart()
            self.epoch += 1
            self._up = True
            self.processes.recover_after_restart()
            for callback in self.on_restart:
                callback(self)

    # -- routes to other nodes ------------------------------------------------------------------------------
    def set_route(self, other: str, address: str) -> None:
        """Calls for `other` go to `address` (its link proxy on this node's side)."""
        with self._lock:
            self._routes[parse_node(other)] = address
            stale = self._channels.pop(parse_node(other), None)
        if stale is not None:
            stale.close()

    def known_nodes(self) -> list[str]:
        """This node, then the nodes it has a route to, in name order."""
        with self._lock:
            return [self.name, *sorted(self._routes)]

    def is_known(self, node: str) -> bool:
        return node.upper() == self.name or node.upper() in self._routes

    def remote(self, node: str) -> grpc.Channel:
        """A channel to `node`'s services through the link; UnknownSystem (error 18) without a route."""
        target = parse_node(node)
        with self._lock:
            if target not in self._routes:
                raise UnknownSystem(
                    f"system {target} is not defined in the network of {self.name}: add a link between them"
                    " to the topology")
            if target not in self._channels:
                self._channels[target] = rpc.channel(self._routes[target])
            return self._channels[target]

    # -- fault points ---------------------------------------------------------------------------------------
    def hit(self, point: str, process: str = "", program: str = "") -> None:
        """Pass a named fault point; an armed one kills the process, crashes the node or fails the call."""
        fired = self.faults.hit(point, self.name, program)
        if fired is None:
            return
        if fired.action == KILL_PROCESS:
            if process:
                self.processes.kill(process, f"killed at fault point {point}")
            raise ProcessKilled(f"process {process or '(none)'} killed at fault point {point}")
        if fired.action == CRASH_NODE:
            self.crash()
            raise NodeDown(f"node {self.name} crashed at fault point {point}")
        if fired.action == ERROR:
            raise EmulatorError(f"fault point {point} failed the operation (Guardian error "
                                f"{fired.guardian_error or 'unset'})", guardian_error=fired.guardian_error or None)

    def close(self) -> None:
        self.clock.cancel_owner(f"{self.name}/$ZSVR")
        if self.domain is not None:
            self.domain.close()
        for ch in self._channels.values():
            ch.close()
        self._channels.clear()
        self.processes.shutdown()
        self.store.close()
