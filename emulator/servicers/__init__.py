"""gRPC adapters: each servicer parses a request, calls a domain object and builds the response."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp


def timestamp_pb(moment: datetime | None) -> Timestamp | None:
    """A protobuf Timestamp for a datetime (None stays None, i.e. the field is left unset)."""
    if moment is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def when(msg: Any, field: str) -> datetime | None:
    """A message's Timestamp field as an aware UTC datetime; None when the field is not set."""
    return getattr(msg, field).ToDatetime(tzinfo=timezone.utc) if msg.HasField(field) else None


def duration_pb(delta: timedelta) -> Duration:
    out = Duration()
    out.FromTimedelta(delta)
    return out


def enum_number(enum: Any, word: str, prefix: str) -> int:
    """A domain word (`CONTINUOUS`) -> its proto enum number (`REPLICATION_MODE_CONTINUOUS`); '' -> 0."""
    return enum.Value(prefix + word) if word else 0
