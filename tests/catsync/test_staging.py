"""The staging file format (DESIGN §5): what `decode` accepts and each way a file can be refused."""

from __future__ import annotations

import struct
import zlib

import pytest

from catsync import staging
from catsync.v1 import staging_pb2
from emulator.v1 import backbox_domain_pb2 as bb


def volume(label: str = "EW1008") -> staging_pb2.VolumeExport:
    return staging_pb2.VolumeExport(format_version=1, export_id="2025-10-03_21:44:23", data_store_id="DS_WIN1_DES",
                                    volume_group_id="VG_WIN1_DES", volume=bb.BackBoxVolume(label=label))


def test_round_trip_and_header_layout():
    data = staging.encode(volume(), staging.KIND_VOLUME)
    assert data[:4] == b"BBCS"
    version, kind, reserved, length = struct.unpack(">HBBQ", data[4:16])
    assert (version, kind, reserved, length) == (1, staging.KIND_VOLUME, 0, len(data) - 24)
    assert struct.unpack(">I", data[16:20])[0] == zlib.crc32(data[24:])
    assert struct.unpack(">I", data[20:24])[0] == zlib.crc32(data[:20])
    assert staging.decode(data, staging.KIND_VOLUME) == volume()


def test_encoding_is_deterministic():
    assert staging.encode(volume(), staging.KIND_VOLUME) == staging.encode(volume(), staging.KIND_VOLUME)


@pytest.mark.parametrize("damage, reason", [
    (lambda d: d[:10], "truncated"),
    (lambda d: d[:-3], "truncated"),
    (lambda d: d + b"x", "truncated"),
    (lambda d: b"XXXX" + d[4:], "foreign"),
    (lambda d: d[:30] + bytes([d[30] ^ 0xFF]) + d[31:], "corrupt"),
    (lambda d: d[:9] + bytes([d[9] ^ 1]) + d[10:], "corrupt"),
])
def test_damaged_files_are_refused_with_a_reason(damage, reason):
    data = staging.encode(volume(), staging.KIND_VOLUME)
    with pytest.raises(staging.StagingError) as err:
        staging.decode(damage(data), staging.KIND_VOLUME, "VEW1008")
    assert err.value.reason == reason
    assert "VEW1008" in str(err.value) and ("again" in str(err.value) or "remove" in str(err.value))


def test_wrong_kind_and_unknown_version_are_refused():
    summary = staging.encode(staging_pb2.ExportSummary(export_id="x"), staging.KIND_SUMMARY)
    with pytest.raises(staging.StagingError) as err:
        staging.decode(summary, staging.KIND_VOLUME, "VEW1008")
    assert err.value.reason == "kind"
    data = bytearray(staging.encode(volume(), staging.KIND_VOLUME))
    data[4:6] = struct.pack(">H", 9)
    data[20:24] = struct.pack(">I", zlib.crc32(bytes(data[:20])))
    with pytest.raises(staging.StagingError) as err:
        staging.decode(bytes(data), staging.KIND_VOLUME)
    assert err.value.reason == "version" and "9" in str(err.value)


def test_payload_that_does_not_parse_is_corrupt():
    payload = b"\xff\xff\xff"
    head = staging.HEADER.pack(b"BBCS", 1, staging.KIND_VOLUME, 0, len(payload), zlib.crc32(payload))
    with pytest.raises(staging.StagingError) as err:
        staging.decode(head + struct.pack(">I", zlib.crc32(head)) + payload, staging.KIND_VOLUME)
    assert err.value.reason == "corrupt"


def test_file_names():
    assert staging.volume_file("\\ETINIUM.$DATA15.E5CATSYN", "EW1008") == "\\ETINIUM.$DATA15.E5CATSYN.VEW1008"
    assert staging.summary_file("\\B.$D.S") == "\\B.$D.S.CSSUMARY"
    assert staging.label_of("\\ETINIUM.$DATA15.E5CATSYN.VEW1008") == "EW1008"
    assert staging.label_of("\\ETINIUM.$DATA15.E5CATSYN.CSSUMARY") == ""
    assert staging.label_of("$DATA15.E5CATSYN.OTHER") == ""
