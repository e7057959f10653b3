import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from emulator.v1 import backbox_domain_pb2 as _backbox_domain_pb2
from emulator.v1 import media_catalog_pb2 as _media_catalog_pb2
from catsync.v1 import catalog_sync_pb2 as _catalog_sync_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StagingPayloadKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAGING_PAYLOAD_KIND_UNSPECIFIED: _ClassVar[StagingPayloadKind]
    STAGING_PAYLOAD_KIND_VOLUME_EXPORT: _ClassVar[StagingPayloadKind]
    STAGING_PAYLOAD_KIND_EXPORT_SUMMARY: _ClassVar[StagingPayloadKind]
    STAGING_PAYLOAD_KIND_EXPORT_STATE: _ClassVar[StagingPayloadKind]
    STAGING_PAYLOAD_KIND_JOB_TABLE: _ClassVar[StagingPayloadKind]
    STAGING_PAYLOAD_KIND_EXTRACTOR_STATE: _ClassVar[StagingPayloadKind]
    STAGING_PAYLOAD_KIND_IMPORT_STATE: _ClassVar[StagingPayloadKind]
STAGING_PAYLOAD_KIND_UNSPECIFIED: StagingPayloadKind
STAGING_PAYLOAD_KIND_VOLUME_EXPORT: StagingPayloadKind
STAGING_PAYLOAD_KIND_EXPORT_SUMMARY: StagingPayloadKind
STAGING_PAYLOAD_KIND_EXPORT_STATE: StagingPayloadKind
STAGING_PAYLOAD_KIND_JOB_TABLE: StagingPayloadKind
STAGING_PAYLOAD_KIND_EXTRACTOR_STATE: StagingPayloadKind
STAGING_PAYLOAD_KIND_IMPORT_STATE: StagingPayloadKind

class VolumeExport(_message.Message):
    __slots__ = ("format_version", "export_id", "export_type", "data_store_id", "primary_data_store_id", "volume_group_id", "domain_id", "exporting_node", "exporting_process", "exported_at", "volume", "has_tape_volume", "tape_volume", "tape_files", "catalog_files", "disk_files", "volume_sequence", "run_sequence")
    FORMAT_VERSION_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORTING_NODE_FIELD_NUMBER: _ClassVar[int]
    EXPORTING_PROCESS_FIELD_NUMBER: _ClassVar[int]
    EXPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    HAS_TAPE_VOLUME_FIELD_NUMBER: _ClassVar[int]
    TAPE_VOLUME_FIELD_NUMBER: _ClassVar[int]
    TAPE_FILES_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_FIELD_NUMBER: _ClassVar[int]
    VOLUME_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    RUN_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    format_version: int
    export_id: str
    export_type: _catalog_sync_pb2.SyncType
    data_store_id: str
    primary_data_store_id: str
    volume_group_id: str
    domain_id: str
    exporting_node: str
    exporting_process: str
    exported_at: _timestamp_pb2.Timestamp
    volume: _backbox_domain_pb2.BackBoxVolume
    has_tape_volume: bool
    tape_volume: _media_catalog_pb2.TapeVolume
    tape_files: _containers.RepeatedCompositeFieldContainer[_media_catalog_pb2.TapeFile]
    catalog_files: bool
    disk_files: _containers.RepeatedCompositeFieldContainer[_media_catalog_pb2.DiskFile]
    volume_sequence: int
    run_sequence: int
    def __init__(self, format_version: _Optional[int] = ..., export_id: _Optional[str] = ..., export_type: _Optional[_Union[_catalog_sync_pb2.SyncType, str]] = ..., data_store_id: _Optional[str] = ..., primary_data_store_id: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., domain_id: _Optional[str] = ..., exporting_node: _Optional[str] = ..., exporting_process: _Optional[str] = ..., exported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., volume: _Optional[_Union[_backbox_domain_pb2.BackBoxVolume, _Mapping]] = ..., has_tape_volume: _Optional[bool] = ..., tape_volume: _Optional[_Union[_media_catalog_pb2.TapeVolume, _Mapping]] = ..., tape_files: _Optional[_Iterable[_Union[_media_catalog_pb2.TapeFile, _Mapping]]] = ..., catalog_files: _Optional[bool] = ..., disk_files: _Optional[_Iterable[_Union[_media_catalog_pb2.DiskFile, _Mapping]]] = ..., volume_sequence: _Optional[int] = ..., run_sequence: _Optional[int] = ...) -> None: ...

class ExportSummary(_message.Message):
    __slots__ = ("format_version", "export_id", "type", "data_store_id", "primary_data_store_id", "catalog_files", "domain_id", "exporting_node", "exporting_process", "started", "finished", "volume_groups", "labels", "volume_count", "failed_labels", "last_full_export_id", "last_full_labels", "data_store", "run_sequence", "last_full_run_sequence", "primary_catalogs")
    FORMAT_VERSION_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORTING_NODE_FIELD_NUMBER: _ClassVar[int]
    EXPORTING_PROCESS_FIELD_NUMBER: _ClassVar[int]
    STARTED_FIELD_NUMBER: _ClassVar[int]
    FINISHED_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUPS_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAILED_LABELS_FIELD_NUMBER: _ClassVar[int]
    LAST_FULL_EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_FULL_LABELS_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_FIELD_NUMBER: _ClassVar[int]
    RUN_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LAST_FULL_RUN_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_CATALOGS_FIELD_NUMBER: _ClassVar[int]
    format_version: int
    export_id: str
    type: _catalog_sync_pb2.SyncType
    data_store_id: str
    primary_data_store_id: str
    catalog_files: bool
    domain_id: str
    exporting_node: str
    exporting_process: str
    started: _timestamp_pb2.Timestamp
    finished: _timestamp_pb2.Timestamp
    volume_groups: _containers.RepeatedCompositeFieldContainer[_backbox_domain_pb2.VolumeGroup]
    labels: _containers.RepeatedScalarFieldContainer[str]
    volume_count: int
    failed_labels: _containers.RepeatedScalarFieldContainer[str]
    last_full_export_id: str
    last_full_labels: _containers.RepeatedScalarFieldContainer[str]
    data_store: _backbox_domain_pb2.DataStore
    run_sequence: int
    last_full_run_sequence: int
    primary_catalogs: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, format_version: _Optional[int] = ..., export_id: _Optional[str] = ..., type: _Optional[_Union[_catalog_sync_pb2.SyncType, str]] = ..., data_store_id: _Optional[str] = ..., primary_data_store_id: _Optional[str] = ..., catalog_files: _Optional[bool] = ..., domain_id: _Optional[str] = ..., exporting_node: _Optional[str] = ..., exporting_process: _Optional[str] = ..., started: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., volume_groups: _Optional[_Iterable[_Union[_backbox_domain_pb2.VolumeGroup, _Mapping]]] = ..., labels: _Optional[_Iterable[str]] = ..., volume_count: _Optional[int] = ..., failed_labels: _Optional[_Iterable[str]] = ..., last_full_export_id: _Optional[str] = ..., last_full_labels: _Optional[_Iterable[str]] = ..., data_store: _Optional[_Union[_backbox_domain_pb2.DataStore, _Mapping]] = ..., run_sequence: _Optional[int] = ..., last_full_run_sequence: _Optional[int] = ..., primary_catalogs: _Optional[_Iterable[str]] = ...) -> None: ...
