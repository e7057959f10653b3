import datetime

from google.protobuf import duration_pb2 as _duration_pb2
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

class SyncType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SYNC_TYPE_UNSPECIFIED: _ClassVar[SyncType]
    SYNC_TYPE_FULL: _ClassVar[SyncType]
    SYNC_TYPE_UPDATE: _ClassVar[SyncType]

class ProcessKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROCESS_KIND_UNSPECIFIED: _ClassVar[ProcessKind]
    PROCESS_KIND_EXPORT: _ClassVar[ProcessKind]
    PROCESS_KIND_IMPORT: _ClassVar[ProcessKind]

class ProcessStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROCESS_STATUS_UNSPECIFIED: _ClassVar[ProcessStatus]
    PROCESS_STATUS_RUNNING: _ClassVar[ProcessStatus]
    PROCESS_STATUS_FINISHED: _ClassVar[ProcessStatus]
    PROCESS_STATUS_FAILED: _ClassVar[ProcessStatus]
    PROCESS_STATUS_REJECTED: _ClassVar[ProcessStatus]

class Trigger(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRIGGER_UNSPECIFIED: _ClassVar[Trigger]
    TRIGGER_UI: _ClassVar[Trigger]
    TRIGGER_MACRO: _ClassVar[Trigger]
    TRIGGER_NETBATCH: _ClassVar[Trigger]
    TRIGGER_AUTOMATIC: _ClassVar[Trigger]
    TRIGGER_EXTRACTOR_RETRY: _ClassVar[Trigger]

class CatalogFilesOption(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CATALOG_FILES_OPTION_UNSPECIFIED: _ClassVar[CatalogFilesOption]
    CATALOG_FILES_OPTION_YES: _ClassVar[CatalogFilesOption]
    CATALOG_FILES_OPTION_NO: _ClassVar[CatalogFilesOption]

class MacroKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    MACRO_KIND_UNSPECIFIED: _ClassVar[MacroKind]
    MACRO_KIND_EXPORT_CATALOG: _ClassVar[MacroKind]
    MACRO_KIND_IMPORT_CATALOG: _ClassVar[MacroKind]
SYNC_TYPE_UNSPECIFIED: SyncType
SYNC_TYPE_FULL: SyncType
SYNC_TYPE_UPDATE: SyncType
PROCESS_KIND_UNSPECIFIED: ProcessKind
PROCESS_KIND_EXPORT: ProcessKind
PROCESS_KIND_IMPORT: ProcessKind
PROCESS_STATUS_UNSPECIFIED: ProcessStatus
PROCESS_STATUS_RUNNING: ProcessStatus
PROCESS_STATUS_FINISHED: ProcessStatus
PROCESS_STATUS_FAILED: ProcessStatus
PROCESS_STATUS_REJECTED: ProcessStatus
TRIGGER_UNSPECIFIED: Trigger
TRIGGER_UI: Trigger
TRIGGER_MACRO: Trigger
TRIGGER_NETBATCH: Trigger
TRIGGER_AUTOMATIC: Trigger
TRIGGER_EXTRACTOR_RETRY: Trigger
CATALOG_FILES_OPTION_UNSPECIFIED: CatalogFilesOption
CATALOG_FILES_OPTION_YES: CatalogFilesOption
CATALOG_FILES_OPTION_NO: CatalogFilesOption
MACRO_KIND_UNSPECIFIED: MacroKind
MACRO_KIND_EXPORT_CATALOG: MacroKind
MACRO_KIND_IMPORT_CATALOG: MacroKind

class VolumeActivity(_message.Message):
    __slots__ = ("label", "time")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    label: str
    time: _timestamp_pb2.Timestamp
    def __init__(self, label: _Optional[str] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CatalogDescription(_message.Message):
    __slots__ = ("configured", "catalog_type", "volcat", "pool", "filecat", "tmf_node", "text")
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    CATALOG_TYPE_FIELD_NUMBER: _ClassVar[int]
    VOLCAT_FIELD_NUMBER: _ClassVar[int]
    POOL_FIELD_NUMBER: _ClassVar[int]
    FILECAT_FIELD_NUMBER: _ClassVar[int]
    TMF_NODE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    configured: bool
    catalog_type: _backbox_domain_pb2.TapeCatalogType
    volcat: str
    pool: str
    filecat: str
    tmf_node: str
    text: str
    def __init__(self, configured: _Optional[bool] = ..., catalog_type: _Optional[_Union[_backbox_domain_pb2.TapeCatalogType, str]] = ..., volcat: _Optional[str] = ..., pool: _Optional[str] = ..., filecat: _Optional[str] = ..., tmf_node: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class ReportMessage(_message.Message):
    __slots__ = ("code", "severity", "text", "label", "volume_group_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    severity: _backbox_domain_pb2.ProblemSeverity
    text: str
    label: str
    volume_group_id: str
    def __init__(self, code: _Optional[str] = ..., severity: _Optional[_Union[_backbox_domain_pb2.ProblemSeverity, str]] = ..., text: _Optional[str] = ..., label: _Optional[str] = ..., volume_group_id: _Optional[str] = ...) -> None: ...

class ValidationRow(_message.Message):
    __slots__ = ("secondary_volume_group_id", "primary_volume_group_id", "primary", "secondary", "warning", "fatal", "volumes_rejected", "more_errors")
    SECONDARY_VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_FIELD_NUMBER: _ClassVar[int]
    SECONDARY_FIELD_NUMBER: _ClassVar[int]
    WARNING_FIELD_NUMBER: _ClassVar[int]
    FATAL_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_REJECTED_FIELD_NUMBER: _ClassVar[int]
    MORE_ERRORS_FIELD_NUMBER: _ClassVar[int]
    secondary_volume_group_id: str
    primary_volume_group_id: str
    primary: CatalogDescription
    secondary: CatalogDescription
    warning: ReportMessage
    fatal: bool
    volumes_rejected: bool
    more_errors: _containers.RepeatedCompositeFieldContainer[ReportMessage]
    def __init__(self, secondary_volume_group_id: _Optional[str] = ..., primary_volume_group_id: _Optional[str] = ..., primary: _Optional[_Union[CatalogDescription, _Mapping]] = ..., secondary: _Optional[_Union[CatalogDescription, _Mapping]] = ..., warning: _Optional[_Union[ReportMessage, _Mapping]] = ..., fatal: _Optional[bool] = ..., volumes_rejected: _Optional[bool] = ..., more_errors: _Optional[_Iterable[_Union[ReportMessage, _Mapping]]] = ...) -> None: ...

class ReportVolumeRow(_message.Message):
    __slots__ = ("label", "volume_group_id", "catalog_status", "first_file_id", "first_generation", "first_vol_index", "catalog_text")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    CATALOG_STATUS_FIELD_NUMBER: _ClassVar[int]
    FIRST_FILE_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_GENERATION_FIELD_NUMBER: _ClassVar[int]
    FIRST_VOL_INDEX_FIELD_NUMBER: _ClassVar[int]
    CATALOG_TEXT_FIELD_NUMBER: _ClassVar[int]
    label: str
    volume_group_id: str
    catalog_status: _media_catalog_pb2.VolumeStatus
    first_file_id: str
    first_generation: int
    first_vol_index: int
    catalog_text: str
    def __init__(self, label: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., catalog_status: _Optional[_Union[_media_catalog_pb2.VolumeStatus, str]] = ..., first_file_id: _Optional[str] = ..., first_generation: _Optional[int] = ..., first_vol_index: _Optional[int] = ..., catalog_text: _Optional[str] = ...) -> None: ...

class VolumeProblem(_message.Message):
    __slots__ = ("label", "volume_group_id", "message", "code", "guardian_error")
    LABEL_FIELD_NUMBER: _ClassVar[int]
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    GUARDIAN_ERROR_FIELD_NUMBER: _ClassVar[int]
    label: str
    volume_group_id: str
    message: str
    code: str
    guardian_error: int
    def __init__(self, label: _Optional[str] = ..., volume_group_id: _Optional[str] = ..., message: _Optional[str] = ..., code: _Optional[str] = ..., guardian_error: _Optional[int] = ...) -> None: ...

class ReportHeader(_message.Message):
    __slots__ = ("domain_id", "process", "started", "kind", "type", "data_store_id", "primary_data_store_id", "disk_files", "disk_files_text", "export_id", "location", "report_location", "license_warning", "banner_line")
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    STARTED_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_TEXT_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    LICENSE_WARNING_FIELD_NUMBER: _ClassVar[int]
    BANNER_LINE_FIELD_NUMBER: _ClassVar[int]
    domain_id: str
    process: str
    started: _timestamp_pb2.Timestamp
    kind: ProcessKind
    type: SyncType
    data_store_id: str
    primary_data_store_id: str
    disk_files: bool
    disk_files_text: str
    export_id: str
    location: str
    report_location: str
    license_warning: ReportMessage
    banner_line: str
    def __init__(self, domain_id: _Optional[str] = ..., process: _Optional[str] = ..., started: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[_Union[ProcessKind, str]] = ..., type: _Optional[_Union[SyncType, str]] = ..., data_store_id: _Optional[str] = ..., primary_data_store_id: _Optional[str] = ..., disk_files: _Optional[bool] = ..., disk_files_text: _Optional[str] = ..., export_id: _Optional[str] = ..., location: _Optional[str] = ..., report_location: _Optional[str] = ..., license_warning: _Optional[_Union[ReportMessage, _Mapping]] = ..., banner_line: _Optional[str] = ...) -> None: ...

class ExportGroupSummary(_message.Message):
    __slots__ = ("volume_group_id", "catalog", "most_recent_label", "most_recent_unload_time", "volume_count", "disk_file_count", "empty")
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FIELD_NUMBER: _ClassVar[int]
    MOST_RECENT_LABEL_FIELD_NUMBER: _ClassVar[int]
    MOST_RECENT_UNLOAD_TIME_FIELD_NUMBER: _ClassVar[int]
    VOLUME_COUNT_FIELD_NUMBER: _ClassVar[int]
    DISK_FILE_COUNT_FIELD_NUMBER: _ClassVar[int]
    EMPTY_FIELD_NUMBER: _ClassVar[int]
    volume_group_id: str
    catalog: CatalogDescription
    most_recent_label: str
    most_recent_unload_time: _timestamp_pb2.Timestamp
    volume_count: int
    disk_file_count: int
    empty: bool
    def __init__(self, volume_group_id: _Optional[str] = ..., catalog: _Optional[_Union[CatalogDescription, _Mapping]] = ..., most_recent_label: _Optional[str] = ..., most_recent_unload_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., volume_count: _Optional[int] = ..., disk_file_count: _Optional[int] = ..., empty: _Optional[bool] = ...) -> None: ...

class ExportReport(_message.Message):
    __slots__ = ("header", "volumes", "groups", "volumes_processed", "volume_errors", "messages", "completion_line", "end_line", "ended", "status", "lines")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_PROCESSED_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ERRORS_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_LINE_FIELD_NUMBER: _ClassVar[int]
    END_LINE_FIELD_NUMBER: _ClassVar[int]
    ENDED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    header: ReportHeader
    volumes: _containers.RepeatedCompositeFieldContainer[ReportVolumeRow]
    groups: _containers.RepeatedCompositeFieldContainer[ExportGroupSummary]
    volumes_processed: int
    volume_errors: _containers.RepeatedCompositeFieldContainer[VolumeProblem]
    messages: _containers.RepeatedCompositeFieldContainer[ReportMessage]
    completion_line: str
    end_line: str
    ended: _timestamp_pb2.Timestamp
    status: ProcessStatus
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, header: _Optional[_Union[ReportHeader, _Mapping]] = ..., volumes: _Optional[_Iterable[_Union[ReportVolumeRow, _Mapping]]] = ..., groups: _Optional[_Iterable[_Union[ExportGroupSummary, _Mapping]]] = ..., volumes_processed: _Optional[int] = ..., volume_errors: _Optional[_Iterable[_Union[VolumeProblem, _Mapping]]] = ..., messages: _Optional[_Iterable[_Union[ReportMessage, _Mapping]]] = ..., completion_line: _Optional[str] = ..., end_line: _Optional[str] = ..., ended: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[ProcessStatus, str]] = ..., lines: _Optional[_Iterable[str]] = ...) -> None: ...

class ImportGroupSummary(_message.Message):
    __slots__ = ("volume_group_id", "catalog", "newest_label", "newest_unload_time", "volumes_in_source", "backbox_added", "backbox_updated", "backbox_deleted", "nsk_added", "nsk_updated", "nsk_deleted")
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FIELD_NUMBER: _ClassVar[int]
    NEWEST_LABEL_FIELD_NUMBER: _ClassVar[int]
    NEWEST_UNLOAD_TIME_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_IN_SOURCE_FIELD_NUMBER: _ClassVar[int]
    BACKBOX_ADDED_FIELD_NUMBER: _ClassVar[int]
    BACKBOX_UPDATED_FIELD_NUMBER: _ClassVar[int]
    BACKBOX_DELETED_FIELD_NUMBER: _ClassVar[int]
    NSK_ADDED_FIELD_NUMBER: _ClassVar[int]
    NSK_UPDATED_FIELD_NUMBER: _ClassVar[int]
    NSK_DELETED_FIELD_NUMBER: _ClassVar[int]
    volume_group_id: str
    catalog: CatalogDescription
    newest_label: str
    newest_unload_time: _timestamp_pb2.Timestamp
    volumes_in_source: int
    backbox_added: int
    backbox_updated: int
    backbox_deleted: int
    nsk_added: int
    nsk_updated: int
    nsk_deleted: int
    def __init__(self, volume_group_id: _Optional[str] = ..., catalog: _Optional[_Union[CatalogDescription, _Mapping]] = ..., newest_label: _Optional[str] = ..., newest_unload_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., volumes_in_source: _Optional[int] = ..., backbox_added: _Optional[int] = ..., backbox_updated: _Optional[int] = ..., backbox_deleted: _Optional[int] = ..., nsk_added: _Optional[int] = ..., nsk_updated: _Optional[int] = ..., nsk_deleted: _Optional[int] = ...) -> None: ...

class ImportGroupActivity(_message.Message):
    __slots__ = ("volume_group_id", "tape_files_added", "tape_files_updated", "tape_files_deleted", "disk_files_added", "disk_files_deleted")
    VOLUME_GROUP_ID_FIELD_NUMBER: _ClassVar[int]
    TAPE_FILES_ADDED_FIELD_NUMBER: _ClassVar[int]
    TAPE_FILES_UPDATED_FIELD_NUMBER: _ClassVar[int]
    TAPE_FILES_DELETED_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_ADDED_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_DELETED_FIELD_NUMBER: _ClassVar[int]
    volume_group_id: str
    tape_files_added: int
    tape_files_updated: int
    tape_files_deleted: int
    disk_files_added: int
    disk_files_deleted: int
    def __init__(self, volume_group_id: _Optional[str] = ..., tape_files_added: _Optional[int] = ..., tape_files_updated: _Optional[int] = ..., tape_files_deleted: _Optional[int] = ..., disk_files_added: _Optional[int] = ..., disk_files_deleted: _Optional[int] = ...) -> None: ...

class ImportReport(_message.Message):
    __slots__ = ("header", "validation", "volumes", "deleted", "summaries", "activity", "warnings", "volume_errors", "missing_key_manager_ids", "volumes_processed", "fatal", "fatal_message", "completion_line", "end_line", "ended", "status", "lines")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    VALIDATION_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ERRORS_FIELD_NUMBER: _ClassVar[int]
    MISSING_KEY_MANAGER_IDS_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_PROCESSED_FIELD_NUMBER: _ClassVar[int]
    FATAL_FIELD_NUMBER: _ClassVar[int]
    FATAL_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_LINE_FIELD_NUMBER: _ClassVar[int]
    END_LINE_FIELD_NUMBER: _ClassVar[int]
    ENDED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    header: ReportHeader
    validation: _containers.RepeatedCompositeFieldContainer[ValidationRow]
    volumes: _containers.RepeatedCompositeFieldContainer[ReportVolumeRow]
    deleted: _containers.RepeatedCompositeFieldContainer[ReportVolumeRow]
    summaries: _containers.RepeatedCompositeFieldContainer[ImportGroupSummary]
    activity: _containers.RepeatedCompositeFieldContainer[ImportGroupActivity]
    warnings: _containers.RepeatedCompositeFieldContainer[ReportMessage]
    volume_errors: _containers.RepeatedCompositeFieldContainer[VolumeProblem]
    missing_key_manager_ids: _containers.RepeatedScalarFieldContainer[str]
    volumes_processed: int
    fatal: bool
    fatal_message: str
    completion_line: str
    end_line: str
    ended: _timestamp_pb2.Timestamp
    status: ProcessStatus
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, header: _Optional[_Union[ReportHeader, _Mapping]] = ..., validation: _Optional[_Iterable[_Union[ValidationRow, _Mapping]]] = ..., volumes: _Optional[_Iterable[_Union[ReportVolumeRow, _Mapping]]] = ..., deleted: _Optional[_Iterable[_Union[ReportVolumeRow, _Mapping]]] = ..., summaries: _Optional[_Iterable[_Union[ImportGroupSummary, _Mapping]]] = ..., activity: _Optional[_Iterable[_Union[ImportGroupActivity, _Mapping]]] = ..., warnings: _Optional[_Iterable[_Union[ReportMessage, _Mapping]]] = ..., volume_errors: _Optional[_Iterable[_Union[VolumeProblem, _Mapping]]] = ..., missing_key_manager_ids: _Optional[_Iterable[str]] = ..., volumes_processed: _Optional[int] = ..., fatal: _Optional[bool] = ..., fatal_message: _Optional[str] = ..., completion_line: _Optional[str] = ..., end_line: _Optional[str] = ..., ended: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[ProcessStatus, str]] = ..., lines: _Optional[_Iterable[str]] = ...) -> None: ...

class ExportRun(_message.Message):
    __slots__ = ("data_store_id", "process", "export_id", "type", "requested_type", "converted_to_full", "catalog_files", "trigger", "status", "reason", "rule", "start_time", "end_time", "volumes_processed", "volume_errors", "report_location", "destination", "report")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_TO_FULL_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_PROCESSED_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ERRORS_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    process: str
    export_id: str
    type: SyncType
    requested_type: SyncType
    converted_to_full: bool
    catalog_files: bool
    trigger: Trigger
    status: ProcessStatus
    reason: str
    rule: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    volumes_processed: int
    volume_errors: int
    report_location: str
    destination: str
    report: ExportReport
    def __init__(self, data_store_id: _Optional[str] = ..., process: _Optional[str] = ..., export_id: _Optional[str] = ..., type: _Optional[_Union[SyncType, str]] = ..., requested_type: _Optional[_Union[SyncType, str]] = ..., converted_to_full: _Optional[bool] = ..., catalog_files: _Optional[bool] = ..., trigger: _Optional[_Union[Trigger, str]] = ..., status: _Optional[_Union[ProcessStatus, str]] = ..., reason: _Optional[str] = ..., rule: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., volumes_processed: _Optional[int] = ..., volume_errors: _Optional[int] = ..., report_location: _Optional[str] = ..., destination: _Optional[str] = ..., report: _Optional[_Union[ExportReport, _Mapping]] = ...) -> None: ...

class ImportRun(_message.Message):
    __slots__ = ("data_store_id", "primary_data_store_id", "process", "export_id", "type", "catalog_files", "trigger", "status", "reason", "rule", "start_time", "end_time", "volumes_processed", "volume_errors", "report_location", "staging_subvolume", "report")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_PROCESSED_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ERRORS_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    STAGING_SUBVOLUME_FIELD_NUMBER: _ClassVar[int]
    REPORT_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    primary_data_store_id: str
    process: str
    export_id: str
    type: SyncType
    catalog_files: bool
    trigger: Trigger
    status: ProcessStatus
    reason: str
    rule: str
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    volumes_processed: int
    volume_errors: int
    report_location: str
    staging_subvolume: str
    report: ImportReport
    def __init__(self, data_store_id: _Optional[str] = ..., primary_data_store_id: _Optional[str] = ..., process: _Optional[str] = ..., export_id: _Optional[str] = ..., type: _Optional[_Union[SyncType, str]] = ..., catalog_files: _Optional[bool] = ..., trigger: _Optional[_Union[Trigger, str]] = ..., status: _Optional[_Union[ProcessStatus, str]] = ..., reason: _Optional[str] = ..., rule: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., volumes_processed: _Optional[int] = ..., volume_errors: _Optional[int] = ..., report_location: _Optional[str] = ..., staging_subvolume: _Optional[str] = ..., report: _Optional[_Union[ImportReport, _Mapping]] = ...) -> None: ...

class ExportCatalogRequest(_message.Message):
    __slots__ = ("data_store_id", "type", "catalog_files", "trigger", "wait", "user", "node", "extractor_process")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    EXTRACTOR_PROCESS_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    type: SyncType
    catalog_files: CatalogFilesOption
    trigger: Trigger
    wait: bool
    user: str
    node: str
    extractor_process: str
    def __init__(self, data_store_id: _Optional[str] = ..., type: _Optional[_Union[SyncType, str]] = ..., catalog_files: _Optional[_Union[CatalogFilesOption, str]] = ..., trigger: _Optional[_Union[Trigger, str]] = ..., wait: _Optional[bool] = ..., user: _Optional[str] = ..., node: _Optional[str] = ..., extractor_process: _Optional[str] = ...) -> None: ...

class ExportCatalogResponse(_message.Message):
    __slots__ = ("runs",)
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[ExportRun]
    def __init__(self, runs: _Optional[_Iterable[_Union[ExportRun, _Mapping]]] = ...) -> None: ...

class ImportCatalogRequest(_message.Message):
    __slots__ = ("data_store_id", "store_id_alias", "type", "catalog_files", "trigger", "wait", "user", "node")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    STORE_ID_ALIAS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    store_id_alias: int
    type: SyncType
    catalog_files: CatalogFilesOption
    trigger: Trigger
    wait: bool
    user: str
    node: str
    def __init__(self, data_store_id: _Optional[str] = ..., store_id_alias: _Optional[int] = ..., type: _Optional[_Union[SyncType, str]] = ..., catalog_files: _Optional[_Union[CatalogFilesOption, str]] = ..., trigger: _Optional[_Union[Trigger, str]] = ..., wait: _Optional[bool] = ..., user: _Optional[str] = ..., node: _Optional[str] = ...) -> None: ...

class ImportCatalogResponse(_message.Message):
    __slots__ = ("runs",)
    RUNS_FIELD_NUMBER: _ClassVar[int]
    runs: _containers.RepeatedCompositeFieldContainer[ImportRun]
    def __init__(self, runs: _Optional[_Iterable[_Union[ImportRun, _Mapping]]] = ...) -> None: ...

class ExportProcessInfo(_message.Message):
    __slots__ = ("export_id", "process", "type", "status", "start_time", "end_time", "report_location", "volumes_processed", "destination", "trigger", "catalog_files", "reason", "volume_errors")
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_PROCESSED_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ERRORS_FIELD_NUMBER: _ClassVar[int]
    export_id: str
    process: str
    type: SyncType
    status: ProcessStatus
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    report_location: str
    volumes_processed: int
    destination: str
    trigger: Trigger
    catalog_files: bool
    reason: str
    volume_errors: int
    def __init__(self, export_id: _Optional[str] = ..., process: _Optional[str] = ..., type: _Optional[_Union[SyncType, str]] = ..., status: _Optional[_Union[ProcessStatus, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., report_location: _Optional[str] = ..., volumes_processed: _Optional[int] = ..., destination: _Optional[str] = ..., trigger: _Optional[_Union[Trigger, str]] = ..., catalog_files: _Optional[bool] = ..., reason: _Optional[str] = ..., volume_errors: _Optional[int] = ...) -> None: ...

class GetExportStatusRequest(_message.Message):
    __slots__ = ("data_store_id",)
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    def __init__(self, data_store_id: _Optional[str] = ...) -> None: ...

class GetExportStatusResponse(_message.Message):
    __slots__ = ("data_store_id", "most_recent_exported", "pending_count", "oldest_pending", "latest_full_export", "latest_export", "next_retry_time", "exports_enabled", "lines", "disk_files_allowed")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    MOST_RECENT_EXPORTED_FIELD_NUMBER: _ClassVar[int]
    PENDING_COUNT_FIELD_NUMBER: _ClassVar[int]
    OLDEST_PENDING_FIELD_NUMBER: _ClassVar[int]
    LATEST_FULL_EXPORT_FIELD_NUMBER: _ClassVar[int]
    LATEST_EXPORT_FIELD_NUMBER: _ClassVar[int]
    NEXT_RETRY_TIME_FIELD_NUMBER: _ClassVar[int]
    EXPORTS_ENABLED_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    DISK_FILES_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    most_recent_exported: VolumeActivity
    pending_count: int
    oldest_pending: _containers.RepeatedCompositeFieldContainer[VolumeActivity]
    latest_full_export: ExportProcessInfo
    latest_export: ExportProcessInfo
    next_retry_time: _timestamp_pb2.Timestamp
    exports_enabled: bool
    lines: _containers.RepeatedScalarFieldContainer[str]
    disk_files_allowed: bool
    def __init__(self, data_store_id: _Optional[str] = ..., most_recent_exported: _Optional[_Union[VolumeActivity, _Mapping]] = ..., pending_count: _Optional[int] = ..., oldest_pending: _Optional[_Iterable[_Union[VolumeActivity, _Mapping]]] = ..., latest_full_export: _Optional[_Union[ExportProcessInfo, _Mapping]] = ..., latest_export: _Optional[_Union[ExportProcessInfo, _Mapping]] = ..., next_retry_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., exports_enabled: _Optional[bool] = ..., lines: _Optional[_Iterable[str]] = ..., disk_files_allowed: _Optional[bool] = ...) -> None: ...

class AvailableCatalogInfo(_message.Message):
    __slots__ = ("staging_subvolume", "total_volume_files", "received_after_last_import", "latest_received_time", "latest_export_id", "latest_export_type")
    STAGING_SUBVOLUME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_VOLUME_FILES_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AFTER_LAST_IMPORT_FIELD_NUMBER: _ClassVar[int]
    LATEST_RECEIVED_TIME_FIELD_NUMBER: _ClassVar[int]
    LATEST_EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    LATEST_EXPORT_TYPE_FIELD_NUMBER: _ClassVar[int]
    staging_subvolume: str
    total_volume_files: int
    received_after_last_import: int
    latest_received_time: _timestamp_pb2.Timestamp
    latest_export_id: str
    latest_export_type: SyncType
    def __init__(self, staging_subvolume: _Optional[str] = ..., total_volume_files: _Optional[int] = ..., received_after_last_import: _Optional[int] = ..., latest_received_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., latest_export_id: _Optional[str] = ..., latest_export_type: _Optional[_Union[SyncType, str]] = ...) -> None: ...

class ImportProcessInfo(_message.Message):
    __slots__ = ("staging_subvolume", "export_id", "process", "type", "status", "start_time", "end_time", "report_location", "volumes_processed", "trigger", "volume_errors", "reason", "catalog_files")
    STAGING_SUBVOLUME_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    VOLUMES_PROCESSED_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    VOLUME_ERRORS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    staging_subvolume: str
    export_id: str
    process: str
    type: SyncType
    status: ProcessStatus
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    report_location: str
    volumes_processed: int
    trigger: Trigger
    volume_errors: int
    reason: str
    catalog_files: bool
    def __init__(self, staging_subvolume: _Optional[str] = ..., export_id: _Optional[str] = ..., process: _Optional[str] = ..., type: _Optional[_Union[SyncType, str]] = ..., status: _Optional[_Union[ProcessStatus, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., report_location: _Optional[str] = ..., volumes_processed: _Optional[int] = ..., trigger: _Optional[_Union[Trigger, str]] = ..., volume_errors: _Optional[int] = ..., reason: _Optional[str] = ..., catalog_files: _Optional[bool] = ...) -> None: ...

class GetImportStatusRequest(_message.Message):
    __slots__ = ("data_store_id", "store_id_alias")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    STORE_ID_ALIAS_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    store_id_alias: int
    def __init__(self, data_store_id: _Optional[str] = ..., store_id_alias: _Optional[int] = ...) -> None: ...

class GetImportStatusResponse(_message.Message):
    __slots__ = ("data_store_id", "most_recent_imported", "available", "latest_full_import", "latest_import", "check_against_primary_available", "next_update_reimports_all", "lines")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    MOST_RECENT_IMPORTED_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    LATEST_FULL_IMPORT_FIELD_NUMBER: _ClassVar[int]
    LATEST_IMPORT_FIELD_NUMBER: _ClassVar[int]
    CHECK_AGAINST_PRIMARY_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    NEXT_UPDATE_REIMPORTS_ALL_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    most_recent_imported: VolumeActivity
    available: AvailableCatalogInfo
    latest_full_import: ImportProcessInfo
    latest_import: ImportProcessInfo
    check_against_primary_available: bool
    next_update_reimports_all: bool
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, data_store_id: _Optional[str] = ..., most_recent_imported: _Optional[_Union[VolumeActivity, _Mapping]] = ..., available: _Optional[_Union[AvailableCatalogInfo, _Mapping]] = ..., latest_full_import: _Optional[_Union[ImportProcessInfo, _Mapping]] = ..., latest_import: _Optional[_Union[ImportProcessInfo, _Mapping]] = ..., check_against_primary_available: _Optional[bool] = ..., next_update_reimports_all: _Optional[bool] = ..., lines: _Optional[_Iterable[str]] = ...) -> None: ...

class CheckAgainstPrimaryRequest(_message.Message):
    __slots__ = ("data_store_id", "store_id_alias")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    STORE_ID_ALIAS_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    store_id_alias: int
    def __init__(self, data_store_id: _Optional[str] = ..., store_id_alias: _Optional[int] = ...) -> None: ...

class CheckAgainstPrimaryResponse(_message.Message):
    __slots__ = ("data_store_id", "primary_data_store_id", "export_id", "rows", "problems", "fatal", "lines")
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORT_ID_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    PROBLEMS_FIELD_NUMBER: _ClassVar[int]
    FATAL_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    data_store_id: str
    primary_data_store_id: str
    export_id: str
    rows: _containers.RepeatedCompositeFieldContainer[ValidationRow]
    problems: _containers.RepeatedCompositeFieldContainer[_backbox_domain_pb2.ConfigurationProblem]
    fatal: bool
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, data_store_id: _Optional[str] = ..., primary_data_store_id: _Optional[str] = ..., export_id: _Optional[str] = ..., rows: _Optional[_Iterable[_Union[ValidationRow, _Mapping]]] = ..., problems: _Optional[_Iterable[_Union[_backbox_domain_pb2.ConfigurationProblem, _Mapping]]] = ..., fatal: _Optional[bool] = ..., lines: _Optional[_Iterable[str]] = ...) -> None: ...

class MacroCall(_message.Message):
    __slots__ = ("kind", "store_id", "resolved_store_id", "store_id_alias", "catalog_files", "type", "text")
    KIND_FIELD_NUMBER: _ClassVar[int]
    STORE_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    STORE_ID_ALIAS_FIELD_NUMBER: _ClassVar[int]
    CATALOG_FILES_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    kind: MacroKind
    store_id: str
    resolved_store_id: str
    store_id_alias: int
    catalog_files: CatalogFilesOption
    type: SyncType
    text: str
    def __init__(self, kind: _Optional[_Union[MacroKind, str]] = ..., store_id: _Optional[str] = ..., resolved_store_id: _Optional[str] = ..., store_id_alias: _Optional[int] = ..., catalog_files: _Optional[_Union[CatalogFilesOption, str]] = ..., type: _Optional[_Union[SyncType, str]] = ..., text: _Optional[str] = ...) -> None: ...

class RunMacroRequest(_message.Message):
    __slots__ = ("text", "node", "user", "wait", "trigger")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_FIELD_NUMBER: _ClassVar[int]
    text: str
    node: str
    user: str
    wait: bool
    trigger: Trigger
    def __init__(self, text: _Optional[str] = ..., node: _Optional[str] = ..., user: _Optional[str] = ..., wait: _Optional[bool] = ..., trigger: _Optional[_Union[Trigger, str]] = ...) -> None: ...

class RunMacroResponse(_message.Message):
    __slots__ = ("ok", "error_message", "calls", "output", "export_runs", "import_runs")
    OK_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CALLS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    EXPORT_RUNS_FIELD_NUMBER: _ClassVar[int]
    IMPORT_RUNS_FIELD_NUMBER: _ClassVar[int]
    ok: bool
    error_message: str
    calls: _containers.RepeatedCompositeFieldContainer[MacroCall]
    output: _containers.RepeatedScalarFieldContainer[str]
    export_runs: _containers.RepeatedCompositeFieldContainer[ExportRun]
    import_runs: _containers.RepeatedCompositeFieldContainer[ImportRun]
    def __init__(self, ok: _Optional[bool] = ..., error_message: _Optional[str] = ..., calls: _Optional[_Iterable[_Union[MacroCall, _Mapping]]] = ..., output: _Optional[_Iterable[str]] = ..., export_runs: _Optional[_Iterable[_Union[ExportRun, _Mapping]]] = ..., import_runs: _Optional[_Iterable[_Union[ImportRun, _Mapping]]] = ...) -> None: ...

class GetReportRequest(_message.Message):
    __slots__ = ("process", "data_store_id", "kind")
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    DATA_STORE_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    process: str
    data_store_id: str
    kind: ProcessKind
    def __init__(self, process: _Optional[str] = ..., data_store_id: _Optional[str] = ..., kind: _Optional[_Union[ProcessKind, str]] = ...) -> None: ...

class GetReportResponse(_message.Message):
    __slots__ = ("process", "report_location", "lines", "export_report", "import_report")
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    REPORT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    EXPORT_REPORT_FIELD_NUMBER: _ClassVar[int]
    IMPORT_REPORT_FIELD_NUMBER: _ClassVar[int]
    process: str
    report_location: str
    lines: _containers.RepeatedScalarFieldContainer[str]
    export_report: ExportReport
    import_report: ImportReport
    def __init__(self, process: _Optional[str] = ..., report_location: _Optional[str] = ..., lines: _Optional[_Iterable[str]] = ..., export_report: _Optional[_Union[ExportReport, _Mapping]] = ..., import_report: _Optional[_Union[ImportReport, _Mapping]] = ...) -> None: ...

class Job(_message.Message):
    __slots__ = ("job_number", "job_name", "node", "macro_text", "at", "every", "hold", "priority", "out_location", "next_run", "last_run", "last_outcome", "run_count", "user")
    JOB_NUMBER_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    MACRO_TEXT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    EVERY_FIELD_NUMBER: _ClassVar[int]
    HOLD_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    OUT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    NEXT_RUN_FIELD_NUMBER: _ClassVar[int]
    LAST_RUN_FIELD_NUMBER: _ClassVar[int]
    LAST_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    RUN_COUNT_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    job_number: int
    job_name: str
    node: str
    macro_text: str
    at: _timestamp_pb2.Timestamp
    every: _duration_pb2.Duration
    hold: bool
    priority: int
    out_location: str
    next_run: _timestamp_pb2.Timestamp
    last_run: _timestamp_pb2.Timestamp
    last_outcome: str
    run_count: int
    user: str
    def __init__(self, job_number: _Optional[int] = ..., job_name: _Optional[str] = ..., node: _Optional[str] = ..., macro_text: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., every: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., hold: _Optional[bool] = ..., priority: _Optional[int] = ..., out_location: _Optional[str] = ..., next_run: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_run: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_outcome: _Optional[str] = ..., run_count: _Optional[int] = ..., user: _Optional[str] = ...) -> None: ...

class ScheduleJobRequest(_message.Message):
    __slots__ = ("node", "macro_text", "at", "every", "job_name", "hold", "priority", "out_location", "user")
    NODE_FIELD_NUMBER: _ClassVar[int]
    MACRO_TEXT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    EVERY_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    HOLD_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    OUT_LOCATION_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    node: str
    macro_text: str
    at: _timestamp_pb2.Timestamp
    every: _duration_pb2.Duration
    job_name: str
    hold: bool
    priority: int
    out_location: str
    user: str
    def __init__(self, node: _Optional[str] = ..., macro_text: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., every: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., job_name: _Optional[str] = ..., hold: _Optional[bool] = ..., priority: _Optional[int] = ..., out_location: _Optional[str] = ..., user: _Optional[str] = ...) -> None: ...

class ScheduleJobResponse(_message.Message):
    __slots__ = ("job", "message")
    JOB_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    job: Job
    message: str
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ..., message: _Optional[str] = ...) -> None: ...

class ListJobsRequest(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: str
    def __init__(self, node: _Optional[str] = ...) -> None: ...

class ListJobsResponse(_message.Message):
    __slots__ = ("jobs",)
    JOBS_FIELD_NUMBER: _ClassVar[int]
    jobs: _containers.RepeatedCompositeFieldContainer[Job]
    def __init__(self, jobs: _Optional[_Iterable[_Union[Job, _Mapping]]] = ...) -> None: ...

class DeleteJobRequest(_message.Message):
    __slots__ = ("node", "job_number")
    NODE_FIELD_NUMBER: _ClassVar[int]
    JOB_NUMBER_FIELD_NUMBER: _ClassVar[int]
    node: str
    job_number: int
    def __init__(self, node: _Optional[str] = ..., job_number: _Optional[int] = ...) -> None: ...

class DeleteJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: Job
    def __init__(self, job: _Optional[_Union[Job, _Mapping]] = ...) -> None: ...

class Extractor(_message.Message):
    __slots__ = ("node", "process", "running", "next_check", "checks", "retries_started", "last_outcome")
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    NEXT_CHECK_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    RETRIES_STARTED_FIELD_NUMBER: _ClassVar[int]
    LAST_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    node: str
    process: str
    running: bool
    next_check: _timestamp_pb2.Timestamp
    checks: int
    retries_started: int
    last_outcome: str
    def __init__(self, node: _Optional[str] = ..., process: _Optional[str] = ..., running: _Optional[bool] = ..., next_check: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., checks: _Optional[int] = ..., retries_started: _Optional[int] = ..., last_outcome: _Optional[str] = ...) -> None: ...

class ListExtractorsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListExtractorsResponse(_message.Message):
    __slots__ = ("extractors",)
    EXTRACTORS_FIELD_NUMBER: _ClassVar[int]
    extractors: _containers.RepeatedCompositeFieldContainer[Extractor]
    def __init__(self, extractors: _Optional[_Iterable[_Union[Extractor, _Mapping]]] = ...) -> None: ...

class SetExtractorRequest(_message.Message):
    __slots__ = ("node", "running")
    NODE_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    node: str
    running: bool
    def __init__(self, node: _Optional[str] = ..., running: _Optional[bool] = ...) -> None: ...

class SetExtractorResponse(_message.Message):
    __slots__ = ("extractor",)
    EXTRACTOR_FIELD_NUMBER: _ClassVar[int]
    extractor: Extractor
    def __init__(self, extractor: _Optional[_Union[Extractor, _Mapping]] = ...) -> None: ...
