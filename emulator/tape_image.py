"""The bytes of a BackBox volume image: `.DAT` holds the tape file section in blocks, `.IND` the index (the
ANSI HDR1 fields of the file, the block table and the checksums). A VTC writes them and reads them back.

Blocks are compressed, then encrypted with AES-256-GCM when the volume is encrypted (BTE: compress then
encrypt, a 16-byte MAC per block). The nonce of a block is derived from the volume label, the write time, the
checksum of the plain section and the block number: a key used for several writes (KEY_POLICY_PER_DRIVE) never
sees a nonce twice with different data, even when a volume is rewritten at the same (virtual) instant. A block
that was tampered with, or read with another key, fails its MAC: the read says so instead of returning wrong data.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from dataclasses import asdict, dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from emulator.errors import EmulatorError

BLOCK_SIZE = 256 * 1024          # plain bytes per block
FORMAT = "BBVTC-2"
READABLE = ("BBVTC-1", FORMAT)   # BBVTC-1 nonces left the data checksum out
_LEN = struct.Struct(">I")


class ImageError(EmulatorError):
    """A volume image cannot be read: damaged, or the key is not the one it was written with."""

    status = "DATA_LOSS"


@dataclass
class ImageIndex:
    """The `.IND` content: what the labels of the volume say and where the blocks are."""

    label: str
    file_id: str
    generation: int
    version: int
    file_sequence: int = 1
    file_section: int = 1
    vol_index: int = 1
    volset_id: str = ""
    creation: str = ""           # ISO UTC
    expiration: str = ""         # ISO UTC, "" = permanent
    owner: str = ""
    mode: int = 0
    written: str = ""            # ISO UTC: the nonce salt
    data_bytes: int = 0          # plain bytes of the section
    blocks: list[int] = field(default_factory=list)   # stored length of each block in .DAT
    checksum: str = ""           # sha256 of the plain section
    encrypted: bool = False
    key_manager_id: str = ""
    media_key_name: str = ""
    algorithm: str = ""
    format: str = FORMAT

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, raw: bytes, label: str) -> "ImageIndex":
        try:
            data = json.loads(raw.decode())
            if data.get("format") not in READABLE:
                raise ValueError(f"format {data.get('format')!r}")
            return cls(**data)
        except (ValueError, TypeError, UnicodeDecodeError) as exc:
            raise ImageError(f"the index (.IND) of volume {label} is damaged ({exc}): restore the image from the"
                             " replica or re-run the backup") from None


def _nonce(index: ImageIndex, block: int) -> bytes:
    if index.format == "BBVTC-1":
        return hashlib.sha256(f"{index.label}|{index.written}|{block}".encode()).digest()[:12]
    return hashlib.sha256(f"{index.label}|{index.written}|{index.checksum}|{block}".encode()).digest()[:12]


def encode(index: ImageIndex, data: bytes, key: bytes | None) -> tuple[bytes, bytes]:
    """(.IND, .DAT) for one section; fills the index's sizes, blocks and checksum."""
    index.format = FORMAT
    index.data_bytes = len(data)
    index.checksum = hashlib.sha256(data).hexdigest()  # before the nonces, which depend on it
    index.encrypted = key is not None
    aead = AESGCM(key) if key is not None else None
    out, index.blocks = bytearray(), []
    for n, start in enumerate(range(0, len(data), BLOCK_SIZE)):
        block = zlib.compress(data[start:start + BLOCK_SIZE], 1)
        if aead is not None:
            block = aead.encrypt(_nonce(index, n), block, index.label.encode())  # ciphertext + 16-byte tag
        out += block
        index.blocks.append(len(block))
    return index.to_bytes(), bytes(out)


def decode(index: ImageIndex, dat: bytes, key: bytes | None) -> bytes:
    """The plain section; ImageError when a block fails its MAC, or the data its checksum."""
    if index.encrypted and key is None:
        raise ImageError(f"volume {index.label} is encrypted: the key {index.media_key_name} of key manager"
                         f" {index.key_manager_id} is needed to read it")
    aead = AESGCM(key) if index.encrypted and key is not None else None
    out, pos = bytearray(), 0
    for n, length in enumerate(index.blocks):
        block = dat[pos:pos + length]
        pos += length
        if len(block) != length:
            raise ImageError(f"the data (.DAT) of volume {index.label} is truncated at block {n + 1}")
        try:
            if aead is not None:
                block = aead.decrypt(_nonce(index, n), block, index.label.encode())
            out += zlib.decompress(block)
        except InvalidTag:
            raise ImageError(f"block {n + 1} of volume {index.label} fails its MAC: the image is damaged, or the key"
                             f" {index.media_key_name} is not the one it was written with") from None
        except zlib.error:
            raise ImageError(f"block {n + 1} of volume {index.label} is damaged: restore the image from the"
                             " replica") from None
    if hashlib.sha256(out).hexdigest() != index.checksum:
        raise ImageError(f"the data of volume {index.label} does not match its checksum: the image is damaged")
    return bytes(out)


def content(seed: int, size: int) -> bytes:
    """Deterministic backup data: `size` bytes from `seed` (compressible enough to look like real files)."""
    import random  # noqa: PLC0415

    rng = random.Random(seed)
    words = [rng.randbytes(rng.randrange(4, 24)) for _ in range(256)]
    out = bytearray()
    while len(out) < size:
        out += rng.choice(words)
    return bytes(out[:size])
