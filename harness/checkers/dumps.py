r"""Read-only views of one Control.DumpState dump, as the checkers need them: domains with their data stores, volume
groups and BackBox records; each node's DSM/TC rows; storage images and key-manager keys.

The dump's shape (emulator/control.py `dump_state`): `nodes[<\NODE>]` holds `up`, `tables` (DSM/TC rows with
unqualified catalog names, e.g. volcat "SHCH409VC" on \ETINIUM) and, on a domain manager, `backbox` (its
configuration and BackBox records as protobuf JSON: enum names, int64 as strings, default values left out);
`services["storage:<id>"]` lists images, `services["keys:<server>"]` lists keys (fingerprints, never material).
Nothing here imports the product: the checkers are an independent oracle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

DSMTC = "TAPE_CATALOG_TYPE_DSMTC"
PRIMARY, SECONDARY = "DOMAIN_ACCESS_PRIMARY", "DOMAIN_ACCESS_SECONDARY"


def qualify(name: str, node: str) -> tuple[str, str]:
    r"""(`\NODE`, `NAME`) of a catalog name, qualified (`\ETINIUM.SHCH409VC`) or not (then on `node`)."""
    text = (name or "").strip().upper()
    if text.startswith("\\"):
        owner, _, bare = text.partition(".")
        return owner, bare
    return node.upper(), text


def split_node(name: str) -> tuple[str, str]:
    r"""(`\NODE`, `$VOL.SUBVOL.FILE`) of a fully qualified disk file name."""
    owner, _, rest = name.partition(".")
    return owner.upper(), rest.upper()


@dataclass
class Domain:
    """One BackBox domain of a dump: configuration, BackBox records, pending exports."""

    id: str
    node: str
    config: dict[str, list[dict]]
    volumes: list[dict]
    pending: list[dict]
    _records: dict[str, dict[str, dict]] = field(default_factory=dict, repr=False)

    def store(self, store_id: str) -> dict | None:
        return next((s for s in self.config.get("data_store", []) if s.get("id", "").upper() == store_id.upper()),
                    None)

    def stores(self) -> list[dict]:
        return list(self.config.get("data_store", []))

    def groups(self, store_id: str) -> dict[str, dict]:
        return {g["id"]: g for g in self.config.get("volume_group", [])
                if g.get("data_store_id", "").upper() == store_id.upper()}

    def records(self, store_id: str) -> dict[str, dict]:
        """label -> BackBox record of the store's volumes (built once; do not modify)."""
        key = store_id.upper()
        if key not in self._records:
            self._records[key] = {v["label"]: v for v in self.volumes if v.get("data_store_id", "").upper() == key}
        return self._records[key]

    def record(self, label: str) -> dict | None:
        """The record of a label in any store of the domain."""
        if "*" not in self._records:
            self._records["*"] = {v["label"]: v for v in self.volumes}
        return self._records["*"].get(label)

    def all_labels(self) -> set[str]:
        return {v["label"] for v in self.volumes}

    def pending_labels(self, store_id: str) -> set[str]:
        return {p["label"] for p in self.pending if p.get("data_store_id", "").upper() == store_id.upper()}

    def key_server(self, key_manager_id: str) -> str | None:
        km = next((k for k in self.config.get("key_manager", []) if k.get("id") == key_manager_id), None)
        return km.get("server_name", "") if km else None

    def storage_ids(self, store_id: str) -> list[str]:
        store = self.store(store_id) or {}
        return [p["storage_id"] for p in store.get("pools", []) if p.get("storage_id")]


@dataclass
class NodeCatalogs:
    r"""The DSM/TC rows of one node, indexed for lookups by catalog, label and tape-file key."""

    node: str
    tables: dict[str, list[dict]]
    _tftov_by_volser: dict[str, list[dict]] = field(default_factory=dict)
    _files: dict[tuple, dict] = field(default_factory=dict)
    _tftov_by_key: dict[tuple, list[dict]] = field(default_factory=dict)
    _disks_by_key: dict[tuple, list[dict]] = field(default_factory=dict)
    _volumes: dict[str, list[dict]] = field(default_factory=dict)
    _files_by_id: dict[tuple[str, int], list[dict]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for r in self.tables.get("dsm_volume", []):
            self._volumes.setdefault(r["volser"], []).append(r)
        for r in self.tables.get("dsm_tapefile", []):
            self._files[file_key(r)] = r
            self._files_by_id.setdefault((r["file_id"], int(r["generation"])), []).append(r)
        for r in self.tables.get("dsm_tftov", []):
            self._tftov_by_volser.setdefault(r["volser"], []).append(r)
            self._tftov_by_key.setdefault(file_key(r), []).append(r)
        for r in self.tables.get("dsm_diskfile", []):
            self._disks_by_key.setdefault(file_key(r), []).append(r)

    def volumes(self, volser: str | None = None) -> list[dict]:
        """Every TAPEVOLUME row, or the rows of one label (in any VOLCAT of the node)."""
        if volser is None:
            return list(self.tables.get("dsm_volume", []))
        return self._volumes.get(volser, [])

    def tape_files_named(self, file_id: str, generation: int) -> list[dict]:
        """The TAPEFILE rows of a FILEID + GENERATION in any FILECAT of the node (any version)."""
        return self._files_by_id.get((file_id, generation), [])

    def tape_files_of(self, volser: str) -> list[dict]:
        """Every TAPEFILE row whose TFTOV names the volume (in any FILECAT of the node)."""
        keys = sorted({file_key(t) for t in self._tftov_by_volser.get(volser, [])})
        return [self._files[k] for k in keys if k in self._files]

    def tape_file(self, key: tuple) -> dict | None:
        return self._files.get(key)

    def tape_files(self) -> list[dict]:
        return list(self._files.values())

    def tftov(self, key: tuple) -> list[dict]:
        return self._tftov_by_key.get(key, [])

    def disk_files(self, key: tuple) -> list[dict]:
        return self._disks_by_key.get(key, [])

    def all_disk_files(self) -> list[dict]:
        return self.tables.get("dsm_diskfile", [])

    def pools(self) -> list[dict]:
        return self.tables.get("dsm_pool", [])

    def ssl(self) -> list[str]:
        rows = self.tables.get("dsm_mediadefs", [])
        if not rows:
            return []
        raw = rows[0].get("ssl") or "[]"          # a JSON list in a text column
        nodes = json.loads(raw) if isinstance(raw, str) else list(raw)
        return [str(n).upper() for n in nodes]


def micros(iso: str) -> int | None:
    """Microseconds since the epoch of an ISO time (`2025-09-23T20:00:00Z`); None for "" or garbage."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1_000_000)


def file_key(row: dict) -> tuple[str, str, int, int]:
    """A TAPEFILE's key inside its node: (FILECAT, FILEID, GENERATION, VERSION)."""
    return (row["filecat"], row["file_id"], int(row["generation"]), int(row.get("version", 0)))


class Dump:
    """One state dump (`dumps/<name>.json`), with lookups by domain, store, node and service."""

    def __init__(self, name: str, data: dict[str, Any]):
        if not isinstance(data, dict) or "nodes" not in data:
            raise ValueError(f"dump {name!r} is not a Control.DumpState dump (no 'nodes')")
        self.name = name
        self.data = data
        self.utc = str(data.get("utc", ""))
        self._domains: dict[str, Domain] = {}
        self._catalogs: dict[str, NodeCatalogs | None] = {}
        self._images: dict[tuple, dict[str, dict] | None] = {}
        for node, entry in data["nodes"].items():
            bbx = entry.get("backbox")
            if not bbx:
                continue
            for d in bbx.get("config", {}).get("domain", []):
                self._domains[d["domain_id"].upper()] = Domain(
                    d["domain_id"].upper(), node.upper(), bbx.get("config", {}), bbx.get("volumes", []),
                    bbx.get("pending_exports", []))

    def domain(self, domain_id: str) -> Domain | None:
        return self._domains.get((domain_id or "").upper())

    def domains(self) -> list[Domain]:
        return list(self._domains.values())

    def domain_of_node(self, node: str) -> Domain | None:
        node = (node or "").upper()
        for d in self._domains.values():
            if d.node == node or any(n.get("name", "").upper() == node for n in d.config.get("node", [])):
                return d
        return None

    def find_store(self, store_id: str, access: str | None = None) -> tuple[Domain, dict] | None:
        """The domain and configuration of a store id (one with `access` when given: ids may repeat, R10)."""
        for d in self._domains.values():
            s = d.store(store_id)
            if s is not None and (access is None or s.get("domain_access") == access):
                return d, s
        return None

    def node_up(self, node: str) -> bool:
        entry = self.data["nodes"].get(node.upper()) or self.data["nodes"].get(node)
        return bool(entry and entry.get("up", True) and "tables" in entry)

    def nodes(self) -> list[str]:
        return sorted(n.upper() for n in self.data["nodes"])

    def catalogs(self, node: str) -> NodeCatalogs | None:
        """The node's DSM/TC rows; None when the node is not in the dump or was down."""
        node = node.upper()
        if node not in self._catalogs:
            entry = next((e for n, e in self.data["nodes"].items() if n.upper() == node), None)
            ok = entry is not None and entry.get("up", True) and "tables" in entry
            self._catalogs[node] = NodeCatalogs(node, entry["tables"]) if ok else None
        return self._catalogs[node]

    def images(self, storage_ids: list[str]) -> dict[str, dict] | None:
        """label -> image over the given storages; None when none of them is in the dump (built once)."""
        key = tuple(storage_ids)
        if key not in self._images:
            self._images[key] = self._read_images(storage_ids)
        return self._images[key]

    def _read_images(self, storage_ids: list[str]) -> dict[str, dict] | None:
        services = self.data.get("services", {})
        found = [services[f"storage:{s}"] for s in storage_ids if f"storage:{s}" in services]
        if not found:
            return None
        out: dict[str, dict] = {}
        for storage in found:
            for image in storage.get("images", []):
                out.setdefault(image["label"], image)
        return out

    def keys(self, server: str) -> dict[str, dict] | None:
        """key name -> key of one key manager; None when the key manager is not in the dump."""
        km = self.data.get("services", {}).get(f"keys:{server}")
        if km is None:
            return None
        return {k["name"]: k for k in km.get("keys", [])}


def mapped_groups(secondary: Domain, store_id: str) -> dict[str, dict]:
    """primary group id -> the secondary group it maps to (R10: the group's primary_volume_group_id, or the same
    id when it gives none)."""
    out: dict[str, dict] = {}
    for g in secondary.groups(store_id).values():
        out.setdefault((g.get("primary_volume_group_id") or g["id"]).upper(), g)
    return out


def primary_store_id(secondary_store: dict) -> str:
    """The primary store a SECONDARY store replicates (R10: its primary_data_store_id, or the same id)."""
    return (secondary_store.get("primary_data_store_id") or secondary_store["id"]).upper()


def is_dsmtc(group: dict | None) -> bool:
    return bool(group) and group.get("tape_catalog") == DSMTC
