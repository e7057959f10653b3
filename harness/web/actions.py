"""What the console's buttons do (POST only, each checked against the CSRF token by the server first).

An action validates every field before it touches anything: a forged or stale form gets a `WebError` naming
what is wrong, and no service is called. The operations go through the run's `Sim`, so they are recorded in
the history like a scenario's steps.
"""

from __future__ import annotations

from typing import Any

from emulator.errors import EmulatorError
from emulator.names import parse_node
from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, link_pb2
from harness.errors import ScenarioError
from harness.web.console import T, Console, Exchange, Outcome, WebError
from harness.web.markup import url
from harness.web.pages import word
from harness.web.status import EXPORTS, IMPORTS, sync_type_word
from harness.web.trainer import ADVANCE_CHOICES, BACKUP_CHOICES, PANEL_FAULTS

MEDIACOM_MAX = 2000          # characters of one MEDIACOM command line


def _only(form: dict[str, str], allowed: set[str]) -> None:
    extra = sorted(set(form) - allowed)
    if extra:
        raise WebError(400, f"the form carries an unexpected field {extra[0]!r}: reload the page and use its"
                            " buttons")


def _disk_files(form: dict[str, str]) -> bool:
    value = form.get("disk_files", "")
    if value not in ("", "1", "on"):
        raise WebError(400, f"disk_files {value!r} must be 1 (checked) or absent (unchecked)")
    return value in ("1", "on")


def _run_outcome(c: Console, verb: str, store: str, value: dict[str, Any] | None) -> Outcome:
    if value is None:   # the call itself failed: the history's completion says why
        done = _completion(c, verb.lower())
        return Outcome(f"{verb} of {store} could not start: {done.error if done else 'no answer'}", "error")
    outcome = value.get("outcome", "")
    what = (f"{verb} {value.get('type', '')} of {store}: {value.get('process') or 'no process'} {outcome},"
            f" {value.get('volumes', 0)} volumes processed")
    if value.get("volume_errors"):
        what += f", {value['volume_errors']} volume errors"
    if value.get("reason"):
        what += f" — {value['reason']}"
    return Outcome(what, "ok" if outcome in ("COMPLETED",) else ("warn" if outcome == "COMPLETED_WITH_WARNINGS"
                                                                  else "error"))


def _sync_request(c: Console, domain: str, store_id: str, form: dict[str, str], access: int,
                  purpose: str) -> tuple[str, bb.DataStore, str, bool]:
    """(domain, store, FULL | UPDATE, disk files box) of a confirmed export / import form, every field checked."""
    _only(form, {"type", "disk_files"})
    d = c.domain_spec(domain).id
    kind = sync_type_word(form.get("type", ""))
    disk_files = _disk_files(form)
    return d, c.store(d, store_id, access, purpose), kind, disk_files


def export(c: Console, domain: str, store_id: str, form: dict[str, str]) -> tuple[Outcome, str]:
    """Export Full Catalog / Export Catalog Updates, confirmed (R19, R20, R33)."""
    d, s, kind, disk_files = _sync_request(c, domain, store_id, form, bb.DOMAIN_ACCESS_PRIMARY, EXPORTS)
    if disk_files and not s.export_config.include_disk_files:
        raise WebError(400, f"data store {s.id} does not export DSM/TC DISKFILE entries: its export configuration"
                            " leaves Include DSM/TC Disk File Entries unchecked (R33), so the confirmation offers"
                            " no such box")
    catalog_files = disk_files if s.export_config.include_disk_files else None
    verb = "Export Full Catalog" if kind == "FULL" else "Export Catalog Updates"
    outcome = c.act(lambda: _run_outcome(c, "Export", s.id, c.sim.export(kind, data_store=s.id, domain=d,
                                                                         catalog_files=catalog_files)),
                    what=verb)
    return outcome, url("domain", d, "store", s.id, "export")


def import_(c: Console, domain: str, store_id: str, form: dict[str, str]) -> tuple[Outcome, str]:
    """Import Full Catalog / Import Catalog Updates, confirmed (R19..R24)."""
    d, s, kind, disk_files = _sync_request(c, domain, store_id, form, bb.DOMAIN_ACCESS_SECONDARY, IMPORTS)
    verb = "Import Full Catalog" if kind == "FULL" else "Import Catalog Updates"
    outcome = c.act(lambda: _run_outcome(c, "Import", s.id, c.sim.import_(kind, data_store=s.id, domain=d,
                                                                          catalog_files=disk_files)),
                    what=verb)
    return outcome, url("domain", d, "store", s.id, "import")


def mediacom(c: Console, domain: str, form: dict[str, str]) -> tuple[Outcome, str]:
    """One MEDIACOM command line on a node of the domain; the node's answer goes to the page's transcript."""
    _only(form, {"node", "command"})
    d = c.domain_spec(domain).id
    node = c.domain_node(d, form.get("node", ""))
    command = form.get("command", "").strip()
    if not command:
        raise WebError(400, "type a MEDIACOM command, e.g. INFO TAPEVOLUME * or INFO MEDIADEFS")
    if len(command) > MEDIACOM_MAX or any(ch in command for ch in "\r\n\x00"):
        raise WebError(400, f"a MEDIACOM command is one line of at most {MEDIACOM_MAX} characters; several commands"
                            " go on one line separated by ';'")
    back = url("domain", d, "mediacom", node=node)

    def run() -> Outcome:
        value = c.sim.mediacom(command, node=node)
        done = _completion(c, "mediacom")
        ok = value is not None and done is not None and done.type == "ok"
        output = (value or {}).get("output", "") or (done.error if done is not None else "no answer")
        c.remember(node, Exchange(command, output, ok, c.local_now(node)))
        if ok:
            return Outcome(f"MEDIACOM on {node}: {command}", "ok")
        reason = (done.error if done is not None and done.error else "") or output.strip().splitlines()[-1]
        return Outcome(f"MEDIACOM on {node} refused '{command}': {reason}", "error")
    return c.act(run, what="MEDIACOM"), back


def _completion(c: Console, f: str) -> Any:
    """The latest completion of the console's operation `f` in the history (later events may be observed
    processes)."""
    return next((e for e in reversed(c.sim.history.events) if e.f == f and e.type != "invoke"), None)


def fail(c: Console, form: dict[str, str]) -> tuple[Outcome, str]:
    """Start a fault of the panel through the nemesis."""
    _only(form, {"kind", "target"})
    kind, target = form.get("kind", ""), form.get("target", "").strip()
    if kind not in PANEL_FAULTS:
        raise WebError(400, f"fault {kind!r} is not on the panel: it offers {', '.join(PANEL_FAULTS)}")
    if not target:
        raise WebError(400, f"fault {kind} needs its {PANEL_FAULTS[kind].replace('_', ' ')}")
    params = _fault_params(c, kind, target)

    def run() -> Outcome:
        try:
            fault = c.sim.fail(kind, **params)
        except ScenarioError as exc:
            return Outcome(f"{kind} on {target} was refused: {exc}", "error")
        if fault is None:
            last = c.sim.history.events[-1]
            return Outcome(f"{kind} on {target} hit nothing: {last.error}", "warn")
        return Outcome(f"fault {fault.id} {kind} started on {target}", "ok")
    return c.act(run, what=kind), "/faults"


def _fault_params(c: Console, kind: str, target: str) -> dict[str, Any]:
    """The nemesis parameters of a panel fault, its target checked against what the services list."""
    if kind == "link-down":
        links = {lk.id: lk for lk in c.call(lambda: c.topo.link_service().ListLinks(link_pb2.ListLinksRequest(),
                                                                                    timeout=T).links, "Link")}
        lk = links.get(target)
        if lk is None:
            raise WebError(404, f"no link '{target}': the links are {', '.join(links)}")
        return {"between": [lk.node_a, lk.node_b], "kind": word(link_pb2.LinkKind, lk.kind) or "EXPAND"}
    if kind in ("node-crash", "ems-extractor-stopped"):
        try:
            node = parse_node(target)
        except EmulatorError as exc:
            raise WebError(400, f"node '{target}': {exc.message}") from None
        known = [n.name for n in c.spec.nodes]
        if node not in known:
            raise WebError(404, f"no node {node} in topology {c.spec.name}: its nodes are {', '.join(known)}")
        if kind == "node-crash":
            return {"node": node}
        domain = next((d for d in c.domains if node in c.domain_nodes(d)), "")
        if not domain:
            raise WebError(404, f"node {node} belongs to no BackBox domain: it runs no EMS extractor")
        return {"node": node, "domain": domain}   # the extractor of that node's own domain (R28)
    bbx = c.spec.backbox
    kind_of = "storage" if kind == "storage-replication-pause" else "keys"
    sources = [r.source for r in (bbx.replications if bbx else ()) if r.kind == kind_of]
    if target not in sources:
        raise WebError(404, f"'{target}' replicates nothing: the {kind_of} replication sources are "
                            f"{', '.join(sources) or 'none'}")
    return {"storage": target} if kind_of == "storage" else {"key_manager": target}


def heal(c: Console, form: dict[str, str]) -> tuple[Outcome, str]:
    """Heal one active fault by id, or all of them, through the nemesis."""
    _only(form, {"id"})
    which = form.get("id", "").strip()
    if not which:
        raise WebError(400, "name the fault to heal (its id, e.g. F1) or all")
    if which != "all" and which not in c.sim.nemesis.active:
        active = ", ".join(c.sim.nemesis.active) or "none"
        raise WebError(404, f"no active fault {which!r}: the active faults are {active}")

    def run() -> Outcome:
        try:
            healed = c.sim.heal(which)
        except ScenarioError as exc:
            return Outcome(str(exc), "error")
        still = [f.id for f in healed if f.id in c.sim.nemesis.active]
        if still:
            return Outcome(f"could not heal {', '.join(still)} now (its node does not answer): try again", "warn")
        return Outcome(f"healed {', '.join(f'{f.id} ({f.kind})' for f in healed) or 'nothing'}", "ok")
    return c.act(run, what="heal"), "/faults"


def advance(c: Console, form: dict[str, str]) -> tuple[Outcome, str]:
    """Move the virtual clock by one of the panel's steps; the timers due on the way fire (R28, R37)."""
    _only(form, {"by"})
    by = form.get("by", "")
    if by not in ADVANCE_CHOICES:
        raise WebError(400, f"advance by {by!r}: choose one of {', '.join(ADVANCE_CHOICES)}")
    mode = c.call(lambda: c.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T).mode, "Clock")
    if mode == clock_pb2.CLOCK_MODE_REAL:
        raise WebError(409, "the clock is real: time moves by itself and cannot be advanced; to jump ahead, start"
                            " the topology on the virtual clock (without --real-time)")

    def run() -> Outcome:
        value = c.sim.advance(by)
        if value is None:
            return Outcome(f"advance {by} failed: {c.sim.history.events[-1].error}", "error")
        return Outcome(f"clock advanced by {by} to {value.get('utc', '')}; {value.get('fired', 0)} timers fired",
                       "ok")
    return c.act(run, what=f"advance {by}"), "/faults"


def backup(c: Console, form: dict[str, str]) -> tuple[Outcome, str]:
    """Seeded backup jobs of the run's workload on the primary data store (their automatic exports follow, R27)."""
    _only(form, {"count"})
    count = form.get("count", "")
    if count not in BACKUP_CHOICES:
        raise WebError(400, f"count {count!r}: choose one of {', '.join(BACKUP_CHOICES)} backup jobs")
    if c.sim.workload is None or not c.sim.roles.primary_store:
        raise WebError(409, f"topology {c.spec.name} has no replicated PRIMARY data store to back up")

    def run() -> Outcome:
        try:
            done = c.sim.backup(count=int(count))
        except ScenarioError as exc:
            return Outcome(f"backup refused: {exc}", "error")
        labels = [b["labels"][0] for b in done if b.get("labels")]
        if len(done) < int(count):
            failed = _completion(c, "backup")
            return Outcome(f"{len(done)} of {count} backups done ({', '.join(labels) or 'none'});"
                           f" {failed.error if failed is not None else ''}", "warn")
        return Outcome(f"{count} backup job{'s' if count != '1' else ''} done on {c.sim.roles.primary_store}:"
                       f" {', '.join(labels)}", "ok")
    return c.act(run, what="backup"), "/faults"
