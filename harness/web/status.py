"""The pages of one data store, as the manual draws them (domain-facts §8): Export Status and Import Status with the
confirmation pages of their buttons, Check Against Primary Configuration, and the latest report. Each is read
from the CatalogSync service when drawn; its live part follows the processes as they run.
"""

from __future__ import annotations

from typing import Any

import grpc

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.names import node_of
from emulator.v1 import backbox_domain_pb2 as bb, control_pb2, link_pb2
from harness.web.console import T, Console, WebError, rpc_message
from harness.web.markup import badge, banner, esc, fields, link, local_time, post_form, section, table, url
from harness.web.pages import Page, guarded, link_state, word

def _process_fields(info: Any, off: int, *, export: bool, latest: bool) -> list[tuple[str, Any]]:
    if export:
        pairs = [("Export Id", info.export_id), ("Export Process", info.process)]
        if latest:
            pairs.append(("Export Type", word(cs.SyncType, info.type)))
            pairs.append(("Process Status", word(cs.ProcessStatus, info.status)))
        pairs += [("Start Time", local_time(info.start_time, off)), ("Report", info.report_location),
                  ("Number of Volumes Processed" if latest else "Number of Exported Volumes", info.volumes_processed),
                  ("Export Written To", info.destination)]
        if latest:
            pairs.append(("Started by", word(cs.Trigger, info.trigger)))
            pairs.append(("DSM/TC Disk File Entries", "included" if info.catalog_files else "not included"))
    else:
        pairs = [("Staging Subvolume", info.staging_subvolume), ("Export Id", info.export_id),
                 ("Process Name", info.process)]
        if latest:
            pairs.append(("Import type", word(cs.SyncType, info.type)))
            pairs.append(("Process Status", word(cs.ProcessStatus, info.status)))
        pairs += [("Import Start Time", local_time(info.start_time, off)), ("Import Report", info.report_location),
                  ("Number of Volumes Processed", info.volumes_processed)]
        if latest:
            pairs.append(("Started by", word(cs.Trigger, info.trigger)))
    if latest and info.volume_errors:
        pairs.append(("Volume errors", info.volume_errors))
    if latest and info.reason:
        pairs.append(("Reason", info.reason))
    return pairs


EXPORTS = "only a PRIMARY store exports its catalog"
IMPORTS = "only a SECONDARY store imports a catalog"


def _runs(page: Any, off: int, *, export: bool) -> str:
    """The two process blocks of a status page: the latest completed FULL run and the latest run."""
    kind = "export" if export else "import"
    titles = ("Latest Completed Full Export", "Latest Export Process") if export else \
        ("Latest Completed Full Import", "Latest Import")
    out = []
    for title, field, latest, tid in ((titles[0], f"latest_full_{kind}", False, "latest-full"),
                                      (titles[1], f"latest_{kind}", True, f"latest-{kind}")):
        body = fields(_process_fields(getattr(page, field), off, export=export, latest=latest), test_id=tid) \
            if page.HasField(field) else "<p>none yet</p>"
        out.append(section(title, body))
    return "".join(out)


def conditions(c: Console, domain: str, *, peer: str = "") -> str:
    """The state of what a Catalog Sync process needs, as a line of badges: the domain manager node, the Expand
    link to the other site and the domain's EMS extractors (R28)."""
    d = c.domain_spec(domain)
    bits = []
    try:
        states = {n.node.name: word(control_pb2.NodeStatus, n.status)
                  for n in c.topo.control_service().ListNodes(control_pb2.ListNodesRequest(), timeout=T).nodes}
        for n in dict.fromkeys([d.manager, *([peer] if peer else [])]):
            bits.append(f"node {esc(n)} {badge(states.get(n, '?'))}")
    except grpc.RpcError as exc:
        bits.append(esc(rpc_message(exc, "Control")))
    if peer and peer != d.manager:
        try:
            for lk in c.topo.link_service().ListLinks(link_pb2.ListLinksRequest(), timeout=T).links:
                if {lk.node_a, lk.node_b} == {d.manager, peer}:
                    state, detail = link_state(lk.fault)
                    bits.append(f"{esc(word(link_pb2.LinkKind, lk.kind) or 'link')} {esc(lk.node_a)}–{esc(lk.node_b)}"
                                f" {badge(state)} {esc(detail)}")
        except grpc.RpcError as exc:
            bits.append(esc(rpc_message(exc, "Link")))
    try:
        for x in c.topo.catalog_sync(d.id).ListExtractors(cs.ListExtractorsRequest(), timeout=T).extractors:
            bits.append(f"EMS extractor {esc(x.process)} {badge('RUNNING' if x.running else 'STOPPED')}")
    except grpc.RpcError as exc:
        bits.append(esc(rpc_message(exc, "EMS extractors")))
    return f'<div class="conditions" data-testid="conditions">{"".join(f"<span>{b}</span>" for b in bits)}</div>'


def export_status(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    """The Export Status page of a PRIMARY store, with its buttons."""
    d = c.domain_spec(domain).id
    s = c.store(d, store_id, bb.DOMAIN_ACCESS_PRIMARY, "the Export Status page is for PRIMARY stores; Storage Admin"
                " links each store to its own page")
    here = url("domain", d, "store", s.id, "export")
    top = ('<div class="buttons" data-testid="export-buttons">'
           + link(url("domain", d, "store", s.id, "export", "confirm", type="FULL"), "Export Full Catalog",
                  class_="button")
           + link(url("domain", d, "store", s.id, "export", "confirm", type="UPDATE"), "Export Catalog Updates",
                  class_="button")
           + link(here, "Refresh", class_="button")
           + link(url("domain", d, "store", s.id, "report", kind="export"), "Latest report", class_="button")
           + "</div>")
    peer = node_of(s.export_config.export_destination) or ""

    def draw() -> str:
        page = c.topo.catalog_sync(d).GetExportStatus(cs.GetExportStatusRequest(data_store_id=s.id), timeout=T)
        off = c.node_offset(c.domain_spec(d).manager)
        out = [conditions(c, d, peer=peer)]
        if not page.exports_enabled:
            out.append(banner("Exports are off for this store: its Export Destination is blank (R31)", "warn",
                              test_id="exports-off"))
        recent = page.most_recent_exported
        out.append(section("The Most Recently Written Volume Exported", fields([(
            "Volume", f"{recent.label} (Unloaded on {local_time(recent.time, off)})" if recent.label else "none")],
            test_id="most-recent")))
        oldest = [(v.label, local_time(v.time, off)) for v in page.oldest_pending]
        retry = local_time(page.next_retry_time, off) if page.HasField("next_retry_time") else ""
        out.append(section("Pending Volumes to Export", fields([("Number", page.pending_count)]
                                                               + ([("Next retry by the EMS extractor", retry)]
                                                                  if retry else []), test_id="pending")
                           + table(["Volume", "Unload Time"], oldest, empty="no pending volume")))
        out.append(_runs(page, off, export=True))
        return "".join(out)
    return Page(f"{d} · {s.id} · Export Status", top=top, live=guarded(f"Export Status of {s.id}", draw))


def export_confirm(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    """The Export Confirmation page: the DISKFILE box only when the export configuration allows it (R33)."""
    d = c.domain_spec(domain).id
    s = c.store(d, store_id, bb.DOMAIN_ACCESS_PRIMARY, EXPORTS)
    kind = sync_type_word(q.get("type", ""))
    page = c.call(lambda: c.topo.catalog_sync(d).GetExportStatus(cs.GetExportStatusRequest(data_store_id=s.id),
                                                                  timeout=T), f"Export Status of {s.id}")
    box = ('<p><label><input type="checkbox" name="disk_files" value="1" checked data-testid="disk-files">'
           " Include DSM/TC Disk File Entries</label></p>") if page.disk_files_allowed else (
        '<p><small class="hint">DSM/TC DISKFILE entries are not exported: the data store\'s export configuration'
        " does not include them (R33).</small></p>")
    what = "Export Full Catalog" if kind == "FULL" else "Export Catalog Updates"
    body = (f"<p>{esc(what)} of data store <b>{esc(s.id)}</b> to {esc(s.export_config.export_destination)}.</p>"
            + post_form(url("domain", d, "store", s.id, "export"), c.token,
                        f'<input type="hidden" name="type" value="{kind}">' + box
                        + '<div class="buttons"><button type="submit" class="primary">Confirm</button> '
                        + link(url("domain", d, "store", s.id, "export"), "Cancel", class_="button") + "</div>",
                        test_id="export-confirm"))
    return Page(f"{d} · {s.id} · Export Confirmation", top=body)


def sync_type_word(value: str) -> str:
    """FULL or UPDATE from a form or query value; anything else is refused."""
    kind = value.strip().upper()
    if kind not in ("FULL", "UPDATE"):
        raise WebError(400, f"type {value!r} must be FULL or UPDATE")
    return kind


def import_status(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    """The Import Status page of a SECONDARY store, with its buttons."""
    d = c.domain_spec(domain).id
    s = c.store(d, store_id, bb.DOMAIN_ACCESS_SECONDARY, "the Import Status page is for SECONDARY stores; Storage"
                " Admin links each store to its own page")
    top = ('<div class="buttons" data-testid="import-buttons">'
           + link(url("domain", d, "store", s.id, "check"), "Check Against Primary Configuration", class_="button")
           + link(url("domain", d, "store", s.id, "import", "confirm", type="FULL"), "Import Full Catalog",
                  class_="button")
           + link(url("domain", d, "store", s.id, "import", "confirm", type="UPDATE"), "Import Catalog Updates",
                  class_="button")
           + link(url("domain", d, "store", s.id, "import"), "Refresh", class_="button")
           + link(url("domain", d, "store", s.id, "report", kind="import"), "Latest report", class_="button")
           + "</div>")
    peer = node_of(s.import_config.import_source) or ""

    def draw() -> str:
        page = c.topo.catalog_sync(d).GetImportStatus(cs.GetImportStatusRequest(data_store_id=s.id), timeout=T)
        off = c.node_offset(c.domain_spec(d).manager)
        out = [conditions(c, d, peer=peer if peer != c.domain_spec(d).manager else "")]
        if page.next_update_reimports_all:
            out.append(banner("The last import had volume errors: the next Import Catalog Updates re-imports every"
                              " volume of the staging area (R21)", "warn", test_id="reimport-all"))
        recent = page.most_recent_imported
        out.append(section("Most Recently Written Volume Imported", fields([(
            "Volume", f"{recent.label} (Unloaded on {local_time(recent.time, off)})" if recent.label else "none")],
            test_id="most-recent")))
        a = page.available
        out.append(section("Available Catalog Information to Import", fields([
            ("Staging Subvolume", a.staging_subvolume), ("Total Number of BackBox Volumes", a.total_volume_files),
            ("Volumes Received After Last Successful Import", a.received_after_last_import),
            ("Time of Latest Received BackBox Volume", local_time(a.latest_received_time, off)),
            ("Latest export in the staging area", f"{a.latest_export_id} {word(cs.SyncType, a.latest_export_type)}"
             .strip())], test_id="available")))
        out.append(_runs(page, off, export=False))
        if not page.check_against_primary_available:
            out.append('<p><small class="hint">Check Against Primary Configuration needs a summary file: it is'
                       " there after the primary's first export.</small></p>")
        return "".join(out)
    return Page(f"{d} · {s.id} · Import Status", top=top, live=guarded(f"Import Status of {s.id}", draw))


def import_confirm(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    """The Import Confirmation page, with the box that inserts the missing DISKFILEs."""
    d = c.domain_spec(domain).id
    s = c.store(d, store_id, bb.DOMAIN_ACCESS_SECONDARY, IMPORTS)
    kind = sync_type_word(q.get("type", ""))
    what = "Import Full Catalog" if kind == "FULL" else "Import Catalog Updates"
    warn = banner("A FULL import also deletes the volumes the staging area no longer holds (R23, R24)", "warn",
                  test_id="full-warning") if kind == "FULL" else ""
    body = (f"<p>{esc(what)} into data store <b>{esc(s.id)}</b> from {esc(s.import_config.import_source)}.</p>"
            + warn + post_form(url("domain", d, "store", s.id, "import"), c.token,
                               f'<input type="hidden" name="type" value="{kind}">'
                               '<p><label><input type="checkbox" name="disk_files" value="1" checked'
                               ' data-testid="disk-files"> Include DSM/TC Disk File Entries</label>'
                               ' <small class="hint">(insert the missing DSM/TC DISKFILEs)</small></p>'
                               '<div class="buttons"><button type="submit" class="primary">Confirm</button> '
                               + link(url("domain", d, "store", s.id, "import"), "Cancel", class_="button")
                               + "</div>", test_id="import-confirm"))
    return Page(f"{d} · {s.id} · Import Confirmation", top=body)


def check_primary(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    """Check Against Primary Configuration: the CONFIGURATION VALIDATION table of a SECONDARY store (R39..R45)."""
    d = c.domain_spec(domain).id
    s = c.store(d, store_id, bb.DOMAIN_ACCESS_SECONDARY, "Check Against Primary Configuration compares a SECONDARY"
                " store with its primary")
    back = link(url("domain", d, "store", s.id, "import"), "Back to Import Status", class_="button")

    def draw() -> str:
        resp = c.topo.catalog_sync(d).CheckAgainstPrimary(cs.CheckAgainstPrimaryRequest(data_store_id=s.id),
                                                           timeout=T)
        rows = []
        for r in resp.rows:
            notes = "; ".join(m.text for m in [r.warning, *r.more_errors] if m.text)
            rows.append((r.secondary_volume_group_id, f"Primary volume group: {r.primary_volume_group_id}",
                         r.primary.text, r.secondary.text or "(no volume group)", notes,
                         "aborts the import" if r.fatal else ("volumes not imported" if r.volumes_rejected else "")))
        verdict = banner("An import now would abort: fix the rows marked below", "error", test_id="check-verdict") \
            if resp.fatal else banner("The configuration matches the primary's: an import can run", "ok",
                                      test_id="check-verdict")
        problems = "".join(banner(f"{p.code} {p.message} {p.fix}".strip(), "warn", test_id="check-problem")
                           for p in resp.problems)
        return (f"<p>{esc(s.id)} against primary {esc(resp.primary_data_store_id)} (summary of export"
                f" {esc(resp.export_id)})</p>" + verdict + problems
                + table(["Volume group", "Primary", "Primary catalog", "Secondary catalog", "Messages", ""], rows,
                        test_id="check-rows"))
    return Page(f"{d} · {s.id} · Check Against Primary Configuration", top=f'<div class="buttons">{back}</div>',
                live=guarded(f"Check Against Primary of {s.id}", draw), live_every=2.0)


def report(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    """The latest export or import report of a data store, as written at its report location."""
    d = c.domain_spec(domain).id
    s = c.store(d, store_id)
    kinds = {"export": cs.PROCESS_KIND_EXPORT, "import": cs.PROCESS_KIND_IMPORT}
    kind = q.get("kind", "export" if s.domain_access == bb.DOMAIN_ACCESS_PRIMARY else "import").lower()
    if kind not in kinds:
        raise WebError(400, f"kind {q.get('kind')!r} must be export or import")
    back_page = "export" if kind == "export" else "import"
    top = f'<div class="buttons">{link(url("domain", d, "store", s.id, back_page), "Back", class_="button")}</div>'

    def draw() -> str:
        try:
            resp = c.topo.catalog_sync(d).GetReport(cs.GetReportRequest(data_store_id=s.id, kind=kinds[kind]),
                                                    timeout=T)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return f"<p>no {kind} report of {esc(s.id)} yet</p>"
            raise
        return (f"<p>{esc(resp.process)} · {esc(resp.report_location)}</p>"
                f'<pre class="lines" data-testid="report-lines">{esc(chr(10).join(resp.lines))}</pre>')
    return Page(f"{d} · {s.id} · latest {kind} report", top=top, live=guarded(f"{kind} report of {s.id}", draw),
                live_every=1.0)
