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

class WriteMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WRITE_MODE_UNSPECIFIED: _ClassVar[WriteMode]
    WRITE_MODE_REPLACE: _ClassVar[WriteMode]
    WRITE_MODE_CREATE: _ClassVar[WriteMode]
    WRITE_MODE_APPEND: _ClassVar[WriteMode]

class ProcessState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PROCESS_STATE_UNSPECIFIED: _ClassVar[ProcessState]
    PROCESS_STATE_WAITING: _ClassVar[ProcessState]
    PROCESS_STATE_RUNNING: _ClassVar[ProcessState]
    PROCESS_STATE_STOPPED: _ClassVar[ProcessState]
    PROCESS_STATE_ABENDED: _ClassVar[ProcessState]

class Emphasis(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EMPHASIS_UNSPECIFIED: _ClassVar[Emphasis]
    EMPHASIS_NORMAL: _ClassVar[Emphasis]
    EMPHASIS_CRITICAL: _ClassVar[Emphasis]
WRITE_MODE_UNSPECIFIED: WriteMode
WRITE_MODE_REPLACE: WriteMode
WRITE_MODE_CREATE: WriteMode
WRITE_MODE_APPEND: WriteMode
PROCESS_STATE_UNSPECIFIED: ProcessState
PROCESS_STATE_WAITING: ProcessState
PROCESS_STATE_RUNNING: ProcessState
PROCESS_STATE_STOPPED: ProcessState
PROCESS_STATE_ABENDED: ProcessState
EMPHASIS_UNSPECIFIED: Emphasis
EMPHASIS_NORMAL: Emphasis
EMPHASIS_CRITICAL: Emphasis

class GetNodeInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetNodeInfoResponse(_message.Message):
    __slots__ = ("node", "utc_now", "local_now", "up", "epoch", "known_nodes")
    NODE_FIELD_NUMBER: _ClassVar[int]
    UTC_NOW_FIELD_NUMBER: _ClassVar[int]
    LOCAL_NOW_FIELD_NUMBER: _ClassVar[int]
    UP_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    KNOWN_NODES_FIELD_NUMBER: _ClassVar[int]
    node: _common_pb2.NodeIdentity
    utc_now: _timestamp_pb2.Timestamp
    local_now: _timestamp_pb2.Timestamp
    up: bool
    epoch: int
    known_nodes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, node: _Optional[_Union[_common_pb2.NodeIdentity, _Mapping]] = ..., utc_now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., local_now: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., up: _Optional[bool] = ..., epoch: _Optional[int] = ..., known_nodes: _Optional[_Iterable[str]] = ...) -> None: ...

class FileInfo(_message.Message):
    __slots__ = ("name", "size", "modified", "file_code", "owner")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_FIELD_NUMBER: _ClassVar[int]
    FILE_CODE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    name: str
    size: int
    modified: _timestamp_pb2.Timestamp
    file_code: int
    owner: str
    def __init__(self, name: _Optional[str] = ..., size: _Optional[int] = ..., modified: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., file_code: _Optional[int] = ..., owner: _Optional[str] = ...) -> None: ...

class WriteFileRequest(_message.Message):
    __slots__ = ("name", "mode", "file_code", "data")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    FILE_CODE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    name: str
    mode: WriteMode
    file_code: int
    data: bytes
    def __init__(self, name: _Optional[str] = ..., mode: _Optional[_Union[WriteMode, str]] = ..., file_code: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class WriteFileResponse(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: FileInfo
    def __init__(self, info: _Optional[_Union[FileInfo, _Mapping]] = ...) -> None: ...

class ReadFileRequest(_message.Message):
    __slots__ = ("name", "offset", "length", "chunk_size")
    NAME_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    CHUNK_SIZE_FIELD_NUMBER: _ClassVar[int]
    name: str
    offset: int
    length: int
    chunk_size: int
    def __init__(self, name: _Optional[str] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ..., chunk_size: _Optional[int] = ...) -> None: ...

class ReadFileResponse(_message.Message):
    __slots__ = ("info", "data")
    INFO_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    info: FileInfo
    data: bytes
    def __init__(self, info: _Optional[_Union[FileInfo, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class ListFilesRequest(_message.Message):
    __slots__ = ("subvolume", "pattern")
    SUBVOLUME_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    subvolume: str
    pattern: str
    def __init__(self, subvolume: _Optional[str] = ..., pattern: _Optional[str] = ...) -> None: ...

class ListFilesResponse(_message.Message):
    __slots__ = ("files",)
    FILES_FIELD_NUMBER: _ClassVar[int]
    files: _containers.RepeatedCompositeFieldContainer[FileInfo]
    def __init__(self, files: _Optional[_Iterable[_Union[FileInfo, _Mapping]]] = ...) -> None: ...

class GetFileInfoRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetFileInfoResponse(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: FileInfo
    def __init__(self, info: _Optional[_Union[FileInfo, _Mapping]] = ...) -> None: ...

class RenameFileRequest(_message.Message):
    __slots__ = ("name", "new_name", "replace")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NEW_NAME_FIELD_NUMBER: _ClassVar[int]
    REPLACE_FIELD_NUMBER: _ClassVar[int]
    name: str
    new_name: str
    replace: bool
    def __init__(self, name: _Optional[str] = ..., new_name: _Optional[str] = ..., replace: _Optional[bool] = ...) -> None: ...

class RenameFileResponse(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: FileInfo
    def __init__(self, info: _Optional[_Union[FileInfo, _Mapping]] = ...) -> None: ...

class PurgeFileRequest(_message.Message):
    __slots__ = ("name", "missing_ok")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MISSING_OK_FIELD_NUMBER: _ClassVar[int]
    name: str
    missing_ok: bool
    def __init__(self, name: _Optional[str] = ..., missing_ok: _Optional[bool] = ...) -> None: ...

class PurgeFileResponse(_message.Message):
    __slots__ = ("purged",)
    PURGED_FIELD_NUMBER: _ClassVar[int]
    purged: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, purged: _Optional[_Iterable[str]] = ...) -> None: ...

class DiskVolume(_message.Message):
    __slots__ = ("name", "capacity_bytes", "used_bytes", "full")
    NAME_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_BYTES_FIELD_NUMBER: _ClassVar[int]
    USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    FULL_FIELD_NUMBER: _ClassVar[int]
    name: str
    capacity_bytes: int
    used_bytes: int
    full: bool
    def __init__(self, name: _Optional[str] = ..., capacity_bytes: _Optional[int] = ..., used_bytes: _Optional[int] = ..., full: _Optional[bool] = ...) -> None: ...

class ListDiskVolumesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListDiskVolumesResponse(_message.Message):
    __slots__ = ("volumes",)
    VOLUMES_FIELD_NUMBER: _ClassVar[int]
    volumes: _containers.RepeatedCompositeFieldContainer[DiskVolume]
    def __init__(self, volumes: _Optional[_Iterable[_Union[DiskVolume, _Mapping]]] = ...) -> None: ...

class Report(_message.Message):
    __slots__ = ("location", "report_id", "job_name", "process", "written", "lines")
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    location: str
    report_id: int
    job_name: str
    process: str
    written: _timestamp_pb2.Timestamp
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, location: _Optional[str] = ..., report_id: _Optional[int] = ..., job_name: _Optional[str] = ..., process: _Optional[str] = ..., written: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., lines: _Optional[_Iterable[str]] = ...) -> None: ...

class WriteReportRequest(_message.Message):
    __slots__ = ("location", "job_name", "process", "lines")
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    JOB_NAME_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    location: str
    job_name: str
    process: str
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, location: _Optional[str] = ..., job_name: _Optional[str] = ..., process: _Optional[str] = ..., lines: _Optional[_Iterable[str]] = ...) -> None: ...

class WriteReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: Report
    def __init__(self, report: _Optional[_Union[Report, _Mapping]] = ...) -> None: ...

class ListReportsRequest(_message.Message):
    __slots__ = ("location",)
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    location: str
    def __init__(self, location: _Optional[str] = ...) -> None: ...

class ListReportsResponse(_message.Message):
    __slots__ = ("reports",)
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    reports: _containers.RepeatedCompositeFieldContainer[Report]
    def __init__(self, reports: _Optional[_Iterable[_Union[Report, _Mapping]]] = ...) -> None: ...

class ReadReportRequest(_message.Message):
    __slots__ = ("location", "report_id")
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    location: str
    report_id: int
    def __init__(self, location: _Optional[str] = ..., report_id: _Optional[int] = ...) -> None: ...

class ReadReportResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: Report
    def __init__(self, report: _Optional[_Union[Report, _Mapping]] = ...) -> None: ...

class Program(_message.Message):
    __slots__ = ("name", "entry_point", "description")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENTRY_POINT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    name: str
    entry_point: str
    description: str
    def __init__(self, name: _Optional[str] = ..., entry_point: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class DeployProgramRequest(_message.Message):
    __slots__ = ("program",)
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    program: Program
    def __init__(self, program: _Optional[_Union[Program, _Mapping]] = ...) -> None: ...

class DeployProgramResponse(_message.Message):
    __slots__ = ("program",)
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    program: Program
    def __init__(self, program: _Optional[_Union[Program, _Mapping]] = ...) -> None: ...

class ListProgramsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListProgramsResponse(_message.Message):
    __slots__ = ("programs",)
    PROGRAMS_FIELD_NUMBER: _ClassVar[int]
    programs: _containers.RepeatedCompositeFieldContainer[Program]
    def __init__(self, programs: _Optional[_Iterable[_Union[Program, _Mapping]]] = ...) -> None: ...

class ProcessInfo(_message.Message):
    __slots__ = ("name", "program", "state", "completion_code", "param", "priority", "parent", "started", "ended", "termination_text", "cpu", "pin")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    COMPLETION_CODE_FIELD_NUMBER: _ClassVar[int]
    PARAM_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    STARTED_FIELD_NUMBER: _ClassVar[int]
    ENDED_FIELD_NUMBER: _ClassVar[int]
    TERMINATION_TEXT_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    PIN_FIELD_NUMBER: _ClassVar[int]
    name: str
    program: str
    state: ProcessState
    completion_code: int
    param: str
    priority: int
    parent: str
    started: _timestamp_pb2.Timestamp
    ended: _timestamp_pb2.Timestamp
    termination_text: str
    cpu: int
    pin: int
    def __init__(self, name: _Optional[str] = ..., program: _Optional[str] = ..., state: _Optional[_Union[ProcessState, str]] = ..., completion_code: _Optional[int] = ..., param: _Optional[str] = ..., priority: _Optional[int] = ..., parent: _Optional[str] = ..., started: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., termination_text: _Optional[str] = ..., cpu: _Optional[int] = ..., pin: _Optional[int] = ...) -> None: ...

class StartupMessage(_message.Message):
    __slots__ = ("process", "node", "param", "env", "endpoints", "priority")
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PARAM_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    process: str
    node: str
    param: str
    env: _containers.ScalarMap[str, str]
    endpoints: _containers.RepeatedCompositeFieldContainer[_common_pb2.Endpoint]
    priority: int
    def __init__(self, process: _Optional[str] = ..., node: _Optional[str] = ..., param: _Optional[str] = ..., env: _Optional[_Mapping[str, str]] = ..., endpoints: _Optional[_Iterable[_Union[_common_pb2.Endpoint, _Mapping]]] = ..., priority: _Optional[int] = ...) -> None: ...

class StartProcessRequest(_message.Message):
    __slots__ = ("program", "param", "env", "priority", "name", "parent", "wait")
    class EnvEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    PARAM_FIELD_NUMBER: _ClassVar[int]
    ENV_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PARENT_FIELD_NUMBER: _ClassVar[int]
    WAIT_FIELD_NUMBER: _ClassVar[int]
    program: str
    param: str
    env: _containers.ScalarMap[str, str]
    priority: int
    name: str
    parent: str
    wait: bool
    def __init__(self, program: _Optional[str] = ..., param: _Optional[str] = ..., env: _Optional[_Mapping[str, str]] = ..., priority: _Optional[int] = ..., name: _Optional[str] = ..., parent: _Optional[str] = ..., wait: _Optional[bool] = ...) -> None: ...

class StartProcessResponse(_message.Message):
    __slots__ = ("process",)
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ...) -> None: ...

class GetProcessRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class GetProcessResponse(_message.Message):
    __slots__ = ("process",)
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ...) -> None: ...

class WaitProcessRequest(_message.Message):
    __slots__ = ("name", "timeout_seconds")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    timeout_seconds: float
    def __init__(self, name: _Optional[str] = ..., timeout_seconds: _Optional[float] = ...) -> None: ...

class WaitProcessResponse(_message.Message):
    __slots__ = ("process", "ended")
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    ENDED_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    ended: bool
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ..., ended: _Optional[bool] = ...) -> None: ...

class StopProcessRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class StopProcessResponse(_message.Message):
    __slots__ = ("process",)
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ...) -> None: ...

class KillProcessRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class KillProcessResponse(_message.Message):
    __slots__ = ("process",)
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    process: ProcessInfo
    def __init__(self, process: _Optional[_Union[ProcessInfo, _Mapping]] = ...) -> None: ...

class ListProcessesRequest(_message.Message):
    __slots__ = ("program", "running_only")
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    RUNNING_ONLY_FIELD_NUMBER: _ClassVar[int]
    program: str
    running_only: bool
    def __init__(self, program: _Optional[str] = ..., running_only: _Optional[bool] = ...) -> None: ...

class ListProcessesResponse(_message.Message):
    __slots__ = ("processes",)
    PROCESSES_FIELD_NUMBER: _ClassVar[int]
    processes: _containers.RepeatedCompositeFieldContainer[ProcessInfo]
    def __init__(self, processes: _Optional[_Iterable[_Union[ProcessInfo, _Mapping]]] = ...) -> None: ...

class EmsEvent(_message.Message):
    __slots__ = ("sequence", "ssid", "event_number", "gen_time", "log_time", "node_number", "node", "cpu", "pin", "process", "user_id", "text", "emphasis", "collector", "line")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SSID_FIELD_NUMBER: _ClassVar[int]
    EVENT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    GEN_TIME_FIELD_NUMBER: _ClassVar[int]
    LOG_TIME_FIELD_NUMBER: _ClassVar[int]
    NODE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    PIN_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    EMPHASIS_FIELD_NUMBER: _ClassVar[int]
    COLLECTOR_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    ssid: str
    event_number: int
    gen_time: _timestamp_pb2.Timestamp
    log_time: _timestamp_pb2.Timestamp
    node_number: int
    node: str
    cpu: int
    pin: int
    process: str
    user_id: str
    text: str
    emphasis: Emphasis
    collector: str
    line: str
    def __init__(self, sequence: _Optional[int] = ..., ssid: _Optional[str] = ..., event_number: _Optional[int] = ..., gen_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., log_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., node_number: _Optional[int] = ..., node: _Optional[str] = ..., cpu: _Optional[int] = ..., pin: _Optional[int] = ..., process: _Optional[str] = ..., user_id: _Optional[str] = ..., text: _Optional[str] = ..., emphasis: _Optional[_Union[Emphasis, str]] = ..., collector: _Optional[str] = ..., line: _Optional[str] = ...) -> None: ...

class EventFilter(_message.Message):
    __slots__ = ("ssid", "event_numbers", "process", "text_contains", "since", "after_sequence", "critical_only")
    SSID_FIELD_NUMBER: _ClassVar[int]
    EVENT_NUMBERS_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    TEXT_CONTAINS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    CRITICAL_ONLY_FIELD_NUMBER: _ClassVar[int]
    ssid: str
    event_numbers: _containers.RepeatedScalarFieldContainer[int]
    process: str
    text_contains: str
    since: _timestamp_pb2.Timestamp
    after_sequence: int
    critical_only: bool
    def __init__(self, ssid: _Optional[str] = ..., event_numbers: _Optional[_Iterable[int]] = ..., process: _Optional[str] = ..., text_contains: _Optional[str] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., after_sequence: _Optional[int] = ..., critical_only: _Optional[bool] = ...) -> None: ...

class AppendEventRequest(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: EmsEvent
    def __init__(self, event: _Optional[_Union[EmsEvent, _Mapping]] = ...) -> None: ...

class AppendEventResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: EmsEvent
    def __init__(self, event: _Optional[_Union[EmsEvent, _Mapping]] = ...) -> None: ...

class ReadEventsRequest(_message.Message):
    __slots__ = ("filter", "limit")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    filter: EventFilter
    limit: int
    def __init__(self, filter: _Optional[_Union[EventFilter, _Mapping]] = ..., limit: _Optional[int] = ...) -> None: ...

class ReadEventsResponse(_message.Message):
    __slots__ = ("events",)
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[EmsEvent]
    def __init__(self, events: _Optional[_Iterable[_Union[EmsEvent, _Mapping]]] = ...) -> None: ...

class FollowEventsRequest(_message.Message):
    __slots__ = ("filter", "from_start")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    FROM_START_FIELD_NUMBER: _ClassVar[int]
    filter: EventFilter
    from_start: bool
    def __init__(self, filter: _Optional[_Union[EventFilter, _Mapping]] = ..., from_start: _Optional[bool] = ...) -> None: ...

class FollowEventsResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: EmsEvent
    def __init__(self, event: _Optional[_Union[EmsEvent, _Mapping]] = ...) -> None: ...
