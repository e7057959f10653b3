"""The DSM/TC tables in `node.sqlite` and the row <-> entry conversions every DSM/TC module shares.

Catalog names are stored bare (the node is the table's own node); times are integer microseconds UTC.
Writes use plain SQL on the transaction's connection: sqlite-utils' write helpers wrap themselves in
`with conn:`, which would commit the node's TMF-like transaction half way.

Keys (the emulator's choice, documented for checkers):
- dsm_volume   (volcat, volser)                     DSM/TC keys VOLSER+POOLNAME; every request names a volume
                                                    by VOLCAT + label, so a label is unique per VOLCAT here
- dsm_tapefile (filecat, file_id, generation, version)  = TapeFileKey; PHYSICALCOPY is an attribute
- dsm_tftov    (filecat, file_id, generation, version, volser)
- dsm_config   (filecat, file_id)                   LASTGENERATION
- dsm_diskfile UNIQUE (filecat, file_id, generation, version, disk_file_name): a DISKFILE belongs to one
               tape file entry, so the copy numbers are attributes too. A rowid table on purpose: the batch
               path counts the rows one `executemany` added as the rowids above the previous maximum.
"""

from __future__ import annotations

import json
from typing import Iterable

import sqlite_utils

from emulator.dsmtc_entries import (
    Catalog, DiskFile, MediaDefs, Pool, TapeFile, TapeFileVolume, TapeVolume, from_us,
)

_DDL = (
    """CREATE TABLE IF NOT EXISTS dsm_catalog (
           name TEXT PRIMARY KEY, kind TEXT NOT NULL, subvolume TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS dsm_pool (
           volcat TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL, density TEXT NOT NULL,
           media_type TEXT NOT NULL, autoscratch INTEGER NOT NULL, searchspace_in INTEGER NOT NULL,
           append INTEGER NOT NULL, last_scratch_volume TEXT NOT NULL,
           PRIMARY KEY (volcat, name)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS dsm_mediadefs (
           id INTEGER PRIMARY KEY CHECK (id = 1), default_volcat TEXT NOT NULL, default_filecat TEXT NOT NULL,
           default_pool TEXT NOT NULL, level TEXT NOT NULL, retention_days INTEGER NOT NULL,
           retention_permanent INTEGER NOT NULL, abend_retention_days INTEGER NOT NULL,
           automated INTEGER NOT NULL, compression TEXT NOT NULL, ssl TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS dsm_volume (
           volcat TEXT NOT NULL, volser TEXT NOT NULL, pool TEXT NOT NULL, label TEXT NOT NULL,
           media_type TEXT NOT NULL, density TEXT NOT NULL, status TEXT NOT NULL, volset_id TEXT NOT NULL,
           vol_index INTEGER NOT NULL, owner_id TEXT NOT NULL, end_of_data_lba INTEGER NOT NULL,
           tape_format TEXT NOT NULL, last_changed_us INTEGER,
           PRIMARY KEY (volcat, volser)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS dsm_volume_volser ON dsm_volume (volser)",          # CheckLabel
    "CREATE INDEX IF NOT EXISTS dsm_volume_pool ON dsm_volume (volcat, pool)",      # pool listings
    "CREATE INDEX IF NOT EXISTS dsm_volume_volset ON dsm_volume (volcat, volset_id)",
    """CREATE TABLE IF NOT EXISTS dsm_tapefile (
           filecat TEXT NOT NULL, file_id TEXT NOT NULL, generation INTEGER NOT NULL, version INTEGER NOT NULL,
           physical_copy INTEGER NOT NULL, logical_copy INTEGER NOT NULL, creation_us INTEGER,
           expiration_us INTEGER, permanent INTEGER NOT NULL, record_format TEXT NOT NULL,
           record_length INTEGER NOT NULL, block_length INTEGER NOT NULL, mode TEXT NOT NULL,
           catalog_files INTEGER NOT NULL, status TEXT NOT NULL, volcat TEXT NOT NULL, pool TEXT NOT NULL,
           volset_id TEXT NOT NULL, comment TEXT NOT NULL,
           PRIMARY KEY (filecat, file_id, generation, version)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS dsm_tapefile_volset ON dsm_tapefile (volcat, volset_id)",   # sets
    "CREATE INDEX IF NOT EXISTS dsm_tapefile_expiry ON dsm_tapefile (status, expiration_us)",  # cleanup
    """CREATE TABLE IF NOT EXISTS dsm_tftov (
           filecat TEXT NOT NULL, file_id TEXT NOT NULL, generation INTEGER NOT NULL, version INTEGER NOT NULL,
           volser TEXT NOT NULL, vol_index INTEGER NOT NULL, file_section INTEGER NOT NULL,
           file_sequence INTEGER NOT NULL, file_seq_label_lba INTEGER NOT NULL,
           PRIMARY KEY (filecat, file_id, generation, version, volser)) WITHOUT ROWID""",
    "CREATE INDEX IF NOT EXISTS dsm_tftov_volser ON dsm_tftov (volser)",            # files on a volume
    """CREATE TABLE IF NOT EXISTS dsm_config (
           filecat TEXT NOT NULL, file_id TEXT NOT NULL, last_generation INTEGER NOT NULL,
           PRIMARY KEY (filecat, file_id)) WITHOUT ROWID""",
    """CREATE TABLE IF NOT EXISTS dsm_diskfile (
           filecat TEXT NOT NULL, file_id TEXT NOT NULL, generation INTEGER NOT NULL, version INTEGER NOT NULL,
           disk_file_name TEXT NOT NULL, time_dumped_us INTEGER, physical_copy INTEGER NOT NULL,
           logical_copy INTEGER NOT NULL, status TEXT NOT NULL, opened INTEGER NOT NULL, broken INTEGER NOT NULL,
           rfneeded INTEGER NOT NULL, corrupt INTEGER NOT NULL, audited INTEGER NOT NULL,
           file_code INTEGER NOT NULL, volset_id TEXT NOT NULL, vol_index INTEGER NOT NULL,
           UNIQUE (filecat, file_id, generation, version, disk_file_name))""",
    "CREATE INDEX IF NOT EXISTS dsm_diskfile_name ON dsm_diskfile (disk_file_name)",  # INFO DISKFILE pattern
)

TABLES = ("dsm_catalog", "dsm_pool", "dsm_mediadefs", "dsm_volume", "dsm_tapefile", "dsm_tftov", "dsm_config",
          "dsm_diskfile")

VOLUME_COLUMNS = ("volcat", "volser", "pool", "label", "media_type", "density", "status", "volset_id",
                  "vol_index", "owner_id", "end_of_data_lba", "tape_format", "last_changed_us")
TAPEFILE_COLUMNS = ("filecat", "file_id", "generation", "version", "physical_copy", "logical_copy",
                    "creation_us", "expiration_us", "permanent", "record_format", "record_length",
                    "block_length", "mode", "catalog_files", "status", "volcat", "pool", "volset_id", "comment")
TFTOV_COLUMNS = ("filecat", "file_id", "generation", "version", "volser", "vol_index", "file_section",
                 "file_sequence", "file_seq_label_lba")
# DISKFILE rows travel in DISKFILE_FIELDS order; this is that order with the table's column names.
DISKFILE_ROW_COLUMNS = ("filecat", "disk_file_name", "file_id", "generation", "version", "time_dumped_us",
                        "physical_copy", "logical_copy", "status", "opened", "broken", "rfneeded", "corrupt",
                        "audited", "file_code", "volset_id", "vol_index")
DISKFILE_KEY = ("filecat", "file_id", "generation", "version", "disk_file_name")
_DISKFILE_VALUES = tuple(c for c in DISKFILE_ROW_COLUMNS if c not in DISKFILE_KEY)

# One statement for a whole chunk of DISKFILE upserts: an existing identical row is left alone, so the
# connection's change count is added + updated, never unchanged.
DISKFILE_UPSERT = (
    f"INSERT INTO dsm_diskfile ({', '.join(DISKFILE_ROW_COLUMNS)}) VALUES ({', '.join('?' * 17)})"
    f" ON CONFLICT ({', '.join(DISKFILE_KEY)}) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _DISKFILE_VALUES)
    + " WHERE " + " OR ".join(f"{c} IS NOT excluded.{c}" for c in _DISKFILE_VALUES)
)
DISKFILE_DELETE = ("DELETE FROM dsm_diskfile WHERE filecat = ? AND disk_file_name = ? AND file_id = ?"
                   " AND generation = ? AND version = ?")


def create_schema(node_name: str):
    """The schema function registered with the node's store (idempotent; also seeds MEDIADEFS)."""

    def schema(db: sqlite_utils.Database) -> None:
        for statement in _DDL:
            db.execute(statement)
        db.execute("INSERT OR IGNORE INTO dsm_mediadefs VALUES (1, '', '', '', 'COMPATIBLE', 30, 0, 1, 0, 'OFF', ?)",
                   [json.dumps([node_name])])

    return schema


def qualify(node: str, name: str) -> str:
    return f"{node}.{name}" if name else ""


def bare(name: str) -> str:
    """`\\NODE.NAME` -> `NAME` (names in entries are already checked to be this node's)."""
    return name.rsplit(".", 1)[-1] if name.startswith("\\") else name


# -- rows -> entries -------------------------------------------------------------------------------------------
def catalog_of(node: str, row: dict) -> Catalog:
    return Catalog(row["name"], row["kind"], node, row["subvolume"])


def pool_of(node: str, row: dict) -> Pool:
    return Pool(qualify(node, row["volcat"]), row["name"], row["label"], row["density"], row["media_type"],
                bool(row["autoscratch"]), bool(row["searchspace_in"]), bool(row["append"]),
                row["last_scratch_volume"])


def pool_row(pool: Pool) -> tuple:
    return (bare(pool.volcat), pool.name, pool.label, pool.density, pool.media_type, int(pool.autoscratch),
            int(pool.searchspace_in), int(pool.append), pool.last_scratch_volume)


def media_defs_of(node: str, row: dict) -> MediaDefs:
    return MediaDefs(node, qualify(node, row["default_volcat"]), qualify(node, row["default_filecat"]),
                     row["default_pool"], row["level"], row["retention_days"], bool(row["retention_permanent"]),
                     row["abend_retention_days"], bool(row["automated"]), row["compression"],
                     tuple(json.loads(row["ssl"])))


def volume_of(node: str, row: dict) -> TapeVolume:
    return TapeVolume(row["volser"], qualify(node, row["volcat"]), row["pool"], row["label"], row["media_type"],
                      row["density"], row["status"], row["volset_id"], row["vol_index"], row["owner_id"],
                      row["end_of_data_lba"], row["tape_format"], from_us(row["last_changed_us"]))


def volume_row(v: TapeVolume, changed_us: int | None) -> tuple:
    return (bare(v.volcat), v.volser, v.pool, v.label, v.media_type, v.density, v.status, v.volset_id,
            v.vol_index, v.owner_id, v.end_of_data_lba, v.tape_format, changed_us)


def tapefile_of(node: str, row: dict, volumes: Iterable[dict]) -> TapeFile:
    return TapeFile(
        qualify(node, row["filecat"]), row["file_id"], row["generation"], row["version"], row["physical_copy"],
        row["logical_copy"], from_us(row["creation_us"]), from_us(row["expiration_us"]), bool(row["permanent"]),
        row["record_format"], row["record_length"], row["block_length"], row["mode"], bool(row["catalog_files"]),
        row["status"], qualify(node, row["volcat"]), row["pool"], row["volset_id"], row["comment"],
        tuple(TapeFileVolume(t["volser"], t["vol_index"], t["file_section"], t["file_sequence"],
                             t["file_seq_label_lba"]) for t in volumes))


def tapefile_row(f: TapeFile, to_us) -> tuple:
    return (bare(f.filecat), f.file_id, f.generation, f.version, f.physical_copy, f.logical_copy,
            to_us(f.creation_time), None if f.permanent else to_us(f.expiration_time), int(f.permanent),
            f.record_format, f.record_length, f.block_length, f.mode, int(f.catalog_files), f.status,
            bare(f.volcat), f.pool, f.volset_id, f.comment)


def tftov_rows(f: TapeFile) -> list[tuple]:
    fc = bare(f.filecat)
    return [(fc, f.file_id, f.generation, f.version, t.volser, t.vol_index, t.file_section, t.file_sequence,
             t.file_seq_label_lba) for t in f.volumes]


def diskfile_of(node: str, row: dict) -> DiskFile:
    return DiskFile(qualify(node, row["filecat"]), row["disk_file_name"], row["file_id"], row["generation"],
                    row["version"], from_us(row["time_dumped_us"]), row["physical_copy"], row["logical_copy"],
                    row["status"], bool(row["opened"]), bool(row["broken"]), bool(row["rfneeded"]),
                    bool(row["corrupt"]), bool(row["audited"]), row["file_code"], row["volset_id"],
                    row["vol_index"])


# -- shared reads ----------------------------------------------------------------------------------------------
def load_files(db: sqlite_utils.Database, node: str, where: str, args: list, order: str = "",
               limit: int = -1, offset: int = 0) -> list[TapeFile]:
    """TAPEFILEs matching `where` (columns of dsm_tapefile as `f.`), each with its TFTOV rows."""
    rows = list(db.query(f"SELECT f.* FROM dsm_tapefile f WHERE {where}"
                         f" ORDER BY {order or 'f.filecat, f.file_id, f.generation, f.version'} LIMIT ? OFFSET ?",
                         [*args, limit, offset]))
    return [tapefile_of(node, r, tftov_of(db, r)) for r in rows]


def tftov_of(db: sqlite_utils.Database, file_row: dict) -> list[dict]:
    return list(db.query(
        "SELECT * FROM dsm_tftov WHERE filecat = ? AND file_id = ? AND generation = ? AND version = ?"
        " ORDER BY vol_index, file_section, volser",
        [file_row["filecat"], file_row["file_id"], file_row["generation"], file_row["version"]]))


def files_on_volume(db: sqlite_utils.Database, node: str, volcat: str, volser: str,
                    filecat: str = "") -> list[TapeFile]:
    """The TAPEFILEs with a TFTOV row on a volume of `volcat`, in tape order. Driven from the volume's TFTOV rows
    (index on volser; CROSS JOIN keeps SQLite from starting at the VOLCAT's every TAPEFILE), so the cost follows
    the files on the volume, not the size of the catalog."""
    rows = list(db.query(
        "SELECT f.*, MIN(t.file_sequence) AS first_sequence FROM dsm_tftov t CROSS JOIN dsm_tapefile f"
        " ON f.filecat = t.filecat AND f.file_id = t.file_id AND f.generation = t.generation AND f.version = t.version"
        " WHERE t.volser = ? AND f.volcat = ? AND (? = '' OR f.filecat = ?)"
        " GROUP BY f.filecat, f.file_id, f.generation, f.version"
        " ORDER BY first_sequence, f.filecat, f.file_id, f.generation, f.version",
        [volser, volcat, filecat, filecat]))
    for row in rows:
        del row["first_sequence"]
    return [tapefile_of(node, r, tftov_of(db, r)) for r in rows]


def remove_files(db: sqlite_utils.Database, keys: Iterable[tuple]) -> int:
    """Delete TAPEFILE rows (bare keys) with their TFTOV rows and DISKFILEs; return the DISKFILEs removed."""
    keys = list(keys)
    before = db.conn.total_changes
    db.conn.executemany("DELETE FROM dsm_diskfile WHERE filecat = ? AND file_id = ? AND generation = ?"
                        " AND version = ?", keys)
    removed = db.conn.total_changes - before
    db.conn.executemany("DELETE FROM dsm_tftov WHERE filecat = ? AND file_id = ? AND generation = ?"
                        " AND version = ?", keys)
    db.conn.executemany("DELETE FROM dsm_tapefile WHERE filecat = ? AND file_id = ? AND generation = ?"
                        " AND version = ?", keys)
    return removed


def dump(db: sqlite_utils.Database) -> dict[str, list[dict]]:
    """Every DSM/TC row, table by table, in key order (state dumps for tests and checkers)."""
    order = {"dsm_catalog": "name", "dsm_pool": "volcat, name", "dsm_mediadefs": "id",
             "dsm_volume": "volcat, volser", "dsm_tapefile": "filecat, file_id, generation, version",
             "dsm_tftov": "filecat, file_id, generation, version, volser", "dsm_config": "filecat, file_id",
             "dsm_diskfile": "filecat, file_id, generation, version, disk_file_name"}
    return {t: list(db.query(f"SELECT * FROM {t} ORDER BY {order[t]}")) for t in TABLES}
