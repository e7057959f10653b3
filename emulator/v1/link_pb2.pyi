from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LinkKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LINK_KIND_UNSPECIFIED: _ClassVar[LinkKind]
    LINK_KIND_EXPAND: _ClassVar[LinkKind]
    LINK_KIND_WAN: _ClassVar[LinkKind]
LINK_KIND_UNSPECIFIED: LinkKind
LINK_KIND_EXPAND: LinkKind
LINK_KIND_WAN: LinkKind

class LinkFault(_message.Message):
    __slots__ = ("down", "one_way_from", "latency_ms", "loss_probability", "bandwidth_bytes_per_second", "guardian_error")
    DOWN_FIELD_NUMBER: _ClassVar[int]
    ONE_WAY_FROM_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    LOSS_PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    BANDWIDTH_BYTES_PER_SECOND_FIELD_NUMBER: _ClassVar[int]
    GUARDIAN_ERROR_FIELD_NUMBER: _ClassVar[int]
    down: bool
    one_way_from: str
    latency_ms: int
    loss_probability: float
    bandwidth_bytes_per_second: int
    guardian_error: int
    def __init__(self, down: _Optional[bool] = ..., one_way_from: _Optional[str] = ..., latency_ms: _Optional[int] = ..., loss_probability: _Optional[float] = ..., bandwidth_bytes_per_second: _Optional[int] = ..., guardian_error: _Optional[int] = ...) -> None: ...

class LinkCounters(_message.Message):
    __slots__ = ("calls", "bytes_a_to_b", "bytes_b_to_a", "failures", "dropped")
    CALLS_FIELD_NUMBER: _ClassVar[int]
    BYTES_A_TO_B_FIELD_NUMBER: _ClassVar[int]
    BYTES_B_TO_A_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    DROPPED_FIELD_NUMBER: _ClassVar[int]
    calls: int
    bytes_a_to_b: int
    bytes_b_to_a: int
    failures: int
    dropped: int
    def __init__(self, calls: _Optional[int] = ..., bytes_a_to_b: _Optional[int] = ..., bytes_b_to_a: _Optional[int] = ..., failures: _Optional[int] = ..., dropped: _Optional[int] = ...) -> None: ...

class LinkInfo(_message.Message):
    __slots__ = ("id", "kind", "node_a", "node_b", "to_b_address", "to_a_address", "fault", "counters")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NODE_A_FIELD_NUMBER: _ClassVar[int]
    NODE_B_FIELD_NUMBER: _ClassVar[int]
    TO_B_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TO_A_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    FAULT_FIELD_NUMBER: _ClassVar[int]
    COUNTERS_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: LinkKind
    node_a: str
    node_b: str
    to_b_address: str
    to_a_address: str
    fault: LinkFault
    counters: LinkCounters
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[_Union[LinkKind, str]] = ..., node_a: _Optional[str] = ..., node_b: _Optional[str] = ..., to_b_address: _Optional[str] = ..., to_a_address: _Optional[str] = ..., fault: _Optional[_Union[LinkFault, _Mapping]] = ..., counters: _Optional[_Union[LinkCounters, _Mapping]] = ...) -> None: ...

class ListLinksRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLinksResponse(_message.Message):
    __slots__ = ("links",)
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[LinkInfo]
    def __init__(self, links: _Optional[_Iterable[_Union[LinkInfo, _Mapping]]] = ...) -> None: ...

class GetLinkRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetLinkResponse(_message.Message):
    __slots__ = ("link",)
    LINK_FIELD_NUMBER: _ClassVar[int]
    link: LinkInfo
    def __init__(self, link: _Optional[_Union[LinkInfo, _Mapping]] = ...) -> None: ...

class SetLinkFaultRequest(_message.Message):
    __slots__ = ("id", "fault", "seed")
    ID_FIELD_NUMBER: _ClassVar[int]
    FAULT_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    id: str
    fault: LinkFault
    seed: int
    def __init__(self, id: _Optional[str] = ..., fault: _Optional[_Union[LinkFault, _Mapping]] = ..., seed: _Optional[int] = ...) -> None: ...

class SetLinkFaultResponse(_message.Message):
    __slots__ = ("link",)
    LINK_FIELD_NUMBER: _ClassVar[int]
    link: LinkInfo
    def __init__(self, link: _Optional[_Union[LinkInfo, _Mapping]] = ...) -> None: ...

class HealLinkRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class HealLinkResponse(_message.Message):
    __slots__ = ("links",)
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[LinkInfo]
    def __init__(self, links: _Optional[_Iterable[_Union[LinkInfo, _Mapping]]] = ...) -> None: ...

class ResetLinkCountersRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ResetLinkCountersResponse(_message.Message):
    __slots__ = ("link",)
    LINK_FIELD_NUMBER: _ClassVar[int]
    link: LinkInfo
    def __init__(self, link: _Optional[_Union[LinkInfo, _Mapping]] = ...) -> None: ...
