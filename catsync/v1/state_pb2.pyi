from catsync.v1 import catalog_sync_pb2 as _catalog_sync_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExportStoreState(_message.Message):
    __slots__ = ("format_version", "data_store_id", "latest_export", "latest_full_export", "last_full_labels", "most_recent_exported", "recent_runs", "last_run_sequence", "last_full_run_sequence")
    FORMAT_VERSION_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    LATEST_EXPORT_FIELD_NUMBER: _ClassVar[int]
    LATEST_FULL_EXPORT_FIELD_NUMBER: _ClassVar[int]
    LAST_FULL_LABELS_FIELD_NUMBER: _ClassVar[int]
    MOST_RECENT_EXPORTED_FIELD_NUMBER: _ClassVar[int]
    RECENT_RUNS_FIELD_NUMBER: _ClassVar[int]
    LAST_RUN_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    LAST_FULL_RUN_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    format_version: int
    data_store_id: str
    latest_export: _catalog_sync_pb2.ExportRun
    latest_full_export: _catalog_sync_pb2.ExportRun
    last_full_labels: _containers.RepeatedScalarFieldContainer[str]
    most_recent_exported: _catalog_sync_pb2.VolumeActivity
    recent_runs: _containers.RepeatedCompositeFieldContainer[_catalog_sync_pb2.ExportRun]
    last_run_sequence: int
    last_full_run_sequence: int
    def __init__(self, format_version: _Optional[int] = ..., data_store_id: _Optional[str] = ..., latest_export: _Optional[_Union[_catalog_sync_pb2.ExportRun, _Mapping]] = ..., latest_full_export: _Optional[_Union[_catalog_sync_pb2.ExportRun, _Mapping]] = ..., last_full_labels: _Optional[_Iterable[str]] = ..., most_recent_exported: _Optional[_Union[_catalog_sync_pb2.VolumeActivity, _Mapping]] = ..., recent_runs: _Optional[_Iterable[_Union[_catalog_sync_pb2.ExportRun, _Mapping]]] = ..., last_run_sequence: _Optional[int] = ..., last_full_run_sequence: _Optional[int] = ...) -> None: ...

class JobTable(_message.Message):
    __slots__ = ("format_version", "node", "last_number", "jobs")
    FORMAT_VERSION_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    LAST_NUMBER_FIELD_NUMBER: _ClassVar[int]
    JOBS_FIELD_NUMBER: _ClassVar[int]
    format_version: int
    node: str
    last_number: int
    jobs: _containers.RepeatedCompositeFieldContainer[_catalog_sync_pb2.Job]
    def __init__(self, format_version: _Optional[int] = ..., node: _Optional[str] = ..., last_number: _Optional[int] = ..., jobs: _Optional[_Iterable[_Union[_catalog_sync_pb2.Job, _Mapping]]] = ...) -> None: ...

class ExtractorState(_message.Message):
    __slots__ = ("format_version", "node", "stopped", "checks", "retries_started", "last_outcome")
    FORMAT_VERSION_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    STOPPED_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    RETRIES_STARTED_FIELD_NUMBER: _ClassVar[int]
    LAST_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    format_version: int
    node: str
    stopped: bool
    checks: int
    retries_started: int
    last_outcome: str
    def __init__(self, format_version: _Optional[int] = ..., node: _Optional[str] = ..., stopped: _Optional[bool] = ..., checks: _Optional[int] = ..., retries_started: _Optional[int] = ..., last_outcome: _Optional[str] = ...) -> None: ...

class ImportStoreState(_message.Message):
    __slots__ = ("format_version", "data_store_id", "latest_import", "latest_full_import", "most_recent_imported", "recent_runs", "watermark_source", "has_watermark", "watermark_micros", "boundary", "reimport_all", "reimport_reason")
    class BoundaryEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    FORMAT_VERSION_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    LATEST_IMPORT_FIELD_NUMBER: _ClassVar[int]
    LATEST_FULL_IMPORT_FIELD_NUMBER: _ClassVar[int]
    MOST_RECENT_IMPORTED_FIELD_NUMBER: _ClassVar[int]
    RECENT_RUNS_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_SOURCE_FIELD_NUMBER: _ClassVar[int]
    HAS_WATERMARK_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_MICROS_FIELD_NUMBER: _ClassVar[int]
    BOUNDARY_FIELD_NUMBER: _ClassVar[int]
    REIMPORT_ALL_FIELD_NUMBER: _ClassVar[int]
    REIMPORT_REASON_FIELD_NUMBER: _ClassVar[int]
    format_version: int
    data_store_id: str
    latest_import: _catalog_sync_pb2.ImportRun
    latest_full_import: _catalog_sync_pb2.ImportRun
    most_recent_imported: _catalog_sync_pb2.VolumeActivity
    recent_runs: _containers.RepeatedCompositeFieldContainer[_catalog_sync_pb2.ImportRun]
    watermark_source: str
    has_watermark: bool
    watermark_micros: int
    boundary: _containers.ScalarMap[str, int]
    reimport_all: bool
    reimport_reason: str
    def __init__(self, format_version: _Optional[int] = ..., data_store_id: _Optional[str] = ..., latest_import: _Optional[_Union[_catalog_sync_pb2.ImportRun, _Mapping]] = ..., latest_full_import: _Optional[_Union[_catalog_sync_pb2.ImportRun, _Mapping]] = ..., most_recent_imported: _Optional[_Union[_catalog_sync_pb2.VolumeActivity, _Mapping]] = ..., recent_runs: _Optional[_Iterable[_Union[_catalog_sync_pb2.ImportRun, _Mapping]]] = ..., watermark_source: _Optional[str] = ..., has_watermark: _Optional[bool] = ..., watermark_micros: _Optional[int] = ..., boundary: _Optional[_Mapping[str, int]] = ..., reimport_all: _Optional[bool] = ..., reimport_reason: _Optional[str] = ...) -> None: ...
