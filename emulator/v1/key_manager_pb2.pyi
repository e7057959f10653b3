import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from emulator.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class KeyState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KEY_STATE_UNSPECIFIED: _ClassVar[KeyState]
    KEY_STATE_ACTIVE: _ClassVar[KeyState]
    KEY_STATE_DESTROYED: _ClassVar[KeyState]

class KeyReplicationRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KEY_REPLICATION_ROLE_UNSPECIFIED: _ClassVar[KeyReplicationRole]
    KEY_REPLICATION_ROLE_SOURCE: _ClassVar[KeyReplicationRole]
    KEY_REPLICATION_ROLE_REPLICA: _ClassVar[KeyReplicationRole]
KEY_STATE_UNSPECIFIED: KeyState
KEY_STATE_ACTIVE: KeyState
KEY_STATE_DESTROYED: KeyState
KEY_REPLICATION_ROLE_UNSPECIFIED: KeyReplicationRole
KEY_REPLICATION_ROLE_SOURCE: KeyReplicationRole
KEY_REPLICATION_ROLE_REPLICA: KeyReplicationRole

class EncryptionKey(_message.Message):
    __slots__ = ("name", "id", "created_time", "state", "destroyed_time", "algorithm", "requester", "fingerprint", "replica", "origin_key_manager")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DESTROYED_TIME_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    FINGERPRINT_FIELD_NUMBER: _ClassVar[int]
    REPLICA_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_KEY_MANAGER_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    created_time: _timestamp_pb2.Timestamp
    state: KeyState
    destroyed_time: _timestamp_pb2.Timestamp
    algorithm: str
    requester: str
    fingerprint: str
    replica: bool
    origin_key_manager: str
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[KeyState, str]] = ..., destroyed_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., algorithm: _Optional[str] = ..., requester: _Optional[str] = ..., fingerprint: _Optional[str] = ..., replica: _Optional[bool] = ..., origin_key_manager: _Optional[str] = ...) -> None: ...

class KeyReplicationConfig(_message.Message):
    __slots__ = ("enabled", "peer_name", "peer", "lag", "replicate_destroy")
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    PEER_NAME_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    LAG_FIELD_NUMBER: _ClassVar[int]
    REPLICATE_DESTROY_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    peer_name: str
    peer: _common_pb2.Endpoint
    lag: _duration_pb2.Duration
    replicate_destroy: bool
    def __init__(self, enabled: _Optional[bool] = ..., peer_name: _Optional[str] = ..., peer: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ..., lag: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., replicate_destroy: _Optional[bool] = ...) -> None: ...

class KeyReplicationStatus(_message.Message):
    __slots__ = ("server_name", "role", "config", "paused", "lag", "backlog", "last_replicated_time", "last_replicated_key", "last_replicated_sequence", "failures", "last_error", "key_count", "applied_in", "ignored_in")
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    PAUSED_FIELD_NUMBER: _ClassVar[int]
    LAG_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_FIELD_NUMBER: _ClassVar[int]
    LAST_REPLICATED_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_REPLICATED_KEY_FIELD_NUMBER: _ClassVar[int]
    LAST_REPLICATED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    KEY_COUNT_FIELD_NUMBER: _ClassVar[int]
    APPLIED_IN_FIELD_NUMBER: _ClassVar[int]
    IGNORED_IN_FIELD_NUMBER: _ClassVar[int]
    server_name: str
    role: KeyReplicationRole
    config: KeyReplicationConfig
    paused: bool
    lag: _duration_pb2.Duration
    backlog: int
    last_replicated_time: _timestamp_pb2.Timestamp
    last_replicated_key: str
    last_replicated_sequence: int
    failures: int
    last_error: str
    key_count: int
    applied_in: int
    ignored_in: int
    def __init__(self, server_name: _Optional[str] = ..., role: _Optional[_Union[KeyReplicationRole, str]] = ..., config: _Optional[_Union[KeyReplicationConfig, _Mapping]] = ..., paused: _Optional[bool] = ..., lag: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., backlog: _Optional[int] = ..., last_replicated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_replicated_key: _Optional[str] = ..., last_replicated_sequence: _Optional[int] = ..., failures: _Optional[int] = ..., last_error: _Optional[str] = ..., key_count: _Optional[int] = ..., applied_in: _Optional[int] = ..., ignored_in: _Optional[int] = ...) -> None: ...

class ReplicatedKey(_message.Message):
    __slots__ = ("key", "material", "source_sequence")
    KEY_FIELD_NUMBER: _ClassVar[int]
    MATERIAL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    key: EncryptionKey
    material: bytes
    source_sequence: int
    def __init__(self, key: _Optional[_Union[EncryptionKey, _Mapping]] = ..., material: _Optional[bytes] = ..., source_sequence: _Optional[int] = ...) -> None: ...

class CreateKeyRequest(_message.Message):
    __slots__ = ("name", "algorithm", "requester")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    name: str
    algorithm: str
    requester: str
    def __init__(self, name: _Optional[str] = ..., algorithm: _Optional[str] = ..., requester: _Optional[str] = ...) -> None: ...

class CreateKeyResponse(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: EncryptionKey
    def __init__(self, key: _Optional[_Union[EncryptionKey, _Mapping]] = ...) -> None: ...

class GetKeyRequest(_message.Message):
    __slots__ = ("name", "id", "requester")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    requester: str
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ..., requester: _Optional[str] = ...) -> None: ...

class GetKeyResponse(_message.Message):
    __slots__ = ("key", "material")
    KEY_FIELD_NUMBER: _ClassVar[int]
    MATERIAL_FIELD_NUMBER: _ClassVar[int]
    key: EncryptionKey
    material: bytes
    def __init__(self, key: _Optional[_Union[EncryptionKey, _Mapping]] = ..., material: _Optional[bytes] = ...) -> None: ...

class ListKeysRequest(_message.Message):
    __slots__ = ("pattern", "state", "page")
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    pattern: str
    state: KeyState
    page: _common_pb2.PageRequest
    def __init__(self, pattern: _Optional[str] = ..., state: _Optional[_Union[KeyState, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListKeysResponse(_message.Message):
    __slots__ = ("keys", "page")
    KEYS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    keys: _containers.RepeatedCompositeFieldContainer[EncryptionKey]
    page: _common_pb2.PageResponse
    def __init__(self, keys: _Optional[_Iterable[_Union[EncryptionKey, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class DestroyKeyRequest(_message.Message):
    __slots__ = ("name", "id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class DestroyKeyResponse(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: EncryptionKey
    def __init__(self, key: _Optional[_Union[EncryptionKey, _Mapping]] = ...) -> None: ...

class ConfigureKeyReplicationRequest(_message.Message):
    __slots__ = ("config", "replicate_existing")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    REPLICATE_EXISTING_FIELD_NUMBER: _ClassVar[int]
    config: KeyReplicationConfig
    replicate_existing: bool
    def __init__(self, config: _Optional[_Union[KeyReplicationConfig, _Mapping]] = ..., replicate_existing: _Optional[bool] = ...) -> None: ...

class ConfigureKeyReplicationResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: KeyReplicationStatus
    def __init__(self, status: _Optional[_Union[KeyReplicationStatus, _Mapping]] = ...) -> None: ...

class PauseKeyReplicationRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PauseKeyReplicationResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: KeyReplicationStatus
    def __init__(self, status: _Optional[_Union[KeyReplicationStatus, _Mapping]] = ...) -> None: ...

class ResumeKeyReplicationRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResumeKeyReplicationResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: KeyReplicationStatus
    def __init__(self, status: _Optional[_Union[KeyReplicationStatus, _Mapping]] = ...) -> None: ...

class ReverseKeyReplicationRequest(_message.Message):
    __slots__ = ("force", "reverse_peer")
    FORCE_FIELD_NUMBER: _ClassVar[int]
    REVERSE_PEER_FIELD_NUMBER: _ClassVar[int]
    force: bool
    reverse_peer: _common_pb2.Endpoint
    def __init__(self, force: _Optional[bool] = ..., reverse_peer: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ...) -> None: ...

class ReverseKeyReplicationResponse(_message.Message):
    __slots__ = ("status", "dropped_keys")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DROPPED_KEYS_FIELD_NUMBER: _ClassVar[int]
    status: KeyReplicationStatus
    dropped_keys: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[KeyReplicationStatus, _Mapping]] = ..., dropped_keys: _Optional[_Iterable[str]] = ...) -> None: ...

class SyncKeysRequest(_message.Message):
    __slots__ = ("timeout", "ignore_lag", "names")
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    IGNORE_LAG_FIELD_NUMBER: _ClassVar[int]
    NAMES_FIELD_NUMBER: _ClassVar[int]
    timeout: _duration_pb2.Duration
    ignore_lag: bool
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., ignore_lag: _Optional[bool] = ..., names: _Optional[_Iterable[str]] = ...) -> None: ...

class SyncKeysResponse(_message.Message):
    __slots__ = ("caught_up", "status")
    CAUGHT_UP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    caught_up: bool
    status: KeyReplicationStatus
    def __init__(self, caught_up: _Optional[bool] = ..., status: _Optional[_Union[KeyReplicationStatus, _Mapping]] = ...) -> None: ...

class GetKeyReplicationStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetKeyReplicationStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: KeyReplicationStatus
    def __init__(self, status: _Optional[_Union[KeyReplicationStatus, _Mapping]] = ...) -> None: ...

class ReplicateKeysInRequest(_message.Message):
    __slots__ = ("source_name", "keys", "source")
    SOURCE_NAME_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    source_name: str
    keys: _containers.RepeatedCompositeFieldContainer[ReplicatedKey]
    source: _common_pb2.Endpoint
    def __init__(self, source_name: _Optional[str] = ..., keys: _Optional[_Iterable[_Union[ReplicatedKey, _Mapping]]] = ..., source: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ...) -> None: ...

class ReplicateKeysInResponse(_message.Message):
    __slots__ = ("applied", "ignored", "last_source_sequence")
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    IGNORED_FIELD_NUMBER: _ClassVar[int]
    LAST_SOURCE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    applied: int
    ignored: int
    last_source_sequence: int
    def __init__(self, applied: _Optional[int] = ..., ignored: _Optional[int] = ..., last_source_sequence: _Optional[int] = ...) -> None: ...
