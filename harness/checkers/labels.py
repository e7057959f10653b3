r"""Name clashes the final state must not hold.

Label uniqueness (R3, R13): a tape label is unique in a DSM/TC search space — the pools with SEARCHSPACE IN of
the node's own VOLCATs and of the VOLCATs its SSL names (MEDIADEFS; `\NODE` = all of that node's VOLCATs).
A label cataloged twice in one search space (two VOLCATs, or two pools) means a primary and its secondary share
an SSL, or an import wrote over a local volume's name.
A BackBox domain holds a label once (R3) as well.

FILEID collisions (R4, R11, R42): a FILECAT that receives imports and also registers local backups (a
non-dedicated catalog) is corrupted as soon as a FILEID + GENERATION of the import equals a local one: the import
overwrites the local entry, or a TAPEFILE ends up naming both imported and local volumes. Local tape files are told
from imported ones by their VOLCAT / POOL (not a SECONDARY group's) and their volumes (not a SECONDARY store's); the
history's backups at the secondary site name local tape files that an import may since have overwritten.
"""

from __future__ import annotations

from typing import Any

from harness.checkers.dumps import SECONDARY, Dump, file_key, is_dsmtc, qualify
from harness.checkers.result import INVALID, UNKNOWN, VALID, CheckResult, result
from harness.checkers.syncs import FINAL
from harness.history import OK, Event

LABELS, FILEIDS = "label-uniqueness", "fileid-collisions"


def check_label_uniqueness(events: list[Event], dumps: dict[str, Dump], **_: Any) -> CheckResult:
    """invalid when a label is cataloged twice in one SSL search space or one BackBox domain."""
    final = dumps.get(FINAL)
    if final is None:
        return result(LABELS, UNKNOWN, "no final dump: no catalogs to look at")
    evidence: list[dict] = []
    down: set[str] = set()
    spaces: dict[frozenset, list[str]] = {}
    for node in final.nodes():
        cats = final.catalogs(node)
        if cats is None:
            continue
        spaces.setdefault(_search_list(node, cats.ssl()), []).append(node)
    known = set(final.nodes())
    seen: set[tuple] = set()
    labels = 0
    for members, owners in sorted(spaces.items(), key=lambda kv: sorted(kv[1])):
        where: dict[str, list[str]] = {}
        for m, volcats in sorted(members, key=lambda mv: mv[0]):
            cats = final.catalogs(m)
            if cats is None:
                if m in known:
                    down.add(m)
                continue   # a node outside the topology: nothing of it was dumped
            outside = {(p["volcat"], p["name"]) for p in cats.pools() if not p.get("searchspace_in", 1)}
            for v in cats.volumes():
                if (volcats is None or v["volcat"] in volcats) and (v["volcat"], v["pool"]) not in outside:
                    where.setdefault(v["volser"], []).append(f"{m}.{v['volcat']} pool {v['pool']}")
        labels += len(where)
        for label, entries in sorted(where.items()):
            if len(entries) > 1 and (label, tuple(sorted(entries))) not in seen:
                seen.add((label, tuple(sorted(entries))))
                evidence.append({"kind": "duplicate-label", "label": label, "search_space_of": sorted(owners),
                                 "entries": sorted(entries), "rule": "R13"})
    for d in final.domains():
        counts: dict[str, int] = {}
        for v in d.volumes:
            counts[v["label"]] = counts.get(v["label"], 0) + 1
        for label, n in sorted(counts.items()):
            if n > 1:
                evidence.append({"kind": "duplicate-label", "label": label, "domain": d.id, "entries": n,
                                 "rule": "R3"})
    if evidence:
        return result(LABELS, INVALID, f"{len(evidence)} labels cataloged twice in one search space or domain"
                                       f" (first: {evidence[0]['label']})", evidence)
    if down:
        return result(LABELS, UNKNOWN, f"nodes {', '.join(sorted(down))} of an SSL are down: their catalogs could"
                                       " not be searched")
    return result(LABELS, VALID, f"{labels} labels in {len(spaces)} SSL search spaces, each cataloged once")


def _search_list(node: str, ssl: list[str]) -> frozenset[tuple[str, frozenset[str] | None]]:
    r"""The SSL as (node, VOLCATs or None for all of them): entries are `\NODE` or `\NODE.VOLCAT`; the node's
    own catalogs are always searched."""
    nodes: dict[str, set[str] | None] = {node: None}
    for entry in ssl:
        owner, _, volcat = entry.upper().partition(".")
        if owner in nodes and nodes[owner] is None:
            continue
        if not volcat:
            nodes[owner] = None
        else:
            nodes.setdefault(owner, set()).add(volcat)  # type: ignore[union-attr]
    return frozenset((n, None if v is None else frozenset(v)) for n, v in nodes.items())


def check_fileid_collisions(events: list[Event], dumps: dict[str, Dump], **_: Any) -> CheckResult:
    """invalid when a FILECAT fed by imports holds a local tape file with an imported FILEID + GENERATION."""
    final = dumps.get(FINAL)
    if final is None:
        return result(FILEIDS, UNKNOWN, "no final dump: no catalogs to look at")
    evidence: list[dict] = []
    down: set[str] = set()
    checked: set[tuple[str, str]] = set()
    local_backups = _local_backups(events, final)
    for d in final.domains():
        stores = [s for s in d.stores() if s.get("domain_access") == SECONDARY]
        groups = [g for s in stores for g in d.groups(s["id"]).values() if is_dsmtc(g)]
        if not groups:
            continue
        imported_labels = {label for s in stores for label in d.records(s["id"])}
        secondary_pools = {(*qualify(g.get("volcat", ""), d.node), g.get("pool", "").upper()) for g in groups}
        for g in groups:
            fnode, fc = qualify(g.get("filecat", ""), d.node)
            if (fnode, fc) in checked:
                continue
            checked.add((fnode, fc))
            cats = final.catalogs(fnode)
            if cats is None:
                down.add(fnode)
                continue
            kinds: dict[tuple[str, int], dict[str, set[str]]] = {}
            for row in cats.tape_files():
                if row["filecat"] != fc:
                    continue
                volsers = {t["volser"] for t in cats.tftov(file_key(row))} or {row.get("volset_id", "") or "?"}
                imp, loc = volsers & imported_labels, volsers - imported_labels
                side = kinds.setdefault((row["file_id"], int(row["generation"])), {"imported": set(), "local": set()})
                if (fnode, row.get("volcat", ""), row.get("pool", "")) in secondary_pools:
                    # an imported tape file; local volumes in its TFTOV mean it was mixed with a local one
                    side["imported"].update(imp or volsers)
                    side["local"].update(loc if imp else set())
                else:
                    # a local tape file; imported volumes in its TFTOV mean an import wrote into it
                    side["local"].update(loc or volsers)
                    side["imported"].update(imp if loc else set())
            for (file_id, gen), labels in local_backups.get((fnode, fc), {}).items():
                kinds.setdefault((file_id, gen), {"imported": set(), "local": set()})["local"].update(labels)
            for (file_id, gen), side in sorted(kinds.items()):
                if side["imported"] and side["local"]:
                    evidence.append({"kind": "fileid-collision", "catalog": f"{fnode}.{fc}", "file_id": file_id,
                                     "generation": gen, "imported": sorted(side["imported"]),
                                     "local": sorted(side["local"]), "rule": "R42"})
    if evidence:
        first = evidence[0]
        return result(FILEIDS, INVALID, f"{len(evidence)} FILEID + GENERATION collisions between imported and local"
                                        f" tape files (first: {first['file_id']} gen {first['generation']} in"
                                        f" {first['catalog']})", evidence)
    if down:
        return result(FILEIDS, UNKNOWN, f"FILECAT nodes {', '.join(sorted(down))} are down: not searched")
    return result(FILEIDS, VALID, f"{len(checked)} FILECATs of SECONDARY groups checked: no imported FILEID +"
                                  " GENERATION equals a local one")


def _local_backups(events: list[Event], final: Dump) -> dict[tuple[str, str], dict[tuple[str, int], set[str]]]:
    """(FILECAT node, FILECAT) -> (FILEID, GENERATION) -> labels of the history's backups into a store that is not
    SECONDARY (local backups) whose records name that FILECAT."""
    out: dict[tuple[str, str], dict[tuple[str, int], set[str]]] = {}
    for e in events:
        if e.f != "backup" or e.type != OK or not isinstance(e.value, dict) or not e.value.get("generation"):
            continue
        v = e.value
        found = final.find_store(str(v.get("data_store", "")))
        domain = final.domain(str(v.get("domain", ""))) or (found[0] if found else None)
        if domain is None:
            continue
        for label in v.get("labels", []):
            rec = domain.record(label)
            store = domain.store(rec.get("data_store_id", "")) if rec else None
            if rec is None or (store or {}).get("domain_access") == SECONDARY or not rec.get("filecat"):
                continue
            where = qualify(rec["filecat"], domain.node)
            out.setdefault(where, {}).setdefault((str(v.get("file_id", "")), int(v["generation"])), set()).add(label)
    return out
