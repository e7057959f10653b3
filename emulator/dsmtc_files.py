"""The TAPEFILE and DISKFILE half of a node's DSM/TC (domain-facts §2): tape files with their TFTOV rows,
generations (CONFIG LASTGENERATION), versions (one VALID per generation), expiration and the daily cleanup,
DISKFILE queries, and what an export reads per volume. Mixed into `MediaCatalogStore`.

Volume sets: the files of a set share VOLCAT + VOLSETID (its first tape). When no VALID file is left on a set,
its ASSIGNED/FULL volumes become SCRATCH (pool AUTOSCRATCH) or RELEASED; the INVALID entries stay until the
cleanup removes them with their DISKFILEs, or until a volume of the set is written again from scratch.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Iterator, Sequence

from emulator.dsmtc_entries import (
    FILE_MODES, FILE_STATUSES, FILECAT, FREE_STATUSES, HELD_STATUSES, MAX_COMMENT, MAX_GENERATION,
    MAX_RETENTION_DAYS, MAX_VERSION, RECORD_FORMATS, VOLCAT, DeleteResult, DiskFile, Err, ExpireResult,
    TapeFile, TapeFileKey, TapeFileVolume, TapeVolume, VolumeEntries, check_choice, check_length, check_range,
    field_error, mc_error, parse_file_id, parse_volser, to_us,
)
from emulator.dsmtc_tables import (
    diskfile_of, files_on_volume, load_files, remove_files, tapefile_of, tapefile_row, tftov_of, tftov_rows,
    volume_of,
)
from emulator.errors import AlreadyExists, Conflict, InvalidArgument, NotFound
from emulator.names import parse_node

if TYPE_CHECKING:
    import sqlite_utils

    from emulator.node import Node

_KEY_WHERE = "filecat = ? AND file_id = ? AND generation = ? AND version = ?"
_PATTERN_NODE = re.compile(r"^\\[A-Z0-9*?]{1,7}$")
_PATTERN_VOLUME = re.compile(r"^\$[A-Z0-9*?]{1,7}$|^\*$")
_PATTERN_PART = re.compile(r"^[A-Z0-9#*?]{1,8}$")
_DISK_KEY_ORDER = ("filecat", "file_id", "generation", "version", "disk_file_name")


def _key(row: dict) -> tuple:
    return (row["filecat"], row["file_id"], row["generation"], row["version"])


class TapeFileEntries:
    """TAPEFILE / DISKFILE operations of `MediaCatalogStore` (uses its `_resolve`, `_volume`, `_check_super`)."""

    node: Node
    name: str

    # -- TAPEFILE -------------------------------------------------------------------------------------------
    def add_file(self, file: TapeFile, user: str = "") -> TapeFile:
        """Catalog a tape file: generation 0 = the next one; its volumes become ASSIGNED; a VALID version
        makes the other versions of its generation INVALID."""
        file_id = parse_file_id(file.file_id)
        check_range("TAPEFILE GENERATION", file.generation, 0, MAX_GENERATION)
        version = check_range("TAPEFILE VERSION", file.version, 0, MAX_VERSION)
        physical = check_range("TAPEFILE PHYSICALCOPY", file.physical_copy or 1, 1, 99)
        logical = check_range("TAPEFILE LOGICALCOPY", file.logical_copy or 1, 1, 2)
        record_format = check_choice("TAPEFILE RECORDFORMAT", file.record_format, RECORD_FORMATS)
        mode = check_choice("TAPEFILE TAPEFILEMODE", file.mode, FILE_MODES)
        status = check_choice("TAPEFILE STATUS", file.status or "VALID", FILE_STATUSES)
        check_length("TAPEFILE COMMENT", file.comment, MAX_COMMENT, minimum=0)
        check_range("TAPEFILE RECORDLENGTH", file.record_length, 0, 2**31 - 1)
        check_range("TAPEFILE BLOCKLENGTH", file.block_length, 0, 2**31 - 1)
        if not file.volumes:
            raise field_error(f"TAPEFILE {file_id} names no volume: give at least one TFTOV row (volser)")
        volsers = [parse_volser(t.volser) for t in file.volumes]
        if len(set(volsers)) != len(volsers):
            raise field_error(f"TAPEFILE {file_id} names a volume twice: {', '.join(volsers)}")
        with self.node.store.transaction(f"add TAPEFILE {file_id}") as txn:
            db, now = txn.db, self.node.utc_now()
            fc = self._resolve(db, file.filecat, FILECAT)
            vc = self._resolve(db, file.volcat, VOLCAT)
            vols = [self._volume(db, vc, v) for v in volsers]
            for vol in vols:
                if vol.status not in ("SCRATCH", "RELEASED", "ASSIGNED", "FULL", "INUSE", "SELECTED"):
                    raise mc_error(Conflict, Err.VOLUME_NOT_USABLE,
                                   f"TAPEVOLUME {vol.volser} is {vol.status}: a tape file cannot be cataloged on"
                                   " it; ALTER it to SCRATCH first")
            generation = file.generation or self._last_generation(db, fc, file_id) + 1
            if list(db.query(f"SELECT 1 FROM dsm_tapefile WHERE {_KEY_WHERE}", [fc, file_id, generation, version])):
                raise mc_error(AlreadyExists, Err.FILE_EXISTS,
                               f"TAPEFILE {file_id} GEN {generation} VERSION {version} exists already in FILECAT"
                               f" {self._q(fc)}: give another version, or ALTER the entry")
            self._raise_generation(db, fc, file_id, generation)
            for vol in vols:  # written again from scratch: the old INVALID entries of the tape are gone
                if vol.status in FREE_STATUSES:
                    stale = [f for f in files_on_volume(db, self.name, vc, vol.volser) if f.status == "INVALID"]
                    remove_files(db, [(fc_bare(f.filecat), f.file_id, f.generation, f.version) for f in stale])
            first = vols[0]
            joins_set = first.status in HELD_STATUSES and bool(first.volset_id)
            volset = first.volset_id if joins_set else first.volser
            base = first.vol_index if joins_set and first.vol_index else 1
            rows = []
            for i, (t, vol) in enumerate(zip(file.volumes, vols, strict=True)):
                sequence = t.file_sequence or (self._next_sequence(db, vol.volser) if i == 0 else 1)
                rows.append(TapeFileVolume(vol.volser, t.vol_index or base + i, t.file_section or i + 1, sequence,
                                           t.file_seq_label_lba))
            creation = file.creation_time or now
            permanent, expiration = file.permanent, file.expiration_time
            if not permanent and expiration is None:
                defs = self.media_defs_in(db)
                permanent = defs["retention_permanent"]
                expiration = None if permanent else creation + timedelta(days=defs["retention_days"])
            added = TapeFile(self._q(fc), file_id, generation, version, physical, logical, creation,
                             None if permanent else expiration, bool(permanent), record_format, file.record_length,
                             file.block_length, mode, file.catalog_files, status, self._q(vc),
                             file.pool.strip().upper() or first.pool, volset, file.comment, tuple(rows))
            if status == "VALID":
                self._invalidate_other_versions(db, fc, file_id, generation, version)
            db.execute(f"INSERT INTO dsm_tapefile VALUES ({', '.join('?' * 19)})", tapefile_row(added, to_us))
            db.conn.executemany(f"INSERT INTO dsm_tftov VALUES ({', '.join('?' * 9)})", tftov_rows(added))
            if status == "VALID":
                self._assign(db, vc, volset, rows)
            return self._file(db, fc, file_id, generation, version)

    def alter_file(self, filecat: str, file_id: str, generation: int = 0, version: int | None = None, *,
                   expiration: datetime | None = None, retention_days: int = 0, permanent: bool = False,
                   status: str = "", volume_set: bool = False, user: str = "") -> list[TapeFile]:
        """ALTER TAPEFILE: EXPIRATION, RETENTION n (from the creation date), PERMANENT, or STATUS VALID with a
        VERSION (the others of the generation become INVALID) / STATUS INVALID. `version` None = every version
        of the generation; `volume_set` extends an expiration change to every file of the set."""
        self._check_super(user, "ALTER TAPEFILE")
        file_id = parse_file_id(file_id)
        changes = sum([expiration is not None, bool(retention_days), permanent, bool(status)])
        if changes != 1:
            raise field_error("ALTER TAPEFILE needs exactly one of EXPIRATION, RETENTION, RETENTION PERMANENT or"
                              " STATUS")
        if retention_days:
            check_range("TAPEFILE RETENTION", retention_days, 1, MAX_RETENTION_DAYS)
        if status:
            status = check_choice("TAPEFILE STATUS", status, FILE_STATUSES)
            if status == "VALID" and version is None:
                raise field_error(f"ALTER TAPEFILE {file_id}, STATUS VALID needs VERSION v: say which version"
                                  " becomes the valid one")
        with self.node.store.transaction(f"alter TAPEFILE {file_id}") as txn:
            db = txn.db
            fc = self._resolve(db, filecat, FILECAT)
            gen = generation or self._latest_generation(db, fc, file_id)
            rows = self._entries(db, fc, file_id, gen, version)
            if status == "VALID":
                self._invalidate_other_versions(db, fc, file_id, gen, rows[0]["version"])
                db.execute(f"UPDATE dsm_tapefile SET status = 'VALID' WHERE {_KEY_WHERE}", _key(rows[0]))
                self._assign(db, rows[0]["volcat"], rows[0]["volset_id"],
                             [TapeFileVolume(t["volser"], t["vol_index"]) for t in tftov_of(db, rows[0])])
            elif status == "INVALID":
                self._invalidate(db, rows)
            else:
                if volume_set:
                    rows = list({_key(r): r for row in rows for r in self._set_of(db, row)[0]}.values())
                exp_us = None if permanent else to_us(expiration)
                for row in rows:
                    if retention_days:
                        exp_us = row["creation_us"] + retention_days * 86_400_000_000
                    db.execute(f"UPDATE dsm_tapefile SET expiration_us = ?, permanent = ? WHERE {_KEY_WHERE}",
                               [exp_us, int(permanent), *_key(row)])
            return [self._file(db, *_key(r)) for r in rows]

    def delete_file(self, filecat: str, file_id: str, generation: int = 0, all_generations: bool = False,
                    user: str = "") -> DeleteResult:
        """DELETE TAPEFILE: the VALID entries of the generation (0 = latest) or of every generation become
        INVALID; a set left without a VALID file has its volumes SCRATCH or RELEASED (pool AUTOSCRATCH)."""
        self._check_super(user, "DELETE TAPEFILE")
        file_id = parse_file_id(file_id)
        with self.node.store.transaction(f"delete TAPEFILE {file_id}") as txn:
            db = txn.db
            fc = self._resolve(db, filecat, FILECAT)
            if all_generations:
                rows = list(db.query("SELECT * FROM dsm_tapefile WHERE filecat = ? AND file_id = ?", [fc, file_id]))
                if not rows:
                    self._latest_generation(db, fc, file_id)  # raises NotFound
            else:
                rows = self._entries(db, fc, file_id, generation or self._latest_generation(db, fc, file_id), None)
            valid = [r for r in rows if r["status"] == "VALID"]
            volumes = self._invalidate(db, valid)
            return DeleteResult(tuple(self._file(db, *_key(r)) for r in valid), tuple(volumes))

    def get_file(self, filecat: str, file_id: str, generation: int = 0, version: int = -1) -> TapeFile:
        """One entry: generation 0 = the latest, version -1 = the VALID one."""
        file_id = parse_file_id(file_id)
        with self.node.store.read() as db:
            fc = self._resolve(db, filecat, FILECAT)
            gen = generation or self._latest_generation(db, fc, file_id)
            if version >= 0:
                return self._file(db, fc, file_id, gen, version)
            rows = [r for r in self._entries(db, fc, file_id, gen, None) if r["status"] == "VALID"]
            if not rows:
                raise mc_error(NotFound, Err.FILE_UNDEFINED,
                               f"TAPEFILE {file_id} GEN {gen} has no VALID version in FILECAT {self._q(fc)}: ask"
                               " for a VERSION, or list the file's entries")
            return self._file(db, *_key(rows[0]))

    def list_files(self, filecat: str = "", pattern: str = "", volser: str = "", status: str = "",
                   offset: int = 0, limit: int = 1000) -> tuple[list[TapeFile], int]:
        """Tape file entries matching the filters (empty = any), key order; returns (page, total)."""
        where, args = ["1 = 1"], []
        with self.node.store.read() as db:
            if filecat.strip():
                where.append("f.filecat = ?")
                args.append(self._resolve(db, filecat, FILECAT))
            glob = (pattern or "*").strip().upper()
            if glob != "*":
                where.append("f.file_id GLOB ?")
                args.append(glob.replace("[", "[[]"))
            if volser.strip():
                where.append("EXISTS (SELECT 1 FROM dsm_tftov t WHERE t.volser = ? AND t.filecat = f.filecat AND"
                             " t.file_id = f.file_id AND t.generation = f.generation AND t.version = f.version)")
                args.append(parse_volser(volser))
            if status.strip():
                where.append("f.status = ?")
                args.append(check_choice("TAPEFILE STATUS", status, FILE_STATUSES))
            sql = " AND ".join(where)
            total = next(db.query(f"SELECT count(*) AS n FROM dsm_tapefile f WHERE {sql}", args))["n"]
            page = load_files(db, self.name, sql, args, limit=limit, offset=offset)
            return page, total

    def next_generation(self, filecat: str, file_id: str) -> int:
        """Reserve the next absolute generation of a file id (CONFIG LASTGENERATION + 1)."""
        file_id = parse_file_id(file_id)
        with self.node.store.transaction(f"next generation {file_id}") as txn:
            fc = self._resolve(txn.db, filecat, FILECAT)
            generation = self._last_generation(txn.db, fc, file_id) + 1
            self._raise_generation(txn.db, fc, file_id, generation)
            return generation

    # -- expiration -----------------------------------------------------------------------------------------
    def expire(self, filecat: str = "") -> ExpireResult:
        """The daily cleanup (EXPIRE TAPEFILE): files past expiration become INVALID; sets with no VALID file
        left lose their entries (and DISKFILEs) and their volumes become SCRATCH or RELEASED."""
        with self.node.store.transaction("EXPIRE TAPEFILE") as txn:
            db, now = txn.db, self._now_us()
            scope, args = ("", []) if not filecat.strip() else ("AND filecat = ?", [self._resolve(db, filecat,
                                                                                                   FILECAT)])
            due = list(db.query("SELECT * FROM dsm_tapefile WHERE status = 'VALID' AND permanent = 0 AND"
                                f" expiration_us IS NOT NULL AND expiration_us <= ? {scope}", [now, *args]))
            db.conn.executemany(f"UPDATE dsm_tapefile SET status = 'INVALID' WHERE {_KEY_WHERE}",
                                [_key(r) for r in due])
            removed: dict[tuple, None] = {}
            changed: list[TapeVolume] = []
            for row in list(db.query(f"SELECT * FROM dsm_tapefile WHERE status = 'INVALID' {scope}", args)):
                if _key(row) in removed:
                    continue
                files, volsers = self._set_of(db, row)
                if any(f["status"] == "VALID" for f in files):
                    continue
                changed.extend(self._free(db, row["volcat"], volsers))
                remove_files(db, [_key(f) for f in files])
                removed.update((_key(f), None) for f in files)
            key = lambda k: TapeFileKey(self._q(k[0]), k[1], k[2], k[3])  # noqa: E731
            return ExpireResult(tuple(key(_key(r)) for r in due), tuple(key(k) for k in removed), tuple(changed))

    # -- DISKFILE -------------------------------------------------------------------------------------------
    def disk_files(self, filecat: str = "", pattern: str = "", file_id: str = "", generation: int = 0,
                   all_statuses: bool = False, chunk_size: int = 1000) -> Iterator[list[DiskFile]]:
        """DISKFILE entries in chunks (name order with a pattern, else key order); VALID only unless
        `all_statuses`. A pattern whose node this system does not know is ERROR-5048 (R15). Checked now,
        read lazily."""
        chunk_size = check_range("chunk size", chunk_size or 1000, 1, 100_000)
        glob = self._disk_pattern(pattern)
        equal: dict[str, object] = {}
        with self.node.store.read() as db:
            if filecat.strip():
                equal["filecat"] = self._resolve(db, filecat, FILECAT)
        if file_id.strip():
            equal["file_id"] = parse_file_id(file_id)
        if generation:
            equal["generation"] = generation
        others: list[tuple[str, list]] = [] if all_statuses else [("+status = 'VALID'", [])]
        if not glob:
            return self._disk_chunks(equal, others, _DISK_KEY_ORDER, chunk_size)
        # name order through the name index: the pattern's literal prefix bounds the range, GLOB filters
        prefix = re.split(r"[*?]", glob, maxsplit=1)[0]
        others.append(("+disk_file_name GLOB ?", [glob]))
        if prefix:
            others.append(("disk_file_name < ?", [prefix[:-1] + chr(ord(prefix[-1]) + 1)]))
        return self._disk_chunks(equal, others, ("disk_file_name", "rowid"), chunk_size, start=(prefix, -1))

    def _disk_chunks(self, equal: dict, others: list[tuple[str, list]], order: tuple[str, ...], size: int,
                     start: tuple | None = None) -> Iterator[list[DiskFile]]:
        """Keyset pages: the leading `order` columns fixed by `equal` form the index prefix, the rest a row-value
        range after the last row sent, so every chunk is one index seek (no scan from the start)."""
        fixed = []
        for column in order:
            if column not in equal:
                break
            fixed.append(column)
        moving = order[len(fixed):]
        where = [f"{c} = ?" for c in fixed] + [f"+{c} = ?" for c in equal if c not in fixed]
        args = [equal[c] for c in fixed] + [v for c, v in equal.items() if c not in fixed]
        for condition, values in others:
            where.append(condition)
            args.extend(values)
        cols = ", ".join(order)
        after = start
        while True:
            page = where + ([f"({', '.join(moving)}) > ({', '.join('?' * len(moving))})"] if after else [])
            with self.node.store.read() as db:
                rows = list(db.query(f"SELECT rowid, * FROM dsm_diskfile WHERE {' AND '.join(page) or '1 = 1'}"
                                     f" ORDER BY {cols} LIMIT ?", [*args, *(after or ()), size]))
            if not rows:
                return
            after = tuple(rows[-1][c] for c in moving)
            yield [diskfile_of(self.name, r) for r in rows]
            if len(rows) < size:
                return

    def _disk_pattern(self, pattern: str) -> str:
        """A DISKFILE pattern -> a GLOB on fully qualified names ('' = every name)."""
        text = (pattern or "").strip().upper()
        if text in ("", "*"):
            return ""
        parts = text.split(".")
        node, rest = (parts[0], parts[1:]) if parts[0].startswith("\\") else (self.name, parts)
        if not _PATTERN_NODE.match(node):
            raise mc_error(InvalidArgument, Err.DISKFILE_PATTERN,
                           f"DISKFILE {text} is not valid: write \\NODE.$VOL.SUBVOL.FILE with * or ?"
                           " (e.g. \\INSIDX.$DATA01.SALES.*)")
        if "*" not in node and "?" not in node and not self.node.is_known(parse_node(node)):
            raise mc_error(InvalidArgument, Err.DISKFILE_INVALID, f"DISKFILE {text} is invalid.")  # R15
        rest = rest + ["*"] * (3 - len(rest))
        if (len(rest) != 3 or not _PATTERN_VOLUME.match(rest[0]) or not _PATTERN_PART.match(rest[1])
                or not _PATTERN_PART.match(rest[2])):
            raise mc_error(InvalidArgument, Err.DISKFILE_PATTERN,
                           f"DISKFILE {text} is not valid: write \\NODE.$VOL.SUBVOL.FILE with * or ?"
                           " (e.g. \\INSIDX.$DATA01.SALES.*)")
        if rest[0] == "*":
            rest[0] = "$*"
        return ".".join([node, *rest])

    # -- what an export reads -------------------------------------------------------------------------------
    def volume_entries(self, volcat: str = "", filecat: str = "", volsers: Sequence[str] = (), pool: str = "",
                       include_disk_files: bool = False, disk_file_chunk: int = 1000) -> Iterator[VolumeEntries]:
        """Per volume: the TAPEVOLUME, its TAPEFILEs (TFTOV rows included) and, if asked, the DISKFILEs located
        on it, the rest following in `continued` messages. Names are checked now, entries read lazily."""
        chunk = check_range("DISKFILE chunk", disk_file_chunk or 1000, 1, 100_000)
        names = [parse_volser(v) for v in volsers]
        with self.node.store.read() as db:
            vc = self._resolve(db, volcat, VOLCAT)
            fc = self._resolve(db, filecat, FILECAT) if filecat.strip() else ""
            if not names:
                if pool.strip():
                    self._pool_row(db, vc, pool.strip().upper())
                rows = db.query("SELECT volser FROM dsm_volume WHERE volcat = ? AND (? = '' OR pool = ?) ORDER BY"
                                " volser", [vc, pool.strip().upper(), pool.strip().upper()])
                names = [r["volser"] for r in rows]
        return self._entries_of(vc, fc, names, include_disk_files, chunk)

    def _entries_of(self, vc: str, fc: str, names: list[str], disk: bool, chunk: int) -> Iterator[VolumeEntries]:
        for volser in names:
            with self.node.store.read() as db:
                rows = list(db.query("SELECT * FROM dsm_volume WHERE volcat = ? AND volser = ?", [vc, volser]))
                if not rows:
                    yield VolumeEntries(volser, None)
                    continue
                volume = volume_of(self.name, rows[0])
                files = files_on_volume(db, self.name, vc, volser, fc)
            if not disk:
                yield VolumeEntries(volser, volume, tuple(files))
                continue
            pending: list[DiskFile] = []
            first = True
            for part in self._disk_files_on(volser, files, chunk):
                pending.extend(part)
                while len(pending) >= chunk:
                    yield VolumeEntries(volser, volume, tuple(files) if first else (), tuple(pending[:chunk]),
                                        continued=not first)
                    pending, first = pending[chunk:], False
            if pending or first:
                yield VolumeEntries(volser, volume, tuple(files) if first else (), tuple(pending),
                                    continued=not first)

    def _disk_files_on(self, volser: str, files: list[TapeFile], size: int) -> Iterator[list[DiskFile]]:
        """DISKFILEs located on `volser`: those whose VOLINDEX is this volume's in the file's set; a file's
        DISKFILEs with no (or an unknown) VOLINDEX go with its first volume."""
        for f in files:
            here = next(t for t in f.volumes if t.volser == volser)
            indexes = [t.vol_index for t in f.volumes]
            equal = dict(zip(("filecat", "file_id", "generation", "version"),
                             (fc_bare(f.filecat), f.file_id, f.generation, f.version), strict=True))
            others: list[tuple[str, list]] = []
            if len(f.volumes) > 1:
                if here is f.volumes[0]:
                    others.append((f"(+vol_index = ? OR +vol_index NOT IN ({', '.join('?' * len(indexes))}))",
                                   [here.vol_index, *indexes]))
                else:
                    others.append(("+vol_index = ?", [here.vol_index]))
            yield from self._disk_chunks(equal, others, _DISK_KEY_ORDER, size)

    # -- helpers --------------------------------------------------------------------------------------------
    def media_defs_in(self, db: sqlite_utils.Database) -> dict:
        return next(db.query("SELECT * FROM dsm_mediadefs WHERE id = 1"))

    def _last_generation(self, db: sqlite_utils.Database, fc: str, file_id: str) -> int:
        rows = list(db.query("SELECT last_generation FROM dsm_config WHERE filecat = ? AND file_id = ?",
                             [fc, file_id]))
        return rows[0]["last_generation"] if rows else 0

    def _raise_generation(self, db: sqlite_utils.Database, fc: str, file_id: str, generation: int) -> None:
        db.execute("INSERT INTO dsm_config VALUES (?, ?, ?) ON CONFLICT (filecat, file_id) DO UPDATE SET"
                   " last_generation = max(last_generation, excluded.last_generation)", [fc, file_id, generation])

    def _latest_generation(self, db: sqlite_utils.Database, fc: str, file_id: str) -> int:
        row = next(db.query("SELECT max(generation) AS g FROM dsm_tapefile WHERE filecat = ? AND file_id = ?",
                            [fc, file_id]))
        if row["g"] is None:
            raise mc_error(NotFound, Err.FILE_UNDEFINED,
                           f"TAPEFILE {file_id} is not cataloged in FILECAT {self._q(fc)}: check the file id or"
                           " name its FILECAT")
        return row["g"]

    def _entries(self, db: sqlite_utils.Database, fc: str, file_id: str, gen: int, version: int | None) -> list[dict]:
        rows = list(db.query("SELECT * FROM dsm_tapefile WHERE filecat = ? AND file_id = ? AND generation = ?"
                             " AND (? IS NULL OR version = ?) ORDER BY version", [fc, file_id, gen, version, version]))
        if not rows:
            which = f"GEN {gen}" + (f" VERSION {version}" if version is not None else "")
            raise mc_error(NotFound, Err.FILE_UNDEFINED,
                           f"TAPEFILE {file_id} {which} is not cataloged in FILECAT {self._q(fc)}: INFO TAPEFILE"
                           f" {file_id} lists its generations")
        return rows

    def _file(self, db: sqlite_utils.Database, fc: str, file_id: str, gen: int, version: int) -> TapeFile:
        fc = fc_bare(fc)
        row = self._entries(db, fc, file_id, gen, version)[0]
        return tapefile_of(self.name, row, tftov_of(db, row))

    def _next_sequence(self, db: sqlite_utils.Database, volser: str) -> int:
        row = next(db.query("SELECT max(file_sequence) AS s FROM dsm_tftov WHERE volser = ?", [volser]))
        return (row["s"] or 0) + 1

    def _set_of(self, db: sqlite_utils.Database, row: dict) -> tuple[list[dict], list[str]]:
        """The tape files sharing `row`'s volume set (VOLCAT + VOLSETID) and the labels of that set."""
        if row["volset_id"]:
            files = list(db.query("SELECT * FROM dsm_tapefile WHERE volcat = ? AND volset_id = ?",
                                  [row["volcat"], row["volset_id"]]))
            volsers = {r["volser"] for r in db.query("SELECT volser FROM dsm_volume WHERE volcat = ? AND"
                                                     " volset_id = ?", [row["volcat"], row["volset_id"]])}
        else:
            files, volsers = [row], set()
        for f in files:
            volsers.update(t["volser"] for t in tftov_of(db, f))
        return files, sorted(volsers)

    def _invalidate(self, db: sqlite_utils.Database, rows: list[dict]) -> list[TapeVolume]:
        """Mark entries INVALID; free the sets left without a VALID file; return the volumes changed."""
        db.conn.executemany(f"UPDATE dsm_tapefile SET status = 'INVALID' WHERE {_KEY_WHERE}", [_key(r) for r in rows])
        changed: list[TapeVolume] = []
        seen: set[tuple] = set()
        for row in rows:
            set_key = (row["volcat"], row["volset_id"] or _key(row))
            if set_key in seen:
                continue
            seen.add(set_key)
            files, volsers = self._set_of(db, row)
            if not any(f["status"] == "VALID" for f in files):
                changed.extend(self._free(db, row["volcat"], volsers))
        return changed

    def _invalidate_other_versions(self, db: sqlite_utils.Database, fc: str, file_id: str, gen: int,
                                   version: int) -> None:
        others = list(db.query("SELECT * FROM dsm_tapefile WHERE filecat = ? AND file_id = ? AND generation = ?"
                               " AND version != ? AND status = 'VALID'", [fc, file_id, gen, version]))
        self._invalidate(db, others)

    def _free(self, db: sqlite_utils.Database, vc: str, volsers: list[str]) -> list[TapeVolume]:
        """ASSIGNED/FULL volumes of an emptied set -> SCRATCH (pool AUTOSCRATCH) or RELEASED."""
        changed = []
        now = self._now_us()
        for volser in volsers:
            rows = list(db.query("SELECT v.*, coalesce(p.autoscratch, 1) AS auto FROM dsm_volume v LEFT JOIN"
                                 " dsm_pool p ON p.volcat = v.volcat AND p.name = v.pool WHERE v.volcat = ? AND"
                                 " v.volser = ?", [vc, volser]))
            if not rows or rows[0]["status"] not in HELD_STATUSES:
                continue
            status = "SCRATCH" if rows[0]["auto"] else "RELEASED"
            db.execute("UPDATE dsm_volume SET status = ?, volset_id = '', vol_index = 0, last_changed_us = ? WHERE"
                       " volcat = ? AND volser = ?", [status, now, vc, volser])
            changed.append(self._volume(db, vc, volser))
        return changed

    def _assign(self, db: sqlite_utils.Database, vc: str, volset: str, rows: Sequence[TapeFileVolume]) -> None:
        """Volumes that now hold a VALID file: ASSIGNED (FULL stays FULL), members of the set."""
        now = self._now_us()
        for t in rows:
            db.execute("UPDATE dsm_volume SET status = CASE WHEN status IN ('FULL', 'INUSE', 'SELECTED') THEN"
                       " status ELSE 'ASSIGNED' END, volset_id = ?, vol_index = ?, last_changed_us = ?"
                       " WHERE volcat = ? AND volser = ?", [volset, t.vol_index, now, vc, t.volser])


def fc_bare(name: str) -> str:
    return name.rsplit(".", 1)[-1] if name.startswith("\\") else name
