"""Replication of keys to an alternate key manager (R50): the half of emulator.key_manager.KeyManagerStore that
configures, pauses, resumes and reverses replication (R55 step 4), ships the backlog of created / destroyed keys
once the lag of virtual time has passed (retrying a peer that failed every minute), applies what a source pushes
(`apply_replicated`), waits until the alternate has caught up (`sync`) and reports the replication status.

`KeyReplication` is a mixin: it holds no state of its own and runs only as a base of `KeyManagerStore`, whose
database, lock and key helpers it uses (declared below for readers and type checkers). It reaches the peer only
through a `PeerTransport`, so it is testable without gRPC. Key material travels only inside `ReplicatedKey`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from emulator.dsmtc_entries import from_us, to_us
from emulator.errors import Conflict, EmulatorError, InvalidArgument

if TYPE_CHECKING:
    import threading
    from contextlib import AbstractContextManager

    import sqlite_utils

    from emulator.clock import Clock, Firing, Timer
    from emulator.key_manager import EncryptionKey

__all__ = [
    "KeyReplication", "ReplicatedKey", "ReplicationConfig", "ReplicationStatus", "ApplyResult", "ReverseResult",
    "SyncResult", "PeerTransport", "PeerError", "PeerUnavailable", "SOURCE", "REPLICA", "RETRY_AFTER",
]

log = logging.getLogger(__name__)

SOURCE, REPLICA = "SOURCE", "REPLICA"          # "" = not replicating
RETRY_AFTER = timedelta(minutes=1)             # virtual time between attempts to reach a peer that failed
# the replication half of the store's `meta` table (times are integer microseconds, as `to_us` gives them)
REPLICATION_META: dict[str, Any] = {
    "role": "", "config": {}, "paused": False, "change_sequence": 0, "retry_at_us": None, "failures": 0,
    "last_error": "", "last_replicated_us": None, "last_replicated_key": "", "last_replicated_sequence": 0,
    "high_water": {}, "applied_in": 0, "ignored_in": 0,
}
# the backlog in order, each change with its key as it is now (NULL columns when the key is gone)
_BACKLOG_WITH_KEYS = (
    "SELECT c.sequence AS change_sequence, c.key_name AS change_key, c.key_id AS change_key_id,"
    " c.at_us AS change_at_us, k.* FROM changes c LEFT JOIN keys k ON k.name = c.key_name ORDER BY c.sequence")


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
    """What a replica did with a pushed batch (proto ReplicateKeysInResponse)."""

    applied: int
    ignored: int
    last_source_sequence: int


@dataclass(frozen=True)
class ReverseResult:
    """The status after ReverseKeyReplication and the keys whose unsent changes a forced reverse dropped."""

    status: ReplicationStatus
    dropped_keys: list[str]


@dataclass(frozen=True)
class SyncResult:
    """Whether the backlog (or the changes asked for) reached the alternate within SyncKeys' timeout."""

    caught_up: bool
    status: ReplicationStatus


class PeerTransport(Protocol):
    """How a key manager reaches its peer; raises PeerUnavailable / PeerError."""

    def replicate(self, address: str, source_name: str, source_endpoint: str,
                  keys: list[ReplicatedKey]) -> ApplyResult: ...

    def configure(self, address: str, config: ReplicationConfig, replicate_existing: bool) -> None: ...

    def reverse(self, address: str, force: bool, reverse_peer: str) -> list[str]: ...


def _config_of(raw: dict) -> ReplicationConfig:
    return ReplicationConfig(bool(raw.get("enabled")), raw.get("peer_name", ""), raw.get("peer_address", ""),
                             timedelta(microseconds=raw.get("lag_us", 0)), bool(raw.get("replicate_destroy", True)),
                             raw.get("peer_node", ""))


def _config_raw(config: ReplicationConfig) -> dict:
    return {"enabled": config.enabled, "peer_name": config.peer_name, "peer_address": config.peer_address,
            "lag_us": config.lag // timedelta(microseconds=1), "replicate_destroy": config.replicate_destroy,
            "peer_node": config.peer_node}


def _iso(us: int | None) -> str:
    return from_us(us).isoformat() if us is not None else ""  # type: ignore[union-attr]


def _names(rows: list[dict]) -> list[str]:
    return list(dict.fromkeys(r["key_name"] for r in rows))


class KeyReplication:
    """Replication of one key manager's keys to its alternate (a mixin of KeyManagerStore: source and replica
    sides). Changes received from the source are never logged again, so replication does not loop."""

    # set by KeyManagerStore.__init__
    name: str
    clock: Clock
    self_endpoint: str
    _transport: PeerTransport | None
    _owner: str
    _lock: threading.RLock
    _cond: threading.Condition
    _ship_lock: threading.Lock
    _timer: Timer | None
    _closed: bool
    _db: sqlite_utils.Database
    _meta: dict[str, Any]

    if TYPE_CHECKING:  # provided by KeyManagerStore
        def _reading(self) -> AbstractContextManager[sqlite_utils.Database]: ...
        def _txn(self) -> AbstractContextManager[sqlite_utils.Database]: ...
        def _set(self, db: sqlite_utils.Database, **values: Any) -> None: ...
        def _keys_to_seed(self, db: sqlite_utils.Database, destroyed: bool) -> list[EncryptionKey]: ...
        def _replicated(self, row: dict) -> ReplicatedKey: ...
        def _check_replicated(self, source: str, item: ReplicatedKey) -> None: ...
        def _store_replicated(self, db: sqlite_utils.Database, source: str, item: ReplicatedKey) -> bool: ...

    # -- state --------------------------------------------------------------------------------------------------
    @property
    def config(self) -> ReplicationConfig:
        """The source's config; on a replica, its source (peer_name / peer_address) with enabled False."""
        return _config_of(self._meta["config"])

    @property
    def role(self) -> str:
        return self._meta["role"]

    def _peer_label(self) -> str:
        """The peer as messages name it: its server name (a loopback port in a message would make one seed give
        several histories); its address only when it has no name."""
        config = self.config
        return config.peer_name or config.peer_address or "(no peer)"

    def _peers(self) -> PeerTransport:
        if self._transport is None:  # the gRPC client by default; imported late (servicers import this module)
            from emulator.servicers.key_manager import KeyManagerPeerClient  # noqa: PLC0415
            self._transport = KeyManagerPeerClient()
        return self._transport

    def _log_change(self, db: sqlite_utils.Database, kind: str, key: EncryptionKey) -> int:
        """Number a local change; it joins the backlog while replication is configured (either role: a replica's
        own changes travel once it becomes the source)."""
        seq = self._meta["change_sequence"] + 1
        self._set(db, change_sequence=seq)
        if self.role:
            db["changes"].insert({"sequence": seq, "kind": kind, "key_name": key.name, "key_id": key.id,
                                  "at_us": to_us(self.clock.now())})
        return seq

    # -- configuration ------------------------------------------------------------------------------------------
    def configure(self, config: ReplicationConfig, replicate_existing: bool = False) -> ReplicationStatus:
        """Make this server the source replicating to `config.peer_address` (R50); `enabled=False` removes
        replication (and drops the backlog). `replicate_existing` queues every current key (initial seeding)."""
        if not config.enabled:
            with self._txn() as db:
                db["changes"].delete_where()
                self._set(db, role="", config={}, paused=False, retry_at_us=None)
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
            self._set(db, role=SOURCE, config=_config_raw(config), retry_at_us=None)
            if replicate_existing:  # a key already waiting is not queued twice
                queued = {r["key_name"] for r in db.query("SELECT key_name FROM changes")}
                for key in self._keys_to_seed(db, config.replicate_destroy):
                    if key.name not in queued:
                        self._log_change(db, "create", key)
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
            self._set(db, paused=False, retry_at_us=None)
        self._ship(upto=self.clock.now())  # arms the timer for the rest
        return self.status()

    def _require_source(self, what: str) -> None:
        if self.role == SOURCE:
            return
        if self.role == REPLICA:
            raise Conflict(f"{self.name} is a replica of {self._peer_label()}: {what} key replication on the"
                           " source key manager")
        raise Conflict(f"{self.name} does not replicate keys: ConfigureKeyReplication first")

    # -- shipping -----------------------------------------------------------------------------------------------
    def _due(self, at_us: int) -> datetime:
        return from_us(at_us) + self.config.lag  # type: ignore[operator]

    def _arm(self) -> None:
        """Keep exactly one timer, at the moment the next shipment is due (or none); caller holds the lock."""
        wanted = None
        if not self._closed and self.role == SOURCE and not self._meta["paused"]:
            oldest = self._db.execute("SELECT at_us FROM changes ORDER BY sequence LIMIT 1").fetchone()
            if oldest:
                due, retry = self._due(oldest[0]), from_us(self._meta["retry_at_us"])
                wanted = max(due, retry) if retry else due
        timer = self._timer
        if timer is not None and not timer.cancelled and timer.due == wanted:
            return  # already armed (a timer cancelled from outside, e.g. a crash, is armed again)
        if timer is not None:
            self.clock.cancel(timer.id)
        self._timer = None if wanted is None else self.clock.register(
            self._owner, f"replicate keys to {self.config.peer_name}", due=wanted, callback=self._on_timer)

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
                if self._closed or self.role != SOURCE or self._meta["paused"]:
                    return
                rows = list(self._db.query(_BACKLOG_WITH_KEYS))
                last = len(rows) - 1
                if upto is not None:
                    last = max((i for i, r in enumerate(rows) if self._due(r["change_at_us"]) <= upto), default=-1)
                elif names:
                    last = max((i for i, r in enumerate(rows) if r["change_key"] in names), default=-1)
                batch = rows[:last + 1]
                if not batch:
                    self._arm()
                    return
                keys = [self._replicated(r) for r in batch]
                config = self.config
            try:  # R50: the change reaches the alternate key manager only now, after the lag
                result = self._peers().replicate(config.peer_address, self.name, self.self_endpoint, keys)
            except PeerError as exc:
                self._record_failure(config, exc)
                return
            with self._lock:
                if self._closed:  # closed (crashed) meanwhile: the batch stays in the backlog and is resent
                    return
                with self._txn() as db:  # a prefix: changes logged meanwhile have higher sequences
                    db.execute("DELETE FROM changes WHERE sequence <= ?", [batch[-1]["change_sequence"]])
                    self._set(db, retry_at_us=None, last_replicated_us=to_us(self.clock.now()),
                              last_replicated_key=batch[-1]["change_key"],
                              last_replicated_sequence=batch[-1]["change_sequence"])
                    self._arm()
                    self._cond.notify_all()
            log.info("key manager %s shipped %d key change(s) to %s: %d applied, %d ignored", self.name, len(batch),
                     config.peer_name, result.applied, result.ignored)

    def _record_failure(self, config: ReplicationConfig, exc: PeerError) -> None:
        # the message comes from our transport or the peer: neither ever carries material
        error = f"{exc.status}: {exc.message}"
        retry = self.clock.now() + RETRY_AFTER
        with self._lock:
            if self._closed:
                return
            with self._txn() as db:
                self._set(db, failures=self._meta["failures"] + 1, last_error=error, retry_at_us=to_us(retry))
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

    # -- reverse ------------------------------------------------------------------------------------------------
    def reverse(self, force: bool = False, reverse_peer: str = "") -> ReverseResult:
        """Swap the direction (R55 step 4): the peer becomes the source replicating to this server.

        On the source: refused while changes are unsent unless `force` (they are dropped and their key names
        returned); `reverse_peer` is how the peer should reach this server (default `self_endpoint`). On a
        replica the call is forwarded to the source."""
        if self.role == REPLICA:
            address = self.config.peer_address
            if not address:
                raise Conflict(f"{self.name} is a replica of {self._peer_label()} but does not know its address:"
                               " call ReverseKeyReplication on the source")
            dropped = self._peers().reverse(address, force, address)
            return ReverseResult(self.status(), dropped)
        with self._ship_lock:
            with self._lock:
                self._require_source("reverse")
                rows = self.backlog()
                if rows and not force:  # R55 step 4: finish key replication, then reverse it
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
            self._peers().configure(config.peer_address, peer_config, False)
            with self._txn() as db:
                if rows:  # drop what we looked at; a key made meanwhile waits in this replica's backlog
                    db.execute("DELETE FROM changes WHERE sequence <= ?", [rows[-1]["sequence"]])
                self._set(db, role=REPLICA, config=_config_raw(replace(config, enabled=False)), paused=False,
                          retry_at_us=None)
                self._arm()
                self._cond.notify_all()
        dropped = _names(rows)
        log.info("key manager %s is now a replica of %s (dropped changes of %d key(s))", self.name,
                 config.peer_name, len(dropped))
        return ReverseResult(self.status(), dropped)

    # -- receiving side -----------------------------------------------------------------------------------------
    def apply_replicated(self, source_name: str, keys: list[ReplicatedKey],
                         source_endpoint: str = "") -> ApplyResult:
        """Apply changes pushed by `source_name` (R50), in one transaction; a change not newer than the last one
        seen from that source, or that changes nothing here, is ignored."""
        if not source_name.strip():
            raise InvalidArgument("ReplicateKeysIn needs source_name in its first message")
        for item in keys:  # check the whole batch before applying any of it
            self._check_replicated(source_name, item)
        applied = ignored = 0
        with self._txn() as db:
            marks = dict(self._meta["high_water"])
            mark = marks.get(source_name, 0)
            for item in keys:
                if item.source_sequence <= mark or not self._store_replicated(db, source_name, item):
                    ignored += 1
                else:
                    applied += 1
                mark = max(mark, item.source_sequence)
            marks[source_name] = mark
            updates: dict[str, Any] = {"high_water": marks, "applied_in": self._meta["applied_in"] + applied,
                                       "ignored_in": self._meta["ignored_in"] + ignored}
            config = self.config
            if not self.role:  # the first push makes this server the replica of its sender
                updates.update(role=REPLICA, config=_config_raw(ReplicationConfig(False, source_name,
                                                                                  source_endpoint)))
            elif self.role == REPLICA and source_endpoint and not config.peer_address:
                # learned late (the source was not served yet): now a reverse can be forwarded to it
                updates["config"] = _config_raw(replace(config, peer_address=source_endpoint))
            self._set(db, **updates)
            self._cond.notify_all()
        return ApplyResult(applied, ignored, mark)

    # -- reports ------------------------------------------------------------------------------------------------
    def status(self) -> ReplicationStatus:
        with self._reading() as db:
            oldest, backlog, key_count = db.execute(
                "SELECT (SELECT at_us FROM changes ORDER BY sequence LIMIT 1), (SELECT count(*) FROM changes),"
                " (SELECT count(*) FROM keys)").fetchone()
            meta = self._meta
            lag = max(self.clock.now() - from_us(oldest), timedelta(0)) if oldest else timedelta(0)  # type: ignore
            return ReplicationStatus(
                self.name, meta["role"], self.config, bool(meta["paused"]), lag, backlog,
                from_us(meta["last_replicated_us"]), meta["last_replicated_key"], meta["last_replicated_sequence"],
                meta["failures"], meta["last_error"], key_count, meta["applied_in"], meta["ignored_in"])

    def backlog(self) -> list[dict]:
        """The unsent changes: sequence, kind, key name and id, when they happened (no material)."""
        with self._reading() as db:
            return [{"sequence": r["sequence"], "kind": r["kind"], "key_name": r["key_name"], "key_id": r["key_id"],
                     "at": _iso(r["at_us"])} for r in db.query("SELECT * FROM changes ORDER BY sequence")]

    def _replication_dump(self) -> dict:
        """The replication part of `dump()`: JSON-able, never material."""
        status, meta = self.status(), self._meta
        return {
            "role": status.role, "paused": status.paused,
            "config": {**_config_raw(status.config), "lag_seconds": status.config.lag.total_seconds()},
            "backlog": self.backlog(), "failures": status.failures, "last_error": status.last_error,
            "last_replicated": {"time": _iso(meta["last_replicated_us"]), "key": meta["last_replicated_key"],
                                "sequence": meta["last_replicated_sequence"]},
            "received": {"applied": meta["applied_in"], "ignored": meta["ignored_in"],
                         "high_water": dict(meta["high_water"])},
            "retry_at": _iso(meta["retry_at_us"]),
        }
