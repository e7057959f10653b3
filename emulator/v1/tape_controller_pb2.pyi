import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from emulator.v1 import backbox_domain_pb2 as _backbox_domain_pb2
from emulator.v1 import media_catalog_pb2 as _media_catalog_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DriveStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DRIVE_STATUS_UNSPECIFIED: _ClassVar[DriveStatus]
    DRIVE_STATUS_FREE: _ClassVar[DriveStatus]
    DRIVE_STATUS_INUSE: _ClassVar[DriveStatus]
    DRIVE_STATUS_DOWN: _ClassVar[DriveStatus]
    DRIVE_STATUS_UNAVAILABLE: _ClassVar[DriveStatus]
DRIVE_STATUS_UNSPECIFIED: DriveStatus
DRIVE_STATUS_FREE: DriveStatus
DRIVE_STATUS_INUSE: DriveStatus
DRIVE_STATUS_DOWN: DriveStatus
DRIVE_STATUS_UNAVAILABLE: DriveStatus

class Drive(_message.Message):
    __slots__ = ("id", "vtc_id", "status", "mounted_label", "mode", "media_type", "node", "process", "mounted_time", "operation_id", "mount_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    VTC_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MOUNTED_LABEL_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    MOUNTED_TIME_FIELD_NUMBER: _ClassVar[int]
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    MOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    vtc_id: str
    status: DriveStatus
    mounted_label: str
    mode: _backbox_domain_pb2.MountMode
    media_type: str
    node: str
    process: str
    mounted_time: _timestamp_pb2.Timestamp
    operation_id: str
    mount_id: str
    def __init__(self, id: _Optional[str] = ..., vtc_id: _Optional[str] = ..., status: _Optional[_Union[DriveStatus, str]] = ..., mounted_label: _Optional[str] = ..., mode: _Optional[_Union[_backbox_domain_pb2.MountMode, str]] = ..., media_type: _Optional[str] = ..., node: _Optional[str] = ..., process: _Optional[str] = ..., mounted_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., operation_id: _Optional[str] = ..., mount_id: _Optional[str] = ...) -> None: ...

class TapeFileHeader(_message.Message):
    __slots__ = ("drive_id", "file_id", "generation", "version", "file_sequence", "creation_time", "expiration_time", "permanent", "label_type", "record_format", "record_length", "block_length", "owner", "mode", "file_section", "vol_index", "volset_id", "node", "process")
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FILE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CREATION_TIME_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    PERMANENT_FIELD_NUMBER: _ClassVar[int]
    LABEL_TYPE_FIELD_NUMBER: _ClassVar[int]
    RECORD_FORMAT_FIELD_NUMBER: _ClassVar[int]
    RECORD_LENGTH_FIELD_NUMBER: _ClassVar[int]
    BLOCK_LENGTH_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    FILE_SECTION_FIELD_NUMBER: _ClassVar[int]
    VOL_INDEX_FIELD_NUMBER: _ClassVar[int]
    VOLSET_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    drive_id: str
    file_id: str
    generation: int
    version: int
    file_sequence: int
    creation_time: _timestamp_pb2.Timestamp
    expiration_time: _timestamp_pb2.Timestamp
    permanent: bool
    label_type: _media_catalog_pb2.LabelType
    record_format: str
    record_length: int
    block_length: int
    owner: str
    mode: _media_catalog_pb2.TapeFileMode
    file_section: int
    vol_index: int
    volset_id: str
    node: str
    process: str
    def __init__(self, drive_id: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ..., file_sequence: _Optional[int] = ..., creation_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expiration_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., permanent: _Optional[bool] = ..., label_type: _Optional[_Union[_media_catalog_pb2.LabelType, str]] = ..., record_format: _Optional[str] = ..., record_length: _Optional[int] = ..., block_length: _Optional[int] = ..., owner: _Optional[str] = ..., mode: _Optional[_Union[_media_catalog_pb2.TapeFileMode, str]] = ..., file_section: _Optional[int] = ..., vol_index: _Optional[int] = ..., volset_id: _Optional[str] = ..., node: _Optional[str] = ..., process: _Optional[str] = ...) -> None: ...

class WrittenVolume(_message.Message):
    __slots__ = ("label", "tftov", "bytes", "blocks", "encrypted", "key_manager_id", "media_key_name", "operation_id")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TFTOV_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_FIELD_NUMBER: _ClassVar[int]
    KEY_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    label: str
    tftov: _media_catalog_pb2.TapeFileVolume
    bytes: int
    blocks: int
    encrypted: bool
    key_manager_id: str
    media_key_name: str
    operation_id: str
    def __init__(self, label: _Optional[str] = ..., tftov: _Optional[_Union[_media_catalog_pb2.TapeFileVolume, _Mapping]] = ..., bytes: _Optional[int] = ..., blocks: _Optional[int] = ..., encrypted: _Optional[bool] = ..., key_manager_id: _Optional[str] = ..., media_key_name: _Optional[str] = ..., operation_id: _Optional[str] = ...) -> None: ...

class ListDrivesRequest(_message.Message):
    __slots__ = ("status", "node")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    status: DriveStatus
    node: str
    def __init__(self, status: _Optional[_Union[DriveStatus, str]] = ..., node: _Optional[str] = ...) -> None: ...

class ListDrivesResponse(_message.Message):
    __slots__ = ("drives",)
    DRIVES_FIELD_NUMBER: _ClassVar[int]
    drives: _containers.RepeatedCompositeFieldContainer[Drive]
    def __init__(self, drives: _Optional[_Iterable[_Union[Drive, _Mapping]]] = ...) -> None: ...

class SetDriveStatusRequest(_message.Message):
    __slots__ = ("drive_id", "status", "force")
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    drive_id: str
    status: DriveStatus
    force: bool
    def __init__(self, drive_id: _Optional[str] = ..., status: _Optional[_Union[DriveStatus, str]] = ..., force: _Optional[bool] = ...) -> None: ...

class SetDriveStatusResponse(_message.Message):
    __slots__ = ("drive",)
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    drive: Drive
    def __init__(self, drive: _Optional[_Union[Drive, _Mapping]] = ...) -> None: ...

class MountRequest(_message.Message):
    __slots__ = ("label", "scratch_volume_group_id", "mode", "drive_id", "node", "process", "user", "type", "origin")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SCRATCH_VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    label: str
    scratch_volume_group_id: str
    mode: _backbox_domain_pb2.MountMode
    drive_id: str
    node: str
    process: str
    user: str
    type: _backbox_domain_pb2.TapeMountType
    origin: _backbox_domain_pb2.OperationOrigin
    def __init__(self, label: _Optional[str] = ..., scratch_volume_group_id: _Optional[str] = ..., mode: _Optional[_Union[_backbox_domain_pb2.MountMode, str]] = ..., drive_id: _Optional[str] = ..., node: _Optional[str] = ..., process: _Optional[str] = ..., user: _Optional[str] = ..., type: _Optional[_Union[_backbox_domain_pb2.TapeMountType, str]] = ..., origin: _Optional[_Union[_backbox_domain_pb2.OperationOrigin, str]] = ...) -> None: ...

class MountResponse(_message.Message):
    __slots__ = ("drive", "mount", "volume", "scratched")
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    MOUNT_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    SCRATCHED_FIELD_NUMBER: _ClassVar[int]
    drive: Drive
    mount: _backbox_domain_pb2.TapeMount
    volume: _backbox_domain_pb2.BackBoxVolume
    scratched: bool
    def __init__(self, drive: _Optional[_Union[Drive, _Mapping]] = ..., mount: _Optional[_Union[_backbox_domain_pb2.TapeMount, _Mapping]] = ..., volume: _Optional[_Union[_backbox_domain_pb2.BackBoxVolume, _Mapping]] = ..., scratched: _Optional[bool] = ...) -> None: ...

class WriteTapeFileRequest(_message.Message):
    __slots__ = ("header", "data")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    header: TapeFileHeader
    data: bytes
    def __init__(self, header: _Optional[_Union[TapeFileHeader, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class WriteTapeFileResponse(_message.Message):
    __slots__ = ("bytes_written", "blocks", "volumes", "checksum")
    BYTES_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    BLOCKS_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    bytes_written: int
    blocks: int
    volumes: _containers.RepeatedCompositeFieldContainer[WrittenVolume]
    checksum: str
    def __init__(self, bytes_written: _Optional[int] = ..., blocks: _Optional[int] = ..., volumes: _Optional[_Iterable[_Union[WrittenVolume, _Mapping]]] = ..., checksum: _Optional[str] = ...) -> None: ...

class ReadTapeFileRequest(_message.Message):
    __slots__ = ("drive_id", "file_id", "generation", "version", "file_sequence", "chunk_size", "labels_only", "node", "process")
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    FILE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    LABELS_ONLY_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    drive_id: str
    file_id: str
    generation: int
    version: int
    file_sequence: int
    chunk_size: int
    labels_only: bool
    node: str
    process: str
    def __init__(self, drive_id: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ..., file_sequence: _Optional[int] = ..., chunk_size: _Optional[int] = ..., labels_only: _Optional[bool] = ..., node: _Optional[str] = ..., process: _Optional[str] = ...) -> None: ...

class ReadTapeFileResponse(_message.Message):
    __slots__ = ("header", "data", "label", "end_of_file", "checksum")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    END_OF_FILE_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    header: TapeFileHeader
    data: bytes
    label: str
    end_of_file: bool
    checksum: str
    def __init__(self, header: _Optional[_Union[TapeFileHeader, _Mapping]] = ..., data: _Optional[bytes] = ..., label: _Optional[str] = ..., end_of_file: _Optional[bool] = ..., checksum: _Optional[str] = ...) -> None: ...

class UnloadRequest(_message.Message):
    __slots__ = ("drive_id", "label", "node", "process")
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    drive_id: str
    label: str
    node: str
    process: str
    def __init__(self, drive_id: _Optional[str] = ..., label: _Optional[str] = ..., node: _Optional[str] = ..., process: _Optional[str] = ...) -> None: ...

class UnloadResponse(_message.Message):
    __slots__ = ("label", "unload_time", "written", "volume", "event_sequence", "drive")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    UNLOAD_TIME_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    EVENT_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    label: str
    unload_time: _timestamp_pb2.Timestamp
    written: bool
    volume: _backbox_domain_pb2.BackBoxVolume
    event_sequence: int
    drive: Drive
    def __init__(self, label: _Optional[str] = ..., unload_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., written: _Optional[bool] = ..., volume: _Optional[_Union[_backbox_domain_pb2.BackBoxVolume, _Mapping]] = ..., event_sequence: _Optional[int] = ..., drive: _Optional[_Union[Drive, _Mapping]] = ...) -> None: ...

class GetMountStatusRequest(_message.Message):
    __slots__ = ("drive_id", "label", "mount_id")
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    MOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    drive_id: str
    label: str
    mount_id: str
    def __init__(self, drive_id: _Optional[str] = ..., label: _Optional[str] = ..., mount_id: _Optional[str] = ...) -> None: ...

class GetMountStatusResponse(_message.Message):
    __slots__ = ("drive", "mount")
    DRIVE_FIELD_NUMBER: _ClassVar[int]
    MOUNT_FIELD_NUMBER: _ClassVar[int]
    drive: Drive
    mount: _backbox_domain_pb2.TapeMount
    def __init__(self, drive: _Optional[_Union[Drive, _Mapping]] = ..., mount: _Optional[_Union[_backbox_domain_pb2.TapeMount, _Mapping]] = ...) -> None: ...

class ListMountRequestsRequest(_message.Message):
    __slots__ = ("status", "node", "limit")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    status: _backbox_domain_pb2.TapeMountStatus
    node: str
    limit: int
    def __init__(self, status: _Optional[_Union[_backbox_domain_pb2.TapeMountStatus, str]] = ..., node: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListMountRequestsResponse(_message.Message):
    __slots__ = ("mounts",)
    MOUNTS_FIELD_NUMBER: _ClassVar[int]
    mounts: _containers.RepeatedCompositeFieldContainer[_backbox_domain_pb2.TapeMount]
    def __init__(self, mounts: _Optional[_Iterable[_Union[_backbox_domain_pb2.TapeMount, _Mapping]]] = ...) -> None: ...
