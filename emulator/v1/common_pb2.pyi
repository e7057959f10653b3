from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Certainty(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CERTAINTY_UNSPECIFIED: _ClassVar[Certainty]
    CERTAINTY_DEFINITE: _ClassVar[Certainty]
    CERTAINTY_INDEFINITE: _ClassVar[Certainty]
CERTAINTY_UNSPECIFIED: Certainty
CERTAINTY_DEFINITE: Certainty
CERTAINTY_INDEFINITE: Certainty

class NodeIdentity(_message.Message):
    __slots__ = ("name", "expand_number", "utc_offset_seconds", "site")
    NAME_FIELD_NUMBER: _ClassVar[int]
    EXPAND_NUMBER_FIELD_NUMBER: _ClassVar[int]
    UTC_OFFSET_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    name: str
    expand_number: int
    utc_offset_seconds: int
    site: str
    def __init__(self, name: _Optional[str] = ..., expand_number: _Optional[int] = ..., utc_offset_seconds: _Optional[int] = ..., site: _Optional[str] = ...) -> None: ...

class Endpoint(_message.Message):
    __slots__ = ("service", "node", "address")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    service: str
    node: str
    address: str
    def __init__(self, service: _Optional[str] = ..., node: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class PageRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class PageResponse(_message.Message):
    __slots__ = ("next_page_token", "total")
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    total: int
    def __init__(self, next_page_token: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...
