"""The configuration rules of a BackBox data store, its Catalog Sync export / import configuration and its volume
groups, plus the ConfigContext and problem() every rule shares. Each check is a pure function returning the problems
it finds as `ConfigurationProblem`s that name the field and the fix. Import from `emulator.domain_config`: it
re-exports these, holds the domain-level rules, and adds normalisation, refusals, field masks and validate_all.

Codes: the BackBox message code when one exists (W3077), else the rule of domain-facts §8 (`R16`), else — for plain
field and naming rules — the domain-facts section stating them (`§1` NonStop names, `§2` DSM/TC names, `§4` the
BackBox model).

Identity convention: a check compares its object with every *other* entry of the context (`is`), so `ctx` may
hold the object itself or not. With `creating=False`, an entry of the same id that is not the object is its stored
version: a field belonging to another role (an export destination on a SECONDARY store ...) is then an ERROR only
when this change sets it, and a WARNING when it is a leftover of a role switch (R55 must not be blocked).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, TypeVar

from emulator.dsmtc_entries import parse_pool_name, split_catalog_name
from emulator.errors import EmulatorError, InvalidArgument, InvalidName
from emulator.names import parse_file_name, parse_node, parse_spooler_location, parse_subvolume
from emulator.v1 import backbox_domain_pb2 as bb

Problem = bb.ConfigurationProblem
ERROR = bb.PROBLEM_SEVERITY_ERROR
WARNING = bb.PROBLEM_SEVERITY_WARNING
PRIMARY, SECONDARY, RESTRICTED = bb.DOMAIN_ACCESS_PRIMARY, bb.DOMAIN_ACCESS_SECONDARY, bb.DOMAIN_ACCESS_RESTRICTED
NONE, DSMTC, TMF = bb.TAPE_CATALOG_TYPE_NONE, bb.TAPE_CATALOG_TYPE_DSMTC, bb.TAPE_CATALOG_TYPE_TMF

# License options the emulator knows: the Catalog Sync option (R1) and the Tape Encryption option (BTE).
LICENSE_OPTIONS = {"CATALOG_SYNC": "Catalog Sync (R1)", "ENCRYPTION": "Tape Encryption (BTE)"}
MEDIA_TYPES = ("LTO2", "LTO3", "LTO4", "3480")  # what a VTC emulates, LTO3 the default (domain-facts §4)
DEFAULT_MEDIA_TYPE = "LTO3"
KEY_MANAGER_PROTOCOLS = ("ESKM", "KMIP")  # BTE: HPE ESKM or a KMIP server
DEFAULT_KEY_MANAGER_PROTOCOL = "KMIP"
ENCRYPTION_ALGORITHMS = ("AES256-GCM",)  # BTE: VTC block-level AES-256-GCM
STORAGE_OPTIMIZATIONS = {"RAPIDCIFS": "RapidCIFS", "BOOSTFS": "BoostFS"}  # canonical spellings
# Where each optimisation exists: RapidCIFS on QoreStor shares — also through a Windows File store, as in
# Appendix B (R57) — and BoostFS on DataDomain.
_OPTIMIZATION_TYPES = {"RapidCIFS": (bb.DATA_STORE_TYPE_QORESTOR, bb.DATA_STORE_TYPE_WINDISK),
                       "BoostFS": (bb.DATA_STORE_TYPE_DATADOMAIN,)}
MAX_PRIORITY = 199  # R32
DEFAULT_MAX_DISK_FILES = 20_000  # R40
MIN_MAX_DISK_FILES, MAX_MAX_DISK_FILES = 100, 100_000_000  # R40
DEFAULT_DISK_SPACE_WARNING_PERCENT = 90
LICENSE_WARNING_DAYS = 7  # W3162 (domain-facts §9 q11: the sample shows it 7 days before expiry)

_ID = re.compile(r"^[A-Za-z0-9_+\-](?:[A-Za-z0-9_+\- ]{0,30}[A-Za-z0-9_+\-])?$")
_UNC = re.compile(r"^\\\\[A-Za-z0-9][A-Za-z0-9._\-]*(\\[^\\/:*?\"<>|]+)+\\?$")
_EXPIRY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID_RULE = "1 to 32 letters, digits, _, - or +, with inner spaces allowed"


@dataclass(frozen=True)
class ConfigContext:
    """Everything a check may look at besides the object checked.

    To check an update, pass the configuration as stored — the object's stored version included — with
    `creating=False`: the stored version is recognised by its id (never a duplicate) and tells a value this change
    sets from a leftover of a role switch, and a group's old data store from its new one.
    """

    domain: bb.DomainConfig
    nodes: tuple[bb.NskNode, ...] = ()
    vtcs: tuple[bb.Vtc, ...] = ()
    key_managers: tuple[bb.KeyManagerRef, ...] = ()
    data_stores: tuple[bb.DataStore, ...] = ()  # current configuration, in order
    volume_groups: tuple[bb.VolumeGroup, ...] = ()
    default_filecats: Mapping[str, str] = field(default_factory=dict)  # `\ETINIUM` -> `\ETINIUM.LOCALFC` (R16)
    volume_counts: Mapping[str, int] = field(default_factory=dict)  # volume group id -> volumes it holds
    today: date | None = None  # the domain manager node's local date (license expiry)

    @property
    def manager_node(self) -> str:
        """The domain manager's node, upper case (`\\INSIDX`), or ""."""
        return self.domain.domain_manager_node.strip().upper()

    def data_store(self, ds_id: str) -> bb.DataStore | None:
        """The store of that id (ids compare case-insensitively), or None."""
        return _find(self.data_stores, ds_id)

    def key_manager(self, km_id: str) -> bb.KeyManagerRef | None:
        """The key manager of that id, or None."""
        return _find(self.key_managers, km_id)

    def groups_of(self, ds_id: str) -> list[bb.VolumeGroup]:
        """The groups of a store, in configuration order."""
        return [g for g in self.volume_groups if _key(g.data_store_id) == _key(ds_id)]

    def volume_count(self, vg_id: str) -> int:
        """Volumes a group holds (0 when unknown)."""
        return next((n for k, n in self.volume_counts.items() if _key(k) == _key(vg_id)), 0)

    def default_filecat(self) -> str:
        """The MEDIADEFS default FILECAT of the domain manager's node, qualified, or "" when unknown (R16)."""
        node = self.manager_node
        return _qualified(next((v for k, v in self.default_filecats.items() if _key(k) == node), ""), node)


def problem(severity: int, code: str, kind: str, object_id: str, field: str, message: str,
            fix: str) -> Problem:
    """One ConfigurationProblem."""
    return Problem(severity=severity, code=code, object_kind=kind, object_id=object_id, field=field,
                   message=message, fix=fix)


class _Report:
    """The problems found on one object."""

    def __init__(self, kind: str, object_id: str):
        self.kind, self.object_id, self.problems = kind, object_id, []

    def add(self, severity: int, code: str, fld: str, message: str, fix: str) -> None:
        self.problems.append(problem(severity, code, self.kind, self.object_id, fld, message, fix))

    def error(self, code: str, fld: str, message: str, fix: str) -> None:
        self.add(ERROR, code, fld, message, fix)

    def warning(self, code: str, fld: str, message: str, fix: str) -> None:
        self.add(WARNING, code, fld, message, fix)

    def in_range(self, code: str, fld: str, value: int, low: int, high: int | None, meaning: str) -> None:
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
            self.error(code, fld, f"{fld} {value} is out of range", f"set a value {bounds} ({meaning})")


T = TypeVar("T")


def _key(text: str) -> str:
    return text.strip().upper()


def _find(items: Iterable[T], object_id: str) -> T | None:
    return next((x for x in items if _key(x.id) == _key(object_id)), None) if object_id.strip() else None


def _others(items: Iterable[T], obj: T, key: Callable[[T], object]) -> list[T]:
    """Entries other than `obj` itself with the same key."""
    return [x for x in items if x is not obj and key(x) == key(obj)]


def _contains(items: Iterable[object], obj: object) -> bool:
    return any(x is obj for x in items)


def _stored(items: Sequence[T], obj: T, creating: bool) -> T | None:
    """The stored version of `obj` (itself when ctx holds it), None when creating or unknown."""
    if creating:
        return None
    if _contains(items, obj):
        return obj
    return _find(items, obj.id)  # type: ignore[attr-defined]


def access_name(access: int) -> str:
    """`SECONDARY` for DOMAIN_ACCESS_SECONDARY."""
    return bb.DomainAccess.Name(access).removeprefix("DOMAIN_ACCESS_")


def catalog_name(tape_catalog: int) -> str:
    """`DSM/TC` for TAPE_CATALOG_TYPE_DSMTC, as the UI shows it."""
    name = bb.TapeCatalogType.Name(tape_catalog).removeprefix("TAPE_CATALOG_TYPE_")
    return "DSM/TC" if name == "DSMTC" else name


def parse_expiry(text: str) -> date | None:
    """`YYYY-MM-DD` → date; None when blank or malformed."""
    text = text.strip()
    if not _EXPIRY.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def qualify_catalog(text: str, default_node: str, kind: str = "catalog") -> str:
    """A DSM/TC catalog reference `QCVOLCAT` or `\\INSIDX.QCVOLCAT` → `\\INSIDX.QCVOLCAT` (domain-facts §1, §2);
    InvalidArgument when it breaks DSM/TC's name rule or has no node to take."""
    node, name = split_catalog_name(text, kind)
    node = node or default_node
    if not node:
        raise InvalidName(f"{kind} {text!r} has no node and no domain manager node is set: write \\NODE.NAME")
    return f"{parse_node(node)}.{name}"


def _qualified(text: str, node: str) -> str:
    """A catalog reference qualified with the node when it parses, else just upper case (the check reports it)."""
    try:
        return qualify_catalog(text, node) if text.strip() else ""
    except InvalidArgument:
        return _key(text)


def _rule_text(exc: EmulatorError) -> str:
    """What a DSM/TC field rule says, without the `**ERROR-nnnn**` MEDIACOM prints before it."""
    return exc.message.rpartition("** ")[2]


def _check_id(r: _Report, fld: str, value: str, what: str, example: str, required: bool = True) -> bool:
    if not value.strip():
        if required:
            r.error("§4", fld, f"the {what} has no {fld}", f"enter an id of {_ID_RULE} (e.g. {example})")
        return False
    if not _ID.match(value):
        r.error("§4", fld, f"{what} id {value!r} is not valid",
                f"use {_ID_RULE}, without leading or trailing blanks (e.g. {example})")
        return False
    return True


def _check_unique_id(r: _Report, code: str, obj: T, items: Sequence[T], what: str, example: str,
                     creating: bool = True) -> None:
    """The id's form, and no other entry of that id (ids compare case-insensitively). When not creating, an entry of
    the same id that is not the object itself is its stored version, not a duplicate."""
    object_id = obj.id  # type: ignore[attr-defined]
    if (_check_id(r, "id", object_id, what, example) and (creating or _contains(items, obj))
            and _others(items, obj, lambda x: _key(x.id))):  # type: ignore[attr-defined]
        r.error(code, "id", f"{what} id {object_id} is already used (ids are unique regardless of case)",
                f"choose another {what} id, or update the existing {what}")


def _check_primary_id(r: _Report, obj: T, old: T | None, fld: str, what: str, example: str, access: int) -> None:
    """R10: the object's id on the primary side, kept only in SECONDARY and RESTRICTED stores; a leftover of a
    role switch (the stored version has it) is only warned about."""
    value = getattr(obj, fld)
    if _check_id(r, fld, value, f"primary {what}", example, required=False) and access == PRIMARY:  # R10
        leftover = old is not None and _key(getattr(old, fld)) == _key(value)
        r.add(WARNING if leftover else ERROR, "R10", fld,
              f"primary {what} id {value} is only used in SECONDARY and RESTRICTED stores",
              f"clear {fld}, or make the store SECONDARY or RESTRICTED")


def _check_media_type(r: _Report, fld: str, media: str) -> bool:
    """A media type a VTC emulates (domain-facts §4), given upper case."""
    if media in MEDIA_TYPES:
        return True
    r.error("§4", fld, f"media type {media!r} is not emulated by a VTC",
            f"use {', '.join(MEDIA_TYPES)} (default {DEFAULT_MEDIA_TYPE})")
    return False


def _check_node(r: _Report, code: str, fld: str, text: str, what: str) -> str:
    if not text.strip():
        r.error(code, fld, f"{what} is blank", "enter a node name such as \\INSIDX")
        return ""
    try:
        return parse_node(text)
    except InvalidName as exc:
        r.error(code, fld, f"{what}: {exc}", "write \\ and 1 to 7 letters or digits starting with a letter")
        return ""


def _check_report_location(r: _Report, fld: str, text: str, ctx: ConfigContext) -> None:
    """Blank, a spooler location `$S.#LOC[.REPORT]` or a disk file name (R51)."""
    if not text.strip():
        return
    try:
        if ".#" in text:
            parse_spooler_location(text)
        else:
            parse_file_name(text, default_node=ctx.manager_node or None)
    except InvalidName as exc:
        r.error("R51", fld, f"report location {text.strip()!r}: {exc}",
                "write a spooler location such as $S.#INS.EXP (suggested) or a disk file \\NODE.$VOL.SUBVOL.FILE")


def _check_catalog_ref(r: _Report, fld: str, text: str, ctx: ConfigContext) -> None:
    """A VOLCAT / FILECAT reference by DSM/TC's name rule (domain-facts §2)."""
    try:
        qualify_catalog(text, ctx.manager_node, fld.upper())
    except InvalidArgument as exc:
        r.error("§2", fld, _rule_text(exc), "write the DSM/TC catalog as \\NODE.NAME, e.g. \\INSIDX.QCVOLCAT")


# --------------------------------------------------------------------------------------------------------------
# Data stores and their Catalog Sync configuration


# Each Catalog Sync side: its config, the field that switches it on (R31, R48), the role it belongs to (R17) and words.
_SYNC_SIDES = (("export_config", "export_destination", PRIMARY, "exports", "export destination"),
               ("import_config", "import_source", SECONDARY, "imports", "import source"))


def check_data_store(ds: bb.DataStore, ctx: ConfigContext, *, creating: bool) -> list[Problem]:
    """Every rule of one data store, its pools and its export / import configuration."""
    r = _Report("data_store", ds.id)
    _check_unique_id(r, "§4", ds, ctx.data_stores, "data store", "DS_WIN1_DES", creating)
    old = _stored(ctx.data_stores, ds, creating)
    if ds.type == bb.DATA_STORE_TYPE_UNSPECIFIED:
        r.error("§4", "type", "the data store has no type",
                "set WINDISK (Windows File), QORESTOR, STOREONCE, DATADOMAIN or COHESITY")
    if ds.domain_access == bb.DOMAIN_ACCESS_UNSPECIFIED:  # R17
        r.error("R17", "domain_access", "the data store has no domain access", "set PRIMARY, SECONDARY or RESTRICTED")
    _check_primary_id(r, ds, old, "primary_data_store_id", "data store", "DS_WIN1_DES", ds.domain_access)
    if ds.disk_space_warning_threshold_percent != 0:  # 0 = unset, normalised to 90
        r.in_range("§4", "disk_space_warning_threshold_percent", ds.disk_space_warning_threshold_percent, 1, 100,
                   f"% of used space that BB022_CHECK_SPACE reports; default {DEFAULT_DISK_SPACE_WARNING_PERCENT}")
    _check_storage_features(r, ds)
    _check_pools(r, ds)
    _check_export(r, ds.export_config, ctx)
    _check_import(r, ds, ctx)
    _check_sync_sides(r, ds, old, ctx)
    if ds.worm_compatibility:  # R46: the option is greyed out, auto-scratch is forced
        for g in ctx.groups_of(ds.id):
            if g.HasField("auto_scratch_at_load") and not g.auto_scratch_at_load:
                r.warning("R46", "worm_compatibility", f"volume group {g.id} has Auto Scratch at Load Time NO:"
                          " WORM compatibility forces it to YES",
                          f"set auto_scratch_at_load YES in volume group {g.id}")
    return r.problems


def _check_sync_sides(r: _Report, ds: bb.DataStore, old: bb.DataStore | None, ctx: ConfigContext) -> None:
    """A side switched on in a store of its role needs the license option (R1); in a store of another role it is
    refused when this change sets it, and only warned about when it is a leftover of a role switch (R17, R55)."""
    licensed = "CATALOG_SYNC" in {_key(o) for o in ctx.domain.license.options}
    for config, fld, role, verb, noun in _SYNC_SIDES:
        value = _key(getattr(getattr(ds, config), fld))
        if not value:
            continue
        if ds.domain_access == role and not licensed:  # R1
            r.warning("R1", config, f"the domain license has no CATALOG_SYNC option: Catalog Sync of data store"
                      f" {ds.id} will not run", "install a license key with the Catalog Sync option (in both domains)")
        elif ds.domain_access != role:  # R17: only PRIMARY stores export, only SECONDARY stores import
            leftover = old is not None and _key(getattr(getattr(old, config), fld)) == value
            r.add(WARNING if leftover else ERROR, "R17", f"{config}.{fld}",
                  f"data store {ds.id} has domain access {access_name(ds.domain_access)} and never {verb}: the {noun}"
                  " is not used", f"set domain access {access_name(role)} first, or blank the {noun}")


def _check_storage_features(r: _Report, ds: bb.DataStore) -> None:
    """Storage optimisation, WORM compatibility and the QoreStor-only options (R46, R57)."""
    type_name = bb.DataStoreType.Name(ds.type).removeprefix("DATA_STORE_TYPE_")
    optimization = STORAGE_OPTIMIZATIONS.get(_key(ds.storage_optimization), ds.storage_optimization.strip())
    if optimization and optimization not in _OPTIMIZATION_TYPES:
        r.error("§4", "storage_optimization", f"storage optimization {ds.storage_optimization!r} is unknown",
                "leave it blank, or use RapidCIFS (QoreStor) or BoostFS (DataDomain)")
    elif optimization and ds.type not in _OPTIMIZATION_TYPES[optimization]:
        r.error("§4", "storage_optimization",
                f"storage optimization {optimization} does not exist for {type_name} stores",
                "RapidCIFS is for QoreStor shares (QORESTOR or WINDISK stores), BoostFS for DATADOMAIN")
    # R46: WORM compatibility exists for DataDomain BoostFS, QoreStor RapidCIFS and Cohesity NAS.
    worm_ok = ds.type in (bb.DATA_STORE_TYPE_DATADOMAIN, bb.DATA_STORE_TYPE_COHESITY) or optimization == "RapidCIFS"
    if ds.worm_compatibility and not worm_ok:
        r.error("R46", "worm_compatibility", f"WORM compatibility is not available for a {type_name} store"
                + (f" with storage optimization {optimization}" if optimization else ""),
                "clear worm_compatibility; it exists for DATADOMAIN (BoostFS), COHESITY, and QoreStor RapidCIFS shares")
    for fld in ("use_qorestor_replication", "use_qorestor_cloud_tier"):
        if getattr(ds, fld) and ds.type != bb.DATA_STORE_TYPE_QORESTOR:
            r.error("R57", fld, f"{fld} is a QoreStor option, not available for a {type_name} store",
                    f"clear {fld}, or use a QORESTOR store (Appendix B: the replica is read through a WINDISK store)")


def _check_pools(r: _Report, ds: bb.DataStore) -> None:
    """Pool kinds, UNC paths, ranks; W3077 when there is no STORAGE pool."""
    seen: set[str] = set()
    for i, pool in enumerate(ds.pools):
        if pool.kind == bb.STORAGE_POOL_KIND_UNSPECIFIED:
            r.error("§4", f"pools[{i}].kind", f"pool {i + 1} has no kind", "set STORAGE, SPARE or COPY")
        path = pool.path.strip()
        if not _UNC.match(path):
            r.error("§4", f"pools[{i}].path", f"pool path {pool.path!r} is not a UNC path",
                    "write \\\\host\\share\\folder, e.g. \\\\qs1\\bbox\\pri")
        elif path.upper().rstrip("\\") in seen:
            r.error("§4", f"pools[{i}].path", f"pool path {path} is listed twice", "list each path once")
        seen.add(path.upper().rstrip("\\"))
        r.in_range("§4", f"pools[{i}].rank", pool.rank, 0, None, "the order in which pools of a kind are used")
    if not any(p.kind == bb.STORAGE_POOL_KIND_STORAGE for p in ds.pools):
        r.warning("W3077", "pools", f"The disk pool is missing in the configuration of DataStore {ds.id}.",
                  "add a STORAGE pool with the UNC path where the volume images are written")


def _check_export(r: _Report, cfg: bb.ExportConfig, ctx: ConfigContext) -> None:
    """The Catalog Sync export configuration of a PRIMARY store (R28, R30-R32, R51)."""
    r.in_range("R30", "export_config.full_export_frequency_days", cfg.full_export_frequency_days, 0, 3650,
               "days after which an UPDATE export becomes FULL; 0 = never, schedule BB026 TYPE FULL instead")
    r.in_range("R28", "export_config.export_check_delay_minutes", cfg.export_check_delay_minutes, 0, 10080,
               "minutes between EMS extractor retries of a failed export; 0 = no retries")
    r.in_range("R32", "export_config.priority", cfg.priority, 0, MAX_PRIORITY,  # R32
               "0 = inherit the priority of the domain manager BBSV")
    _check_report_location(r, "export_config.report_location", cfg.report_location, ctx)
    destination = cfg.export_destination.strip()
    if destination:
        try:
            parse_subvolume(destination)  # no default node: the staging area is on the SECONDARY node (R5)
        except InvalidName as exc:  # R31
            r.error("R31", "export_config.export_destination", f"export destination {destination!r}: {exc}",
                    "write the staging subvolume on the SECONDARY node as \\NODE.$VOL.SUBVOL (e.g."
                    " \\ETINIUM.$DATA15.E5CATSYN), or leave it blank for no exports")


def _check_import(r: _Report, ds: bb.DataStore, ctx: ConfigContext) -> None:
    """The Catalog Sync import configuration of a SECONDARY store (R15, R16, R32, R40, R48, R51)."""
    cfg, f = ds.import_config, "import_config."
    source = cfg.import_source.strip()
    others_set = bool(cfg.report_location.strip() or cfg.priority or cfg.node_replacements
                      or cfg.max_disk_files_per_transaction not in (0, DEFAULT_MAX_DISK_FILES)
                      or cfg.secondary_shares_node_name or cfg.non_dedicated_catalog)
    if source:
        try:
            subvol = parse_subvolume(source, default_node=ctx.manager_node or None)
        except InvalidName as exc:  # R48
            r.error("R48", f + "import_source", f"import source {source!r}: {exc}",
                    "write the staging subvolume reserved for this store, [\\NODE.]$VOL.SUBVOL,"
                    " e.g. \\ETINIUM.$DATA15.E5CATSYN")
        else:
            known = {_key(n.name) for n in ctx.nodes}
            if known and subvol.node not in known:
                r.warning("R48", f + "import_source", f"import source {subvol} is on {subvol.node}, not a node of"
                          " this domain: the import reads its staging area locally (R5)",
                          "use the staging subvolume reserved on the SECONDARY node of this domain")
    elif ds.domain_access == SECONDARY and others_set:  # R48
        r.error("R48", f + "import_source", "the import source is blank while other import settings are set",
                "enter the staging subvolume reserved for this store on this node, e.g. \\ETINIUM.$DATA15.E5CATSYN")
    _check_report_location(r, f + "report_location", cfg.report_location, ctx)
    r.in_range("R32", f + "priority", cfg.priority, 0, MAX_PRIORITY,  # R32
               "0 = inherit the priority of the domain manager BBSV")
    n = cfg.max_disk_files_per_transaction
    if n != 0 and not MIN_MAX_DISK_FILES <= n <= MAX_MAX_DISK_FILES:  # R40
        r.error("R40", f + "max_disk_files_per_transaction", f"{n} DISKFILEs per TMF transaction is out of range",
                f"set 0 (default {DEFAULT_MAX_DISK_FILES:,}) or a value from {MIN_MAX_DISK_FILES}"
                f" to {MAX_MAX_DISK_FILES:,}")
    old_nodes: set[str] = set()
    for i, pair in enumerate(cfg.node_replacements):  # R15
        old = _check_node(r, "R15", f"{f}node_replacements[{i}].old_node", pair.old_node, "old node name")
        new = _check_node(r, "R15", f"{f}node_replacements[{i}].new_node", pair.new_node, "new node name")
        if old and old == new:
            r.error("R15", f"{f}node_replacements[{i}]", f"node replacement {old} -> {new} changes nothing",
                    "give the node found in the exported DISKFILE names and a different node known here")
        if old and old in old_nodes:
            r.error("R15", f"{f}node_replacements[{i}].old_node", f"old node {old} is replaced twice",
                    "keep one pair per old node")
        old_nodes.add(old)
    if cfg.node_replacements:  # R16
        for g in ctx.groups_of(ds.id):
            if _filecat_is_default(g, ctx):
                r.error("R16", f + "node_replacements", _r16_message(g, ctx), _r16_fix(g))


def _filecat_is_default(vg: bb.VolumeGroup, ctx: ConfigContext) -> bool:
    """R16: the group directs DISKFILEs to the MEDIADEFS default FILECAT of the domain manager's node."""
    default = ctx.default_filecat()
    return bool(default) and _qualified(vg.filecat, ctx.manager_node) == default


def _r16_message(vg: bb.VolumeGroup, ctx: ConfigContext) -> str:
    return (f"volume group {vg.id} directs replicated DISKFILEs to {ctx.default_filecat()}, the MEDIADEFS default"
            f" FILECAT of {ctx.manager_node}: not allowed while Nodes Replacement is configured for data store"
            f" {vg.data_store_id}")


def _r16_fix(vg: bb.VolumeGroup) -> str:
    return (f"give volume group {vg.id} another FILECAT (a dedicated one), or remove the node replacement pairs of"
            f" data store {vg.data_store_id}")


# --------------------------------------------------------------------------------------------------------------
# Volume groups


def check_volume_group(vg: bb.VolumeGroup, ctx: ConfigContext, *, creating: bool) -> list[Problem]:
    """Every rule of one volume group, against its data store and the domain."""
    return _group_problems(vg, ctx, creating=creating, r16=True)


def _group_problems(vg: bb.VolumeGroup, ctx: ConfigContext, *, creating: bool, r16: bool) -> list[Problem]:
    r = _Report("volume_group", vg.id)
    _check_unique_id(r, "§4", vg, ctx.volume_groups, "volume group", "VG_WIN1_DES", creating)
    old = _stored(ctx.volume_groups, vg, creating)
    ds = ctx.data_store(vg.data_store_id)
    stores = ", ".join(d.id for d in ctx.data_stores) or "none yet"
    if not vg.data_store_id.strip():
        r.error("§4", "data_store_id", "the volume group has no data store", f"name its data store (known: {stores})")
    elif ds is None:
        r.error("§4", "data_store_id", f"data store {vg.data_store_id} does not exist",
                f"create it first, or name an existing one (known: {stores})")
    access = ds.domain_access if ds is not None else bb.DOMAIN_ACCESS_UNSPECIFIED
    held = ctx.volume_count(vg.id)
    if old is not None and _key(old.data_store_id) != _key(vg.data_store_id) and held:
        r.error("§4", "data_store_id", f"volume group {vg.id} holds {held} volumes in data store {old.data_store_id}:"
                f" they cannot move to {vg.data_store_id}", f"keep data store {old.data_store_id}, or empty the group"
                " first (delete or Catalog Detach its volumes)")
    _check_primary_id(r, vg, old, "primary_volume_group_id", "volume group", "VG_WIN1_DES", access)
    _check_tape_catalog(r, vg, ctx, access)
    r.in_range("§4", "max_volume_size_mb", vg.max_volume_size_mb, 1, None, "MB; a larger tape file spans volumes")
    media = _key(vg.media_type) or DEFAULT_MEDIA_TYPE
    emulated = (({_key(m) for m in v.media_types} or {DEFAULT_MEDIA_TYPE}) for v in ctx.vtcs)
    if _check_media_type(r, "media_type", media) and ctx.vtcs and not any(media in types for types in emulated):
        r.warning("§4", "media_type", f"no VTC of the domain emulates {media} drives: mounts will find no drive",
                  f"use a media type of the VTCs, or add {media} to a VTC")
    _check_encryption(r, vg, ctx, access)
    r.in_range("§4", "warning_threshold_percent", vg.warning_threshold_percent, 0, 100, "minimum % of scratch volumes")
    for fld in ("days_past_last_update", "days_past_last_access", "min_file_size_for_deletion_bytes"):
        r.in_range("§4", fld, getattr(vg, fld), 0, None, "0 = no threshold")
    if ds is not None and ds.worm_compatibility and vg.HasField("auto_scratch_at_load") and not vg.auto_scratch_at_load:
        r.error("R46", "auto_scratch_at_load", f"data store {ds.id} has WORM compatibility: Auto Scratch at Load Time"
                " is greyed out and always YES", "set auto_scratch_at_load YES (or leave it unset)")
    if r16 and ds is not None and ds.import_config.node_replacements and _filecat_is_default(vg, ctx):  # R16
        r.error("R16", "filecat", _r16_message(vg, ctx), _r16_fix(vg))
    return r.problems


def _check_tape_catalog(r: _Report, vg: bb.VolumeGroup, ctx: ConfigContext, access: int) -> None:
    """Catalog type per store role (R43) and the DSM/TC, TMF fields it needs (R38)."""
    tc = vg.tape_catalog
    if tc == bb.TAPE_CATALOG_TYPE_UNSPECIFIED:
        r.error("§4", "tape_catalog", "the volume group has no tape catalog",
                "choose NONE, DSMTC, TMF, QTOS or CA (SECONDARY stores: NONE or DSMTC)")
    elif access == SECONDARY and tc not in (NONE, DSMTC):  # R43
        r.error("R43", "tape_catalog", f"tape catalog {catalog_name(tc)} is not supported in SECONDARY data stores:"
                " only NONE and DSM/TC are",
                "set NONE (allowed for a TMF, QTOS or CA group on the primary side) or DSMTC")
    if tc == DSMTC:
        for fld, example in (("volcat", "\\INSIDX.QCVOLCAT"), ("pool", "E501_WIN1")):  # R38
            if not getattr(vg, fld).strip():
                r.error("R38", fld, f"a DSM/TC volume group needs a {fld.upper()}",
                        f"enter the {fld.upper()}, e.g. {example}")
        if vg.volcat.strip():
            _check_catalog_ref(r, "volcat", vg.volcat, ctx)
        if vg.pool.strip():
            try:
                parse_pool_name(vg.pool)
            except InvalidArgument as exc:
                r.error("§2", "pool", _rule_text(exc), "use 1 to 30 letters, digits or _ starting with a letter,"
                        " e.g. E501_WIN_2ND")
        if access == SECONDARY and not vg.filecat.strip():  # R38
            r.error("R38", "filecat", "a DSM/TC group of a SECONDARY store needs a FILECAT (even when it shares the"
                    " VOLCAT's SQL subvolume)", "enter the FILECAT receiving the replicated TAPEFILEs and DISKFILEs,"
                    " e.g. \\ETINIUM.SHCH409FC")
        elif vg.filecat.strip():
            _check_catalog_ref(r, "filecat", vg.filecat, ctx)
            if access != SECONDARY:
                r.warning("R38", "filecat", f"the FILECAT {vg.filecat.strip()} is ignored outside SECONDARY stores:"
                          " BACKUP's TAPECATALOG DEFINE names the FILECAT", "leave filecat blank")
    elif tc != bb.TAPE_CATALOG_TYPE_UNSPECIFIED:
        for fld in ("volcat", "pool", "filecat"):
            if getattr(vg, fld).strip():
                value = getattr(vg, fld).strip()
                r.error("§4", fld, f"a {catalog_name(tc)} group has no DSM/TC catalog: {fld} {value} is not used",
                        f"clear {fld}, or set tape catalog DSMTC")
    if tc == TMF:
        _check_node(r, "§4", "tmf_node", vg.tmf_node, "the TMF node of a TMF group")
    elif vg.tmf_node.strip():
        r.error("§4", "tmf_node", f"tmf_node {vg.tmf_node.strip()} is only used by TMF groups",
                "clear tmf_node, or set tape catalog TMF")


def _check_encryption(r: _Report, vg: bb.VolumeGroup, ctx: ConfigContext, access: int) -> None:
    """Algorithm, key manager id (R50), no encryption in RESTRICTED stores (domain-facts §4 Encryption)."""
    algorithm = _key(vg.encryption_algorithm)
    known = ", ".join(k.id for k in ctx.key_managers) or "none defined"
    if algorithm and algorithm not in ENCRYPTION_ALGORITHMS:
        r.error("§4", "encryption_algorithm", f"encryption algorithm {vg.encryption_algorithm!r} is unknown",
                "leave it blank (no encryption) or use AES256-GCM")
    if algorithm and access == RESTRICTED:
        r.error("§4", "encryption_algorithm", "BackBox does not support encryption in RESTRICTED data stores",
                "clear encryption_algorithm, or put the group in a PRIMARY or SECONDARY store")
    if algorithm and not vg.key_manager_id.strip():
        r.error("R50", "key_manager_id", "an encrypted volume group needs a key manager id",
                f"name one of the domain's key managers ({known})")
    if vg.key_manager_id.strip() and ctx.key_manager(vg.key_manager_id) is None:
        where = (" — on the SECONDARY side, define the same id pointing at the alternate key manager"
                 if access == SECONDARY else "")
        r.error("R50", "key_manager_id", f"key manager id {vg.key_manager_id} is not defined in this domain",
                f"add key manager {vg.key_manager_id.strip()}{where}, or use one of: {known}")


def check_domain_access_change(ds: bb.DataStore, new_access: int, ctx: ConfigContext) -> list[Problem]:
    """What a role switch (R55 steps 3 and 8) leaves inconsistent, on the store and on its groups: warnings only,
    the switch is never blocked and the import validation catches the rest later. UNSPECIFIED is the one error."""
    r = _Report("data_store", ds.id)
    if new_access == bb.DOMAIN_ACCESS_UNSPECIFIED:
        r.error("R17", "domain_access", "the new domain access is unspecified", "set PRIMARY, SECONDARY or RESTRICTED")
        return r.problems
    if new_access == ds.domain_access:
        return r.problems
    name = access_name(new_access)
    if new_access != PRIMARY and ds.export_config.export_destination.strip():  # R52, R55 step 2
        r.warning("R52", "export_config.export_destination", f"as {name}, data store {ds.id} no longer exports",
                  "blank the export destination (and set full export frequency and export check delay to 0)")
    if new_access != SECONDARY and ds.import_config.import_source.strip():  # R17, R55 step 7
        r.warning("R17", "import_config.import_source", f"as {name}, data store {ds.id} no longer imports",
                  "remove the NetBatch import jobs and blank the import source")
    for g in ctx.groups_of(ds.id):
        group = _Report("volume_group", g.id)
        if new_access == SECONDARY and g.tape_catalog not in (NONE, DSMTC):  # R43
            group.warning("R43", "tape_catalog", f"volume group {g.id} has tape catalog {catalog_name(g.tape_catalog)},"
                          f" not supported in SECONDARY data store {ds.id}: its volumes cannot be imported",
                          "set tape catalog NONE (a TMF, QTOS or CA group on the primary side maps to NONE) or DSMTC")
        if new_access == SECONDARY and g.tape_catalog == DSMTC and not g.filecat.strip():  # R38
            group.warning("R38", "filecat", f"DSM/TC volume group {g.id} has no FILECAT, mandatory in SECONDARY"
                          f" data store {ds.id}", "enter the FILECAT receiving the replicated TAPEFILEs and DISKFILEs")
        if new_access == RESTRICTED and g.encryption_algorithm.strip():  # domain-facts §4 Encryption
            group.warning("§4", "encryption_algorithm", f"volume group {g.id} is encrypted: BackBox does not support"
                          f" encryption in RESTRICTED data stores such as {ds.id}", "clear encryption_algorithm")
        r.problems += group.problems
    return r.problems
