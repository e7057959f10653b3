import datetime

from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ClockMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CLOCK_MODE_UNSPECIFIED: _ClassVar[ClockMode]
    CLOCK_MODE_VIRTUAL: _ClassVar[ClockMode]
    CLOCK_MODE_REAL: _ClassVar[ClockMode]
CLOCK_MODE_UNSPECIFIED: ClockMode
CLOCK_MODE_VIRTUAL: ClockMode
CLOCK_MODE_REAL: ClockMode

class Timer(_message.Message):
    __slots__ = ("id", "owner", "name", "node", "due", "period", "sequence", "payload")
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    DUE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    id: int
    owner: str
    name: str
    node: str
    due: _timestamp_pb2.Timestamp
    period: _duration_pb2.Duration
    sequence: int
    payload: bytes
    def __init__(self, id: _Optional[int] = ..., owner: _Optional[str] = ..., name: _Optional[str] = ..., node: _Optional[str] = ..., due: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., sequence: _Optional[int] = ..., payload: _Optional[bytes] = ...) -> None: ...

class TimerFiring(_message.Message):
    __slots__ = ("timer", "fired_at")
    TIMER_FIELD_NUMBER: _ClassVar[int]
    FIRED_AT_FIELD_NUMBER: _ClassVar[int]
    timer: Timer
    fired_at: _timestamp_pb2.Timestamp
    def __init__(self, timer: _Optional[_Union[Timer, _Mapping]] = ..., fired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetTimeRequest(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: str
    def __init__(self, node: _Optional[str] = ...) -> None: ...

class GetTimeResponse(_message.Message):
    __slots__ = ("utc", "node_local", "node_offset_seconds", "mode", "rate")
    UTC_FIELD_NUMBER: _ClassVar[int]
    NODE_LOCAL_FIELD_NUMBER: _ClassVar[int]
    NODE_OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    utc: _timestamp_pb2.Timestamp
    node_local: _timestamp_pb2.Timestamp
    node_offset_seconds: int
    mode: ClockMode
    rate: float
    def __init__(self, utc: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., node_local: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., node_offset_seconds: _Optional[int] = ..., mode: _Optional[_Union[ClockMode, str]] = ..., rate: _Optional[float] = ...) -> None: ...

class SetModeRequest(_message.Message):
    __slots__ = ("mode", "rate")
    MODE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    mode: ClockMode
    rate: float
    def __init__(self, mode: _Optional[_Union[ClockMode, str]] = ..., rate: _Optional[float] = ...) -> None: ...

class SetModeResponse(_message.Message):
    __slots__ = ("mode", "rate")
    MODE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    mode: ClockMode
    rate: float
    def __init__(self, mode: _Optional[_Union[ClockMode, str]] = ..., rate: _Optional[float] = ...) -> None: ...

class AdvanceRequest(_message.Message):
    __slots__ = ("by", "until")
    BY_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    by: _duration_pb2.Duration
    until: _timestamp_pb2.Timestamp
    def __init__(self, by: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AdvanceResponse(_message.Message):
    __slots__ = ("utc", "fired")
    UTC_FIELD_NUMBER: _ClassVar[int]
    FIRED_FIELD_NUMBER: _ClassVar[int]
    utc: _timestamp_pb2.Timestamp
    fired: _containers.RepeatedCompositeFieldContainer[TimerFiring]
    def __init__(self, utc: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fired: _Optional[_Iterable[_Union[TimerFiring, _Mapping]]] = ...) -> None: ...

class SetNodeOffsetRequest(_message.Message):
    __slots__ = ("node", "offset_seconds")
    NODE_FIELD_NUMBER: _ClassVar[int]
    OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    node: str
    offset_seconds: int
    def __init__(self, node: _Optional[str] = ..., offset_seconds: _Optional[int] = ...) -> None: ...

class SetNodeOffsetResponse(_message.Message):
    __slots__ = ("offset_seconds",)
    OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    offset_seconds: int
    def __init__(self, offset_seconds: _Optional[int] = ...) -> None: ...

class RegisterTimerRequest(_message.Message):
    __slots__ = ("timer", "delay", "time_of_day")
    TIMER_FIELD_NUMBER: _ClassVar[int]
    DELAY_FIELD_NUMBER: _ClassVar[int]
    TIME_OF_DAY_FIELD_NUMBER: _ClassVar[int]
    timer: Timer
    delay: _duration_pb2.Duration
    time_of_day: str
    def __init__(self, timer: _Optional[_Union[Timer, _Mapping]] = ..., delay: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., time_of_day: _Optional[str] = ...) -> None: ...

class RegisterTimerResponse(_message.Message):
    __slots__ = ("timer",)
    TIMER_FIELD_NUMBER: _ClassVar[int]
    timer: Timer
    def __init__(self, timer: _Optional[_Union[Timer, _Mapping]] = ...) -> None: ...

class CancelTimerRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: int
    def __init__(self, id: _Optional[int] = ...) -> None: ...

class CancelTimerResponse(_message.Message):
    __slots__ = ("cancelled",)
    CANCELLED_FIELD_NUMBER: _ClassVar[int]
    cancelled: bool
    def __init__(self, cancelled: _Optional[bool] = ...) -> None: ...

class ListTimersRequest(_message.Message):
    __slots__ = ("owner",)
    OWNER_FIELD_NUMBER: _ClassVar[int]
    owner: str
    def __init__(self, owner: _Optional[str] = ...) -> None: ...

class ListTimersResponse(_message.Message):
    __slots__ = ("timers",)
    TIMERS_FIELD_NUMBER: _ClassVar[int]
    timers: _containers.RepeatedCompositeFieldContainer[Timer]
    def __init__(self, timers: _Optional[_Iterable[_Union[Timer, _Mapping]]] = ...) -> None: ...

class WatchTimersRequest(_message.Message):
    __slots__ = ("owner", "ack_timer_id", "error", "follow", "ack_sync")
    OWNER_FIELD_NUMBER: _ClassVar[int]
    ACK_TIMER_ID_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_FIELD_NUMBER: _ClassVar[int]
    ACK_SYNC_FIELD_NUMBER: _ClassVar[int]
    owner: str
    ack_timer_id: int
    error: str
    follow: bool
    ack_sync: int
    def __init__(self, owner: _Optional[str] = ..., ack_timer_id: _Optional[int] = ..., error: _Optional[str] = ..., follow: _Optional[bool] = ..., ack_sync: _Optional[int] = ...) -> None: ...

class ClockSync(_message.Message):
    __slots__ = ("id", "utc", "mode", "rate", "monotonic", "node_offsets", "settle")
    class NodeOffsetsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    UTC_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    MONOTONIC_FIELD_NUMBER: _ClassVar[int]
    NODE_OFFSETS_FIELD_NUMBER: _ClassVar[int]
    SETTLE_FIELD_NUMBER: _ClassVar[int]
    id: int
    utc: _timestamp_pb2.Timestamp
    mode: ClockMode
    rate: float
    monotonic: float
    node_offsets: _containers.ScalarMap[str, int]
    settle: bool
    def __init__(self, id: _Optional[int] = ..., utc: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., mode: _Optional[_Union[ClockMode, str]] = ..., rate: _Optional[float] = ..., monotonic: _Optional[float] = ..., node_offsets: _Optional[_Mapping[str, int]] = ..., settle: _Optional[bool] = ...) -> None: ...

class WatchTimersResponse(_message.Message):
    __slots__ = ("firing", "sync")
    FIRING_FIELD_NUMBER: _ClassVar[int]
    SYNC_FIELD_NUMBER: _ClassVar[int]
    firing: TimerFiring
    sync: ClockSync
    def __init__(self, firing: _Optional[_Union[TimerFiring, _Mapping]] = ..., sync: _Optional[_Union[ClockSync, _Mapping]] = ...) -> None: ...
