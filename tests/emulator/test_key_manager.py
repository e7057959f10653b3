"""KeyManagerStore without gRPC: keys, the backlog and its timers on a virtual clock, replication between two
stores wired by an in-memory transport, reverse, crash safety, and the material never leaking."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterator

import pytest

from emulator.clock import Clock
from emulator.errors import AlreadyExists, Conflict, InvalidArgument, NotFound
from emulator.key_manager import (
    ACTIVE, DESTROYED, REPLICA, SOURCE, ApplyResult, KeyManagerStore, PeerUnavailable, ReplicatedKey,
    ReplicationConfig,
)

LAG = timedelta(minutes=5)


class DirectPeers:
    """A PeerTransport that calls the peer store directly; an address missing from `stores` is down."""

    def __init__(self) -> None:
        self.stores: dict[str, KeyManagerStore] = {}
        self.calls: list[str] = []

    def _peer(self, address: str) -> KeyManagerStore:
        if address not in self.stores:
            raise PeerUnavailable(f"key manager at {address} did not answer: it is down")
        return self.stores[address]

    def replicate(self, address: str, source_name: str, source_endpoint: str,
                  keys: list[ReplicatedKey]) -> ApplyResult:
        self.calls.append(f"replicate {address} {len(keys)}")
        return self._peer(address).apply_replicated(source_name, keys, source_endpoint)

    def configure(self, address: str, config: ReplicationConfig, replicate_existing: bool) -> None:
        self._peer(address).configure(config, replicate_existing)

    def reverse(self, address: str, force: bool, reverse_peer: str) -> list[str]:
        return self._peer(address).reverse(force, reverse_peer).dropped_keys


@pytest.fixture
def peers() -> DirectPeers:
    return DirectPeers()


@pytest.fixture
def make_km(tmp_path: Path, clock: Clock, peers: DirectPeers) -> Iterator[Callable[..., KeyManagerStore]]:
    """`make_km("KM1")` → a store under tmp_path/KM1 reachable by `peers` at address "KM1"."""
    stores: list[KeyManagerStore] = []

    def factory(name: str, seed: int = 7) -> KeyManagerStore:
        store = KeyManagerStore(name, tmp_path / name, clock, seed=seed, transport=peers)
        store.self_endpoint = name
        peers.stores[name] = store
        stores.append(store)
        return store

    yield factory
    for store in stores:
        store.close()


@pytest.fixture
def pair(make_km: Callable[..., KeyManagerStore]) -> tuple[KeyManagerStore, KeyManagerStore]:
    """KM1 replicating to KM2 with a five-minute lag."""
    primary, alternate = make_km("KM1"), make_km("KM2")
    primary.configure(ReplicationConfig(True, "KM2", "KM2", LAG, replicate_destroy=True))
    return primary, alternate


# -- keys -------------------------------------------------------------------------------------------------------
def test_create_key_gives_32_byte_material_matching_its_fingerprint(make_km) -> None:
    km = make_km("KM1")
    key = km.create_key("VTC1-EW1008", requester="VTC1 EW1008")
    secret = km.get_key("VTC1-EW1008", requester="VTC1")
    assert len(secret.material) == 32
    assert secret.key == key and key.state == ACTIVE and key.algorithm == "AES256" and key.origin == "KM1"
    assert key.fingerprint == hashlib.sha256(secret.material).hexdigest()
    assert km.get_key(key_id=key.id).key.name == "VTC1-EW1008"
    assert [a["action"] for a in km.audit()] == ["create", "get", "get"]
    assert km.audit()[0]["at"] == key.created.isoformat() and km.audit()[1]["requester"] == "VTC1"


def test_material_is_deterministic_from_the_seed(tmp_path: Path, clock: Clock) -> None:
    def material(directory: str, seed: int) -> bytes:
        store = KeyManagerStore("KM1", tmp_path / directory, clock, seed=seed)
        try:
            store.create_key("K")
            return store.get_key("K").material
        finally:
            store.close()

    assert material("a", 1) == material("b", 1)
    assert material("c", 1) != material("d", 2)


def test_create_key_is_refused_when_name_is_taken_or_algorithm_unknown(make_km) -> None:
    km = make_km("KM1")
    km.create_key("K1")
    with pytest.raises(AlreadyExists, match="choose another name"):
        km.create_key("K1")
    km.destroy_key("K1")
    with pytest.raises(AlreadyExists, match="destroyed key"):
        km.create_key("K1")
    with pytest.raises(InvalidArgument, match="AES256"):
        km.create_key("K2", algorithm="DES")
    assert km.create_key().name == "KEY-00000002"  # refused creates do not use up the counter


@pytest.mark.parametrize("name", ["K" * 129, "EW\n1008"])
def test_create_key_is_refused_when_the_name_is_too_long_or_unprintable(make_km, name: str) -> None:
    km = make_km("KM1")
    with pytest.raises(InvalidArgument, match="128 printable characters"):
        km.create_key(name)
    assert km.list_keys()[1] == 0


def test_get_key_is_not_found_when_unknown_and_refused_when_destroyed(make_km) -> None:
    km = make_km("KM1")
    with pytest.raises(NotFound, match="'NOPE' is not on key manager KM1"):
        km.get_key("NOPE")
    km.create_key("K1")
    destroyed = km.destroy_key("K1")
    assert destroyed.state == DESTROYED and destroyed.destroyed == km.clock.now()
    assert km.describe_key("K1") == destroyed  # the destroy time survives the round trip through the store
    with pytest.raises(Conflict, match=re.escape(f"destroyed at {destroyed.destroyed.isoformat()}")):
        km.get_key("K1")
    with pytest.raises(Conflict, match="destroyed already"):
        km.destroy_key("K1")


def test_destroy_erases_the_material_on_disk(make_km, tmp_path: Path) -> None:
    km = make_km("KM1")
    km.create_key("K1")
    km.destroy_key("K1")
    with sqlite3.connect(tmp_path / "KM1" / "keys.sqlite") as conn:
        assert conn.execute("SELECT material FROM keys WHERE name = 'K1'").fetchone() == (None,)


def test_list_keys_filters_by_glob_and_state_and_pages(make_km) -> None:
    km = make_km("KM1")
    for name in ("EW1001", "EW1002", "EW1003", "OTHER"):
        km.create_key(name)
    km.destroy_key("EW1002")
    page, total = km.list_keys("EW*", offset=0, limit=2)
    assert [k.name for k in page] == ["EW1001", "EW1002"] and total == 3
    page, total = km.list_keys("EW*", offset=2, limit=2)
    assert [k.name for k in page] == ["EW1003"]
    assert [k.name for k in km.list_keys(state=DESTROYED)[0]] == ["EW1002"]
    assert km.list_keys("EW100?", state=ACTIVE)[1] == 2
    with pytest.raises(InvalidArgument):
        km.list_keys(state="LOST")
    for offset, limit in ((-1, 2), (0, 0)):
        with pytest.raises(InvalidArgument, match="out of range"):
            km.list_keys(offset=offset, limit=limit)


# -- replication ------------------------------------------------------------------------------------------------
@pytest.mark.rule("R50")
def test_key_reaches_the_alternate_only_after_the_lag(pair, clock: Clock) -> None:
    primary, alternate = pair
    key = primary.create_key("EW1008")
    clock.advance(by=LAG - timedelta(seconds=1))
    with pytest.raises(NotFound, match="not replicated yet"):
        alternate.get_key("EW1008")
    assert primary.status().backlog == 1 and primary.status().lag == LAG - timedelta(seconds=1)
    clock.advance(by=timedelta(seconds=1))
    copy = alternate.get_key("EW1008")
    assert copy.material == primary.get_key("EW1008").material
    assert copy.key.replica and copy.key.origin == "KM1" and copy.key.id == key.id
    status = primary.status()
    assert status.backlog == 0 and status.last_replicated_key == "EW1008" and status.last_replicated_sequence == 1
    assert status.last_replicated_time == clock.now() and status.key_count == 1
    assert alternate.status().role == REPLICA and alternate.status().applied_in == 1


def test_changes_ship_one_by_one_at_their_own_due_time(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    created_a = clock.now()
    clock.advance(by=timedelta(minutes=2))
    primary.create_key("B")
    assert [(c["key_name"], c["kind"], c["at"]) for c in primary.backlog()] == [
        ("A", "create", created_a.isoformat()), ("B", "create", clock.now().isoformat())]
    clock.advance(by=timedelta(minutes=3))
    assert alternate.list_keys()[1] == 1
    clock.advance(by=timedelta(minutes=2))
    assert [k.name for k in alternate.list_keys()[0]] == ["A", "B"]


def test_nothing_ships_while_paused_and_resume_ships_what_is_due(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.pause()
    primary.create_key("A")
    clock.advance(by=LAG * 3)
    assert primary.status().backlog == 1 and alternate.list_keys()[1] == 0
    primary.create_key("B")
    status = primary.resume()
    assert status.backlog == 1 and [k.name for k in alternate.list_keys()[0]] == ["A"]
    clock.advance(by=LAG)
    assert alternate.list_keys()[1] == 2


def test_sync_ignoring_lag_ships_the_backlog_now(pair) -> None:
    primary, alternate = pair
    primary.create_key("A")
    primary.create_key("B")
    assert not primary.sync().caught_up
    result = primary.sync(ignore_lag=True, timeout=1.0)
    assert result.caught_up and result.status.backlog == 0 and alternate.list_keys()[1] == 2


def test_sync_for_named_keys_keeps_the_order(pair) -> None:
    primary, alternate = pair
    for name in ("A", "B", "C"):
        primary.create_key(name)
    result = primary.sync(ignore_lag=True, names=["B"])
    assert result.caught_up and result.status.backlog == 1
    assert [k.name for k in alternate.list_keys()[0]] == ["A", "B"]


def test_sync_is_refused_when_paused_or_not_the_source(pair) -> None:
    primary, alternate = pair
    primary.pause()
    with pytest.raises(Conflict, match="resume it"):
        primary.sync(ignore_lag=True)
    with pytest.raises(Conflict, match="ConfigureKeyReplication"):
        alternate.sync()


@pytest.mark.parametrize("replicate_destroy", [True, False])
def test_destroy_reaches_the_alternate_only_when_configured(make_km, clock: Clock, replicate_destroy: bool) -> None:
    primary, alternate = make_km("KM1"), make_km("KM2")
    primary.configure(ReplicationConfig(True, "KM2", "KM2", LAG, replicate_destroy=replicate_destroy))
    primary.create_key("K")
    clock.advance(by=LAG)
    primary.destroy_key("K")
    clock.advance(by=LAG)
    assert alternate.describe_key("K").state == (DESTROYED if replicate_destroy else ACTIVE)
    assert primary.status().backlog == 0


def test_create_and_destroy_inside_the_lag_arrive_without_material(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("K")
    primary.destroy_key("K")
    clock.advance(by=LAG)
    assert alternate.describe_key("K").state == DESTROYED
    with pytest.raises(Conflict):
        alternate.get_key("K")


def test_replica_ignores_changes_it_has_already(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("K")
    batch = [ReplicatedKey(primary.get_key("K").key, primary.get_key("K").material, 1)]
    assert alternate.apply_replicated("KM1", batch) == ApplyResult(1, 0, 1)
    assert alternate.apply_replicated("KM1", batch) == ApplyResult(0, 1, 1)
    clock.advance(by=LAG)  # the real shipment of sequence 1 is a duplicate too
    assert alternate.status().ignored_in == 2 and alternate.status().applied_in == 1


def test_replica_ignores_a_change_older_than_the_last_one_from_its_source(pair) -> None:
    primary, alternate = pair
    old, new = primary.create_key("OLD"), primary.create_key("NEW")
    assert alternate.apply_replicated("KM1", [ReplicatedKey(new, primary.get_key("NEW").material, 2)]).applied == 1
    late = alternate.apply_replicated("KM1", [ReplicatedKey(old, primary.get_key("OLD").material, 1)])
    assert late == ApplyResult(0, 1, 2)
    with pytest.raises(NotFound):
        alternate.get_key("OLD")


def test_a_timer_cancelled_from_outside_is_armed_again(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    assert clock.cancel_owner("keymanager:KM1") == 1
    primary.create_key("B")
    clock.advance(by=LAG)
    assert alternate.list_keys()[1] == 2


def test_replica_refuses_a_batch_whose_material_does_not_match(pair) -> None:
    primary, alternate = pair
    key = primary.create_key("K")
    with pytest.raises(InvalidArgument, match="fingerprint"):
        alternate.apply_replicated("KM1", [ReplicatedKey(key, b"\0" * 32, 1)])
    assert alternate.list_keys()[1] == 0


def test_unreachable_peer_counts_failures_and_retries_after_a_minute(pair, peers: DirectPeers, clock: Clock) -> None:
    primary, alternate = pair
    del peers.stores["KM2"]
    primary.create_key("K")
    clock.advance(by=LAG)
    status = primary.status()
    assert status.failures == 1 and "did not answer" in status.last_error and status.backlog == 1
    clock.advance(by=timedelta(seconds=59))
    assert primary.status().failures == 1
    clock.advance(by=timedelta(seconds=1))
    assert primary.status().failures == 2
    peers.stores["KM2"] = alternate
    clock.advance(by=timedelta(minutes=1))
    assert primary.status().backlog == 0 and alternate.get_key("K").key.name == "K"


@pytest.mark.rule("R50")
def test_replicate_existing_seeds_the_alternate(make_km, clock: Clock) -> None:
    primary, alternate = make_km("KM1"), make_km("KM2")
    primary.create_key("OLD")
    primary.configure(ReplicationConfig(True, "KM2", "KM2", LAG), replicate_existing=True)
    clock.advance(by=LAG)
    assert alternate.get_key("OLD").key.replica


def test_replicate_existing_queues_each_key_once_and_destroyed_ones_only_when_destroys_travel(make_km,
                                                                                              clock: Clock) -> None:
    primary, alternate = make_km("KM1"), make_km("KM2")
    primary.create_key("OLD")
    primary.create_key("GONE")
    primary.destroy_key("GONE")
    for _ in range(2):  # configured twice: OLD is already waiting
        primary.configure(ReplicationConfig(True, "KM2", "KM2", LAG, replicate_destroy=False),
                          replicate_existing=True)
        assert [c["key_name"] for c in primary.backlog()] == ["OLD"]
    primary.configure(ReplicationConfig(True, "KM2", "KM2", LAG), replicate_existing=True)
    assert [c["key_name"] for c in primary.backlog()] == ["OLD", "GONE"]
    clock.advance(by=LAG)
    assert alternate.describe_key("OLD").state == ACTIVE and alternate.describe_key("GONE").state == DESTROYED


def test_disabling_replication_drops_the_backlog_and_stops_logging_changes(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    status = primary.configure(ReplicationConfig(enabled=False))
    assert status.role == "" and status.backlog == 0 and not status.config.enabled
    assert not clock.timers("keymanager:KM1")
    primary.create_key("B")
    clock.advance(by=LAG)
    assert primary.status().backlog == 0 and alternate.list_keys()[1] == 0


def test_configure_refuses_a_missing_peer_or_itself(make_km) -> None:
    km = make_km("KM1")
    with pytest.raises(InvalidArgument, match="address"):
        km.configure(ReplicationConfig(True, "KM2", ""))
    with pytest.raises(InvalidArgument, match="itself"):
        km.configure(ReplicationConfig(True, "KM1", "KM1"))
    with pytest.raises(Conflict, match="ConfigureKeyReplication first"):
        km.pause()


# -- reverse ----------------------------------------------------------------------------------------------------
@pytest.mark.rule("R55")
def test_reverse_is_refused_while_changes_are_unsent(pair) -> None:
    primary, alternate = pair
    primary.create_key("EW1008")
    with pytest.raises(Conflict, match=r"1 key change\(s\) are not yet on KM2.*EW1008.*force"):
        primary.reverse()
    assert primary.role == SOURCE and primary.status().backlog == 1


@pytest.mark.rule("R55")
def test_reverse_after_sync_makes_the_peer_the_source(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    assert primary.sync(ignore_lag=True).caught_up
    result = primary.reverse()
    assert result.dropped_keys == [] and result.status.role == REPLICA
    assert alternate.role == SOURCE and alternate.config.peer_address == "KM1" and alternate.config.lag == LAG
    alternate.create_key("B")
    clock.advance(by=LAG)
    assert primary.get_key("B").key.replica and primary.get_key("B").key.origin == "KM2"


def test_forced_reverse_drops_the_backlog_and_names_its_keys(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    primary.create_key("B")
    result = primary.reverse(force=True)
    assert result.dropped_keys == ["A", "B"] and result.status.backlog == 0
    clock.advance(by=LAG * 2)
    assert alternate.list_keys()[1] == 0 and alternate.role == SOURCE


def test_reverse_on_the_replica_is_forwarded_to_the_source(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    clock.advance(by=LAG)
    result = alternate.reverse()
    assert result.status.role == SOURCE and primary.role == REPLICA


def test_keys_created_on_a_replica_travel_after_the_reverse(pair, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    clock.advance(by=LAG)
    alternate.create_key("LOCAL")
    clock.advance(by=LAG)
    assert alternate.status().backlog == 1
    with pytest.raises(NotFound):
        primary.get_key("LOCAL")
    alternate.reverse()
    clock.advance(by=LAG)
    assert primary.get_key("LOCAL").key.origin == "KM2"


@pytest.mark.rule("R55")
def test_reverse_hands_the_peer_the_address_given_for_the_way_back(pair, peers: DirectPeers, clock: Clock) -> None:
    primary, alternate = pair
    peers.stores["KM1-VIA-LINK"] = primary  # e.g. the Link proxy the other way
    result = primary.reverse(reverse_peer="KM1-VIA-LINK")
    assert result.status.config.peer_address == "KM2" and not result.status.config.enabled
    assert alternate.config.peer_address == "KM1-VIA-LINK" and alternate.config.peer_name == "KM1"
    alternate.create_key("B")
    clock.advance(by=LAG)
    assert primary.get_key("B").key.origin == "KM2"


def test_a_key_created_during_the_reverse_waits_in_the_new_replicas_backlog(pair, peers: DirectPeers,
                                                                           monkeypatch: pytest.MonkeyPatch,
                                                                           clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    configure_peer = peers.configure

    def configure_while_a_vtc_asks_for_a_key(address: str, config: ReplicationConfig, existing: bool) -> None:
        primary.create_key("LATE")
        configure_peer(address, config, existing)

    monkeypatch.setattr(peers, "configure", configure_while_a_vtc_asks_for_a_key)
    assert primary.reverse(force=True).dropped_keys == ["A"]
    assert primary.role == REPLICA and [c["key_name"] for c in primary.backlog()] == ["LATE"]
    monkeypatch.undo()
    primary.reverse()  # forwarded to KM2, which hands the source role back
    clock.advance(by=LAG)
    assert alternate.get_key("LATE").key.origin == "KM1"


def test_replica_forwards_a_reverse_only_once_it_knows_its_sources_address(make_km, clock: Clock) -> None:
    primary, alternate = make_km("KM1"), make_km("KM2")
    primary.self_endpoint = ""  # not served yet: its pushes carry no address
    primary.configure(ReplicationConfig(True, "KM2", "KM2", LAG))
    primary.create_key("A")
    clock.advance(by=LAG)
    assert alternate.role == REPLICA and alternate.config.peer_name == "KM1"
    with pytest.raises(Conflict, match="does not know its address"):
        alternate.reverse()
    primary.self_endpoint = "KM1"
    primary.create_key("B")
    clock.advance(by=LAG)
    assert alternate.config.peer_address == "KM1"
    assert alternate.reverse().status.role == SOURCE and primary.role == REPLICA


def test_reverse_leaves_roles_alone_when_the_peer_is_down(pair, peers: DirectPeers) -> None:
    primary, _alternate = pair
    del peers.stores["KM2"]
    with pytest.raises(PeerUnavailable):
        primary.reverse()
    assert primary.role == SOURCE


# -- crash safety -----------------------------------------------------------------------------------------------
def test_reopened_store_keeps_keys_config_and_backlog_and_rearms(pair, make_km, clock: Clock) -> None:
    primary, alternate = pair
    primary.create_key("A")
    primary.close()
    assert not clock.timers("keymanager:KM1")  # closing cancels the timer
    reopened = make_km("KM1")
    assert reopened.role == SOURCE and reopened.config.lag == LAG and reopened.status().backlog == 1
    assert reopened.get_key("A").key.name == "A"
    clock.advance(by=LAG)
    assert alternate.get_key("A").material == reopened.get_key("A").material
    assert reopened.create_key().name == "KEY-00000002"  # the counter survived too


def test_closed_store_refuses_calls_with_a_fix(make_km) -> None:
    km = make_km("KM1")
    km.close()
    with pytest.raises(Conflict, match="closed"):
        km.create_key("K")


# -- secrecy ----------------------------------------------------------------------------------------------------
def test_material_never_appears_in_dump_repr_errors_or_logs(pair, clock: Clock,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    primary, alternate = pair
    caplog.set_level(logging.DEBUG)
    primary.create_key("K1")
    primary.create_key("K2")
    clock.advance(by=LAG)
    primary.destroy_key("K2")
    secret = primary.get_key("K1")
    errors = []
    for call in (lambda: primary.create_key("K1"), lambda: primary.get_key("K2"), primary.reverse,
                 lambda: alternate.apply_replicated("KM1", [ReplicatedKey(secret.key, secret.material[::-1], 9)])):
        with pytest.raises(Exception) as exc:
            call()
        errors.append(str(exc.value))
    texts = [json.dumps(primary.dump()), json.dumps(alternate.dump()), repr(secret), repr(ReplicatedKey(secret.key, secret.material, 1)), repr(primary), *errors,
             *(r.getMessage() for r in caplog.records), repr(primary.backlog()), repr(primary.audit())]
    assert "K1" in texts[0] and secret.key.fingerprint in texts[0]
    for text in texts:
        assert secret.material.hex() not in text and secret.material.hex().upper() not in text
        assert repr(secret.material) not in text and str(list(secret.material)) not in text


def test_sync_waits_for_the_real_clock_to_ship_the_backlog(tmp_path: Path, peers: DirectPeers) -> None:
    clock = Clock(mode="real", rate=1200.0)  # five virtual minutes pass in a quarter of a wall second
    stores = [KeyManagerStore(n, tmp_path / n, clock, transport=peers) for n in ("KM1", "KM2")]
    try:
        primary, alternate = stores
        peers.stores["KM2"] = alternate
        primary.configure(ReplicationConfig(True, "KM2", "KM2", LAG))
        primary.create_key("A")
        result = primary.sync(timeout=5.0)  # no ignore_lag: the ticker ships when the lag has passed
        assert result.caught_up and alternate.get_key("A").key.name == "A"
    finally:
        for store in stores:
            store.close()
        clock.close()
