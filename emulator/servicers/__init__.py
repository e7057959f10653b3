"""gRPC adapters: each servicer parses a request, calls a domain object and builds the response."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp


def timestamp_pb(moment: datetime | None) -> Timestamp | None:
    """A protobuf Timestamp for a datetime (None stays None, i.e. the field is left unset)."""
    if moment is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp
