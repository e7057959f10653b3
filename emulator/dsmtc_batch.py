"""ApplyBatch: many catalog operations as ONE TMF-like transaction (what BBDBM does for an import, R22-R24, R40).

Entries are applied as given, the way SQL inserts into the DSM/TC tables would be: no status side effects, no
MEDIACOM rules; only field limits, catalog names and (when asked) the search space are checked. DISKFILE upserts
go in with one `executemany` per run of rows; the rows it added are counted as the rowids above the previous
maximum, the rows it changed through the connection's change count, the rest are unchanged.

Between chunks the transaction is checked (a node crash since it began), the calling process must still be
alive, and the fault point `media_catalog.after_chunk` is passed; `media_catalog.before_commit` comes just
before the commit. Any failure, a broken stream included, rolls the whole batch back.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from emulator.dsmtc_entries import (
    DENSITIES, FILE_MODES, FILE_STATUSES, FILECAT, LABEL_TYPES, MAX_GENERATION, MAX_OWNER, MAX_VERSION,
    RECORD_FORMATS, TAPE_FORMATS, VOLCAT, VOLUME_STATUSES, BatchOp, BatchOptions, BatchResult, DeleteDiskFiles,
    Err, UnitRejection,
    DeleteDiskFileSelection, DeleteFile, DeleteVolume, LabelLocation, OpCounts, TapeFile, TapeVolume,
    UpsertDiskFiles, UpsertFile, UpsertVolume, check_choice, check_length, check_range, field_error, mc_error,
    parse_file_id, parse_media_type, parse_pool_name, parse_volser, to_us,
)
from emulator.dsmtc_tables import (
    DISKFILE_DELETE, DISKFILE_UPSERT, TAPEFILE_COLUMNS, TFTOV_COLUMNS, VOLUME_COLUMNS, files_on_volume,
    remove_files, tapefile_row, tftov_rows, volume_row,
)
from emulator.errors import EmulatorError, InvalidArgument, NotFound
from emulator.names import MAX_FILE_NAME, parse_file_name

if TYPE_CHECKING:
    import sqlite_utils

    from emulator.media_catalog import MediaCatalogStore
    from emulator.state import Transaction

AFTER_CHUNK = "media_catalog.after_chunk"
BEFORE_COMMIT = "media_catalog.before_commit"
AFTER_COMMIT = "media_catalog.after_commit"
_DISK_FILE_NAME = re.compile(r"\\[A-Z][A-Z0-9]{0,6}\.\$[A-Z][A-Z0-9]{0,6}\.[A-Z][A-Z0-9]{0,7}\."
                             r"(?:[A-Z][A-Z0-9]{0,7}|#[0-9]{4,7})\Z")
_DISK_STATUSES = frozenset(FILE_STATUSES)


@dataclass(frozen=True)
class Chunk:
    """One chunk of a stream: its ops, and whether it ends its commit unit (R40)."""

    ops: Sequence[BatchOp]
    commit: bool = False
    unit: str = ""
    group: str = ""
    error: EmulatorError | None = None     # the chunk could not be read (a value out of its enum): an entry error


def apply_batch(store: MediaCatalogStore, chunks: Iterable[Sequence[BatchOp] | Chunk], options: BatchOptions,
                label_checker: Callable[[str], Sequence[LabelLocation]] | None = None) -> BatchResult:
    """Apply the chunks unit by unit: a unit commits at its chunk marked `commit` (plain op lists and a stream
    without marks are one unit, committed after the last chunk: the client's half-close)."""
    run = _Run(store, options, label_checker)
    try:
        for chunk in chunks:
            run.feed(chunk if isinstance(chunk, Chunk) else Chunk(chunk))
        run.finish()
    except BaseException as exc:
        run.abort(exc)
        raise
    return run.result()


class _Run:
    """The units of one stream: the open unit's transaction, the totals of the committed ones, the rejections."""

    def __init__(self, store: MediaCatalogStore, options: BatchOptions,
                 label_checker: Callable[[str], Sequence[LabelLocation]] | None):
        self.store, self.options, self.label_checker = store, options, label_checker
        self.node = store.node
        self.process = options.process
        self.program = self.node.processes.program_of(self.process) if self.process else ""
        self.owner = " ".join(p for p in ("ApplyBatch", options.label, self.process) if p)
        self.totals = {"volumes": [0, 0, 0, 0], "files": [0, 0, 0, 0], "disk": [0, 0, 0, 0]}
        self.ops = self.commits = self.last_txn = 0
        self.rejections: list[UnitRejection] = []
        self.skipped: list[str] = []
        self.rejected_groups: set[str] = set()
        self.batch: _Batch | None = None
        self._cm: contextlib.AbstractContextManager | None = None
        self._caches: tuple[dict, dict, dict, dict] | None = None
        self.unit, self.group, self.units = "", "", 0
        self.skipping: bool | None = None      # None: the next chunk starts a unit

    def feed(self, chunk: Chunk) -> None:
        if self.skipping is None:
            self.units += 1
            self.unit, self.group = chunk.unit or f"unit {self.units}", chunk.group
            self.skipping = bool(self.group) and self.group in self.rejected_groups
            if self.skipping:
                self.skipped.append(self.unit)
        if not self.skipping:
            self._apply(chunk.ops, chunk.error)
        if chunk.commit:
            if not self.skipping:
                self._commit()
            self.skipping = None

    def _apply(self, ops: Sequence[BatchOp], error: EmulatorError | None = None) -> None:
        if self.batch is None:
            self._begin()
        assert self.batch is not None
        self.batch.txn.check()
        if self.process:
            self.node.processes.check_alive(self.process)
        try:
            if error is not None:
                raise error
            self.batch.apply(ops)
        except EmulatorError as exc:
            if not self.options.reject_units or exc.mediacom_error is None:
                raise
            self.abort(exc)                        # this unit only: the stream goes on
            self.rejections.append(UnitRejection(self.unit, self.group, exc.message, exc.mediacom_error))
            if self.group:
                self.rejected_groups.add(self.group)
            self.skipping = True
            return
        self.node.hit(AFTER_CHUNK, self.process, self.program)

    def _begin(self) -> None:
        self._cm = self.node.store.transaction(self.owner)
        txn = self._cm.__enter__()
        self.batch = _Batch(self.store, txn, self.options, self.label_checker, self._caches)

    def _commit(self) -> None:
        if self.batch is None:
            return
        batch, cm = self.batch, self._cm
        assert cm is not None
        batch.txn.check()
        if self.process:
            self.node.processes.check_alive(self.process)
        self.node.hit(BEFORE_COMMIT, self.process, self.program)
        self.batch, self._cm = None, None
        cm.__exit__(None, None, None)              # COMMIT (a crash since BEGIN raises here, rolled back)
        self.commits += 1
        self.last_txn = batch.txn.id
        self.ops += batch.ops
        for kind, counts in batch.counts.items():
            self.totals[kind] = [a + b for a, b in zip(self.totals[kind], counts)]
        self._caches = batch.caches()
        self.node.hit(AFTER_COMMIT, self.process, self.program)

    def finish(self) -> None:
        if self.batch is not None:
            self._commit()
        elif not self.commits and not self.rejections and not self.skipped:
            # an empty stream still names its transaction, as the one-transaction batch always did
            self._begin()
            self._commit()

    def abort(self, exc: BaseException) -> None:
        """Roll the open unit back (nothing of it stays)."""
        cm, self.batch, self._cm = self._cm, None, None
        if cm is not None:
            try:
                cm.__exit__(type(exc), exc, exc.__traceback__)
            except BaseException:  # noqa: B036 - the rollback re-raises what ended the unit: already handled
                pass

    def result(self) -> BatchResult:
        c = self.totals
        return BatchResult(self.ops, OpCounts(*c["volumes"]), OpCounts(*c["files"]), OpCounts(*c["disk"]),
                           self.last_txn, self.commits, tuple(self.rejections), tuple(self.skipped))


class _Batch:
    """The state of one batch: counts and the catalog names already resolved."""

    def __init__(self, store: MediaCatalogStore, txn: Transaction, options: BatchOptions,
                 label_checker: Callable[[str], Sequence[LabelLocation]] | None,
                 caches: tuple[dict, dict, dict, dict] | None = None):
        self.store, self.txn, self.options, self.label_checker = store, txn, options, label_checker
        self.db: sqlite_utils.Database = txn.db
        self.conn = self.db.conn
        self.ops = 0
        self.counts = {"volumes": [0, 0, 0, 0], "files": [0, 0, 0, 0], "disk": [0, 0, 0, 0]}  # add/upd/same/del
        # names resolved by the units committed before this one (a rolled-back unit's are never kept)
        self._catalogs: dict[tuple[str, str], str]
        self._pools: dict[tuple[str, str], dict]
        self._file_ids: dict[str, str]
        self._disk_catalogs: dict[str, str]
        self._catalogs, self._pools, self._file_ids, self._disk_catalogs = (
            tuple(dict(c) for c in caches) if caches else ({}, {}, {}, {}))  # type: ignore[assignment]
        self._known_nodes: dict[str, bool] = {}

    def caches(self) -> tuple[dict, dict, dict, dict]:
        return self._catalogs, self._pools, self._file_ids, self._disk_catalogs

    def apply(self, chunk: Sequence[BatchOp]) -> None:
        for op in chunk:
            if isinstance(op, UpsertDiskFiles):
                self.ops += len(op.rows)
                self._upsert_disk_files(op.rows)
                continue
            if isinstance(op, DeleteDiskFiles):
                self.ops += len(op.keys)
                self._delete_disk_files(op.keys)
                continue
            self.ops += 1
            if isinstance(op, UpsertVolume):
                self._upsert_volume(op.volume)
            elif isinstance(op, DeleteVolume):
                self._delete_volume(op.volser, op.volcat)
            elif isinstance(op, UpsertFile):
                self._upsert_file(op.file)
            elif isinstance(op, DeleteFile):
                self._delete_file(op.key.filecat, op.key.file_id, op.key.generation, op.key.version)
            elif isinstance(op, DeleteDiskFileSelection):
                self._delete_selection(op)
            else:
                raise field_error(f"batch operation {type(op).__name__} is not known: see dsmtc_entries.BatchOp")

    # -- names ----------------------------------------------------------------------------------------------
    def _catalog(self, ref: str, kind: str) -> str:
        cached = self._catalogs.get((ref, kind))
        if cached is not None:
            return cached
        if not ref.strip():
            raise field_error(f"a batch operation names no {kind}: give the qualified name (\\NODE.NAME)")
        try:
            name = self.store._resolve(self.db, ref, kind)
        except NotFound:
            if not self.options.create_catalogs:
                raise
            name = ref.strip().upper().rsplit(".", 1)[-1]
            self.db.execute("INSERT INTO dsm_catalog VALUES (?, ?, '')", [name, kind])
        self._catalogs[(ref, kind)] = name
        return name

    def _pool(self, volcat: str, pool: str) -> dict:
        key = (volcat, pool)
        if key not in self._pools:
            row = self.store._pool_row(self.db, volcat, pool, missing_ok=self.options.create_catalogs)
            if not row:
                self.db.execute("INSERT INTO dsm_pool VALUES (?, ?, 'ANSI', 'ANY', 'ANY', 1, 1, 0, '')", [volcat, pool])
                row = self.store._pool_row(self.db, volcat, pool)
            self._pools[key] = row
        return self._pools[key]

    def _file_id(self, text: str) -> str:
        file_id = self._file_ids.get(text)
        if file_id is None:
            file_id = self._file_ids[text] = parse_file_id(text)
        return file_id

    # -- TAPEVOLUME -----------------------------------------------------------------------------------------
    def _upsert_volume(self, v: TapeVolume) -> None:
        volser = parse_volser(v.volser)
        vc = self._catalog(v.volcat, VOLCAT)
        if not v.pool.strip():
            raise field_error(f"TAPEVOLUME {volser} names no POOL: a batch gives every volume its pool")
        pool = self._pool(vc, parse_pool_name(v.pool))
        check_length("TAPEVOLUME OWNERID", v.owner_id, MAX_OWNER, minimum=0)
        volume = TapeVolume(
            volser, vc, pool["name"], check_choice("TAPEVOLUME LABEL", v.label or pool["label"], LABEL_TYPES),
            parse_media_type(v.media_type or pool["media_type"]),
            check_choice("TAPEVOLUME DENSITY", v.density or pool["density"], DENSITIES),
            check_choice("TAPEVOLUME STATUS", v.status or "SCRATCH", VOLUME_STATUSES),
            parse_volser(v.volset_id) if v.volset_id else "", max(v.vol_index, 0), v.owner_id,
            v.end_of_data_lba, check_choice("TAPEVOLUME FORMAT", v.tape_format, TAPE_FORMATS))
        changed = to_us(v.last_changed) or self.store._now_us()
        row = volume_row(volume, changed)
        old = list(self.db.query("SELECT * FROM dsm_volume WHERE volcat = ? AND volser = ?", [vc, volser]))
        if old:
            if tuple(old[0][c] for c in VOLUME_COLUMNS[:-1]) == row[:-1]:
                self.counts["volumes"][2] += 1
                return
            self.db.execute("DELETE FROM dsm_volume WHERE volcat = ? AND volser = ?", [vc, volser])
            self.counts["volumes"][1] += 1
        else:
            if self.options.check_search_space and pool["searchspace_in"]:  # R3, R13
                remote = self.label_checker(volser) if self.label_checker else ()
                self.store.label_conflicts(self.db, volser, remote)
            self.counts["volumes"][0] += 1
        self.db.execute(f"INSERT INTO dsm_volume VALUES ({', '.join('?' * 13)})", row)

    def _delete_volume(self, volser: str, volcat: str) -> None:
        volser = parse_volser(volser)
        vc = self._catalog(volcat, VOLCAT)
        if not list(self.db.query("SELECT 1 FROM dsm_volume WHERE volcat = ? AND volser = ?", [vc, volser])):
            return
        files = files_on_volume(self.db, self.store.name, vc, volser)
        self.counts["disk"][3] += remove_files(self.db, [(f.filecat.rsplit(".", 1)[-1], f.file_id, f.generation,
                                                          f.version) for f in files])
        self.counts["files"][3] += len(files)
        self.db.execute("DELETE FROM dsm_volume WHERE volcat = ? AND volser = ?", [vc, volser])
        self.counts["volumes"][3] += 1

    # -- TAPEFILE -------------------------------------------------------------------------------------------
    def _upsert_file(self, f: TapeFile) -> None:
        file_id = self._file_id(f.file_id)
        fc = self._catalog(f.filecat, FILECAT)
        vc = self._catalog(f.volcat, VOLCAT)
        generation = check_range("TAPEFILE GENERATION", f.generation, 1, MAX_GENERATION)
        version = check_range("TAPEFILE VERSION", f.version, 0, MAX_VERSION)
        check_length("TAPEFILE COMMENT", f.comment, 80, minimum=0)
        volumes = tuple(t.__class__(parse_volser(t.volser), t.vol_index, t.file_section, t.file_sequence,
                                    t.file_seq_label_lba) for t in f.volumes)
        if len({t.volser for t in volumes}) != len(volumes):
            raise field_error(f"TAPEFILE {file_id} names a volume twice in its TFTOV rows")
        file = TapeFile(
            fc, file_id, generation, version, check_range("TAPEFILE PHYSICALCOPY", f.physical_copy or 1, 1, 99),
            check_range("TAPEFILE LOGICALCOPY", f.logical_copy or 1, 1, 2), f.creation_time, f.expiration_time,
            f.permanent, check_choice("TAPEFILE RECORDFORMAT", f.record_format, RECORD_FORMATS),
            f.record_length, f.block_length, check_choice("TAPEFILE TAPEFILEMODE", f.mode, FILE_MODES),
            f.catalog_files, check_choice("TAPEFILE STATUS", f.status or "VALID", FILE_STATUSES), vc,
            parse_pool_name(f.pool) if f.pool else "", parse_volser(f.volset_id) if f.volset_id else "",
            f.comment, volumes)
        row, tftov = tapefile_row(file, to_us), sorted(tftov_rows(file))
        key = [fc, file_id, generation, version]
        where = "filecat = ? AND file_id = ? AND generation = ? AND version = ?"
        old = list(self.db.query(f"SELECT * FROM dsm_tapefile WHERE {where}", key))
        if old:
            old_tftov = sorted(tuple(r[c] for c in TFTOV_COLUMNS)
                               for r in self.db.query(f"SELECT * FROM dsm_tftov WHERE {where}", key))
            if tuple(old[0][c] for c in TAPEFILE_COLUMNS) == row and old_tftov == tftov:
                self.counts["files"][2] += 1
                return
            self.db.execute(f"DELETE FROM dsm_tapefile WHERE {where}", key)
            self.db.execute(f"DELETE FROM dsm_tftov WHERE {where}", key)
            self.counts["files"][1] += 1
        else:
            self.counts["files"][0] += 1
        self.db.execute(f"INSERT INTO dsm_tapefile VALUES ({', '.join('?' * 19)})", row)
        self.conn.executemany(f"INSERT INTO dsm_tftov VALUES ({', '.join('?' * 9)})", tftov)
        self.db.execute("INSERT INTO dsm_config VALUES (?, ?, ?) ON CONFLICT (filecat, file_id) DO UPDATE SET"
                        " last_generation = max(last_generation, excluded.last_generation)", [fc, file_id, generation])

    def _delete_file(self, filecat: str, file_id: str, generation: int, version: int) -> None:
        key = (self._catalog(filecat, FILECAT), self._file_id(file_id), generation, version)
        if list(self.db.query("SELECT 1 FROM dsm_tapefile WHERE filecat = ? AND file_id = ? AND generation = ? AND"
                              " version = ?", list(key))):
            self.counts["disk"][3] += remove_files(self.db, [key])
            self.counts["files"][3] += 1

    # -- DISKFILE -------------------------------------------------------------------------------------------
    def _upsert_disk_files(self, rows: Sequence[tuple]) -> None:
        """One executemany for the run; rows normalised and checked in one tight loop."""
        statuses, match = _DISK_STATUSES, _DISK_FILE_NAME.match
        catalogs, file_ids = self._disk_catalogs, self._file_ids  # raw text -> checked name (misses are rare)
        out = []
        append = out.append
        for (fc, raw_name, fid, gen, ver, dumped, pc, lc, st, o, b, rf, c, a, code, vs, vi) in rows:
            name = raw_name.upper()
            if len(name) > MAX_FILE_NAME or match(name) is None:
                _bad_disk_file_name(name)
            node = name[:name.index(".")]
            known = self._known_nodes.get(node)
            if known is None:
                known = self._known_nodes[node] = self.store.node.is_known(node)
            if not known:  # R15: a node this system does not know
                raise mc_error(InvalidArgument, Err.DISKFILE_INVALID, f"DISKFILE {name} is invalid.")
            if not (0 < gen <= MAX_GENERATION and 0 <= ver <= MAX_VERSION) or st not in statuses:
                _bad_disk_file(name, gen, ver, st)
            bare_fc = catalogs.get(fc)
            if bare_fc is None:
                bare_fc = catalogs[fc] = self._catalog(fc, FILECAT)
            checked_fid = file_ids.get(fid)
            if checked_fid is None:
                checked_fid = self._file_id(fid)
            # bools bind as 0/1 as they are; SQLite keeps them as integers
            append((bare_fc, name, checked_fid, gen, ver, dumped, pc or 1, lc or 1, st, o, b, rf, c, a, code,
                    vs.upper(), vi))
        conn = self.conn
        top = conn.execute("SELECT max(rowid) FROM dsm_diskfile").fetchone()[0] or 0
        before = conn.total_changes
        conn.executemany(DISKFILE_UPSERT, out)
        touched = conn.total_changes - before
        added = conn.execute("SELECT count(*) FROM dsm_diskfile WHERE rowid > ?", (top,)).fetchone()[0]
        counts = self.counts["disk"]
        counts[0] += added
        counts[1] += touched - added
        counts[2] += len(out) - touched

    def _delete_disk_files(self, keys: Sequence[tuple]) -> None:
        out = [(self._catalog(fc, FILECAT), name.upper(), self._file_id(fid), gen, ver)
               for fc, name, fid, gen, ver in keys]
        before = self.conn.total_changes
        self.conn.executemany(DISKFILE_DELETE, out)
        self.counts["disk"][3] += self.conn.total_changes - before

    def _delete_selection(self, sel: DeleteDiskFileSelection) -> None:
        where, args = ["filecat = ?"], [self._catalog(sel.filecat, FILECAT)]
        if sel.file_id.strip():
            where.append("file_id = ?")
            args.append(self._file_id(sel.file_id))
        if sel.generation:
            where.append("generation = ?")
            args.append(sel.generation)
        if sel.volset_id.strip():
            where.append("volset_id = ?")
            args.append(parse_volser(sel.volset_id))
        before = self.conn.total_changes
        self.db.execute(f"DELETE FROM dsm_diskfile WHERE {' AND '.join(where)}", args)
        self.counts["disk"][3] += self.conn.total_changes - before


def _bad_disk_file_name(name: str) -> None:
    try:
        parse_file_name(name)
    except EmulatorError as exc:
        raise field_error(f"DISKFILE name {name!r} is not valid: {exc.message}") from None
    raise field_error(f"DISKFILE name {name!r} is not valid: give the fully qualified name \\NODE.$VOL.SUBVOL.FILE"
                      f" (at most {MAX_FILE_NAME} characters)")


def _bad_disk_file(name: str, gen: int, ver: int, status: str) -> None:
    if not 0 < gen <= MAX_GENERATION:
        raise field_error(f"DISKFILE {name} GENERATION {gen} is out of range: use 1 to {MAX_GENERATION}")
    if not 0 <= ver <= MAX_VERSION:
        raise field_error(f"DISKFILE {name} VERSION {ver} is out of range: use 0 to {MAX_VERSION}")
    raise field_error(f"DISKFILE {name} status {status!r} is not valid: use VALID or INVALID")
