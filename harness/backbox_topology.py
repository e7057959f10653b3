"""The BackBox part of a topology: per site the storages, key managers and VTCs; the domains with their
configuration (license, key manager ids, data stores with their catalog sync export / import configuration,
volume groups and their volumes); and the replication of storages and key managers between sites.

```yaml
sites:
  - name: PRIMARY
    storage: [{id: STO_PRI, path: '\\\\bbvtc1\\e501\\pri'}]
    key_managers: [{name: ESKM-PRI}]
    vtcs: [{id: VTC1, domain: E501NEW, drives: 4, node: \\INSIDX}]
    nodes: [...]
domains:
  - id: E501NEW
    manager: \\INSIDX
    ems_verbose: true
    license: {options: [CATALOG_SYNC], expiry_date: 2026-12-31}
    key_managers: [{id: KM1, server: ESKM-PRI}]
    data_stores:
      - id: DS_WIN1_DES
        type: WINDISK                # DataStore fields by their proto names; enum words without their prefix
        domain_access: PRIMARY
        storage: STO_PRI             # shorthand for one STORAGE pool on that storage
        export_config: {export_destination: '\\ETINIUM.$DATA15.E5CATSYN', include_disk_files: true}
        volume_groups:
          - {id: VG_WIN1_DES, tape_catalog: DSMTC, volcat: QCVOLCAT, pool: E501_WIN1, max_volume_size_mb: 100,
             volumes: EW1001-EW1014}
replication:
  storage: [{from: STO_PRI, to: STO_SEC, mode: CONTINUOUS, lag: 5m}]
  keys: [{from: ESKM-PRI, to: ESKM-SEC, lag: 1m}]
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from emulator.errors import EmulatorError
from emulator.names import parse_node
from emulator.v1 import backbox_domain_pb2 as bb

_DURATION = re.compile(r"^(\d+)\s*([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class StorageSpec:
    id: str
    site: str
    path: str
    capacity_bytes: int = 0


@dataclass(frozen=True)
class KeyManagerSpec:
    name: str
    site: str


@dataclass(frozen=True)
class VtcSpec:
    id: str
    site: str
    domain: str
    drives: tuple[tuple[str, str], ...]
    media_type: str = "LTO3"


@dataclass(frozen=True)
class GroupSpec:
    group: bb.VolumeGroup
    labels: tuple[str, ...] = ()
    label_range: tuple[str, str] | None = None


@dataclass(frozen=True)
class DataStoreSpec:
    store: bb.DataStore
    storage: str = ""                 # the STORAGE pool's storage id (shorthand)
    groups: tuple[GroupSpec, ...] = ()


@dataclass(frozen=True)
class DomainSpec:
    id: str
    manager: str
    config: bb.DomainConfig
    license: bb.License
    key_managers: tuple[tuple[str, str], ...] = ()   # (Key Manager ID, key manager server name)
    nodes: tuple[str, ...] = ()
    data_stores: tuple[DataStoreSpec, ...] = ()
    catalog_sync: bool = True      # install the Catalog Sync option's software (CatalogSync service, BBCSEXP)


@dataclass(frozen=True)
class ReplicationSpec:
    kind: str                         # "storage" | "keys"
    source: str
    target: str
    mode: str = "CONTINUOUS"
    lag_seconds: int = 0


@dataclass(frozen=True)
class BackBoxSpec:
    storages: tuple[StorageSpec, ...] = ()
    key_managers: tuple[KeyManagerSpec, ...] = ()
    vtcs: tuple[VtcSpec, ...] = ()
    domains: tuple[DomainSpec, ...] = ()
    replications: tuple[ReplicationSpec, ...] = field(default=())

    def domain_of_node(self, node: str) -> str:
        return next((d.id for d in self.domains if d.manager == node), "")


def parse_duration(text: Any) -> int:
    m = _DURATION.match(str(text).strip().lower())
    if not m:
        raise ValueError(f"duration {text!r} must be a number with s, m, h or d (e.g. 5m)")
    return int(m.group(1)) * _UNITS[m.group(2)]


def _enum_words(msg: type[Message], data: Any) -> Any:
    """Accept enum values without their prefix (`WINDISK` for DATA_STORE_TYPE_WINDISK, `DSM/TC` too)."""
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        fd = msg.DESCRIPTOR.fields_by_name.get(key)
        if fd is not None and fd.type == FieldDescriptor.TYPE_ENUM and isinstance(value, str):
            prefix = fd.enum_type.values[0].name.removesuffix("UNSPECIFIED")
            word = value.strip().upper().replace("/", "").replace(" ", "_")
            value = word if word.startswith(prefix) else prefix + word
        elif fd is not None and fd.type == FieldDescriptor.TYPE_MESSAGE and fd.message_type.name not in (
                "Timestamp", "Duration"):
            cls = _message_class(fd.message_type.full_name)
            if isinstance(value, list):
                value = [_enum_words(cls, v) for v in value]
            else:
                value = _enum_words(cls, value)
        out[key] = value
    return out


def _message_class(full_name: str) -> type[Message]:
    return getattr(bb, full_name.rsplit(".", 1)[-1])


def to_message(cls: type[Message], data: dict, error: Any, path: tuple) -> Message:
    try:
        return json_format.ParseDict(_enum_words(cls, data), cls(), ignore_unknown_fields=False)
    except json_format.ParseError as exc:
        raise error(path, f"{exc}: use the {cls.__name__} field names of backbox_domain.proto") from None


def _count(doc: Any, path: tuple, value: Any, what: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise doc.error(path, f"{what} must be a whole number of at least {low}, not {value!r}")
    return value


def parse_backbox(doc: Any, data: dict, sites_raw: list, node_names: set[str]) -> BackBoxSpec:
    """The BackBox sections of a topology document (the site keys storage / key_managers / vtcs, and the
    top-level domains / replication); `doc.error(path, message)` names the line."""
    storages, kms, vtcs = [], [], []
    for i, site in enumerate(sites_raw):
        site_name = str(site.get("name") or f"SITE{i + 1}")
        for j, raw in enumerate(site.get("storage", []) or []):
            path = ("sites", i, "storage", j)
            if not isinstance(raw, dict) or "id" not in raw:
                raise doc.error(path, "a storage needs an id and a path: {id: STO_PRI, path: '\\\\srv\\share'}")
            capacity = _count(doc, (*path, "capacity"), raw.get("capacity", 0), "capacity (bytes, 0 = unlimited)")
            storages.append(StorageSpec(str(raw["id"]).upper(), site_name,
                                        str(raw.get("path") or f"\\\\{site_name.lower()}\\bbox\\{raw['id']}"),
                                        capacity))
        for j, raw in enumerate(site.get("key_managers", []) or []):
            if not isinstance(raw, dict) or "name" not in raw:
                raise doc.error(("sites", i, "key_managers", j), "a key manager needs a name: {name: ESKM-PRI}")
            kms.append(KeyManagerSpec(str(raw["name"]).upper(), site_name))
        for j, raw in enumerate(site.get("vtcs", []) or []):
            path = ("sites", i, "vtcs", j)
            if not isinstance(raw, dict) or "id" not in raw or "domain" not in raw:
                raise doc.error(path, "a VTC needs an id, its domain and its node: {id: VTC1, domain: E501NEW,"
                                      " node: \\INSIDX, drives: 4}")
            try:
                node = parse_node(str(raw.get("node", "")))
            except EmulatorError as exc:
                raise doc.error((*path, "node"), exc.message) from None
            if node not in node_names:
                raise doc.error((*path, "node"), f"{node} is not a node of this topology")
            count = _count(doc, (*path, "drives"), raw.get("drives", 2), "drives (how many tape drives)", low=1)
            base = 100 * (len(vtcs) + 1)
            drives = tuple((f"$T{base + k:03d}", node) for k in range(1, count + 1))
            vtcs.append(VtcSpec(str(raw["id"]).upper(), site_name, str(raw["domain"]).upper(), drives,
                                str(raw.get("media_type", "LTO3"))))
    domains = tuple(_parse_domain(doc, ("domains", k), raw, node_names, {s.id for s in storages},
                                  {m.name for m in kms})
                    for k, raw in enumerate(data.get("domains", []) or []))
    ids = [d.id for d in domains]
    for v in vtcs:
        if v.domain not in ids:
            raise doc.error(("sites",), f"VTC {v.id} names domain {v.domain}, which is not defined under domains")
    reps = []
    rep = data.get("replication", {}) or {}
    for kind, known in (("storage", {s.id for s in storages}), ("keys", {m.name for m in kms})):
        for j, raw in enumerate(rep.get(kind, []) or []):
            path = ("replication", kind, j)
            src, dst = str(raw.get("from", "")).upper(), str(raw.get("to", "")).upper()
            for end in (src, dst):
                if end not in known:
                    raise doc.error(path, f"{end or '(empty)'} is not a {kind} of this topology: one of"
                                          f" {', '.join(sorted(known)) or 'none'}")
            try:
                lag = parse_duration(raw.get("lag", 0))
            except ValueError as exc:
                raise doc.error((*path, "lag"), str(exc)) from None
            reps.append(ReplicationSpec(kind, src, dst, str(raw.get("mode", "CONTINUOUS")).upper(), lag))
    return BackBoxSpec(tuple(storages), tuple(kms), tuple(vtcs), domains, tuple(reps))


def _parse_domain(doc: Any, path: tuple, raw: Any, node_names: set[str], storages: set[str], kms: set[str]
                  ) -> DomainSpec:
    if not isinstance(raw, dict) or "id" not in raw or "manager" not in raw:
        raise doc.error(path, "a domain needs an id (its message prefix) and its manager node: {id: E501NEW,"
                              " manager: \\INSIDX}")
    manager = parse_node(str(raw["manager"]))
    if manager not in node_names:
        raise doc.error((*path, "manager"), f"{manager} is not a node of this topology")
    config_keys = {f.name for f in bb.DomainConfig.DESCRIPTOR.fields} - {"domain_id", "license", "domain_manager_node"}
    allowed = {"id", "manager", "license", "key_managers", "nodes", "data_stores", "catalog_sync", *config_keys}
    for key in raw:
        if key not in allowed:
            raise doc.error((*path, key), f"unknown key {key!r}: allowed keys are {', '.join(sorted(allowed))}")
    config = to_message(bb.DomainConfig, {k: v for k, v in raw.items() if k in config_keys}, doc.error, path)
    lic = to_message(bb.License, {k: str(v) if k == "expiry_date" else v for k, v in
                                  (raw.get("license") or {}).items()}, doc.error, (*path, "license"))
    km_ids = []
    for j, km in enumerate(raw.get("key_managers", []) or []):
        server = str(km.get("server", "")).upper()
        if server not in kms:
            raise doc.error((*path, "key_managers", j), f"key manager server {server or '(empty)'} is not defined"
                                                        f" under a site's key_managers ({', '.join(sorted(kms))})")
        km_ids.append((str(km.get("id", "")).upper(), server))
    nodes = tuple(parse_node(str(n)) for n in raw.get("nodes", [manager]))
    stores = []
    for j, ds_raw in enumerate(raw.get("data_stores", []) or []):
        dpath = (*path, "data_stores", j)
        ds_raw = dict(ds_raw)
        storage = str(ds_raw.pop("storage", "")).upper()
        if storage and storage not in storages:
            raise doc.error((*dpath, "storage"), f"storage {storage} is not defined under a site's storage")
        groups_raw = ds_raw.pop("volume_groups", []) or []
        store = to_message(bb.DataStore, ds_raw, doc.error, dpath)
        groups = []
        for g, g_raw in enumerate(groups_raw):
            gpath = (*dpath, "volume_groups", g)
            g_raw = dict(g_raw)
            volumes = g_raw.pop("volumes", None)
            group = to_message(bb.VolumeGroup, g_raw, doc.error, gpath)
            group.data_store_id = store.id
            labels, rng = (), None
            if isinstance(volumes, str) and "-" in volumes:
                first, last = volumes.split("-", 1)
                rng = (first.strip().upper(), last.strip().upper())
            elif isinstance(volumes, list):
                labels = tuple(str(v).upper() for v in volumes)
            elif volumes:
                raise doc.error((*gpath, "volumes"), "volumes is a range EW1001-EW1014 or a list of labels")
            groups.append(GroupSpec(group, labels, rng))
        stores.append(DataStoreSpec(store, storage, tuple(groups)))
    catalog_sync = raw.get("catalog_sync", True)
    if not isinstance(catalog_sync, bool):
        raise doc.error((*path, "catalog_sync"), "catalog_sync is true (install the option's programs and service,"
                                                 " the default) or false (the bare domain)")
    return DomainSpec(str(raw["id"]).upper(), manager, config, lic, tuple(km_ids), nodes, tuple(stores),
                      catalog_sync)
