r"""The export and import runs a history records, and the primary state a secondary store must be compared with.

Runs come from the harness's `export` / `import` operations, from `macro` operations (BB026 / BB027, one run
each), and from `auto-export` / `auto-import` events (runs the harness observed but did not start; their value
may carry only the process's startup text, `STOREID DS_WIN1_DES, TRIGGER AUTOMATIC`, which is parsed).

The reference (see `reference`): for a SECONDARY store, the latest successful import I; the latest successful
export E of its primary store before I; the primary's state at E is the first state dump taken at or after E
and before the next successful export — E's own `export-<i>` dump when it has one, else a `check-<i>` dump, else
`final`. Volumes still pending export in that dump (their change came after E's snapshot, or E could not write
them) are not compared: the secondary may legitimately lag on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from harness.checkers.dumps import PRIMARY, SECONDARY, Domain, Dump, primary_store_id
from harness.checkers.result import UNKNOWN, VALID, CheckResult, combine, result
from harness.history import FAIL, INFO, INVOKE, OK, Event, pairs

OK_OUTCOMES = ("COMPLETED", "COMPLETED_WITH_WARNINGS", "FINISHED")
FINAL = "final"
_STOREID = re.compile(r"\bSTOREID\s+([A-Za-z0-9_+\-]+)", re.I)
_TYPE = re.compile(r"\bTYPE\s+(FULL|UPDATE)\b", re.I)
_CATFILES = re.compile(r"\bCATALOGFILES\s+(YES|NO)\b", re.I)


@dataclass(frozen=True)
class SyncRun:
    """One export or import run as the history tells it."""

    index: int                # index of the completion event (ordering)
    kind: str                 # "export" | "import"
    domain: str
    store: str
    type: str                 # FULL | UPDATE | "" (not told)
    ok: bool
    source: str               # the event's f: export, import, macro, auto-export, auto-import
    dump: str = ""            # the dump taken right after it (harness exports)
    export_id: str = ""
    catalog_files: bool | None = None
    time: str = ""
    indefinite: bool = False  # an `info` completion: it may or may not have happened
    ran: bool = False         # the process ran (ok, or ended FAILED): it may have written staging files

    def __post_init__(self) -> None:
        if self.ok and not self.ran:
            object.__setattr__(self, "ran", True)

    def describe(self) -> str:
        return f"{self.source} {self.type or '?'} of {self.store} (event #{self.index})"


@dataclass
class Reference:
    """What a SECONDARY store is compared with, or why it cannot be."""

    secondary_domain: str
    secondary_store: str
    primary_store: str = ""
    primary_domain: str = ""
    last_import: SyncRun | None = None
    export: SyncRun | None = None
    dump: Dump | None = None              # the primary's state at `export`
    full_export: SyncRun | None = None    # the latest successful FULL export before the import
    full_dump: Dump | None = None         # the primary's state at it, when a dump was taken right after it
    unknown: str = ""                     # the reason it cannot be decided; "" when the reference is usable
    notes: list[str] = field(default_factory=list)


def sync_runs(events: list[Event], final: Dump | None = None) -> list[SyncRun]:
    """Every export / import run the history records, in history order."""
    runs: list[SyncRun] = []
    for invoked, done in pairs(events):
        if invoked.f not in ("export", "import", "macro") or done is None:
            continue
        args = invoked.value if isinstance(invoked.value, dict) else {}
        value = done.value if isinstance(done.value, dict) else {}
        if invoked.f == "macro":
            runs.extend(_macro_runs(done, args, value, final))
            continue
        merged = {**args, **value}
        ok = done.type == OK and merged.get("outcome", "COMPLETED") in OK_OUTCOMES
        ran = ok or value.get("outcome") == "FAILED"     # REJECTED or a refused call: nothing ran
        runs.append(_run(done, invoked.f, merged, ok, indefinite=done.type == INFO, ran=ran))
    for e in events:
        if e.f in ("auto-export", "auto-import") and e.type in (OK, FAIL):
            value = e.value if isinstance(e.value, dict) else {}
            kind = e.f.removeprefix("auto-")
            merged = {**_parse_param(str(value.get("param", ""))), **value}
            if not merged.get("domain") and final is not None:
                owner = final.domain_of_node(e.node)
                merged["domain"] = owner.id if owner else ""
            ok = e.type == OK and merged.get("outcome", "COMPLETED") in OK_OUTCOMES
            ran = ok or merged.get("outcome", "FAILED") == "FAILED"   # an observed process did run
            runs.append(_run(e, e.f, merged, ok, kind=kind, ran=ran))
    runs.sort(key=lambda r: r.index)
    return runs


def _run(e: Event, source: str, v: dict[str, Any], ok: bool, *, kind: str | None = None,
         indefinite: bool = False, ran: bool = False) -> SyncRun:
    cf = v.get("catalog_files")
    if isinstance(cf, str):
        cf = {"YES": True, "NO": False}.get(cf.upper())
    return SyncRun(e.index, kind or source, str(v.get("domain", "")).upper(), str(v.get("data_store", "")).upper(),
                   str(v.get("type", "")).upper(), ok, source, str(v.get("dump", "")), str(v.get("export_id", "")),
                   cf if isinstance(cf, bool) else None, e.time, indefinite, ran)


def _parse_param(param: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if m := _STOREID.search(param):
        out["data_store"] = m.group(1)
    if m := _TYPE.search(param):
        out["type"] = m.group(1)
    if m := _CATFILES.search(param):
        out["catalog_files"] = m.group(1)
    return out


def _macro_runs(done: Event, args: dict, value: dict, final: Dump | None) -> list[SyncRun]:
    text = str(args.get("text", "")).upper()
    out = []
    for run in value.get("runs", []) or []:
        if "BB026" in text and "BB027" not in text:
            kind = "export"
        elif "BB027" in text and "BB026" not in text:
            kind = "import"
        else:   # both macros in one text: a SECONDARY store's run is an import
            found = final.find_store(str(run.get("data_store", "")), SECONDARY) if final else None
            kind = "import" if found and found[0].id == str(run.get("domain", "")).upper() else "export"
        ok = done.type == OK and run.get("outcome", "") in OK_OUTCOMES
        out.append(_run(done, "macro", run, ok, kind=kind, ran=ok or run.get("outcome") == "FAILED"))
    return out


def dump_positions(events: list[Event], dumps: dict[str, Any]) -> list[tuple[float, str]]:
    """(history position, dump name) of every dump present: named by an event's value, `final` last."""
    out: list[tuple[float, str]] = []
    for e in events:
        if e.type != INVOKE and isinstance(e.value, dict) and e.value.get("dump") in dumps:
            out.append((e.index, e.value["dump"]))
    if FINAL in dumps:
        out.append((float("inf"), FINAL))
    return sorted(out)


def secondary_stores(runs: list[SyncRun]) -> list[tuple[str, str]]:
    """(domain, store) of every store the history imported into, in first-seen order."""
    seen: list[tuple[str, str]] = []
    for r in runs:
        if r.kind == "import" and (r.domain, r.store) not in seen:
            seen.append((r.domain, r.store))
    return seen


def references(events: list[Event], dumps: dict[str, Dump], runs: list[SyncRun], domain: str,
               store: str) -> list[Reference]:
    """The reference of the store; when the history has indefinite runs (`info`: they may have happened), also the
    reference that takes them as successful, if it differs. A checker judges the store valid when it is valid
    against one of them (Jepsen's rule for indefinite operations)."""
    strict = reference(events, dumps, runs, domain, store)
    if not any(r.indefinite for r in runs):
        return [strict]
    maybe = [replace(r, ok=True) if r.indefinite else r for r in runs]
    relaxed = reference(events, dumps, maybe, domain, store)
    same = (relaxed.last_import and strict.last_import and relaxed.last_import.index == strict.last_import.index
            and relaxed.export and strict.export and relaxed.export.index == strict.export.index)
    if same or (relaxed.unknown and not strict.unknown):
        return [strict]
    relaxed.notes.append("assuming the indefinite runs happened")
    return [strict, relaxed]


def reference(events: list[Event], dumps: dict[str, Dump], runs: list[SyncRun], domain: str,
              store: str) -> Reference:
    """The primary state the SECONDARY store (domain, store) must be compared with (module docstring)."""
    ref = Reference(domain, store)
    final = dumps.get(FINAL)
    sec = final.domain(domain) if final else None
    sec_store = sec.store(store) if sec else None
    if sec is None:
        ref.unknown = (f"the final dump has no domain {domain or '?'}: its manager node was down or is not in"
                       " the topology")
        return ref
    if sec_store is None:
        ref.unknown = f"the final dump has no data store {store} in domain {domain}"
        return ref
    ref.primary_store = primary_store_id(sec_store)
    imports = [r for r in runs if r.kind == "import" and r.store == store and r.domain in ("", domain) and r.ok]
    if not imports:
        ref.unknown = f"no successful import of {store} in the history: nothing was replicated to compare"
        return ref
    ref.last_import = imports[-1]
    exports = [r for r in runs if r.kind == "export" and r.store == ref.primary_store
               and not (r.domain == domain and r.store == store)]
    before = [r for r in exports if r.index < ref.last_import.index]
    if not any(r.ok for r in before):
        ref.unknown = (f"no successful export of {ref.primary_store} before the latest import of {store}"
                       f" (event #{ref.last_import.index}): the secondary's source is unknown")
        return ref
    # the latest export that ran: one that ended FAILED still wrote (and cleared the pending flags of) the volume
    # files it got to, and the import took them; the ones it did not write are still pending in its dump
    ref.export = [r for r in before if r.ran][-1]
    ref.primary_domain = ref.export.domain
    # an export that may have run (indefinite) may have cleared pending flags too: a dump after it is no reference
    movers = [r for r in exports if r.ran or r.indefinite]
    ref.dump, why = _state_at(ref.export, movers, events, dumps)
    if ref.dump is None:
        ref.unknown = why
        return ref
    if not ref.primary_domain:
        found = ref.dump.find_store(ref.primary_store, PRIMARY)
        ref.primary_domain = found[0].id if found else ""
    if _primary(ref) is None:
        ref.unknown = (f"dump {ref.dump.name!r} has no data store {ref.primary_store} in domain"
                       f" {ref.primary_domain or '?'}: cannot tell what the primary held")
        ref.dump = None
        return ref
    fulls = [r for r in before if r.type == "FULL" and r.ok]
    if fulls:
        ref.full_export = fulls[-1]
        own = fulls[-1].dump
        ref.full_dump = dumps.get(own) if own else None
    return ref


def _state_at(export: SyncRun, exports: list[SyncRun], events: list[Event],
              dumps: dict[str, Dump]) -> tuple[Dump | None, str]:
    if export.dump and export.dump in dumps:
        return dumps[export.dump], ""
    later = [r.index for r in exports if r.index > export.index]
    limit = later[0] if later else float("inf")
    for position, name in dump_positions(events, dumps):
        if export.index < position and (position < limit or (name == FINAL and not later)):
            return dumps[name], ""
    return None, (f"the primary's state at {export.describe()} is unknown: it has no dump and the primary was"
                  f" exported again (event #{limit}) before any later dump; end the scenario with a final"
                  " export and import, or check right after the import")


def _primary(ref: Reference) -> Domain | None:
    if ref.dump is None:
        return None
    d = ref.dump.domain(ref.primary_domain) if ref.primary_domain else None
    if d is None or d.store(ref.primary_store) is None:
        found = ref.dump.find_store(ref.primary_store, PRIMARY) or ref.dump.find_store(ref.primary_store)
        if found is None:
            return None
        d = found[0]
        ref.primary_domain = d.id
    return d


def primary_domain(ref: Reference) -> Domain:
    """The primary's domain in the reference dump (the reference must be usable)."""
    d = _primary(ref)
    assert d is not None, ref.unknown
    return d


def best(outcomes: Iterable[tuple[list[dict], str, str]]) -> tuple[list[dict], str, str]:
    """Of one store's (evidence, verdict, summary) under each reference: the first valid one, else the first
    invalid one, else the first (unknown)."""
    seen = list(outcomes)
    for wanted in ("valid", "invalid"):
        for outcome in seen:
            if outcome[1] == wanted:
                return outcome
    return seen[0]


Outcome = tuple[list[dict], str, str]


def per_secondary_store(name: str, events: list[Event], dumps: dict[str, Dump],
                        check_store: Callable[[Reference, Dump | None], Outcome], nothing: str) -> CheckResult:
    """Run `check_store` on every store the history imported into, under each candidate reference (the best
    outcome counts), and combine them into one result; `nothing` is the unknown summary when nothing was imported."""
    final = dumps.get(FINAL)
    runs = sync_runs(events, final)
    stores = secondary_stores(runs)
    left_out: list[str] = []
    if final is not None:   # a store promoted by a role swap imported once; it is a primary now, not checked here
        gone = removed_stores(events)   # only a procedure that says so may remove a store
        removed = [(d, s) for d, s in stores if s in gone and _removed(final, d, s)]
        orphaned = [(d, s) for d, s in stores if _primary_id(final, d, s) in gone and _orphaned(final, d, s)]
        left_out = [f"{s} is PRIMARY now" for d, s in stores if _is_primary_now(final, d, s)]
        left_out += [f"{s} was removed from {d}'s configuration by {gone[s]}" for d, s in removed]
        left_out += [f"{s}'s primary {_primary_id(final, d, s)} was removed by {gone[_primary_id(final, d, s)]}"
                     for d, s in orphaned]
        stores = [(d, s) for d, s in stores
                  if not _is_primary_now(final, d, s) and (d, s) not in removed and (d, s) not in orphaned]
    if not stores:
        if left_out:
            return result(name, VALID, f"no SECONDARY store left to check: {'; '.join(left_out)}")
        return result(name, UNKNOWN, nothing)
    verdicts, lines, evidence = [], [], []
    for domain, store in stores:
        found, verdict, line = best(check_store(ref, final) for ref in references(events, dumps, runs, domain, store))
        verdicts.append(verdict)
        lines.append(line)
        evidence.extend(found)
    return result(name, combine(verdicts), "; ".join(lines), evidence)


REMOVING = {"abandon_secondary": "R53", "abandon_primary": "R54", "migrate_datastore": "R58"}


def removed_stores(events: list[Event]) -> dict[str, str]:
    """Data store id -> the procedure (and rule) that removed it, from the completed procedures of the history
    (their value names the store: `DS_WIN1_DES (E501NEW)`)."""
    gone: dict[str, str] = {}
    for e in events:
        if e.f in REMOVING and e.type == "ok" and e.process == "harness" and isinstance(e.value, dict):
            store = str(e.value.get("data_store", "")).split(" (")[0].upper()
            if store:
                gone[store] = f"{e.f} ({REMOVING[e.f]})"
    return gone


def _removed(final: Dump, domain: str, store: str) -> bool:
    """The store's domain answered the final dump without it: an operator removed it (abandoned or migrated)."""
    d = final.domain(domain)
    return d is not None and d.store(store) is None


def _primary_id(final: Dump, domain: str, store: str) -> str:
    d = final.domain(domain)
    found = d.store(store) if d is not None else None
    return str((found or {}).get("primary_data_store_id", "")) or store


def _orphaned(final: Dump, domain: str, store: str) -> bool:
    """The store's primary was removed from every domain the final dump reached (abandoned, R54): nothing to
    compare it with. (Not when a node is down at the end: its domain may still hold it.)"""
    if final.domain(domain) is None or _removed(final, domain, store) or _is_primary_now(final, domain, store):
        return False
    primary = _primary_id(final, domain, store)
    all_up = all(n.get("up", True) for n in final.data.get("nodes", {}).values())
    return all_up and all(d.store(primary) is None for d in final.domains())


def _is_primary_now(final: Dump, domain: str, store: str) -> bool:
    d = final.domain(domain)
    found = d.store(store) if d is not None else None
    return found is not None and found.get("domain_access") == PRIMARY
