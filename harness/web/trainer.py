"""The trainer's pages: the fault panel (what the nemesis can do to the sites, with the state the services report),
the run's timeline, and the checkers' verdicts of the state now.

Faults go through the run's nemesis (harness.nemesis), so each one is a `fail` / `heal` pair of the history and
shows as a span on the timeline, as a scenario's faults do.
"""

from __future__ import annotations

from typing import Any

import grpc

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import control_pb2, key_manager_pb2 as km, link_pb2, storage_pb2 as st
from harness.web.console import T, Console
from harness.web.markup import badge, banner, esc, fields, post_form, section, table
from harness.web.pages import Page, guarded, link_state, word

# The fault kinds the panel offers, each with the form field naming its target.
PANEL_FAULTS = {
    "link-down": "link",
    "node-crash": "node",
    "storage-replication-pause": "storage",
    "key-replication-pause": "key_manager",
    "ems-extractor-stopped": "node",
}
ADVANCE_CHOICES = ("10m", "1h", "6h", "1d")
BACKUP_CHOICES = ("1", "3", "10")


def _button(c: Console, action: str, text: str, hidden: dict[str, str], test_id: str) -> str:
    inner = "".join(f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">' for k, v in hidden.items())
    return post_form(action, c.token, inner, button=text, test_id=test_id, cls="inline")


def _active_for(c: Console, kind: str, key: str, value: str) -> Any:
    """The nemesis's active fault of `kind` whose target (or parameter) `key` is `value`, if any."""
    for f in list(c.sim.nemesis.active.values()):
        if f.kind == kind and (f.target.get(key) == value or str(f.params.get(key, "")).upper() == value.upper()):
            return f
    return None


def _heal_or_fail(c: Console, kind: str, key: str, value: str, fail_text: str, heal_text: str, tid: str) -> str:
    active = _active_for(c, kind, key, value)
    if active is not None:
        return _button(c, "/faults/heal", heal_text, {"id": active.id}, f"heal-{tid}")
    return _button(c, "/faults/fail", fail_text, {"kind": kind, "target": value}, f"fail-{tid}")


def fault_panel(c: Console, q: dict[str, str]) -> Page:
    """The trainer's panel: each fault the nemesis can start from here, beside the state the services report."""
    def links() -> str:
        rows = []
        for lk in c.topo.link_service().ListLinks(link_pb2.ListLinksRequest(), timeout=T).links:
            state, detail = link_state(lk.fault)
            rows.append((esc(lk.id), badge(state), esc(detail),
                         _heal_or_fail(c, "link-down", "link", lk.id, "Cut", "Heal", f"link-{lk.id}")))
        return table(["Link", "State", "Fault", ""], rows, raw=True, test_id="panel-links")

    def nodes() -> str:
        rows = []
        for n in c.topo.control_service().ListNodes(control_pb2.ListNodesRequest(), timeout=T).nodes:
            name = n.node.name
            rows.append((esc(name), badge(word(control_pb2.NodeStatus, n.status)),
                         _heal_or_fail(c, "node-crash", "node", name, "Crash", "Restart", f"node-{name}")))
        return table(["Node", "Status", ""], rows, raw=True, test_id="panel-nodes")

    def replication() -> str:
        rows = []
        bbx = c.spec.backbox
        for r in (bbx.replications if bbx else ()):
            if r.kind == "storage":
                s = c.topo.storage(r.source).GetReplicationStatus(st.GetReplicationStatusRequest(), timeout=T).status
                state = "PAUSED" if s.paused else "RUNNING"
                detail = f"backlog {s.backlog_objects} images" + (f", last error {s.last_error}" if s.last_error
                                                                    else "")
                button = _heal_or_fail(c, "storage-replication-pause", "storage", r.source, "Pause", "Resume",
                                       f"storage-{r.source}")
                rows.append((esc(f"storage {r.source} → {r.target}"), badge(state), esc(detail), button))
            else:
                k = c.topo.key_manager(r.source).GetKeyReplicationStatus(km.GetKeyReplicationStatusRequest(),
                                                                         timeout=T).status
                button = _heal_or_fail(c, "key-replication-pause", "key_manager", r.source, "Pause", "Resume",
                                       f"keys-{r.source}")
                rows.append((esc(f"keys {r.source} → {r.target}"), badge("PAUSED" if k.paused else "RUNNING"),
                             esc(f"backlog {k.backlog} keys"), button))
        return table(["Replication", "State", "Backlog", ""], rows, raw=True, test_id="panel-replication",
                     empty="the topology replicates nothing")

    def extractors() -> str:
        rows = []
        for d in c.domains:
            try:
                listed = c.topo.catalog_sync(d).ListExtractors(cs.ListExtractorsRequest(), timeout=T).extractors
            except grpc.RpcError:
                continue   # a domain without Catalog Sync, or its manager is down (the nodes table says so)
            for x in listed:
                rows.append((esc(d), esc(x.process), badge("RUNNING" if x.running else "STOPPED"),
                             esc(x.last_outcome),
                             _heal_or_fail(c, "ems-extractor-stopped", "node", x.node, "Stop", "Start",
                                           f"extractor-{x.node}")))
        return table(["Domain", "EMS extractor", "State", "Last check", ""], rows, raw=True,
                     test_id="panel-extractors", empty="no EMS extractor answers")

    def active() -> str:
        rows = [(esc(f.id), esc(f.kind), esc(", ".join(f"{k}={v}" for k, v in f.target.items())),
                 _button(c, "/faults/heal", "Heal", {"id": f.id}, f"heal-{f.id}"))
                for f in list(c.sim.nemesis.active.values())]
        out = table(["Fault", "Kind", "Target", ""], rows, raw=True, test_id="active-faults",
                    empty="no fault is active")
        if rows:
            out += _button(c, "/faults/heal", "Heal all", {"id": "all"}, "heal-all")
        return out

    utc, mode = c.clock()
    advance = post_form("/clock/advance", c.token,
                        '<label for="f-by">Advance the clock by</label> <select name="by" id="f-by">'
                        + "".join(f'<option value="{v}">{v}</option>' for v in ADVANCE_CHOICES) + "</select>",
                        button="Advance", test_id="advance-form", cls="inline")
    backups = post_form("/workload/backup", c.token,
                        '<label for="f-count">Run backup jobs on the primary store:</label> <select name="count"'
                        ' id="f-count">' + "".join(f'<option value="{v}">{v}</option>' for v in BACKUP_CHOICES)
                        + "</select>", button="Back up", test_id="backup-form", cls="inline")
    clock_note = banner("The clock is real: time moves by itself, at its rate", "info", test_id="real-clock") \
        if mode.startswith("real") else ""
    live = ('<div class="panel">'
            + section("Active faults", active(), test_id="section-active")
            + section("Expand links", guarded("Link", links), test_id="section-links")
            + section("Nodes", guarded("Control", nodes), test_id="section-nodes")
            + section("Replication", guarded("replication", replication), test_id="section-replication")
            + section("EMS extractors (R28)", guarded("CatalogSync", extractors), test_id="section-extractors")
            + section("Clock", fields([("UTC", utc), ("Mode", mode)], test_id="clock-fields") + clock_note,
                      test_id="section-clock")
            + "</div>")
    top = ('<p><small class="hint">Each fault is recorded in the run\'s history and drawn on the timeline; every'
           " fault can be healed here.</small></p>" + (advance if not mode.startswith("real") else "")
           + (backups if c.sim.workload is not None and c.sim.roles.primary_store else ""))
    return Page("Trainer · Faults", top=top, live=live)


def timeline(c: Console, q: dict[str, str]) -> Page:
    """The run's timeline in a frame, redrawn when the history has grown."""
    n = len(c.sim.history)
    live = (f'<p data-testid="timeline-count">{n} event{"s" if n != 1 else ""} in the history of this run</p>'
            f'<iframe class="timeline" title="timeline" src="/timeline/raw?v={n}" data-testid="timeline-frame">'
            "</iframe>")
    return Page("Trainer · Timeline", live=live, live_every=5.0)   # a redraw every 5 s at most keeps the scroll


def timeline_html(c: Console) -> str:
    from harness.timeline import render_timeline  # noqa: PLC0415

    return render_timeline(c.sim.history.events, title=f"catsync-sim console: {c.title}")


def checks(c: Console, q: dict[str, str]) -> Page:
    """The checkers' verdicts of the state now."""
    cache = c.current_verdicts()
    if not cache.key:
        live = banner("The checkers are running on a state dump taken now: their verdicts come in a moment", "info",
                      test_id="checks-running")
    elif cache.error:
        live = banner(f"The checkers could not run: {cache.error}", "error", test_id="checks-error")
    else:
        rows = []
        for r in cache.results:
            evidence = "; ".join(", ".join(f"{k}={v}" for k, v in e.items()) for e in r.get("evidence", [])[:5])
            rows.append((esc(r["checker"]), badge(r["verdict"].upper(), r["verdict"]), esc(r["summary"]),
                         esc(evidence)))
        worst = "invalid" if any(r["verdict"] == "invalid" for r in cache.results) else (
            "unknown" if any(r["verdict"] == "unknown" for r in cache.results) else "valid")
        live = (f'<p data-testid="checks-overall">Overall: {badge(worst.upper(), worst)} — state of {esc(cache.at)},'
                f" history of {cache.key[0] if cache.key else 0} events</p>"
                + table(["Checker", "Verdict", "Summary", "Evidence (first 5)"], rows, raw=True,
                        test_id="checks"))
    top = ('<p><small class="hint">The checkers of the harness run on a state dump taken now and on the history of'
           " this run; they run again whenever the history or the clock moves.</small></p>")
    return Page("Trainer · Checker verdicts", top=top, live=live, live_every=3.0)
