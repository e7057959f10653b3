"""KeyManager over real gRPC: a primary key manager replicating to an alternate on 127.0.0.1:0 with a lag on a
virtual clock; pause, sync, reverse, destroy, a peer that goes down and comes back, reopen, and secrecy."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Callable, Iterator

import grpc
import pytest
from google.protobuf.duration_pb2 import Duration
from grpc_health.v1 import health_pb2, health_pb2_grpc

from emulator import rpc
from emulator.clock import Clock
from emulator.key_manager import KeyManagerStore
from emulator.servicers import key_manager as servicer
from emulator.servicers.key_manager import KEY_MANAGER, MAX_PAGE, serve_key_manager
from emulator.v1 import common_pb2, key_manager_pb2 as pb, key_manager_pb2_grpc

LAG = timedelta(minutes=5)
DEADLINE = 5.0


@dataclass
class Km:
    """One key manager server under test."""

    name: str
    store: KeyManagerStore
    server: rpc.Server
    stub: key_manager_pb2_grpc.KeyManagerStub

    @property
    def address(self) -> str:
        return self.server.address


@pytest.fixture
def start_km(tmp_path: Path, clock: Clock) -> Iterator[Callable[..., Km]]:
    """`start_km("KM1")` → a KeyManagerStore under tmp_path/KM1 served on 127.0.0.1:0 (or `address`)."""
    started: list[Km] = []
    channels: list[grpc.Channel] = []

    def factory(name: str, address: str = "127.0.0.1:0") -> Km:
        store = KeyManagerStore(name, tmp_path / name, clock, seed=11)
        server = serve_key_manager(store, address)
        channel = rpc.channel(server.address)
        channels.append(channel)
        km = Km(name, store, server, key_manager_pb2_grpc.KeyManagerStub(channel))
        started.append(km)
        return km

    yield factory
    for channel in channels:
        channel.close()
    for km in started:
        km.server.stop(None)
        km.store.close()


def _config(peer: Km, *, lag: timedelta = LAG, replicate_destroy: bool = True) -> pb.KeyReplicationConfig:
    duration = Duration()
    duration.FromTimedelta(lag)
    return pb.KeyReplicationConfig(enabled=True, peer_name=peer.name, lag=duration,
                                   peer=common_pb2.Endpoint(service=KEY_MANAGER, address=peer.address),
                                   replicate_destroy=replicate_destroy)


@pytest.fixture
def pair(start_km: Callable[..., Km]) -> tuple[Km, Km]:
    primary, alternate = start_km("KM1"), start_km("KM2")
    primary.stub.ConfigureKeyReplication(pb.ConfigureKeyReplicationRequest(config=_config(alternate)),
                                         timeout=DEADLINE)
    return primary, alternate


def _create(km: Km, name: str) -> pb.EncryptionKey:
    return km.stub.CreateKey(pb.CreateKeyRequest(name=name, requester="VTC1 EW1008"), timeout=DEADLINE).key


def _get(km: Km, name: str) -> pb.GetKeyResponse:
    return km.stub.GetKey(pb.GetKeyRequest(name=name, requester="test"), timeout=DEADLINE)


def _code(call: Callable[[], object]) -> tuple[grpc.StatusCode, str]:
    with pytest.raises(grpc.RpcError) as failed:
        call()
    return failed.value.code(), failed.value.details()


def _status(km: Km) -> pb.KeyReplicationStatus:
    return km.stub.GetKeyReplicationStatus(pb.GetKeyReplicationStatusRequest(), timeout=DEADLINE).status


def _sync(km: Km, **kwargs) -> pb.SyncKeysResponse:
    return km.stub.SyncKeys(pb.SyncKeysRequest(**kwargs), timeout=DEADLINE)


# -- tests ------------------------------------------------------------------------------------------------------
def test_server_reports_serving_and_answers_list_keys_with_pages(start_km: Callable[..., Km]) -> None:
    km = start_km("KM1")
    health = health_pb2_grpc.HealthStub(rpc.channel(km.address))
    reply = health.Check(health_pb2.HealthCheckRequest(service=KEY_MANAGER), timeout=DEADLINE)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    assert km.store.self_endpoint == km.address
    for name in ("EW1001", "EW1002", "EW1003"):
        _create(km, name)
    first = km.stub.ListKeys(pb.ListKeysRequest(pattern="EW*", page=common_pb2.PageRequest(page_size=2)),
                             timeout=DEADLINE)
    assert [k.name for k in first.keys] == ["EW1001", "EW1002"] and first.page.total == 3
    rest = km.stub.ListKeys(pb.ListKeysRequest(pattern="EW*", page=common_pb2.PageRequest(
        page_size=2, page_token=first.page.next_page_token)), timeout=DEADLINE)
    assert [k.name for k in rest.keys] == ["EW1003"] and rest.page.next_page_token == ""


def test_create_key_names_a_key_when_asked_without_a_name_and_get_key_finds_it_by_id(
        start_km: Callable[..., Km]) -> None:
    km = start_km("KM1")
    created = km.stub.CreateKey(pb.CreateKeyRequest(), timeout=DEADLINE).key
    assert created.name == "KEY-00000001" and created.algorithm == "AES256" and created.state == pb.KEY_STATE_ACTIVE
    by_id = km.stub.GetKey(pb.GetKeyRequest(id=created.id), timeout=DEADLINE)
    assert by_id.key == created and len(by_id.material) == 32
    assert _code(lambda: _create(km, created.name))[0] == grpc.StatusCode.ALREADY_EXISTS
    code, details = _code(lambda: km.stub.CreateKey(pb.CreateKeyRequest(algorithm="DES"), timeout=DEADLINE))
    assert code == grpc.StatusCode.INVALID_ARGUMENT and "AES256" in details


@pytest.mark.parametrize("request_", [
    pb.ListKeysRequest(page=common_pb2.PageRequest(page_token="not-a-token")),
    pb.ListKeysRequest(page=common_pb2.PageRequest(page_size=MAX_PAGE + 1)),
    pb.ListKeysRequest(page=common_pb2.PageRequest(page_size=-1)),
    pb.ListKeysRequest(page=common_pb2.PageRequest(page_token="-1")),
    pb.ListKeysRequest(state=99),
], ids=["token", "too-big", "negative-size", "negative-offset", "state"])
def test_list_keys_is_refused_when_the_page_or_state_is_invalid(start_km: Callable[..., Km],
                                                                request_: pb.ListKeysRequest) -> None:
    km = start_km("KM1")
    assert _code(lambda: km.stub.ListKeys(request_, timeout=DEADLINE))[0] == grpc.StatusCode.INVALID_ARGUMENT


def test_list_keys_filters_by_state(start_km: Callable[..., Km]) -> None:
    km = start_km("KM1")
    for name in ("A", "B"):
        _create(km, name)
    km.stub.DestroyKey(pb.DestroyKeyRequest(name="A"), timeout=DEADLINE)
    for state, names in ((pb.KEY_STATE_DESTROYED, ["A"]), (pb.KEY_STATE_ACTIVE, ["B"]),
                         (pb.KEY_STATE_UNSPECIFIED, ["A", "B"])):
        reply = km.stub.ListKeys(pb.ListKeysRequest(state=state), timeout=DEADLINE)
        assert [k.name for k in reply.keys] == names and reply.page.total == len(names)


@pytest.mark.rule("R50")
def test_key_is_absent_at_the_alternate_until_the_lag_elapses(pair: tuple[Km, Km], clock: Clock) -> None:
    primary, alternate = pair
    created = _create(primary, "EW1008")
    clock.advance(by=LAG - timedelta(seconds=1))
    code, details = _code(lambda: _get(alternate, "EW1008"))
    assert code == grpc.StatusCode.NOT_FOUND and "not replicated yet" in details
    clock.advance(by=timedelta(seconds=1))
    copy = _get(alternate, "EW1008")
    assert copy.material == _get(primary, "EW1008").material and len(copy.material) == 32
    assert copy.key.replica and copy.key.id == created.id and copy.key.fingerprint == created.fingerprint
    status = _status(alternate)
    assert status.role == pb.KEY_REPLICATION_ROLE_REPLICA and status.applied_in == 1
    assert status.config.peer.address == primary.address  # learned from the stream: a replica can reverse


def test_pause_holds_changes_and_resume_ships_them(pair: tuple[Km, Km], clock: Clock) -> None:
    primary, alternate = pair
    primary.stub.PauseKeyReplication(pb.PauseKeyReplicationRequest(), timeout=DEADLINE)
    _create(primary, "A")
    clock.advance(by=LAG * 2)
    status = _status(primary)
    assert status.paused and status.backlog == 1 and status.lag.ToTimedelta() == LAG * 2
    assert _code(lambda: _get(alternate, "A"))[0] == grpc.StatusCode.NOT_FOUND
    resumed = primary.stub.ResumeKeyReplication(pb.ResumeKeyReplicationRequest(), timeout=DEADLINE).status
    assert not resumed.paused and resumed.backlog == 0 and _get(alternate, "A").key.name == "A"


def test_sync_with_ignore_lag_ships_now_and_reports_caught_up(pair: tuple[Km, Km]) -> None:
    primary, alternate = pair
    _create(primary, "A")
    assert not _sync(primary).caught_up
    timeout = Duration(seconds=2)
    reply = _sync(primary, ignore_lag=True, timeout=timeout)
    assert reply.caught_up and reply.status.backlog == 0 and reply.status.last_replicated_key == "A"
    assert _get(alternate, "A").key.name == "A"


@pytest.mark.rule("R50")
def test_a_backlog_bigger_than_one_message_streams_in_several(pair: tuple[Km, Km],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    primary, alternate = pair
    monkeypatch.setattr(servicer, "BATCH_KEYS", 2)  # five changes: three ReplicateKeysIn messages
    for name in ("A", "B", "C", "D", "E"):
        _create(primary, name)
    assert _sync(primary, ignore_lag=True).caught_up
    status = _status(primary)
    assert status.last_replicated_sequence == 5 and status.last_replicated_key == "E" and status.failures == 0
    received = _status(alternate)
    assert received.applied_in == 5 and received.key_count == 5
    assert received.config.peer_name == "KM1" and received.config.peer.address == primary.address


def test_disabling_replication_drops_the_backlog(pair: tuple[Km, Km]) -> None:
    primary, _alternate = pair
    _create(primary, "A")
    reply = primary.stub.ConfigureKeyReplication(pb.ConfigureKeyReplicationRequest(
        config=pb.KeyReplicationConfig(enabled=False)), timeout=DEADLINE)
    assert reply.status.role == pb.KEY_REPLICATION_ROLE_UNSPECIFIED and reply.status.backlog == 0
    assert _code(lambda: _sync(primary))[0] == grpc.StatusCode.FAILED_PRECONDITION


@pytest.mark.rule("R55")
def test_reverse_is_refused_with_a_backlog_and_forced_drops_it(pair: tuple[Km, Km], clock: Clock) -> None:
    primary, alternate = pair
    _create(primary, "EW1008")
    code, details = _code(lambda: primary.stub.ReverseKeyReplication(pb.ReverseKeyReplicationRequest(),
                                                                     timeout=DEADLINE))
    assert code == grpc.StatusCode.FAILED_PRECONDITION and "EW1008" in details and "SyncKeys" in details
    reply = primary.stub.ReverseKeyReplication(pb.ReverseKeyReplicationRequest(force=True), timeout=DEADLINE)
    assert list(reply.dropped_keys) == ["EW1008"] and reply.status.role == pb.KEY_REPLICATION_ROLE_REPLICA
    clock.advance(by=LAG)
    assert _code(lambda: _get(alternate, "EW1008"))[0] == grpc.StatusCode.NOT_FOUND
    assert _status(alternate).role == pb.KEY_REPLICATION_ROLE_SOURCE


@pytest.mark.rule("R55")
def test_reverse_after_sync_replicates_the_other_way(pair: tuple[Km, Km], clock: Clock) -> None:
    primary, alternate = pair
    _create(primary, "A")
    assert _sync(primary, ignore_lag=True).caught_up
    reply = primary.stub.ReverseKeyReplication(pb.ReverseKeyReplicationRequest(), timeout=DEADLINE)
    assert list(reply.dropped_keys) == []
    status = _status(alternate)
    assert status.role == pb.KEY_REPLICATION_ROLE_SOURCE and status.config.peer.address == primary.address
    assert status.config.lag.ToTimedelta() == LAG
    _create(alternate, "B")
    clock.advance(by=LAG)
    assert _get(primary, "B").key.origin_key_manager == "KM2"
    # and back again, this time asked on the replica (forwarded to its source)
    assert _sync(alternate, ignore_lag=True).caught_up
    back = primary.stub.ReverseKeyReplication(pb.ReverseKeyReplicationRequest(), timeout=DEADLINE)
    assert back.status.role == pb.KEY_REPLICATION_ROLE_SOURCE
    assert _status(alternate).role == pb.KEY_REPLICATION_ROLE_REPLICA


@pytest.mark.parametrize("replicate_destroy", [True, False])
def test_destroy_travels_only_when_configured(start_km: Callable[..., Km], clock: Clock,
                                              replicate_destroy: bool) -> None:
    primary, alternate = start_km("KM1"), start_km("KM2")
    primary.stub.ConfigureKeyReplication(pb.ConfigureKeyReplicationRequest(
        config=_config(alternate, replicate_destroy=replicate_destroy)), timeout=DEADLINE)
    _create(primary, "K")
    clock.advance(by=LAG)
    destroyed = primary.stub.DestroyKey(pb.DestroyKeyRequest(name="K"), timeout=DEADLINE).key
    assert destroyed.state == pb.KEY_STATE_DESTROYED and destroyed.HasField("destroyed_time")
    assert _code(lambda: _get(primary, "K"))[0] == grpc.StatusCode.FAILED_PRECONDITION
    clock.advance(by=LAG)
    if replicate_destroy:
        assert _code(lambda: _get(alternate, "K"))[0] == grpc.StatusCode.FAILED_PRECONDITION
    else:
        assert len(_get(alternate, "K").material) == 32


def test_peer_down_counts_failures_and_is_retried_when_it_comes_back(pair: tuple[Km, Km], clock: Clock,
                                                                     start_km: Callable[..., Km]) -> None:
    primary, alternate = pair
    address = alternate.address
    alternate.server.stop(None)
    alternate.store.close()
    _create(primary, "A")
    clock.advance(by=LAG)
    status = _status(primary)
    assert status.failures == 1 and "UNAVAILABLE" in status.last_error and status.backlog == 1
    clock.advance(by=timedelta(minutes=1))
    assert _status(primary).failures == 2
    back = start_km("KM2", address)  # same directory and address: the peer came back
    clock.advance(by=timedelta(minutes=1))
    status = _status(primary)
    assert status.backlog == 0 and status.failures == 2
    assert _get(back, "A").material == _get(primary, "A").material


def test_reopened_server_keeps_keys_and_backlog(pair: tuple[Km, Km], clock: Clock,
                                                start_km: Callable[..., Km]) -> None:
    primary, alternate = pair
    _create(primary, "A")
    material = _get(primary, "A").material
    primary.server.stop(None)
    primary.store.close()
    reopened = start_km("KM1")
    status = _status(reopened)
    assert status.backlog == 1 and status.role == pb.KEY_REPLICATION_ROLE_SOURCE
    assert _get(reopened, "A").material == material
    clock.advance(by=LAG)
    assert _get(alternate, "A").material == material


def test_material_never_in_dumps_errors_or_logs(pair: tuple[Km, Km], clock: Clock,
                                                caplog: pytest.LogCaptureFixture) -> None:
    primary, alternate = pair
    caplog.set_level(logging.DEBUG)
    _create(primary, "K1")
    _create(primary, "K2")
    clock.advance(by=LAG)
    material = _get(primary, "K1").material
    primary.stub.DestroyKey(pb.DestroyKeyRequest(name="K2"), timeout=DEADLINE)
    _create(primary, "K3")
    details = [
        _code(lambda: _create(primary, "K1"))[1],
        _code(lambda: _get(primary, "K2"))[1],
        _code(lambda: primary.stub.ReverseKeyReplication(pb.ReverseKeyReplicationRequest(), timeout=DEADLINE))[1],
        _code(lambda: alternate.stub.ReplicateKeysIn(iter([pb.ReplicateKeysInRequest(
            source_name="KM1", keys=[pb.ReplicatedKey(key=_get(primary, "K1").key, material=material[::-1],
                                                      source_sequence=99)])]), timeout=DEADLINE))[1],
    ]
    texts = [json.dumps(primary.store.dump()), json.dumps(alternate.store.dump()), str(_status(primary)),
             str(_status(alternate)), *details, *(r.getMessage() for r in caplog.records)]
    assert "K1" in texts[0] and "fingerprint" in texts[0]
    for text in texts:
        assert material.hex() not in text and material.hex().upper() not in text and repr(material) not in text
