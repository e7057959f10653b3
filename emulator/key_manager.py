"""The key manager of one site (HPE ESKM / KMIP-like, R50): AES-256 keys by name in `<directory>/keys.sqlite`, and
replication of created / destroyed keys to an alternate key manager after a lag of virtual time.

What belongs here: keys, the change log (the backlog of changes not yet on the alternate), the replication state
machine (configure, pause, resume, reverse, sync) and the receiving side (`apply_replicated`). The wire lives in
`emulator.servicers.key_manager`; this module reaches the peer only through a `PeerTransport`, so it is testable
without gRPC.

Key material is the one secret of the emulator: it leaves this module only in `KeySecret` / `ReplicatedKey`
(whose reprs hide it), and never reaches logs, errors, history or `dump()` (which show the sha256 fingerprint).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator, Protocol

import sqlite_utils

from emulator.clock import Clock, Firing, Timer
from emulator.errors import AlreadyExists, Conflict, EmulatorError, InvalidArgument, NotFound

__all__ = [
    "KeyManagerStore", "EncryptionKey", "KeySecret", "ReplicatedKey", "ReplicationConfig", "ReplicationStatus",
    "ApplyResult", "ReverseResult", "SyncResult", "PeerTransport", "PeerError", "PeerUnavailable",
    "ACTIVE", "DESTROYED", "SOURCE", "REPLICA", "AES256", "RETRY_AFTER",
]

log = logging.getLogger(__name__)

ACTIVE, DESTROYED = "ACTIVE", "DESTROYED"
SOURCE, REPLICA = "SOURCE", "REPLICA"          # "" = not replicating
AES256 = "AES256"
MATERIAL_BYTES = 32
RETRY_AFTER = timedelta(minutes=1)             # virtual time between attempts to reach a peer that failed
MAX_NAME = 128


class PeerError(EmulatorError):
    """The peer key manager refused a replication call; `status` is the code it answered with."""

    def __init__(self, message: str, status: str = "FAILED_PRECONDITION"):
        super().__init__(message)
        self.status = status


class PeerUnavailable(PeerError):
    """The peer key manager did not answer (down, link cut, deadline passed): the call may be retried."""

    def __init__(self, message: str):
        super().__init__(message, "UNAVAILABLE")


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


@dataclass(frozen=True)
class ReplicatedKey:
    """One change travelling to the alternate: an ACTIVE key with material, or a DESTROYED one without."""

    key: EncryptionKey
    material: bytes = field(repr=False, default=b"")
    source_sequence: int = 0


@dataclass(frozen=True)
class ReplicationConfig:
    """Where and how keys replicate (proto KeyReplicationConfig)."""

    enabled: bool = False
    peer_name: str = ""
    peer_address: str = ""       # the peer's KeyManager endpoint (usually a Link proxy)
    lag: timedelta = timedelta(0)
    replicate_destroy: bool = True
    peer_node: str = ""


@dataclass(frozen=True)
class ReplicationStatus:
    """Replication as GetKeyReplicationStatus reports it."""

    server_name: str
    role: str
    config: ReplicationConfig
    paused: bool
    lag: timedelta               # age of the oldest unsent change
    backlog: int
    last_replicated_time: datetime | None
    last_replicated_key: str
    last_replicated_sequence: int
    failures: int
    last_error: str
    key_count: int
    applied_in: int
    ignored_in: int


@dataclass(frozen=True)
class ApplyResult:
    applied: int
    ignored: int
    last_source_sequence: int


@dataclass(frozen=True)
class ReverseResult:
    status: ReplicationStatus
    dropped_keys: list[str]


@dataclass(frozen=True)
class SyncResult:
    caught_up: bool
    status: ReplicationStatus


class PeerTransport(Protocol):
    """How a key manager reaches its peer; raises PeerUnavailable / PeerError."""

    def replicate(self, address: str, source_name: str, source_endpoint: str,
                  keys: list[ReplicatedKey]) -> ApplyResult: ...

    def configure(self, address: str, config: ReplicationConfig, replicate_existing: bool) -> None: ...

    def reverse(self, address: str, force: bool, reverse_peer: str) -> list[str]: ...


# -- persistence -----------------------------------------------------------------------------------------------
_META_DEFAULTS: dict[str, Any] = {
    "role": "", "config": {}, "paused": False, "key_counter": 0, "change_sequence": 0, "retry_at": "",
    "failures": 0, "last_error": "", "last_replicated_time": "", "last_replicated_key": "",
    "last_replicated_sequence": 0, "source_name": "", "source_address": "", "high_water": {},
    "applied_in": 0, "ignored_in": 0,
}


def _schema(db: sqlite_utils.Database) -> None:
    if "keys" not in db.table_names():
        db["keys"].create({
            "name": str, "id": str, "created": str, "state": str, "destroyed": str, "algorithm": str,
            "requester": str, "material": bytes, "fingerprint": str, "replica": int, "origin": str,
            "source_name": str, "sequence": int}, pk="name")
        db["keys"].create_index(["id"], unique=True)
    if "changes" not in db.table_names():
        # the backlog: local changes not yet on the alternate (R50); material is read from `keys` at shipping
        db["changes"].create({"sequence": int, "kind": str, "key_name": str, "key_id": str, "at": str},
                             pk="sequence")
    if "meta" not in db.table_names():
        db["meta"].create({"name": str, "value": str}, pk="name")
    if "audit" not in db.table_names():
        db["audit"].create({"id": int, "at": str, "action": str, "key_name": str, "requester": str}, pk="id")


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _config_of(raw: dict) -> ReplicationConfig:
    return ReplicationConfig(bool(raw.get("enabled")), raw.get("peer_name", ""), raw.get("peer_address", ""),
                             timedelta(microseconds=raw.get("lag_us", 0)), bool(raw.get("replicate_destroy", True)),
                             raw.get("peer_node", ""))


def _config_raw(config: ReplicationConfig) -> dict:
    return {"enabled": config.enabled, "peer_name": config.peer_name, "peer_address": config.peer_address,
            "lag_us": config.lag // timedelta(microseconds=1), "replicate_destroy": config.replicate_destroy,
            "peer_node": config.peer_node}


def _key_of(row: dict) -> EncryptionKey:
    return EncryptionKey(row["name"], row["id"], _dt(row["created"]), row["state"],  # type: ignore[arg-type]
                         _dt(row["destroyed"]), row["algorithm"], row["requester"], row["fingerprint"],
                         bool(row["replica"]), row["origin"])


def fingerprint(material: bytes) -> str:
    return hashlib.sha256(material).hexdigest()


class KeyManagerStore:
    """The keys and replication state of one key manager server, persistent in `<directory>/keys.sqlite`.

    A REPLICA may still create and destroy keys (a real alternate KM can): those changes wait in its backlog
    and travel once it becomes the source (ReverseKeyReplication). Changes received from the source are never
    logged again, so replication does not loop."""

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
        db["audit"].insert({"at": _iso(self.clock.now()), "action": action, "key_name": key_name,
                            "requester": requester})

    @property
    def config(self) -> ReplicationConfig:
        return _config_of(self._meta["config"])

    @property
    def role(self) -> str:
        return self._meta["role"]

    def _peer_label(self) -> str:
        config = self.config
        return f"{config.peer_name or '?'} ({config.peer_address or 'no address'})"

    def _transport_(self) -> PeerTransport:
        if self._transport is None:  # the gRPC client by default; imported late (servicers import this module)
            from emulator.servicers.key_manager import KeyManagerPeerClient  # noqa: PLC0415
            self._transport = KeyManagerPeerClient()
        return self._transport

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
            db["keys"].insert(self._key_row(key, material, self.name, seq))
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
                               f" {row['destroyed']}: its material is gone and volumes encrypted with it cannot be"
                               " read; use another key")
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
        with self._reading():
            total = self._db.execute(f"SELECT count(*) FROM keys WHERE {where}", args).fetchone()[0]
            rows = self._db.query(f"SELECT * FROM keys WHERE {where} ORDER BY name LIMIT ? OFFSET ?",
                                  [*args, limit, offset])
            return [_key_of(r) for r in rows], total

    def destroy_key(self, name: str = "", key_id: str = "", requester: str = "") -> EncryptionKey:
        """Destroy a key: the material is erased here at once; the alternate follows if replicate_destroy."""
        with self._txn() as db:
            row = self._find(name, key_id)
            if row["state"] == DESTROYED:
                raise Conflict(f"key {row['name']} on {self.name} was destroyed already at {row['destroyed']}:"
                               " nothing to do")
            key = replace(_key_of(row), state=DESTROYED, destroyed=self.clock.now())
            seq = row["sequence"]
            if self.config.replicate_destroy:  # else the alternate keeps its copy (R50: KM tools decide)
                seq = self._log_change(db, "destroy", key)
            db["keys"].update(key.name, {"state": DESTROYED, "destroyed": _iso(key.destroyed), "material": None,
                                         "sequence": seq})
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

    def _key_row(self, key: EncryptionKey, material: bytes | None, source: str, sequence: int) -> dict:
        return {"name": key.name, "id": key.id, "created": _iso(key.created), "state": key.state,
                "destroyed": _iso(key.destroyed), "algorithm": key.algorithm, "requester": key.requester,
                "material": material, "fingerprint": key.fingerprint, "replica": int(key.replica),
                "origin": key.origin, "source_name": source, "sequence": sequence}

    def _log_change(self, db: sqlite_utils.Database, kind: str, key: EncryptionKey) -> int:
        """Number a local change; it joins the backlog while replication is configured (either role)."""
        seq = self._meta["change_sequence"] + 1
        self._set(db, change_sequence=seq)
        if self.role:
            db["changes"].insert({"sequence": seq, "kind": kind, "key_name": key.name, "key_id": key.id,
                                  "at": _iso(self.clock.now())})
        return seq

    # -- replication: configuration ---------------------------------------------------------------------------
    def configure(self, config: ReplicationConfig, replicate_existing: bool = False) -> ReplicationStatus:
        """Make this server the source replicating to `config.peer_address`; `enabled=False` removes replication
        (and drops the backlog). `replicate_existing` queues every current key (initial seeding)."""
        if not config.enabled:
            with self._txn() as db:
                db["changes"].delete_where()
                self._set(db, role="", config={}, paused=False, retry_at="")
                self._arm()
            return self.status()
        if not config.peer_address.strip():
            raise InvalidArgument("key replication needs the peer's KeyManager address (config.peer.address)")
        if config.lag < timedelta(0):
            raise InvalidArgument(f"replication lag {config.lag} is negative: give zero or more")
        if self.self_endpoint and config.peer_address == self.self_endpoint:
            raise InvalidArgument(f"{self.name} cannot replicate to itself ({config.peer_address}): give the"
                                  " alternate key manager's address")
        config = replace(config, peer_name=config.peer_name.strip() or config.peer_address)
        with self._txn() as db:
            self._set(db, role=SOURCE, config=_config_raw(config), retry_at="")
            if replicate_existing:
                queued = {r["key_name"] for r in db.query("SELECT key_name FROM changes")}
                for row in list(db.query("SELECT * FROM keys ORDER BY sequence, name")):
                    if row["name"] in queued or (row["state"] == DESTROYED and not config.replicate_destroy):
                        continue
                    self._log_change(db, "create", _key_of(row))
            self._arm()
        log.info("key manager %s replicates to %s (lag %s)", self.name, self._peer_label(), config.lag)
        return self.status()

    def pause(self) -> ReplicationStatus:
        """Stop shipping: changes stay in the backlog until resume."""
        with self._txn() as db:
            self._require_source("pause")
            self._set(db, paused=True)
            self._arm()
        return self.status()

    def resume(self) -> ReplicationStatus:
        """Ship at once what fell due while paused; the rest follows at its own time."""
        with self._txn() as db:
            self._require_source("resume")
            self._set(db, paused=False, retry_at="")
        self._ship(upto=self.clock.now())
        return self.status()

    def _require_source(self, what: str) -> None:
        if self.role == SOURCE:
            return
        if self.role == REPLICA:
            raise Conflict(f"{self.name} is a replica of {self._source_label()}: {what} key replication on the"
                           " source key manager")
        raise Conflict(f"{self.name} does not replicate keys: ConfigureKeyReplication first")

    def _source_label(self) -> str:
        return self.config.peer_name or self._meta["source_name"] or "an unknown source"

    # -- replication: shipping --------------------------------------------------------------------------------
    def _due(self, at: str) -> datetime:
        return _dt(at) + self.config.lag  # type: ignore[operator]

    def _arm(self) -> None:
        """Keep exactly one timer, at the moment the next shipment is due (or none); caller holds the lock."""
        config, oldest, wanted = self.config, None, None
        if not self._closed and self.role == SOURCE and config.enabled and not self._meta["paused"]:
            oldest = self._db.execute("SELECT at FROM changes ORDER BY sequence LIMIT 1").fetchone()
        if oldest:
            wanted = max(self._due(oldest[0]), _dt(self._meta["retry_at"]) or self._due(oldest[0]))
        timer = self._timer
        if timer is not None and not timer.cancelled and timer.due == wanted:
            return  # already armed (a timer cancelled from outside, e.g. a crash, is armed again)
        if timer is not None:
            self.clock.cancel(timer.id)
        self._timer = None if wanted is None else self.clock.register(
            self._owner, f"replicate keys to {config.peer_name}", due=wanted, callback=self._on_timer)

    def _on_timer(self, firing: Firing) -> None:
        with self._lock:
            if self._closed or self._timer is None or firing.timer_id != self._timer.id:
                return
            self._timer = None
        self._ship(upto=self.clock.now())

    def _ship(self, *, upto: datetime | None = None, names: list[str] | None = None) -> None:
        """Send a prefix of the backlog (order is kept): the changes due by `upto`, or everything up to the last
        change of `names` (an empty list = the whole backlog). A failure is recorded and retried later."""
        with self._ship_lock:
            with self._lock:
                if self._closed or self.role != SOURCE or not self.config.enabled or self._meta["paused"]:
                    return
                rows = list(self._db.query("SELECT * FROM changes ORDER BY sequence"))
                if upto is not None:
                    last = max((i for i, r in enumerate(rows) if self._due(r["at"]) <= upto), default=-1)
                elif names:
                    last = max((i for i, r in enumerate(rows) if r["key_name"] in names), default=-1)
                else:
                    last = len(rows) - 1
                batch = rows[:last + 1]
                if not batch:
                    self._arm()
                    return
                keys = [self._replicated(r) for r in batch]
                config = self.config
            try:
                result = self._transport_().replicate(config.peer_address, self.name, self.self_endpoint, keys)
            except PeerError as exc:
                self._record_failure(config, exc)
                return
            with self._lock:
                if self._closed:  # closed (crashed) meanwhile: the batch stays in the backlog and is resent
                    return
                self._txn_shipped(batch)
            log.info("key manager %s shipped %d key change(s) to %s: %d applied, %d ignored", self.name, len(batch),
                     config.peer_name, result.applied, result.ignored)

    def _txn_shipped(self, batch: list[dict]) -> None:
        with self._txn() as db:
            sent = [r["sequence"] for r in batch]
            db.execute(f"DELETE FROM changes WHERE sequence IN ({','.join('?' * len(sent))})", sent)
            self._set(db, retry_at="", last_replicated_time=_iso(self.clock.now()),
                      last_replicated_key=batch[-1]["key_name"], last_replicated_sequence=sent[-1])
            self._arm()
            self._cond.notify_all()

    def _replicated(self, change: dict) -> ReplicatedKey:
        row = self._row(self._db, change["key_name"])
        if row is None or row["id"] != change["key_id"]:
            raise Conflict(f"key {change['key_name']} of change {change['sequence']} is no longer on {self.name}:"
                           " the store was edited outside the key manager; reset the replication")
        # the key as it is now: a create that ships after its destroy travels as a DESTROYED key (no material)
        material = bytes(row["material"]) if row["material"] is not None else b""
        return ReplicatedKey(_key_of(row), material, change["sequence"])

    def _record_failure(self, config: ReplicationConfig, exc: PeerError) -> None:
        # the message comes from our transport or the peer: neither ever carries material
        error = f"{exc.status}: {exc.message}"
        retry = self.clock.now() + RETRY_AFTER
        with self._lock:
            if self._closed:
                return
            with self._txn() as db:
                self._set(db, failures=self._meta["failures"] + 1, last_error=error, retry_at=_iso(retry))
                self._arm()
                self._cond.notify_all()
        log.warning("key manager %s could not replicate to %s (%s); retrying at %s", self.name, config.peer_name,
                    error, retry.isoformat())

    def sync(self, *, ignore_lag: bool = False, timeout: float = 0.0, names: list[str] | None = None) -> SyncResult:
        """Ship the backlog now (`ignore_lag`), then wait up to `timeout` wall seconds until the backlog (or the
        changes of `names`) has reached the alternate."""
        with self._reading():
            self._require_source("sync")
            if self._meta["paused"]:
                raise Conflict(f"key replication from {self.name} to {self._peer_label()} is paused: resume it"
                               " before SyncKeys")
        if ignore_lag:
            self._ship(names=names or [])
        deadline = time.monotonic() + max(timeout, 0.0)
        with self._cond:
            while not (done := self._caught_up(names)) and (left := deadline - time.monotonic()) > 0:
                self._cond.wait(left)  # woken by every shipment, failure and apply
        return SyncResult(done, self.status())

    def _caught_up(self, names: list[str] | None) -> bool:
        with self._reading() as db:  # a store closed while someone waits answers Conflict
            marks = ",".join("?" * len(names or ()))
            where = f"WHERE key_name IN ({marks})" if names else ""
            return not db.execute(f"SELECT 1 FROM changes {where} LIMIT 1", names or []).fetchone()

    # -- replication: reverse ---------------------------------------------------------------------------------
    def reverse(self, force: bool = False, reverse_peer: str = "") -> ReverseResult:
        """Swap the direction (R55 step 4): the peer becomes the source replicating to this server.

        On the source: refused while changes are unsent unless `force` (they are dropped and their key names
        returned); `reverse_peer` is how the peer should reach this server (default `self_endpoint`). On a
        replica the call is forwarded to the source."""
        if self.role == REPLICA:
            address = self.config.peer_address or self._meta["source_address"]
            if not address:
                raise Conflict(f"{self.name} is a replica of {self._source_label()} but does not know its address:"
                               " call ReverseKeyReplication on the source")
            dropped = self._transport_().reverse(address, force, address)
            return ReverseResult(self.status(), dropped)
        with self._ship_lock:
            with self._lock:
                self._require_source("reverse")
                rows = list(self._db.query("SELECT * FROM changes ORDER BY sequence"))
                if rows and not force:
                    names = _names(rows)
                    shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
                    raise Conflict(f"{len(rows)} key change(s) are not yet on {self._peer_label()} (backlog: "
                                   f"{shown}): finish key replication first (SyncKeys with ignore_lag), or reverse"
                                   " with force to drop them")
                config = self.config
            own = reverse_peer or self.self_endpoint
            if not own:
                raise Conflict(f"{self.name} does not know its own address: serve it (serve_key_manager) or give"
                               " reverse_peer")
            peer_config = ReplicationConfig(True, self.name, own, config.lag, config.replicate_destroy)
            # the peer first: if it cannot be reached, nothing changes here
            self._transport_().configure(config.peer_address, peer_config, False)
            with self._txn() as db:
                db["changes"].delete_where()
                self._set(db, role=REPLICA, config=_config_raw(replace(config, enabled=False)), paused=False,
                          retry_at="", source_name=config.peer_name, source_address=config.peer_address)
                self._arm()
                self._cond.notify_all()
        dropped = _names(rows)
        log.info("key manager %s is now a replica of %s (dropped changes of %d key(s))", self.name,
                 config.peer_name, len(dropped))
        return ReverseResult(self.status(), dropped)

    # -- replication: receiving side --------------------------------------------------------------------------
    def apply_replicated(self, source_name: str, keys: list[ReplicatedKey],
                         source_endpoint: str = "") -> ApplyResult:
        """Apply changes pushed by `source_name`, in one transaction; a change not newer than the last one seen
        from that source, or that changes nothing here, is ignored."""
        if not source_name.strip():
            raise InvalidArgument("ReplicateKeysIn needs source_name in its first message")
        for item in keys:  # check the whole batch before applying any of it
            if item.key.state == ACTIVE and (len(item.material) != MATERIAL_BYTES
                                             or fingerprint(item.material) != item.key.fingerprint):
                raise InvalidArgument(f"replicated key {item.key.name} from {source_name}: material does not match"
                                      " its fingerprint or is not 32 bytes; the stream is corrupt, resend it")
            if item.key.state not in (ACTIVE, DESTROYED) or not item.key.name or item.source_sequence <= 0:
                raise InvalidArgument(f"replicated key {item.key.name!r} from {source_name}: needs a name, a state"
                                      " ACTIVE or DESTROYED and a source_sequence > 0")
        applied = ignored = 0
        with self._txn() as db:
            marks = dict(self._meta["high_water"])
            mark = marks.get(source_name, 0)
            for item in keys:
                if item.source_sequence <= mark or not self._apply_one(db, source_name, item):
                    ignored += 1
                else:
                    applied += 1
                mark = max(mark, item.source_sequence)
            marks[source_name] = mark
            updates: dict[str, Any] = {"high_water": marks, "source_name": source_name,
                                       "applied_in": self._meta["applied_in"] + applied,
                                       "ignored_in": self._meta["ignored_in"] + ignored}
            if source_endpoint:
                updates["source_address"] = source_endpoint
            if not self.role:  # the first push makes this server the replica of its sender
                updates.update(role=REPLICA, config=_config_raw(ReplicationConfig(False, source_name,
                                                                                  source_endpoint)))
            self._set(db, **updates)
            self._cond.notify_all()
        return ApplyResult(applied, ignored, mark)

    def _apply_one(self, db: sqlite_utils.Database, source: str, item: ReplicatedKey) -> bool:
        incoming, here = item.key, self._row(db, item.key.name)
        if here is not None and here["id"] != incoming.id:
            log.warning("key manager %s keeps its own key %s (id %s); %s sent another key of that name (id %s)",
                        self.name, incoming.name, here["id"], source, incoming.id)
            return False
        if here is not None and (here["state"] == DESTROYED or incoming.state == ACTIVE):
            return False  # already here (or already destroyed: keys never come back)
        if here is None:
            key = replace(incoming, replica=True, origin=incoming.origin or source)
            material = item.material if incoming.state == ACTIVE else None
            db["keys"].insert(self._key_row(key, material, source, item.source_sequence))
        else:
            db["keys"].update(incoming.name, {"state": DESTROYED, "destroyed": _iso(incoming.destroyed),
                                              "material": None, "source_name": source,
                                              "sequence": item.source_sequence})
        return True

    # -- reports ----------------------------------------------------------------------------------------------
    def status(self) -> ReplicationStatus:
        with self._reading():
            oldest = self._db.execute("SELECT at FROM changes ORDER BY sequence LIMIT 1").fetchone()
            backlog = self._db.execute("SELECT count(*) FROM changes").fetchone()[0]
            key_count = self._db.execute("SELECT count(*) FROM keys").fetchone()[0]
            meta = self._meta
            lag = max(self.clock.now() - _dt(oldest[0]), timedelta(0)) if oldest else timedelta(0)  # type: ignore
            return ReplicationStatus(
                self.name, meta["role"], self.config, bool(meta["paused"]), lag, backlog,
                _dt(meta["last_replicated_time"]), meta["last_replicated_key"], meta["last_replicated_sequence"],
                meta["failures"], meta["last_error"], key_count, meta["applied_in"], meta["ignored_in"])

    def backlog(self) -> list[dict]:
        """The unsent changes: sequence, kind, key name and id, when they happened (no material)."""
        with self._reading():
            return [dict(r) for r in self._db.query("SELECT * FROM changes ORDER BY sequence")]

    def audit(self) -> list[dict]:
        """Who created, read and destroyed which key, and when (never the material)."""
        with self._reading():
            return [dict(r) for r in self._db.query("SELECT * FROM audit ORDER BY id")]

    def dump(self) -> dict:
        """A JSON-able picture for state dumps and checkers: metadata and fingerprints, never material."""
        with self._lock:
            status = self.status()
            keys = [{**_key_dump(_key_of(r)), "source_name": r["source_name"], "sequence": r["sequence"]}
                    for r in self._db.query("SELECT * FROM keys ORDER BY name")]
            meta = self._meta
            return {
                "server": self.name, "role": status.role, "paused": status.paused,
                "config": {**_config_raw(status.config), "lag_seconds": status.config.lag.total_seconds()},
                "backlog": self.backlog(), "failures": status.failures, "last_error": status.last_error,
                "last_replicated": {"time": meta["last_replicated_time"], "key": meta["last_replicated_key"],
                                    "sequence": meta["last_replicated_sequence"]},
                "received": {"applied": meta["applied_in"], "ignored": meta["ignored_in"],
                             "high_water": dict(meta["high_water"])},
                "retry_at": meta["retry_at"], "keys": keys,
            }

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
    return {**asdict(key), "created": _iso(key.created), "destroyed": _iso(key.destroyed)}


def _names(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(r["key_name"] for r in rows))


def _check_name(name: str) -> str:
    if len(name) > MAX_NAME or any(not ch.isprintable() for ch in name):
        raise InvalidArgument(f"key name {name[:40]!r} is not valid: use up to {MAX_NAME} printable characters")
    return name
