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

class ImagePart(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMAGE_PART_UNSPECIFIED: _ClassVar[ImagePart]
    IMAGE_PART_INDEX: _ClassVar[ImagePart]
    IMAGE_PART_DATA: _ClassVar[ImagePart]

class ReplicationMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPLICATION_MODE_UNSPECIFIED: _ClassVar[ReplicationMode]
    REPLICATION_MODE_CONTINUOUS: _ClassVar[ReplicationMode]
    REPLICATION_MODE_AUTOCOPY: _ClassVar[ReplicationMode]

class ReplicationRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPLICATION_ROLE_UNSPECIFIED: _ClassVar[ReplicationRole]
    REPLICATION_ROLE_SOURCE: _ClassVar[ReplicationRole]
    REPLICATION_ROLE_REPLICA: _ClassVar[ReplicationRole]

class DismountAccess(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISMOUNT_ACCESS_UNSPECIFIED: _ClassVar[DismountAccess]
    DISMOUNT_ACCESS_READ_WRITE: _ClassVar[DismountAccess]
    DISMOUNT_ACCESS_READ_ONLY: _ClassVar[DismountAccess]

class StorageFaultKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STORAGE_FAULT_KIND_UNSPECIFIED: _ClassVar[StorageFaultKind]
    STORAGE_FAULT_KIND_DROP_OBJECT: _ClassVar[StorageFaultKind]
    STORAGE_FAULT_KIND_CORRUPT_OBJECT: _ClassVar[StorageFaultKind]
    STORAGE_FAULT_KIND_STOP_REPLICA: _ClassVar[StorageFaultKind]
    STORAGE_FAULT_KIND_DISK_FULL: _ClassVar[StorageFaultKind]

class ReplicationEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REPLICATION_EVENT_KIND_UNSPECIFIED: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_REPLICATED: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_DELETE_REPLICATED: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_ATTEMPT_FAILED: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_GAVE_UP: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_SKIPPED_READ_ONLY: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_PAUSED: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_RESUMED: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_REVERSED: _ClassVar[ReplicationEventKind]
    REPLICATION_EVENT_KIND_RECEIVED: _ClassVar[ReplicationEventKind]
IMAGE_PART_UNSPECIFIED: ImagePart
IMAGE_PART_INDEX: ImagePart
IMAGE_PART_DATA: ImagePart
REPLICATION_MODE_UNSPECIFIED: ReplicationMode
REPLICATION_MODE_CONTINUOUS: ReplicationMode
REPLICATION_MODE_AUTOCOPY: ReplicationMode
REPLICATION_ROLE_UNSPECIFIED: ReplicationRole
REPLICATION_ROLE_SOURCE: ReplicationRole
REPLICATION_ROLE_REPLICA: ReplicationRole
DISMOUNT_ACCESS_UNSPECIFIED: DismountAccess
DISMOUNT_ACCESS_READ_WRITE: DismountAccess
DISMOUNT_ACCESS_READ_ONLY: DismountAccess
STORAGE_FAULT_KIND_UNSPECIFIED: StorageFaultKind
STORAGE_FAULT_KIND_DROP_OBJECT: StorageFaultKind
STORAGE_FAULT_KIND_CORRUPT_OBJECT: StorageFaultKind
STORAGE_FAULT_KIND_STOP_REPLICA: StorageFaultKind
STORAGE_FAULT_KIND_DISK_FULL: StorageFaultKind
REPLICATION_EVENT_KIND_UNSPECIFIED: ReplicationEventKind
REPLICATION_EVENT_KIND_REPLICATED: ReplicationEventKind
REPLICATION_EVENT_KIND_DELETE_REPLICATED: ReplicationEventKind
REPLICATION_EVENT_KIND_ATTEMPT_FAILED: ReplicationEventKind
REPLICATION_EVENT_KIND_GAVE_UP: ReplicationEventKind
REPLICATION_EVENT_KIND_SKIPPED_READ_ONLY: ReplicationEventKind
REPLICATION_EVENT_KIND_PAUSED: ReplicationEventKind
REPLICATION_EVENT_KIND_RESUMED: ReplicationEventKind
REPLICATION_EVENT_KIND_REVERSED: ReplicationEventKind
REPLICATION_EVENT_KIND_RECEIVED: ReplicationEventKind

class VolumeImage(_message.Message):
    __slots__ = ("label", "labeled", "object_name", "path", "index_bytes", "data_bytes", "checksum", "modified_time", "encrypted", "key_manager_id", "media_key_name", "change_sequence", "replica", "source_storage_id")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    OBJECT_NAME_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    INDEX_BYTES_FIELD_NUMBER: _ClassVar[int]
    DATA_BYTES_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_TIME_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_FIELD_NUMBER: _ClassVar[int]
    KEY_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    CHANGE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REPLICA_FIELD_NUMBER: _ClassVar[int]
    SOURCE_STORAGE_ID_FIELD_NUMBER: _ClassVar[int]
    label: str
    labeled: bool
    object_name: str
    path: str
    index_bytes: int
    data_bytes: int
    checksum: str
    modified_time: _timestamp_pb2.Timestamp
    encrypted: bool
    key_manager_id: str
    media_key_name: str
    change_sequence: int
    replica: bool
    source_storage_id: str
    def __init__(self, label: _Optional[str] = ..., labeled: _Optional[bool] = ..., object_name: _Optional[str] = ..., path: _Optional[str] = ..., index_bytes: _Optional[int] = ..., data_bytes: _Optional[int] = ..., checksum: _Optional[str] = ..., modified_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., encrypted: _Optional[bool] = ..., key_manager_id: _Optional[str] = ..., media_key_name: _Optional[str] = ..., change_sequence: _Optional[int] = ..., replica: _Optional[bool] = ..., source_storage_id: _Optional[str] = ...) -> None: ...

class ImageChunk(_message.Message):
    __slots__ = ("part", "offset", "data")
    PART_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    part: ImagePart
    offset: int
    data: bytes
    def __init__(self, part: _Optional[_Union[ImagePart, str]] = ..., offset: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class ReplicationConfig(_message.Message):
    __slots__ = ("enabled", "peer_storage_id", "peer", "peer_path", "mode", "lag", "retry_interval", "max_attempts", "keep_deleted_on_replica")
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    PEER_STORAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PEER_FIELD_NUMBER: _ClassVar[int]
    PEER_PATH_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    LAG_FIELD_NUMBER: _ClassVar[int]
    RETRY_INTERVAL_FIELD_NUMBER: _ClassVar[int]
    MAX_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    KEEP_DELETED_ON_REPLICA_FIELD_NUMBER: _ClassVar[int]
    enabled: bool
    peer_storage_id: str
    peer: _common_pb2.Endpoint
    peer_path: str
    mode: ReplicationMode
    lag: _duration_pb2.Duration
    retry_interval: _duration_pb2.Duration
    max_attempts: int
    keep_deleted_on_replica: bool
    def __init__(self, enabled: _Optional[bool] = ..., peer_storage_id: _Optional[str] = ..., peer: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ..., peer_path: _Optional[str] = ..., mode: _Optional[_Union[ReplicationMode, str]] = ..., lag: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., retry_interval: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., max_attempts: _Optional[int] = ..., keep_deleted_on_replica: _Optional[bool] = ...) -> None: ...

class StorageFault(_message.Message):
    __slots__ = ("id", "kind", "label", "labeled", "remaining", "injected_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    INJECTED_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: StorageFaultKind
    label: str
    labeled: bool
    remaining: int
    injected_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[StorageFaultKind, str]] = ..., label: _Optional[str] = ..., labeled: _Optional[bool] = ..., remaining: _Optional[int] = ..., injected_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReplicationStatus(_message.Message):
    __slots__ = ("storage_id", "role", "config", "paused", "lag", "backlog_objects", "backlog_bytes", "last_replicated_time", "last_replicated_label", "last_replicated_sequence", "replicated_objects", "failures", "last_error", "autocopy_pending", "active_faults", "image_count", "used_bytes", "capacity_bytes")
    STORAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    PAUSED_FIELD_NUMBER: _ClassVar[int]
    LAG_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_OBJECTS_FIELD_NUMBER: _ClassVar[int]
    BACKLOG_BYTES_FIELD_NUMBER: _ClassVar[int]
    LAST_REPLICATED_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_REPLICATED_LABEL_FIELD_NUMBER: _ClassVar[int]
    LAST_REPLICATED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    REPLICATED_OBJECTS_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    AUTOCOPY_PENDING_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FAULTS_FIELD_NUMBER: _ClassVar[int]
    IMAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_BYTES_FIELD_NUMBER: _ClassVar[int]
    storage_id: str
    role: ReplicationRole
    config: ReplicationConfig
    paused: bool
    lag: _duration_pb2.Duration
    backlog_objects: int
    backlog_bytes: int
    last_replicated_time: _timestamp_pb2.Timestamp
    last_replicated_label: str
    last_replicated_sequence: int
    replicated_objects: int
    failures: int
    last_error: str
    autocopy_pending: int
    active_faults: _containers.RepeatedCompositeFieldContainer[StorageFault]
    image_count: int
    used_bytes: int
    capacity_bytes: int
    def __init__(self, storage_id: _Optional[str] = ..., role: _Optional[_Union[ReplicationRole, str]] = ..., config: _Optional[_Union[ReplicationConfig, _Mapping]] = ..., paused: _Optional[bool] = ..., lag: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., backlog_objects: _Optional[int] = ..., backlog_bytes: _Optional[int] = ..., last_replicated_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_replicated_label: _Optional[str] = ..., last_replicated_sequence: _Optional[int] = ..., replicated_objects: _Optional[int] = ..., failures: _Optional[int] = ..., last_error: _Optional[str] = ..., autocopy_pending: _Optional[int] = ..., active_faults: _Optional[_Iterable[_Union[StorageFault, _Mapping]]] = ..., image_count: _Optional[int] = ..., used_bytes: _Optional[int] = ..., capacity_bytes: _Optional[int] = ...) -> None: ...

class ReplicationEvent(_message.Message):
    __slots__ = ("sequence", "kind", "time", "label", "labeled", "attempt", "message")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    kind: ReplicationEventKind
    time: _timestamp_pb2.Timestamp
    label: str
    labeled: bool
    attempt: int
    message: str
    def __init__(self, sequence: _Optional[int] = ..., kind: _Optional[_Union[ReplicationEventKind, str]] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., label: _Optional[str] = ..., labeled: _Optional[bool] = ..., attempt: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class ReplicatedObject(_message.Message):
    __slots__ = ("image", "deleted", "source_sequence")
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    SOURCE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    image: VolumeImage
    deleted: bool
    source_sequence: int
    def __init__(self, image: _Optional[_Union[VolumeImage, _Mapping]] = ..., deleted: _Optional[bool] = ..., source_sequence: _Optional[int] = ...) -> None: ...

class PutImageRequest(_message.Message):
    __slots__ = ("image", "chunk")
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    image: VolumeImage
    chunk: ImageChunk
    def __init__(self, image: _Optional[_Union[VolumeImage, _Mapping]] = ..., chunk: _Optional[_Union[ImageChunk, _Mapping]] = ...) -> None: ...

class PutImageResponse(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: VolumeImage
    def __init__(self, image: _Optional[_Union[VolumeImage, _Mapping]] = ...) -> None: ...

class GetImageRequest(_message.Message):
    __slots__ = ("label", "labeled", "parts", "chunk_size", "verify_checksum")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    PARTS_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    VERIFY_CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    label: str
    labeled: bool
    parts: _containers.RepeatedScalarFieldContainer[ImagePart]
    chunk_size: int
    verify_checksum: bool
    def __init__(self, label: _Optional[str] = ..., labeled: _Optional[bool] = ..., parts: _Optional[_Iterable[_Union[ImagePart, str]]] = ..., chunk_size: _Optional[int] = ..., verify_checksum: _Optional[bool] = ...) -> None: ...

class GetImageResponse(_message.Message):
    __slots__ = ("image", "chunk")
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    image: VolumeImage
    chunk: ImageChunk
    def __init__(self, image: _Optional[_Union[VolumeImage, _Mapping]] = ..., chunk: _Optional[_Union[ImageChunk, _Mapping]] = ...) -> None: ...

class StatImageRequest(_message.Message):
    __slots__ = ("label", "labeled")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    label: str
    labeled: bool
    def __init__(self, label: _Optional[str] = ..., labeled: _Optional[bool] = ...) -> None: ...

class StatImageResponse(_message.Message):
    __slots__ = ("found", "image")
    FOUND_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    found: bool
    image: VolumeImage
    def __init__(self, found: _Optional[bool] = ..., image: _Optional[_Union[VolumeImage, _Mapping]] = ...) -> None: ...

class ListImagesRequest(_message.Message):
    __slots__ = ("pattern", "page")
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    pattern: str
    page: _common_pb2.PageRequest
    def __init__(self, pattern: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListImagesResponse(_message.Message):
    __slots__ = ("images", "page")
    IMAGES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    images: _containers.RepeatedCompositeFieldContainer[VolumeImage]
    page: _common_pb2.PageResponse
    def __init__(self, images: _Optional[_Iterable[_Union[VolumeImage, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class DeleteImageRequest(_message.Message):
    __slots__ = ("label", "labeled")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    label: str
    labeled: bool
    def __init__(self, label: _Optional[str] = ..., labeled: _Optional[bool] = ...) -> None: ...

class DeleteImageResponse(_message.Message):
    __slots__ = ("deleted",)
    DELETED_FIELD_NUMBER: _ClassVar[int]
    deleted: bool
    def __init__(self, deleted: _Optional[bool] = ...) -> None: ...

class ConfigureReplicationRequest(_message.Message):
    __slots__ = ("config", "replicate_existing")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    REPLICATE_EXISTING_FIELD_NUMBER: _ClassVar[int]
    config: ReplicationConfig
    replicate_existing: bool
    def __init__(self, config: _Optional[_Union[ReplicationConfig, _Mapping]] = ..., replicate_existing: _Optional[bool] = ...) -> None: ...

class ConfigureReplicationResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: ReplicationStatus
    def __init__(self, status: _Optional[_Union[ReplicationStatus, _Mapping]] = ...) -> None: ...

class PauseReplicationRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PauseReplicationResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: ReplicationStatus
    def __init__(self, status: _Optional[_Union[ReplicationStatus, _Mapping]] = ...) -> None: ...

class ResumeReplicationRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResumeReplicationResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: ReplicationStatus
    def __init__(self, status: _Optional[_Union[ReplicationStatus, _Mapping]] = ...) -> None: ...

class ReverseReplicationRequest(_message.Message):
    __slots__ = ("force",)
    FORCE_FIELD_NUMBER: _ClassVar[int]
    force: bool
    def __init__(self, force: _Optional[bool] = ...) -> None: ...

class ReverseReplicationResponse(_message.Message):
    __slots__ = ("status", "dropped_labels")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DROPPED_LABELS_FIELD_NUMBER: _ClassVar[int]
    status: ReplicationStatus
    dropped_labels: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[ReplicationStatus, _Mapping]] = ..., dropped_labels: _Optional[_Iterable[str]] = ...) -> None: ...

class SyncRequest(_message.Message):
    __slots__ = ("timeout", "ignore_lag", "labels")
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    IGNORE_LAG_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    timeout: _duration_pb2.Duration
    ignore_lag: bool
    labels: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., ignore_lag: _Optional[bool] = ..., labels: _Optional[_Iterable[str]] = ...) -> None: ...

class SyncResponse(_message.Message):
    __slots__ = ("caught_up", "status")
    CAUGHT_UP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    caught_up: bool
    status: ReplicationStatus
    def __init__(self, caught_up: _Optional[bool] = ..., status: _Optional[_Union[ReplicationStatus, _Mapping]] = ...) -> None: ...

class GetReplicationStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetReplicationStatusResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: ReplicationStatus
    def __init__(self, status: _Optional[_Union[ReplicationStatus, _Mapping]] = ...) -> None: ...

class ListReplicationEventsRequest(_message.Message):
    __slots__ = ("after_sequence", "limit")
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    limit: int
    def __init__(self, after_sequence: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListReplicationEventsResponse(_message.Message):
    __slots__ = ("events", "last_sequence")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[ReplicationEvent]
    last_sequence: int
    def __init__(self, events: _Optional[_Iterable[_Union[ReplicationEvent, _Mapping]]] = ..., last_sequence: _Optional[int] = ...) -> None: ...

class ReplicateInRequest(_message.Message):
    __slots__ = ("source_storage_id", "object", "chunk", "source", "source_path")
    SOURCE_STORAGE_ID_FIELD_NUMBER: _ClassVar[int]
    OBJECT_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_PATH_FIELD_NUMBER: _ClassVar[int]
    source_storage_id: str
    object: ReplicatedObject
    chunk: ImageChunk
    source: _common_pb2.Endpoint
    source_path: str
    def __init__(self, source_storage_id: _Optional[str] = ..., object: _Optional[_Union[ReplicatedObject, _Mapping]] = ..., chunk: _Optional[_Union[ImageChunk, _Mapping]] = ..., source: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ..., source_path: _Optional[str] = ...) -> None: ...

class ReplicateInResponse(_message.Message):
    __slots__ = ("objects_applied", "objects_ignored", "bytes", "last_source_sequence")
    OBJECTS_APPLIED_FIELD_NUMBER: _ClassVar[int]
    OBJECTS_IGNORED_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    LAST_SOURCE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    objects_applied: int
    objects_ignored: int
    bytes: int
    last_source_sequence: int
    def __init__(self, objects_applied: _Optional[int] = ..., objects_ignored: _Optional[int] = ..., bytes: _Optional[int] = ..., last_source_sequence: _Optional[int] = ...) -> None: ...

class NotifyDismountRequest(_message.Message):
    __slots__ = ("label", "labeled", "access", "vtc_id", "drive_id", "time")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    VTC_ID_FIELD_NUMBER: _ClassVar[int]
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    label: str
    labeled: bool
    access: DismountAccess
    vtc_id: str
    drive_id: str
    time: _timestamp_pb2.Timestamp
    def __init__(self, label: _Optional[str] = ..., labeled: _Optional[bool] = ..., access: _Optional[_Union[DismountAccess, str]] = ..., vtc_id: _Optional[str] = ..., drive_id: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class NotifyDismountResponse(_message.Message):
    __slots__ = ("copy_scheduled", "reason")
    COPY_SCHEDULED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    copy_scheduled: bool
    reason: str
    def __init__(self, copy_scheduled: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class InjectStorageFaultRequest(_message.Message):
    __slots__ = ("kind", "label", "labeled", "count")
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    kind: StorageFaultKind
    label: str
    labeled: bool
    count: int
    def __init__(self, kind: _Optional[_Union[StorageFaultKind, str]] = ..., label: _Optional[str] = ..., labeled: _Optional[bool] = ..., count: _Optional[int] = ...) -> None: ...

class InjectStorageFaultResponse(_message.Message):
    __slots__ = ("fault",)
    FAULT_FIELD_NUMBER: _ClassVar[int]
    fault: StorageFault
    def __init__(self, fault: _Optional[_Union[StorageFault, _Mapping]] = ...) -> None: ...

class ClearStorageFaultRequest(_message.Message):
    __slots__ = ("fault_id",)
    FAULT_ID_FIELD_NUMBER: _ClassVar[int]
    fault_id: str
    def __init__(self, fault_id: _Optional[str] = ...) -> None: ...

class ClearStorageFaultResponse(_message.Message):
    __slots__ = ("cleared",)
    CLEARED_FIELD_NUMBER: _ClassVar[int]
    cleared: int
    def __init__(self, cleared: _Optional[int] = ...) -> None: ...
