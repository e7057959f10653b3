"""The key manager of one site (HPE ESKM / KMIP-like, R50): AES-256 keys by name in `<directory>/keys.sqlite`, and
replication of created / destroyed keys to an alternate key manager after a lag of virtual time.

What belongs here: keys, their audit trail, the persistence and locking of the store, and the key-level helpers
the replication half uses. The replication state machine (configure, pause, resume, reverse, sync, status, the
backlog and the receiving side `apply_replicated`) is the `KeyReplication` mixin of emulator.key_replication,
whose names are re-exported here. The wire lives in `emulator.servicers.key_manager`.

Key material is the one secret of the emulator: it leaves this module only in `KeySecret` / `ReplicatedKey`
(whose reprs hide it), and never reaches logs, errors, history or `dump()` (which show the sha256 fingerprint).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from emulator.clock import Clock, Timer
from emulator.dsmtc_entries import from_us, to_us
from emulator.errors import AlreadyExists, Conflict, InvalidArgument, NotFound
from emulator.key_replication import (
    REPLICA, REPLICATION_META, RETRY_AFTER, SOURCE, ApplyResult, KeyReplication, PeerError, PeerTransport,
    PeerUnavailable, ReplicatedKey, ReplicationConfig, ReplicationStatus, ReverseResult, SyncResult,
)

__all__ = [
    "KeyManagerStore", "EncryptionKey", "KeySecret", "ReplicatedKey", "ReplicationConfig", "ReplicationStatus",
    "ApplyResult", "ReverseResult", "SyncResult", "PeerTransport", "PeerError", "PeerUnavailable",
    "ACTIVE", "DESTROYED", "SOURCE", "REPLICA", "AES256", "RETRY_AFTER",
]

log = logging.getLogger(__name__)

ACTIVE, DESTROYED = "ACTIVE", "DESTROYED"
AES256 = "AES256"
MATERIAL_BYTES = 32
MAX_NAME = 128


# -- value objects ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EncryptionKey:
    """Key metadata: safe to log, dump and compare across sites (never the material)."""

    name: str
    id: str
    created: datetime
    state: str = ACTIVE
    destroyed: datetime | None = None
    algorithm: str = AES256
    requester: str = ""
    fingerprint: str = ""        # sha256 of the material, hex
    replica: bool = False        # arrived through replication
    origin: str = ""             # the key manager that created it


@dataclass(frozen=True)
class KeySecret:
    """A key with its material, as GetKey returns it; the repr hides the material."""

    key: EncryptionKey
    material: bytes = field(repr=False)


# -- persistence -----------------------------------------------------------------------------------------------
_META_DEFAULTS: dict[str, Any] = {"key_counter": 0, **REPLICATION_META}


def _schema(db: sqlite_utils.Database) -> None:
    """Times are integer microseconds (`to_us`), as in the other stores."""
    if "keys" not in db.table_names():
        db["keys"].create({
            "name": str, "id": str, "created_us": int, "state": str, "destroyed_us": int, "algorithm": str,
            "requester": str, "material": bytes, "fingerprint": str, "replica": int, "origin": str,
            "source_name": str, "sequence": int}, pk="name")
        db["keys"].create_index(["id"], unique=True)
    if "changes" not in db.table_names():
        # the backlog: local changes not yet on the alternate (R50); material is read from `keys` at shipping
        db["changes"].create({"sequence": int, "kind": str, "key_name": str, "key_id": str, "at_us": int},
                             pk="sequence")
    if "meta" not in db.table_names():
        db["meta"].create({"name": str, "value": str}, pk="name")
    if "audit" not in db.table_names():
        db["audit"].create({"id": int, "at_us": int, "action": str, "key_name": str, "requester": str}, pk="id")


def _key_of(row: dict) -> EncryptionKey:
    return EncryptionKey(row["name"], row["id"], from_us(row["created_us"]), row["state"],  # type: ignore[arg-type]
                         from_us(row["destroyed_us"]), row["algorithm"], row["requester"], row["fingerprint"],
                         bool(row["replica"]), row["origin"])


def _key_row(key: EncryptionKey, material: bytes | None, source: str, sequence: int) -> dict:
    return {"name": key.name, "id": key.id, "created_us": to_us(key.created), "state": key.state,
            "destroyed_us": to_us(key.destroyed), "algorithm": key.algorithm, "requester": key.requester,
            "material": material, "fingerprint": key.fingerprint, "replica": int(key.replica),
            "origin": key.origin, "source_name": source, "sequence": sequence}


def fingerprint(material: bytes) -> str:
    return hashlib.sha256(material).hexdigest()


class KeyManagerStore(KeyReplication):
    """The keys and replication state of one key manager server, persistent in `<directory>/keys.sqlite`.

    A REPLICA may still create and destroy keys (a real alternate KM can): those changes wait in its backlog
    and travel once it becomes the source (ReverseKeyReplication)."""

    def __init__(self, name: str, directory: Path | str, clock: Clock, *, seed: int = 0,
                 transport: PeerTransport | None = None):
        if not name.strip():
            raise InvalidArgument("a key manager needs a server name (e.g. KM1): give one")
        self.name = name.strip()
        self.directory = Path(directory)
        self.clock = clock
        self.seed = seed
        self.self_endpoint = ""              # this server's KeyManager address; serve_key_manager sets it
        self._transport = transport
        self._owner = f"keymanager:{self.name}"
        self._lock = threading.RLock()       # one connection; every read and write holds it
        self._cond = threading.Condition(self._lock)
        self._ship_lock = threading.Lock()   # one shipment at a time keeps the changes in sequence order
        self._timer: Timer | None = None
        self._closed = False
        self.directory.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.directory / "keys.sqlite", check_same_thread=False, isolation_level=None,
                               timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        self._db = sqlite_utils.Database(conn)
        with self._lock:
            _schema(self._db)
            self._load_meta()
            self._arm()                      # a reopened store picks up its backlog where it was (crash safety)

    def __repr__(self) -> str:
        return f"KeyManagerStore({self.name!r}, {str(self.directory)!r}, role={self._meta['role'] or 'none'!r})"

    # -- plumbing ---------------------------------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[sqlite_utils.Database]:
        with self._lock:
            if self._closed:
                raise Conflict(f"key manager {self.name} is closed: open a new store on {self.directory}")
            yield self._db

    @contextmanager
    def _txn(self) -> Iterator[sqlite_utils.Database]:
        with self._reading() as db:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.conn.execute("COMMIT")
            except BaseException:
                db.conn.execute("ROLLBACK")
                self._load_meta()  # the in-memory state follows the database back
                self._arm()
                raise

    def _load_meta(self) -> None:
        self._meta = {**_META_DEFAULTS, **{r["name"]: json.loads(r["value"]) for r in self._db["meta"].rows}}

    def _set(self, db: sqlite_utils.Database, **values: Any) -> None:
        for key, value in values.items():
            self._meta[key] = value
            db["meta"].upsert({"name": key, "value": json.dumps(value)}, pk="name")

    def _audit(self, db: sqlite_utils.Database, action: str, key_name: str, requester: str) -> None:
        db["audit"].insert({"at_us": to_us(self.clock.now()), "action": action, "key_name": key_name,
                            "requester": requester})

    # -- keys -------------------------------------------------------------------------------------------------
    def create_key(self, name: str = "", algorithm: str = "", requester: str = "") -> EncryptionKey:
        """A new AES-256 key; material is deterministic from (seed, server name, counter)."""
        algorithm = (algorithm or AES256).strip().upper()
        if algorithm != AES256:
            raise InvalidArgument(f"algorithm {algorithm!r} is not supported: use AES256 (or leave it empty)")
        with self._txn() as db:
            counter = self._meta["key_counter"] + 1
            name = _check_name(name.strip() or f"KEY-{counter:08d}")
            if (row := self._row(db, name)) is not None:
                what = "a destroyed key" if row["state"] == DESTROYED else "a key"
                raise AlreadyExists(f"{what} named {name!r} exists already on {self.name} (id {row['id']}): key"
                                    " names are never reused; choose another name")
            material = hashlib.sha256(f"{self.seed}:{self.name}:{counter}".encode()).digest()
            key_id = str(uuid.UUID(bytes=hashlib.sha256(f"id:{self.seed}:{self.name}:{counter}".encode())
                                   .digest()[:16]))
            key = EncryptionKey(name, key_id, self.clock.now(), ACTIVE, None, AES256, requester.strip(),
                                fingerprint(material), False, self.name)
            self._set(db, key_counter=counter)
            seq = self._log_change(db, "create", key)
            db["keys"].insert(_key_row(key, material, self.name, seq))
            self._audit(db, "create", name, requester)
            self._arm()
        log.info("key manager %s created key %s (id %s, fingerprint %s)", self.name, name, key_id, key.fingerprint)
        return key

    def get_key(self, name: str = "", key_id: str = "", requester: str = "") -> KeySecret:
        """The key and its material. NotFound when unknown here, Conflict when destroyed."""
        with self._reading():
            row = self._find(name, key_id)
            if row["state"] == DESTROYED:
                raise Conflict(f"key {row['name']} (id {row['id']}) on {self.name} was destroyed at"
                               f" {from_us(row['destroyed_us']).isoformat()}: its material is gone and volumes"  # type: ignore[union-attr]
                               " encrypted with it cannot be read; use another key")
            with self._txn() as db:
                self._audit(db, "get", row["name"], requester)
            return KeySecret(_key_of(row), bytes(row["material"]))

    def describe_key(self, name: str = "", key_id: str = "") -> EncryptionKey:
        """The key's metadata (any state)."""
        with self._reading():
            return _key_of(self._find(name, key_id))

    def list_keys(self, pattern: str = "", state: str = "", offset: int = 0,
                  limit: int = 1000) -> tuple[list[EncryptionKey], int]:
        """Keys whose name matches the glob `pattern` (`*`, `?`; empty = all) in `state` ('' = any), by name;
        returns (page, total matching)."""
        if state not in ("", ACTIVE, DESTROYED):
            raise InvalidArgument(f"key state {state!r} is not valid: use ACTIVE, DESTROYED or leave it empty")
        if offset < 0 or limit <= 0:
            raise InvalidArgument(f"page offset {offset} / size {limit} out of range: offset >= 0, size > 0")
        where = "(? = '' OR name GLOB ?) AND (? = '' OR state = ?)"
        args = [pattern, pattern, state, state]
        with self._reading() as db:
            total = db.execute(f"SELECT count(*) FROM keys WHERE {where}", args).fetchone()[0]
            rows = db.query(f"SELECT * FROM keys WHERE {where} ORDER BY name LIMIT ? OFFSET ?",
                            [*args, limit, offset])
            return [_key_of(r) for r in rows], total

    def destroy_key(self, name: str = "", key_id: str = "", requester: str = "") -> EncryptionKey:
        """Destroy a key: the material is erased here at once; the alternate follows if replicate_destroy."""
        with self._txn() as db:
            row = self._find(name, key_id)
            if row["state"] == DESTROYED:
                raise Conflict(f"key {row['name']} on {self.name} was destroyed already at"
                               f" {from_us(row['destroyed_us']).isoformat()}: nothing to do")  # type: ignore[union-attr]
            key = replace(_key_of(row), state=DESTROYED, destroyed=self.clock.now())
            seq = row["sequence"]
            if self.config.replicate_destroy:  # R50: else the alternate keeps its copy (the KM tools decide)
                seq = self._log_change(db, "destroy", key)
            db["keys"].update(key.name, {"state": DESTROYED, "destroyed_us": to_us(key.destroyed),
                                         "material": None, "sequence": seq})
            self._audit(db, "destroy", key.name, requester)
            self._arm()
        log.info("key manager %s destroyed key %s (id %s)", self.name, key.name, key.id)
        return key

    def _row(self, db: sqlite_utils.Database, name: str) -> dict | None:
        rows = list(db.query("SELECT * FROM keys WHERE name = ?", [name]))
        return rows[0] if rows else None

    def _find(self, name: str, key_id: str) -> dict:
        if not name and not key_id:
            raise InvalidArgument("name a key: give its name or its id")
        rows = list(self._db.query("SELECT * FROM keys WHERE (? = '' OR name = ?) AND (? = '' OR id = ?)",
                                   [name, name, key_id, key_id]))
        if not rows:
            what = f"key {name!r}" if name else f"key id {key_id!r}"
            if name and key_id:
                what = f"key {name!r} with id {key_id!r}"
            raise NotFound(f"{what} is not on key manager {self.name} (not replicated yet? an alternate gets a key"
                           " only after the replication lag: SyncKeys on the source): check the name or wait")
        return rows[0]

    # -- keys as the replication half sees them (KeyReplication's hooks) -----------------------------------------
    def _keys_to_seed(self, db: sqlite_utils.Database, destroyed: bool) -> list[EncryptionKey]:
        """Every key in the order it was made or received; destroyed ones only if `destroyed`."""
        rows = db.query("SELECT * FROM keys WHERE ? OR state != ? ORDER BY sequence, name", [destroyed, DESTROYED])
        return [_key_of(r) for r in rows]

    def _replicated(self, row: dict) -> ReplicatedKey:
        """A backlog change joined with its key, as it travels: the key as it is now (a create that ships after
        its destroy travels as a DESTROYED key, without material)."""
        if row["id"] != row["change_key_id"]:
            raise Conflict(f"key {row['change_key']} of change {row['change_sequence']} is no longer on"
                           f" {self.name}: the store was edited outside the key manager; reset the replication")
        material = bytes(row["material"]) if row["material"] is not None else b""
        return ReplicatedKey(_key_of(row), material, row["change_sequence"])

    def _check_replicated(self, source: str, item: ReplicatedKey) -> None:
        key = item.key
        if key.state == ACTIVE and (len(item.material) != MATERIAL_BYTES
                                    or fingerprint(item.material) != key.fingerprint):
            raise InvalidArgument(f"replicated key {key.name} from {source}: material does not match its"
                                  " fingerprint or is not 32 bytes; the stream is corrupt, resend it")
        if key.state not in (ACTIVE, DESTROYED) or not key.name or item.source_sequence <= 0:
            raise InvalidArgument(f"replicated key {key.name!r} from {source}: needs a name, a state ACTIVE or"
                                  " DESTROYED and a source_sequence > 0")

    def _store_replicated(self, db: sqlite_utils.Database, source: str, item: ReplicatedKey) -> bool:
        """Insert a received key or destroy it here; False when that changes nothing (or would clash)."""
        incoming, here = item.key, self._row(db, item.key.name)
        if here is None:
            key = replace(incoming, replica=True, origin=incoming.origin or source)
            material = item.material if incoming.state == ACTIVE else None
            db["keys"].insert(_key_row(key, material, source, item.source_sequence))
            return True
        if here["id"] != incoming.id:
            log.warning("key manager %s keeps its own key %s (id %s); %s sent another key of that name (id %s)",
                        self.name, incoming.name, here["id"], source, incoming.id)
            return False
        if here["state"] == DESTROYED or incoming.state == ACTIVE:
            return False  # already here (or already destroyed: keys never come back)
        db["keys"].update(incoming.name, {"state": DESTROYED, "destroyed_us": to_us(incoming.destroyed),
                                          "material": None, "source_name": source,
                                          "sequence": item.source_sequence})
        return True

    # -- reports ----------------------------------------------------------------------------------------------
    def audit(self) -> list[dict]:
        """Who created, read and destroyed which key, and when (never the material)."""
        with self._reading() as db:
            return [{"id": r["id"], "at": from_us(r["at_us"]).isoformat(), "action": r["action"],  # type: ignore[union-attr]
                     "key_name": r["key_name"], "requester": r["requester"]}
                    for r in db.query("SELECT * FROM audit ORDER BY id")]

    def dump(self) -> dict:
        """A JSON-able picture for state dumps and checkers: metadata and fingerprints, never material."""
        with self._reading() as db:
            keys = [{**_key_dump(_key_of(r)), "source_name": r["source_name"], "sequence": r["sequence"]}
                    for r in db.query("SELECT * FROM keys ORDER BY name")]
            return {"server": self.name, **self._replication_dump(), "keys": keys}

    def close(self) -> None:
        """Cancel the timer and close the database; a shipment in flight finishes without recording."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._arm()  # closed: cancels the timer
            self._cond.notify_all()
            self._db.conn.close()


def _key_dump(key: EncryptionKey) -> dict:
    return {**asdict(key), "created": key.created.isoformat(),
            "destroyed": key.destroyed.isoformat() if key.destroyed else ""}


def _check_name(name: str) -> str:
    if len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise InvalidArgument(f"key name {name[:40]!r} is not valid: use up to {MAX_NAME} printable characters")
    return name
