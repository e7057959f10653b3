"""DSM/TC on one emulated node (domain-facts §2): VOLCATs and FILECATs, POOLs, MEDIADEFS with the system
search list, TAPEVOLUMEs and label uniqueness (R3, R13). TAPEFILEs, DISKFILEs and expiration are the
`TapeFileEntries` half of the store (dsmtc_files), the batch apply is dsmtc_batch, the console is mediacom.

Catalogs named in calls may be bare (`QCVOLCAT`) or qualified (`\\INSIDX.QCVOLCAT`); a catalog of another node is
refused here: cross-node calls are routed to that node's MediaCatalog through the link.
"""

from __future__ import annotations

import json
from dataclasses import fields, replace
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from emulator.dsmtc_batch import apply_batch
from emulator.dsmtc_entries import (
    DELETABLE_STATUSES, DENSITIES, FILECAT, FREE_STATUSES, HELD_STATUSES, LABEL_TYPES, LEVELS,
    MAX_ALTER_NAMES, MAX_OWNER, MAX_RETENTION_DAYS, TAPE_FORMATS, VOLCAT, VOLUME_STATUSES, COMPRESSIONS,
    BatchOp, BatchOptions, BatchResult, Catalog, DeleteResult, DiskFile, Err, ExpireResult, LabelLocation,
    MediaDefs, OpCounts, Pool, TapeFile, TapeFileKey, TapeFileVolume, TapeVolume, VolumeEntries,
    DeleteDiskFiles, DeleteDiskFileSelection, DeleteFile, DeleteVolume, UpsertDiskFiles, UpsertFile, UpsertVolume,
    DISKFILE_FIELDS, check_choice, check_length, check_range, field_error, mc_error, parse_media_type,
    parse_pool_name, parse_volser, split_catalog_name, super_group, to_us,
)
from emulator.dsmtc_files import TapeFileEntries
from emulator.dsmtc_tables import (
    bare, catalog_of, create_schema, dump, files_on_volume, media_defs_of, pool_of, pool_row, remove_files,
    volume_of, volume_row,
)
from emulator.errors import AlreadyExists, Conflict, InvalidArgument, NotFound, SecurityViolation
from emulator.names import parse_node, parse_subvolume

if TYPE_CHECKING:
    import sqlite_utils

    from emulator.node import Node

__all__ = [
    "MediaCatalogStore", "Catalog", "Pool", "MediaDefs", "TapeVolume", "TapeFile", "TapeFileVolume", "TapeFileKey",
    "DiskFile", "LabelLocation", "VolumeEntries", "ExpireResult", "DeleteResult", "BatchOptions", "BatchResult",
    "OpCounts", "BatchOp", "UpsertVolume", "DeleteVolume", "UpsertFile", "DeleteFile", "UpsertDiskFiles",
    "DeleteDiskFiles", "DeleteDiskFileSelection", "Err", "DISKFILE_FIELDS", "VOLCAT", "FILECAT",
]

_POOL_FIELDS = ("label", "density", "media_type", "autoscratch", "searchspace_in", "append", "last_scratch_volume")
_MEDIADEFS_FIELDS = tuple(f.name for f in fields(MediaDefs) if f.name != "node")


class MediaCatalogStore(TapeFileEntries):
    """The DSM/TC catalogs of a node, kept in its `node.sqlite` and changed only inside its transactions."""

    def __init__(self, node: Node):
        self.node = node
        node.store.add_schema(create_schema(node.name))

    @property
    def name(self) -> str:
        return self.node.name

    # -- shared helpers -------------------------------------------------------------------------------------
    def _now_us(self) -> int:
        return to_us(self.node.utc_now())  # type: ignore[return-value]

    def _check_super(self, user: str, what: str) -> None:
        if not super_group(user):
            raise mc_error(SecurityViolation, Err.SECURITY,
                           f"{what} needs a super group user (SUPER.* or 255,n): {user} may not do it; log on as"
                           " SUPER.SUPER")

    def _resolve(self, db: sqlite_utils.Database, ref: str, kind: str) -> str:
        """A catalog reference (bare, qualified or empty = MEDIADEFS default) -> the bare name of a local one."""
        if not ref.strip():
            row = next(db.query("SELECT default_volcat, default_filecat FROM dsm_mediadefs WHERE id = 1"))
            name = row["default_volcat" if kind == VOLCAT else "default_filecat"]
            if not name:
                raise mc_error(InvalidArgument, Err.NO_DEFAULT,
                               f"no {kind} given and MEDIADEFS of {self.name} has no default {kind}: name one, or"
                               f" ALTER MEDIADEFS, {kind} name")
            return name
        node, name = split_catalog_name(ref, kind)
        if node and node != self.name:
            raise mc_error(InvalidArgument, Err.CATALOG_REMOTE,
                           f"{kind} {node}.{name} belongs to {node}: address the request to {node}'s MediaCatalog"
                           f" (this is {self.name}; cross-node calls go through the link)")
        rows = list(db.query("SELECT kind FROM dsm_catalog WHERE name = ?", [name]))
        if not rows:
            raise mc_error(NotFound, Err.CATALOG_UNDEFINED,
                           f"{kind} {self.name}.{name} is not defined: create it first (CreateCatalog {kind} {name})")
        if rows[0]["kind"] != kind:
            raise mc_error(InvalidArgument, Err.CATALOG_KIND,
                           f"{self.name}.{name} is a {rows[0]['kind']}, not a {kind}: name a {kind}")
        return name

    def _q(self, name: str) -> str:
        return f"{self.name}.{name}"

    # -- catalogs -------------------------------------------------------------------------------------------
    def create_catalog(self, name: str, kind: str, subvolume: str = "") -> Catalog:
        """Create a VOLCAT or FILECAT; the first of each kind becomes the MEDIADEFS default."""
        kind = check_choice("catalog kind", kind, (VOLCAT, FILECAT))
        node, bare_name = split_catalog_name(name, kind)
        if node and node != self.name:
            raise mc_error(InvalidArgument, Err.CATALOG_REMOTE,
                           f"{kind} {node}.{bare_name} belongs to {node}: create it through {node}'s MediaCatalog")
        sub = ""
        if subvolume.strip():
            sub = str(parse_subvolume(subvolume, self.name)).split(".", 1)[1]
        with self.node.store.transaction(f"create {kind} {bare_name}") as txn:
            db = txn.db
            if list(db.query("SELECT 1 FROM dsm_catalog WHERE name = ?", [bare_name])):
                raise mc_error(AlreadyExists, Err.CATALOG_EXISTS,
                               f"catalog {self._q(bare_name)} exists already: choose another logical name")
            db.execute("INSERT INTO dsm_catalog VALUES (?, ?, ?)", [bare_name, kind, sub])
            column = "default_volcat" if kind == VOLCAT else "default_filecat"
            db.execute(f"UPDATE dsm_mediadefs SET {column} = ? WHERE id = 1 AND {column} = ''", [bare_name])
        return Catalog(bare_name, kind, self.name, sub)

    def list_catalogs(self, kind: str = "") -> list[Catalog]:
        with self.node.store.read() as db:
            rows = db.query("SELECT * FROM dsm_catalog WHERE ? = '' OR kind = ? ORDER BY kind DESC, name",
                            [kind, kind])
            return [catalog_of(self.name, r) for r in rows]

    # -- pools ----------------------------------------------------------------------------------------------
    def _checked_pool(self, pool: Pool) -> Pool:
        return replace(
            pool, name=parse_pool_name(pool.name),
            label=check_choice("POOL LABEL", pool.label or "ANSI", LABEL_TYPES),
            density=check_choice("POOL DENSITY", pool.density or "ANY", DENSITIES),
            media_type=parse_media_type(pool.media_type),
            last_scratch_volume=parse_volser(pool.last_scratch_volume) if pool.last_scratch_volume else "")

    def add_pool(self, pool: Pool) -> Pool:
        """Add a POOL to a VOLCAT (unique within it); the first pool of the default VOLCAT becomes the default."""
        pool = self._checked_pool(pool)
        with self.node.store.transaction(f"add POOL {pool.name}") as txn:
            volcat = self._resolve(txn.db, pool.volcat, VOLCAT)
            pool = replace(pool, volcat=self._q(volcat))
            if self._pool_row(txn.db, volcat, pool.name, missing_ok=True):
                raise mc_error(AlreadyExists, Err.POOL_EXISTS,
                               f"POOL {pool.name} exists already in VOLCAT {pool.volcat}: pool names are unique"
                               " within a VOLCAT")
            txn.db.execute("INSERT INTO dsm_pool VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", pool_row(pool))
            txn.db.execute("UPDATE dsm_mediadefs SET default_pool = ? WHERE id = 1 AND default_pool = ''"
                           " AND default_volcat = ?", [pool.name, volcat])
        return pool

    def alter_pool(self, volcat: str, name: str, changes: dict) -> Pool:
        """Change pool attributes (`changes`: field name -> value, names of Pool)."""
        unknown = sorted(set(changes) - set(_POOL_FIELDS))
        if unknown:
            raise field_error(f"POOL has no changeable field {', '.join(unknown)}: use {', '.join(_POOL_FIELDS)}")
        with self.node.store.transaction(f"alter POOL {name}") as txn:
            vc = self._resolve(txn.db, volcat, VOLCAT)
            current = pool_of(self.name, self._pool_row(txn.db, vc, parse_pool_name(name)))
            pool = self._checked_pool(replace(current, **changes))
            txn.db.execute("DELETE FROM dsm_pool WHERE volcat = ? AND name = ?", [vc, pool.name])
            txn.db.execute("INSERT INTO dsm_pool VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", pool_row(pool))
        return pool

    def delete_pool(self, volcat: str, name: str) -> None:
        with self.node.store.transaction(f"delete POOL {name}") as txn:
            vc = self._resolve(txn.db, volcat, VOLCAT)
            pool = self._pool_row(txn.db, vc, parse_pool_name(name))["name"]
            used = next(txn.db.query("SELECT count(*) AS n FROM dsm_volume WHERE volcat = ? AND pool = ?",
                                     [vc, pool]))["n"]
            if used:
                raise mc_error(Conflict, Err.POOL_IN_USE,
                               f"POOL {pool} of {self._q(vc)} still holds {used} TAPEVOLUMEs: delete them first")
            txn.db.execute("DELETE FROM dsm_pool WHERE volcat = ? AND name = ?", [vc, pool])

    def list_pools(self, volcat: str = "") -> list[Pool]:
        with self.node.store.read() as db:
            if volcat.strip():
                rows = db.query("SELECT * FROM dsm_pool WHERE volcat = ? ORDER BY name",
                                [self._resolve(db, volcat, VOLCAT)])
            else:
                rows = db.query("SELECT * FROM dsm_pool ORDER BY volcat, name")
            return [pool_of(self.name, r) for r in rows]

    def _pool_row(self, db: sqlite_utils.Database, volcat: str, name: str, missing_ok: bool = False) -> dict:
        rows = list(db.query("SELECT * FROM dsm_pool WHERE volcat = ? AND name = ?", [volcat, name]))
        if not rows and not missing_ok:
            raise mc_error(NotFound, Err.POOL_UNDEFINED,
                           f"POOL {name} is not defined in VOLCAT {self._q(volcat)}: add it first (AddPool)")
        return rows[0] if rows else {}

    # -- MEDIADEFS ------------------------------------------------------------------------------------------
    def media_defs(self) -> MediaDefs:
        with self.node.store.read() as db:
            return media_defs_of(self.name, next(db.query("SELECT * FROM dsm_mediadefs WHERE id = 1")))

    def alter_media_defs(self, changes: dict, user: str = "") -> MediaDefs:
        """ALTER MEDIADEFS (super group only): `changes` maps MediaDefs field names to new values."""
        self._check_super(user, "ALTER MEDIADEFS")
        unknown = sorted(set(changes) - set(_MEDIADEFS_FIELDS))
        if unknown:
            raise field_error(f"MEDIADEFS has no field {', '.join(unknown)}: use {', '.join(_MEDIADEFS_FIELDS)}")
        with self.node.store.transaction("alter MEDIADEFS") as txn:
            db = txn.db
            defs = replace(media_defs_of(self.name, next(db.query("SELECT * FROM dsm_mediadefs WHERE id = 1"))),
                           **changes)
            volcat = self._resolve(db, defs.default_volcat, VOLCAT) if defs.default_volcat else ""
            filecat = self._resolve(db, defs.default_filecat, FILECAT) if defs.default_filecat else ""
            pool = parse_pool_name(defs.default_pool) if defs.default_pool else ""
            if pool and volcat:
                self._pool_row(db, volcat, pool)
            level = check_choice("MEDIADEFS LEVEL", defs.level, LEVELS)
            retention = check_range("MEDIADEFS RETENTION", int(defs.retention_days), 1, MAX_RETENTION_DAYS)
            abend = check_range("MEDIADEFS ABENDRETENTION", int(defs.abend_retention_days), 0, MAX_RETENTION_DAYS)
            compression = check_choice("MEDIADEFS COMPRESSION", defs.compression, COMPRESSIONS)
            ssl = self._checked_ssl(defs.ssl)
            db.execute("UPDATE dsm_mediadefs SET default_volcat = ?, default_filecat = ?, default_pool = ?, level = ?,"
                       " retention_days = ?, retention_permanent = ?, abend_retention_days = ?, automated = ?,"
                       " compression = ?, ssl = ? WHERE id = 1",
                       [volcat, filecat, pool, level, retention, int(bool(defs.retention_permanent)), abend,
                        int(bool(defs.automated)), compression, json.dumps(ssl)])
            return media_defs_of(self.name, next(db.query("SELECT * FROM dsm_mediadefs WHERE id = 1")))

    def _checked_ssl(self, entries: Iterable[str]) -> list[str]:
        ssl: list[str] = []
        for entry in entries:
            text = entry.strip().upper()
            try:
                if "." in text:
                    node, name = split_catalog_name(text, VOLCAT)
                    if not node:
                        raise InvalidArgument("no node")
                    text = f"{node}.{name}"
                else:
                    text = parse_node(text)
            except InvalidArgument:
                raise mc_error(InvalidArgument, Err.SSL_INVALID,
                               f"SSL entry {entry!r} is not valid: write \\NODE or \\NODE.VOLCAT"
                               " (e.g. \\INSIDX.QCVOLCAT)") from None
            if text not in ssl:
                ssl.append(text)
        if len(ssl) > 64:
            raise mc_error(InvalidArgument, Err.SSL_INVALID, f"SSL has {len(ssl)} entries: at most 64 fit")
        return ssl

    def ssl_targets(self) -> dict[str, set[str] | None]:
        """Other nodes of this node's SSL -> the VOLCATs named for them (None = every VOLCAT of the node)."""
        targets: dict[str, set[str] | None] = {}
        for entry in self.media_defs().ssl:
            node, _, volcat = entry.partition(".")
            if node == self.name:
                continue
            if not volcat or targets.get(node, set()) is None:
                targets[node] = None
            else:
                targets.setdefault(node, set()).add(volcat)  # type: ignore[union-attr]
        return targets

    # -- TAPEVOLUME -----------------------------------------------------------------------------------------
    def check_label(self, volser: str) -> list[LabelLocation]:
        """Where a label is cataloged on this node (every VOLCAT, in or out of the search space). R3"""
        volser = parse_volser(volser)
        with self.node.store.read() as db:
            return self._locations(db, volser)

    def _locations(self, db: sqlite_utils.Database, volser: str) -> list[LabelLocation]:
        rows = db.query("SELECT v.volcat, v.pool, coalesce(p.searchspace_in, 1) AS inside FROM dsm_volume v"
                        " LEFT JOIN dsm_pool p ON p.volcat = v.volcat AND p.name = v.pool WHERE v.volser = ?"
                        " ORDER BY v.volcat", [volser])
        return [LabelLocation(self.name, self._q(r["volcat"]), r["pool"], bool(r["inside"])) for r in rows]

    def label_conflicts(self, db: sqlite_utils.Database, volser: str, remote: Sequence[LabelLocation] = ()) -> None:
        """Refuse a new label that exists anywhere in the system search space (R3, R13)."""
        found = [loc for loc in (*self._locations(db, volser), *remote) if loc.in_search_space]
        if found:
            where = "; ".join(f"{loc.volcat} POOL {loc.pool}" for loc in found)
            raise mc_error(AlreadyExists, Err.LABEL_IN_SEARCH_SPACE,
                           f"TAPEVOLUME {volser} already exists in the system search space ({where}): choose"
                           " another label, or put it in a pool excluded from the search space (SEARCHSPACE EX,"
                           " R13)")

    def add_volume(self, volume: TapeVolume, user: str = "",
                   remote_locations: Sequence[LabelLocation] = ()) -> TapeVolume:
        """ADD TAPEVOLUME: status SCRATCH unless given; attributes default to the pool's and must fit it.

        `remote_locations`: where the label was found on the other SSL nodes (the servicer asks them). R3, R13
        """
        self._check_super(user, "ADD TAPEVOLUME")
        volser = parse_volser(volume.volser)
        status = check_choice("TAPEVOLUME STATUS", volume.status or "SCRATCH", VOLUME_STATUSES)
        check_length("TAPEVOLUME OWNERID", volume.owner_id, MAX_OWNER, minimum=0)
        tape_format = check_choice("TAPEVOLUME FORMAT", volume.tape_format, TAPE_FORMATS)
        with self.node.store.transaction(f"add TAPEVOLUME {volser}") as txn:
            db = txn.db
            volcat = self._resolve(db, volume.volcat, VOLCAT)
            pool_name = volume.pool
            if not pool_name.strip():
                pool_name = next(db.query("SELECT default_pool FROM dsm_mediadefs WHERE id = 1"))["default_pool"]
                if not pool_name:
                    raise mc_error(InvalidArgument, Err.NO_DEFAULT,
                                   f"ADD TAPEVOLUME {volser} names no POOL and MEDIADEFS has no default POOL:"
                                   " give POOL name")
            pool = pool_of(self.name, self._pool_row(db, volcat, parse_pool_name(pool_name)))
            label = self._fits(volser, "LABEL", volume.label, pool.label, LABEL_TYPES)
            density = self._fits(volser, "DENSITY", volume.density, pool.density, DENSITIES)
            media = self._fits(volser, "TYPE", parse_media_type(volume.media_type) if volume.media_type else "",
                               pool.media_type, None)
            if list(db.query("SELECT 1 FROM dsm_volume WHERE volcat = ? AND volser = ?", [volcat, volser])):
                raise mc_error(AlreadyExists, Err.VOLUME_EXISTS,
                               f"TAPEVOLUME {volser} exists already in VOLCAT {self._q(volcat)}")
            if pool.searchspace_in:
                self.label_conflicts(db, volser, remote_locations)
            added = TapeVolume(volser, self._q(volcat), pool.name, label, media, density, status,
                               volume.volset_id, volume.vol_index, volume.owner_id, volume.end_of_data_lba,
                               tape_format, self.node.utc_now())
            db.execute(f"INSERT INTO dsm_volume VALUES ({', '.join('?' * 13)})", volume_row(added, self._now_us()))
        return added

    @staticmethod
    def _fits(volser: str, what: str, value: str, pool_value: str, choices: tuple[str, ...] | None) -> str:
        value = value.strip().upper()
        if not value:
            return pool_value
        if choices is not None:
            value = check_choice(f"TAPEVOLUME {what}", value, choices)
        if pool_value not in ("ANY", value):
            raise mc_error(InvalidArgument, Err.POOL_ATTRIBUTE,
                           f"TAPEVOLUME {volser} {what} {value} does not fit its POOL ({what} {pool_value}): give"
                           f" {what} {pool_value} or choose another pool")
        return value

    def alter_volumes(self, volsers: Sequence[str], status: str, volcat: str = "", user: str = "") -> list[TapeVolume]:
        """ALTER TAPEVOLUME (at most 100 names): all of them change, or none."""
        self._check_super(user, "ALTER TAPEVOLUME")
        if not volsers:
            raise field_error("ALTER TAPEVOLUME names no volume: give 1 to 100 labels")
        if len(volsers) > MAX_ALTER_NAMES:
            raise mc_error(InvalidArgument, Err.TOO_MANY_NAMES,
                           f"ALTER TAPEVOLUME names {len(volsers)} volumes: at most {MAX_ALTER_NAMES} per command")
        names = list(dict.fromkeys(parse_volser(v) for v in volsers))
        target = check_choice("TAPEVOLUME STATUS", status, tuple(sorted(FREE_STATUSES | HELD_STATUSES)))
        group = FREE_STATUSES if target in FREE_STATUSES else HELD_STATUSES
        with self.node.store.transaction(f"alter TAPEVOLUME {names[0]}") as txn:
            vc = self._resolve(txn.db, volcat, VOLCAT)
            current = [self._volume(txn.db, vc, v) for v in names]
            for vol in current:
                if vol.status not in group:
                    allowed = "BAD, RELEASED, SCRATCH" if vol.status in FREE_STATUSES else "FULL, ASSIGNED"
                    raise mc_error(Conflict, Err.STATUS_TRANSITION,
                                   f"TAPEVOLUME {vol.volser} is {vol.status}: it cannot become {target}"
                                   + (f" (allowed: {allowed})" if vol.status in FREE_STATUSES | HELD_STATUSES
                                      else " while it is in use"))
            now = self._now_us()
            txn.db.conn.executemany("UPDATE dsm_volume SET status = ?, last_changed_us = ? WHERE volcat = ? AND"
                                    " volser = ?", [(target, now, vc, v.volser) for v in current])
            return [self._volume(txn.db, vc, v) for v in names]

    def delete_volume(self, volser: str, volcat: str = "", user: str = "") -> TapeVolume:
        """DELETE TAPEVOLUME: only BAD, RELEASED or SCRATCH volumes; their INVALID file entries go with them."""
        self._check_super(user, "DELETE TAPEVOLUME")
        volser = parse_volser(volser)
        with self.node.store.transaction(f"delete TAPEVOLUME {volser}") as txn:
            db = txn.db
            vc = self._resolve(db, volcat, VOLCAT)
            vol = self._volume(db, vc, volser)
            if vol.status not in DELETABLE_STATUSES:
                raise mc_error(Conflict, Err.VOLUME_NOT_DELETABLE,
                               f"TAPEVOLUME {volser} is {vol.status}: only BAD, RELEASED or SCRATCH volumes can be"
                               " deleted; DELETE TAPEFILE its files and ALTER it to RELEASED or SCRATCH first")
            files = files_on_volume(db, self.name, vc, volser)
            valid = [f for f in files if f.status == "VALID"]
            if valid:
                raise mc_error(Conflict, Err.VOLUME_NOT_DELETABLE,
                               f"TAPEVOLUME {volser} still holds VALID TAPEFILE {valid[0].file_id}: DELETE TAPEFILE"
                               " first")
            remove_files(db, [(bare(f.filecat), f.file_id, f.generation, f.version) for f in files])
            db.execute("DELETE FROM dsm_volume WHERE volcat = ? AND volser = ?", [vc, volser])
        return vol

    def get_volume(self, volser: str, volcat: str = "") -> tuple[TapeVolume, list[TapeFile]]:
        """A volume and the tape files on it, in tape order."""
        volser = parse_volser(volser)
        with self.node.store.read() as db:
            vc = self._resolve(db, volcat, VOLCAT)
            return self._volume(db, vc, volser), files_on_volume(db, self.name, vc, volser)

    def list_volumes(self, volcat: str = "", pool: str = "", status: str = "", pattern: str = "",
                     offset: int = 0, limit: int = 1000) -> tuple[list[TapeVolume], int]:
        """Volumes matching the filters (empty = any) in VOLCAT, label order; returns (page, total)."""
        where, args = ["1 = 1"], []
        with self.node.store.read() as db:
            if volcat.strip():
                where.append("volcat = ?")
                args.append(self._resolve(db, volcat, VOLCAT))
            if pool.strip():
                where.append("pool = ?")
                args.append(parse_pool_name(pool))
            if status.strip():
                where.append("status = ?")
                args.append(check_choice("TAPEVOLUME STATUS", status, VOLUME_STATUSES))
            glob = (pattern or "*").strip().upper()
            if glob != "*":
                where.append("volser GLOB ?")
                args.append(glob.replace("[", "[[]"))
            sql = " AND ".join(where)
            total = next(db.query(f"SELECT count(*) AS n FROM dsm_volume WHERE {sql}", args))["n"]
            rows = db.query(f"SELECT * FROM dsm_volume WHERE {sql} ORDER BY volcat, volser LIMIT ? OFFSET ?",
                            [*args, limit, offset])
            return [volume_of(self.name, r) for r in rows], total

    def _volume(self, db: sqlite_utils.Database, volcat: str, volser: str) -> TapeVolume:
        rows = list(db.query("SELECT * FROM dsm_volume WHERE volcat = ? AND volser = ?", [volcat, volser]))
        if not rows:
            raise mc_error(NotFound, Err.VOLUME_UNDEFINED,
                           f"TAPEVOLUME {volser} is not cataloged in VOLCAT {self._q(volcat)}: check the label or"
                           " name its VOLCAT")
        return volume_of(self.name, rows[0])

    # -- batch, dumps ---------------------------------------------------------------------------------------
    def apply_batch(self, chunks: Iterable[Sequence[BatchOp]], options: BatchOptions | None = None,
                    label_checker: Callable[[str], Sequence[LabelLocation]] | None = None) -> BatchResult:
        """Apply every chunk in ONE transaction (dsmtc_batch); nothing is kept unless the last chunk arrives."""
        return apply_batch(self, chunks, options or BatchOptions(), label_checker)

    def dump(self) -> dict[str, list[dict]]:
        """Every DSM/TC row of the node, table by table in key order."""
        with self.node.store.read() as db:
            return dump(db)

