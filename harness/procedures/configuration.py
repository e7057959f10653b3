"""The configuration changes of the Catalog Sync manual as procedures: stop the exports or the imports of a data
store (R52), abandon a SECONDARY (R53) or a PRIMARY (R54) data store for good, and migrate a data store to another
domain through an export and an import (R58).

None of them is a failover, so their RTO is the time the change took (from the first step to the end of the step
named by `promote_step`) and their RPO is what the other site of the pair lacks when they end: the newest backup
of the primary minus the newest one the secondary catalogs (0 when it has them all, or when no pair is left).

```yaml
- stop_exports: {}                                   # the roles' primary store
- stop_imports: {data_store: E501_WIN1_SND}
- abandon_secondary: {delete_images: true, delete_keys: true}
- abandon_primary: {}
- migrate_datastore: {}                              # the primary store moves to the secondary's domain
```
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import grpc
from google.protobuf.duration_pb2 import Duration

from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2 as gd, key_manager_pb2 as km, media_catalog_pb2 as mc
from emulator.v1 import storage_pb2 as st
from harness.checkers.dumps import qualify
from harness.errors import ScenarioError
from harness.procedures.base import T, Procedure, StepDef, StepFailed

SYNC_WAIT = Duration(seconds=10)
_ACCESS = {bb.DOMAIN_ACCESS_PRIMARY: "PRIMARY", bb.DOMAIN_ACCESS_SECONDARY: "SECONDARY",
           bb.DOMAIN_ACCESS_RESTRICTED: "RESTRICTED"}


class _StoreProcedure(Procedure):
    """A procedure on one data store: `data_store` (and `domain`) name it; by default the roles' primary or
    secondary store, as `side` says."""

    side = "primary"
    options = frozenset({"data_store", "domain"})
    bool_options: frozenset[str] = frozenset()

    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        super().validate(args, err)
        for key in ("data_store", "domain"):
            if isinstance(args, dict) and key in args and not isinstance(args[key], str):
                raise err((key,), f"{key} is a name, e.g. {key}: {'E501_WIN1' if key == 'data_store' else 'E501'}")
        for key in cls.bool_options:
            if isinstance(args, dict) and key in args and not isinstance(args[key], bool):
                raise err((key,), f"{key} is true or false")

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        r = sim.roles
        store = str(args.get("data_store") or "").upper()
        domain = str(args.get("domain") or "").upper()
        if not store:
            store, domain = (r.primary_store, r.primary_domain) if self.side == "primary" else \
                (r.secondary_store, r.secondary_domain)
        if not domain:
            domain = self._find_domain(store)
        if not store or not domain:
            raise ScenarioError(f"{self.name}: the topology has no {self.side.upper()} data store to work on; name"
                                " one with data_store: (and domain:)")
        self.domain, self.data_store = domain, store
        self.node = self.sim.topo.manager_of(domain)
        self.pair = next((p for p in r.pairs if (p[0], p[1]) == (domain, store) or (p[2], p[3]) == (domain, store)),
                         None)
        self.rpo_seconds: int | None = None

    def _find_domain(self, store: str) -> str:
        from harness.admin import domain_of_store  # noqa: PLC0415

        try:
            return domain_of_store(self.sim, store)
        except ScenarioError as exc:
            raise ScenarioError(f"{self.name}: {exc}") from None

    # -- shared steps ------------------------------------------------------------------------------------------
    def _stop_imports(self, domain: str, store: str) -> dict[str, Any]:
        """R52: the NetBatch import jobs go."""
        return {"jobs_removed": self.delete_jobs(self.sim.topo.manager_of(domain), store)}

    def _tape_entries(self, domain: str, store: str) -> list[tuple[str, str, str, list[mc.TapeFile]]]:
        """(label, VOLCAT node, VOLCAT, tape files) of every volume of the store that DSM/TC catalogs."""
        groups = {g.id: g for g in self.groups(domain, store)}
        out = []
        for vol in self.volumes(domain, store):
            group = groups.get(vol.volume_group_id)
            if group is None or group.tape_catalog != bb.TAPE_CATALOG_TYPE_DSMTC or not group.volcat:
                continue
            node, volcat = qualify(group.volcat, self.sim.topo.manager_of(domain))
            try:
                found = self.sim.topo.media_catalog(node).GetTapeVolume(
                    mc.GetTapeVolumeRequest(volser=vol.label, volcat=volcat), timeout=T)
            except grpc.RpcError as exc:
                if exc.code() != grpc.StatusCode.NOT_FOUND:
                    raise
                continue
            out.append((vol.label, node, volcat, list(found.files)))
        return out

    def _delete_tape_files(self, entries: list[tuple[str, str, str, list[mc.TapeFile]]]) -> list[str]:
        """MEDIACOM DELETE TAPEFILE for every tape file on the volumes (their volumes become SCRATCH)."""
        done: list[str] = []
        for _label, node, _volcat, files in entries:
            for f in files:
                key = f"{f.filecat}:{f.file_id}:{f.generation}"
                if key in done:
                    continue
                fnode, filecat = qualify(f.filecat, node)
                self._mediacom(f"DELETE TAPEFILE {f.file_id}, GEN {f.generation}, FILECAT {filecat}", fnode)
                done.append(key)
        return done

    def _delete_dsmtc(self, domain: str, store: str) -> dict[str, int]:
        """MEDIACOM DELETE TAPEFILE, then DELETE TAPEVOLUME, for every volume of the store DSM/TC catalogs."""
        entries = self._tape_entries(domain, store)
        files = self._delete_tape_files(entries)
        for label, node, volcat, _files in entries:
            self._mediacom(f"DELETE TAPEVOLUME {label}, VOLCAT {volcat}", node)
        left = self._tape_entries(domain, store)
        if left:
            raise StepFailed(f"DSM/TC still catalogs {', '.join(e[0] for e in left[:10])}")
        return {"tape_files_deleted": len(files), "tape_volumes_deleted": len(entries)}

    def _catalog_detach(self, domain: str, store: str) -> int:
        """Catalog Detach of every volume of the store (BackBox records only: images and DSM/TC stay)."""
        done = self.sim.topo.domain(domain).CatalogDetach(bb.CatalogDetachRequest(data_store_id=store,
                                                                                   user="CATSYNC-SIM"), timeout=T)
        if done.rejected:
            raise StepFailed(f"Catalog Detach refused {len(done.rejected)} volumes:"
                             f" {'; '.join(f'{r.label}: {r.reason}' for r in done.rejected[:5])}")
        left = self.volumes(domain, store)
        if left:
            raise StepFailed(f"{len(left)} volumes are still in the catalog of {store} after Catalog Detach")
        return len(done.detached)

    def _key_servers(self, domain: str, store: str) -> list[str]:
        """The key managers the store's encrypted groups use, as the domain names them (R50): read before the
        groups are removed."""
        ids = {g.key_manager_id.upper() for g in self.groups(domain, store) if g.key_manager_id}
        refs = self.sim.topo.domain(domain).ListKeyManagers(bb.ListKeyManagersRequest(), timeout=T).key_managers
        return sorted({k.server_name for k in refs if k.id.upper() in ids and k.server_name})

    def _destroy_keys(self, key_managers: list[str], keys: list[str]) -> int:
        """Destroy the keys on the key managers (the administrative client's work); those not there count not."""
        destroyed = 0
        for server in key_managers:
            kms = self.sim.topo.key_manager(server)
            for key in keys:
                try:
                    kms.DestroyKey(km.DestroyKeyRequest(name=key), timeout=T)
                    destroyed += 1
                except grpc.RpcError as exc:
                    if exc.code() != grpc.StatusCode.NOT_FOUND:
                        raise
        return destroyed

    def _begin_abandon(self, access: int, other: str) -> bb.DataStore:
        """What both abandon procedures start from: the store's configuration, checked to have `access` (`other`
        is the procedure for the other access), its key servers and storage; no volumes or keys handled yet."""
        config = self.store(self.domain, self.data_store)
        if config.domain_access != access:
            found = _ACCESS.get(config.domain_access, "without a domain access")
            raise ScenarioError(f"{self.name}: {self.data_store} is {found}, not {_ACCESS[access]}; {other} is for"
                                f" a {found} data store")
        self.key_servers = self._key_servers(self.domain, self.data_store)
        self.storage = next((p.storage_id for p in config.pools if p.storage_id), "")
        self.labels: list[str] = []
        self.keys: list[str] = []
        return config

    def _mediacom(self, command: str, node: str) -> list[str]:
        out = self.must("mediacom", lambda: self.sim.mediacom(command, node=node), f"MEDIACOM {command}")
        return list(out.get("lines", [])) if isinstance(out, dict) else []

    def _remove_configuration(self, domain: str, store: str) -> dict[str, Any]:
        """The volume groups, then the data store (both refused by BackBox while they hold anything)."""
        stub = self.sim.topo.domain(domain)
        groups = [g.id for g in self.groups(domain, store)]
        for g in groups:
            stub.DeleteVolumeGroup(bb.DeleteVolumeGroupRequest(id=g), timeout=T)
        stub.DeleteDataStore(bb.DeleteDataStoreRequest(id=store), timeout=T)
        try:
            self.store(domain, store)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return {"volume_groups_removed": groups, "data_store_removed": store}
            raise
        raise StepFailed(f"data store {store} is still configured in {domain}")

    def _drop_pair(self) -> None:
        """The harness no longer treats the pair as replicated (the roles keep the remaining store); an abandoned
        PRIMARY store leaves no primary behind, so `backup` says so instead of writing to a store that is gone."""
        r = self.sim.roles
        if (self.domain, self.data_store) == (r.primary_domain, r.primary_store):
            self.sim.roles = replace(r, primary_domain="", primary_store="", primary_node="", primary_storage="",
                                     primary_key_manager="", groups={})
            if self.sim.workload is not None:
                self.sim.workload.retire(self.domain, self.data_store, f"data store {self.data_store} was abandoned"
                                         f" ({self.name}, R54): no PRIMARY store is left to back up to")
            r = self.sim.roles
        pairs = [p for p in r.pairs if p != self.pair]
        if pairs == r.pairs:
            return
        if pairs:
            pd, ps, sd, ss = pairs[0]
            self.sim.roles = replace(r, pairs=pairs, primary_domain=pd, primary_store=ps, secondary_domain=sd,
                                     secondary_store=ss, primary_node=self.sim.topo.manager_of(pd),
                                     secondary_node=self.sim.topo.manager_of(sd))
        else:
            self.sim.roles = replace(r, pairs=[], secondary_domain="", secondary_store="", secondary_node="",
                                     staging_subvolume="", secondary_storage="")

    def _measure_rpo(self) -> int:
        if self.pair is None:
            return 0
        pd, _ps, sd, _ss = self.pair
        return self.rpo(pd, sd)

    def summary(self) -> dict[str, Any]:
        value = super().summary()
        value["data_store"] = f"{self.data_store} ({self.domain})"
        if self.rpo_seconds is not None:
            value["rpo_seconds"] = self.rpo_seconds
        return value


class StopExports(_StoreProcedure):
    name = "stop_exports"
    description = "R52: no more exports of a PRIMARY data store (jobs removed, frequency, delay, destination cleared)"
    side = "primary"
    promote_step = "2"
    steps = (
        StepDef("1", "let a running export end, remove the NetBatch export jobs, clear the export configuration",
                "R52, R31"),
        StepDef("2", "check that nothing can start an export any more", "R52, R28, R30"),
    )

    def step_1(self) -> dict[str, Any]:
        return self.stop_exports(self.domain, self.data_store)

    def step_2(self) -> dict[str, Any]:
        left = [j.job_name for j in self.store_jobs(self.node, self.data_store)]
        if left:
            raise StepFailed(f"NetBatch jobs of {self.data_store} are still scheduled on {self.node}:"
                             f" {', '.join(left)}; remove them (job: {{delete: {self.data_store}}})")
        page = self.export_page(self.domain, self.data_store)
        if page.HasField("next_retry_time"):
            raise StepFailed(f"the extractor still plans a retry of {self.data_store}'s pending exports")
        self.rpo_seconds = self._measure_rpo()
        return {"exports_enabled": page.exports_enabled, "pending_stay": page.pending_count}


class StopImports(_StoreProcedure):
    name = "stop_imports"
    description = "R52: no more scheduled imports into a SECONDARY data store (its NetBatch jobs removed)"
    side = "secondary"
    promote_step = "1"
    steps = (StepDef("1", "remove the NetBatch import jobs", "R52, R29"),)

    def step_1(self) -> dict[str, Any]:
        found = self._stop_imports(self.domain, self.data_store)
        self.rpo_seconds = self._measure_rpo()
        return found


class AbandonSecondary(_StoreProcedure):
    name = "abandon_secondary"
    description = "R53: a SECONDARY data store given up for good: staging, DSM/TC entries, catalog, configuration"
    side = "secondary"
    options = frozenset({"data_store", "domain", "delete_images", "delete_keys"})
    bool_options = frozenset({"delete_images", "delete_keys"})
    promote_step = "6"
    steps = (
        StepDef("1", "stop the imports, and the primary's exports to this store", "R53, R52"),
        StepDef("2", "purge the staging subvolume", "R53"),
        StepDef("3", "MEDIACOM DELETE TAPEFILE and DELETE TAPEVOLUME for the store's volumes", "R53"),
        StepDef("4", "Catalog Detach of the store's volumes", "R53"),
        StepDef("5", "remove the volume groups and the data store", "R53"),
        StepDef("6", "delete the replicated images and keys (when asked)", "R53"),
    )

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        config = self._begin_abandon(bb.DOMAIN_ACCESS_SECONDARY, "abandon_primary")
        self.staging = config.import_config.import_source.upper()

    def step_1(self) -> dict[str, Any]:
        self.rpo_seconds = self._measure_rpo()
        found = {"imports": self._stop_imports(self.domain, self.data_store)}
        if self.pair is not None and self.pair[2:] == (self.domain, self.data_store):
            pd, ps = self.pair[:2]
            if self.store(pd, ps).export_config.export_destination:
                found["exports"] = self.stop_exports(pd, ps)
        return found

    def step_2(self) -> dict[str, Any]:
        if not self.staging:
            return {"staging": "none configured"}
        node, _, subvol = self.staging.partition(".")
        guardian = self.sim.topo.guardian(node)
        names = [f.name for f in guardian.ListFiles(gd.ListFilesRequest(subvolume=self.staging), timeout=T).files]
        guardian.PurgeFile(gd.PurgeFileRequest(name=f"{subvol}.*", missing_ok=True), timeout=T)
        left = guardian.ListFiles(gd.ListFilesRequest(subvolume=self.staging), timeout=T).files
        if left:
            raise StepFailed(f"{len(left)} files are still in {self.staging} after the purge")
        return {"staging": self.staging, "purged": len(names)}

    def step_3(self) -> dict[str, Any]:
        vols = self.volumes(self.domain, self.data_store)
        self.labels = [v.label for v in vols]
        self.keys = sorted({v.media_key_name for v in vols if v.media_key_name})
        return self._delete_dsmtc(self.domain, self.data_store)

    def step_4(self) -> dict[str, Any]:
        return {"detached": self._catalog_detach(self.domain, self.data_store) if self.labels else 0}

    def step_5(self) -> dict[str, Any]:
        found = self._remove_configuration(self.domain, self.data_store)
        self._drop_pair()
        return found

    def step_6(self) -> dict[str, Any]:
        images = keys = 0
        if self.args.get("delete_images") and self.storage:
            sto = self.sim.topo.storage(self.storage)
            for label in self.labels:
                images += int(sto.DeleteImage(st.DeleteImageRequest(label=label, labeled=True), timeout=T).deleted)
        if self.args.get("delete_keys"):
            keys = self._destroy_keys(self.key_servers, self.keys)
        return {"images_deleted": images, "keys_destroyed": keys}


class AbandonPrimary(_StoreProcedure):
    name = "abandon_primary"
    description = "R54: a PRIMARY data store given up for good: its tape files, volumes, images, configuration"
    side = "primary"
    options = frozenset({"data_store", "domain", "delete_keys"})
    bool_options = frozenset({"delete_keys"})
    promote_step = "4"
    steps = (
        StepDef("1", "stop the exports", "R54, R52"),
        StepDef("2", "MEDIACOM DELETE TAPEFILE for the store's volumes (they become SCRATCH)", "R54"),
        StepDef("3", "delete the volumes in the UI (images, DSM/TC entries, BackBox records)", "R54"),
        StepDef("4", "remove the volume groups and the data store", "R54"),
        StepDef("5", "delete the keys (when asked)", "R54"),
    )

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        self._begin_abandon(bb.DOMAIN_ACCESS_PRIMARY, "abandon_secondary")

    def step_1(self) -> dict[str, Any]:
        self.rpo_seconds = self._measure_rpo()
        return self.stop_exports(self.domain, self.data_store)

    def step_2(self) -> dict[str, Any]:
        vols = self.volumes(self.domain, self.data_store)
        busy = [v.label for v in vols if v.current_operation != bb.VOLUME_OPERATION_UNSPECIFIED]
        if busy:
            raise StepFailed(f"volumes in use: {', '.join(busy[:10])}; wait for their operations to end")
        self.labels = [v.label for v in vols]
        self.keys = sorted({v.media_key_name for v in vols if v.media_key_name})
        files = self._delete_tape_files(self._tape_entries(self.domain, self.data_store))
        return {"tape_files_deleted": len(files)}

    def step_3(self) -> dict[str, Any]:
        images = 0
        for label in self.labels:
            done = self.must("delete_volume", lambda lb=label: self.sim.delete_volume(lb, domain=self.domain),
                             f"deleting volume {label}")
            images += int(bool(done.get("image_deleted")))
        left = self.volumes(self.domain, self.data_store)
        if left:
            raise StepFailed(f"{len(left)} volumes are still in the catalog of {self.data_store}")
        if self.storage:
            sto = self.sim.topo.storage(self.storage)
            kept = [lb for lb in self.labels
                    if sto.StatImage(st.StatImageRequest(label=lb, labeled=True), timeout=T).found]
            if kept:
                raise StepFailed(f"the images of {', '.join(kept[:10])} are still on {self.storage}")
        return {"volumes_deleted": len(self.labels), "images_deleted": images}

    def step_4(self) -> dict[str, Any]:
        found = self._remove_configuration(self.domain, self.data_store)
        self._drop_pair()
        return found

    def step_5(self) -> dict[str, Any]:
        keys = self._destroy_keys(self.key_servers, self.keys) if self.args.get("delete_keys") else 0
        return {"keys_destroyed": keys}


class MigrateDatastore(_StoreProcedure):
    r"""R58: a data store's catalog moves to another domain (and its DSM/TC entries to that domain's node) through
    a FULL export and import; the target store then takes the backups and the source is detached. The target is
    the SECONDARY store paired with the source (`to_store` / `to_domain` name another one)."""

    name = "migrate_datastore"
    description = "R58: move a data store's catalog to another domain by a FULL export / import, then detach it"
    side = "primary"
    options = frozenset({"data_store", "domain", "to_store", "to_domain"})
    promote_step = "5"
    steps = (
        StepDef("1", "wait until no backup runs on the source store", "R58"),
        StepDef("2", "a FULL export of the source, then its exports stopped", "R58, R52", ("link-down", {})),
        StepDef("3", "a FULL import into the target; every source volume cataloged there", "R58",
                ("staging-corrupt", {})),
        StepDef("4", "the images and keys of every volume reachable from the target", "R58",
                ("storage-replication-pause", {})),
        StepDef("5", "the target store to PRIMARY: it takes the backups", "R58, R17"),
        StepDef("6", "Data Store Detach at the source: DSM/TC entries, catalog, configuration", "R58, R53"),
        StepDef("7", "the newest backup restored on the target's node", "R58, R59", ("link-down", {})),
    )

    @classmethod
    def validate(cls, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
        super().validate(args, err)
        for key in ("to_store", "to_domain"):
            if isinstance(args, dict) and key in args and not isinstance(args[key], str):
                raise err((key,), f"{key} is a name")

    def __init__(self, sim: Any, args: dict[str, Any]):
        super().__init__(sim, args)
        to_store = str(args.get("to_store") or "").upper()
        to_domain = str(args.get("to_domain") or "").upper()
        if not to_store:
            if self.pair is None or self.pair[:2] != (self.domain, self.data_store):
                raise ScenarioError(f"{self.name}: {self.data_store} has no SECONDARY store to migrate to; name one"
                                    " with to_store: (a SECONDARY store whose Primary DS Id is the source)")
            to_domain, to_store = self.pair[2], self.pair[3]
        self.to_store = to_store
        self.to_domain = to_domain or self._find_domain(to_store)
        self.to_node = self.sim.topo.manager_of(self.to_domain)
        target = self.store(self.to_domain, self.to_store)
        if target.domain_access != bb.DOMAIN_ACCESS_SECONDARY or target.primary_data_store_id != self.data_store:
            raise ScenarioError(f"{self.name}: {self.to_store} must be a SECONDARY store whose Primary DS Id is"
                                f" {self.data_store} (configure it first)")
        self.to_storage = next((p.storage_id for p in target.pools if p.storage_id), "")
        self.labels: list[str] = []
        self.group_map = dict(sim.roles.groups)    # source group -> (target group, its FILECAT), R10 / R14

    def step_1(self) -> dict[str, Any]:
        busy: list[str] = []
        for _ in range(30):
            busy = [v.label for v in self.volumes(self.domain, self.data_store)
                    if v.current_operation != bb.VOLUME_OPERATION_UNSPECIFIED]
            if not busy:
                self.labels = [v.label for v in self.volumes(self.domain, self.data_store)]
                return {"volumes": len(self.labels)}
            self.sim.advance("1m")
        raise StepFailed(f"volumes still in use after 30 minutes: {', '.join(busy[:10])}")

    def step_2(self) -> dict[str, Any]:
        run = self.must("export", lambda: self.sim.export("FULL", domain=self.domain, data_store=self.data_store),
                        f"the FULL export of {self.data_store}")
        stopped = self.stop_exports(self.domain, self.data_store)
        return {"export_id": run.get("export_id", ""), "volumes": run.get("volumes", 0), **stopped}

    def step_3(self) -> dict[str, Any]:
        run = self.must("import", lambda: self.sim.import_("FULL", domain=self.to_domain, data_store=self.to_store),
                        f"the FULL import into {self.to_store}")
        missing = [lb for lb in self.labels if not self.cataloged_at(self.to_domain, lb)]
        if missing:
            raise StepFailed(f"{len(missing)} volumes of {self.data_store} are not in {self.to_store}'s catalog"
                             f" ({', '.join(missing[:10])}): see the import report")
        self.rpo_seconds = self.rpo(self.domain, self.to_domain)
        return {"volumes": run.get("volumes", 0), "volume_errors": run.get("volume_errors", 0)}

    def step_4(self) -> dict[str, Any]:
        source = self.sim.roles.primary_storage if self.sim.roles.primary_store == self.data_store else ""
        if source and self.replication_target("storage", source) == self.to_storage:
            done = self.sim.topo.storage(source).Sync(st.SyncRequest(timeout=SYNC_WAIT, ignore_lag=True), timeout=60)
            if not done.caught_up:
                raise StepFailed(f"storage replication {source} → {self.to_storage} has not caught up (paused or"
                                 " lagging): resume it and wait before the switch")
        keys = self._sync_keys()
        written = self.labels
        if source:   # scratch volumes have no image: only those the source holds must be on the target
            written = [lb for lb in self.labels if self._has_image(source, lb)]
        missing = [lb for lb in written if self.to_storage and not self._has_image(self.to_storage, lb)]
        if missing:
            raise StepFailed(f"the images of {', '.join(missing[:10])} are not on {self.to_storage}")
        return {"images_checked": len(written) if self.to_storage else 0, "keys_checked": keys}

    def _sync_keys(self) -> int:
        """Finish the key replication towards the target's key manager and read every volume's key there."""
        source = self.sim.roles.primary_key_manager if self.sim.roles.primary_store == self.data_store else ""
        target = self.replication_target("keys", source) if source else ""
        if not target:
            return 0
        done = self.sim.topo.key_manager(source).SyncKeys(km.SyncKeysRequest(timeout=SYNC_WAIT, ignore_lag=True),
                                                          timeout=60)
        if not done.caught_up:
            raise StepFailed(f"key replication {source} → {target} has not caught up (paused or lagging): the"
                             " target could not read the newest volumes")
        names = sorted({v.media_key_name for v in self.volumes(self.domain, self.data_store) if v.media_key_name})
        kms = self.sim.topo.key_manager(target)
        for name in names:
            kms.GetKey(km.GetKeyRequest(name=name, requester="migrate_datastore"), timeout=T)
        return len(names)

    def _has_image(self, storage: str, label: str) -> bool:
        return self.sim.topo.storage(storage).StatImage(st.StatImageRequest(label=label, labeled=True),
                                                        timeout=T).found

    def step_5(self) -> dict[str, Any]:
        stopped = self._stop_imports(self.to_domain, self.to_store)   # R52: it imports no more once PRIMARY
        self.must("configure", lambda: self.sim.configure(data_store=self.to_store, domain=self.to_domain,
                                                          domain_access="PRIMARY"), f"{self.to_store} to PRIMARY")
        r = self.sim.roles
        groups = {g.id: (g.id, g.filecat) for g in self.groups(self.to_domain, self.to_store)}
        self.sim.roles = replace(r, primary_domain=self.to_domain, primary_store=self.to_store,
                                 primary_node=self.to_node, primary_storage=self.to_storage or r.secondary_storage,
                                 primary_key_manager=self.replication_target("keys", r.primary_key_manager)
                                 or r.primary_key_manager,
                                 secondary_domain="", secondary_store="", secondary_node="", staging_subvolume="",
                                 secondary_storage="", pairs=[p for p in r.pairs if p != self.pair], groups=groups)
        if self.sim.workload is not None:
            self.sim.workload.retarget(self.sim.topo, self.to_domain, self.to_store)
        return {"primary": f"{self.to_store} ({self.to_node})", "import_jobs_removed": stopped["jobs_removed"]}

    def step_6(self) -> dict[str, Any]:
        deleted = self._delete_dsmtc(self.domain, self.data_store)
        detached = self._catalog_detach(self.domain, self.data_store)
        return {**deleted, "detached": detached, **self._remove_configuration(self.domain, self.data_store)}

    def step_7(self) -> dict[str, Any]:
        newest = self.newest_backup(self.domain, set(self.labels))
        if newest is None:
            return {"restored": ""}
        filecat = self.group_map.get(newest.get("group", ""), ("", ""))[1]
        self.must("restore_check", lambda: self.sim.restore_check(file_id=newest["file_id"], node=self.to_node,
                                                                  filecat=filecat),
                  f"restoring {newest['file_id']} on {self.to_node}")
        return {"restored": newest["file_id"]}
