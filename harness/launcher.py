"""Start a topology: `with start_topology("two-node") as topo:` is the door for tests, scenarios and
`catsync-sim serve`. Three launchers (DESIGN §6), one public surface (`TopologyBase`: stubs for every service,
addresses, `describe`, `close`):

- `inprocess` (here): every node's server, the link proxies and the control server (Clock, Control, Link) in this
  process, each on its own loopback port;
- `subprocess` (`harness.launch_subprocess`): one OS process per node, so a node crash is a real SIGKILL;
- `remote` (`harness.launch_remote`): addresses given, nothing started, every endpoint health-checked.

A scenario uses only that surface (never `topo.nodes` / `topo.clock`, which only the in-process launcher has), so
it runs the same under every launcher.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import grpc

from catsync.v1 import catalog_sync_pb2_grpc
from emulator import rpc
from emulator.clock import Clock
from emulator.control import INITIAL, ControlPlane
from emulator.faults import FaultPoints
from emulator.link import LinkProxy
from emulator.names import parse_node
from emulator.node import Endpoint, Node, NodeConfig
from emulator.serve import GUARDIAN, serve_node
from emulator.servicers.clock import ClockServicer
from emulator.servicers.control import ControlServicer
from emulator.servicers.link import LinkServicer
from emulator.v1 import (backbox_domain_pb2_grpc, clock_pb2_grpc, common_pb2, control_pb2_grpc, guardian_pb2_grpc,
                         key_manager_pb2_grpc, link_pb2_grpc, media_catalog_pb2, media_catalog_pb2_grpc,
                         storage_pb2_grpc, tape_controller_pb2_grpc)
from harness.topology import NodeSpec, TopologyError, TopologySpec, load_topology

CLOCK, CONTROL, LINK = "emulator.v1.Clock", "emulator.v1.Control", "emulator.v1.Link"
CATALOG_SYNC = "catsync.v1.CatalogSync"
LAUNCHERS = ("inprocess", "subprocess", "remote")
_BB_SERVICES = {"storage": "emulator.v1.Storage", "keys": "emulator.v1.KeyManager",
                "vtc": "emulator.v1.TapeController"}


def derive_seed(seed: int, *parts: str) -> int:
    """A stable sub-seed for one part of the topology (a link's loss draws, a node's process names)."""
    return random.Random(":".join([str(seed), *parts])).getrandbits(63)


class TopologyBase:
    """A running topology as its users see it: addresses and stubs for every service, found in `endpoints` (the
    directory Control.GetTopology serves), the same under every launcher."""

    launcher = ""

    def __init__(self, spec: TopologySpec, state_dir: Path | None, *, owns_state_dir: bool = False):
        self.spec = spec
        self.seed = spec.seed
        self.state_dir = state_dir
        self._owns_state_dir = owns_state_dir
        self.endpoints: list[common_pb2.Endpoint] = []
        self._channels: dict[str, grpc.Channel] = {}

    # -- life -----------------------------------------------------------------------------------------------
    def close(self) -> None:
        raise NotImplementedError

    def _close_channels(self) -> None:
        for channel in self._channels.values():
            channel.close()
        self._channels.clear()

    def __enter__(self) -> "TopologyBase":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- addresses ------------------------------------------------------------------------------------------
    @property
    def control_address(self) -> str:
        raise NotImplementedError

    def _find(self, service: str, node: str = "") -> str | None:
        for e in self.endpoints:
            if e.service == service and e.node == node:
                return e.address
        return None

    def address(self, node: str) -> str:
        """The address of a node's server (Guardian, MediaCatalog, health, reflection)."""
        name = parse_node(node)
        found = self._find(GUARDIAN, name)
        if found is None:
            known = ", ".join(sorted({e.node for e in self.endpoints if e.node})) or "none"
            raise TopologyError(f"node {name} is not in topology {self.spec.name}: its nodes are {known}")
        return found

    def channel(self, address: str) -> grpc.Channel:
        if address not in self._channels:
            self._channels[address] = rpc.channel(address)
        return self._channels[address]

    def describe(self) -> list[tuple[str, str, str]]:
        """(service, node, address) rows, as `catsync-sim serve` prints them."""
        return [(e.service, e.node, e.address) for e in self.endpoints]

    def link_id(self, node_a: str, node_b: str, kind: str = "EXPAND") -> str:
        a, b = parse_node(node_a), parse_node(node_b)
        for link in self.spec.links:
            if link.kind == kind and {link.node_a, link.node_b} == {a, b}:
                return link.id
        known = ", ".join(sorted(link.id for link in self.spec.links)) or "none"
        raise TopologyError(f"no {kind} link between {a} and {b} in topology {self.spec.name}: its links are {known}")

    # -- stubs ----------------------------------------------------------------------------------------------
    def guardian(self, node: str) -> guardian_pb2_grpc.GuardianStub:
        return guardian_pb2_grpc.GuardianStub(self.channel(self.address(node)))

    def media_catalog(self, node: str) -> media_catalog_pb2_grpc.MediaCatalogStub:
        return media_catalog_pb2_grpc.MediaCatalogStub(self.channel(self.address(node)))

    def clock_service(self) -> clock_pb2_grpc.ClockStub:
        return clock_pb2_grpc.ClockStub(self.channel(self.control_address))

    def control_service(self) -> control_pb2_grpc.ControlStub:
        return control_pb2_grpc.ControlStub(self.channel(self.control_address))

    def link_service(self) -> link_pb2_grpc.LinkStub:
        return link_pb2_grpc.LinkStub(self.channel(self.control_address))

    def manager_of(self, domain_id: str) -> str:
        """The domain manager node of a domain of the topology; TopologyError naming the known ones otherwise."""
        spec = self.spec.backbox
        manager = next((d.manager for d in (spec.domains if spec else ()) if d.id == domain_id.upper()), None)
        if manager is None:
            known = ", ".join(d.id for d in (spec.domains if spec else ())) or "none"
            raise TopologyError(f"no domain {domain_id} in topology {self.spec.name}: its domains are {known}")
        return manager

    def domain(self, domain_id: str) -> backbox_domain_pb2_grpc.BackBoxDomainStub:
        """The BackBoxDomain service of a domain (on its manager node)."""
        return backbox_domain_pb2_grpc.BackBoxDomainStub(self.channel(self.address(self.manager_of(domain_id))))

    def catalog_sync(self, domain_id: str) -> catalog_sync_pb2_grpc.CatalogSyncStub:
        """The CatalogSync service (catsync) of a domain."""
        found = self._find(CATALOG_SYNC, self.manager_of(domain_id))
        if found is None:
            raise TopologyError(f"domain {domain_id} has no CatalogSync service running in topology {self.spec.name}")
        return catalog_sync_pb2_grpc.CatalogSyncStub(self.channel(found))

    def vtc(self, vtc_id: str) -> tape_controller_pb2_grpc.TapeControllerStub:
        return tape_controller_pb2_grpc.TapeControllerStub(self.channel(self._bb_address(f"vtc:{vtc_id.upper()}")))

    def storage(self, storage_id: str) -> storage_pb2_grpc.StorageStub:
        return storage_pb2_grpc.StorageStub(self.channel(self._bb_address(f"storage:{storage_id.upper()}")))

    def key_manager(self, name: str) -> key_manager_pb2_grpc.KeyManagerStub:
        return key_manager_pb2_grpc.KeyManagerStub(self.channel(self._bb_address(f"keys:{name.upper()}")))

    def _bb_address(self, key: str) -> str:
        kind, _, ident = key.partition(":")
        found = self._find(f"{_BB_SERVICES[kind]}:{ident}")
        if found is None:
            known = ", ".join(f"{k}:{e.service.rsplit(':', 1)[1]}" for e in self.endpoints
                              for k, s in _BB_SERVICES.items() if e.service.startswith(s + ":")) or "none"
            raise TopologyError(f"no {key} in topology {self.spec.name}: it has {known}")
        return found

    # -- shared start steps ---------------------------------------------------------------------------------
    def _publish_endpoints(self, node_endpoints: dict[str, list[Endpoint]], links: dict[str, LinkProxy]) -> None:
        """The directory: every node's services, then Clock / Control / Link, then both ends of every link."""
        shared = [Endpoint(s, "", self.control_address) for s in (CLOCK, CONTROL, LINK)]
        for name in sorted(node_endpoints):
            self.endpoints.extend(common_pb2.Endpoint(service=e.service, node=e.node, address=e.address)
                                  for e in node_endpoints[name] if e.node)
        self.endpoints.extend(common_pb2.Endpoint(service=e.service, address=e.address) for e in shared)
        for link in links.values():
            self.endpoints.append(common_pb2.Endpoint(service=f"link:{link.id}", node=link.node_a,
                                                      address=link.to_b.address))
            self.endpoints.append(common_pb2.Endpoint(service=f"link:{link.id}", node=link.node_b,
                                                      address=link.to_a.address))

    def _setup_dsmtc(self, spec: NodeSpec) -> None:
        """Create the node's catalogs, pools and MEDIADEFS through its MediaCatalog service (the contract)."""
        stub = self.media_catalog(spec.name)
        pb = media_catalog_pb2
        for kind, names in ((pb.CATALOG_KIND_VOLCAT, spec.dsmtc.volcats), (pb.CATALOG_KIND_FILECAT,
                                                                            spec.dsmtc.filecats)):
            for name in names:
                stub.CreateCatalog(pb.CreateCatalogRequest(catalog=pb.Catalog(name=name, kind=kind, node=spec.name)),
                                   timeout=rpc.DEFAULT_DEADLINE)
        for pool in spec.dsmtc.pools:
            stub.AddPool(pb.AddPoolRequest(pool=pb.Pool(
                volcat=f"{spec.name}.{pool.volcat}", name=pool.name, label=pb.LABEL_TYPE_ANSI, density="ANY",
                media_type=pool.media_type, autoscratch=pool.autoscratch, searchspace_in=pool.searchspace_in)),
                timeout=rpc.DEFAULT_DEADLINE)
        md = spec.dsmtc.mediadefs
        if md:
            defs = pb.MediaDefs(node=spec.name, ssl=md.get("ssl", [spec.name]))
            mask = ["ssl"]
            for key, field in (("volcat", "default_volcat"), ("filecat", "default_filecat"), ("pool", "default_pool")):
                if key in md:
                    value = str(md[key]).upper()
                    setattr(defs, field, value if key == "pool" else f"{spec.name}.{value}")
                    mask.append(field)
            if "retention_days" in md:
                defs.retention_days = int(md["retention_days"])
                mask.append("retention_days")
            stub.AlterMediaDefs(pb.AlterMediaDefsRequest(media_defs=defs, field_mask=mask, user="SUPER.SUPER"),
                                timeout=rpc.DEFAULT_DEADLINE)

    def _serve_control(self, clock: Any, control: Any) -> rpc.Server:
        """The control server: Clock, Control and Link on one loopback port."""
        server = rpc.Server("127.0.0.1:0")
        server.add(clock_pb2_grpc.add_ClockServicer_to_server, ClockServicer(clock), CLOCK)
        server.add(control_pb2_grpc.add_ControlServicer_to_server, ControlServicer(control, self.endpoints), CONTROL)
        server.add(link_pb2_grpc.add_LinkServicer_to_server, LinkServicer(control), LINK)
        server.start()
        return server

    def _finish_start(self) -> None:
        """Once every node serves: the DSM/TC setup, BackBox, and the INITIAL snapshot a restore goes back to."""
        for spec in self.spec.nodes:
            self._setup_dsmtc(spec)
        self.backbox = self._start_backbox()
        self.control.snapshot(INITIAL)

    def _start_backbox(self) -> Any:
        """Storages, key managers and VTCs (in this process), the domains' configuration, Catalog Sync."""
        bb = self.spec.backbox
        if bb is None or not (bb.domains or bb.storages or bb.key_managers):
            return None
        from harness.backbox_launch import BackBoxRuntime  # noqa: PLC0415

        return BackBoxRuntime(self, bb).start()

    def serve_catalog_sync(self, domain_id: str, manager: str, endpoints: list[common_pb2.Endpoint]) -> str:
        """Start the CatalogSync service of a domain (where the launcher puts it); return its address."""
        raise NotImplementedError


class Topology(TopologyBase):
    """A topology running in this process: its nodes, servers, links and control plane."""

    launcher = "inprocess"

    def __init__(self, spec: TopologySpec, state_dir: Path, *, owns_state_dir: bool):
        super().__init__(spec, state_dir, owns_state_dir=owns_state_dir)
        self.state_dir: Path = state_dir
        self.clock = Clock(mode=spec.clock_mode, start=spec.clock_start, rate=spec.clock_rate)
        self.faults = FaultPoints()
        self.nodes: dict[str, Node] = {}
        self.servers: dict[str, rpc.Server] = {}
        self.links: dict[str, LinkProxy] = {}
        self.control: ControlPlane | None = None
        self.control_server: rpc.Server | None = None
        self.catalog_sync_servers: list[Any] = []   # catsync.server.CatalogSyncServer
        self.backbox = None                   # harness.backbox_launch.BackBoxRuntime

    # -- start / stop ---------------------------------------------------------------------------------------
    def start(self) -> "Topology":
        try:
            for spec in self.spec.nodes:
                self._start_node(spec)
            for link_spec in self.spec.links:
                a, b = self.nodes[link_spec.node_a], self.nodes[link_spec.node_b]
                link = LinkProxy(link_spec.kind, a.name, b.name, self.servers[a.name].address,
                                 self.servers[b.name].address, seed=derive_seed(self.seed, link_spec.id)).start()
                self.links[link.id] = link
                a.set_route(b.name, link.to_b.address)
                b.set_route(a.name, link.to_a.address)
            self.control = ControlPlane(self.nodes, self.clock, self.faults, self.links, self.state_dir / "snapshots",
                                        name=self.spec.name, seed=self.seed, topology_yaml=self.spec.source)
            self.control_server = self._serve_control(self.clock, self.control)
            shared = [Endpoint(s, "", self.control_server.address) for s in (CLOCK, CONTROL, LINK)]
            for node in self.nodes.values():
                node.endpoints = [*node.endpoints, *shared]
            self._publish_endpoints({n.name: n.endpoints for n in self.nodes.values()}, self.links)
            self._finish_start()
        except BaseException:
            self.close()
            raise
        return self

    def _start_node(self, spec: NodeSpec) -> None:
        config = NodeConfig(name=spec.name, number=spec.number, site=spec.site,
                            utc_offset_seconds=spec.utc_offset_seconds, volumes=spec.volumes,
                            autoexpire_time=spec.autoexpire_time)
        node = Node(config, self.state_dir / "nodes" / spec.name.lstrip("\\"), self.clock, self.faults,
                    seed=derive_seed(self.seed, spec.name))
        self.nodes[node.name] = node
        domain_id = self.spec.backbox.domain_of_node(node.name) if self.spec.backbox is not None else ""
        self.servers[node.name] = serve_node(node, spec.address or "127.0.0.1:0", domain_id=domain_id)

    def serve_catalog_sync(self, domain_id: str, manager: str, endpoints: list[common_pb2.Endpoint]) -> str:
        from catsync.server import serve_catalog_sync  # noqa: PLC0415 - the product under test

        server = serve_catalog_sync(domain_id, manager, endpoints)
        self.catalog_sync_servers.append(server)
        return server.address

    def close(self) -> None:
        for server in self.catalog_sync_servers:   # before the clock they watch goes away
            server.stop()
        self.catalog_sync_servers.clear()
        self._close_channels()
        if self.control_server is not None:
            self.control_server.stop(None)
        if self.backbox is not None:
            self.backbox.close()
        for link in self.links.values():
            link.stop()
        for server in self.servers.values():
            server.stop(None)
        for node in self.nodes.values():
            node.close()
        self.clock.close()
        if self._owns_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> "Topology":
        return self

    @property
    def control_address(self) -> str:
        assert self.control_server is not None
        return self.control_server.address


def prepare_state_dir(state_dir: Path | str | None) -> tuple[Path, bool]:
    """The topology's folder (a temporary one when none is given) and whether the topology owns it."""
    owns = state_dir is None
    directory = Path(tempfile.mkdtemp(prefix="catsync-sim-")) if owns else Path(state_dir)  # type: ignore[arg-type]
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / "nodes").exists():
        raise TopologyError(f"{directory} already holds a topology's state: give an empty --state-dir (or remove"
                            " it); to go back to a saved state use Control.RestoreSnapshot")
    return directory, owns


def start_topology(source: str | Path | TopologySpec | dict, *, launcher: str = "inprocess",
                   state_dir: Path | str | None = None, seed: int | None = None, clock_mode: str | None = None,
                   control_address: str | None = None, startup_timeout: float | None = None) -> TopologyBase:
    """Load, validate and start a topology (or attach to a running one: `launcher="remote"`); close it (or use
    `with`) to stop it. `control_address` (remote only) overrides the topology's `control:` key;
    `startup_timeout` bounds each node process's start (subprocess, 60 s) or each endpoint's health check
    (remote, 10 s)."""
    if launcher not in LAUNCHERS:
        raise TopologyError(f"launcher {launcher!r} is not known: use one of {', '.join(LAUNCHERS)}")
    if launcher == "remote":
        from harness.launch_remote import attach_topology  # noqa: PLC0415

        if state_dir is not None or seed is not None or clock_mode is not None:
            raise TopologyError("a remote topology is already running: state_dir, seed and clock_mode are its own"
                                " (drop them, or start it with another launcher)")
        return attach_topology(source, control_address=control_address, timeout=startup_timeout or 10.0)
    if control_address is not None:
        raise TopologyError("control_address is for launcher='remote' (attach to a running topology)")
    spec = load_topology(source)
    if seed is not None or clock_mode is not None:
        spec = replace(spec, seed=spec.seed if seed is None else seed,
                       clock_mode=clock_mode or spec.clock_mode)
    directory, owns = prepare_state_dir(state_dir)
    if launcher == "subprocess":
        from harness.launch_subprocess import SubprocessTopology  # noqa: PLC0415

        return SubprocessTopology(spec, directory, owns_state_dir=owns,
                                  startup_timeout=startup_timeout or 60.0).start()
    return Topology(spec, directory, owns_state_dir=owns).start()
