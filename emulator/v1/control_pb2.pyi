from emulator.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class NodeStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NODE_STATUS_UNSPECIFIED: _ClassVar[NodeStatus]
    NODE_STATUS_UP: _ClassVar[NodeStatus]
    NODE_STATUS_DOWN: _ClassVar[NodeStatus]

class FaultAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FAULT_ACTION_UNSPECIFIED: _ClassVar[FaultAction]
    FAULT_ACTION_KILL_PROCESS: _ClassVar[FaultAction]
    FAULT_ACTION_CRASH_NODE: _ClassVar[FaultAction]
    FAULT_ACTION_ERROR: _ClassVar[FaultAction]
    FAULT_ACTION_DELAY: _ClassVar[FaultAction]
NODE_STATUS_UNSPECIFIED: NodeStatus
NODE_STATUS_UP: NodeStatus
NODE_STATUS_DOWN: NodeStatus
FAULT_ACTION_UNSPECIFIED: FaultAction
FAULT_ACTION_KILL_PROCESS: FaultAction
FAULT_ACTION_CRASH_NODE: FaultAction
FAULT_ACTION_ERROR: FaultAction
FAULT_ACTION_DELAY: FaultAction

class NodeState(_message.Message):
    __slots__ = ("node", "status", "epoch", "state_dir", "endpoints")
    NODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    STATE_DIR_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    node: _common_pb2.NodeIdentity
    status: NodeStatus
    epoch: int
    state_dir: str
    endpoints: _containers.RepeatedCompositeFieldContainer[_common_pb2.Endpoint]
    def __init__(self, node: _Optional[_Union[_common_pb2.NodeIdentity, _Mapping]] = ..., status: _Optional[_Union[NodeStatus, str]] = ..., epoch: _Optional[int] = ..., state_dir: _Optional[str] = ..., endpoints: _Optional[_Iterable[_Union[_common_pb2.Endpoint, _Mapping]]] = ...) -> None: ...

class GetTopologyRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetTopologyResponse(_message.Message):
    __slots__ = ("name", "seed", "nodes", "endpoints", "topology_yaml")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    TOPOLOGY_YAML_FIELD_NUMBER: _ClassVar[int]
    name: str
    seed: int
    nodes: _containers.RepeatedCompositeFieldContainer[NodeState]
    endpoints: _containers.RepeatedCompositeFieldContainer[_common_pb2.Endpoint]
    topology_yaml: str
    def __init__(self, name: _Optional[str] = ..., seed: _Optional[int] = ..., nodes: _Optional[_Iterable[_Union[NodeState, _Mapping]]] = ..., endpoints: _Optional[_Iterable[_Union[_common_pb2.Endpoint, _Mapping]]] = ..., topology_yaml: _Optional[str] = ...) -> None: ...

class ListNodesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListNodesResponse(_message.Message):
    __slots__ = ("nodes",)
    NODES_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedCompositeFieldContainer[NodeState]
    def __init__(self, nodes: _Optional[_Iterable[_Union[NodeState, _Mapping]]] = ...) -> None: ...

class CrashNodeRequest(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: str
    def __init__(self, node: _Optional[str] = ...) -> None: ...

class CrashNodeResponse(_message.Message):
    __slots__ = ("node", "killed_processes", "rolled_back_transactions")
    NODE_FIELD_NUMBER: _ClassVar[int]
    KILLED_PROCESSES_FIELD_NUMBER: _ClassVar[int]
    ROLLED_BACK_TRANSACTIONS_FIELD_NUMBER: _ClassVar[int]
    node: NodeState
    killed_processes: _containers.RepeatedScalarFieldContainer[str]
    rolled_back_transactions: int
    def __init__(self, node: _Optional[_Union[NodeState, _Mapping]] = ..., killed_processes: _Optional[_Iterable[str]] = ..., rolled_back_transactions: _Optional[int] = ...) -> None: ...

class RestartNodeRequest(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: str
    def __init__(self, node: _Optional[str] = ...) -> None: ...

class RestartNodeResponse(_message.Message):
    __slots__ = ("node",)
    NODE_FIELD_NUMBER: _ClassVar[int]
    node: NodeState
    def __init__(self, node: _Optional[_Union[NodeState, _Mapping]] = ...) -> None: ...

class SnapshotRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class SnapshotResponse(_message.Message):
    __slots__ = ("name", "bytes")
    NAME_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    name: str
    bytes: int
    def __init__(self, name: _Optional[str] = ..., bytes: _Optional[int] = ...) -> None: ...

class RestoreSnapshotRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class RestoreSnapshotResponse(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class ListSnapshotsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSnapshotsResponse(_message.Message):
    __slots__ = ("names",)
    NAMES_FIELD_NUMBER: _ClassVar[int]
    names: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, names: _Optional[_Iterable[str]] = ...) -> None: ...

class ResetRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ResetResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DumpStateRequest(_message.Message):
    __slots__ = ("nodes", "include_files", "include_ems")
    NODES_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_FILES_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_EMS_FIELD_NUMBER: _ClassVar[int]
    nodes: _containers.RepeatedScalarFieldContainer[str]
    include_files: bool
    include_ems: bool
    def __init__(self, nodes: _Optional[_Iterable[str]] = ..., include_files: _Optional[bool] = ..., include_ems: _Optional[bool] = ...) -> None: ...

class DumpStateResponse(_message.Message):
    __slots__ = ("json",)
    JSON_FIELD_NUMBER: _ClassVar[int]
    json: str
    def __init__(self, json: _Optional[str] = ...) -> None: ...

class FaultPoint(_message.Message):
    __slots__ = ("name", "node", "program", "action", "on_hit", "repeat", "guardian_error", "delay_ms", "hits", "fired")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ON_HIT_FIELD_NUMBER: _ClassVar[int]
    REPEAT_FIELD_NUMBER: _ClassVar[int]
    GUARDIAN_ERROR_FIELD_NUMBER: _ClassVar[int]
    DELAY_MS_FIELD_NUMBER: _ClassVar[int]
    HITS_FIELD_NUMBER: _ClassVar[int]
    FIRED_FIELD_NUMBER: _ClassVar[int]
    name: str
    node: str
    program: str
    action: FaultAction
    on_hit: int
    repeat: bool
    guardian_error: int
    delay_ms: int
    hits: int
    fired: int
    def __init__(self, name: _Optional[str] = ..., node: _Optional[str] = ..., program: _Optional[str] = ..., action: _Optional[_Union[FaultAction, str]] = ..., on_hit: _Optional[int] = ..., repeat: _Optional[bool] = ..., guardian_error: _Optional[int] = ..., delay_ms: _Optional[int] = ..., hits: _Optional[int] = ..., fired: _Optional[int] = ...) -> None: ...

class ArmFaultPointRequest(_message.Message):
    __slots__ = ("point",)
    POINT_FIELD_NUMBER: _ClassVar[int]
    point: FaultPoint
    def __init__(self, point: _Optional[_Union[FaultPoint, _Mapping]] = ...) -> None: ...

class ArmFaultPointResponse(_message.Message):
    __slots__ = ("point",)
    POINT_FIELD_NUMBER: _ClassVar[int]
    point: FaultPoint
    def __init__(self, point: _Optional[_Union[FaultPoint, _Mapping]] = ...) -> None: ...

class DisarmFaultPointRequest(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class DisarmFaultPointResponse(_message.Message):
    __slots__ = ("points",)
    POINTS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[FaultPoint]
    def __init__(self, points: _Optional[_Iterable[_Union[FaultPoint, _Mapping]]] = ...) -> None: ...

class ListFaultPointsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFaultPointsResponse(_message.Message):
    __slots__ = ("points",)
    POINTS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[FaultPoint]
    def __init__(self, points: _Optional[_Iterable[_Union[FaultPoint, _Mapping]]] = ...) -> None: ...

class HitFaultPointRequest(_message.Message):
    __slots__ = ("name", "node", "process", "program", "count_only")
    NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    PROCESS_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    COUNT_ONLY_FIELD_NUMBER: _ClassVar[int]
    name: str
    node: str
    process: str
    program: str
    count_only: bool
    def __init__(self, name: _Optional[str] = ..., node: _Optional[str] = ..., process: _Optional[str] = ..., program: _Optional[str] = ..., count_only: _Optional[bool] = ...) -> None: ...

class HitFaultPointResponse(_message.Message):
    __slots__ = ("action", "guardian_error")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    GUARDIAN_ERROR_FIELD_NUMBER: _ClassVar[int]
    action: FaultAction
    guardian_error: int
    def __init__(self, action: _Optional[_Union[FaultAction, str]] = ..., guardian_error: _Optional[int] = ...) -> None: ...

class SetDiskFullRequest(_message.Message):
    __slots__ = ("node", "volume", "full")
    NODE_FIELD_NUMBER: _ClassVar[int]
    VOLUME_FIELD_NUMBER: _ClassVar[int]
    FULL_FIELD_NUMBER: _ClassVar[int]
    node: str
    volume: str
    full: bool
    def __init__(self, node: _Optional[str] = ..., volume: _Optional[str] = ..., full: _Optional[bool] = ...) -> None: ...

class SetDiskFullResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
