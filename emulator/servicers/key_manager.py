"""KeyManager servicer: the key manager of one site over gRPC (proto emulator/v1/key_manager), and the gRPC client
a key manager uses to reach its peer (`KeyManagerPeerClient`: ReplicateKeysIn, ConfigureKeyReplication,
ReverseKeyReplication).

A thin adapter: parse the request, call the `KeyManagerStore`, build the response. Key material crosses this module
only in GetKeyResponse.material and in ReplicateKeysIn messages; it is never logged or put in an error.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any, Iterable, Iterator

import grpc

from emulator import rpc
from emulator.errors import InvalidArgument
from emulator.key_manager import (
    ACTIVE, DESTROYED, REPLICA, SOURCE, ApplyResult, EncryptionKey, KeyManagerStore, PeerError, PeerUnavailable,
    ReplicatedKey, ReplicationConfig, ReplicationStatus,
)
from emulator.servicers import duration_pb, timestamp_pb, when
from emulator.v1 import common_pb2, key_manager_pb2 as pb, key_manager_pb2_grpc

KEY_MANAGER = "emulator.v1.KeyManager"
BATCH_KEYS = 1000        # keys per ReplicateKeysIn message (DESIGN §7: never one message per row)
MAX_PAGE = 100_000
_STATES = {pb.KEY_STATE_ACTIVE: ACTIVE, pb.KEY_STATE_DESTROYED: DESTROYED}
_STATES_PB = {v: k for k, v in _STATES.items()}
_ROLES_PB = {SOURCE: pb.KEY_REPLICATION_ROLE_SOURCE, REPLICA: pb.KEY_REPLICATION_ROLE_REPLICA}


# -- conversions ------------------------------------------------------------------------------------------------
def key_pb(key: EncryptionKey) -> pb.EncryptionKey:
    return pb.EncryptionKey(
        name=key.name, id=key.id, created_time=timestamp_pb(key.created), state=_STATES_PB[key.state],
        destroyed_time=timestamp_pb(key.destroyed), algorithm=key.algorithm, requester=key.requester,
        fingerprint=key.fingerprint, replica=key.replica, origin_key_manager=key.origin)


def key_of(msg: pb.EncryptionKey) -> EncryptionKey:
    return EncryptionKey(
        name=msg.name, id=msg.id, created=msg.created_time.ToDatetime(tzinfo=timezone.utc),
        state=_STATES.get(msg.state, ""), destroyed=when(msg, "destroyed_time"),
        algorithm=msg.algorithm, requester=msg.requester, fingerprint=msg.fingerprint, replica=msg.replica,
        origin=msg.origin_key_manager)


def config_pb(config: ReplicationConfig) -> pb.KeyReplicationConfig:
    return pb.KeyReplicationConfig(
        enabled=config.enabled, peer_name=config.peer_name, lag=duration_pb(config.lag),
        peer=common_pb2.Endpoint(service=KEY_MANAGER, node=config.peer_node, address=config.peer_address)
        if config.peer_address else None,
        replicate_destroy=config.replicate_destroy)


def config_of(msg: pb.KeyReplicationConfig) -> ReplicationConfig:
    return ReplicationConfig(enabled=msg.enabled, peer_name=msg.peer_name, peer_address=msg.peer.address,
                             lag=msg.lag.ToTimedelta(), replicate_destroy=msg.replicate_destroy,
                             peer_node=msg.peer.node)


def status_pb(status: ReplicationStatus) -> pb.KeyReplicationStatus:
    return pb.KeyReplicationStatus(
        server_name=status.server_name, role=_ROLES_PB.get(status.role, 0), config=config_pb(status.config),
        paused=status.paused, lag=duration_pb(status.lag), backlog=status.backlog,
        last_replicated_time=timestamp_pb(status.last_replicated_time),
        last_replicated_key=status.last_replicated_key, last_replicated_sequence=status.last_replicated_sequence,
        failures=status.failures, last_error=status.last_error, key_count=status.key_count,
        applied_in=status.applied_in, ignored_in=status.ignored_in)


def _page(page: common_pb2.PageRequest) -> tuple[int, int]:
    """(offset, size) of a page; the store refuses a negative offset or size."""
    try:
        offset = int(page.page_token or 0)
    except ValueError:
        raise InvalidArgument(f"page token {page.page_token!r} is not one this server gave: start again with an"
                              " empty token") from None
    if page.page_size > MAX_PAGE:
        raise InvalidArgument(f"page size {page.page_size} must be 1..{MAX_PAGE} (0 = 1,000)")
    return offset, page.page_size or 1000


# -- the server side --------------------------------------------------------------------------------------------
class KeyManagerServicer(key_manager_pb2_grpc.KeyManagerServicer):
    """The KeyManager service of one key manager server."""

    def __init__(self, store: KeyManagerStore):
        self.store = store

    def CreateKey(self, request: pb.CreateKeyRequest, context: grpc.ServicerContext) -> pb.CreateKeyResponse:
        key = self.store.create_key(request.name, request.algorithm, request.requester)
        return pb.CreateKeyResponse(key=key_pb(key))

    def GetKey(self, request: pb.GetKeyRequest, context: grpc.ServicerContext) -> pb.GetKeyResponse:
        secret = self.store.get_key(request.name, request.id, request.requester)
        return pb.GetKeyResponse(key=key_pb(secret.key), material=secret.material)

    def ListKeys(self, request: pb.ListKeysRequest, context: grpc.ServicerContext) -> pb.ListKeysResponse:
        offset, size = _page(request.page)
        if request.state not in (0, *_STATES):
            raise InvalidArgument(f"key state {request.state} is not a known value: see the KeyState enum")
        keys, total = self.store.list_keys(request.pattern, _STATES.get(request.state, ""), offset, size)
        after = offset + len(keys)
        return pb.ListKeysResponse(keys=[key_pb(k) for k in keys], page=common_pb2.PageResponse(
            next_page_token=str(after) if after < total else "", total=total))

    def DestroyKey(self, request: pb.DestroyKeyRequest, context: grpc.ServicerContext) -> pb.DestroyKeyResponse:
        return pb.DestroyKeyResponse(key=key_pb(self.store.destroy_key(request.name, request.id)))

    def ConfigureKeyReplication(self, request: pb.ConfigureKeyReplicationRequest,
                                context: grpc.ServicerContext) -> pb.ConfigureKeyReplicationResponse:
        status = self.store.configure(config_of(request.config), request.replicate_existing)
        return pb.ConfigureKeyReplicationResponse(status=status_pb(status))

    def PauseKeyReplication(self, request: pb.PauseKeyReplicationRequest,
                            context: grpc.ServicerContext) -> pb.PauseKeyReplicationResponse:
        return pb.PauseKeyReplicationResponse(status=status_pb(self.store.pause()))

    def ResumeKeyReplication(self, request: pb.ResumeKeyReplicationRequest,
                             context: grpc.ServicerContext) -> pb.ResumeKeyReplicationResponse:
        return pb.ResumeKeyReplicationResponse(status=status_pb(self.store.resume()))

    def ReverseKeyReplication(self, request: pb.ReverseKeyReplicationRequest,
                              context: grpc.ServicerContext) -> pb.ReverseKeyReplicationResponse:
        result = self.store.reverse(request.force, request.reverse_peer.address)
        return pb.ReverseKeyReplicationResponse(status=status_pb(result.status), dropped_keys=result.dropped_keys)

    def SyncKeys(self, request: pb.SyncKeysRequest, context: grpc.ServicerContext) -> pb.SyncKeysResponse:
        timeout = request.timeout.ToTimedelta().total_seconds()
        if context.time_remaining() is not None:  # never wait past the caller's deadline
            timeout = min(timeout, max(context.time_remaining() - 0.1, 0.0))
        result = self.store.sync(ignore_lag=request.ignore_lag, timeout=timeout, names=list(request.names))
        return pb.SyncKeysResponse(caught_up=result.caught_up, status=status_pb(result.status))

    def GetKeyReplicationStatus(self, request: pb.GetKeyReplicationStatusRequest,
                                context: grpc.ServicerContext) -> pb.GetKeyReplicationStatusResponse:
        return pb.GetKeyReplicationStatusResponse(status=status_pb(self.store.status()))

    def ReplicateKeysIn(self, request_iterator: Iterator[pb.ReplicateKeysInRequest],
                        context: grpc.ServicerContext) -> pb.ReplicateKeysInResponse:
        source, endpoint = "", ""
        applied = ignored = last = 0
        for message in request_iterator:  # each message lands in its own transaction
            source = source or message.source_name
            endpoint = endpoint or message.source.address
            keys = [ReplicatedKey(key_of(k.key), k.material, k.source_sequence) for k in message.keys]
            result = self.store.apply_replicated(source, keys, endpoint)
            applied, ignored = applied + result.applied, ignored + result.ignored
            last = max(last, result.last_source_sequence)
        return pb.ReplicateKeysInResponse(applied=applied, ignored=ignored, last_source_sequence=last)


def serve_key_manager(store: KeyManagerStore, address: str = "127.0.0.1:0") -> rpc.Server:
    """Start a server with the store's KeyManager (health, reflection, error mapping); record its address on the
    store (`self_endpoint`), which ReverseKeyReplication hands to the peer."""
    server = rpc.Server(address)
    server.add(key_manager_pb2_grpc.add_KeyManagerServicer_to_server, KeyManagerServicer(store), KEY_MANAGER)
    server.start()
    store.self_endpoint = server.address
    return server


# -- the client side: how a key manager reaches its peer --------------------------------------------------------
class KeyManagerPeerClient:
    """`PeerTransport` over gRPC: one channel per call, always with a deadline; a peer that does not answer is
    PeerUnavailable, a refusal a PeerError with the peer's status and message."""

    def __init__(self, deadline: float = rpc.DEFAULT_DEADLINE):
        self.deadline = deadline

    def replicate(self, address: str, source_name: str, source_endpoint: str,
                  keys: list[ReplicatedKey]) -> ApplyResult:
        def messages() -> Iterable[pb.ReplicateKeysInRequest]:
            for start in range(0, len(keys), BATCH_KEYS):  # the store never ships an empty batch
                first = start == 0
                yield pb.ReplicateKeysInRequest(
                    source_name=source_name if first else "",
                    source=common_pb2.Endpoint(service=KEY_MANAGER, address=source_endpoint)
                    if first and source_endpoint else None,
                    keys=[pb.ReplicatedKey(key=key_pb(k.key), material=k.material, source_sequence=k.source_sequence)
                          for k in keys[start:start + BATCH_KEYS]])

        reply = self._call(address, "ReplicateKeysIn", messages())
        return ApplyResult(reply.applied, reply.ignored, reply.last_source_sequence)

    def configure(self, address: str, config: ReplicationConfig, replicate_existing: bool) -> None:
        self._call(address, "ConfigureKeyReplication", pb.ConfigureKeyReplicationRequest(
            config=config_pb(config), replicate_existing=replicate_existing))

    def reverse(self, address: str, force: bool, reverse_peer: str) -> list[str]:
        reply = self._call(address, "ReverseKeyReplication", pb.ReverseKeyReplicationRequest(
            force=force, reverse_peer=common_pb2.Endpoint(service=KEY_MANAGER, address=reverse_peer)))
        return list(reply.dropped_keys)

    def _call(self, address: str, method: str, request: Any) -> Any:
        with rpc.channel(address) as channel:
            stub = key_manager_pb2_grpc.KeyManagerStub(channel)
            try:
                return getattr(stub, method)(request, timeout=self.deadline)
            except grpc.RpcError as exc:
                if rpc.is_indefinite(exc):
                    raise PeerUnavailable(f"key manager at {address} did not answer {method} ({exc.code().name}:"
                                          f" {exc.details()}): check that it runs and the link is up") from None
                raise PeerError(f"key manager at {address} refused {method}: {exc.details()}",
                                exc.code().name) from None
