r"""Catalog consistency: a typed diff of each SECONDARY store's BackBox records and DSM/TC entries (final dump)
against what its primary store held at the reference export (harness.checkers.syncs).

Finding kinds (each a dict with `kind`, `data_store`, `label`, `what` and the details):
- `missing`        an expected BackBox record, TAPEVOLUME, TAPEFILE or DISKFILE is not there (R22, R24);
- `stale`          it is there but a field differs from the primary's (`field`, `expected`, `actual`);
- `extra`          a record (or a volume's TAPEFILE) the primary no longer holds, after a FULL import that should
                   have removed it (R19, R23, R24; an UPDATE import deletes nothing);
- `orphan`         a DSM/TC entry in the store's catalogs (its VOLCAT + POOL, or FILECAT) with no BackBox record of
                   the domain behind it, or a DISKFILE with no TAPEFILE;
- `wrong-catalog`  not re-qualified to the secondary group's VOLCAT / FILECAT / POOL (R14), or TAPE_CATALOG set on a
                   volume of a group without DSM/TC catalog;
- `wrong-group`    the record is in another store or group than the mapping says (R10);
- `wrong-media-type` media type other than the secondary group's (R44);
- `wrong-node-replacement` a DISKFILE whose node was not replaced as the store's Nodes Replacement says (R15).
"""

from __future__ import annotations

from typing import Any

from harness.checkers.dumps import Dump, NodeCatalogs, file_key, is_dsmtc, qualify, split_node
from harness.checkers.expected import (RECORD_BOOKKEEPING, RECORD_CATALOG_FIELDS, TAPEVOLUME_BOOKKEEPING, Pairing,
                                       Target, pairing, primary_entries)
from harness.checkers.result import INVALID, UNKNOWN, VALID, CheckResult, count_kinds
from harness.checkers.syncs import Reference, per_secondary_store
from harness.history import Event

NAME = "consistency"
_TAPEFILE_CATALOG = ("filecat", "volcat", "pool")
_TFTOV = ("volser", "vol_index", "file_section", "file_sequence", "file_seq_label_lba")


def check_consistency(events: list[Event], dumps: dict[str, Dump], **_: Any) -> CheckResult:
    """valid when every secondary store holds what its primary exported; evidence = the typed diff."""
    return per_secondary_store(NAME, events, dumps, _check_store,
                               "no import in the history: nothing was replicated to compare")


def _check_store(ref: Reference, final: Dump | None) -> tuple[list[dict], str, str]:
    found: list[dict] = []
    if final is not None and final.domain(ref.secondary_domain) is not None:
        found.extend(_orphans(final, ref.secondary_domain, ref.secondary_store))
    if ref.unknown:
        verdict = INVALID if found else UNKNOWN
        line = f"{ref.secondary_store}: {ref.unknown}" + (f" ({count_kinds(found)})" if found else "")
        return found, verdict, line
    assert final is not None
    p = pairing(ref, final)
    diff = _Diff(p)
    diff.run()
    found = diff.found + found
    where = f"{ref.export.describe()}, dump {ref.dump.name}" if ref.export and ref.dump else "?"
    notes = p.notes + ref.notes
    compared = f"{diff.compared} volumes compared" + (f", {', '.join(notes)}" if notes else "")
    if found:
        return found, INVALID, f"{ref.secondary_store} vs {ref.primary_store} at {where}: {count_kinds(found)}" \
                               f" ({compared})"
    if diff.unknown:
        return found, UNKNOWN, f"{ref.secondary_store}: {'; '.join(dict.fromkeys(diff.unknown))}"
    return found, VALID, f"{ref.secondary_store} matches {ref.primary_store} at {where} ({compared})"


class _Diff:
    """The comparison of one pairing; findings accumulate in `found`, undecidable parts in `unknown`."""

    def __init__(self, p: Pairing):
        self.p = p
        self.found: list[dict] = []
        self.unknown: list[str] = []
        self.compared = 0
        self.full = bool(p.ref.last_import and p.ref.last_import.type == "FULL")
        self._seen_files: set[tuple] = set()

    def add(self, kind: str, label: str, what: str, **details: Any) -> None:
        self.found.append({"kind": kind, "data_store": self.p.store, "label": label, "what": what, **details})

    def run(self) -> None:
        for rec, group, target in self.p.expected_volumes():
            self.compared += 1
            label = rec["label"]
            have = self.p.secondary_records.get(label)
            if have is None:
                self.add("missing", label, "backbox", rule="R22")
                continue
            self._record(rec, target, have)
            if is_dsmtc(group) and is_dsmtc(target):
                self._dsmtc(rec, group, target)
        if self.full:
            self._extras()

    # -- the BackBox record -----------------------------------------------------------------------------------
    def _record(self, rec: dict, target: dict, have: dict) -> None:
        want = self.p.expected_record(rec, target)
        label = rec["label"]
        for name in sorted(set(want) | set(have)):
            if name in RECORD_BOOKKEEPING:
                continue
            w, h = want.get(name), have.get(name)
            if w == h:
                continue
            if name in ("data_store_id", "volume_group_id"):
                self.add("wrong-group", label, "backbox", field=name, expected=w, actual=h, rule="R10")
            elif name in RECORD_CATALOG_FIELDS:
                self.add("wrong-catalog", label, "backbox", field=name, expected=w, actual=h, rule="R14")
            elif name == "media_type":
                self.add("wrong-media-type", label, "backbox", expected=w, actual=h, rule="R44")
            else:
                self.add("stale", label, "backbox", field=name, expected=w, actual=h, rule="R22")

    # -- DSM/TC entries ---------------------------------------------------------------------------------------
    def _dsmtc(self, rec: dict, group: dict, target_group: dict) -> None:
        label = rec["label"]
        ref_dump = self.p.ref.dump
        assert ref_dump is not None
        pcats, ptv, pfiles = primary_entries(ref_dump, self.p.primary, rec, group)
        if pcats is None:
            self.unknown.append(f"the primary's DSM/TC node of {label} is not in dump {ref_dump.name}")
            return
        t = self.p.target(target_group)
        vcats, fcats = self.p.final.catalogs(t.volcat_node), self.p.final.catalogs(t.filecat_node)
        if vcats is None or fcats is None:
            self.unknown.append(f"the secondary's DSM/TC node {t.volcat_node} is down or not in the final dump")
            return
        if ptv is not None:
            self._tape_volume(label, ptv, t, vcats)
        expected_keys = set()
        for pf in pfiles:
            key = (t.filecat, pf["file_id"], int(pf["generation"]), int(pf.get("version", 0)))
            expected_keys.add(key)
            if key not in self._seen_files:
                self._seen_files.add(key)
                self._tape_file(label, pf, pcats, key, t, fcats, vcats)
        if self.full:
            for sf in fcats.tape_files_of(label):
                key = file_key(sf)
                if key[0] == t.filecat and sf.get("volcat") == t.volcat and key not in expected_keys \
                        and key not in self._seen_files:
                    self._seen_files.add(key)
                    self.add("extra", label, "tapefile", file_id=key[1], generation=key[2], version=key[3],
                             catalog=t.filecat_text(), rule="R24")

    def _tape_volume(self, label: str, ptv: dict, t: Target, vcats: NodeCatalogs) -> None:
        rows = vcats.volumes(label)
        right = next((r for r in rows if r["volcat"] == t.volcat and r["pool"] == t.pool), None)
        if right is None:
            if rows:
                self.add("wrong-catalog", label, "tapevolume", field="volcat/pool",
                         expected=f"{t.volcat_text()} pool {t.pool}",
                         actual=[f"{vcats.node}.{r['volcat']} pool {r['pool']}" for r in rows], rule="R14")
            else:
                self.add("missing", label, "tapevolume", catalog=t.volcat_text(), pool=t.pool, rule="R24")
            return
        media = t.media_type or ptv.get("media_type", "")
        if right.get("media_type", "") != media:
            self.add("wrong-media-type", label, "tapevolume", expected=media, actual=right.get("media_type", ""),
                     rule="R44")
        for name in sorted(set(ptv) | set(right)):
            if name in TAPEVOLUME_BOOKKEEPING or name in ("volcat", "pool", "media_type"):
                continue
            if ptv.get(name) != right.get(name):
                self.add("stale", label, "tapevolume", field=name, expected=ptv.get(name), actual=right.get(name),
                         rule="R24")

    def _tape_file(self, label: str, pf: dict, pcats: NodeCatalogs, key: tuple, t: Target, fcats: NodeCatalogs,
                   vcats: NodeCatalogs) -> None:
        ident = {"file_id": key[1], "generation": key[2], "version": key[3]}
        row = fcats.tape_file(key)
        if row is None:
            elsewhere = [(cats.node, r) for cats in {fcats.node: fcats, vcats.node: vcats}.values()
                         for r in cats.tape_files_of(label)
                         if (r["file_id"], int(r["generation"]), int(r.get("version", 0))) == key[1:]]
            if elsewhere:
                self.add("wrong-catalog", label, "tapefile", field="filecat", expected=t.filecat_text(),
                         actual=sorted(f"{node}.{r['filecat']}" for node, r in elsewhere), **ident, rule="R14")
            else:
                self.add("missing", label, "tapefile", catalog=t.filecat_text(), **ident, rule="R24")
            return
        want_pool = t.pool if pf.get("pool") else ""
        for name, want in (("volcat", t.volcat), ("pool", want_pool)):
            if row.get(name, "") != want:
                self.add("wrong-catalog", label, "tapefile", field=name, expected=want, actual=row.get(name, ""),
                         **ident, rule="R14")
        for name in sorted(set(pf) | set(row)):
            if name in _TAPEFILE_CATALOG or name in ("file_id", "generation", "version"):
                continue
            if pf.get(name) != row.get(name):
                self.add("stale", label, "tapefile", field=name, expected=pf.get(name), actual=row.get(name),
                         **ident, rule="R24")
        pkey = file_key(pf)
        want_tftov = sorted(tuple(r[c] for c in _TFTOV) for r in pcats.tftov(pkey))
        have_tftov = sorted(tuple(r[c] for c in _TFTOV) for r in fcats.tftov(key))
        if want_tftov != have_tftov:
            self.add("stale", label, "tapefile", field="tftov", expected=[list(r) for r in want_tftov],
                     actual=[list(r) for r in have_tftov], **ident, rule="R24")
        self._disk_files(label, pcats.disk_files(pkey), fcats.disk_files(key), ident)

    def _disk_files(self, label: str, primary: list[dict], secondary: list[dict], ident: dict) -> None:
        """DISKFILEs are compared when the import asked for them, or when some of the tape file's arrived (R15,
        R33: an export or import with CATALOGFILES NO carries none)."""
        asked = self.p.ref.last_import.catalog_files if self.p.ref.last_import else None
        if asked is False or (asked is None and not secondary):
            return
        want = {self.p.disk_name(d["disk_file_name"]): d for d in primary}
        have = {d["disk_file_name"].upper(): d for d in secondary}
        unmatched = {n: d for n, d in have.items() if n not in want}
        for name in sorted(want):
            if name in have:
                continue
            rest = split_node(name)[1]
            other = sorted(n for n in unmatched if split_node(n)[1] == rest)
            if other:
                self.add("wrong-node-replacement", label, "diskfile", expected=name, actual=other[0], **ident,
                         rule="R15")
                unmatched.pop(other[0])
            else:
                self.add("missing", label, "diskfile", name=name, **ident, rule="R15")

    # -- FULL import: what the primary no longer holds ---------------------------------------------------------
    def _extras(self) -> None:
        ref = self.p.ref
        if ref.full_export is None:
            self.p.notes.append("extras not checked: no FULL export before the FULL import")
            return
        at_full = None
        if ref.full_export is ref.export:
            at_full = set(self.p.primary_records)
        elif ref.full_dump is not None:
            d = ref.full_dump.domain(ref.primary_domain)
            at_full = set(d.records(ref.primary_store)) if d else None
        if at_full is None:
            self.p.notes.append(f"extras not checked: no dump right after {ref.full_export.describe()}")
            return
        for label in sorted(self.p.secondary_records):
            if label not in self.p.primary_records and label not in at_full:
                rec = self.p.secondary_records[label]
                self.add("extra", label, "backbox", volume_group_id=rec.get("volume_group_id", ""), rule="R23")


def _orphans(final: Dump, domain: str, store: str) -> list[dict]:
    """DSM/TC entries in the store's catalogs with no BackBox record of the domain behind them (R24, R53)."""
    sec = final.domain(domain)
    assert sec is not None
    labels = sec.all_labels()
    found: list[dict] = []
    seen: set[tuple] = set()
    for g in sorted(sec.groups(store).values(), key=lambda g: g["id"]):
        if not is_dsmtc(g):
            continue
        vnode, vc = qualify(g.get("volcat", ""), sec.node)
        fnode, fc = qualify(g.get("filecat", ""), sec.node)
        pool = g.get("pool", "").upper()
        vcats, fcats = final.catalogs(vnode), final.catalogs(fnode)
        if vcats is not None and ("tv", vnode, vc, pool) not in seen:
            seen.add(("tv", vnode, vc, pool))
            for r in vcats.volumes():
                if r["volcat"] == vc and r["pool"] == pool and r["volser"] not in labels:
                    found.append({"kind": "orphan", "data_store": store, "label": r["volser"], "what": "tapevolume",
                                  "catalog": f"{vnode}.{vc}", "pool": pool, "rule": "R24"})
        if fcats is not None and ("tf", fnode, fc, vc, pool) not in seen:
            seen.add(("tf", fnode, fc, vc, pool))
            for f in fcats.tape_files():
                if f["filecat"] != fc or f.get("volcat") != vc or f.get("pool", "") not in (pool, ""):
                    continue
                volsers = sorted({t["volser"] for t in fcats.tftov(file_key(f))})
                if not any(v in labels for v in volsers):
                    found.append({"kind": "orphan", "data_store": store, "label": f.get("volset_id", ""),
                                  "what": "tapefile", "file_id": f["file_id"], "generation": int(f["generation"]),
                                  "version": int(f.get("version", 0)), "catalog": f"{fnode}.{fc}",
                                  "volumes": volsers, "rule": "R24"})
        if fcats is not None and ("df", fnode, fc) not in seen:
            seen.add(("df", fnode, fc))
            for d in fcats.all_disk_files():
                if d["filecat"] == fc and fcats.tape_file(file_key(d)) is None:
                    found.append({"kind": "orphan", "data_store": store, "label": d.get("volset_id", ""),
                                  "what": "diskfile", "name": d["disk_file_name"], "file_id": d["file_id"],
                                  "generation": int(d["generation"]), "catalog": f"{fnode}.{fc}", "rule": "R24"})
    return found
