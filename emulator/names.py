"""Guardian names: nodes, disk files, subvolumes, processes and spooler locations (domain-facts §1).

Names are case-insensitive and shown upper case. Parsing accepts partial names and completes them from the
caller's defaults (node, volume), the way a TACL user types `$DATA15.E5CATSYN.VEW1008` on `\\ETINIUM`.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from emulator.errors import InvalidName

_NODE = re.compile(r"^\\[A-Z][A-Z0-9]{0,6}$")
_VOLUME = re.compile(r"^\$[A-Z][A-Z0-9]{0,6}$")
_PART = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
_TEMP_FILE = re.compile(r"^#[0-9]{4,7}$")
_PROCESS = re.compile(r"^\$[A-Z][A-Z0-9]{0,4}$")
_QUAL1 = re.compile(r"^#[A-Z0-9][A-Z0-9]{0,6}$")
_PATTERN_PART = re.compile(r"^[A-Z0-9*?]{1,8}$")
MAX_FILE_NAME = 35  # DSM/TC DISKFILENAME VARCHAR(35)


def _hint_part(kind: str, text: str) -> str:
    return (
        f"{kind} {text!r} is not valid: a {kind} is 1 to 8 letters or digits and starts with a letter"
        f" (e.g. E5CATSYN)"
    )


def parse_node(text: str) -> str:
    """Validate a node name (`\\INSIDX`) and return it upper case."""
    name = text.strip().upper()
    if not name.startswith("\\"):
        name_hint = f"\\{name}" if name else "\\INSIDX"
        raise InvalidName(f"node name {text!r} must start with a backslash: write {name_hint}")
    if not _NODE.match(name):
        raise InvalidName(
            f"node name {text!r} is not valid: a backslash, then 1 to 7 letters or digits starting with a letter"
            " (e.g. \\INSIDX)"
        )
    return name


def parse_volume(text: str) -> str:
    """Validate a disk volume name (`$DATA15`) and return it upper case."""
    name = text.strip().upper()
    if not _VOLUME.match(name):
        raise InvalidName(
            f"volume name {text!r} is not valid: a dollar sign, then 1 to 7 letters or digits starting with a"
            " letter (e.g. $DATA15)"
        )
    return name


def parse_part(text: str, kind: str = "subvolume") -> str:
    """Validate a subvolume or file-id part (1..8 alphanumerics, first a letter)."""
    name = text.strip().upper()
    if kind == "file id" and _TEMP_FILE.match(name):
        return name
    if not _PART.match(name):
        raise InvalidName(_hint_part(kind, text))
    return name


def parse_process_name(text: str) -> str:
    """Validate a named process (`$X66X`, optionally `\\NODE.$X66X`) and return it upper case."""
    name = text.strip().upper()
    node, _, proc = name.rpartition(".") if name.startswith("\\") else ("", "", name)
    if node:
        parse_node(node)
    if not _PROCESS.match(proc):
        raise InvalidName(
            f"process name {text!r} is not valid: a dollar sign, then 1 to 5 letters or digits starting with"
            " a letter (e.g. $X66X)"
        )
    return f"{node}.{proc}" if node else proc


@dataclass(frozen=True)
class SubvolumeName:
    """`\\NODE.$VOL.SUBVOL`."""

    node: str
    volume: str
    subvolume: str

    def __str__(self) -> str:
        return f"{self.node}.{self.volume}.{self.subvolume}"

    def file(self, file_id: str) -> "FileName":
        return FileName(self.node, self.volume, self.subvolume, parse_part(file_id, "file id"))


@dataclass(frozen=True)
class FileName:
    """A fully qualified Guardian disk file name `\\NODE.$VOL.SUBVOL.FILE`."""

    node: str
    volume: str
    subvolume: str
    file: str

    def __str__(self) -> str:
        return f"{self.node}.{self.volume}.{self.subvolume}.{self.file}"

    @property
    def local(self) -> str:
        """The name without its node: `$VOL.SUBVOL.FILE`."""
        return f"{self.volume}.{self.subvolume}.{self.file}"

    @property
    def subvol(self) -> SubvolumeName:
        return SubvolumeName(self.node, self.volume, self.subvolume)


def _split(text: str, what: str) -> list[str]:
    stripped = text.strip().upper()
    if not stripped:
        raise InvalidName(f"{what} is empty: give a name such as \\INSIDX.$DATA15.E5CATSYN")
    if any(c.isspace() for c in stripped):
        raise InvalidName(f"{what} {text!r} contains blanks: Guardian names have no spaces")
    parts = stripped.split(".")
    if any(p == "" for p in parts):
        raise InvalidName(f"{what} {text!r} has an empty part: check for doubled or trailing dots")
    return parts


def _complete(parts: list[str], wanted: int, default_node: str | None, default_volume: str | None,
              text: str, what: str) -> list[str]:
    """Prefix the defaults to a partial name so it has `wanted` parts (node first)."""
    if parts[0].startswith("\\"):
        if len(parts) != wanted:
            raise InvalidName(f"{what} {text!r} must have {wanted} parts: {_EXAMPLE[wanted]}")
        return parts
    if parts[0].startswith("$"):
        if default_node is None:
            raise InvalidName(f"{what} {text!r} has no node and none is implied: write {_EXAMPLE[wanted]}")
        parts = [default_node, *parts]
    else:
        if default_node is None or default_volume is None:
            raise InvalidName(f"{what} {text!r} has no volume and none is implied: write {_EXAMPLE[wanted]}")
        parts = [default_node, default_volume, *parts]
    if len(parts) != wanted:
        raise InvalidName(f"{what} {text!r} must have {wanted} parts: {_EXAMPLE[wanted]}")
    return parts


_EXAMPLE = {3: "\\NODE.$VOL.SUBVOL (e.g. \\ETINIUM.$DATA15.E5CATSYN)",
            4: "\\NODE.$VOL.SUBVOL.FILE (e.g. \\ETINIUM.$DATA15.E5CATSYN.VEW1008)"}


def parse_file_name(text: str, default_node: str | None = None, default_volume: str | None = None) -> FileName:
    """Parse a disk file name, completing a partial name from the defaults; enforce every naming rule."""
    if text.strip().upper().startswith("$S.#") or text.strip().startswith("#"):
        raise InvalidName(f"{text!r} is a spooler location, not a disk file: use WriteReport for $S.#LOC.NAME")
    parts = _complete(_split(text, "file name"), 4, default_node, default_volume, text, "file name")
    name = FileName(parse_node(parts[0]), parse_volume(parts[1]), parse_part(parts[2], "subvolume"),
                    parse_part(parts[3], "file id"))
    if len(str(name)) > MAX_FILE_NAME:
        raise InvalidName(f"file name {str(name)!r} is {len(str(name))} characters: at most {MAX_FILE_NAME} fit")
    return name


def parse_subvolume(text: str, default_node: str | None = None) -> SubvolumeName:
    """Parse `\\NODE.$VOL.SUBVOL` (or `$VOL.SUBVOL` on the default node)."""
    parts = _complete(_split(text, "subvolume"), 3, default_node, None, text, "subvolume")
    return SubvolumeName(parse_node(parts[0]), parse_volume(parts[1]), parse_part(parts[2], "subvolume"))


def parse_file_pattern(text: str) -> str:
    """Validate a file-id pattern with `*` and `?` (default `*`)."""
    pattern = (text or "*").strip().upper()
    if not _PATTERN_PART.match(pattern):
        raise InvalidName(f"file pattern {text!r} is not valid: up to 8 letters, digits, * or ?")
    return pattern


def matches(pattern: str, name: str) -> bool:
    """Guardian-style wildcard match (case-insensitive)."""
    return fnmatch.fnmatchcase(name.upper(), pattern.upper())


@dataclass(frozen=True)
class SpoolerLocation:
    """`$S.#LOC.NAME`: collector, location (`#LOC`) and optional report name."""

    collector: str
    location: str
    report: str = ""

    def __str__(self) -> str:
        return ".".join(p for p in (self.collector, self.location, self.report) if p)


def parse_spooler_location(text: str) -> SpoolerLocation:
    """Parse a spooler location such as `$S.#INS.EXP` (the report name is optional)."""
    parts = _split(text, "spooler location")
    hint = "write $S.#LOC or $S.#LOC.NAME (e.g. $S.#INS.EXP)"
    if len(parts) not in (2, 3):
        raise InvalidName(f"spooler location {text!r} must have 2 or 3 parts: {hint}")
    if not _VOLUME.match(parts[0]):
        raise InvalidName(f"spooler collector {parts[0]!r} is not valid: {hint}")
    if not _QUAL1.match(parts[1]):
        raise InvalidName(f"spooler location {parts[1]!r} must be # and 1 to 7 letters or digits: {hint}")
    report = ""
    if len(parts) == 3:
        if not _PART.match(parts[2]):
            raise InvalidName(f"report name {parts[2]!r} must be 1 to 8 letters or digits starting with a letter")
        report = parts[2]
    return SpoolerLocation(parts[0], parts[1], report)


def node_of(text: str) -> str | None:
    """The node part of a qualified name (`\\INSIDX.$DATA01...` → `\\INSIDX`), or None for a local name."""
    stripped = text.strip().upper()
    if not stripped.startswith("\\"):
        return None
    return parse_node(stripped.split(".", 1)[0])
