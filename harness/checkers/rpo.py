r"""RPO: how much backup time the secondary would lose if the primary site went now — the virtual time between the
newest backup the primary can restore and the newest one the secondary can restore (0 when the newest is
restorable at both). From the history's `backup` ok events and the final dump.

A backup is restorable at a site when none of its volumes was rewritten by a later backup, each of its volumes has
a record and an image there (the secondary's image equal to the primary's), an encrypted one has its key there
(R50), and for a DSM/TC group its TAPEFILE (FILEID + GENERATION) is VALID in the site's FILECAT (at the secondary
the mapped group's, R14). Backups of stores no SECONDARY store replicates, or of groups with no secondary group
(R39), do not count. With nothing restorable at the secondary, everything since the history's first event is lost.

invalid when the RPO is above `rpo_limit_seconds`; valid with the measured value otherwise (evidence kind `rpo`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.checkers.dumps import (PRIMARY, SECONDARY, Domain, Dump, is_dsmtc, mapped_groups, micros,
                                    primary_store_id, qualify)
from harness.checkers.result import INVALID, UNKNOWN, VALID, CheckResult, result
from harness.checkers.syncs import FINAL, removed_stores
from harness.history import INVOKE, OK, Event, pairs

NAME = "rpo"


@dataclass
class _Backup:
    index: int
    time: str
    us: int
    domain: str
    store: str
    group: str
    file_id: str
    generation: int
    labels: list[str]
    encrypted: bool
    started_us: int = 0
    superseded: bool = False

    def describe(self) -> dict[str, Any]:
        return {"event": self.index, "time": self.time, "file_id": self.file_id, "generation": self.generation,
                "labels": self.labels}


@dataclass
class _Pair:
    primary: Domain
    store: str
    secondary: Domain
    secondary_store: str
    backups: list[_Backup] = field(default_factory=list)




def check_rpo(events: list[Event], dumps: dict[str, Dump], *, rpo_limit_seconds: int | None = None,
              **_: Any) -> CheckResult:
    """The measured RPO per replicated store; invalid above `rpo_limit_seconds`."""
    final = dumps.get(FINAL)
    if final is None:
        return result(NAME, UNKNOWN, "no final dump: cannot tell what is restorable")
    backups = _backups(events)
    if not backups:
        return result(NAME, VALID, "no backup in the history: nothing to lose (RPO 0 s)",
                      [{"kind": "rpo", "rpo_seconds": 0, "limit_seconds": rpo_limit_seconds}])
    start = next((m for m in (micros(e.time) for e in events) if m is not None), backups[0].us)
    pairs, skipped = _pairs(backups, final)
    if not pairs:
        failover = _failover_pair(events, dumps, backups)
        if failover is not None:   # the pair ended when the primary was lost: measured at the promoted store
            event, pair, at = failover
            item, verdict, line = _measure(pair, at, start, rpo_limit_seconds, primary_lost=True)
            lost = [{"kind": "cannot-restore", "label": b.labels[0], "file_id": b.file_id,
                     "generation": b.generation, "why": why} for b in pair.backups
                    if not b.superseded and (why := _why_not(b, at, pair, secondary=True))]
            return result(NAME, verdict, f"the primary was lost (unplanned_failover, event #{event.index}): {line};"
                                         f" {len(lost)} backups the new primary cannot restore", [item, *lost])
        removed = removed_stores(events)   # the pair was ended on purpose (R53, R54, R58)
        if removed:
            return result(NAME, VALID, "no replicated pair is left ("
                          + ", ".join(f"{store} removed by {by}" for store, by in removed.items())
                          + "): no RPO to measure")
        return result(NAME, UNKNOWN, f"none of the {len(backups)} backups is of a store and group a SECONDARY store"
                                     " replicates (R10, R39): no RPO to measure")
    lines, evidence, verdicts = [], [], []
    for pair in pairs:
        item, verdict, line = _measure(pair, final, start, rpo_limit_seconds)
        evidence.append(item)
        verdicts.append(verdict)
        lines.append(line)
    if skipped:
        lines.append(f"{skipped} backups of unreplicated stores or groups not counted")
    return result(NAME, INVALID if INVALID in verdicts else VALID, "; ".join(lines), evidence)


def _measure(pair: _Pair, final: Dump, start: int, limit: int | None, *, primary_lost: bool = False
             ) -> tuple[dict[str, Any], str, str]:
    """One pair's RPO: the newest backup restorable at the primary minus the newest restorable at the secondary
    (from the history's start when none is), its evidence item, verdict and summary line. `primary_lost`: the
    primary cannot be read; every backup it wrote and did not overwrite counts as restorable there."""
    at_primary = [b for b in pair.backups if not b.superseded] if primary_lost else \
        [b for b in pair.backups if not _why_not(b, final, pair, secondary=False)]
    at_secondary = [b for b in pair.backups if not _why_not(b, final, pair, secondary=True)]
    newest_p = max(at_primary, key=lambda b: (b.us, b.index), default=None)
    newest_s = max(at_secondary, key=lambda b: (b.us, b.index), default=None)
    if newest_p is None:
        rpo = 0
    elif newest_s is None:
        rpo = max(0, (newest_p.us - start) // 1_000_000)
    else:
        rpo = max(0, (newest_p.us - newest_s.us) // 1_000_000)
    item: dict[str, Any] = {"kind": "rpo", "data_store": pair.secondary_store, "primary_store": pair.store,
                            "rpo_seconds": rpo, "limit_seconds": limit,
                            "newest_primary": newest_p.describe() if newest_p else None,
                            "newest_secondary": newest_s.describe() if newest_s else None}
    over = limit is not None and rpo > limit
    if newest_p is not None and newest_p is not newest_s:
        item["why_not_at_secondary"] = _why_not(newest_p, final, pair, secondary=True)
    if over:
        item["kind"] = "rpo-exceeded"
    bound = f" > limit {limit} s" if over else (f" <= {limit} s" if limit is not None else "")
    newest = f"newest restorable at the secondary: {_text(newest_s)}" if newest_s else \
        "nothing restorable at the secondary"
    line = f"{pair.secondary_store}: RPO {rpo} s{bound} ({newest}; at the primary: {_text(newest_p)})"
    return item, INVALID if over else VALID, line


def _failover_pair(events: list[Event], dumps: dict[str, Dump], backups: list[_Backup]
                   ) -> tuple[Event, _Pair, Dump] | None:
    """After an unplanned failover (the last one of the history): the lost store as the primary and the promoted
    one as the secondary, with the lost store's backups written before the failover (its value names both), and
    the state dump the failover took when it measured (the run's end heals the lost site: the final state would
    show what reached the promoted store afterwards)."""
    event = next((e for e in reversed(events) if e.f == "unplanned_failover" and e.type == OK
                  and e.process == "harness" and isinstance(e.value, dict)), None)
    if event is None:
        return None
    at = dumps.get(str(event.value.get("dump", ""))) or dumps.get(FINAL)
    final = dumps.get(FINAL) or at
    if at is None or final is None:
        return None
    lost, promoted = (str(event.value.get(k, "")).split(" (")[0].upper() for k in ("lost", "promoted"))
    # the lost site is down in the failover's dump: its configuration (groups, storage) from the final one
    found_p, found_s = at.find_store(lost) or final.find_store(lost), at.find_store(promoted)
    if not lost or not promoted or found_p is None or found_s is None:
        return None
    invoked = next((e for e in reversed(events) if e.f == "unplanned_failover" and e.type == INVOKE
                    and e.index < event.index and e.process == "harness"), None)
    until = micros(invoked.time) if invoked is not None else None
    pair = _Pair(found_p[0], lost, found_s[0], promoted)
    pair.backups = [b for b in backups if b.store == lost and (until is None or b.us <= until)]
    return event, pair, at


def _text(b: _Backup | None) -> str:
    return f"{b.file_id} gen {b.generation} at {b.time}" if b else "none"


def _backups(events: list[Event]) -> list[_Backup]:
    out: list[_Backup] = []
    for invoked, e in pairs(events):
        if e is None or e.f != "backup" or e.type != OK or not isinstance(e.value, dict):
            continue
        v = e.value
        us = micros(e.time)
        if us is None or not v.get("labels"):
            continue
        started = micros(invoked.time)
        out.append(_Backup(e.index, e.time, us, str(v.get("domain", "")).upper(), str(v.get("data_store", "")).upper(),
                           str(v.get("group", "")).upper(), str(v.get("file_id", "")), int(v.get("generation") or 0),
                           [str(x) for x in v["labels"]], bool(v.get("encrypted")),
                           started_us=us if started is None else min(started, us)))
    out.sort(key=lambda b: b.index)
    # a volume holds one backup: a later backup on any of its volumes leaves the earlier one nowhere to restore
    for n, b in enumerate(out):
        later = {label for x in out[n + 1:] for label in x.labels}
        b.superseded = bool(later & set(b.labels))
    return out


def _pairs(backups: list[_Backup], final: Dump) -> tuple[list[_Pair], int]:
    pairs: dict[tuple, _Pair] = {}
    skipped = 0
    for b in backups:
        pri = final.domain(b.domain)
        if pri is None or pri.store(b.store) is None:
            found = final.find_store(b.store, PRIMARY) or final.find_store(b.store)
            pri = found[0] if found else None
        match = None
        for d in final.domains():
            if pri is not None and d.id == pri.id:
                continue
            for s in d.stores():
                if s.get("domain_access") == SECONDARY and primary_store_id(s) == b.store \
                        and b.group in mapped_groups(d, s["id"]):
                    match = (d, s["id"])
                    break
            if match:
                break
        if pri is None or match is None:
            skipped += 1
            continue
        key = (pri.id, b.store, match[0].id, match[1])
        pairs.setdefault(key, _Pair(pri, b.store, match[0], match[1])).backups.append(b)
    return list(pairs.values()), skipped


def _why_not(b: _Backup, final: Dump, pair: _Pair, *, secondary: bool) -> str:
    """Why the backup cannot be restored at that site ("" when it can)."""
    if b.superseded:
        return "a later backup rewrote its volumes"
    site, store = (pair.secondary, pair.secondary_store) if secondary else (pair.primary, pair.store)
    records = site.records(store)
    images = final.images(site.storage_ids(store)) or {}
    primary_images = final.images(pair.primary.storage_ids(pair.store)) or {}
    pgroup = pair.primary.groups(pair.store).get(b.group) or \
        next((g for gid, g in pair.primary.groups(pair.store).items() if gid.upper() == b.group), None)
    target = mapped_groups(pair.secondary, pair.secondary_store).get(b.group) if secondary else pgroup
    now = micros(final.utc)
    for label in b.labels:
        rec = records.get(label)
        if rec is None:
            return f"no BackBox record of {label}"
        image = images.get(label)
        if image is None:
            return f"no image of {label}"
        if image.get("damaged"):
            return f"the image of {label} is damaged (its bytes no longer match its checksum)"
        if secondary and primary_images.get(label, {}).get("checksum") not in (None, image.get("checksum")):
            return f"the image of {label} is not the primary's (replication behind)"
        written = micros(str(rec.get("last_written_time", "")))
        if written is not None and written < b.started_us:
            return f"the record of {label} is older than the backup (written {rec['last_written_time']})"
        if b.encrypted:
            if not rec.get("encrypted") or not rec.get("media_key_name"):
                return f"the record of {label} does not name the backup's key (R50)"
            server = site.key_server(rec.get("key_manager_id", ""))
            keys = final.keys(server) if server else None
            key = (keys or {}).get(rec.get("media_key_name", ""))
            if key is None or key.get("destroyed") or key.get("state", "ACTIVE") != "ACTIVE":
                return f"no key {rec.get('media_key_name', '')} for {label}"
    if is_dsmtc(pgroup) and is_dsmtc(target) and b.generation:
        rec = records[b.labels[0]]
        filecat = (target or {}).get("filecat", "") if secondary else rec.get("filecat", "")
        node, fc = qualify(filecat or rec.get("volcat", ""), site.node)
        fc = fc if filecat else ""          # a record without FILECAT: any FILECAT of its VOLCAT's node
        cats = final.catalogs(node)
        if cats is None:
            return f"its DSM/TC node {node} is down"
        rows = [f for f in cats.tape_files_named(b.file_id, b.generation) if fc in ("", f["filecat"])
                and f.get("status", "VALID") == "VALID"]
        rows = [f for f in rows if now is None or f.get("permanent") or not f.get("expiration_us")
                or int(f["expiration_us"]) > now]
        if not rows:
            return f"no VALID TAPEFILE {b.file_id} gen {b.generation} in {node}.{fc}"
    return ""
