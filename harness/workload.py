"""The workload: seeded backup jobs for the `backup` verb of a scenario (DESIGN §6 "Workload").

A `Workload(seed, topology)` draws jobs with its own `random.Random(seed)` and `Faker().seed_instance(seed)`:
one seed and one topology give the same jobs, byte for byte, for the same sequence of calls. Each job is a
frozen `BackupJob` that converts to a `RunBackupRequest` (`job.request()`), a NonStop BACKUP with a TAPECATALOG
DEFINE on a BackBox domain:

- a volume group of a PRIMARY, ACTIVE data store that has volumes (R17: only PRIMARY stores create volumes;
  R18: an INACTIVE store refuses loads);
- a FILEID styled like the manuals' `E501NEW-OBK11-WIN1` (a domain or node prefix, an application word, a
  suffix), kept to one group and reused so DSM/TC hands out growing generations (generation 0 = the next);
- RETENTION days, an explicit EXPIRATION date, the MEDIADEFS default, or (rarely) PERMANENT; many short, so
  expiration shows within a 30-day scenario;
- a data size under the group's max volume size, or (at `multi_volume_rate`) over it so the tape file spans a
  multi-volume set;
- with CATALOGFILES (DSM/TC groups only), DISKFILE names in NonStop form `\\INSIDX.$DATA01.SALES.ORDERS` on the
  backup node (the node of a VTC drive of the domain);
- encryption as the group sets it; at `encrypt_rate` a job is steered to an encrypted group and asks for
  encryption explicitly, when the domain's license has ENCRYPTION and a key manager (BTE, R50). (The emulator
  refuses `encrypt` that differs from the group's setting, so a plain group is never forced.)

Each backup writes fresh scratch volumes, so the workload counts the volumes its jobs hold until their files
expire and sends a job to a group with free volumes while there is one (a set never asks for more volumes than
the group has free). `now` — given to `jobs()`, or learnt from the virtual time of each `run` — moves that
bookkeeping forward.

`Workload.run(topo, job)` runs one job through the domain's RunBackup and returns the history's backup value.
A scenario step `{backup: {count: 5, data_store: DS_WIN1_DES, multi_volume_rate: 0.2}}` becomes jobs with
`jobs_from_step`; an unknown key or a bad value is a `WorkloadError` (a ScenarioError and a ValueError) that
names the key and what is allowed.
"""

from __future__ import annotations

import heapq
import random
import re
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping

from faker import Faker

from emulator.domain_volumes import expand_labels
from emulator.dsmtc_entries import parse_file_id
from emulator.errors import EmulatorError
from emulator.names import parse_file_name, parse_node
from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2
from harness.errors import ScenarioError
from harness.topology import TopologySpec

__all__ = ["BackupJob", "BackupStep", "Workload", "WorkloadError", "WorkloadOptions", "run"]

MiB = 1024 * 1024
RUN_TIMEOUT = 120.0          # a multi-volume backup with DISKFILEs is several VTC round trips per volume
USER = "SUPER.SUPER"
MAX_FILE_ID = 60             # DSM/TC FILEID VARCHAR(60)

# Application words of a NonStop shop: FILEIDs and subvolumes (at most 8 characters, first a letter).
APPLICATIONS = ("SALES", "ORDERS", "PAYROLL", "BILLING", "CARDS", "ATM", "LEDGER", "ACCOUNTS", "CLAIMS", "TRADES",
                "SWIFT", "POS", "LOANS", "DEPOSITS", "CUSTOMER", "INVENTRY", "SHIPPING", "POLICY", "AUDIT", "TELLER",
                "FRAUD", "RISK", "GLEDGER", "PAYABLES", "RECEIVBL", "TXNLOG", "SETTLE", "CLEARING", "AUTHS", "HRMS")
# Files an application keeps, next to faker's nouns.
TABLES = ("MASTER", "HISTORY", "TXNLOG", "INDEX", "CUSTMAST", "ACCTMAST", "ORDERS", "ITEMS", "RATES", "CONFIG",
          "AUDITLOG", "JOURNAL", "BALANCES", "LIMITS", "BATCH", "EXTRACT")
CADENCES = ("DAILY", "WEEKLY", "MONTHLY", "FULL", "INCR")
LONG_RETENTIONS = (14, 14, 30, 30, 30, 31, 60, 90, 90, 180, 365, 730)   # days; many short ones come separately


class WorkloadError(ScenarioError, ValueError):
    """A workload option or a backup step is wrong: the message names the key and what is allowed."""


# -- options -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WorkloadOptions:
    """How the jobs are drawn; every field can be given to `jobs()` or in a `backup` step."""

    multi_volume_rate: float = 0.15           # share of jobs larger than the group's max volume size
    volumes: tuple[int, int] = (2, 3)         # volumes of a multi-volume set (capped by the group's volumes)
    data_bytes: tuple[int, int] = (16 * 1024, 256 * 1024)   # a single-volume job (kept under the max size)
    disk_files: tuple[int, int] = (1, 12)     # DISKFILEs of a job with CATALOGFILES
    catalog_files_rate: float = 0.8           # CATALOGFILES on a DSM/TC group (never on others)
    encrypt_rate: float = 0.2                 # jobs steered to an encrypted group, asking for encryption
    new_file_id_rate: float = 0.25            # a new FILEID while the group has fewer than file_ids_per_group
    file_ids_per_group: int = 3
    short_retention_rate: float = 0.3         # 1..7 days (expiration within a 30-day scenario)
    expiration_rate: float = 0.15             # an explicit EXPIRATION date instead of RETENTION
    default_retention_rate: float = 0.05      # neither: the MEDIADEFS RETENTION applies
    permanent_rate: float = 0.02              # PERMANENT (rare)

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_(self, values: Mapping[str, Any], where: str = "workload option") -> "WorkloadOptions":
        """A copy with `values` checked and applied."""
        allowed = self.names()
        changes: dict[str, Any] = {}
        for key, value in values.items():
            if key not in allowed:
                raise WorkloadError(f"unknown {where} {key!r}: allowed are {', '.join(sorted(allowed))}")
            default = getattr(self, key)
            if isinstance(default, tuple):
                changes[key] = _range(key, value)
            elif isinstance(default, float):
                changes[key] = _rate(key, value)
            else:
                changes[key] = _whole(key, value, low=1)
        out = replace(self, **changes)
        if out.volumes[0] < 2:
            raise WorkloadError(f"volumes {list(out.volumes)}: a multi-volume set has at least 2 volumes,"
                                " e.g. volumes: [2, 4]")
        return out


def _whole(key: str, value: Any, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise WorkloadError(f"{key} must be a whole number of at least {low}, not {value!r}")
    return value


def _rate(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise WorkloadError(f"{key} must be a number from 0 to 1 (a share of the jobs), not {value!r}")
    return float(value)


def _range(key: str, value: Any) -> tuple[int, int]:
    """`[min, max]` (a YAML list) or one number for both."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        low, high = (_whole(key, v) for v in value)
    elif isinstance(value, int) and not isinstance(value, bool):
        low = high = _whole(key, value)
    else:
        raise WorkloadError(f"{key} must be [min, max] or one whole number, not {value!r}")
    if low > high:
        raise WorkloadError(f"{key} [{low}, {high}] runs backwards: give the smaller number first")
    return low, high


@dataclass(frozen=True)
class BackupStep:
    """The arguments of one `backup` step: how many jobs, where, and the option overrides."""

    count: int = 1
    domain: str | None = None
    data_store: str | None = None
    group: str | None = None
    node: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)   # checked overrides of WorkloadOptions

    TARGETS = ("domain", "data_store", "group", "node")

    @classmethod
    def allowed(cls) -> tuple[str, ...]:
        return ("count", *cls.TARGETS, *WorkloadOptions.names())

    @classmethod
    def from_step(cls, step: Any) -> "BackupStep":
        """Parse `{backup: {...}}`, its mapping, or a bare count; no topology needed (a scenario's load check)."""
        if isinstance(step, Mapping) and set(step) == {"backup"}:
            step = step["backup"]
        if isinstance(step, int) and not isinstance(step, bool):
            step = {"count": step}
        if not isinstance(step, Mapping):
            raise WorkloadError(f"backup is a count (backup: 3) or a mapping of workload options, not {step!r}")
        allowed = cls.allowed()
        for key in step:
            if key not in allowed:
                raise WorkloadError(f"unknown backup key {key!r}: allowed keys are {', '.join(sorted(allowed))}")
        count = _whole("count", step.get("count", 1), low=1)
        targets = {}
        for key in cls.TARGETS:
            value = step.get(key)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise WorkloadError(f"{key} must be an id such as {_EXAMPLES[key]}, not {value!r}")
            targets[key] = value.strip().upper() if value is not None else None
        options = {k: v for k, v in step.items() if k in WorkloadOptions.names()}
        WorkloadOptions().with_(options, "backup key")   # checked now, applied at jobs()
        return cls(count, options=dict(options), **targets)


_EXAMPLES = {"domain": "E501NEW", "data_store": "DS_WIN1_DES", "group": "VG_WIN1_DES", "node": "\\INSIDX"}


# -- jobs ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BackupJob:
    """One BACKUP to run: where, what FILEID, how much data, which DISKFILEs, how long it is kept."""

    index: int                      # position in the workload's jobs (0, 1, ...)
    domain: str
    data_store: str
    group: str
    tape_catalog: str               # "DSMTC", "NONE", "TMF" ... of the group
    node: str                       # the node running BACKUP (a VTC drive's node)
    process: str                    # `\INSIDX.$BK07`
    file_id: str
    data_bytes: int
    volumes: int                    # volumes the data fills at the group's max volume size
    content_seed: int
    planned_at: datetime            # the `now` the job was drawn at (base of an explicit expiration)
    utc_offset_seconds: int = 0     # the node's offset, for the local date of an explicit expiration
    generation: int = 0             # 0 = the next one DSM/TC hands out
    retention_days: int = 0         # RETENTION
    expire_in_days: int = 0         # EXPIRATION on the local midnight this many days after the backup
    permanent: bool = False
    catalog_files: bool = False
    disk_files: tuple[str, ...] = ()
    encrypt: bool | None = None     # None = the group's setting
    encrypted: bool = False         # the volumes will be encrypted (the group encrypts)
    comment: str = ""
    user: str = USER

    @property
    def multi_volume(self) -> bool:
        return self.volumes > 1

    def expiration(self, now: datetime | None = None) -> datetime | None:
        """The explicit EXPIRATION for a backup at `now` (default: when the job was drawn); None otherwise."""
        if not self.expire_in_days or self.permanent:
            return None
        local = timezone(timedelta(seconds=self.utc_offset_seconds))
        day = (now or self.planned_at).astimezone(local).date() + timedelta(days=self.expire_in_days)
        return datetime(day.year, day.month, day.day, tzinfo=local).astimezone(timezone.utc)

    def request(self, now: datetime | None = None) -> bb.RunBackupRequest:
        """The RunBackup request; `now` is the virtual time of the run (for an explicit EXPIRATION)."""
        req = bb.RunBackupRequest(
            node=self.node, process=self.process, data_store_id=self.data_store, volume_group_id=self.group,
            file_id=self.file_id, generation=self.generation, retention_days=self.retention_days,
            permanent=self.permanent, data_bytes=self.data_bytes, content_seed=self.content_seed,
            catalog_files=self.catalog_files, disk_file_names=self.disk_files, comment=self.comment, user=self.user)
        expiration = self.expiration(now)
        if expiration is not None:
            req.expiration_time.FromDatetime(expiration)
        if self.encrypt is not None:
            req.encrypt = self.encrypt
        return req

    def describe(self) -> dict[str, Any]:
        """The job as plain JSON (the backup invoke value of the history)."""
        return {"index": self.index, "domain": self.domain, "data_store": self.data_store, "group": self.group,
                "tape_catalog": self.tape_catalog, "node": self.node, "file_id": self.file_id,
                "generation": self.generation,
                "data_bytes": self.data_bytes, "volumes": self.volumes, "retention_days": self.retention_days,
                "expire_in_days": self.expire_in_days, "permanent": self.permanent,
                "catalog_files": self.catalog_files, "disk_files": len(self.disk_files),
                "encrypt": self.encrypt, "content_seed": self.content_seed}


@dataclass(frozen=True, eq=False)     # compared by identity: it holds a proto message
class _Target:
    """A volume group a backup can write to, with what the draw needs to know about it."""

    domain: str
    data_store: str
    group: bb.VolumeGroup
    volume_count: int
    nodes: tuple[str, ...]
    can_force_encrypt: bool

    @property
    def encrypted(self) -> bool:
        return bool(self.group.encryption_algorithm.strip())

    @property
    def dsmtc(self) -> bool:
        return self.group.tape_catalog == bb.TAPE_CATALOG_TYPE_DSMTC


class Workload:
    """Seeded backup jobs over the PRIMARY volume groups of a topology."""

    def __init__(self, seed: int, topology: TopologySpec, options: WorkloadOptions | None = None):
        self.seed = seed
        self.topology = topology
        self.options = options or WorkloadOptions()
        self.rng = random.Random(seed)
        self.fake = Faker()
        self.fake.seed_instance(seed)
        self._count = 0
        self._file_ids: dict[tuple[str, str], list[str]] = {}   # (domain, group) -> its FILEIDs, oldest first
        self._taken: set[str] = set()                            # every FILEID drawn: one group each
        self._refusals: dict[tuple[str, str, str], str] = {}     # groups no backup can use, and why
        # (domain, group) -> (when the volumes are scratch again, how many) of the jobs drawn, and the total held:
        # a job goes to a group with a free volume when there is one, so a long scenario does not run a small
        # group dry while others have room (volumes written outside the workload are not seen).
        # `now` only moves forward, so a heap of finite holds and a running total suffice.
        self._held: dict[tuple[str, str], list[tuple[datetime, int]]] = {}
        self._held_total: dict[tuple[str, str], int] = {}
        self._now: datetime = topology.clock_start
        self.targets = self._targets()

    # -- the groups ----------------------------------------------------------------------------------------------
    def _targets(self) -> tuple[_Target, ...]:
        backbox = self.topology.backbox
        out = []
        for d in (backbox.domains if backbox is not None else ()):
            nodes = sorted({node for v in backbox.vtcs if v.domain == d.id for _, node in v.drives}) or [d.manager]
            licensed = "ENCRYPTION" in {o.upper() for o in d.license.options} and bool(d.key_managers)
            for ds in d.data_stores:
                store = ds.store
                for g in ds.groups:
                    key = (d.id, store.id, g.group.id)
                    count = len(expand_labels(g.labels, *g.label_range)) if g.label_range else len(g.labels)
                    if store.domain_access != bb.DOMAIN_ACCESS_PRIMARY:
                        access = bb.DomainAccess.Name(store.domain_access).removeprefix("DOMAIN_ACCESS_")
                        self._refusals[key] = (f"data store {store.id} is {access}: backups write only to PRIMARY"
                                               " data stores (R17)")
                    elif store.status == bb.DATA_STORE_STATUS_INACTIVE:
                        self._refusals[key] = f"data store {store.id} is INACTIVE: it refuses loads (R18)"
                    elif count == 0:
                        self._refusals[key] = (f"volume group {g.group.id} has no volumes: give it volumes in the"
                                               " topology (volumes: EW1001-EW1014)")
                    else:
                        out.append(_Target(d.id, store.id, g.group, count, tuple(nodes),
                                           licensed and bool(g.group.key_manager_id.strip())))
        return tuple(out)

    def retarget(self, topo: Any, domain: str, data_store: str) -> None:
        """After a role swap (R55): backups go to `data_store` of `domain`, now PRIMARY. Its groups come from the
        live domain; a group counts only its SCRATCH volumes as free (the others hold the old primary's data);
        the old primary's groups refuse backups, naming the new store."""
        from emulator.v1 import common_pb2, media_catalog_pb2 as mc  # noqa: PLC0415

        stub = topo.domain(domain)
        spec = next((d for d in self.topology.backbox.domains if d.id == domain), None) \
            if self.topology.backbox is not None else None
        nodes = sorted({node for v in self.topology.backbox.vtcs if v.domain == domain for _, node in v.drives}) \
            if self.topology.backbox is not None else []
        if not nodes and spec is not None:
            nodes = [spec.manager]
        licensed = spec is not None and "ENCRYPTION" in {o.upper() for o in spec.license.options} \
            and bool(spec.key_managers)
        groups = stub.ListVolumeGroups(bb.ListVolumeGroupsRequest(data_store_id=data_store), timeout=30).volume_groups
        targets = []
        for g in groups:
            scratch, token = 0, ""
            while True:
                resp = stub.ListVolumes(bb.ListVolumesRequest(
                    data_store_id=data_store, volume_group_id=g.id, catalog_status=mc.VOLUME_STATUS_SCRATCH,
                    page=common_pb2.PageRequest(page_size=1000, page_token=token)), timeout=30)
                scratch += len(resp.volumes)
                token = resp.page.next_page_token
                if not token:
                    break
            if scratch:
                targets.append(_Target(domain, data_store, g, scratch, tuple(nodes),
                                       licensed and bool(g.key_manager_id.strip())))
        for t in self.targets:
            if (t.domain, t.data_store) != (domain, data_store):
                self._refusals[(t.domain, t.data_store, t.group.id)] = (
                    f"data store {t.data_store} is no longer PRIMARY (role swap): backups write to {data_store}"
                    f" of {domain}")
        for t in targets:
            self._refusals.pop((t.domain, t.data_store, t.group.id), None)
            self._held.pop((t.domain, t.group.id), None)
            self._held_total.pop((t.domain, t.group.id), None)
        self.targets = tuple(targets)

    def retire(self, domain: str, data_store: str, why: str) -> None:
        """The store takes no more backups (abandoned, R54): its groups refuse them with `why`."""
        for t in self.targets:
            if (t.domain, t.data_store) == (domain, data_store):
                self._refusals[(t.domain, t.data_store, t.group.id)] = why
        self.targets = tuple(t for t in self.targets if (t.domain, t.data_store) != (domain, data_store))

    def _select(self, domain: str | None, data_store: str | None, group: str | None) -> list[_Target]:
        """The targets matching the filters, or an error naming what exists."""
        known = list(self._refusals) + [(t.domain, t.data_store, t.group.id) for t in self.targets]
        if not known:
            raise WorkloadError(f"topology {self.topology.name} has no BackBox volume group: backups need a domain"
                                " with a PRIMARY data store and a volume group with volumes (see e501-sample)")
        for what, index, value in (("domain", 0, domain), ("data store", 1, data_store), ("volume group", 2, group)):
            if value is not None and value not in {k[index] for k in known}:
                names = sorted({k[index] for k in known}) or ["none"]
                raise WorkloadError(f"no {what} {value} in topology {self.topology.name}: its {what}s are"
                                    f" {', '.join(names)}")
        wanted = (domain, data_store, group)
        matching = [k for k in known if all(w is None or w == v for w, v in zip(wanted, k))]
        if not matching:
            given = ", ".join(f"{n}={w}" for n, w in zip(("domain", "data_store", "group"), wanted) if w)
            raise WorkloadError(f"no volume group matches {given}: they name different parts of the topology;"
                                " drop one of them or name a group of that data store")
        chosen = [t for t in self.targets if (t.domain, t.data_store, t.group.id) in matching]
        if not chosen:
            usable = ", ".join(f"{t.data_store}/{t.group.id}" for t in self.targets) or "none in this topology"
            why = "; ".join(dict.fromkeys(self._refusals[m] for m in matching))
            raise WorkloadError(f"{why}; groups that can take a backup: {usable}")
        return chosen

    # -- drawing jobs ------------------------------------------------------------------------------------------
    def jobs(self, count: int, *, domain: str | None = None, data_store: str | None = None,
             group: str | None = None, node: str | None = None, now: datetime | str | None = None,
             **options: Any) -> list[BackupJob]:
        """`count` jobs on the matching groups; `options` override WorkloadOptions fields for these jobs.
        `now` is the virtual time of the step (datetime or ISO text; default: the latest given, at first the
        topology's clock start): it decides which volumes of the jobs drawn so far are free again."""
        _whole("count", count)
        opts = self.options.with_(options)
        up = (lambda v: v.strip().upper() if isinstance(v, str) else v)
        targets = self._select(up(domain), up(data_store), up(group))
        if node is not None:
            try:
                node = parse_node(node)
            except EmulatorError as exc:
                raise WorkloadError(f"node: {exc.message}") from None
            targets = [t for t in targets if node in t.nodes]
            if not targets:
                raise WorkloadError(f"node {node} has no drive of a VTC of the chosen groups' domain: back up from"
                                    f" one of {', '.join(sorted({n for t in self.targets for n in t.nodes}))}")
        self._now = max(self._now, _instant(now)) if now is not None else self._now
        return [self._job(targets, node, self._now, opts) for _ in range(count)]

    def jobs_from_step(self, step: Any, *, now: datetime | str | None = None) -> list[BackupJob]:
        """The jobs of a `backup` step (`{backup: {...}}`, its mapping, or a count)."""
        parsed = BackupStep.from_step(step)
        return self.jobs(parsed.count, domain=parsed.domain, data_store=parsed.data_store, group=parsed.group,
                         node=parsed.node, now=now, **parsed.options)

    def check_step(self, step: Any) -> BackupStep:
        """Parse a step and resolve its groups against the topology without drawing anything."""
        parsed = BackupStep.from_step(step)
        self._select(parsed.domain, parsed.data_store, parsed.group)
        return parsed

    def _job(self, targets: list[_Target], node: str | None, now: datetime, opts: WorkloadOptions) -> BackupJob:
        rng = self.rng
        free = {t: self._free(t, now) for t in targets}
        roomy = [t for t in targets if free[t] > 0] or targets   # none free: the mount will say NO RESOURCE
        forcible = [t for t in roomy if t.encrypted and t.can_force_encrypt]
        force = bool(forcible) and rng.random() < opts.encrypt_rate
        target = rng.choice(forcible if force else roomy)
        node = node or rng.choice(target.nodes)
        offset = self.topology.node(node).utc_offset_seconds if _has_node(self.topology, node) else 0
        file_id = self._file_id(target, node, opts)
        data_bytes, volumes = self._size(target, max(free[target], 1), opts)
        retention, expire_in, permanent = self._keep(opts)
        self._hold(target, node, now, volumes, retention or expire_in, permanent)
        catalog_files = target.dsmtc and rng.random() < opts.catalog_files_rate
        disk_files = self._disk_files(node, rng.randint(*opts.disk_files)) if catalog_files else ()
        app = next((t for t in file_id.split("-") if t in APPLICATIONS), file_id)
        comment = f"{app} backup for {self.fake.name()}"[:80]
        job = BackupJob(
            index=self._count, domain=target.domain, data_store=target.data_store, group=target.group.id,
            tape_catalog=bb.TapeCatalogType.Name(target.group.tape_catalog).removeprefix("TAPE_CATALOG_TYPE_"),
            node=node, process=f"{node}.$BK{rng.randint(1, 99):02d}", file_id=file_id, data_bytes=data_bytes,
            volumes=volumes, content_seed=rng.getrandbits(62), planned_at=now, utc_offset_seconds=offset,
            retention_days=retention, expire_in_days=expire_in, permanent=permanent, catalog_files=catalog_files,
            disk_files=disk_files, encrypt=True if force else None, encrypted=target.encrypted, comment=comment)
        self._count += 1
        return job

    def _file_id(self, target: _Target, node: str, opts: WorkloadOptions) -> str:
        """A FILEID of the group: reused (the next generation) or, while the group has room, a new one."""
        pool = self._file_ids.setdefault((target.domain, target.group.id), [])
        if pool and (len(pool) >= opts.file_ids_per_group or self.rng.random() >= opts.new_file_id_rate):
            return self.rng.choice(pool)
        for _ in range(8):                         # one FILEID, one group: no collision between groups (R4, R11)
            file_id = self._new_file_id(target, node)
            if file_id not in self._taken:
                break
        base, n = file_id, 2
        while file_id in self._taken:
            file_id, n = f"{base}{n}", n + 1
        parse_file_id(file_id)                     # DSM/TC's own rule; a failure here is a bug of this module
        self._taken.add(file_id)
        pool.append(file_id)
        return file_id

    def _free(self, target: _Target, now: datetime) -> int:
        key = (target.domain, target.group.id)
        heap = self._held.get(key, [])
        while heap and heap[0][0] <= now:
            self._held_total[key] -= heapq.heappop(heap)[1]
        return target.volume_count - self._held_total.get(key, 0)

    def _hold(self, target: _Target, node: str, now: datetime, volumes: int, days: int, permanent: bool) -> None:
        """Count the job's volumes as taken until a daily expiration after the tape file expires."""
        if not days and not permanent and target.dsmtc:    # the MEDIADEFS RETENTION of the node applies
            days = int(self.topology.node(node).dsmtc.mediadefs.get("retention_days", 30)) \
                if _has_node(self.topology, node) else 30
        key = (target.domain, target.group.id)
        self._held_total[key] = self._held_total.get(key, 0) + volumes
        if not permanent and days:                 # PERMANENT, or no expiration at all: held for good
            heapq.heappush(self._held.setdefault(key, []), (now + timedelta(days=days + 1), volumes))

    def _new_file_id(self, target: _Target, node: str) -> str:
        """`E501NEW-ORDERS-WIN1`, `E501NEW-OBK11-ORDERS` or `INSIDX-PAYROLL-DAILY`."""
        app = self.fake.random_element(APPLICATIONS)
        prefix = self.rng.choice((target.domain, target.domain, node.lstrip("\\")))
        tokens = [t for t in re.split(r"[_\-]", target.data_store) if t and t != "DS"] or [target.data_store]
        shape = self.rng.randrange(3)
        if shape == 0:
            file_id = f"{prefix}-{app}-{tokens[0]}"
        elif shape == 1:
            file_id = f"{prefix}-OBK{self.rng.randint(1, 99):02d}-{app}"
        else:
            file_id = f"{prefix}-{app}-{self.rng.choice(CADENCES)}"
        return re.sub(r"[^A-Z0-9$#._\-/:+@]", "", file_id.upper())[:MAX_FILE_ID - 4]

    def _size(self, target: _Target, free: int, opts: WorkloadOptions) -> tuple[int, int]:
        """(data bytes, volumes): over the max volume size a tape file fills `volumes` volumes of the set
        (at most the group's free volumes)."""
        size = target.group.max_volume_size_mb * MiB
        if size and free >= 2 and self.rng.random() < opts.multi_volume_rate:
            volumes = min(self.rng.randint(*opts.volumes), free)
            return (volumes - 1) * size + self.rng.randint(max(1, size // 10), size), volumes
        high = min(opts.data_bytes[1], size) if size else opts.data_bytes[1]
        low = min(opts.data_bytes[0], high)
        return self.rng.randint(low, high), 1

    def _keep(self, opts: WorkloadOptions) -> tuple[int, int, bool]:
        """(RETENTION days, EXPIRATION in days, PERMANENT): one of them, or none for the MEDIADEFS default."""
        rng = self.rng
        draw = rng.random()
        short = rng.random() < opts.short_retention_rate
        days = rng.randint(1, 7) if short else rng.choice(LONG_RETENTIONS)
        if draw < opts.permanent_rate:
            return 0, 0, True
        draw -= opts.permanent_rate
        if draw < opts.expiration_rate:
            return 0, days, False
        draw -= opts.expiration_rate
        if draw < opts.default_retention_rate:
            return 0, 0, False
        return days, 0, False

    def _disk_files(self, node: str, count: int) -> tuple[str, ...]:
        """`count` distinct DISKFILE names `\\NODE.$DATAnn.SUBVOL.FILE` over one to three subvolumes."""
        if not count:
            return ()
        rng, fake = self.rng, self.fake
        subvols = []
        for _ in range(rng.randint(1, min(3, count))):
            volume = f"$DATA{rng.randint(1, 16):02d}"
            subvols.append((volume, _part(fake.random_element(APPLICATIONS), "APPDATA")))
        names: list[str] = []
        seen: set[str] = set()
        for i in range(count):
            volume, subvol = subvols[i % len(subvols)]
            word = fake.random_element(TABLES) if rng.random() < 0.4 else fake.word(part_of_speech="noun")
            file = _part(word, "FILE")
            if rng.random() < 0.2:
                file = f"{file[:6]}{rng.randint(0, 99):02d}"
            name, n = f"{node}.{volume}.{subvol}.{file}", 1
            while name in seen:
                name, n = f"{node}.{volume}.{subvol}.{file[:5]}{n:03d}", n + 1
            try:
                parse_file_name(name)
            except EmulatorError as exc:          # a bug of this module: say which name
                raise AssertionError(f"generated DISKFILE {name} is not a valid name: {exc}") from None
            seen.add(name)
            names.append(name)
        return tuple(names)

    # -- running -----------------------------------------------------------------------------------------------
    def run(self, topo: Any, job: BackupJob, *, timeout: float = RUN_TIMEOUT) -> dict[str, Any]:
        """Run one job on a started topology; the history's backup ok value. The virtual time of the run becomes
        the workload's `now` when it is later than the one it has (a caller that never passes `now`)."""
        value, now = _run(topo, job, timeout)
        self._now = max(self._now, now)
        return value


def _instant(value: datetime | str) -> datetime:
    """An aware UTC datetime from a datetime or ISO text (the history's `time`)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise WorkloadError(f"now {value!r} must be an ISO time like 2025-09-23T20:00:00Z") from None
    if not isinstance(value, datetime):
        raise WorkloadError(f"now must be a datetime or an ISO time, not {value!r}")
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _has_node(spec: TopologySpec, node: str) -> bool:
    return any(n.name == node for n in spec.nodes)


def _part(word: str, fallback: str) -> str:
    """A subvolume or file part: 1..8 upper-case letters and digits, first a letter."""
    cleaned = re.sub(r"[^A-Z0-9]", "", word.upper()).lstrip("0123456789")
    return cleaned[:8] or fallback


def run(topo: Any, job: BackupJob, *, timeout: float = RUN_TIMEOUT) -> dict[str, Any]:
    """Run `job` through `topo.domain(job.domain).RunBackup` at the topology's virtual time; return the backup
    ok value of the history: domain, data_store, group, node, file_id, generation, labels, encrypted, disk_files,
    checksum, expiration (ISO UTC, "" when permanent or none). A refusal raises the grpc.RpcError as it came."""
    return _run(topo, job, timeout)[0]


def _run(topo: Any, job: BackupJob, timeout: float) -> tuple[dict[str, Any], datetime]:
    now = topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=timeout).utc.ToDatetime(timezone.utc)
    resp = topo.domain(job.domain).RunBackup(job.request(now), timeout=timeout)
    tape_file = resp.tape_file
    expiration = ""
    if tape_file.HasField("expiration_time") and not tape_file.permanent:
        expiration = tape_file.expiration_time.ToDatetime(timezone.utc).isoformat()
    return {"domain": job.domain, "data_store": job.data_store, "group": job.group, "node": job.node,
            "file_id": tape_file.file_id or job.file_id, "generation": tape_file.generation,
            "labels": [v.label for v in resp.volumes], "encrypted": any(v.encrypted for v in resp.volumes),
            "disk_files": int(resp.disk_file_count), "checksum": resp.checksum, "expiration": expiration}, now
