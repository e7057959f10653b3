import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from emulator.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CatalogKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CATALOG_KIND_UNSPECIFIED: _ClassVar[CatalogKind]
    CATALOG_KIND_VOLCAT: _ClassVar[CatalogKind]
    CATALOG_KIND_FILECAT: _ClassVar[CatalogKind]

class LabelType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LABEL_TYPE_UNSPECIFIED: _ClassVar[LabelType]
    LABEL_TYPE_ANY: _ClassVar[LabelType]
    LABEL_TYPE_ANSI: _ClassVar[LabelType]
    LABEL_TYPE_IBM: _ClassVar[LabelType]
    LABEL_TYPE_BACKUP: _ClassVar[LabelType]

class VolumeStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VOLUME_STATUS_UNSPECIFIED: _ClassVar[VolumeStatus]
    VOLUME_STATUS_SCRATCH: _ClassVar[VolumeStatus]
    VOLUME_STATUS_ASSIGNED: _ClassVar[VolumeStatus]
    VOLUME_STATUS_RELEASED: _ClassVar[VolumeStatus]
    VOLUME_STATUS_BAD: _ClassVar[VolumeStatus]
    VOLUME_STATUS_INUSE: _ClassVar[VolumeStatus]
    VOLUME_STATUS_SELECTED: _ClassVar[VolumeStatus]
    VOLUME_STATUS_FULL: _ClassVar[VolumeStatus]

class TapeFileStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAPE_FILE_STATUS_UNSPECIFIED: _ClassVar[TapeFileStatus]
    TAPE_FILE_STATUS_VALID: _ClassVar[TapeFileStatus]
    TAPE_FILE_STATUS_INVALID: _ClassVar[TapeFileStatus]

class TapeFileMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAPE_FILE_MODE_UNSPECIFIED: _ClassVar[TapeFileMode]
    TAPE_FILE_MODE_BKVO: _ClassVar[TapeFileMode]
    TAPE_FILE_MODE_BKFI: _ClassVar[TapeFileMode]
    TAPE_FILE_MODE_BIFI: _ClassVar[TapeFileMode]
    TAPE_FILE_MODE_BIVO: _ClassVar[TapeFileMode]
    TAPE_FILE_MODE_USER: _ClassVar[TapeFileMode]

class DiskFileStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISK_FILE_STATUS_UNSPECIFIED: _ClassVar[DiskFileStatus]
    DISK_FILE_STATUS_VALID: _ClassVar[DiskFileStatus]
    DISK_FILE_STATUS_INVALID: _ClassVar[DiskFileStatus]

class MediaLevel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MEDIA_LEVEL_UNSPECIFIED: _ClassVar[MediaLevel]
    MEDIA_LEVEL_UNLABELED: _ClassVar[MediaLevel]
    MEDIA_LEVEL_NOCATALOG: _ClassVar[MediaLevel]
    MEDIA_LEVEL_COMPATIBLE: _ClassVar[MediaLevel]
    MEDIA_LEVEL_MEDIACAT: _ClassVar[MediaLevel]
    MEDIA_LEVEL_INTEGRATED: _ClassVar[MediaLevel]
CATALOG_KIND_UNSPECIFIED: CatalogKind
CATALOG_KIND_VOLCAT: CatalogKind
CATALOG_KIND_FILECAT: CatalogKind
LABEL_TYPE_UNSPECIFIED: LabelType
LABEL_TYPE_ANY: LabelType
LABEL_TYPE_ANSI: LabelType
LABEL_TYPE_IBM: LabelType
LABEL_TYPE_BACKUP: LabelType
VOLUME_STATUS_UNSPECIFIED: VolumeStatus
VOLUME_STATUS_SCRATCH: VolumeStatus
VOLUME_STATUS_ASSIGNED: VolumeStatus
VOLUME_STATUS_RELEASED: VolumeStatus
VOLUME_STATUS_BAD: VolumeStatus
VOLUME_STATUS_INUSE: VolumeStatus
VOLUME_STATUS_SELECTED: VolumeStatus
VOLUME_STATUS_FULL: VolumeStatus
TAPE_FILE_STATUS_UNSPECIFIED: TapeFileStatus
TAPE_FILE_STATUS_VALID: TapeFileStatus
TAPE_FILE_STATUS_INVALID: TapeFileStatus
TAPE_FILE_MODE_UNSPECIFIED: TapeFileMode
TAPE_FILE_MODE_BKVO: TapeFileMode
TAPE_FILE_MODE_BKFI: TapeFileMode
TAPE_FILE_MODE_BIFI: TapeFileMode
TAPE_FILE_MODE_BIVO: TapeFileMode
TAPE_FILE_MODE_USER: TapeFileMode
DISK_FILE_STATUS_UNSPECIFIED: DiskFileStatus
DISK_FILE_STATUS_VALID: DiskFileStatus
DISK_FILE_STATUS_INVALID: DiskFileStatus
MEDIA_LEVEL_UNSPECIFIED: MediaLevel
MEDIA_LEVEL_UNLABELED: MediaLevel
MEDIA_LEVEL_NOCATALOG: MediaLevel
MEDIA_LEVEL_COMPATIBLE: MediaLevel
MEDIA_LEVEL_MEDIACAT: MediaLevel
MEDIA_LEVEL_INTEGRATED: MediaLevel

class Catalog(_message.Message):
    __slots__ = ("name", "kind", "node", "subvolume")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    SUBVOLUME_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: CatalogKind
    node: str
    subvolume: str
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[CatalogKind, str]] = ..., node: _Optional[str] = ..., subvolume: _Optional[str] = ...) -> None: ...

class Pool(_message.Message):
    __slots__ = ("volcat", "name", "label", "density", "media_type", "autoscratch", "searchspace_in", "append", "last_scratch_volume")
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    DENSITY_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    AUTOSCRATCH_FIELD_NUMBER: _ClassVar[int]
    SEARCHSPACE_IN_FIELD_NUMBER: _ClassVar[int]
    APPEND_FIELD_NUMBER: _ClassVar[int]
    LAST_SCRATCH_VOLUME_FIELD_NUMBER: _ClassVar[int]
    volcat: str
    name: str
    label: LabelType
    density: str
    media_type: str
    autoscratch: bool
    searchspace_in: bool
    append: bool
    last_scratch_volume: str
    def __init__(self, volcat: _Optional[str] = ..., name: _Optional[str] = ..., label: _Optional[_Union[LabelType, str]] = ..., density: _Optional[str] = ..., media_type: _Optional[str] = ..., autoscratch: _Optional[bool] = ..., searchspace_in: _Optional[bool] = ..., append: _Optional[bool] = ..., last_scratch_volume: _Optional[str] = ...) -> None: ...

class MediaDefs(_message.Message):
    __slots__ = ("node", "default_volcat", "default_filecat", "default_pool", "level", "retention_days", "retention_permanent", "abend_retention_days", "automated", "compression", "ssl")
    NODE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_VOLCAT_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_FILECAT_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_POOL_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    RETENTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    RETENTION_PERMANENT_FIELD_NUMBER: _ClassVar[int]
    ABEND_RETENTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    AUTOMATED_FIELD_NUMBER: _ClassVar[int]
    COMPRESSION_FIELD_NUMBER: _ClassVar[int]
    SSL_FIELD_NUMBER: _ClassVar[int]
    node: str
    default_volcat: str
    default_filecat: str
    default_pool: str
    level: MediaLevel
    retention_days: int
    retention_permanent: bool
    abend_retention_days: int
    automated: bool
    compression: str
    ssl: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, node: _Optional[str] = ..., default_volcat: _Optional[str] = ..., default_filecat: _Optional[str] = ..., default_pool: _Optional[str] = ..., level: _Optional[_Union[MediaLevel, str]] = ..., retention_days: _Optional[int] = ..., retention_permanent: _Optional[bool] = ..., abend_retention_days: _Optional[int] = ..., automated: _Optional[bool] = ..., compression: _Optional[str] = ..., ssl: _Optional[_Iterable[str]] = ...) -> None: ...

class TapeVolume(_message.Message):
    __slots__ = ("volser", "volcat", "pool", "label", "media_type", "density", "status", "volset_id", "vol_index", "owner_id", "end_of_data_lba", "tape_format", "last_changed")
    VOLSER_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    DENSITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VOLSET_ID_FIELD_NUMBER: _ClassVar[int]
    VOL_INDEX_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    END_OF_DATA_LBA_FIELD_NUMBER: _ClassVar[int]
    TAPE_FORMAT_FIELD_NUMBER: _ClassVar[int]
    LAST_CHANGED_FIELD_NUMBER: _ClassVar[int]
    volser: str
    volcat: str
    pool: str
    label: LabelType
    media_type: str
    density: str
    status: VolumeStatus
    volset_id: str
    vol_index: int
    owner_id: str
    end_of_data_lba: int
    tape_format: str
    last_changed: _timestamp_pb2.Timestamp
    def __init__(self, volser: _Optional[str] = ..., volcat: _Optional[str] = ..., pool: _Optional[str] = ..., label: _Optional[_Union[LabelType, str]] = ..., media_type: _Optional[str] = ..., density: _Optional[str] = ..., status: _Optional[_Union[VolumeStatus, str]] = ..., volset_id: _Optional[str] = ..., vol_index: _Optional[int] = ..., owner_id: _Optional[str] = ..., end_of_data_lba: _Optional[int] = ..., tape_format: _Optional[str] = ..., last_changed: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TapeFileVolume(_message.Message):
    __slots__ = ("volser", "vol_index", "file_section", "file_sequence", "file_seq_label_lba")
    VOLSER_FIELD_NUMBER: _ClassVar[int]
    VOL_INDEX_FIELD_NUMBER: _ClassVar[int]
    FILE_SECTION_FIELD_NUMBER: _ClassVar[int]
    FILE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    FILE_SEQ_LABEL_LBA_FIELD_NUMBER: _ClassVar[int]
    volser: str
    vol_index: int
    file_section: int
    file_sequence: int
    file_seq_label_lba: int
    def __init__(self, volser: _Optional[str] = ..., vol_index: _Optional[int] = ..., file_section: _Optional[int] = ..., file_sequence: _Optional[int] = ..., file_seq_label_lba: _Optional[int] = ...) -> None: ...

class TapeFile(_message.Message):
    __slots__ = ("filecat", "file_id", "generation", "version", "physical_copy", "logical_copy", "creation_time", "expiration_time", "permanent", "record_format", "record_length", "block_length", "mode", "catalog_files", "status", "volcat", "pool", "volset_id", "comment", "volumes")
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    PHYSICAL_COPY_FIELD_NUMBER: _ClassVar[int]
    LOGICAL_COPY_FIELD_NUMBER: _ClassVar[int]
    CREATION_TIME_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    PERMANENT_FIELD_NUMBER: _ClassVar[int]
    RECORD_FORMAT_FIELD_NUMBER: _ClassVar[int]
    RECORD_LENGTH_FIELD_NUMBER: _ClassVar[int]
    BLOCK_LENGTH_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    VOLSET_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    file_id: str
    generation: int
    version: int
    physical_copy: int
    logical_copy: int
    creation_time: _timestamp_pb2.Timestamp
    expiration_time: _timestamp_pb2.Timestamp
    permanent: bool
    record_format: str
    record_length: int
    block_length: int
    mode: TapeFileMode
    catalog_files: bool
    status: TapeFileStatus
    volcat: str
    pool: str
    volset_id: str
    comment: str
    volumes: _containers.RepeatedCompositeFieldContainer[TapeFileVolume]
    def __init__(self, filecat: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ..., physical_copy: _Optional[int] = ..., logical_copy: _Optional[int] = ..., creation_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expiration_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., permanent: _Optional[bool] = ..., record_format: _Optional[str] = ..., record_length: _Optional[int] = ..., block_length: _Optional[int] = ..., mode: _Optional[_Union[TapeFileMode, str]] = ..., catalog_files: _Optional[bool] = ..., status: _Optional[_Union[TapeFileStatus, str]] = ..., volcat: _Optional[str] = ..., pool: _Optional[str] = ..., volset_id: _Optional[str] = ..., comment: _Optional[str] = ..., volumes: _Optional[_Iterable[_Union[TapeFileVolume, _Mapping]]] = ...) -> None: ...

class DiskFile(_message.Message):
    __slots__ = ("filecat", "disk_file_name", "time_dumped", "physical_copy", "logical_copy", "file_id", "generation", "version", "status", "opened", "broken", "rfneeded", "corrupt", "audited", "file_code", "volset_id", "vol_index")
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    TIME_DUMPED_FIELD_NUMBER: _ClassVar[int]
    PHYSICAL_COPY_FIELD_NUMBER: _ClassVar[int]
    LOGICAL_COPY_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OPENED_FIELD_NUMBER: _ClassVar[int]
    BROKEN_FIELD_NUMBER: _ClassVar[int]
    RFNEEDED_FIELD_NUMBER: _ClassVar[int]
    CORRUPT_FIELD_NUMBER: _ClassVar[int]
    AUDITED_FIELD_NUMBER: _ClassVar[int]
    FILE_CODE_FIELD_NUMBER: _ClassVar[int]
    VOLSET_ID_FIELD_NUMBER: _ClassVar[int]
    VOL_INDEX_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    disk_file_name: str
    time_dumped: _timestamp_pb2.Timestamp
    physical_copy: int
    logical_copy: int
    file_id: str
    generation: int
    version: int
    status: DiskFileStatus
    opened: bool
    broken: bool
    rfneeded: bool
    corrupt: bool
    audited: bool
    file_code: int
    volset_id: str
    vol_index: int
    def __init__(self, filecat: _Optional[str] = ..., disk_file_name: _Optional[str] = ..., time_dumped: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., physical_copy: _Optional[int] = ..., logical_copy: _Optional[int] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ..., status: _Optional[_Union[DiskFileStatus, str]] = ..., opened: _Optional[bool] = ..., broken: _Optional[bool] = ..., rfneeded: _Optional[bool] = ..., corrupt: _Optional[bool] = ..., audited: _Optional[bool] = ..., file_code: _Optional[int] = ..., volset_id: _Optional[str] = ..., vol_index: _Optional[int] = ...) -> None: ...

class TapeFileKey(_message.Message):
    __slots__ = ("filecat", "file_id", "generation", "version")
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    file_id: str
    generation: int
    version: int
    def __init__(self, filecat: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ...) -> None: ...

class CreateCatalogRequest(_message.Message):
    __slots__ = ("catalog",)
    CATALOG_FIELD_NUMBER: _ClassVar[int]
    catalog: Catalog
    def __init__(self, catalog: _Optional[_Union[Catalog, _Mapping]] = ...) -> None: ...

class CreateCatalogResponse(_message.Message):
    __slots__ = ("catalog",)
    CATALOG_FIELD_NUMBER: _ClassVar[int]
    catalog: Catalog
    def __init__(self, catalog: _Optional[_Union[Catalog, _Mapping]] = ...) -> None: ...

class ListCatalogsRequest(_message.Message):
    __slots__ = ("kind",)
    KIND_FIELD_NUMBER: _ClassVar[int]
    kind: CatalogKind
    def __init__(self, kind: _Optional[_Union[CatalogKind, str]] = ...) -> None: ...

class ListCatalogsResponse(_message.Message):
    __slots__ = ("catalogs",)
    CATALOGS_FIELD_NUMBER: _ClassVar[int]
    catalogs: _containers.RepeatedCompositeFieldContainer[Catalog]
    def __init__(self, catalogs: _Optional[_Iterable[_Union[Catalog, _Mapping]]] = ...) -> None: ...

class AddPoolRequest(_message.Message):
    __slots__ = ("pool",)
    POOL_FIELD_NUMBER: _ClassVar[int]
    pool: Pool
    def __init__(self, pool: _Optional[_Union[Pool, _Mapping]] = ...) -> None: ...

class AddPoolResponse(_message.Message):
    __slots__ = ("pool",)
    POOL_FIELD_NUMBER: _ClassVar[int]
    pool: Pool
    def __init__(self, pool: _Optional[_Union[Pool, _Mapping]] = ...) -> None: ...

class AlterPoolRequest(_message.Message):
    __slots__ = ("pool", "field_mask")
    POOL_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    pool: Pool
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, pool: _Optional[_Union[Pool, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ...) -> None: ...

class AlterPoolResponse(_message.Message):
    __slots__ = ("pool",)
    POOL_FIELD_NUMBER: _ClassVar[int]
    pool: Pool
    def __init__(self, pool: _Optional[_Union[Pool, _Mapping]] = ...) -> None: ...

class DeletePoolRequest(_message.Message):
    __slots__ = ("volcat", "name")
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    volcat: str
    name: str
    def __init__(self, volcat: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class DeletePoolResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListPoolsRequest(_message.Message):
    __slots__ = ("volcat",)
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    volcat: str
    def __init__(self, volcat: _Optional[str] = ...) -> None: ...

class ListPoolsResponse(_message.Message):
    __slots__ = ("pools",)
    POOLS_FIELD_NUMBER: _ClassVar[int]
    pools: _containers.RepeatedCompositeFieldContainer[Pool]
    def __init__(self, pools: _Optional[_Iterable[_Union[Pool, _Mapping]]] = ...) -> None: ...

class GetMediaDefsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetMediaDefsResponse(_message.Message):
    __slots__ = ("media_defs",)
    MEDIA_DEFS_FIELD_NUMBER: _ClassVar[int]
    media_defs: MediaDefs
    def __init__(self, media_defs: _Optional[_Union[MediaDefs, _Mapping]] = ...) -> None: ...

class AlterMediaDefsRequest(_message.Message):
    __slots__ = ("media_defs", "field_mask", "user")
    MEDIA_DEFS_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    media_defs: MediaDefs
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    user: str
    def __init__(self, media_defs: _Optional[_Union[MediaDefs, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ..., user: _Optional[str] = ...) -> None: ...

class AlterMediaDefsResponse(_message.Message):
    __slots__ = ("media_defs",)
    MEDIA_DEFS_FIELD_NUMBER: _ClassVar[int]
    media_defs: MediaDefs
    def __init__(self, media_defs: _Optional[_Union[MediaDefs, _Mapping]] = ...) -> None: ...

class AddTapeVolumeRequest(_message.Message):
    __slots__ = ("volume", "user")
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    volume: TapeVolume
    user: str
    def __init__(self, volume: _Optional[_Union[TapeVolume, _Mapping]] = ..., user: _Optional[str] = ...) -> None: ...

class AddTapeVolumeResponse(_message.Message):
    __slots__ = ("volume", "unreachable_nodes")
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    UNREACHABLE_NODES_FIELD_NUMBER: _ClassVar[int]
    volume: TapeVolume
    unreachable_nodes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, volume: _Optional[_Union[TapeVolume, _Mapping]] = ..., unreachable_nodes: _Optional[_Iterable[str]] = ...) -> None: ...

class AlterTapeVolumeRequest(_message.Message):
    __slots__ = ("volsers", "volcat", "status", "user")
    VOLSERS_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    volsers: _containers.RepeatedScalarFieldContainer[str]
    volcat: str
    status: VolumeStatus
    user: str
    def __init__(self, volsers: _Optional[_Iterable[str]] = ..., volcat: _Optional[str] = ..., status: _Optional[_Union[VolumeStatus, str]] = ..., user: _Optional[str] = ...) -> None: ...

class AlterTapeVolumeResponse(_message.Message):
    __slots__ = ("volumes",)
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    volumes: _containers.RepeatedCompositeFieldContainer[TapeVolume]
    def __init__(self, volumes: _Optional[_Iterable[_Union[TapeVolume, _Mapping]]] = ...) -> None: ...

class DeleteTapeVolumeRequest(_message.Message):
    __slots__ = ("volser", "volcat", "user")
    VOLSER_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    volser: str
    volcat: str
    user: str
    def __init__(self, volser: _Optional[str] = ..., volcat: _Optional[str] = ..., user: _Optional[str] = ...) -> None: ...

class DeleteTapeVolumeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetTapeVolumeRequest(_message.Message):
    __slots__ = ("volser", "volcat")
    VOLSER_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    volser: str
    volcat: str
    def __init__(self, volser: _Optional[str] = ..., volcat: _Optional[str] = ...) -> None: ...

class GetTapeVolumeResponse(_message.Message):
    __slots__ = ("volume", "files")
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    volume: TapeVolume
    files: _containers.RepeatedCompositeFieldContainer[TapeFile]
    def __init__(self, volume: _Optional[_Union[TapeVolume, _Mapping]] = ..., files: _Optional[_Iterable[_Union[TapeFile, _Mapping]]] = ...) -> None: ...

class ListTapeVolumesRequest(_message.Message):
    __slots__ = ("volcat", "pool", "status", "pattern", "page")
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    volcat: str
    pool: str
    status: VolumeStatus
    pattern: str
    page: _common_pb2.PageRequest
    def __init__(self, volcat: _Optional[str] = ..., pool: _Optional[str] = ..., status: _Optional[_Union[VolumeStatus, str]] = ..., pattern: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTapeVolumesResponse(_message.Message):
    __slots__ = ("volumes", "page")
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    volumes: _containers.RepeatedCompositeFieldContainer[TapeVolume]
    page: _common_pb2.PageResponse
    def __init__(self, volumes: _Optional[_Iterable[_Union[TapeVolume, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class CheckLabelRequest(_message.Message):
    __slots__ = ("volser", "local_only")
    VOLSER_FIELD_NUMBER: _ClassVar[int]
    LOCAL_ONLY_FIELD_NUMBER: _ClassVar[int]
    volser: str
    local_only: bool
    def __init__(self, volser: _Optional[str] = ..., local_only: _Optional[bool] = ...) -> None: ...

class LabelLocation(_message.Message):
    __slots__ = ("node", "volcat", "pool", "in_search_space")
    NODE_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    IN_SEARCH_SPACE_FIELD_NUMBER: _ClassVar[int]
    node: str
    volcat: str
    pool: str
    in_search_space: bool
    def __init__(self, node: _Optional[str] = ..., volcat: _Optional[str] = ..., pool: _Optional[str] = ..., in_search_space: _Optional[bool] = ...) -> None: ...

class CheckLabelResponse(_message.Message):
    __slots__ = ("locations", "unreachable_nodes")
    LOCATIONS_FIELD_NUMBER: _ClassVar[int]
    UNREACHABLE_NODES_FIELD_NUMBER: _ClassVar[int]
    locations: _containers.RepeatedCompositeFieldContainer[LabelLocation]
    unreachable_nodes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, locations: _Optional[_Iterable[_Union[LabelLocation, _Mapping]]] = ..., unreachable_nodes: _Optional[_Iterable[str]] = ...) -> None: ...

class AddTapeFileRequest(_message.Message):
    __slots__ = ("file", "user")
    FILE_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    file: TapeFile
    user: str
    def __init__(self, file: _Optional[_Union[TapeFile, _Mapping]] = ..., user: _Optional[str] = ...) -> None: ...

class AddTapeFileResponse(_message.Message):
    __slots__ = ("file",)
    FILE_FIELD_NUMBER: _ClassVar[int]
    file: TapeFile
    def __init__(self, file: _Optional[_Union[TapeFile, _Mapping]] = ...) -> None: ...

class AlterTapeFileRequest(_message.Message):
    __slots__ = ("key", "expiration_time", "retention_days", "permanent", "status", "volume_set", "user")
    KEY_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    RETENTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    PERMANENT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_SET_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    key: TapeFileKey
    expiration_time: _timestamp_pb2.Timestamp
    retention_days: int
    permanent: bool
    status: TapeFileStatus
    volume_set: bool
    user: str
    def __init__(self, key: _Optional[_Union[TapeFileKey, _Mapping]] = ..., expiration_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., retention_days: _Optional[int] = ..., permanent: _Optional[bool] = ..., status: _Optional[_Union[TapeFileStatus, str]] = ..., volume_set: _Optional[bool] = ..., user: _Optional[str] = ...) -> None: ...

class AlterTapeFileResponse(_message.Message):
    __slots__ = ("files",)
    FILES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[TapeFile]
    def __init__(self, files: _Optional[_Iterable[_Union[TapeFile, _Mapping]]] = ...) -> None: ...

class DeleteTapeFileRequest(_message.Message):
    __slots__ = ("key", "all_generations", "user")
    KEY_FIELD_NUMBER: _ClassVar[int]
    ALL_GENERATIONS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    key: TapeFileKey
    all_generations: bool
    user: str
    def __init__(self, key: _Optional[_Union[TapeFileKey, _Mapping]] = ..., all_generations: _Optional[bool] = ..., user: _Optional[str] = ...) -> None: ...

class DeleteTapeFileResponse(_message.Message):
    __slots__ = ("files", "volumes")
    FILES_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[TapeFile]
    volumes: _containers.RepeatedCompositeFieldContainer[TapeVolume]
    def __init__(self, files: _Optional[_Iterable[_Union[TapeFile, _Mapping]]] = ..., volumes: _Optional[_Iterable[_Union[TapeVolume, _Mapping]]] = ...) -> None: ...

class GetTapeFileRequest(_message.Message):
    __slots__ = ("key",)
    KEY_FIELD_NUMBER: _ClassVar[int]
    key: TapeFileKey
    def __init__(self, key: _Optional[_Union[TapeFileKey, _Mapping]] = ...) -> None: ...

class GetTapeFileResponse(_message.Message):
    __slots__ = ("file",)
    FILE_FIELD_NUMBER: _ClassVar[int]
    file: TapeFile
    def __init__(self, file: _Optional[_Union[TapeFile, _Mapping]] = ...) -> None: ...

class ListTapeFilesRequest(_message.Message):
    __slots__ = ("filecat", "file_id_pattern", "volser", "status", "page")
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_PATTERN_FIELD_NUMBER: _ClassVar[int]
    VOLSER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    file_id_pattern: str
    volser: str
    status: TapeFileStatus
    page: _common_pb2.PageRequest
    def __init__(self, filecat: _Optional[str] = ..., file_id_pattern: _Optional[str] = ..., volser: _Optional[str] = ..., status: _Optional[_Union[TapeFileStatus, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListTapeFilesResponse(_message.Message):
    __slots__ = ("files", "page")
    FILES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[TapeFile]
    page: _common_pb2.PageResponse
    def __init__(self, files: _Optional[_Iterable[_Union[TapeFile, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class NextGenerationRequest(_message.Message):
    __slots__ = ("filecat", "file_id")
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    file_id: str
    def __init__(self, filecat: _Optional[str] = ..., file_id: _Optional[str] = ...) -> None: ...

class NextGenerationResponse(_message.Message):
    __slots__ = ("generation",)
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    generation: int
    def __init__(self, generation: _Optional[int] = ...) -> None: ...

class ListDiskFilesRequest(_message.Message):
    __slots__ = ("filecat", "pattern", "file_id", "generation", "all_statuses", "chunk_size")
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    ALL_STATUSES_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    pattern: str
    file_id: str
    generation: int
    all_statuses: bool
    chunk_size: int
    def __init__(self, filecat: _Optional[str] = ..., pattern: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., all_statuses: _Optional[bool] = ..., chunk_size: _Optional[int] = ...) -> None: ...

class ListDiskFilesResponse(_message.Message):
    __slots__ = ("files",)
    FILES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[DiskFile]
    def __init__(self, files: _Optional[_Iterable[_Union[DiskFile, _Mapping]]] = ...) -> None: ...

class ReadVolumeEntriesRequest(_message.Message):
    __slots__ = ("volcat", "filecat", "volsers", "pool", "include_disk_files", "disk_file_chunk")
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    VOLSERS_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DISK_FILES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_CHUNK_FIELD_NUMBER: _ClassVar[int]
    volcat: str
    filecat: str
    volsers: _containers.RepeatedScalarFieldContainer[str]
    pool: str
    include_disk_files: bool
    disk_file_chunk: int
    def __init__(self, volcat: _Optional[str] = ..., filecat: _Optional[str] = ..., volsers: _Optional[_Iterable[str]] = ..., pool: _Optional[str] = ..., include_disk_files: _Optional[bool] = ..., disk_file_chunk: _Optional[int] = ...) -> None: ...

class ReadVolumeEntriesResponse(_message.Message):
    __slots__ = ("volser", "found", "volume", "files", "disk_files", "continued")
    VOLSER_FIELD_NUMBER: _ClassVar[int]
    FOUND_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_FIELD_NUMBER: _ClassVar[int]
    CONTINUED_FIELD_NUMBER: _ClassVar[int]
    volser: str
    found: bool
    volume: TapeVolume
    files: _containers.RepeatedCompositeFieldContainer[TapeFile]
    disk_files: _containers.RepeatedCompositeFieldContainer[DiskFile]
    continued: bool
    def __init__(self, volser: _Optional[str] = ..., found: _Optional[bool] = ..., volume: _Optional[_Union[TapeVolume, _Mapping]] = ..., files: _Optional[_Iterable[_Union[TapeFile, _Mapping]]] = ..., disk_files: _Optional[_Iterable[_Union[DiskFile, _Mapping]]] = ..., continued: _Optional[bool] = ...) -> None: ...

class CatalogOp(_message.Message):
    __slots__ = ("upsert_tape_volume", "delete_tape_volume", "upsert_tape_file", "delete_tape_file", "upsert_disk_file", "delete_disk_file", "delete_disk_files")
    UPSERT_TAPE_VOLUME_FIELD_NUMBER: _ClassVar[int]
    DELETE_TAPE_VOLUME_FIELD_NUMBER: _ClassVar[int]
    UPSERT_TAPE_FILE_FIELD_NUMBER: _ClassVar[int]
    DELETE_TAPE_FILE_FIELD_NUMBER: _ClassVar[int]
    UPSERT_DISK_FILE_FIELD_NUMBER: _ClassVar[int]
    DELETE_DISK_FILE_FIELD_NUMBER: _ClassVar[int]
    DELETE_DISK_FILES_FIELD_NUMBER: _ClassVar[int]
    upsert_tape_volume: TapeVolume
    delete_tape_volume: TapeVolume
    upsert_tape_file: TapeFile
    delete_tape_file: TapeFileKey
    upsert_disk_file: DiskFile
    delete_disk_file: DiskFile
    delete_disk_files: DiskFileSelector
    def __init__(self, upsert_tape_volume: _Optional[_Union[TapeVolume, _Mapping]] = ..., delete_tape_volume: _Optional[_Union[TapeVolume, _Mapping]] = ..., upsert_tape_file: _Optional[_Union[TapeFile, _Mapping]] = ..., delete_tape_file: _Optional[_Union[TapeFileKey, _Mapping]] = ..., upsert_disk_file: _Optional[_Union[DiskFile, _Mapping]] = ..., delete_disk_file: _Optional[_Union[DiskFile, _Mapping]] = ..., delete_disk_files: _Optional[_Union[DiskFileSelector, _Mapping]] = ...) -> None: ...

class DiskFileSelector(_message.Message):
    __slots__ = ("filecat", "file_id", "generation", "volset_id")
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VOLSET_ID_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    file_id: str
    generation: int
    volset_id: str
    def __init__(self, filecat: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., volset_id: _Optional[str] = ...) -> None: ...

class BatchOptions(_message.Message):
    __slots__ = ("label", "check_search_space", "create_catalogs", "process", "reject_units")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    CHECK_SEARCH_SPACE_FIELD_NUMBER: _ClassVar[int]
    CREATE_CATALOGS_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    REJECT_UNITS_FIELD_NUMBER: _ClassVar[int]
    label: str
    check_search_space: bool
    create_catalogs: bool
    process: str
    reject_units: bool
    def __init__(self, label: _Optional[str] = ..., check_search_space: _Optional[bool] = ..., create_catalogs: _Optional[bool] = ..., process: _Optional[str] = ..., reject_units: _Optional[bool] = ...) -> None: ...

class ApplyBatchRequest(_message.Message):
    __slots__ = ("options", "ops", "commit", "unit", "unit_group")
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    OPS_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_GROUP_FIELD_NUMBER: _ClassVar[int]
    options: BatchOptions
    ops: _containers.RepeatedCompositeFieldContainer[CatalogOp]
    commit: bool
    unit: str
    unit_group: str
    def __init__(self, options: _Optional[_Union[BatchOptions, _Mapping]] = ..., ops: _Optional[_Iterable[_Union[CatalogOp, _Mapping]]] = ..., commit: _Optional[bool] = ..., unit: _Optional[str] = ..., unit_group: _Optional[str] = ...) -> None: ...

class UnitRejection(_message.Message):
    __slots__ = ("unit", "unit_group", "reason", "mediacom_error")
    UNIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_GROUP_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MEDIACOM_ERROR_FIELD_NUMBER: _ClassVar[int]
    unit: str
    unit_group: str
    reason: str
    mediacom_error: int
    def __init__(self, unit: _Optional[str] = ..., unit_group: _Optional[str] = ..., reason: _Optional[str] = ..., mediacom_error: _Optional[int] = ...) -> None: ...

class OpCounts(_message.Message):
    __slots__ = ("added", "updated", "unchanged", "deleted")
    ADDED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    added: int
    updated: int
    unchanged: int
    deleted: int
    def __init__(self, added: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ..., deleted: _Optional[int] = ...) -> None: ...

class ApplyBatchResponse(_message.Message):
    __slots__ = ("ops", "tape_volumes", "tape_files", "disk_files", "transaction_id", "commits", "rejections", "skipped_units")
    OPS_FIELD_NUMBER: _ClassVar[int]
    TAPE_VOLUMES_FIELD_NUMBER: _ClassVar[int]
    TAPE_FILES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    COMMITS_FIELD_NUMBER: _ClassVar[int]
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_UNITS_FIELD_NUMBER: _ClassVar[int]
    ops: int
    tape_volumes: OpCounts
    tape_files: OpCounts
    disk_files: OpCounts
    transaction_id: int
    commits: int
    rejections: _containers.RepeatedCompositeFieldContainer[UnitRejection]
    skipped_units: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, ops: _Optional[int] = ..., tape_volumes: _Optional[_Union[OpCounts, _Mapping]] = ..., tape_files: _Optional[_Union[OpCounts, _Mapping]] = ..., disk_files: _Optional[_Union[OpCounts, _Mapping]] = ..., transaction_id: _Optional[int] = ..., commits: _Optional[int] = ..., rejections: _Optional[_Iterable[_Union[UnitRejection, _Mapping]]] = ..., skipped_units: _Optional[_Iterable[str]] = ...) -> None: ...

class ExpireTapeFilesRequest(_message.Message):
    __slots__ = ("filecat",)
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    filecat: str
    def __init__(self, filecat: _Optional[str] = ...) -> None: ...

class ExpireTapeFilesResponse(_message.Message):
    __slots__ = ("invalidated", "removed", "volumes_changed")
    INVALIDATED_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_CHANGED_FIELD_NUMBER: _ClassVar[int]
    invalidated: _containers.RepeatedCompositeFieldContainer[TapeFileKey]
    removed: _containers.RepeatedCompositeFieldContainer[TapeFileKey]
    volumes_changed: _containers.RepeatedCompositeFieldContainer[TapeVolume]
    def __init__(self, invalidated: _Optional[_Iterable[_Union[TapeFileKey, _Mapping]]] = ..., removed: _Optional[_Iterable[_Union[TapeFileKey, _Mapping]]] = ..., volumes_changed: _Optional[_Iterable[_Union[TapeVolume, _Mapping]]] = ...) -> None: ...

class MediacomRequest(_message.Message):
    __slots__ = ("text", "user")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    text: str
    user: str
    def __init__(self, text: _Optional[str] = ..., user: _Optional[str] = ...) -> None: ...

class MediacomResponse(_message.Message):
    __slots__ = ("output", "ok", "error_code")
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    OK_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    output: str
    ok: bool
    error_code: int
    def __init__(self, output: _Optional[str] = ..., ok: _Optional[bool] = ..., error_code: _Optional[int] = ...) -> None: ...
