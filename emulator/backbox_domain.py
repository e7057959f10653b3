"""The BackBox domain manager (BBSV) of one domain, living on its NonStop node: the domain configuration and
license, NSK nodes, VTCs, key managers, Data Stores and Volume Groups (validated by `domain_config` on every
change), and the Storage Admin view. The volume catalog is `domain_volumes`, events `domain_events`, backups
`domain_backup`, the OBB017 cleanup `domain_cleanup`. domain-facts §4.

The configuration is kept as records in the node's `node.sqlite` (BBSVCFG on a real system), one row per
object in configuration order; the domain reaches DSM/TC, VTCs, storage and key managers through their gRPC
services (only its own node's MEDIADEFS is read in-process), and never holds its own transaction while it calls
one (the node's catalogs share its writer).
"""

from __future__ import annotations

import threading
from datetime import date
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

import grpc
from google.protobuf.message import Message

from emulator import domain_config as cfg
from emulator import rpc
from emulator.domain_access import decide
from emulator.domain_events import EventLog, create_schema as create_event_schema, select_in
from emulator.errors import AlreadyExists, Conflict, EmulatorError, InvalidArgument, NotFound
from emulator.media_catalog import MediaDefs
from emulator.names import parse_node
from emulator.v1 import backbox_domain_pb2 as bb, media_catalog_pb2_grpc

if TYPE_CHECKING:
    import sqlite_utils

    from emulator.node import Node

M = TypeVar("M", bound=Message)
DOMAIN, LICENSE, NODE, VTC, KEY_MANAGER, DATA_STORE, VOLUME_GROUP = (
    "domain", "license", "node", "vtc", "key_manager", "data_store", "volume_group")
_TYPES: dict[str, type[Message]] = {DOMAIN: bb.DomainConfig, LICENSE: bb.License, NODE: bb.NskNode, VTC: bb.Vtc,
                                    KEY_MANAGER: bb.KeyManagerRef, DATA_STORE: bb.DataStore,
                                    VOLUME_GROUP: bb.VolumeGroup}
_WORDS = {NODE: "NSK node", VTC: "VTC", KEY_MANAGER: "key manager", DATA_STORE: "data store",
          VOLUME_GROUP: "volume group"}
MEDIA_CATALOG = "emulator.v1.MediaCatalog"


def create_schema(db: sqlite_utils.Database) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS bb_config (kind TEXT NOT NULL, id TEXT NOT NULL, position INTEGER NOT"
               " NULL, record BLOB NOT NULL, PRIMARY KEY (kind, id))")
    db.execute("CREATE TABLE IF NOT EXISTS bb_counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    create_event_schema(db)


class BackBoxDomain:
    """One domain manager: configuration here; volumes, backups and cleanup in the modules it wires up."""

    def __init__(self, node: Node, domain_id: str, *, description: str = ""):
        from emulator.domain_backup import BackupRunner      # noqa: PLC0415 - they import this module
        from emulator.domain_cleanup import DailyCleanup     # noqa: PLC0415
        from emulator.domain_mounts import VolumeOperations  # noqa: PLC0415
        from emulator.domain_volumes import VolumeCatalog    # noqa: PLC0415

        self.node = node
        self.store = node.store
        self.store.add_schema(create_schema)
        self.events = EventLog(node)
        self._channels: dict[str, grpc.Channel] = {}
        self._lock = threading.RLock()
        with self.store.transaction("domain setup") as txn:
            if not self._rows(txn.db, DOMAIN):
                config = cfg.normalise_domain_config(bb.DomainConfig(
                    domain_id=domain_id, description=description, domain_manager_node=node.name))
                cfg.raise_on_errors(cfg.check_domain_config(config))
                self._put(txn.db, DOMAIN, "DOMAIN", config)
        self.volumes = VolumeCatalog(self)
        self.mounts = VolumeOperations(self)
        self.backups = BackupRunner(self)
        self.cleanup = DailyCleanup(self)
        node.domain = self  # type: ignore[attr-defined]
        self.cleanup.schedule()

    # -- records ---------------------------------------------------------------------------------------------
    def _rows(self, db: sqlite_utils.Database, kind: str) -> list[Message]:
        typ = _TYPES[kind]
        return [typ.FromString(r["record"]) for r in
                db.query("SELECT record FROM bb_config WHERE kind = ? ORDER BY position", [kind])]

    def _put(self, db: sqlite_utils.Database, kind: str, key: str, record: Message) -> None:
        rows = list(db.query("SELECT position FROM bb_config WHERE kind = ? AND id = ?", [kind, key]))
        if rows:
            db.execute("UPDATE bb_config SET record = ? WHERE kind = ? AND id = ?",
                       [record.SerializeToString(), kind, key])
        else:
            pos = int(next(db.query("SELECT COALESCE(MAX(position), 0) AS p FROM bb_config WHERE kind = ?",
                                    [kind]))["p"]) + 1
            db.execute("INSERT INTO bb_config VALUES (?, ?, ?, ?)", [kind, key, pos, record.SerializeToString()])

    def _delete(self, db: sqlite_utils.Database, kind: str, key: str) -> None:
        db.execute("DELETE FROM bb_config WHERE kind = ? AND id = ?", [kind, key])

    def list_config(self, kind: str, db: sqlite_utils.Database | None = None) -> list:
        if db is not None:
            return self._rows(db, kind)
        with self.store.read() as rdb:
            return self._rows(rdb, kind)

    def _find(self, kind: str, key: str, db: sqlite_utils.Database | None = None) -> Message:
        wanted = key.strip().upper()
        for record in self.list_config(kind, db):
            ident = record.name if kind == NODE else record.id
            if ident.upper() == wanted:
                return record
        known = ", ".join((r.name if kind == NODE else r.id) for r in self.list_config(kind, db)) or "none"
        raise NotFound(f"{_WORDS.get(kind, kind)} {key!r} is not configured in domain {self.domain_id}"
                       f" (configured: {known})")

    def next_counter(self, db: sqlite_utils.Database, name: str) -> int:
        rows = list(db.query("SELECT value FROM bb_counter WHERE name = ?", [name]))
        value = (int(rows[0]["value"]) if rows else 0) + 1
        db.execute("INSERT OR REPLACE INTO bb_counter VALUES (?, ?)", [name, value])
        return value

    # -- context for the checks ------------------------------------------------------------------------------
    def context(self, db: sqlite_utils.Database | None = None) -> cfg.ConfigContext:
        if db is None:
            with self.store.read() as rdb:
                return self.context(rdb)
        counts = {r["volume_group_id"]: int(r["n"]) for r in db.query(
            "SELECT volume_group_id, COUNT(*) AS n FROM bb_volume GROUP BY volume_group_id")}
        defaults = self._media_defaults()
        domain = bb.DomainConfig()
        domain.CopyFrom(self._rows(db, DOMAIN)[0])
        licenses = self._rows(db, LICENSE)
        if licenses:  # the license lives in its own record (SetLicense); the checks read it with the domain's
            domain.license.CopyFrom(licenses[0])
        return cfg.ConfigContext(
            domain=domain, nodes=tuple(self._rows(db, NODE)), vtcs=tuple(self._rows(db, VTC)),
            key_managers=tuple(self._rows(db, KEY_MANAGER)), data_stores=tuple(self._rows(db, DATA_STORE)),
            volume_groups=tuple(self._rows(db, VOLUME_GROUP)),
            default_filecats={self.node.name: defaults.default_filecat} if defaults else {},
            volume_counts=counts, today=self.local_today())

    def _media_defaults(self) -> MediaDefs | None:
        """MEDIADEFS of the domain manager's own node (R16 needs its default FILECAT), read in-process: the
        domain runs on that node, as BBSV reads its local catalogs."""
        try:
            return self.node.catalog.media_defs()
        except EmulatorError:
            return None

    def local_today(self) -> date:
        return self.node.local_now().date()

    # -- domain and license ----------------------------------------------------------------------------------
    @property
    def domain_id(self) -> str:
        return self.domain_config().domain_id

    def domain_config(self) -> bb.DomainConfig:
        return self.list_config(DOMAIN)[0]

    def update_domain_config(self, update: bb.DomainConfig, mask: Iterable[str]) -> bb.DomainConfig:
        mask = list(mask)
        if "domain_id" in mask or "license" in mask:
            raise InvalidArgument("domain_id and license cannot change through UpdateDomainConfig: the domain id is"
                                  " fixed at installation; use SetLicense for the license")
        with self.store.transaction("update domain config") as txn:
            current = self._rows(txn.db, DOMAIN)[0]
            new = cfg.apply_field_mask(current, update, mask or list(cfg.DOMAIN_CONFIG_FIELDS), cfg.DOMAIN_CONFIG_FIELDS,
                                       what="domain configuration")
            new = cfg.normalise_domain_config(new)
            cfg.raise_on_errors(cfg.check_domain_config(new))
            self._put(txn.db, DOMAIN, "DOMAIN", new)
            return new

    def license(self) -> bb.License:
        rows = self.list_config(LICENSE)
        return rows[0] if rows else bb.License()

    def license_status(self) -> bb.LicenseStatus:
        return cfg.license_status(self.license(), self.local_today())

    def set_license(self, lic: bb.License) -> bb.LicenseStatus:
        cfg.raise_on_errors(cfg.check_license(lic))
        with self.store.transaction("set license") as txn:
            self._put(txn.db, LICENSE, "LICENSE", lic)
        return self.license_status()

    def catalog_sync_licensed(self) -> bool:
        return self.license_status().catalog_sync  # R1

    # -- nodes, VTCs, key managers ---------------------------------------------------------------------------
    def _add(self, kind: str, record: M, key: str, check: Callable[[M, cfg.ConfigContext], list]) -> M:
        with self.store.transaction(f"add {kind}") as txn:
            if any((r.name if kind == NODE else r.id).upper() == key.upper() for r in self._rows(txn.db, kind)):
                raise AlreadyExists(f"{_WORDS[kind]} {key} is configured already in domain"
                                    f" {self.domain_id}: update or delete it instead")
            cfg.raise_on_errors(check(record, self.context(txn.db)))
            self._put(txn.db, kind, key.upper(), record)
            return record

    def add_nsk_node(self, node: bb.NskNode) -> bb.NskNode:
        node = bb.NskNode(name=parse_node(node.name), expand_number=node.expand_number,
                          install_subvolume=node.install_subvolume.upper(), domain_manager=node.domain_manager,
                          ems_extractor_process=node.ems_extractor_process.upper(), endpoints=node.endpoints)
        return self._add(NODE, node, node.name, cfg.check_nsk_node)

    def delete_nsk_node(self, name: str) -> None:
        self._remove(NODE, name)

    def add_vtc(self, vtc: bb.Vtc) -> bb.Vtc:
        vtc.id = vtc.id.strip().upper()
        if not vtc.media_types:
            vtc.media_types.append("LTO3")
        return self._add(VTC, vtc, vtc.id, cfg.check_vtc)

    def delete_vtc(self, vtc_id: str) -> None:
        self._remove(VTC, vtc_id)

    def add_key_manager(self, km: bb.KeyManagerRef) -> bb.KeyManagerRef:
        km.id = km.id.strip().upper()
        km.protocol = km.protocol.strip().upper() or "KMIP"
        return self._add(KEY_MANAGER, km, km.id, cfg.check_key_manager)

    def update_key_manager(self, km: bb.KeyManagerRef, mask: Iterable[str]) -> bb.KeyManagerRef:
        with self.store.transaction("update key manager") as txn:
            current = self._find(KEY_MANAGER, km.id, txn.db)
            new = cfg.apply_field_mask(current, km, list(mask), cfg.KEY_MANAGER_FIELDS, what="key manager")
            others = [k for k in self._rows(txn.db, KEY_MANAGER) if k.id != current.id]
            ctx = self.context(txn.db)
            ctx = cfg.ConfigContext(**{**ctx.__dict__, "key_managers": tuple(others)})
            cfg.raise_on_errors(cfg.check_key_manager(new, ctx))
            self._put(txn.db, KEY_MANAGER, current.id, new)
            return new

    def delete_key_manager(self, km_id: str) -> None:
        users = [g.id for g in self.list_config(VOLUME_GROUP) if g.key_manager_id.upper() == km_id.strip().upper()]
        if users:
            raise Conflict(f"key manager {km_id} is named by volume group(s) {', '.join(users)}: change their key"
                           " manager id first (R50)")
        self._remove(KEY_MANAGER, km_id)

    def _remove(self, kind: str, key: str) -> None:
        with self.store.transaction(f"delete {kind}") as txn:
            record = self._find(kind, key, txn.db)
            self._delete(txn.db, kind, (record.name if kind == NODE else record.id).upper())

    def key_manager(self, km_id: str) -> bb.KeyManagerRef:
        return self._find(KEY_MANAGER, km_id)

    def vtcs(self) -> list[bb.Vtc]:
        return self.list_config(VTC)

    # -- data stores -----------------------------------------------------------------------------------------
    def data_store(self, ds_id: str, db: sqlite_utils.Database | None = None) -> bb.DataStore:
        return self._find(DATA_STORE, ds_id, db)

    def data_stores(self, access: int = 0, status: int = 0) -> list[bb.DataStore]:
        return [d for d in self.list_config(DATA_STORE) if (not access or d.domain_access == access)
                and (not status or (d.status or bb.DATA_STORE_STATUS_ACTIVE) == status)]

    def create_data_store(self, ds: bb.DataStore, password: str = "") -> tuple[bb.DataStore, list]:
        with self.store.transaction("create data store") as txn:
            ctx = self.context(txn.db)
            ds = cfg.normalise_data_store(ds, ctx)
            if any(d.id.upper() == ds.id.upper() for d in ctx.data_stores):
                raise AlreadyExists(f"data store {ds.id} exists already in domain {ctx.domain.domain_id}: choose"
                                    " another id (ids are immutable)")
            ds.password_set = bool(password)
            warnings = cfg.raise_on_errors(cfg.check_data_store(ds, ctx, creating=True))
            self._put(txn.db, DATA_STORE, ds.id, ds)
            return ds, warnings

    def update_data_store(self, ds: bb.DataStore, mask: Iterable[str], password: str = ""
                          ) -> tuple[bb.DataStore, list]:
        mask = list(mask)
        with self.store.transaction("update data store") as txn:
            current = self.data_store(ds.id, txn.db)
            new = cfg.apply_field_mask(current, ds, [m for m in mask if m != "password"], cfg.DATA_STORE_FIELDS,
                                       what="data store")
            if "password" in mask:
                new.password_set = bool(password)
            ctx = self.context(txn.db)
            new = cfg.normalise_data_store(new, ctx)
            # the full context: the check tells a value this change sets from a leftover of a role switch
            warnings = cfg.raise_on_errors(cfg.check_data_store(new, ctx, creating=False))
            self._put(txn.db, DATA_STORE, current.id, new)
            return new, warnings

    def delete_data_store(self, ds_id: str) -> None:
        with self.store.transaction("delete data store") as txn:
            ds = self.data_store(ds_id, txn.db)
            groups = [g.id for g in self._rows(txn.db, VOLUME_GROUP) if g.data_store_id == ds.id]
            if groups:
                raise Conflict(f"data store {ds.id} still has volume group(s) {', '.join(groups)}: delete them"
                               " first (and Catalog Detach their volumes)")
            self._delete(txn.db, DATA_STORE, ds.id)

    def set_data_store_status(self, ds_id: str, status: int) -> bb.DataStore:
        if status not in (bb.DATA_STORE_STATUS_ACTIVE, bb.DATA_STORE_STATUS_INACTIVE):
            raise InvalidArgument("data store status must be ACTIVE or INACTIVE")
        with self.store.transaction("set data store status") as txn:
            ds = self.data_store(ds_id, txn.db)
            ds.status = status
            self._put(txn.db, DATA_STORE, ds.id, ds)
            return ds

    def set_domain_access(self, ds_id: str, access: int, primary_id: str = "") -> tuple[bb.DataStore, list]:
        if access not in (bb.DOMAIN_ACCESS_PRIMARY, bb.DOMAIN_ACCESS_SECONDARY, bb.DOMAIN_ACCESS_RESTRICTED):
            raise InvalidArgument("domain access must be PRIMARY, SECONDARY or RESTRICTED (R17)")
        with self.store.transaction("set domain access") as txn:
            ds = self.data_store(ds_id, txn.db)
            busy = [r["label"] for r in txn.db.query(
                "SELECT label FROM bb_volume WHERE data_store_id = ? AND operation != 0 LIMIT 5", [ds.id])]
            if busy and access != bb.DOMAIN_ACCESS_PRIMARY:
                raise Conflict(f"data store {ds.id} has volumes in use ({', '.join(busy)}): wait for the backups to"
                               " end before changing its domain access (R55 step 1)")
            warnings = [p for p in cfg.check_domain_access_change(ds, access, self.context(txn.db))]
            ds.domain_access = access
            if access == bb.DOMAIN_ACCESS_PRIMARY:
                ds.primary_data_store_id = ""
            elif primary_id:
                ds.primary_data_store_id = primary_id.strip()
            self._put(txn.db, DATA_STORE, ds.id, ds)
        if access != bb.DOMAIN_ACCESS_PRIMARY:
            self.volumes.force_write_access_disabled(ds.id)
        return ds, warnings

    def update_export_config(self, ds_id: str, export: bb.ExportConfig, mask: Iterable[str]) -> bb.DataStore:
        mask = [f"export_config.{m}" for m in mask] or ["export_config"]
        ds, _ = self.update_data_store(bb.DataStore(id=ds_id, export_config=export), mask)
        return ds

    def update_import_config(self, ds_id: str, imp: bb.ImportConfig, mask: Iterable[str]
                             ) -> tuple[bb.DataStore, list]:
        mask = [f"import_config.{m}" for m in mask] or ["import_config"]
        return self.update_data_store(bb.DataStore(id=ds_id, import_config=imp), mask)

    def check_access(self, ds_id: str, operation: int, origin: int = 0) -> bb.AccessDecision:
        return decide(self.data_store(ds_id), operation, origin, catalog_sync_licensed=self.catalog_sync_licensed())

    # -- volume groups ---------------------------------------------------------------------------------------
    def volume_group(self, vg_id: str, db: sqlite_utils.Database | None = None) -> bb.VolumeGroup:
        return self._find(VOLUME_GROUP, vg_id, db)

    def volume_groups(self, ds_id: str = "") -> list[bb.VolumeGroup]:
        return [g for g in self.list_config(VOLUME_GROUP) if not ds_id or g.data_store_id.upper() == ds_id.upper()]

    def create_volume_group(self, vg: bb.VolumeGroup) -> tuple[bb.VolumeGroup, list]:
        with self.store.transaction("create volume group") as txn:
            ctx = self.context(txn.db)
            vg = cfg.normalise_volume_group(vg, ctx)
            if any(g.id.upper() == vg.id.upper() for g in ctx.volume_groups):
                raise AlreadyExists(f"volume group {vg.id} exists already in domain {ctx.domain.domain_id}: choose"
                                    " another id")
            warnings = cfg.raise_on_errors(cfg.check_volume_group(vg, ctx, creating=True))
            self._put(txn.db, VOLUME_GROUP, vg.id, vg)
            return vg, warnings

    def update_volume_group(self, vg: bb.VolumeGroup, mask: Iterable[str]) -> tuple[bb.VolumeGroup, list]:
        with self.store.transaction("update volume group") as txn:
            current = self.volume_group(vg.id, txn.db)
            new = cfg.apply_field_mask(current, vg, list(mask), cfg.VOLUME_GROUP_FIELDS, what="volume group")
            ctx = self.context(txn.db)
            new = cfg.normalise_volume_group(new, ctx)
            if new.data_store_id != current.data_store_id and ctx.volume_counts.get(current.id):
                raise Conflict(f"volume group {current.id} holds {ctx.volume_counts[current.id]} volume(s): it"
                               " cannot move to another data store; create a new group instead")
            warnings = cfg.raise_on_errors(cfg.check_volume_group(new, ctx, creating=False))
            self._put(txn.db, VOLUME_GROUP, current.id, new)
            return new, warnings

    def delete_volume_group(self, vg_id: str) -> None:
        with self.store.transaction("delete volume group") as txn:
            vg = self.volume_group(vg_id, txn.db)
            n = int(next(txn.db.query("SELECT COUNT(*) AS n FROM bb_volume WHERE volume_group_id = ?",
                                      [vg.id]))["n"])
            if n:
                raise Conflict(f"volume group {vg.id} still holds {n} volume(s): delete them or Catalog Detach"
                               " them first")
            self._delete(txn.db, VOLUME_GROUP, vg.id)

    def validate(self, ds_id: str = "") -> list[bb.ConfigurationProblem]:
        if ds_id:
            self.data_store(ds_id)
        return cfg.validate_all(self.context(), ds_id)

    # -- pending exports -------------------------------------------------------------------------------------
    def mark_exported(self, req: bb.MarkExportedRequest) -> bb.MarkExportedResponse:
        """Clear volumes written to staging; one with a newer trigger than the export saw stays pending (R20)."""
        from emulator.domain_events import NewEvent  # noqa: PLC0415

        ds = self.data_store(req.data_store_id)
        events = []
        with self.store.transaction(f"mark exported {ds.id}") as txn:
            cleared = self.events.clear_pending(txn.db, ds.id, [(v.label.strip().upper(), v.sequence)
                                                                for v in req.volumes], req.up_to_sequence)
            groups = {r["label"]: r["volume_group_id"] for r in select_in(
                txn.db, "SELECT label, volume_group_id FROM bb_volume WHERE label IN ({})", cleared)}
            for label in cleared:
                events.append(self.events.record(txn.db, NewEvent(
                    bb.VOLUME_EVENT_KIND_EXPORTED, bb.VOLUME_EVENT_SOURCE_EXPORT, label, ds.id, groups.get(label, ""),
                    process=req.process, detail=req.export_id), ds.domain_access))
            still = int(next(txn.db.query("SELECT COUNT(*) AS n FROM bb_pending WHERE data_store_id = ?",
                                          [ds.id]))["n"])
        self.events.published(events)
        return bb.MarkExportedResponse(cleared=len(cleared), still_pending=still)

    # -- Storage Admin ---------------------------------------------------------------------------------------
    def storage_admin(self) -> bb.GetStorageAdminStatusResponse:
        lic = self.license_status()
        rows = []
        ctx = self.context()
        with self.store.read() as db:
            counts = {r["data_store_id"]: int(r["n"]) for r in db.query(
                "SELECT data_store_id, COUNT(*) AS n FROM bb_volume GROUP BY data_store_id")}
            pending = {r["data_store_id"]: int(r["n"]) for r in db.query(
                "SELECT data_store_id, COUNT(*) AS n FROM bb_pending GROUP BY data_store_id")}
        for ds in ctx.data_stores:
            link = bb.CATALOG_SYNC_LINK_UNSPECIFIED
            if lic.catalog_sync:  # R1: the Catalog Sync column exists only with the option
                link = {bb.DOMAIN_ACCESS_PRIMARY: bb.CATALOG_SYNC_LINK_EXPORT_STATUS,
                        bb.DOMAIN_ACCESS_SECONDARY: bb.CATALOG_SYNC_LINK_IMPORT_STATUS}.get(ds.domain_access, 0)
            rows.append(bb.StorageAdminRow(
                data_store_id=ds.id, type=ds.type, status=ds.status or bb.DATA_STORE_STATUS_ACTIVE,
                domain_access=ds.domain_access, catalog_sync_link=link, volume_count=counts.get(ds.id, 0),
                pending_exports=pending.get(ds.id, 0), running_jobs=self.volumes.running_jobs(ds.id)))
        banners = [p for p in cfg.validate_all(ctx) if p.code == "W3077"]
        return bb.GetStorageAdminStatusResponse(rows=rows, banners=banners, license_status=lic)

    # -- state dump ------------------------------------------------------------------------------------------
    def dump(self) -> dict:
        """The domain as JSON-able data for the checkers: configuration (no passwords: only `password_set`),
        volumes, pending exports, subscriptions and the newest event sequence."""
        from google.protobuf.json_format import MessageToDict  # noqa: PLC0415

        def as_dict(message: Message) -> dict:
            return MessageToDict(message, preserving_proto_field_name=True)
        with self.store.read() as db:
            config = {kind: [as_dict(r) for r in self._rows(db, kind)] for kind in _TYPES}
            volumes = [as_dict(bb.BackBoxVolume.FromString(r["record"]))
                       for r in db.query("SELECT record FROM bb_volume ORDER BY label")]
            pending = [dict(r) for r in db.query("SELECT * FROM bb_pending ORDER BY data_store_id, label")]
            last = int(next(db.query("SELECT COALESCE(MAX(sequence), 0) AS s FROM bb_event"))["s"])
        return {"config": config, "volumes": volumes, "pending_exports": pending, "last_event_sequence": last,
                "subscriptions": [as_dict(s) for s in self.events.subscriptions()]}

    # -- clients of the other services -----------------------------------------------------------------------
    def channel(self, address: str) -> grpc.Channel:
        with self._lock:
            if address not in self._channels:
                self._channels[address] = rpc.channel(address)
            return self._channels[address]

    def media_catalog(self, catalog_or_node: str) -> media_catalog_pb2_grpc.MediaCatalogStub:
        """DSM/TC of the node that owns a qualified catalog name (`\\INSIDX.QCVOLCAT`) or of a node."""
        text = catalog_or_node.strip().upper()
        node = text.split(".", 1)[0] if text.startswith("\\") else self.node.name
        if node == self.node.name:
            address = next((e.address for e in self.node.endpoints if e.service == MEDIA_CATALOG), "")
            if not address:
                raise Conflict(f"node {self.node.name} serves no MediaCatalog yet: start its server first")
            return media_catalog_pb2_grpc.MediaCatalogStub(self.channel(address))
        return media_catalog_pb2_grpc.MediaCatalogStub(self.node.remote(node))

    def close(self) -> None:
        self.cleanup.cancel()
        with self._lock:
            for ch in self._channels.values():
                ch.close()
            self._channels.clear()
