import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from emulator.v1 import common_pb2 as _common_pb2
from emulator.v1 import media_catalog_pb2 as _media_catalog_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DataStoreType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_STORE_TYPE_UNSPECIFIED: _ClassVar[DataStoreType]
    DATA_STORE_TYPE_WINDISK: _ClassVar[DataStoreType]
    DATA_STORE_TYPE_QORESTOR: _ClassVar[DataStoreType]
    DATA_STORE_TYPE_STOREONCE: _ClassVar[DataStoreType]
    DATA_STORE_TYPE_DATADOMAIN: _ClassVar[DataStoreType]
    DATA_STORE_TYPE_COHESITY: _ClassVar[DataStoreType]

class DataStoreStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_STORE_STATUS_UNSPECIFIED: _ClassVar[DataStoreStatus]
    DATA_STORE_STATUS_ACTIVE: _ClassVar[DataStoreStatus]
    DATA_STORE_STATUS_INACTIVE: _ClassVar[DataStoreStatus]

class DomainAccess(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOMAIN_ACCESS_UNSPECIFIED: _ClassVar[DomainAccess]
    DOMAIN_ACCESS_PRIMARY: _ClassVar[DomainAccess]
    DOMAIN_ACCESS_SECONDARY: _ClassVar[DomainAccess]
    DOMAIN_ACCESS_RESTRICTED: _ClassVar[DomainAccess]

class StoragePoolKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STORAGE_POOL_KIND_UNSPECIFIED: _ClassVar[StoragePoolKind]
    STORAGE_POOL_KIND_STORAGE: _ClassVar[StoragePoolKind]
    STORAGE_POOL_KIND_SPARE: _ClassVar[StoragePoolKind]
    STORAGE_POOL_KIND_COPY: _ClassVar[StoragePoolKind]

class TapeCatalogType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAPE_CATALOG_TYPE_UNSPECIFIED: _ClassVar[TapeCatalogType]
    TAPE_CATALOG_TYPE_NONE: _ClassVar[TapeCatalogType]
    TAPE_CATALOG_TYPE_DSMTC: _ClassVar[TapeCatalogType]
    TAPE_CATALOG_TYPE_TMF: _ClassVar[TapeCatalogType]
    TAPE_CATALOG_TYPE_QTOS: _ClassVar[TapeCatalogType]
    TAPE_CATALOG_TYPE_CA: _ClassVar[TapeCatalogType]

class KeyPolicy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KEY_POLICY_UNSPECIFIED: _ClassVar[KeyPolicy]
    KEY_POLICY_PER_TAPE: _ClassVar[KeyPolicy]
    KEY_POLICY_PER_DRIVE: _ClassVar[KeyPolicy]

class VolumeOperation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VOLUME_OPERATION_UNSPECIFIED: _ClassVar[VolumeOperation]
    VOLUME_OPERATION_LOAD: _ClassVar[VolumeOperation]
    VOLUME_OPERATION_MATERIALIZE: _ClassVar[VolumeOperation]
    VOLUME_OPERATION_SCRATCH: _ClassVar[VolumeOperation]
    VOLUME_OPERATION_MOVE: _ClassVar[VolumeOperation]
    VOLUME_OPERATION_DELETE: _ClassVar[VolumeOperation]
    VOLUME_OPERATION_CATALOG_DETACH: _ClassVar[VolumeOperation]

class MountMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MOUNT_MODE_UNSPECIFIED: _ClassVar[MountMode]
    MOUNT_MODE_INPUT: _ClassVar[MountMode]
    MOUNT_MODE_OUTPUT: _ClassVar[MountMode]

class TapeMountStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAPE_MOUNT_STATUS_UNSPECIFIED: _ClassVar[TapeMountStatus]
    TAPE_MOUNT_STATUS_PENDING: _ClassVar[TapeMountStatus]
    TAPE_MOUNT_STATUS_NO_RESOURCE: _ClassVar[TapeMountStatus]
    TAPE_MOUNT_STATUS_FAILED: _ClassVar[TapeMountStatus]
    TAPE_MOUNT_STATUS_LOADING: _ClassVar[TapeMountStatus]
    TAPE_MOUNT_STATUS_LOADED: _ClassVar[TapeMountStatus]
    TAPE_MOUNT_STATUS_NO_MORE_RETRY: _ClassVar[TapeMountStatus]
    TAPE_MOUNT_STATUS_UNLOADED: _ClassVar[TapeMountStatus]

class TapeMountType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAPE_MOUNT_TYPE_UNSPECIFIED: _ClassVar[TapeMountType]
    TAPE_MOUNT_TYPE_ZSVR: _ClassVar[TapeMountType]
    TAPE_MOUNT_TYPE_PRELOAD: _ClassVar[TapeMountType]

class DataStoreOperation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATA_STORE_OPERATION_UNSPECIFIED: _ClassVar[DataStoreOperation]
    DATA_STORE_OPERATION_VOLUME_CREATION: _ClassVar[DataStoreOperation]
    DATA_STORE_OPERATION_EXPORT: _ClassVar[DataStoreOperation]
    DATA_STORE_OPERATION_IMPORT: _ClassVar[DataStoreOperation]
    DATA_STORE_OPERATION_LOAD_INPUT: _ClassVar[DataStoreOperation]
    DATA_STORE_OPERATION_LOAD_OUTPUT: _ClassVar[DataStoreOperation]
    DATA_STORE_OPERATION_OBB017: _ClassVar[DataStoreOperation]

class OperationOrigin(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OPERATION_ORIGIN_UNSPECIFIED: _ClassVar[OperationOrigin]
    OPERATION_ORIGIN_AUTOMATIC: _ClassVar[OperationOrigin]
    OPERATION_ORIGIN_UI: _ClassVar[OperationOrigin]
    OPERATION_ORIGIN_MACRO: _ClassVar[OperationOrigin]
    OPERATION_ORIGIN_TAPE_APPLICATION: _ClassVar[OperationOrigin]

class VolumeEventKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VOLUME_EVENT_KIND_UNSPECIFIED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_CREATED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_UNLOADED_AFTER_WRITE: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_UNLOADED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_CATALOG_STATUS_CHANGED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_UPDATED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_DELETED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_DETACHED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_IMPORTED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_EXPORTED: _ClassVar[VolumeEventKind]
    VOLUME_EVENT_KIND_OPERATION_RESET: _ClassVar[VolumeEventKind]

class VolumeEventSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VOLUME_EVENT_SOURCE_UNSPECIFIED: _ClassVar[VolumeEventSource]
    VOLUME_EVENT_SOURCE_VTC: _ClassVar[VolumeEventSource]
    VOLUME_EVENT_SOURCE_OBB017: _ClassVar[VolumeEventSource]
    VOLUME_EVENT_SOURCE_INTERACTIVE: _ClassVar[VolumeEventSource]
    VOLUME_EVENT_SOURCE_IMPORT: _ClassVar[VolumeEventSource]
    VOLUME_EVENT_SOURCE_EXPORT: _ClassVar[VolumeEventSource]

class CleanupStep(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLEANUP_STEP_UNSPECIFIED: _ClassVar[CleanupStep]
    CLEANUP_STEP_FREE_EXPIRED: _ClassVar[CleanupStep]
    CLEANUP_STEP_DEL_BACKEDUP: _ClassVar[CleanupStep]
    CLEANUP_STEP_CHECK_SPACE: _ClassVar[CleanupStep]

class ProblemSeverity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROBLEM_SEVERITY_UNSPECIFIED: _ClassVar[ProblemSeverity]
    PROBLEM_SEVERITY_WARNING: _ClassVar[ProblemSeverity]
    PROBLEM_SEVERITY_ERROR: _ClassVar[ProblemSeverity]

class CatalogSyncLink(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CATALOG_SYNC_LINK_UNSPECIFIED: _ClassVar[CatalogSyncLink]
    CATALOG_SYNC_LINK_EXPORT_STATUS: _ClassVar[CatalogSyncLink]
    CATALOG_SYNC_LINK_IMPORT_STATUS: _ClassVar[CatalogSyncLink]

class UpsertResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UPSERT_RESULT_UNSPECIFIED: _ClassVar[UpsertResult]
    UPSERT_RESULT_ADDED: _ClassVar[UpsertResult]
    UPSERT_RESULT_UPDATED: _ClassVar[UpsertResult]
    UPSERT_RESULT_UNCHANGED: _ClassVar[UpsertResult]
    UPSERT_RESULT_REJECTED: _ClassVar[UpsertResult]
DATA_STORE_TYPE_UNSPECIFIED: DataStoreType
DATA_STORE_TYPE_WINDISK: DataStoreType
DATA_STORE_TYPE_QORESTOR: DataStoreType
DATA_STORE_TYPE_STOREONCE: DataStoreType
DATA_STORE_TYPE_DATADOMAIN: DataStoreType
DATA_STORE_TYPE_COHESITY: DataStoreType
DATA_STORE_STATUS_UNSPECIFIED: DataStoreStatus
DATA_STORE_STATUS_ACTIVE: DataStoreStatus
DATA_STORE_STATUS_INACTIVE: DataStoreStatus
DOMAIN_ACCESS_UNSPECIFIED: DomainAccess
DOMAIN_ACCESS_PRIMARY: DomainAccess
DOMAIN_ACCESS_SECONDARY: DomainAccess
DOMAIN_ACCESS_RESTRICTED: DomainAccess
STORAGE_POOL_KIND_UNSPECIFIED: StoragePoolKind
STORAGE_POOL_KIND_STORAGE: StoragePoolKind
STORAGE_POOL_KIND_SPARE: StoragePoolKind
STORAGE_POOL_KIND_COPY: StoragePoolKind
TAPE_CATALOG_TYPE_UNSPECIFIED: TapeCatalogType
TAPE_CATALOG_TYPE_NONE: TapeCatalogType
TAPE_CATALOG_TYPE_DSMTC: TapeCatalogType
TAPE_CATALOG_TYPE_TMF: TapeCatalogType
TAPE_CATALOG_TYPE_QTOS: TapeCatalogType
TAPE_CATALOG_TYPE_CA: TapeCatalogType
KEY_POLICY_UNSPECIFIED: KeyPolicy
KEY_POLICY_PER_TAPE: KeyPolicy
KEY_POLICY_PER_DRIVE: KeyPolicy
VOLUME_OPERATION_UNSPECIFIED: VolumeOperation
VOLUME_OPERATION_LOAD: VolumeOperation
VOLUME_OPERATION_MATERIALIZE: VolumeOperation
VOLUME_OPERATION_SCRATCH: VolumeOperation
VOLUME_OPERATION_MOVE: VolumeOperation
VOLUME_OPERATION_DELETE: VolumeOperation
VOLUME_OPERATION_CATALOG_DETACH: VolumeOperation
MOUNT_MODE_UNSPECIFIED: MountMode
MOUNT_MODE_INPUT: MountMode
MOUNT_MODE_OUTPUT: MountMode
TAPE_MOUNT_STATUS_UNSPECIFIED: TapeMountStatus
TAPE_MOUNT_STATUS_PENDING: TapeMountStatus
TAPE_MOUNT_STATUS_NO_RESOURCE: TapeMountStatus
TAPE_MOUNT_STATUS_FAILED: TapeMountStatus
TAPE_MOUNT_STATUS_LOADING: TapeMountStatus
TAPE_MOUNT_STATUS_LOADED: TapeMountStatus
TAPE_MOUNT_STATUS_NO_MORE_RETRY: TapeMountStatus
TAPE_MOUNT_STATUS_UNLOADED: TapeMountStatus
TAPE_MOUNT_TYPE_UNSPECIFIED: TapeMountType
TAPE_MOUNT_TYPE_ZSVR: TapeMountType
TAPE_MOUNT_TYPE_PRELOAD: TapeMountType
DATA_STORE_OPERATION_UNSPECIFIED: DataStoreOperation
DATA_STORE_OPERATION_VOLUME_CREATION: DataStoreOperation
DATA_STORE_OPERATION_EXPORT: DataStoreOperation
DATA_STORE_OPERATION_IMPORT: DataStoreOperation
DATA_STORE_OPERATION_LOAD_INPUT: DataStoreOperation
DATA_STORE_OPERATION_LOAD_OUTPUT: DataStoreOperation
DATA_STORE_OPERATION_OBB017: DataStoreOperation
OPERATION_ORIGIN_UNSPECIFIED: OperationOrigin
OPERATION_ORIGIN_AUTOMATIC: OperationOrigin
OPERATION_ORIGIN_UI: OperationOrigin
OPERATION_ORIGIN_MACRO: OperationOrigin
OPERATION_ORIGIN_TAPE_APPLICATION: OperationOrigin
VOLUME_EVENT_KIND_UNSPECIFIED: VolumeEventKind
VOLUME_EVENT_KIND_CREATED: VolumeEventKind
VOLUME_EVENT_KIND_UNLOADED_AFTER_WRITE: VolumeEventKind
VOLUME_EVENT_KIND_UNLOADED: VolumeEventKind
VOLUME_EVENT_KIND_CATALOG_STATUS_CHANGED: VolumeEventKind
VOLUME_EVENT_KIND_UPDATED: VolumeEventKind
VOLUME_EVENT_KIND_DELETED: VolumeEventKind
VOLUME_EVENT_KIND_DETACHED: VolumeEventKind
VOLUME_EVENT_KIND_IMPORTED: VolumeEventKind
VOLUME_EVENT_KIND_EXPORTED: VolumeEventKind
VOLUME_EVENT_KIND_OPERATION_RESET: VolumeEventKind
VOLUME_EVENT_SOURCE_UNSPECIFIED: VolumeEventSource
VOLUME_EVENT_SOURCE_VTC: VolumeEventSource
VOLUME_EVENT_SOURCE_OBB017: VolumeEventSource
VOLUME_EVENT_SOURCE_INTERACTIVE: VolumeEventSource
VOLUME_EVENT_SOURCE_IMPORT: VolumeEventSource
VOLUME_EVENT_SOURCE_EXPORT: VolumeEventSource
CLEANUP_STEP_UNSPECIFIED: CleanupStep
CLEANUP_STEP_FREE_EXPIRED: CleanupStep
CLEANUP_STEP_DEL_BACKEDUP: CleanupStep
CLEANUP_STEP_CHECK_SPACE: CleanupStep
PROBLEM_SEVERITY_UNSPECIFIED: ProblemSeverity
PROBLEM_SEVERITY_WARNING: ProblemSeverity
PROBLEM_SEVERITY_ERROR: ProblemSeverity
CATALOG_SYNC_LINK_UNSPECIFIED: CatalogSyncLink
CATALOG_SYNC_LINK_EXPORT_STATUS: CatalogSyncLink
CATALOG_SYNC_LINK_IMPORT_STATUS: CatalogSyncLink
UPSERT_RESULT_UNSPECIFIED: UpsertResult
UPSERT_RESULT_ADDED: UpsertResult
UPSERT_RESULT_UPDATED: UpsertResult
UPSERT_RESULT_UNCHANGED: UpsertResult
UPSERT_RESULT_REJECTED: UpsertResult

class License(_message.Message):
    __slots__ = ("key", "options", "expiry_date")
    KEY_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    EXPIRY_DATE_FIELD_NUMBER: _ClassVar[int]
    key: str
    options: _containers.RepeatedScalarFieldContainer[str]
    expiry_date: str
    def __init__(self, key: _Optional[str] = ..., options: _Optional[_Iterable[str]] = ..., expiry_date: _Optional[str] = ...) -> None: ...

class LicenseStatus(_message.Message):
    __slots__ = ("valid", "expired", "options", "catalog_sync", "expiry_date", "days_to_expiry", "warning", "warning_code", "warning_text")
    VALID_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    CATALOG_SYNC_FIELD_NUMBER: _ClassVar[int]
    EXPIRY_DATE_FIELD_NUMBER: _ClassVar[int]
    DAYS_TO_EXPIRY_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    WARNING_CODE_FIELD_NUMBER: _ClassVar[int]
    WARNING_TEXT_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    expired: bool
    options: _containers.RepeatedScalarFieldContainer[str]
    catalog_sync: bool
    expiry_date: str
    days_to_expiry: int
    warning: bool
    warning_code: str
    warning_text: str
    def __init__(self, valid: _Optional[bool] = ..., expired: _Optional[bool] = ..., options: _Optional[_Iterable[str]] = ..., catalog_sync: _Optional[bool] = ..., expiry_date: _Optional[str] = ..., days_to_expiry: _Optional[int] = ..., warning: _Optional[bool] = ..., warning_code: _Optional[str] = ..., warning_text: _Optional[str] = ...) -> None: ...

class DomainConfig(_message.Message):
    __slots__ = ("domain_id", "description", "ems_verbose", "license", "domain_manager_node", "ems_collector", "mount_delay_threshold_minutes", "daily_cleanup_time")
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EMS_VERBOSE_FIELD_NUMBER: _ClassVar[int]
    LICENSE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_MANAGER_NODE_FIELD_NUMBER: _ClassVar[int]
    EMS_COLLECTOR_FIELD_NUMBER: _ClassVar[int]
    MOUNT_DELAY_THRESHOLD_MINUTES_FIELD_NUMBER: _ClassVar[int]
    DAILY_CLEANUP_TIME_FIELD_NUMBER: _ClassVar[int]
    domain_id: str
    description: str
    ems_verbose: bool
    license: License
    domain_manager_node: str
    ems_collector: str
    mount_delay_threshold_minutes: int
    daily_cleanup_time: str
    def __init__(self, domain_id: _Optional[str] = ..., description: _Optional[str] = ..., ems_verbose: _Optional[bool] = ..., license: _Optional[_Union[License, _Mapping]] = ..., domain_manager_node: _Optional[str] = ..., ems_collector: _Optional[str] = ..., mount_delay_threshold_minutes: _Optional[int] = ..., daily_cleanup_time: _Optional[str] = ...) -> None: ...

class NskNode(_message.Message):
    __slots__ = ("name", "expand_number", "install_subvolume", "domain_manager", "ems_extractor_process", "endpoints")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXPAND_NUMBER_FIELD_NUMBER: _ClassVar[int]
    INSTALL_SUBVOLUME_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_MANAGER_FIELD_NUMBER: _ClassVar[int]
    EMS_EXTRACTOR_PROCESS_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    expand_number: int
    install_subvolume: str
    domain_manager: bool
    ems_extractor_process: str
    endpoints: _containers.RepeatedCompositeFieldContainer[_common_pb2.Endpoint]
    def __init__(self, name: _Optional[str] = ..., expand_number: _Optional[int] = ..., install_subvolume: _Optional[str] = ..., domain_manager: _Optional[bool] = ..., ems_extractor_process: _Optional[str] = ..., endpoints: _Optional[_Iterable[_Union[_common_pb2.Endpoint, _Mapping]]] = ...) -> None: ...

class Vtc(_message.Message):
    __slots__ = ("id", "host", "address", "drive_count", "media_types", "site")
    ID_FIELD_NUMBER: _ClassVar[int]
    HOST_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DRIVE_COUNT_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPES_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    id: str
    host: str
    address: _common_pb2.Endpoint
    drive_count: int
    media_types: _containers.RepeatedScalarFieldContainer[str]
    site: str
    def __init__(self, id: _Optional[str] = ..., host: _Optional[str] = ..., address: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ..., drive_count: _Optional[int] = ..., media_types: _Optional[_Iterable[str]] = ..., site: _Optional[str] = ...) -> None: ...

class KeyManagerRef(_message.Message):
    __slots__ = ("id", "server_name", "address", "protocol")
    ID_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_FIELD_NUMBER: _ClassVar[int]
    id: str
    server_name: str
    address: _common_pb2.Endpoint
    protocol: str
    def __init__(self, id: _Optional[str] = ..., server_name: _Optional[str] = ..., address: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ..., protocol: _Optional[str] = ...) -> None: ...

class StoragePool(_message.Message):
    __slots__ = ("kind", "path", "rank", "reserved_for", "storage_id", "storage")
    KIND_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    RANK_FIELD_NUMBER: _ClassVar[int]
    RESERVED_FOR_FIELD_NUMBER: _ClassVar[int]
    STORAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STORAGE_FIELD_NUMBER: _ClassVar[int]
    kind: StoragePoolKind
    path: str
    rank: int
    reserved_for: str
    storage_id: str
    storage: _common_pb2.Endpoint
    def __init__(self, kind: _Optional[_Union[StoragePoolKind, str]] = ..., path: _Optional[str] = ..., rank: _Optional[int] = ..., reserved_for: _Optional[str] = ..., storage_id: _Optional[str] = ..., storage: _Optional[_Union[_common_pb2.Endpoint, _Mapping]] = ...) -> None: ...

class ExportConfig(_message.Message):
    __slots__ = ("full_export_frequency_days", "export_check_delay_minutes", "report_location", "export_destination", "priority", "include_disk_files")
    FULL_EXPORT_FREQUENCY_DAYS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_CHECK_DELAY_MINUTES_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    EXPORT_DESTINATION_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DISK_FILES_FIELD_NUMBER: _ClassVar[int]
    full_export_frequency_days: int
    export_check_delay_minutes: int
    report_location: str
    export_destination: str
    priority: int
    include_disk_files: bool
    def __init__(self, full_export_frequency_days: _Optional[int] = ..., export_check_delay_minutes: _Optional[int] = ..., report_location: _Optional[str] = ..., export_destination: _Optional[str] = ..., priority: _Optional[int] = ..., include_disk_files: _Optional[bool] = ...) -> None: ...

class NodeReplacement(_message.Message):
    __slots__ = ("old_node", "new_node")
    OLD_NODE_FIELD_NUMBER: _ClassVar[int]
    NEW_NODE_FIELD_NUMBER: _ClassVar[int]
    old_node: str
    new_node: str
    def __init__(self, old_node: _Optional[str] = ..., new_node: _Optional[str] = ...) -> None: ...

class ImportConfig(_message.Message):
    __slots__ = ("import_source", "report_location", "priority", "max_disk_files_per_transaction", "secondary_shares_node_name", "non_dedicated_catalog", "node_replacements")
    IMPORT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    MAX_DISK_FILES_PER_TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_SHARES_NODE_NAME_FIELD_NUMBER: _ClassVar[int]
    NON_DEDICATED_CATALOG_FIELD_NUMBER: _ClassVar[int]
    NODE_REPLACEMENTS_FIELD_NUMBER: _ClassVar[int]
    import_source: str
    report_location: str
    priority: int
    max_disk_files_per_transaction: int
    secondary_shares_node_name: bool
    non_dedicated_catalog: bool
    node_replacements: _containers.RepeatedCompositeFieldContainer[NodeReplacement]
    def __init__(self, import_source: _Optional[str] = ..., report_location: _Optional[str] = ..., priority: _Optional[int] = ..., max_disk_files_per_transaction: _Optional[int] = ..., secondary_shares_node_name: _Optional[bool] = ..., non_dedicated_catalog: _Optional[bool] = ..., node_replacements: _Optional[_Iterable[_Union[NodeReplacement, _Mapping]]] = ...) -> None: ...

class DataStore(_message.Message):
    __slots__ = ("id", "type", "status", "domain_access", "primary_data_store_id", "description", "user_account", "password_set", "disk_space_warning_threshold_percent", "check_volume_timestamp", "storage_optimization", "archive_bit_support", "encryption_at_rest", "use_qorestor_replication", "use_qorestor_cloud_tier", "worm_compatibility", "qorestor_policies", "pools", "export_config", "import_config")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ACCESS_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    USER_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_SET_FIELD_NUMBER: _ClassVar[int]
    DISK_SPACE_WARNING_THRESHOLD_PERCENT_FIELD_NUMBER: _ClassVar[int]
    CHECK_VOLUME_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    STORAGE_OPTIMIZATION_FIELD_NUMBER: _ClassVar[int]
    ARCHIVE_BIT_SUPPORT_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTION_AT_REST_FIELD_NUMBER: _ClassVar[int]
    USE_QORESTOR_REPLICATION_FIELD_NUMBER: _ClassVar[int]
    USE_QORESTOR_CLOUD_TIER_FIELD_NUMBER: _ClassVar[int]
    WORM_COMPATIBILITY_FIELD_NUMBER: _ClassVar[int]
    QORESTOR_POLICIES_FIELD_NUMBER: _ClassVar[int]
    POOLS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    IMPORT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: DataStoreType
    status: DataStoreStatus
    domain_access: DomainAccess
    primary_data_store_id: str
    description: str
    user_account: str
    password_set: bool
    disk_space_warning_threshold_percent: int
    check_volume_timestamp: bool
    storage_optimization: str
    archive_bit_support: bool
    encryption_at_rest: bool
    use_qorestor_replication: bool
    use_qorestor_cloud_tier: bool
    worm_compatibility: bool
    qorestor_policies: str
    pools: _containers.RepeatedCompositeFieldContainer[StoragePool]
    export_config: ExportConfig
    import_config: ImportConfig
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[DataStoreType, str]] = ..., status: _Optional[_Union[DataStoreStatus, str]] = ..., domain_access: _Optional[_Union[DomainAccess, str]] = ..., primary_data_store_id: _Optional[str] = ..., description: _Optional[str] = ..., user_account: _Optional[str] = ..., password_set: _Optional[bool] = ..., disk_space_warning_threshold_percent: _Optional[int] = ..., check_volume_timestamp: _Optional[bool] = ..., storage_optimization: _Optional[str] = ..., archive_bit_support: _Optional[bool] = ..., encryption_at_rest: _Optional[bool] = ..., use_qorestor_replication: _Optional[bool] = ..., use_qorestor_cloud_tier: _Optional[bool] = ..., worm_compatibility: _Optional[bool] = ..., qorestor_policies: _Optional[str] = ..., pools: _Optional[_Iterable[_Union[StoragePool, _Mapping]]] = ..., export_config: _Optional[_Union[ExportConfig, _Mapping]] = ..., import_config: _Optional[_Union[ImportConfig, _Mapping]] = ...) -> None: ...

class VolumeGroup(_message.Message):
    __slots__ = ("id", "description", "data_store_id", "primary_volume_group_id", "tape_catalog", "auto_scratch_at_load", "delete_expired_volumes", "auto_alter_tapemount", "media_type", "warning_threshold_percent", "delete_backedup_files", "days_past_last_update", "days_past_last_access", "min_file_size_for_deletion_bytes", "volcat", "pool", "filecat", "compression_algorithm", "volume_class", "max_volume_size_mb", "encryption_algorithm", "key_manager_id", "key_policy", "tmf_node")
    ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    TAPE_CATALOG_FIELD_NUMBER: _ClassVar[int]
    AUTO_SCRATCH_AT_LOAD_FIELD_NUMBER: _ClassVar[int]
    DELETE_EXPIRED_VOLUMES_FIELD_NUMBER: _ClassVar[int]
    AUTO_ALTER_TAPEMOUNT_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    WARNING_THRESHOLD_PERCENT_FIELD_NUMBER: _ClassVar[int]
    DELETE_BACKEDUP_FILES_FIELD_NUMBER: _ClassVar[int]
    DAYS_PAST_LAST_UPDATE_FIELD_NUMBER: _ClassVar[int]
    DAYS_PAST_LAST_ACCESS_FIELD_NUMBER: _ClassVar[int]
    MIN_FILE_SIZE_FOR_DELETION_BYTES_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    COMPRESSION_ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    VOLUME_CLASS_FIELD_NUMBER: _ClassVar[int]
    MAX_VOLUME_SIZE_MB_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTION_ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    KEY_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_POLICY_FIELD_NUMBER: _ClassVar[int]
    TMF_NODE_FIELD_NUMBER: _ClassVar[int]
    id: str
    description: str
    data_store_id: str
    primary_volume_group_id: str
    tape_catalog: TapeCatalogType
    auto_scratch_at_load: bool
    delete_expired_volumes: bool
    auto_alter_tapemount: bool
    media_type: str
    warning_threshold_percent: int
    delete_backedup_files: bool
    days_past_last_update: int
    days_past_last_access: int
    min_file_size_for_deletion_bytes: int
    volcat: str
    pool: str
    filecat: str
    compression_algorithm: str
    volume_class: str
    max_volume_size_mb: int
    encryption_algorithm: str
    key_manager_id: str
    key_policy: KeyPolicy
    tmf_node: str
    def __init__(self, id: _Optional[str] = ..., description: _Optional[str] = ..., data_store_id: _Optional[str] = ..., primary_volume_group_id: _Optional[str] = ..., tape_catalog: _Optional[_Union[TapeCatalogType, str]] = ..., auto_scratch_at_load: _Optional[bool] = ..., delete_expired_volumes: _Optional[bool] = ..., auto_alter_tapemount: _Optional[bool] = ..., media_type: _Optional[str] = ..., warning_threshold_percent: _Optional[int] = ..., delete_backedup_files: _Optional[bool] = ..., days_past_last_update: _Optional[int] = ..., days_past_last_access: _Optional[int] = ..., min_file_size_for_deletion_bytes: _Optional[int] = ..., volcat: _Optional[str] = ..., pool: _Optional[str] = ..., filecat: _Optional[str] = ..., compression_algorithm: _Optional[str] = ..., volume_class: _Optional[str] = ..., max_volume_size_mb: _Optional[int] = ..., encryption_algorithm: _Optional[str] = ..., key_manager_id: _Optional[str] = ..., key_policy: _Optional[_Union[KeyPolicy, str]] = ..., tmf_node: _Optional[str] = ...) -> None: ...

class ConfigurationProblem(_message.Message):
    __slots__ = ("severity", "code", "object_kind", "object_id", "field", "message", "fix")
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    OBJECT_KIND_FIELD_NUMBER: _ClassVar[int]
    OBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIX_FIELD_NUMBER: _ClassVar[int]
    severity: ProblemSeverity
    code: str
    object_kind: str
    object_id: str
    field: str
    message: str
    fix: str
    def __init__(self, severity: _Optional[_Union[ProblemSeverity, str]] = ..., code: _Optional[str] = ..., object_kind: _Optional[str] = ..., object_id: _Optional[str] = ..., field: _Optional[str] = ..., message: _Optional[str] = ..., fix: _Optional[str] = ...) -> None: ...

class TapeFileRef(_message.Message):
    __slots__ = ("file_id", "generation", "version", "vol_index")
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    VOL_INDEX_FIELD_NUMBER: _ClassVar[int]
    file_id: str
    generation: int
    version: int
    vol_index: int
    def __init__(self, file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ..., vol_index: _Optional[int] = ...) -> None: ...

class BackBoxVolume(_message.Message):
    __slots__ = ("label", "labeled", "volume_group_id", "data_store_id", "volume_timestamp", "current_operation", "operation_id", "operation_started", "operation_vtc_id", "operation_drive_id", "automatic_mount", "owner_node", "owner_user", "read_access", "write_access", "control_access", "comment", "max_size_mb", "catalog_type", "volcat", "pool", "filecat", "tmf_node", "catalog_status", "first_non_expired_tape_file", "last_index_path", "last_data_path", "encrypted", "encryption_algorithm", "key_manager_id", "media_key_name", "unload_time", "created_time", "last_written_time", "expired", "pending_export", "materialized", "media_type", "data_bytes", "index_bytes", "change_sequence", "imported_export_id", "imported_time")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LABELED_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    CURRENT_OPERATION_FIELD_NUMBER: _ClassVar[int]
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    OPERATION_STARTED_FIELD_NUMBER: _ClassVar[int]
    OPERATION_VTC_ID_FIELD_NUMBER: _ClassVar[int]
    OPERATION_DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    AUTOMATIC_MOUNT_FIELD_NUMBER: _ClassVar[int]
    OWNER_NODE_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_FIELD_NUMBER: _ClassVar[int]
    READ_ACCESS_FIELD_NUMBER: _ClassVar[int]
    WRITE_ACCESS_FIELD_NUMBER: _ClassVar[int]
    CONTROL_ACCESS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    MAX_SIZE_MB_FIELD_NUMBER: _ClassVar[int]
    CATALOG_TYPE_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    TMF_NODE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_STATUS_FIELD_NUMBER: _ClassVar[int]
    FIRST_NON_EXPIRED_TAPE_FILE_FIELD_NUMBER: _ClassVar[int]
    LAST_INDEX_PATH_FIELD_NUMBER: _ClassVar[int]
    LAST_DATA_PATH_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTION_ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    KEY_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    UNLOAD_TIME_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_WRITTEN_TIME_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_FIELD_NUMBER: _ClassVar[int]
    PENDING_EXPORT_FIELD_NUMBER: _ClassVar[int]
    MATERIALIZED_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_BYTES_FIELD_NUMBER: _ClassVar[int]
    INDEX_BYTES_FIELD_NUMBER: _ClassVar[int]
    CHANGE_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_TIME_FIELD_NUMBER: _ClassVar[int]
    label: str
    labeled: bool
    volume_group_id: str
    data_store_id: str
    volume_timestamp: _timestamp_pb2.Timestamp
    current_operation: VolumeOperation
    operation_id: str
    operation_started: _timestamp_pb2.Timestamp
    operation_vtc_id: str
    operation_drive_id: str
    automatic_mount: bool
    owner_node: str
    owner_user: str
    read_access: str
    write_access: str
    control_access: str
    comment: str
    max_size_mb: int
    catalog_type: TapeCatalogType
    volcat: str
    pool: str
    filecat: str
    tmf_node: str
    catalog_status: _media_catalog_pb2.VolumeStatus
    first_non_expired_tape_file: TapeFileRef
    last_index_path: str
    last_data_path: str
    encrypted: bool
    encryption_algorithm: str
    key_manager_id: str
    media_key_name: str
    unload_time: _timestamp_pb2.Timestamp
    created_time: _timestamp_pb2.Timestamp
    last_written_time: _timestamp_pb2.Timestamp
    expired: bool
    pending_export: bool
    materialized: bool
    media_type: str
    data_bytes: int
    index_bytes: int
    change_sequence: int
    imported_export_id: str
    imported_time: _timestamp_pb2.Timestamp
    def __init__(self, label: _Optional[str] = ..., labeled: _Optional[bool] = ..., volume_group_id: _Optional[str] = ..., data_store_id: _Optional[str] = ..., volume_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., current_operation: _Optional[_Union[VolumeOperation, str]] = ..., operation_id: _Optional[str] = ..., operation_started: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., operation_vtc_id: _Optional[str] = ..., operation_drive_id: _Optional[str] = ..., automatic_mount: _Optional[bool] = ..., owner_node: _Optional[str] = ..., owner_user: _Optional[str] = ..., read_access: _Optional[str] = ..., write_access: _Optional[str] = ..., control_access: _Optional[str] = ..., comment: _Optional[str] = ..., max_size_mb: _Optional[int] = ..., catalog_type: _Optional[_Union[TapeCatalogType, str]] = ..., volcat: _Optional[str] = ..., pool: _Optional[str] = ..., filecat: _Optional[str] = ..., tmf_node: _Optional[str] = ..., catalog_status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ..., first_non_expired_tape_file: _Optional[_Union[TapeFileRef, _Mapping]] = ..., last_index_path: _Optional[str] = ..., last_data_path: _Optional[str] = ..., encrypted: _Optional[bool] = ..., encryption_algorithm: _Optional[str] = ..., key_manager_id: _Optional[str] = ..., media_key_name: _Optional[str] = ..., unload_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_written_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expired: _Optional[bool] = ..., pending_export: _Optional[bool] = ..., materialized: _Optional[bool] = ..., media_type: _Optional[str] = ..., data_bytes: _Optional[int] = ..., index_bytes: _Optional[int] = ..., change_sequence: _Optional[int] = ..., imported_export_id: _Optional[str] = ..., imported_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TapeMount(_message.Message):
    __slots__ = ("id", "label", "scratch_volume_group_id", "mode", "status", "type", "node", "process", "vtc_id", "drive_id", "requested_time", "loaded_time", "attempts", "message", "operation_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SCRATCH_VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    VTC_ID_FIELD_NUMBER: _ClassVar[int]
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_TIME_FIELD_NUMBER: _ClassVar[int]
    LOADED_TIME_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    scratch_volume_group_id: str
    mode: MountMode
    status: TapeMountStatus
    type: TapeMountType
    node: str
    process: str
    vtc_id: str
    drive_id: str
    requested_time: _timestamp_pb2.Timestamp
    loaded_time: _timestamp_pb2.Timestamp
    attempts: int
    message: str
    operation_id: str
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ..., scratch_volume_group_id: _Optional[str] = ..., mode: _Optional[_Union[MountMode, str]] = ..., status: _Optional[_Union[TapeMountStatus, str]] = ..., type: _Optional[_Union[TapeMountType, str]] = ..., node: _Optional[str] = ..., process: _Optional[str] = ..., vtc_id: _Optional[str] = ..., drive_id: _Optional[str] = ..., requested_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., loaded_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., attempts: _Optional[int] = ..., message: _Optional[str] = ..., operation_id: _Optional[str] = ...) -> None: ...

class VolumeEvent(_message.Message):
    __slots__ = ("sequence", "kind", "source", "label", "data_store_id", "volume_group_id", "time", "export_trigger", "old_status", "new_status", "unload_time", "node", "process", "user", "detail")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    EXPORT_TRIGGER_FIELD_NUMBER: _ClassVar[int]
    OLD_STATUS_FIELD_NUMBER: _ClassVar[int]
    NEW_STATUS_FIELD_NUMBER: _ClassVar[int]
    UNLOAD_TIME_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    kind: VolumeEventKind
    source: VolumeEventSource
    label: str
    data_store_id: str
    volume_group_id: str
    time: _timestamp_pb2.Timestamp
    export_trigger: bool
    old_status: _media_catalog_pb2.VolumeStatus
    new_status: _media_catalog_pb2.VolumeStatus
    unload_time: _timestamp_pb2.Timestamp
    node: str
    process: str
    user: str
    detail: str
    def __init__(self, sequence: _Optional[int] = ..., kind: _Optional[_Union[VolumeEventKind, str]] = ..., source: _Optional[_Union[VolumeEventSource, str]] = ..., label: _Optional[str] = ..., data_store_id: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., export_trigger: _Optional[bool] = ..., old_status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ..., new_status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ..., unload_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., node: _Optional[str] = ..., process: _Optional[str] = ..., user: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class PendingExport(_message.Message):
    __slots__ = ("data_store_id", "label", "volume_group_id", "first_pending_time", "last_event_time", "unload_time", "last_sequence", "kinds", "event_count")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_PENDING_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_EVENT_TIME_FIELD_NUMBER: _ClassVar[int]
    UNLOAD_TIME_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    EVENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    label: str
    volume_group_id: str
    first_pending_time: _timestamp_pb2.Timestamp
    last_event_time: _timestamp_pb2.Timestamp
    unload_time: _timestamp_pb2.Timestamp
    last_sequence: int
    kinds: _containers.RepeatedScalarFieldContainer[VolumeEventKind]
    event_count: int
    def __init__(self, data_store_id: _Optional[str] = ..., label: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., first_pending_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_event_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., unload_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_sequence: _Optional[int] = ..., kinds: _Optional[_Iterable[_Union[VolumeEventKind, str]]] = ..., event_count: _Optional[int] = ...) -> None: ...

class AccessDecision(_message.Message):
    __slots__ = ("allowed", "reason", "rule", "catalog_only", "skipped", "domain_access", "status")
    ALLOWED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_ONLY_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ACCESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    allowed: bool
    reason: str
    rule: str
    catalog_only: bool
    skipped: bool
    domain_access: DomainAccess
    status: DataStoreStatus
    def __init__(self, allowed: _Optional[bool] = ..., reason: _Optional[str] = ..., rule: _Optional[str] = ..., catalog_only: _Optional[bool] = ..., skipped: _Optional[bool] = ..., domain_access: _Optional[_Union[DomainAccess, str]] = ..., status: _Optional[_Union[DataStoreStatus, str]] = ...) -> None: ...

class EventSubscription(_message.Message):
    __slots__ = ("id", "program", "node", "data_store_ids", "export_triggers_only", "kinds", "startup_text", "single_per_data_store")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_IDS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_TRIGGERS_ONLY_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    STARTUP_TEXT_FIELD_NUMBER: _ClassVar[int]
    SINGLE_PER_DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    id: str
    program: str
    node: str
    data_store_ids: _containers.RepeatedScalarFieldContainer[str]
    export_triggers_only: bool
    kinds: _containers.RepeatedScalarFieldContainer[VolumeEventKind]
    startup_text: str
    single_per_data_store: bool
    def __init__(self, id: _Optional[str] = ..., program: _Optional[str] = ..., node: _Optional[str] = ..., data_store_ids: _Optional[_Iterable[str]] = ..., export_triggers_only: _Optional[bool] = ..., kinds: _Optional[_Iterable[_Union[VolumeEventKind, str]]] = ..., startup_text: _Optional[str] = ..., single_per_data_store: _Optional[bool] = ...) -> None: ...

class GetDomainConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetDomainConfigResponse(_message.Message):
    __slots__ = ("config", "license_status")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    LICENSE_STATUS_FIELD_NUMBER: _ClassVar[int]
    config: DomainConfig
    license_status: LicenseStatus
    def __init__(self, config: _Optional[_Union[DomainConfig, _Mapping]] = ..., license_status: _Optional[_Union[LicenseStatus, _Mapping]] = ...) -> None: ...

class UpdateDomainConfigRequest(_message.Message):
    __slots__ = ("config", "field_mask")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    config: DomainConfig
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, config: _Optional[_Union[DomainConfig, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateDomainConfigResponse(_message.Message):
    __slots__ = ("config",)
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    config: DomainConfig
    def __init__(self, config: _Optional[_Union[DomainConfig, _Mapping]] = ...) -> None: ...

class SetLicenseRequest(_message.Message):
    __slots__ = ("license",)
    LICENSE_FIELD_NUMBER: _ClassVar[int]
    license: License
    def __init__(self, license: _Optional[_Union[License, _Mapping]] = ...) -> None: ...

class SetLicenseResponse(_message.Message):
    __slots__ = ("license_status",)
    LICENSE_STATUS_FIELD_NUMBER: _ClassVar[int]
    license_status: LicenseStatus
    def __init__(self, license_status: _Optional[_Union[LicenseStatus, _Mapping]] = ...) -> None: ...

class AddNskNodeRequest(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: NskNode
    def __init__(self, node: _Optional[_Union[NskNode, _Mapping]] = ...) -> None: ...

class AddNskNodeResponse(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: NskNode
    def __init__(self, node: _Optional[_Union[NskNode, _Mapping]] = ...) -> None: ...

class ListNskNodesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListNskNodesResponse(_message.Message):
    __slots__ = ("nodes",)
    NODES_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[NskNode]
    def __init__(self, nodes: _Optional[_Iterable[_Union[NskNode, _Mapping]]] = ...) -> None: ...

class DeleteNskNodeRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DeleteNskNodeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AddVtcRequest(_message.Message):
    __slots__ = ("vtc",)
    VTC_FIELD_NUMBER: _ClassVar[int]
    vtc: Vtc
    def __init__(self, vtc: _Optional[_Union[Vtc, _Mapping]] = ...) -> None: ...

class AddVtcResponse(_message.Message):
    __slots__ = ("vtc",)
    VTC_FIELD_NUMBER: _ClassVar[int]
    vtc: Vtc
    def __init__(self, vtc: _Optional[_Union[Vtc, _Mapping]] = ...) -> None: ...

class ListVtcsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListVtcsResponse(_message.Message):
    __slots__ = ("vtcs",)
    VTCS_FIELD_NUMBER: _ClassVar[int]
    vtcs: _containers.RepeatedCompositeFieldContainer[Vtc]
    def __init__(self, vtcs: _Optional[_Iterable[_Union[Vtc, _Mapping]]] = ...) -> None: ...

class DeleteVtcRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteVtcResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AddKeyManagerRequest(_message.Message):
    __slots__ = ("key_manager",)
    KEY_MANAGER_FIELD_NUMBER: _ClassVar[int]
    key_manager: KeyManagerRef
    def __init__(self, key_manager: _Optional[_Union[KeyManagerRef, _Mapping]] = ...) -> None: ...

class AddKeyManagerResponse(_message.Message):
    __slots__ = ("key_manager",)
    KEY_MANAGER_FIELD_NUMBER: _ClassVar[int]
    key_manager: KeyManagerRef
    def __init__(self, key_manager: _Optional[_Union[KeyManagerRef, _Mapping]] = ...) -> None: ...

class UpdateKeyManagerRequest(_message.Message):
    __slots__ = ("key_manager", "field_mask")
    KEY_MANAGER_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    key_manager: KeyManagerRef
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, key_manager: _Optional[_Union[KeyManagerRef, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateKeyManagerResponse(_message.Message):
    __slots__ = ("key_manager",)
    KEY_MANAGER_FIELD_NUMBER: _ClassVar[int]
    key_manager: KeyManagerRef
    def __init__(self, key_manager: _Optional[_Union[KeyManagerRef, _Mapping]] = ...) -> None: ...

class ListKeyManagersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListKeyManagersResponse(_message.Message):
    __slots__ = ("key_managers",)
    KEY_MANAGERS_FIELD_NUMBER: _ClassVar[int]
    key_managers: _containers.RepeatedCompositeFieldContainer[KeyManagerRef]
    def __init__(self, key_managers: _Optional[_Iterable[_Union[KeyManagerRef, _Mapping]]] = ...) -> None: ...

class DeleteKeyManagerRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteKeyManagerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CreateDataStoreRequest(_message.Message):
    __slots__ = ("data_store", "password")
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    password: str
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ..., password: _Optional[str] = ...) -> None: ...

class CreateDataStoreResponse(_message.Message):
    __slots__ = ("data_store", "warnings")
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    warnings: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ..., warnings: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ...) -> None: ...

class UpdateDataStoreRequest(_message.Message):
    __slots__ = ("data_store", "field_mask", "password")
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    password: str
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ..., password: _Optional[str] = ...) -> None: ...

class UpdateDataStoreResponse(_message.Message):
    __slots__ = ("data_store", "warnings")
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    warnings: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ..., warnings: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ...) -> None: ...

class GetDataStoreRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetDataStoreResponse(_message.Message):
    __slots__ = ("data_store",)
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ...) -> None: ...

class ListDataStoresRequest(_message.Message):
    __slots__ = ("domain_access", "status")
    DOMAIN_ACCESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    domain_access: DomainAccess
    status: DataStoreStatus
    def __init__(self, domain_access: _Optional[_Union[DomainAccess, str]] = ..., status: _Optional[_Union[DataStoreStatus, str]] = ...) -> None: ...

class ListDataStoresResponse(_message.Message):
    __slots__ = ("data_stores",)
    DATA_STORES_FIELD_NUMBER: _ClassVar[int]
    data_stores: _containers.RepeatedCompositeFieldContainer[DataStore]
    def __init__(self, data_stores: _Optional[_Iterable[_Union[DataStore, _Mapping]]] = ...) -> None: ...

class DeleteDataStoreRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteDataStoreResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SetDataStoreStatusRequest(_message.Message):
    __slots__ = ("id", "status")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: DataStoreStatus
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[DataStoreStatus, str]] = ...) -> None: ...

class SetDataStoreStatusResponse(_message.Message):
    __slots__ = ("data_store",)
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ...) -> None: ...

class SetDomainAccessRequest(_message.Message):
    __slots__ = ("id", "domain_access", "primary_data_store_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ACCESS_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    domain_access: DomainAccess
    primary_data_store_id: str
    def __init__(self, id: _Optional[str] = ..., domain_access: _Optional[_Union[DomainAccess, str]] = ..., primary_data_store_id: _Optional[str] = ...) -> None: ...

class SetDomainAccessResponse(_message.Message):
    __slots__ = ("data_store", "warnings")
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    warnings: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ..., warnings: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ...) -> None: ...

class UpdateExportConfigRequest(_message.Message):
    __slots__ = ("data_store_id", "export_config", "field_mask")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    export_config: ExportConfig
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, data_store_id: _Optional[str] = ..., export_config: _Optional[_Union[ExportConfig, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateExportConfigResponse(_message.Message):
    __slots__ = ("data_store",)
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ...) -> None: ...

class UpdateImportConfigRequest(_message.Message):
    __slots__ = ("data_store_id", "import_config", "field_mask")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    IMPORT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    import_config: ImportConfig
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, data_store_id: _Optional[str] = ..., import_config: _Optional[_Union[ImportConfig, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateImportConfigResponse(_message.Message):
    __slots__ = ("data_store", "warnings")
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    data_store: DataStore
    warnings: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    def __init__(self, data_store: _Optional[_Union[DataStore, _Mapping]] = ..., warnings: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ...) -> None: ...

class CreateVolumeGroupRequest(_message.Message):
    __slots__ = ("volume_group",)
    VOLUME_GROUP_FIELD_NUMBER: _ClassVar[int]
    volume_group: VolumeGroup
    def __init__(self, volume_group: _Optional[_Union[VolumeGroup, _Mapping]] = ...) -> None: ...

class CreateVolumeGroupResponse(_message.Message):
    __slots__ = ("volume_group", "warnings")
    VOLUME_GROUP_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    volume_group: VolumeGroup
    warnings: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    def __init__(self, volume_group: _Optional[_Union[VolumeGroup, _Mapping]] = ..., warnings: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ...) -> None: ...

class UpdateVolumeGroupRequest(_message.Message):
    __slots__ = ("volume_group", "field_mask")
    VOLUME_GROUP_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    volume_group: VolumeGroup
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, volume_group: _Optional[_Union[VolumeGroup, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateVolumeGroupResponse(_message.Message):
    __slots__ = ("volume_group", "warnings")
    VOLUME_GROUP_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    volume_group: VolumeGroup
    warnings: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    def __init__(self, volume_group: _Optional[_Union[VolumeGroup, _Mapping]] = ..., warnings: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ...) -> None: ...

class GetVolumeGroupRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetVolumeGroupResponse(_message.Message):
    __slots__ = ("volume_group",)
    VOLUME_GROUP_FIELD_NUMBER: _ClassVar[int]
    volume_group: VolumeGroup
    def __init__(self, volume_group: _Optional[_Union[VolumeGroup, _Mapping]] = ...) -> None: ...

class ListVolumeGroupsRequest(_message.Message):
    __slots__ = ("data_store_id",)
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    def __init__(self, data_store_id: _Optional[str] = ...) -> None: ...

class ListVolumeGroupsResponse(_message.Message):
    __slots__ = ("volume_groups",)
    VOLUME_GROUPS_FIELD_NUMBER: _ClassVar[int]
    volume_groups: _containers.RepeatedCompositeFieldContainer[VolumeGroup]
    def __init__(self, volume_groups: _Optional[_Iterable[_Union[VolumeGroup, _Mapping]]] = ...) -> None: ...

class DeleteVolumeGroupRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteVolumeGroupResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ValidateConfigurationRequest(_message.Message):
    __slots__ = ("data_store_id",)
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    def __init__(self, data_store_id: _Optional[str] = ...) -> None: ...

class ValidateConfigurationResponse(_message.Message):
    __slots__ = ("valid", "problems")
    VALID_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    problems: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    def __init__(self, valid: _Optional[bool] = ..., problems: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ...) -> None: ...

class CheckAccessRequest(_message.Message):
    __slots__ = ("data_store_id", "operation", "origin")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    operation: DataStoreOperation
    origin: OperationOrigin
    def __init__(self, data_store_id: _Optional[str] = ..., operation: _Optional[_Union[DataStoreOperation, str]] = ..., origin: _Optional[_Union[OperationOrigin, str]] = ...) -> None: ...

class CheckAccessResponse(_message.Message):
    __slots__ = ("decision",)
    DECISION_FIELD_NUMBER: _ClassVar[int]
    decision: AccessDecision
    def __init__(self, decision: _Optional[_Union[AccessDecision, _Mapping]] = ...) -> None: ...

class LabelRange(_message.Message):
    __slots__ = ("first", "last")
    FIRST_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    first: str
    last: str
    def __init__(self, first: _Optional[str] = ..., last: _Optional[str] = ...) -> None: ...

class CreateVolumesRequest(_message.Message):
    __slots__ = ("volume_group_id", "labels", "range", "unlabeled", "owner_node", "owner_user", "read_access", "write_access", "control_access", "comment", "automatic_mount", "user", "origin")
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    UNLABELED_FIELD_NUMBER: _ClassVar[int]
    OWNER_NODE_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_FIELD_NUMBER: _ClassVar[int]
    READ_ACCESS_FIELD_NUMBER: _ClassVar[int]
    WRITE_ACCESS_FIELD_NUMBER: _ClassVar[int]
    CONTROL_ACCESS_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    AUTOMATIC_MOUNT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    volume_group_id: str
    labels: _containers.RepeatedScalarFieldContainer[str]
    range: LabelRange
    unlabeled: bool
    owner_node: str
    owner_user: str
    read_access: str
    write_access: str
    control_access: str
    comment: str
    automatic_mount: bool
    user: str
    origin: OperationOrigin
    def __init__(self, volume_group_id: _Optional[str] = ..., labels: _Optional[_Iterable[str]] = ..., range: _Optional[_Union[LabelRange, _Mapping]] = ..., unlabeled: _Optional[bool] = ..., owner_node: _Optional[str] = ..., owner_user: _Optional[str] = ..., read_access: _Optional[str] = ..., write_access: _Optional[str] = ..., control_access: _Optional[str] = ..., comment: _Optional[str] = ..., automatic_mount: _Optional[bool] = ..., user: _Optional[str] = ..., origin: _Optional[_Union[OperationOrigin, str]] = ...) -> None: ...

class VolumeRejection(_message.Message):
    __slots__ = ("label", "reason", "error_code")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    label: str
    reason: str
    error_code: int
    def __init__(self, label: _Optional[str] = ..., reason: _Optional[str] = ..., error_code: _Optional[int] = ...) -> None: ...

class CreateVolumesResponse(_message.Message):
    __slots__ = ("volumes", "rejected", "event_sequences")
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    EVENT_SEQUENCES_FIELD_NUMBER: _ClassVar[int]
    volumes: _containers.RepeatedCompositeFieldContainer[BackBoxVolume]
    rejected: _containers.RepeatedCompositeFieldContainer[VolumeRejection]
    event_sequences: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, volumes: _Optional[_Iterable[_Union[BackBoxVolume, _Mapping]]] = ..., rejected: _Optional[_Iterable[_Union[VolumeRejection, _Mapping]]] = ..., event_sequences: _Optional[_Iterable[int]] = ...) -> None: ...

class GetVolumeRequest(_message.Message):
    __slots__ = ("label",)
    LABEL_FIELD_NUMBER: _ClassVar[int]
    label: str
    def __init__(self, label: _Optional[str] = ...) -> None: ...

class GetVolumeResponse(_message.Message):
    __slots__ = ("volume",)
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    volume: BackBoxVolume
    def __init__(self, volume: _Optional[_Union[BackBoxVolume, _Mapping]] = ...) -> None: ...

class ListVolumesRequest(_message.Message):
    __slots__ = ("data_store_id", "volume_group_id", "catalog_status", "pattern", "labels", "pending_export_only", "changed_after_sequence", "page")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    CATALOG_STATUS_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    PENDING_EXPORT_ONLY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    volume_group_id: str
    catalog_status: _media_catalog_pb2.VolumeStatus
    pattern: str
    labels: _containers.RepeatedScalarFieldContainer[str]
    pending_export_only: bool
    changed_after_sequence: int
    page: _common_pb2.PageRequest
    def __init__(self, data_store_id: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., catalog_status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ..., pattern: _Optional[str] = ..., labels: _Optional[_Iterable[str]] = ..., pending_export_only: _Optional[bool] = ..., changed_after_sequence: _Optional[int] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListVolumesResponse(_message.Message):
    __slots__ = ("volumes", "page")
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    volumes: _containers.RepeatedCompositeFieldContainer[BackBoxVolume]
    page: _common_pb2.PageResponse
    def __init__(self, volumes: _Optional[_Iterable[_Union[BackBoxVolume, _Mapping]]] = ..., page: _Optional[_Union[_common_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class UpdateVolumeRequest(_message.Message):
    __slots__ = ("volume", "field_mask", "user")
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    FIELD_MASK_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    volume: BackBoxVolume
    field_mask: _containers.RepeatedScalarFieldContainer[str]
    user: str
    def __init__(self, volume: _Optional[_Union[BackBoxVolume, _Mapping]] = ..., field_mask: _Optional[_Iterable[str]] = ..., user: _Optional[str] = ...) -> None: ...

class UpdateVolumeResponse(_message.Message):
    __slots__ = ("volume",)
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    volume: BackBoxVolume
    def __init__(self, volume: _Optional[_Union[BackBoxVolume, _Mapping]] = ...) -> None: ...

class AlterVolumeStatusRequest(_message.Message):
    __slots__ = ("labels", "status", "user")
    LABELS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    labels: _containers.RepeatedScalarFieldContainer[str]
    status: _media_catalog_pb2.VolumeStatus
    user: str
    def __init__(self, labels: _Optional[_Iterable[str]] = ..., status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ..., user: _Optional[str] = ...) -> None: ...

class VolumeStatusChange(_message.Message):
    __slots__ = ("label", "old_status", "new_status")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    OLD_STATUS_FIELD_NUMBER: _ClassVar[int]
    NEW_STATUS_FIELD_NUMBER: _ClassVar[int]
    label: str
    old_status: _media_catalog_pb2.VolumeStatus
    new_status: _media_catalog_pb2.VolumeStatus
    def __init__(self, label: _Optional[str] = ..., old_status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ..., new_status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ...) -> None: ...

class AlterVolumeStatusResponse(_message.Message):
    __slots__ = ("changes", "rejected", "event_sequences")
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    EVENT_SEQUENCES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[VolumeStatusChange]
    rejected: _containers.RepeatedCompositeFieldContainer[VolumeRejection]
    event_sequences: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, changes: _Optional[_Iterable[_Union[VolumeStatusChange, _Mapping]]] = ..., rejected: _Optional[_Iterable[_Union[VolumeRejection, _Mapping]]] = ..., event_sequences: _Optional[_Iterable[int]] = ...) -> None: ...

class DeleteVolumeRequest(_message.Message):
    __slots__ = ("label", "user", "keep_image")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    KEEP_IMAGE_FIELD_NUMBER: _ClassVar[int]
    label: str
    user: str
    keep_image: bool
    def __init__(self, label: _Optional[str] = ..., user: _Optional[str] = ..., keep_image: _Optional[bool] = ...) -> None: ...

class DeleteVolumeResponse(_message.Message):
    __slots__ = ("volume", "image_deleted", "tape_catalog_entry_deleted", "event_sequence")
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    IMAGE_DELETED_FIELD_NUMBER: _ClassVar[int]
    TAPE_CATALOG_ENTRY_DELETED_FIELD_NUMBER: _ClassVar[int]
    EVENT_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    volume: BackBoxVolume
    image_deleted: bool
    tape_catalog_entry_deleted: bool
    event_sequence: int
    def __init__(self, volume: _Optional[_Union[BackBoxVolume, _Mapping]] = ..., image_deleted: _Optional[bool] = ..., tape_catalog_entry_deleted: _Optional[bool] = ..., event_sequence: _Optional[int] = ...) -> None: ...

class CatalogDetachRequest(_message.Message):
    __slots__ = ("data_store_id", "volume_group_id", "labels", "user")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    volume_group_id: str
    labels: _containers.RepeatedScalarFieldContainer[str]
    user: str
    def __init__(self, data_store_id: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., labels: _Optional[_Iterable[str]] = ..., user: _Optional[str] = ...) -> None: ...

class CatalogDetachResponse(_message.Message):
    __slots__ = ("detached", "rejected", "job_id")
    DETACHED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    detached: _containers.RepeatedScalarFieldContainer[str]
    rejected: _containers.RepeatedCompositeFieldContainer[VolumeRejection]
    job_id: str
    def __init__(self, detached: _Optional[_Iterable[str]] = ..., rejected: _Optional[_Iterable[_Union[VolumeRejection, _Mapping]]] = ..., job_id: _Optional[str] = ...) -> None: ...

class ResetVolumeOperationRequest(_message.Message):
    __slots__ = ("label", "user")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    label: str
    user: str
    def __init__(self, label: _Optional[str] = ..., user: _Optional[str] = ...) -> None: ...

class ResetVolumeOperationResponse(_message.Message):
    __slots__ = ("volume", "previous_operation")
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_OPERATION_FIELD_NUMBER: _ClassVar[int]
    volume: BackBoxVolume
    previous_operation: VolumeOperation
    def __init__(self, volume: _Optional[_Union[BackBoxVolume, _Mapping]] = ..., previous_operation: _Optional[_Union[VolumeOperation, str]] = ...) -> None: ...

class UpsertVolumesOptions(_message.Message):
    __slots__ = ("data_store_id", "process", "label", "export_id", "dry_run")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    process: str
    label: str
    export_id: str
    dry_run: bool
    def __init__(self, data_store_id: _Optional[str] = ..., process: _Optional[str] = ..., label: _Optional[str] = ..., export_id: _Optional[str] = ..., dry_run: _Optional[bool] = ...) -> None: ...

class UpsertVolumesRequest(_message.Message):
    __slots__ = ("options", "volumes")
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    options: UpsertVolumesOptions
    volumes: _containers.RepeatedCompositeFieldContainer[BackBoxVolume]
    def __init__(self, options: _Optional[_Union[UpsertVolumesOptions, _Mapping]] = ..., volumes: _Optional[_Iterable[_Union[BackBoxVolume, _Mapping]]] = ...) -> None: ...

class VolumeUpsertOutcome(_message.Message):
    __slots__ = ("label", "result", "reason")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    label: str
    result: UpsertResult
    reason: str
    def __init__(self, label: _Optional[str] = ..., result: _Optional[_Union[UpsertResult, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class UpsertVolumesResponse(_message.Message):
    __slots__ = ("added", "updated", "unchanged", "rejected", "outcomes", "transaction_id")
    ADDED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    UNCHANGED_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    added: int
    updated: int
    unchanged: int
    rejected: int
    outcomes: _containers.RepeatedCompositeFieldContainer[VolumeUpsertOutcome]
    transaction_id: int
    def __init__(self, added: _Optional[int] = ..., updated: _Optional[int] = ..., unchanged: _Optional[int] = ..., rejected: _Optional[int] = ..., outcomes: _Optional[_Iterable[_Union[VolumeUpsertOutcome, _Mapping]]] = ..., transaction_id: _Optional[int] = ...) -> None: ...

class DeleteVolumesRequest(_message.Message):
    __slots__ = ("data_store_id", "labels", "process")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    labels: _containers.RepeatedScalarFieldContainer[str]
    process: str
    def __init__(self, data_store_id: _Optional[str] = ..., labels: _Optional[_Iterable[str]] = ..., process: _Optional[str] = ...) -> None: ...

class DeleteVolumesResponse(_message.Message):
    __slots__ = ("deleted", "not_found", "transaction_id")
    DELETED_FIELD_NUMBER: _ClassVar[int]
    NOT_FOUND_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    deleted: _containers.RepeatedCompositeFieldContainer[BackBoxVolume]
    not_found: _containers.RepeatedScalarFieldContainer[str]
    transaction_id: int
    def __init__(self, deleted: _Optional[_Iterable[_Union[BackBoxVolume, _Mapping]]] = ..., not_found: _Optional[_Iterable[str]] = ..., transaction_id: _Optional[int] = ...) -> None: ...

class BeginVolumeOperationRequest(_message.Message):
    __slots__ = ("operation", "label", "scratch_volume_group_id", "mode", "vtc_id", "drive_id", "node", "process", "user", "origin")
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SCRATCH_VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    VTC_ID_FIELD_NUMBER: _ClassVar[int]
    DRIVE_ID_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    operation: VolumeOperation
    label: str
    scratch_volume_group_id: str
    mode: MountMode
    vtc_id: str
    drive_id: str
    node: str
    process: str
    user: str
    origin: OperationOrigin
    def __init__(self, operation: _Optional[_Union[VolumeOperation, str]] = ..., label: _Optional[str] = ..., scratch_volume_group_id: _Optional[str] = ..., mode: _Optional[_Union[MountMode, str]] = ..., vtc_id: _Optional[str] = ..., drive_id: _Optional[str] = ..., node: _Optional[str] = ..., process: _Optional[str] = ..., user: _Optional[str] = ..., origin: _Optional[_Union[OperationOrigin, str]] = ...) -> None: ...

class BeginVolumeOperationResponse(_message.Message):
    __slots__ = ("operation_id", "volume", "decision", "data_store", "volume_group", "key_manager", "scratched", "new_key_required")
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_FIELD_NUMBER: _ClassVar[int]
    KEY_MANAGER_FIELD_NUMBER: _ClassVar[int]
    SCRATCHED_FIELD_NUMBER: _ClassVar[int]
    NEW_KEY_REQUIRED_FIELD_NUMBER: _ClassVar[int]
    operation_id: str
    volume: BackBoxVolume
    decision: AccessDecision
    data_store: DataStore
    volume_group: VolumeGroup
    key_manager: KeyManagerRef
    scratched: bool
    new_key_required: bool
    def __init__(self, operation_id: _Optional[str] = ..., volume: _Optional[_Union[BackBoxVolume, _Mapping]] = ..., decision: _Optional[_Union[AccessDecision, _Mapping]] = ..., data_store: _Optional[_Union[DataStore, _Mapping]] = ..., volume_group: _Optional[_Union[VolumeGroup, _Mapping]] = ..., key_manager: _Optional[_Union[KeyManagerRef, _Mapping]] = ..., scratched: _Optional[bool] = ..., new_key_required: _Optional[bool] = ...) -> None: ...

class EndVolumeOperationRequest(_message.Message):
    __slots__ = ("operation_id", "label", "written", "end_time", "data_bytes", "index_bytes", "index_path", "data_path", "key_manager_id", "media_key_name", "error")
    OPERATION_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    DATA_BYTES_FIELD_NUMBER: _ClassVar[int]
    INDEX_BYTES_FIELD_NUMBER: _ClassVar[int]
    INDEX_PATH_FIELD_NUMBER: _ClassVar[int]
    DATA_PATH_FIELD_NUMBER: _ClassVar[int]
    KEY_MANAGER_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_KEY_NAME_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    operation_id: str
    label: str
    written: bool
    end_time: _timestamp_pb2.Timestamp
    data_bytes: int
    index_bytes: int
    index_path: str
    data_path: str
    key_manager_id: str
    media_key_name: str
    error: str
    def __init__(self, operation_id: _Optional[str] = ..., label: _Optional[str] = ..., written: _Optional[bool] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., data_bytes: _Optional[int] = ..., index_bytes: _Optional[int] = ..., index_path: _Optional[str] = ..., data_path: _Optional[str] = ..., key_manager_id: _Optional[str] = ..., media_key_name: _Optional[str] = ..., error: _Optional[str] = ...) -> None: ...

class EndVolumeOperationResponse(_message.Message):
    __slots__ = ("volume", "event_sequence", "duplicate")
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    EVENT_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    volume: BackBoxVolume
    event_sequence: int
    duplicate: bool
    def __init__(self, volume: _Optional[_Union[BackBoxVolume, _Mapping]] = ..., event_sequence: _Optional[int] = ..., duplicate: _Optional[bool] = ...) -> None: ...

class RunBackupRequest(_message.Message):
    __slots__ = ("node", "process", "data_store_id", "volume_group_id", "label", "filecat", "file_id", "generation", "version", "expiration_time", "retention_days", "permanent", "data_bytes", "content_seed", "catalog_files", "disk_file_count", "disk_file_prefix", "disk_file_names", "disk_files_per_commit", "encrypt", "mode", "comment", "user", "vtc_id", "source_files", "files_modified_after")
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    EXPIRATION_TIME_FIELD_NUMBER: _ClassVar[int]
    RETENTION_DAYS_FIELD_NUMBER: _ClassVar[int]
    PERMANENT_FIELD_NUMBER: _ClassVar[int]
    DATA_BYTES_FIELD_NUMBER: _ClassVar[int]
    CONTENT_SEED_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_COUNT_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_PREFIX_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_NAMES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_PER_COMMIT_FIELD_NUMBER: _ClassVar[int]
    ENCRYPT_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    VTC_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FILES_FIELD_NUMBER: _ClassVar[int]
    FILES_MODIFIED_AFTER_FIELD_NUMBER: _ClassVar[int]
    node: str
    process: str
    data_store_id: str
    volume_group_id: str
    label: str
    filecat: str
    file_id: str
    generation: int
    version: int
    expiration_time: _timestamp_pb2.Timestamp
    retention_days: int
    permanent: bool
    data_bytes: int
    content_seed: int
    catalog_files: bool
    disk_file_count: int
    disk_file_prefix: str
    disk_file_names: _containers.RepeatedScalarFieldContainer[str]
    disk_files_per_commit: int
    encrypt: bool
    mode: _media_catalog_pb2.TapeFileMode
    comment: str
    user: str
    vtc_id: str
    source_files: _containers.RepeatedScalarFieldContainer[str]
    files_modified_after: _timestamp_pb2.Timestamp
    def __init__(self, node: _Optional[str] = ..., process: _Optional[str] = ..., data_store_id: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., label: _Optional[str] = ..., filecat: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ..., expiration_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., retention_days: _Optional[int] = ..., permanent: _Optional[bool] = ..., data_bytes: _Optional[int] = ..., content_seed: _Optional[int] = ..., catalog_files: _Optional[bool] = ..., disk_file_count: _Optional[int] = ..., disk_file_prefix: _Optional[str] = ..., disk_file_names: _Optional[_Iterable[str]] = ..., disk_files_per_commit: _Optional[int] = ..., encrypt: _Optional[bool] = ..., mode: _Optional[_Union[_media_catalog_pb2.TapeFileMode, str]] = ..., comment: _Optional[str] = ..., user: _Optional[str] = ..., vtc_id: _Optional[str] = ..., source_files: _Optional[_Iterable[str]] = ..., files_modified_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunBackupResponse(_message.Message):
    __slots__ = ("tape_file", "volumes", "disk_file_count", "bytes_written", "checksum", "started", "finished", "event_sequences", "files", "files_modified_up_to")
    TAPE_FILE_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_COUNT_FIELD_NUMBER: _ClassVar[int]
    BYTES_WRITTEN_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    STARTED_FIELD_NUMBER: _ClassVar[int]
    FINISHED_FIELD_NUMBER: _ClassVar[int]
    EVENT_SEQUENCES_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    FILES_MODIFIED_UP_TO_FIELD_NUMBER: _ClassVar[int]
    tape_file: _media_catalog_pb2.TapeFile
    volumes: _containers.RepeatedCompositeFieldContainer[BackBoxVolume]
    disk_file_count: int
    bytes_written: int
    checksum: str
    started: _timestamp_pb2.Timestamp
    finished: _timestamp_pb2.Timestamp
    event_sequences: _containers.RepeatedScalarFieldContainer[int]
    files: _containers.RepeatedScalarFieldContainer[str]
    files_modified_up_to: _timestamp_pb2.Timestamp
    def __init__(self, tape_file: _Optional[_Union[_media_catalog_pb2.TapeFile, _Mapping]] = ..., volumes: _Optional[_Iterable[_Union[BackBoxVolume, _Mapping]]] = ..., disk_file_count: _Optional[int] = ..., bytes_written: _Optional[int] = ..., checksum: _Optional[str] = ..., started: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_sequences: _Optional[_Iterable[int]] = ..., files: _Optional[_Iterable[str]] = ..., files_modified_up_to: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunRestoreRequest(_message.Message):
    __slots__ = ("node", "filecat", "file_id", "generation", "version", "list_only", "user", "vtc_id", "label", "target_subvolume")
    NODE_FIELD_NUMBER: _ClassVar[int]
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    FILE_ID_FIELD_NUMBER: _ClassVar[int]
    GENERATION_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    LIST_ONLY_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    VTC_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TARGET_SUBVOLUME_FIELD_NUMBER: _ClassVar[int]
    node: str
    filecat: str
    file_id: str
    generation: int
    version: int
    list_only: bool
    user: str
    vtc_id: str
    label: str
    target_subvolume: str
    def __init__(self, node: _Optional[str] = ..., filecat: _Optional[str] = ..., file_id: _Optional[str] = ..., generation: _Optional[int] = ..., version: _Optional[int] = ..., list_only: _Optional[bool] = ..., user: _Optional[str] = ..., vtc_id: _Optional[str] = ..., label: _Optional[str] = ..., target_subvolume: _Optional[str] = ...) -> None: ...

class RunRestoreResponse(_message.Message):
    __slots__ = ("tape_file", "labels", "bytes_read", "checksum", "disk_file_count", "files", "files_replaced")
    TAPE_FILE_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    BYTES_READ_FIELD_NUMBER: _ClassVar[int]
    CHECKSUM_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_COUNT_FIELD_NUMBER: _ClassVar[int]
    FILES_FIELD_NUMBER: _ClassVar[int]
    FILES_REPLACED_FIELD_NUMBER: _ClassVar[int]
    tape_file: _media_catalog_pb2.TapeFile
    labels: _containers.RepeatedScalarFieldContainer[str]
    bytes_read: int
    checksum: str
    disk_file_count: int
    files: _containers.RepeatedScalarFieldContainer[str]
    files_replaced: int
    def __init__(self, tape_file: _Optional[_Union[_media_catalog_pb2.TapeFile, _Mapping]] = ..., labels: _Optional[_Iterable[str]] = ..., bytes_read: _Optional[int] = ..., checksum: _Optional[str] = ..., disk_file_count: _Optional[int] = ..., files: _Optional[_Iterable[str]] = ..., files_replaced: _Optional[int] = ...) -> None: ...

class RunDailyCleanupRequest(_message.Message):
    __slots__ = ("data_store_ids", "steps", "user")
    DATA_STORE_IDS_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    data_store_ids: _containers.RepeatedScalarFieldContainer[str]
    steps: _containers.RepeatedScalarFieldContainer[CleanupStep]
    user: str
    def __init__(self, data_store_ids: _Optional[_Iterable[str]] = ..., steps: _Optional[_Iterable[_Union[CleanupStep, str]]] = ..., user: _Optional[str] = ...) -> None: ...

class DataStoreCleanupResult(_message.Message):
    __slots__ = ("data_store_id", "executed", "decision", "freed_labels", "deleted_files", "status_changes", "used_percent", "space_warning", "event_sequences")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    EXECUTED_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    FREED_LABELS_FIELD_NUMBER: _ClassVar[int]
    DELETED_FILES_FIELD_NUMBER: _ClassVar[int]
    STATUS_CHANGES_FIELD_NUMBER: _ClassVar[int]
    USED_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SPACE_WARNING_FIELD_NUMBER: _ClassVar[int]
    EVENT_SEQUENCES_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    executed: bool
    decision: AccessDecision
    freed_labels: _containers.RepeatedScalarFieldContainer[str]
    deleted_files: int
    status_changes: _containers.RepeatedCompositeFieldContainer[VolumeStatusChange]
    used_percent: int
    space_warning: bool
    event_sequences: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, data_store_id: _Optional[str] = ..., executed: _Optional[bool] = ..., decision: _Optional[_Union[AccessDecision, _Mapping]] = ..., freed_labels: _Optional[_Iterable[str]] = ..., deleted_files: _Optional[int] = ..., status_changes: _Optional[_Iterable[_Union[VolumeStatusChange, _Mapping]]] = ..., used_percent: _Optional[int] = ..., space_warning: _Optional[bool] = ..., event_sequences: _Optional[_Iterable[int]] = ...) -> None: ...

class RunDailyCleanupResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[DataStoreCleanupResult]
    def __init__(self, results: _Optional[_Iterable[_Union[DataStoreCleanupResult, _Mapping]]] = ...) -> None: ...

class ListVolumeEventsRequest(_message.Message):
    __slots__ = ("after_sequence", "consumer", "data_store_id", "kinds", "export_triggers_only", "limit")
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_TRIGGERS_ONLY_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    consumer: str
    data_store_id: str
    kinds: _containers.RepeatedScalarFieldContainer[VolumeEventKind]
    export_triggers_only: bool
    limit: int
    def __init__(self, after_sequence: _Optional[int] = ..., consumer: _Optional[str] = ..., data_store_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[VolumeEventKind, str]]] = ..., export_triggers_only: _Optional[bool] = ..., limit: _Optional[int] = ...) -> None: ...

class ListVolumeEventsResponse(_message.Message):
    __slots__ = ("events", "last_sequence")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[VolumeEvent]
    last_sequence: int
    def __init__(self, events: _Optional[_Iterable[_Union[VolumeEvent, _Mapping]]] = ..., last_sequence: _Optional[int] = ...) -> None: ...

class WatchVolumeEventsRequest(_message.Message):
    __slots__ = ("after_sequence", "consumer", "data_store_id", "kinds", "export_triggers_only")
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_TRIGGERS_ONLY_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    consumer: str
    data_store_id: str
    kinds: _containers.RepeatedScalarFieldContainer[VolumeEventKind]
    export_triggers_only: bool
    def __init__(self, after_sequence: _Optional[int] = ..., consumer: _Optional[str] = ..., data_store_id: _Optional[str] = ..., kinds: _Optional[_Iterable[_Union[VolumeEventKind, str]]] = ..., export_triggers_only: _Optional[bool] = ...) -> None: ...

class WatchVolumeEventsResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: VolumeEvent
    def __init__(self, event: _Optional[_Union[VolumeEvent, _Mapping]] = ...) -> None: ...

class AcknowledgeVolumeEventsRequest(_message.Message):
    __slots__ = ("consumer", "sequence")
    CONSUMER_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    consumer: str
    sequence: int
    def __init__(self, consumer: _Optional[str] = ..., sequence: _Optional[int] = ...) -> None: ...

class AcknowledgeVolumeEventsResponse(_message.Message):
    __slots__ = ("acknowledged_sequence",)
    ACKNOWLEDGED_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    acknowledged_sequence: int
    def __init__(self, acknowledged_sequence: _Optional[int] = ...) -> None: ...

class ListPendingExportsRequest(_message.Message):
    __slots__ = ("data_store_id", "limit")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    limit: int
    def __init__(self, data_store_id: _Optional[str] = ..., limit: _Optional[int] = ...) -> None: ...

class ListPendingExportsResponse(_message.Message):
    __slots__ = ("total", "entries", "last_sequence")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    total: int
    entries: _containers.RepeatedCompositeFieldContainer[PendingExport]
    last_sequence: int
    def __init__(self, total: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[PendingExport, _Mapping]]] = ..., last_sequence: _Optional[int] = ...) -> None: ...

class ExportedVolume(_message.Message):
    __slots__ = ("label", "sequence")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    label: str
    sequence: int
    def __init__(self, label: _Optional[str] = ..., sequence: _Optional[int] = ...) -> None: ...

class MarkExportedRequest(_message.Message):
    __slots__ = ("data_store_id", "volumes", "up_to_sequence", "export_id", "process")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    UP_TO_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    volumes: _containers.RepeatedCompositeFieldContainer[ExportedVolume]
    up_to_sequence: int
    export_id: str
    process: str
    def __init__(self, data_store_id: _Optional[str] = ..., volumes: _Optional[_Iterable[_Union[ExportedVolume, _Mapping]]] = ..., up_to_sequence: _Optional[int] = ..., export_id: _Optional[str] = ..., process: _Optional[str] = ...) -> None: ...

class MarkExportedResponse(_message.Message):
    __slots__ = ("cleared", "still_pending")
    CLEARED_FIELD_NUMBER: _ClassVar[int]
    STILL_PENDING_FIELD_NUMBER: _ClassVar[int]
    cleared: int
    still_pending: int
    def __init__(self, cleared: _Optional[int] = ..., still_pending: _Optional[int] = ...) -> None: ...

class AddEventSubscriptionRequest(_message.Message):
    __slots__ = ("subscription",)
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: EventSubscription
    def __init__(self, subscription: _Optional[_Union[EventSubscription, _Mapping]] = ...) -> None: ...

class AddEventSubscriptionResponse(_message.Message):
    __slots__ = ("subscription",)
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: EventSubscription
    def __init__(self, subscription: _Optional[_Union[EventSubscription, _Mapping]] = ...) -> None: ...

class ListEventSubscriptionsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListEventSubscriptionsResponse(_message.Message):
    __slots__ = ("subscriptions",)
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    subscriptions: _containers.RepeatedCompositeFieldContainer[EventSubscription]
    def __init__(self, subscriptions: _Optional[_Iterable[_Union[EventSubscription, _Mapping]]] = ...) -> None: ...

class DeleteEventSubscriptionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteEventSubscriptionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class StorageAdminRow(_message.Message):
    __slots__ = ("data_store_id", "type", "status", "domain_access", "catalog_sync_link", "running_jobs", "volume_count", "pending_exports")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ACCESS_FIELD_NUMBER: _ClassVar[int]
    CATALOG_SYNC_LINK_FIELD_NUMBER: _ClassVar[int]
    RUNNING_JOBS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_COUNT_FIELD_NUMBER: _ClassVar[int]
    PENDING_EXPORTS_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    type: DataStoreType
    status: DataStoreStatus
    domain_access: DomainAccess
    catalog_sync_link: CatalogSyncLink
    running_jobs: _containers.RepeatedScalarFieldContainer[str]
    volume_count: int
    pending_exports: int
    def __init__(self, data_store_id: _Optional[str] = ..., type: _Optional[_Union[DataStoreType, str]] = ..., status: _Optional[_Union[DataStoreStatus, str]] = ..., domain_access: _Optional[_Union[DomainAccess, str]] = ..., catalog_sync_link: _Optional[_Union[CatalogSyncLink, str]] = ..., running_jobs: _Optional[_Iterable[str]] = ..., volume_count: _Optional[int] = ..., pending_exports: _Optional[int] = ...) -> None: ...

class GetStorageAdminStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStorageAdminStatusResponse(_message.Message):
    __slots__ = ("rows", "banners", "license_status")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    BANNERS_FIELD_NUMBER: _ClassVar[int]
    LICENSE_STATUS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[StorageAdminRow]
    banners: _containers.RepeatedCompositeFieldContainer[ConfigurationProblem]
    license_status: LicenseStatus
    def __init__(self, rows: _Optional[_Iterable[_Union[StorageAdminRow, _Mapping]]] = ..., banners: _Optional[_Iterable[_Union[ConfigurationProblem, _Mapping]]] = ..., license_status: _Optional[_Union[LicenseStatus, _Mapping]] = ...) -> None: ...
