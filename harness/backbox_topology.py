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

Checked here, each error at the line of the key at fault: unknown keys at every level (message fields are walked
against backbox_domain.proto, with a "did you mean"), values of the wrong kind or enum word, ids defined twice
(storages, key managers, VTCs, domains, data stores and volume groups of a domain, labels of a domain, R3),
references to what is not defined (a VTC's domain or node, a data store's storage or pool storage_id, replication
ends), one domain manager per node, durations. What only the domain manager can judge (R16, R38, R43 ...) is
checked when the launcher configures the domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from emulator.domain_config_checks import MEDIA_TYPES
from emulator.domain_volumes import expand_labels
from emulator.errors import EmulatorError
from emulator.names import parse_node
from emulator.v1 import backbox_domain_pb2 as bb
from harness.topology import unknown_key_message

_DURATION = re.compile(r"^(\d+)\s*([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
# The UNC form the domain manager checks on data store pools (a storage's path becomes its STORAGE pool).
_UNC = re.compile(r"^\\\\[A-Za-z0-9][A-Za-z0-9._\-]*(\\[^\\/:*?\"<>|]+)+\\?$")
_INTS = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
         FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64,
         FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_FIXED64, FieldDescriptor.TYPE_SFIXED32,
         FieldDescriptor.TYPE_SFIXED64}
_WELL_KNOWN = ("Timestamp", "Duration")


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
    """Seconds of `90`, `30s`, `5m`, `2h`, `7d` (topologies and scenarios); ValueError naming the accepted forms."""
    m = _DURATION.match(str(text).strip().lower())
    if not m:
        raise ValueError(f"duration {text!r} must be a whole number with s, m, h or d (e.g. 5m, 90s, 2h, 1d)")
    return int(m.group(1)) * _UNITS[m.group(2)]


def _enum_word(fd: FieldDescriptor, value: str) -> str:
    prefix = fd.enum_type.values[0].name.removesuffix("UNSPECIFIED")
    word = value.strip().upper().replace("/", "").replace(" ", "_")
    return word if word.startswith(prefix) else prefix + word


def _enum_words(msg: type[Message], data: Any) -> Any:
    """Accept enum values without their prefix (`WINDISK` for DATA_STORE_TYPE_WINDISK, `DSM/TC` too)."""
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        fd = msg.DESCRIPTOR.fields_by_name.get(key)
        if fd is not None and fd.type == FieldDescriptor.TYPE_ENUM and isinstance(value, str):
            value = _enum_word(fd, value)
        elif fd is not None and fd.type == FieldDescriptor.TYPE_MESSAGE and fd.message_type.name not in _WELL_KNOWN:
            cls = _message_class(fd.message_type.full_name)
            if isinstance(value, list):
                value = [_enum_words(cls, v) for v in value]
            else:
                value = _enum_words(cls, value)
        out[key] = value
    return out


def _message_class(full_name: str) -> type[Message]:
    return getattr(bb, full_name.rsplit(".", 1)[-1])


def _check_fields(cls: type[Message], data: Any, error: Any, path: tuple, extra: tuple[str, ...] = ()) -> None:
    """Walk `data` against the message's fields so a wrong key or value is reported at its own line (json_format
    would name only the message)."""
    if not isinstance(data, dict):
        raise error(path, f"a {cls.__name__} must be a mapping of its fields (key: value), not"
                          f" {type(data).__name__} {data!r}")
    fields = cls.DESCRIPTOR.fields_by_name
    for key, value in data.items():
        fd = fields.get(key)
        kpath = (*path, key)
        if fd is None:
            raise error(kpath, f"{unknown_key_message(key, [*fields, *extra])} (the {cls.__name__} fields of"
                               " backbox_domain.proto)")
        if fd.is_repeated:
            if not isinstance(value, list):
                raise error(kpath, f"{key} must be a list, not {type(value).__name__} {value!r}: write"
                                   f" {key}: [{value}]")
            for i, item in enumerate(value):
                _check_value(cls, fd, item, error, (*kpath, i))
        else:
            _check_value(cls, fd, value, error, kpath)


def _check_value(cls: type[Message], fd: FieldDescriptor, value: Any, error: Any, path: tuple) -> None:
    name = fd.name
    if fd.type == FieldDescriptor.TYPE_MESSAGE:
        if fd.message_type.name not in _WELL_KNOWN:
            _check_fields(_message_class(fd.message_type.full_name), value, error, path)
    elif fd.type == FieldDescriptor.TYPE_ENUM:
        words = [v.name.removeprefix(fd.enum_type.values[0].name.removesuffix("UNSPECIFIED"))
                 for v in fd.enum_type.values[1:]]
        if not isinstance(value, str):
            raise error(path, f"{name} must be one of {', '.join(words)}, not {value!r}")
        full = _enum_word(fd, value)
        if full not in fd.enum_type.values_by_name or full.endswith("_UNSPECIFIED"):
            raise error(path, f"{name} {value!r} is not a {cls.__name__} {name} ({full} does not exist): use one"
                              f" of {', '.join(words)}")
    elif fd.type == FieldDescriptor.TYPE_BOOL:
        if not isinstance(value, bool):
            raise error(path, f"{name} must be true or false, not {value!r}")
    elif fd.type in _INTS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise error(path, f"{name} must be a whole number, not {type(value).__name__} {value!r}")
    elif fd.type == FieldDescriptor.TYPE_STRING and not isinstance(value, str):
        raise error(path, f"{name} must be text, not {type(value).__name__} {value!r}: quote it in the file"
                          f" ({name}: '...'); unquoted, YAML reads 12:30 as the number 750 and 2027-12-31 as a"
                          " date")


def to_message(cls: type[Message], data: dict, error: Any, path: tuple, extra: tuple[str, ...] = ()) -> Message:
    """`data` as a `cls` message; `error(path, message)` builds the exception naming the line of the bad key.
    `extra` are the topology's own keys allowed beside the message's fields (named in unknown-key messages)."""
    _check_fields(cls, data, error, path, extra)
    try:
        return json_format.ParseDict(_enum_words(cls, data), cls(), ignore_unknown_fields=False)
    except json_format.ParseError as exc:
        raise error(path, f"{exc}: use the {cls.__name__} field names and value kinds of backbox_domain.proto") \
            from None


def _count(doc: Any, path: tuple, value: Any, what: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise doc.error(path, f"{what} must be a whole number of at least {low}, not {value!r}")
    return value


def _entries(doc: Any, path: tuple, raw: Any, what: str) -> list:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise doc.error(path, f"{what} must be a list (- item lines, or [a, b]), not {type(raw).__name__} {raw!r}")
    return raw


def _entry(doc: Any, path: tuple, raw: Any, what: str, allowed: set[str], required: tuple[str, ...],
           example: str) -> dict:
    """A mapping with only `allowed` keys and every `required` one, else an error showing `example`."""
    if not isinstance(raw, dict):
        raise doc.error(path, f"{what} must be a mapping like {example}, not {type(raw).__name__} {raw!r}")
    for key in raw:
        if key not in allowed:
            raise doc.error((*path, key), unknown_key_message(key, allowed))
    for key in required:
        if raw.get(key) is None or not str(raw[key]).strip():
            raise doc.error(path, f"{what} needs {' and '.join(required)}: {example}")
    return raw


def _unique(doc: Any, seen: dict[str, tuple], key: str, path: tuple, what: str, scope: str) -> None:
    """Ids compare case-insensitively, as BackBox compares them."""
    if key in seen:
        raise doc.error(path, f"{what} {key} is defined twice (first at line {doc.line_of(seen[key])}): ids are"
                              f" unique {scope}; rename or remove one")
    seen[key] = path


def _node(doc: Any, path: tuple, value: Any, node_names: set[str]) -> str:
    try:
        node = parse_node(str(value if value is not None else ""))
    except EmulatorError as exc:
        raise doc.error(path, exc.message) from None
    if node not in node_names:
        raise doc.error(path, f"{node} is not a node of this topology: define it under a site's nodes, or use one"
                              f" of {', '.join(sorted(node_names))}")
    return node


def parse_backbox(doc: Any, data: dict, sites_raw: list, node_names: set[str]) -> BackBoxSpec:
    """The BackBox sections of a topology document (the site keys storage / key_managers / vtcs, and the
    top-level domains / replication); `doc.error(path, message)` names the line."""
    storages, kms, vtcs = [], [], []
    seen: dict[str, dict[str, tuple]] = {"storage": {}, "key manager": {}, "VTC": {}, "domain": {}, "manager": {}}
    for i, site in enumerate(sites_raw):
        site_name = str(site.get("name") or f"SITE{i + 1}")
        for j, raw in enumerate(_entries(doc, ("sites", i, "storage"), site.get("storage"), "storage")):
            path = ("sites", i, "storage", j)
            example = "{id: STO_PRI, path: '\\\\srv\\share'}"
            _entry(doc, path, raw, "a storage", {"id", "path", "capacity"}, ("id",), example)
            sid = str(raw["id"]).upper()
            _unique(doc, seen["storage"], sid, (*path, "id"), "storage", "in a topology")
            capacity = _count(doc, (*path, "capacity"), raw.get("capacity", 0), "capacity (bytes, 0 = unlimited)")
            unc = str(raw.get("path") or f"\\\\{site_name.lower()}\\bbox\\{raw['id']}")
            if not _UNC.match(unc):
                raise doc.error((*path, "path"), f"storage path {unc!r} is not a UNC path: write \\\\host\\share"
                                                 "\\folder in single quotes, e.g. path: '\\\\bbvtc1\\e501\\pri'")
            storages.append(StorageSpec(sid, site_name, unc, capacity))
        for j, raw in enumerate(_entries(doc, ("sites", i, "key_managers"), site.get("key_managers"),
                                         "key_managers")):
            path = ("sites", i, "key_managers", j)
            _entry(doc, path, raw, "a key manager", {"name"}, ("name",), "{name: ESKM-PRI}")
            name = str(raw["name"]).upper()
            _unique(doc, seen["key manager"], name, (*path, "name"), "key manager", "in a topology")
            kms.append(KeyManagerSpec(name, site_name))
        for j, raw in enumerate(_entries(doc, ("sites", i, "vtcs"), site.get("vtcs"), "vtcs")):
            path = ("sites", i, "vtcs", j)
            _entry(doc, path, raw, "a VTC", {"id", "domain", "node", "drives", "media_type"},
                   ("id", "domain", "node"), "{id: VTC1, domain: E501NEW, node: \\INSIDX, drives: 4}")
            vid = str(raw["id"]).upper()
            _unique(doc, seen["VTC"], vid, (*path, "id"), "VTC", "in a topology")
            node = _node(doc, (*path, "node"), raw.get("node"), node_names)
            count = _count(doc, (*path, "drives"), raw.get("drives", 2), "drives (how many tape drives)", low=1)
            media = str(raw.get("media_type", "LTO3")).upper()
            if media not in MEDIA_TYPES:
                raise doc.error((*path, "media_type"), f"media_type {media} is not emulated: use one of"
                                                       f" {', '.join(MEDIA_TYPES)}")
            base = 100 * (len(vtcs) + 1)
            drives = tuple((f"$T{base + k:03d}", node) for k in range(1, count + 1))
            vtcs.append((VtcSpec(vid, site_name, str(raw["domain"]).upper(), drives, media), path))
    known = ({s.id for s in storages}, {m.name for m in kms})
    domains = []
    for k, raw in enumerate(_entries(doc, ("domains",), data.get("domains"), "domains")):
        spec = _parse_domain(doc, ("domains", k), raw, node_names, *known)
        _unique(doc, seen["domain"], spec.id, ("domains", k, "id"), "domain", "in a topology")
        if spec.manager in seen["manager"]:
            other = seen["manager"][spec.manager]
            raise doc.error(("domains", k, "manager"), f"{spec.manager} already runs the domain manager of"
                                                       f" {other[0]} (line {doc.line_of(other[1])}): a node runs one"
                                                       " domain manager; put this domain on another node")
        seen["manager"][spec.manager] = (spec.id, ("domains", k, "manager"))
        domains.append(spec)
    ids = [d.id for d in domains]
    for v, path in vtcs:
        if v.domain not in ids:
            raise doc.error((*path, "domain"), f"VTC {v.id} names domain {v.domain}, which is not defined under"
                                               f" domains: use one of {', '.join(ids) or '(none)'} or add it")
    reps = _parse_replication(doc, data.get("replication"), *known)
    return BackBoxSpec(tuple(storages), tuple(kms), tuple(v for v, _ in vtcs), tuple(domains), reps)


def _parse_replication(doc: Any, rep: Any, storages: set[str], kms: set[str]) -> tuple[ReplicationSpec, ...]:
    if rep is None:
        return ()
    _entry(doc, ("replication",), rep, "replication", {"storage", "keys"}, (),
           "{storage: [{from: STO_PRI, to: STO_SEC, lag: 5m}], keys: [{from: ESKM-PRI, to: ESKM-SEC}]}")
    reps: list[ReplicationSpec] = []
    for kind, known, what, section in (("storage", storages, "storage", "storage"),
                                       ("keys", kms, "key manager", "key_managers")):
        sources: dict[str, tuple] = {}
        allowed = {"from", "to", "lag", "mode"} if kind == "storage" else {"from", "to", "lag"}
        for j, raw in enumerate(_entries(doc, ("replication", kind), rep.get(kind), f"replication {kind}")):
            path = ("replication", kind, j)
            _entry(doc, path, raw, f"a {kind} replication", allowed, (),
                   "{from: STO_PRI, to: STO_SEC, lag: 5m}" if kind == "storage" else
                   "{from: ESKM-PRI, to: ESKM-SEC, lag: 1m}")
            ends = []
            for end in ("from", "to"):
                name = str(raw.get(end) or "").upper()
                if name not in known:
                    raise doc.error((*path, end), f"{name or '(empty)'} is not a {kind} replication end of this"
                                                  f" topology: name a {what} defined under a site's {section}"
                                                  f" ({', '.join(sorted(known)) or 'none yet'})")
                ends.append(name)
            src, dst = ends
            if src == dst:
                raise doc.error((*path, "to"), f"{src} cannot replicate to itself: name the {what} of the other site")
            if src in sources:
                raise doc.error((*path, "from"), f"{src} already replicates (line {doc.line_of(sources[src])}): a"
                                                 f" {what} has one replication target; remove one entry")
            sources[src] = (*path, "from")
            mode = str(raw.get("mode", "CONTINUOUS")).upper()
            if mode not in ("CONTINUOUS", "AUTOCOPY"):
                raise doc.error((*path, "mode"), f"replication mode {mode} is unknown: use CONTINUOUS (mirroring, the"
                                                 " default) or AUTOCOPY (copy at unload, VTS AutoCopy)")
            try:
                lag = parse_duration(raw.get("lag", 0))
            except ValueError as exc:
                raise doc.error((*path, "lag"), str(exc)) from None
            reps.append(ReplicationSpec(kind, src, dst, mode, lag))
    return tuple(reps)


_DOMAIN_KEYS = ("id", "manager", "license", "key_managers", "nodes", "data_stores", "catalog_sync")


def _parse_domain(doc: Any, path: tuple, raw: Any, node_names: set[str], storages: set[str], kms: set[str]
                  ) -> DomainSpec:
    config_keys = {f.name for f in bb.DomainConfig.DESCRIPTOR.fields} - {"domain_id", "license", "domain_manager_node"}
    _entry(doc, path, raw, "a domain", {*_DOMAIN_KEYS, *config_keys}, ("id", "manager"),
           "{id: E501NEW, manager: \\INSIDX} (its id is also its message prefix)")
    manager = _node(doc, (*path, "manager"), raw["manager"], node_names)
    config = to_message(bb.DomainConfig, {k: v for k, v in raw.items() if k in config_keys}, doc.error, path,
                        _DOMAIN_KEYS)
    license_raw = raw.get("license") or {}
    if not isinstance(license_raw, dict):
        raise doc.error((*path, "license"), "license must be a mapping: {key: E501-TEST, options: [CATALOG_SYNC],"
                                            " expiry_date: '2027-12-31'}")
    lic = to_message(bb.License, {k: str(v) if k == "expiry_date" else v for k, v in license_raw.items()},
                     doc.error, (*path, "license"))
    km_ids: list[tuple[str, str]] = []
    km_seen: dict[str, tuple] = {}
    for j, km in enumerate(_entries(doc, (*path, "key_managers"), raw.get("key_managers"), "key_managers")):
        kpath = (*path, "key_managers", j)
        _entry(doc, kpath, km, "a Key Manager ID", {"id", "server"}, ("id", "server"), "{id: KM1, server: ESKM-PRI}")
        server = str(km["server"]).upper()
        if server not in kms:
            raise doc.error((*kpath, "server"), f"key manager server {server} is not defined under a site's"
                                                f" key_managers: use one of {', '.join(sorted(kms)) or '(none)'}")
        _unique(doc, km_seen, str(km["id"]).upper(), (*kpath, "id"), "Key Manager ID", "in a domain")
        km_ids.append((str(km["id"]).upper(), server))
    nodes_raw = _entries(doc, (*path, "nodes"), raw.get("nodes", [str(manager)]), "nodes")
    nodes = tuple(_node(doc, (*path, "nodes", j), n, node_names) for j, n in enumerate(nodes_raw))
    if manager not in nodes:
        raise doc.error((*path, "nodes"), f"the domain's nodes must include its manager {manager}: add it to nodes")
    stores: list[DataStoreSpec] = []
    ids: dict[str, dict[str, tuple]] = {"data store": {}, "volume group": {}, "label": {}}
    for j, ds_raw in enumerate(_entries(doc, (*path, "data_stores"), raw.get("data_stores"), "data_stores")):
        stores.append(_parse_store(doc, (*path, "data_stores", j), ds_raw, storages, ids))
    catalog_sync = raw.get("catalog_sync", True)
    if not isinstance(catalog_sync, bool):
        raise doc.error((*path, "catalog_sync"), "catalog_sync is true (install the option's programs and service,"
                                                 " the default) or false (the bare domain)")
    return DomainSpec(str(raw["id"]).upper(), manager, config, lic, tuple(km_ids), nodes, tuple(stores),
                      catalog_sync)


def _parse_store(doc: Any, dpath: tuple, ds_raw: Any, storages: set[str], ids: dict[str, dict[str, tuple]]
                 ) -> DataStoreSpec:
    """One data store of a domain with its volume groups and their volumes; `ids` holds what the domain has
    seen so far (data store and volume group ids, labels: unique in a domain, R3)."""
    example = "{id: DS_WIN1_DES, type: WINDISK, domain_access: PRIMARY, storage: STO_PRI, volume_groups: [...]}"
    if not isinstance(ds_raw, dict):
        raise doc.error(dpath, f"a data store must be a mapping like {example}")
    ds_raw = dict(ds_raw)
    storage = str(ds_raw.pop("storage", "") or "").upper()
    if storage and storage not in storages:
        raise doc.error((*dpath, "storage"), f"storage {storage} is not defined under a site's storage: use one of"
                                             f" {', '.join(sorted(storages)) or '(none)'} or add it to the site")
    groups_raw = _entries(doc, (*dpath, "volume_groups"), ds_raw.pop("volume_groups", None), "volume_groups")
    store = to_message(bb.DataStore, ds_raw, doc.error, dpath, ("storage", "volume_groups"))
    if not store.id.strip():
        raise doc.error(dpath, f"a data store needs an id: {example}")
    _unique(doc, ids["data store"], store.id.upper(), (*dpath, "id"), "data store", "in a domain")
    for k, pool in enumerate(store.pools):
        if pool.storage_id and pool.storage_id.upper() not in storages:
            raise doc.error((*dpath, "pools", k, "storage_id"),
                            f"storage_id {pool.storage_id} is not defined under a site's storage: use one of"
                            f" {', '.join(sorted(storages)) or '(none)'}, or leave storage_id out")
    groups = []
    for g, g_raw in enumerate(groups_raw):
        gpath = (*dpath, "volume_groups", g)
        if not isinstance(g_raw, dict):
            raise doc.error(gpath, "a volume group must be a mapping like {id: VG_WIN1_DES, tape_catalog: DSMTC,"
                                   " volcat: QCVOLCAT, pool: E501_WIN1, max_volume_size_mb: 100}")
        g_raw = dict(g_raw)
        volumes = g_raw.pop("volumes", None)
        group = to_message(bb.VolumeGroup, g_raw, doc.error, gpath, ("volumes",))
        if not group.id.strip():
            raise doc.error(gpath, "a volume group needs an id: {id: VG_WIN1_DES, ...}")
        _unique(doc, ids["volume group"], group.id.upper(), (*gpath, "id"), "volume group", "in a domain")
        group.data_store_id = store.id
        labels, rng = _labels(doc, (*gpath, "volumes"), volumes, ids["label"])
        groups.append(GroupSpec(group, labels, rng))
    return DataStoreSpec(store, storage, tuple(groups))


def _labels(doc: Any, path: tuple, volumes: Any, seen: dict[str, tuple]
            ) -> tuple[tuple[str, ...], tuple[str, str] | None]:
    """A group's `volumes`: a range `EW1001-EW1014` or a list of labels, checked as the domain manager will
    (one label once in the domain, R3)."""
    labels: tuple[str, ...] = ()
    rng = None
    if isinstance(volumes, str) and "-" in volumes:
        first, last = volumes.split("-", 1)
        rng = (first.strip().upper(), last.strip().upper())
    elif isinstance(volumes, list):
        labels = tuple(str(v).upper() for v in volumes)
    elif volumes:
        raise doc.error(path, "volumes is a range EW1001-EW1014 or a list of labels [EW1001, EW1003]")
    if not labels and rng is None:
        return labels, rng
    try:
        expanded = expand_labels(labels, *(rng or ("", "")))
    except EmulatorError as exc:
        raise doc.error(path, exc.message) from None
    for label in expanded:
        if label in seen:
            raise doc.error(path, f"label {label} is already given at line {doc.line_of(seen[label])}: a label is"
                                  " unique in a domain (R3); remove it from one group")
        seen[label] = path
    return labels, rng
