"""Validation and normalisation of a BackBox domain's configuration (domain-facts §4, §8): pure functions over the
configuration messages of `backbox_domain.proto`; no gRPC, no storage. The domain manager normalises an object,
checks it against a ConfigContext (the configuration around it), refuses the change on any ERROR with
`raise_on_errors` and shows the warnings; `validate_all` is the ValidateConfiguration RPC.

The data store and volume group rules live in `emulator.domain_config_checks` (split for size) and are re-exported
here: import everything from this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message

from emulator.clock import parse_time_of_day
from emulator.domain_config_checks import (DEFAULT_DISK_SPACE_WARNING_PERCENT, DEFAULT_KEY_MANAGER_PROTOCOL,
                                           DEFAULT_MAX_DISK_FILES, DEFAULT_MEDIA_TYPE, ENCRYPTION_ALGORITHMS,
                                           ERROR, KEY_MANAGER_PROTOCOLS, LICENSE_OPTIONS, LICENSE_WARNING_DAYS,
                                           MAX_PRIORITY, MEDIA_TYPES, STORAGE_OPTIMIZATIONS, WARNING,
                                           ConfigContext, Problem, _check_media_type, _check_node, _check_unique_id,
                                           _group_problems, _key, _others, _qualified, _Report, access_name,
                                           catalog_name, check_data_store, check_domain_access_change,
                                           check_volume_group, parse_expiry, problem, qualify_catalog)
from emulator.errors import InvalidArgument, InvalidName, NotFound
from emulator.names import parse_part, parse_process_name, parse_subvolume, parse_volume
from emulator.v1 import backbox_domain_pb2 as bb

__all__ = [
    "ConfigContext", "ConfigurationInvalid", "Problem", "problem", "raise_on_errors", "license_status",
    "check_license", "check_domain_config", "normalise_domain_config", "check_nsk_node", "check_vtc",
    "check_key_manager", "normalise_data_store", "check_data_store", "normalise_volume_group", "check_volume_group",
    "check_domain_access_change", "effective_auto_scratch", "validate_all", "apply_field_mask", "qualify_catalog",
    "parse_expiry", "access_name", "catalog_name", "DOMAIN_CONFIG_FIELDS", "DATA_STORE_FIELDS",
    "VOLUME_GROUP_FIELDS", "KEY_MANAGER_FIELDS", "ERROR", "WARNING", "LICENSE_OPTIONS", "MEDIA_TYPES",
    "DEFAULT_MEDIA_TYPE", "KEY_MANAGER_PROTOCOLS", "DEFAULT_KEY_MANAGER_PROTOCOL", "ENCRYPTION_ALGORITHMS",
    "MAX_PRIORITY", "DEFAULT_MAX_DISK_FILES", "DEFAULT_DISK_SPACE_WARNING_PERCENT", "LICENSE_WARNING_DAYS",
]

_DOMAIN_ID = re.compile(r"^[A-Z][A-Z0-9_]{0,7}$")
_COLLECTOR = re.compile(r"^\$[A-Z0-9]{1,5}$")  # `$0`, the EMS primary collector, starts with a digit
_KINDS = {"node": "NSK node", "vtc": "VTC", "key_manager": "key manager", "data_store": "data store",
          "volume_group": "volume group"}


def _fields(message: type[Message], *immutable: str) -> tuple[str, ...]:
    return tuple(f.name for f in message.DESCRIPTOR.fields if f.name not in immutable)


# What an update's field mask may name (the `allowed` of apply_field_mask): every field but the immutable id (the
# domain id and its manager's node are fixed at installation); the license changes only through SetLicense.
# `export_config` / `import_config` in DATA_STORE_FIELDS allow their sub-fields (`export_config.priority`).
DOMAIN_CONFIG_FIELDS = _fields(bb.DomainConfig, "domain_id", "domain_manager_node", "license")
DATA_STORE_FIELDS = _fields(bb.DataStore, "id")
VOLUME_GROUP_FIELDS = _fields(bb.VolumeGroup, "id")
KEY_MANAGER_FIELDS = _fields(bb.KeyManagerRef, "id")

M = TypeVar("M", bound=Message)


class ConfigurationInvalid(InvalidArgument):
    """A configuration change was refused: the message lists each problem with its field and fix."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        errors = [p for p in self.problems if p.severity == ERROR] or self.problems
        super().__init__("\n".join(_line(p) for p in errors))


def _line(p: Problem) -> str:
    """`data store DS1, field export_config.priority: <message>. Fix: <fix>`."""
    where = _KINDS.get(p.object_kind, p.object_kind or "configuration")
    if p.object_id:
        where += f" {p.object_id}"
    if p.field:
        where += f", field {p.field}"
    return f"{where}: {p.message.rstrip('.')}. Fix: {p.fix}"


def raise_on_errors(problems: Iterable[Problem]) -> list[Problem]:
    """Raise ConfigurationInvalid when any problem is an ERROR; otherwise return the warnings."""
    problems = list(problems)
    if any(p.severity == ERROR for p in problems):
        raise ConfigurationInvalid(problems)
    return [p for p in problems if p.severity == WARNING]


def license_status(lic: bb.License, today: date) -> bb.LicenseStatus:
    """The license as the domain sees it on `today` (the domain manager node's local date): R1, W3162."""
    options = _options(lic)
    status = bb.LicenseStatus(options=options, expiry_date=lic.expiry_date.strip())
    expiry = parse_expiry(lic.expiry_date)
    if expiry is not None:
        status.days_to_expiry = (expiry - today).days  # the expiry date is the last valid day
        status.expired = status.days_to_expiry < 0
        if 0 <= status.days_to_expiry <= LICENSE_WARNING_DAYS:
            status.warning, status.warning_code = True, "W3162"
            status.warning_text = f"Domain license will expire on {expiry.isoformat()}."
    readable = expiry is not None or not lic.expiry_date.strip()
    status.valid = bool(lic.key.strip()) and readable and not status.expired
    status.catalog_sync = status.valid and "CATALOG_SYNC" in options  # R1
    return status


def _options(lic: bb.License) -> list[str]:
    """The license options upper case, each once, in order."""
    return list(dict.fromkeys(_key(o) for o in lic.options if o.strip()))


# --------------------------------------------------------------------------------------------------------------
# Domain, license, nodes, VTCs, key managers


def check_license(lic: bb.License) -> list[Problem]:
    """Key present, expiry `YYYY-MM-DD` parseable, options known (R1). Expiry against today: validate_all."""
    r = _Report("license", "")
    if not lic.key.strip():
        r.error("R1", "key", "the license has no key",
                "enter the license key delivered for this domain (Domain page > License Details)")
    if lic.expiry_date.strip() and parse_expiry(lic.expiry_date) is None:
        r.error("R1", "expiry_date", f"license expiry date {lic.expiry_date!r} is not a date YYYY-MM-DD",
                "write the last valid day as YYYY-MM-DD (e.g. 2026-01-30), or leave it empty for no expiry")
    seen: set[str] = set()
    for option in lic.options:
        name = _key(option)
        if name not in LICENSE_OPTIONS:
            r.error("R1", "options", f"license option {option!r} is unknown",
                    "use the known options: " + ", ".join(f"{k} ({v})" for k, v in LICENSE_OPTIONS.items()))
        elif name in seen:
            r.warning("R1", "options", f"license option {name} is listed twice", f"list {name} once")
        seen.add(name)
    return r.problems


def check_domain_config(cfg: bb.DomainConfig) -> list[Problem]:
    """Domain id (the message prefix), domain manager node, EMS collector, mount delay threshold, OBB017 time."""
    r = _Report("domain", cfg.domain_id.strip().upper())
    if not _DOMAIN_ID.match(_key(cfg.domain_id)):
        r.error("§4", "domain_id",
                f"domain id {cfg.domain_id!r} is not valid: it is the message prefix (E501NEW-I3279) and has 1 to 8"
                " letters, digits or _ starting with a letter", "use an id such as E501NEW, YINE500, SLAB_A or CH409DR")
    _check_node(r, "§1", "domain_manager_node", cfg.domain_manager_node, "domain manager node")
    if cfg.ems_collector.strip() and not _COLLECTOR.match(_key(cfg.ems_collector)):
        r.error("§1", "ems_collector", f"EMS collector {cfg.ems_collector!r} is not a collector process name",
                "write $ and 1 to 5 letters or digits, e.g. $0 (the primary collector, the default)")
    r.in_range("§4", "mount_delay_threshold_minutes", cfg.mount_delay_threshold_minutes, 0, None,
               "minutes before EMS 3373 reports a mount still waiting")
    if _key(cfg.daily_cleanup_time) not in ("", "OFF"):  # §4 OBB017: the time the domain's clock timer parses
        try:
            parse_time_of_day(cfg.daily_cleanup_time)
        except InvalidArgument:
            r.error("§4", "daily_cleanup_time", f"daily cleanup time {cfg.daily_cleanup_time!r} is not hh:mm (24 h"
                    " clock), OFF or empty", "give hh:mm in the domain manager node's local time, after the DSM/TC"
                    " daily expiration (e.g. 03:00), OFF for no daily run, or leave it empty for 03:00")
    return r.problems


def check_nsk_node(n: bb.NskNode, ctx: ConfigContext) -> list[Problem]:
    """Node name, Expand number, uniqueness in the domain, install subvolume, one domain manager node."""
    r = _Report("node", n.name.strip().upper())
    name = _check_node(r, "§1", "name", n.name, "node name")
    r.in_range("§1", "expand_number", n.expand_number, 0, 254, "the node's Expand node number")
    if name and _others(ctx.nodes, n, lambda x: _key(x.name)):
        r.error("§4", "name", f"NSK node {name} is already in the domain",
                "add another node, or delete this one first")
    if _others(ctx.nodes, n, lambda x: x.expand_number):
        r.error("§1", "expand_number", f"Expand node number {n.expand_number} is already used by another node",
                "give each node its own Expand number (0 to 254)")
    if n.install_subvolume.strip():
        parts = n.install_subvolume.strip().split(".")
        try:
            if len(parts) != 2:
                raise InvalidName(f"install subvolume {n.install_subvolume!r} must be $VOL.SUBVOL")
            parse_volume(parts[0])
            parse_part(parts[1])
        except InvalidName as exc:
            r.error("§1", "install_subvolume", str(exc),
                    "write the BackBox install subvolume as $VOL.SUBVOL, e.g. $SYSTEM.BBOX")
    if n.ems_extractor_process.strip():
        try:
            parse_process_name(n.ems_extractor_process)
        except InvalidName as exc:
            r.error("§1", "ems_extractor_process", str(exc), "write the EMS extractor process name, e.g. $BBEXT")
    if n.domain_manager:
        others = [x.name for x in ctx.nodes if x is not n and x.domain_manager and _key(x.name) != _key(n.name)]
        if others:
            r.error("§4", "domain_manager", f"node {others[0]} already runs the domain manager",
                    "mark one node only as the domain manager node")
        elif name and ctx.manager_node and name != ctx.manager_node:
            r.error("§4", "domain_manager", f"the domain manager node of the domain is {ctx.manager_node}, not {name}",
                    f"clear domain_manager here, or change the domain's domain_manager_node to {name}")
    return r.problems


def check_vtc(v: bb.Vtc, ctx: ConfigContext) -> list[Problem]:
    """Id, uniqueness, drives, media types, address."""
    r = _Report("vtc", v.id)
    _check_unique_id(r, "§4", v, ctx.vtcs, "VTC", "VTC1")
    r.in_range("§4", "drive_count", v.drive_count, 1, None, "the number of virtual tape drives")
    for i, media in enumerate(v.media_types):
        _check_media_type(r, f"media_types[{i}]", _key(media))
    if not (v.HasField("address") and v.address.address.strip()):
        r.error("§4", "address", f"VTC {v.id} has no address", "give the address of its TapeController service")
    return r.problems


def check_key_manager(k: bb.KeyManagerRef, ctx: ConfigContext) -> list[Problem]:
    """Id, uniqueness, address, protocol ESKM or KMIP (R50)."""
    r = _Report("key_manager", k.id)
    _check_unique_id(r, "R50", k, ctx.key_managers, "key manager", "KM1")  # R50: the ids volumes record
    if not (k.HasField("address") and k.address.address.strip()):
        r.error("R50", "address", f"key manager {k.id} has no address",
                "give the address of its KeyManager service (on the SECONDARY side: the alternate key manager)")
    if k.protocol.strip() and _key(k.protocol) not in KEY_MANAGER_PROTOCOLS:
        r.error("§4", "protocol", f"key manager protocol {k.protocol!r} is unknown",
                f"use ESKM or KMIP (default {DEFAULT_KEY_MANAGER_PROTOCOL})")
    return r.problems


# --------------------------------------------------------------------------------------------------------------
# Normalisation: defaults filled in, names upper case and qualified, as users write them


def _copy(message: M) -> M:
    out = type(message)()
    out.CopyFrom(message)
    return out


def _as_node(text: str) -> str:
    """`etinium` or `\\etinium` → `\\ETINIUM` (the Nodes Replacement table shows names without the backslash)."""
    name = _key(text)
    return name if not name or name.startswith("\\") else "\\" + name


def normalise_domain_config(cfg: bb.DomainConfig) -> bb.DomainConfig:
    """Upper-case names and OFF, EMS collector `$0` by default, license options upper case and listed once."""
    out = _copy(cfg)
    out.domain_id = _key(cfg.domain_id)
    out.domain_manager_node = _key(cfg.domain_manager_node)
    out.ems_collector = _key(cfg.ems_collector) or "$0"
    out.daily_cleanup_time = _key(cfg.daily_cleanup_time)
    if cfg.HasField("license"):
        out.license.key = cfg.license.key.strip()
        out.license.expiry_date = cfg.license.expiry_date.strip()
        out.license.options[:] = _options(cfg.license)
    return out


def normalise_data_store(ds: bb.DataStore, ctx: ConfigContext) -> bb.DataStore:
    """Defaults (status ACTIVE, disk space warning 90 %, 20,000 DISKFILEs per transaction, pool rank 1 and
    reserved for ANY), canonical spellings, and subvolumes written in full: `\\ETINIUM.$DATA15.E5CATSYN`."""
    out = _copy(ds)
    out.id = ds.id.strip()
    out.primary_data_store_id = ds.primary_data_store_id.strip()
    if out.status == bb.DATA_STORE_STATUS_UNSPECIFIED:
        out.status = bb.DATA_STORE_STATUS_ACTIVE
    out.disk_space_warning_threshold_percent = (ds.disk_space_warning_threshold_percent
                                                or DEFAULT_DISK_SPACE_WARNING_PERCENT)
    out.storage_optimization = STORAGE_OPTIMIZATIONS.get(_key(ds.storage_optimization), ds.storage_optimization.strip())
    for pool in out.pools:
        pool.path = pool.path.strip()
        pool.rank = pool.rank or 1  # the rank the manual's samples show
        reserved = pool.reserved_for.strip()
        pool.reserved_for = "ANY" if _key(reserved) in ("", "ANY") else reserved  # or a volume class
    if ds.HasField("export_config"):
        exp = out.export_config
        exp.report_location = _key(exp.report_location)
        exp.export_destination = _subvolume(exp.export_destination, None)  # the node is required (R5)
    if ds.HasField("import_config"):
        imp = out.import_config
        imp.import_source = _subvolume(imp.import_source, ctx.manager_node or None)
        imp.report_location = _key(imp.report_location)
        imp.max_disk_files_per_transaction = imp.max_disk_files_per_transaction or DEFAULT_MAX_DISK_FILES  # R40
        for pair in imp.node_replacements:
            pair.old_node, pair.new_node = _as_node(pair.old_node), _as_node(pair.new_node)
    return out


def _subvolume(text: str, default_node: str | None) -> str:
    try:
        return str(parse_subvolume(text, default_node=default_node)) if text.strip() else ""
    except InvalidName:
        return _key(text)


def normalise_volume_group(vg: bb.VolumeGroup, ctx: ConfigContext) -> bb.VolumeGroup:
    """Defaults (auto scratch at load YES, media type LTO3, key policy PER_TAPE), ids spelled as configured, DSM/TC
    names upper case and catalogs qualified with the domain manager's node (`QCVOLCAT` → `\\INSIDX.QCVOLCAT`).

    An explicit auto_scratch_at_load NO stays: on a WORM store check_volume_group refuses it (R46, greyed out)."""
    out = _copy(vg)
    out.id = vg.id.strip()
    ds, km = ctx.data_store(vg.data_store_id), ctx.key_manager(vg.key_manager_id)
    out.data_store_id = ds.id if ds is not None else vg.data_store_id.strip()
    out.key_manager_id = km.id if km is not None else vg.key_manager_id.strip()
    out.primary_volume_group_id = vg.primary_volume_group_id.strip()
    if not vg.HasField("auto_scratch_at_load"):
        out.auto_scratch_at_load = True  # R46: default YES
    out.media_type = _key(vg.media_type) or DEFAULT_MEDIA_TYPE
    out.volcat = _qualified(vg.volcat, ctx.manager_node)
    out.filecat = _qualified(vg.filecat, ctx.manager_node)
    out.pool = _key(vg.pool)
    out.tmf_node = _as_node(vg.tmf_node)
    out.encryption_algorithm = _key(vg.encryption_algorithm)
    if out.key_policy == bb.KEY_POLICY_UNSPECIFIED:
        out.key_policy = bb.KEY_POLICY_PER_TAPE
    return out


def effective_auto_scratch(vg: bb.VolumeGroup, ds: bb.DataStore | None) -> bool:
    """Whether expired content is purged at load: the group's setting (default YES), forced YES by WORM (R46)."""
    worm = ds is not None and ds.worm_compatibility
    return worm or not vg.HasField("auto_scratch_at_load") or vg.auto_scratch_at_load


# --------------------------------------------------------------------------------------------------------------
# The whole configuration


def validate_all(ctx: ConfigContext, data_store_id: str = "") -> list[Problem]:
    """Every problem of the configuration — domain, license (expired: ERROR; W3162), nodes, VTCs, key managers,
    stores (W3077, R1, R10, R15-R17, R38, R40, R43, R46, R50 ...) and their groups, and groups whose store is
    missing — or, with `data_store_id`, of that store and its groups only (NotFound when it does not exist)."""
    if data_store_id:
        ds = ctx.data_store(data_store_id)
        if ds is None:
            known = ", ".join(d.id for d in ctx.data_stores) or "none"
            raise NotFound(f"data store {data_store_id!r} does not exist: use one of {known}")
        return _store_problems(ds, ctx)
    problems = check_domain_config(ctx.domain) + _license_problems(ctx)
    for n in ctx.nodes:
        problems += check_nsk_node(n, ctx)
    for v in ctx.vtcs:
        problems += check_vtc(v, ctx)
    for k in ctx.key_managers:
        problems += check_key_manager(k, ctx)
    for ds in ctx.data_stores:
        problems += _store_problems(ds, ctx)
    for vg in ctx.volume_groups:
        if ctx.data_store(vg.data_store_id) is None:
            problems += _group_problems(vg, ctx, creating=False, r16=False)
    return problems


def _store_problems(ds: bb.DataStore, ctx: ConfigContext) -> list[Problem]:
    """The store (R16 reported once, on the store's node replacements) and its groups."""
    problems = check_data_store(ds, ctx, creating=False)
    for vg in ctx.groups_of(ds.id):
        problems += _group_problems(vg, ctx, creating=False, r16=False)
    return problems


def _license_problems(ctx: ConfigContext) -> list[Problem]:
    lic = ctx.domain.license
    problems = [_with_id(p, ctx.domain.domain_id) for p in check_license(lic)]
    if ctx.today is None or parse_expiry(lic.expiry_date) is None:
        return problems
    status = license_status(lic, ctx.today)
    if status.expired:
        problems.append(problem(ERROR, "R1", "license", ctx.domain.domain_id, "expiry_date",
                                f"Domain license expired on {status.expiry_date}: the domain's licensed options stop",
                                "install a renewed license key (SetLicense)"))
    elif status.warning:
        problems.append(problem(WARNING, status.warning_code, "license", ctx.domain.domain_id, "expiry_date",
                                status.warning_text, "install a renewed license key before it expires"))
    return problems


def _with_id(p: Problem, object_id: str) -> Problem:
    out = _copy(p)
    out.object_id = out.object_id or object_id
    return out


# --------------------------------------------------------------------------------------------------------------
# Field masks


def apply_field_mask(current: M, update: Message, mask: Sequence[str], allowed: Iterable[str], *, what: str) -> M:
    """A copy of `current` with the fields named by `mask` (`export_config.priority` reaches into a message) taken
    from `update`. A path is allowed when it or one of its parents is in `allowed`; an unknown or immutable field
    raises ConfigurationInvalid naming the allowed fields. An empty mask replaces every allowed field (so everything
    but an immutable id). Repeated fields are replaced whole; a message field absent from `update` is cleared."""
    if update.DESCRIPTOR is not current.DESCRIPTOR:
        raise TypeError(f"cannot mask a {update.DESCRIPTOR.name} onto a {current.DESCRIPTOR.name}")
    allowed = [a.strip() for a in allowed]
    paths = [p.strip() for p in mask] or allowed
    object_id = next((getattr(current, f) for f in ("id", "domain_id", "name")
                      if f in current.DESCRIPTOR.fields_by_name), "")
    kind = what.strip().replace(" ", "_")
    problems = []
    for path in paths:
        reason = _path_error(current.DESCRIPTOR, path)
        if reason is None and not any(path == a or path.startswith(a + ".") for a in allowed):
            reason = f"field {path} of a {what} cannot be changed by this request (immutable, or set elsewhere)"
        if reason:
            problems.append(problem(ERROR, "FIELD_MASK", kind, object_id, path, reason,
                                    "name only these fields: " + ", ".join(allowed)))
    if problems:
        raise ConfigurationInvalid(problems)
    out = _copy(current)
    for path in paths:
        _copy_path(out, update, path.split("."))
    return out


def _path_error(descriptor: Descriptor, path: str) -> str | None:
    """Why `path` names no field of the message, or None."""
    parts = path.split(".")
    for i, part in enumerate(parts):
        fd = descriptor.fields_by_name.get(part)
        if fd is None:
            return f"{descriptor.name} has no field {'.'.join(parts[:i + 1])}"
        if i < len(parts) - 1:
            if fd.message_type is None or fd.is_repeated:
                return f"field {'.'.join(parts[:i + 1])} has no sub-fields"
            descriptor = fd.message_type
    return None


def _copy_path(dst: Message, src: Message, parts: list[str]) -> None:
    for part in parts[:-1]:
        dst, src = getattr(dst, part), getattr(src, part)
    name = parts[-1]
    fd = dst.DESCRIPTOR.fields_by_name[name]
    if fd.is_repeated:
        dst.ClearField(name)
        target = getattr(dst, name)
        if fd.message_type is not None and fd.message_type.GetOptions().map_entry:
            target.MergeFrom(getattr(src, name))
        else:
            target.extend(getattr(src, name))
    elif fd.has_presence and not src.HasField(name):
        dst.ClearField(name)
    elif fd.message_type is not None:
        getattr(dst, name).CopyFrom(getattr(src, name))
    else:
        setattr(dst, name, getattr(src, name))
