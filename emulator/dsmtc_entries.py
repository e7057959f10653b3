"""DSM/TC entries as the emulator's domain sees them (domain-facts §2): catalogs, POOLs, MEDIADEFS, TAPEVOLUMEs,
TAPEFILEs with their TFTOV rows, DISKFILEs — frozen dataclasses, never wire types — plus the field rules and
the MEDIACOM error numbers every DSM/TC failure carries.

Catalog names inside entries are qualified (`\\INSIDX.QCVOLCAT`); times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from emulator.errors import EmulatorError, InvalidArgument
from emulator.names import parse_node

# -- enumerations (the proto's enums without their prefixes) ---------------------------------------------------
VOLCAT, FILECAT = "VOLCAT", "FILECAT"
VOLUME_STATUSES = ("SCRATCH", "ASSIGNED", "RELEASED", "BAD", "INUSE", "SELECTED", "FULL")
# ALTER TAPEVOLUME moves a volume only inside one of these groups (MC ch.2, domain-facts §2).
FREE_STATUSES = frozenset({"BAD", "RELEASED", "SCRATCH"})
HELD_STATUSES = frozenset({"FULL", "ASSIGNED"})
DELETABLE_STATUSES = FREE_STATUSES
LABEL_TYPES = ("ANY", "ANSI", "IBM", "BACKUP")
DENSITIES = ("ANY", "1600", "6250")
MEDIA_TYPES = ("ANY", "CART3480", "CART5120", "CARTDAT", "OPEN", "DDS3", "DLTIII", "DLTIV", "SDLT")
TAPE_FORMATS = ("", "ARCHIVE", "LONGNAME", "NONBACKUP")
FILE_STATUSES = ("VALID", "INVALID")
FILE_MODES = ("", "BKVO", "BKFI", "BIFI", "BIVO", "USER")
RECORD_FORMATS = ("", "FI", "UN")
LEVELS = ("UNLABELED", "NOCATALOG", "COMPATIBLE", "MEDIACAT", "INTEGRATED")
COMPRESSIONS = ("OFF", "IDRC")

# -- field limits (DSM/TC column sizes) ------------------------------------------------------------------------
MAX_CATALOG_NAME = 30
MAX_POOL_NAME = 30
MAX_VOLSER = 6
MAX_FILE_ID = 60
MAX_COMMENT = 80
MAX_OWNER = 14
MAX_DISK_FILE_NAME = 35
MAX_VERSION = 100
MAX_GENERATION = 2_147_483_647
MAX_ALTER_NAMES = 100
MAX_RETENTION_DAYS = 9999

_CATALOG_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,29}$")
_POOL_NAME = re.compile(r"^[A-Z][A-Z0-9_]{0,29}$")
_VOLSER = re.compile(r"^[A-Z0-9]{1,6}$")
_FILE_ID = re.compile(r"^[A-Z0-9$#._\-/:+@]{1,60}$")
_MEDIA_TYPE = re.compile(r"^LTO[1-9][0-9]?$")


class Err:
    """MEDIACOM error numbers. Only 5048 is from the seeds; the others are the emulator's choice, kept stable."""

    SYNTAX = 5001
    UNKNOWN_COMMAND = 5002
    FIELD = 5003                # a value too long, out of range or not one of the allowed words
    SECURITY = 5004             # needs the super group (Guardian error 48)
    CATALOG_UNDEFINED = 5010
    CATALOG_REMOTE = 5011
    CATALOG_EXISTS = 5012
    CATALOG_KIND = 5013
    NO_DEFAULT = 5015
    POOL_UNDEFINED = 5020
    POOL_EXISTS = 5021
    POOL_IN_USE = 5022
    POOL_ATTRIBUTE = 5023
    VOLUME_UNDEFINED = 5030
    LABEL_IN_SEARCH_SPACE = 5031
    VOLUME_EXISTS = 5032
    STATUS_TRANSITION = 5033
    VOLUME_NOT_DELETABLE = 5034
    TOO_MANY_NAMES = 5035
    VOLUME_NOT_USABLE = 5036
    FILE_UNDEFINED = 5040
    FILE_EXISTS = 5043
    DISKFILE_INVALID = 5048     # seed: `**ERROR-5048** DISKFILE \NODEP.$*.*.* is invalid.`
    DISKFILE_PATTERN = 5049
    SSL_INVALID = 5060


def mc_error(cls: type[EmulatorError], number: int, text: str) -> EmulatorError:
    """An error whose message reads as MEDIACOM prints it: `**ERROR-nnnn** text`."""
    return cls(f"**ERROR-{number:04d}** {text}", mediacom_error=number)


def field_error(text: str) -> EmulatorError:
    return mc_error(InvalidArgument, Err.FIELD, text)


# -- value objects ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Catalog:
    """A VOLCAT or FILECAT of this node, known by its logical name."""

    name: str
    kind: str
    node: str
    subvolume: str = ""

    @property
    def qualified(self) -> str:
        return f"{self.node}.{self.name}"


@dataclass(frozen=True)
class Pool:
    """A POOL of a VOLCAT (`volcat` qualified)."""

    volcat: str
    name: str
    label: str = "ANSI"
    density: str = "ANY"
    media_type: str = "ANY"
    autoscratch: bool = True        # expired tape -> SCRATCH, else RELEASED
    searchspace_in: bool = True     # part of the system search space (R13)
    append: bool = False
    last_scratch_volume: str = ""


@dataclass(frozen=True)
class MediaDefs:
    """MEDIACOM MEDIADEFS of a node: defaults and the system search list."""

    node: str
    default_volcat: str = ""
    default_filecat: str = ""
    default_pool: str = ""
    level: str = "COMPATIBLE"
    retention_days: int = 30
    retention_permanent: bool = False
    abend_retention_days: int = 1
    automated: bool = False
    compression: str = "OFF"
    ssl: tuple[str, ...] = ()       # `\NODE.VOLCAT` or `\NODE`


@dataclass(frozen=True)
class TapeVolume:
    """A TAPEVOLUME (`volcat` qualified)."""

    volser: str
    volcat: str = ""
    pool: str = ""
    label: str = ""
    media_type: str = ""
    density: str = ""
    status: str = "SCRATCH"
    volset_id: str = ""
    vol_index: int = 0
    owner_id: str = ""
    end_of_data_lba: int = 0
    tape_format: str = ""
    last_changed: datetime | None = None


@dataclass(frozen=True)
class TapeFileVolume:
    """A TFTOV row: one volume a tape file spans."""

    volser: str
    vol_index: int = 0
    file_section: int = 0
    file_sequence: int = 0
    file_seq_label_lba: int = 0


@dataclass(frozen=True)
class TapeFileKey:
    filecat: str
    file_id: str
    generation: int = 0
    version: int = 0

    def __str__(self) -> str:
        return f"{self.filecat} {self.file_id} GEN {self.generation} VERSION {self.version}"


@dataclass(frozen=True)
class TapeFile:
    """A TAPEFILE with its TFTOV rows in volume order (`filecat`, `volcat` qualified)."""

    filecat: str
    file_id: str
    generation: int = 0
    version: int = 0
    physical_copy: int = 1
    logical_copy: int = 1
    creation_time: datetime | None = None
    expiration_time: datetime | None = None
    permanent: bool = False
    record_format: str = ""
    record_length: int = 0
    block_length: int = 0
    mode: str = ""
    catalog_files: bool = False
    status: str = "VALID"
    volcat: str = ""
    pool: str = ""
    volset_id: str = ""
    comment: str = ""
    volumes: tuple[TapeFileVolume, ...] = ()

    @property
    def key(self) -> TapeFileKey:
        return TapeFileKey(self.filecat, self.file_id, self.generation, self.version)


# The column order of a DISKFILE row (the batch path moves rows as plain tuples in this order).
DISKFILE_FIELDS = ("filecat", "disk_file_name", "file_id", "generation", "version", "time_dumped",
                   "physical_copy", "logical_copy", "status", "opened", "broken", "rfneeded", "corrupt",
                   "audited", "file_code", "volset_id", "vol_index")


@dataclass(frozen=True)
class DiskFile:
    """A DISKFILE entry (`filecat` qualified, `disk_file_name` fully qualified incl. its node)."""

    filecat: str
    disk_file_name: str
    file_id: str
    generation: int = 1
    version: int = 0
    time_dumped: datetime | None = None
    physical_copy: int = 1
    logical_copy: int = 1
    status: str = "VALID"
    opened: bool = False
    broken: bool = False
    rfneeded: bool = False
    corrupt: bool = False
    audited: bool = False
    file_code: int = 0
    volset_id: str = ""
    vol_index: int = 0

    def as_row(self) -> tuple:
        """The tuple the batch path takes (DISKFILE_FIELDS order; time as microseconds)."""
        return (self.filecat, self.disk_file_name, self.file_id, self.generation, self.version,
                to_us(self.time_dumped), self.physical_copy, self.logical_copy, self.status, self.opened,
                self.broken, self.rfneeded, self.corrupt, self.audited, self.file_code, self.volset_id,
                self.vol_index)


@dataclass(frozen=True)
class LabelLocation:
    """Where a tape label is cataloged."""

    node: str
    volcat: str
    pool: str
    in_search_space: bool


@dataclass(frozen=True)
class VolumeEntries:
    """What DSM/TC holds for one volume (one message of ReadVolumeEntries); `continued` carries more DISKFILEs."""

    volser: str
    volume: TapeVolume | None
    files: tuple[TapeFile, ...] = ()
    disk_files: tuple[DiskFile, ...] = ()
    continued: bool = False


@dataclass(frozen=True)
class ExpireResult:
    invalidated: tuple[TapeFileKey, ...] = ()
    removed: tuple[TapeFileKey, ...] = ()
    volumes_changed: tuple[TapeVolume, ...] = ()


@dataclass(frozen=True)
class DeleteResult:
    files: tuple[TapeFile, ...] = ()
    volumes: tuple[TapeVolume, ...] = ()


@dataclass(frozen=True)
class OpCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass(frozen=True)
class UnitRejection:
    """A commit unit rolled back for an entry error (ApplyBatch with reject_units)."""

    unit: str
    group: str
    reason: str
    mediacom_error: int


@dataclass(frozen=True)
class BatchResult:
    ops: int
    tape_volumes: OpCounts
    tape_files: OpCounts
    disk_files: OpCounts
    transaction_id: int
    commits: int = 1
    rejections: tuple[UnitRejection, ...] = ()
    skipped_units: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchOptions:
    label: str = ""
    check_search_space: bool = False
    create_catalogs: bool = False
    process: str = ""
    reject_units: bool = False


# -- batch operations (ApplyBatch) -----------------------------------------------------------------------------
@dataclass(frozen=True)
class UpsertVolume:
    volume: TapeVolume


@dataclass(frozen=True)
class DeleteVolume:
    volser: str
    volcat: str


@dataclass(frozen=True)
class UpsertFile:
    file: TapeFile  # its TFTOV rows replace the stored ones


@dataclass(frozen=True)
class DeleteFile:
    key: TapeFileKey


@dataclass(frozen=True)
class UpsertDiskFiles:
    """A run of DISKFILE upserts: tuples in DISKFILE_FIELDS order, time as microseconds (see DiskFile.as_row)."""

    rows: list = field(default_factory=list)


@dataclass(frozen=True)
class DeleteDiskFiles:
    """DISKFILEs to delete by key: tuples (filecat, disk_file_name, file_id, generation, version)."""

    keys: list = field(default_factory=list)


@dataclass(frozen=True)
class DeleteDiskFileSelection:
    filecat: str
    file_id: str = ""
    generation: int = 0     # 0 = every generation
    volset_id: str = ""


BatchOp = (UpsertVolume | DeleteVolume | UpsertFile | DeleteFile | UpsertDiskFiles | DeleteDiskFiles
           | DeleteDiskFileSelection)


# -- time ------------------------------------------------------------------------------------------------------
def to_us(moment: datetime | None) -> int | None:
    """A UTC datetime as integer microseconds since the epoch (how the tables keep time)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(value: int | None) -> datetime | None:
    if value is None:
        return None
    return _EPOCH + timedelta(microseconds=value)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# -- field rules -----------------------------------------------------------------------------------------------
def check_length(what: str, value: str, limit: int, minimum: int = 1) -> str:
    if len(value) > limit:
        raise field_error(f"{what} {value!r} is {len(value)} characters long: at most {limit} fit")
    if len(value) < minimum:
        raise field_error(f"{what} is empty: give 1 to {limit} characters")
    return value


def check_choice(what: str, value: str, choices: tuple[str, ...]) -> str:
    value = value.strip().upper()
    if value not in choices:
        shown = ", ".join(c or "(blank)" for c in choices)
        raise field_error(f"{what} {value!r} is not valid: use one of {shown}")
    return value


def check_range(what: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise field_error(f"{what} {value} is out of range: use {low} to {high}")
    return value


def parse_volser(text: str) -> str:
    volser = check_length("TAPEVOLUME label", text.strip().upper(), MAX_VOLSER)
    if not _VOLSER.match(volser):
        raise field_error(f"TAPEVOLUME label {text!r} is not valid: 1 to {MAX_VOLSER} letters or digits")
    return volser


def parse_pool_name(text: str) -> str:
    name = check_length("POOL name", text.strip().upper(), MAX_POOL_NAME)
    if not _POOL_NAME.match(name):
        raise field_error(f"POOL name {text!r} is not valid: 1 to {MAX_POOL_NAME} letters, digits or underscores,"
                          " starting with a letter")
    return name


def parse_file_id(text: str) -> str:
    file_id = check_length("TAPEFILE file id", text.strip().upper(), MAX_FILE_ID)
    if not _FILE_ID.match(file_id):
        raise field_error(f"TAPEFILE file id {text!r} is not valid: 1 to {MAX_FILE_ID} letters, digits or"
                          " $ # . _ - / : + @")
    return file_id


def parse_media_type(text: str) -> str:
    value = (text or "ANY").strip().upper()
    if value not in MEDIA_TYPES and not _MEDIA_TYPE.match(value):
        raise field_error(f"TYPE {text!r} is not a known tape type: use {', '.join(MEDIA_TYPES)} or LTO1..LTO9")
    return value


def split_catalog_name(text: str, kind: str) -> tuple[str, str]:
    """`\\NODE.NAME` or `NAME` → (node or '', NAME), enforcing the logical-name rule."""
    raw = text.strip().upper()
    node = ""
    if raw.startswith("\\"):
        node_part, dot, raw = raw.partition(".")
        node = parse_node(node_part)
        if not dot:
            raise field_error(f"{kind} {text!r} has no logical name: write \\NODE.NAME (e.g. \\INSIDX.QC{kind})")
    check_length(f"{kind} name", raw, MAX_CATALOG_NAME)
    if not _CATALOG_NAME.match(raw):
        raise field_error(f"{kind} name {text!r} is not valid: 1 to {MAX_CATALOG_NAME} letters, digits or"
                          " underscores, starting with a letter")
    return node, raw


def super_group(user: str) -> bool:
    """SUPER.* or 255,n: the users MEDIACOM lets ADD, ALTER and DELETE (domain-facts §1)."""
    text = (user or "SUPER.SUPER").strip().upper()
    if "," in text:
        return text.split(",", 1)[0].strip() == "255"
    return text.split(".", 1)[0] == "SUPER"
