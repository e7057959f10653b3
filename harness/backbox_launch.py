"""Start the BackBox part of a topology: storages, key managers and VTCs on loopback ports in the launching
process (under every launcher that starts anything: they read the topology's clock directly), then each domain
configured through its BackBoxDomain service (the contract: license, NSK nodes, VTCs, key manager ids, data
stores, volume groups, volumes), then storage and key replication between sites, then the Catalog Sync service of
each domain that has the option (`topo.serve_catalog_sync`: in this process, or in its manager's node process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc
from google.protobuf.duration_pb2 import Duration

from emulator import rpc
from emulator.key_manager import KeyManagerStore
from emulator.servicers.key_manager import serve_key_manager
from emulator.servicers.storage import serve_storage
from emulator.servicers.tape_controller import serve_vtc
from emulator.storage import StorageStore
from emulator.v1 import (backbox_domain_pb2 as bb, backbox_domain_pb2_grpc, common_pb2, key_manager_pb2 as km,
                         key_manager_pb2_grpc, storage_pb2 as st, storage_pb2_grpc)
from emulator.vtc import VirtualTapeController
from harness.backbox_topology import BackBoxSpec, DomainSpec
from harness.topology import TopologyError

if TYPE_CHECKING:
    from harness.launcher import TopologyBase

STORAGE, KEY_MANAGER, TAPE_CONTROLLER = "emulator.v1.Storage", "emulator.v1.KeyManager", "emulator.v1.TapeController"


class BackBoxRuntime:
    """The running storages, key managers and VTCs of a topology."""

    def __init__(self, topo: TopologyBase, spec: BackBoxSpec):
        self.topo = topo
        self.spec = spec
        self.storages: dict[str, StorageStore] = {}
        self.key_managers: dict[str, KeyManagerStore] = {}
        self.vtcs: dict[str, VirtualTapeController] = {}
        self.servers: dict[str, rpc.Server] = {}
        self.catalog_sync: dict[str, str] = {}   # domain id -> the address of its CatalogSync service

    def start(self) -> "BackBoxRuntime":
        topo, base = self.topo, self.topo.state_dir
        from harness.launcher import derive_seed  # noqa: PLC0415

        for s in self.spec.storages:
            store = StorageStore(s.id, s.path, base / "storage" / s.id, topo.clock, capacity_bytes=s.capacity_bytes,
                                 seed=derive_seed(topo.seed, s.id))
            self.storages[s.id] = store
            self.servers[f"storage:{s.id}"] = serve_storage(store)
        for k in self.spec.key_managers:
            kms = KeyManagerStore(k.name, base / "keys" / k.name, topo.clock, seed=derive_seed(topo.seed, k.name))
            self.key_managers[k.name] = kms
            self.servers[f"keys:{k.name}"] = serve_key_manager(kms)
        for v in self.spec.vtcs:
            domain = next(d for d in self.spec.domains if d.id == v.domain)
            vtc = VirtualTapeController(v.id, topo.clock, topo.address(domain.manager), v.drives, v.media_type,
                                        domain_id=domain.id)
            self.vtcs[v.id] = vtc
            self.servers[f"vtc:{v.id}"] = serve_vtc(vtc)
        for d in self.spec.domains:
            self._configure(d)
        for r in self.spec.replications:
            self._replicate(r)
        self._publish()
        for d in self.spec.domains:
            if d.catalog_sync:
                self._start_catalog_sync(d)
        if topo.control is not None:
            for sid, store in self.storages.items():
                topo.control.extra_dumps[f"storage:{sid}"] = store.dump
            for name, kms in self.key_managers.items():
                topo.control.extra_dumps[f"keys:{name}"] = kms.dump
        return self

    def address(self, key: str) -> str:
        return self.servers[key].address

    def _endpoint(self, service: str, key: str) -> common_pb2.Endpoint:
        return common_pb2.Endpoint(service=service, address=self.address(key))

    def _publish(self) -> None:
        for key, server in self.servers.items():
            kind = key.split(":", 1)[0]
            service = {"storage": STORAGE, "keys": KEY_MANAGER, "vtc": TAPE_CONTROLLER}[kind]
            self.topo.endpoints.append(common_pb2.Endpoint(service=f"{service}:{key.split(':', 1)[1]}",
                                                           address=server.address))

    def _configure(self, d: DomainSpec) -> None:
        stub = backbox_domain_pb2_grpc.BackBoxDomainStub(self.topo.channel(self.topo.address(d.manager)))
        call = _caller(d.id)
        if d.config.ListFields():
            fields = [f.name for f, _ in d.config.ListFields()]
            call("domain configuration", stub.UpdateDomainConfig,
                 bb.UpdateDomainConfigRequest(config=d.config, field_mask=fields))
        if d.license.key or d.license.options:
            call("license", stub.SetLicense, bb.SetLicenseRequest(license=d.license))
        for number, name in enumerate(d.nodes):
            spec = self.topo.spec.node(name)
            call(f"node {name}", stub.AddNskNode, bb.AddNskNodeRequest(node=bb.NskNode(
                name=name, expand_number=spec.number or number, install_subvolume="$SYSTEM.BBOX",
                domain_manager=name == d.manager, ems_extractor_process="$BBEXT")))
        for v in self.spec.vtcs:
            if v.domain == d.id:
                call(f"VTC {v.id}", stub.AddVtc, bb.AddVtcRequest(vtc=bb.Vtc(
                    id=v.id, host=v.id.lower(), drive_count=len(v.drives), media_types=[v.media_type], site=v.site,
                    address=self._endpoint(TAPE_CONTROLLER, f"vtc:{v.id}"))))
        for km_id, server in d.key_managers:
            call(f"key manager {km_id}", stub.AddKeyManager, bb.AddKeyManagerRequest(key_manager=bb.KeyManagerRef(
                id=km_id, server_name=server, protocol="KMIP", address=self._endpoint(KEY_MANAGER, f"keys:{server}"))))
        for ds_spec in d.data_stores:
            store = bb.DataStore()
            store.CopyFrom(ds_spec.store)
            if ds_spec.storage:
                sto = self.storages[ds_spec.storage]
                store.pools.add(kind=bb.STORAGE_POOL_KIND_STORAGE, path=sto.path, rank=1, reserved_for="ANY",
                                storage_id=sto.storage_id, storage=self._endpoint(STORAGE, f"storage:{sto.storage_id}"))
            call(f"data store {store.id}", stub.CreateDataStore, bb.CreateDataStoreRequest(data_store=store))
            for g in ds_spec.groups:
                call(f"volume group {g.group.id}", stub.CreateVolumeGroup,
                     bb.CreateVolumeGroupRequest(volume_group=g.group))
                if g.labels or g.label_range:
                    req = bb.CreateVolumesRequest(volume_group_id=g.group.id, labels=g.labels, user="SUPER.SUPER",
                                                  origin=bb.OPERATION_ORIGIN_UI)
                    if g.label_range:
                        req.range.first, req.range.last = g.label_range
                    resp = call(f"volumes of {g.group.id}", stub.CreateVolumes, req)
                    if resp.rejected:
                        raise TopologyError(f"domain {d.id}: volumes of {g.group.id} refused:"
                                            f" {resp.rejected[0].label}: {resp.rejected[0].reason}")

    def _start_catalog_sync(self, d: DomainSpec) -> None:
        """The Catalog Sync option of the domain: programs deployed, export subscribed, its service started where
        the launcher puts it (this process, or the domain manager's node process)."""
        from catsync.server import SERVICE  # noqa: PLC0415 - the product under test

        address = self.topo.serve_catalog_sync(d.id, d.manager, list(self.topo.endpoints))
        self.catalog_sync[d.id] = address
        for node in d.nodes:
            self.topo.endpoints.append(common_pb2.Endpoint(service=SERVICE, node=node, address=address))

    def _replicate(self, r) -> None:
        lag = Duration(seconds=r.lag_seconds)
        if r.kind == "storage":
            stub = storage_pb2_grpc.StorageStub(self.topo.channel(self.address(f"storage:{r.source}")))
            target = self.storages[r.target]
            mode = st.REPLICATION_MODE_AUTOCOPY if r.mode == "AUTOCOPY" else st.REPLICATION_MODE_CONTINUOUS
            stub.ConfigureReplication(st.ConfigureReplicationRequest(config=st.ReplicationConfig(
                enabled=True, peer_storage_id=target.storage_id, peer_path=target.path, mode=mode, lag=lag,
                peer=self._endpoint(STORAGE, f"storage:{r.target}")), replicate_existing=True),
                timeout=rpc.DEFAULT_DEADLINE)
        else:
            stub = key_manager_pb2_grpc.KeyManagerStub(self.topo.channel(self.address(f"keys:{r.source}")))
            stub.ConfigureKeyReplication(km.ConfigureKeyReplicationRequest(config=km.KeyReplicationConfig(
                enabled=True, peer_name=r.target, lag=lag, replicate_destroy=True,
                peer=self._endpoint(KEY_MANAGER, f"keys:{r.target}")), replicate_existing=True),
                timeout=rpc.DEFAULT_DEADLINE)

    def close(self) -> None:
        for server in self.servers.values():
            server.stop(None)
        for vtc in self.vtcs.values():
            vtc.close()
        for store in self.storages.values():
            store.close()
        for kms in self.key_managers.values():
            kms.close()


def _caller(domain_id: str):
    def call(what: str, method, request):
        try:
            return method(request, timeout=rpc.DEFAULT_DEADLINE)
        except grpc.RpcError as exc:
            raise TopologyError(f"domain {domain_id}: {what} refused by the domain manager: {exc.details()}") \
                from None
    return call
