"""The console's pages, each drawn from the gRPC services when asked: the overview, and per domain Storage Admin,
Configuration, Volumes, the EMS log and the MEDIACOM console; Export Status / Import Status of a data store with
their confirmation pages and Check Against Primary Configuration (the manual's pages, domain-facts §8).

A page is a `Page`: the static part (buttons and forms, drawn once) and the `live` part that the browser
replaces while the page is open (harness.web.server streams it again whenever it changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import grpc
from google.protobuf.json_format import MessageToDict

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.names import parse_node
from emulator.v1 import (backbox_domain_pb2 as bb, common_pb2, control_pb2, guardian_pb2, link_pb2,
                         media_catalog_pb2 as mc)
from emulator.errors import EmulatorError
from harness.web.console import T, Console, WebError, rpc_message
from harness.web.markup import (badge, banner, esc, fields, link, local_time, post_form, section, select, table,
                                text_input, url)

VOLUMES_PAGE = 100          # volumes per page of the Volumes view
EMS_SHOWN = 200             # newest EMS events shown


@dataclass
class Page:
    """A page: its title, the part drawn once (`top`), the part kept live, and the HTTP status."""

    title: str
    top: str = ""
    live: str = ""
    status: int = 200
    live_every: float = 0.5     # seconds between two looks at the live part


def word(enum: Any, value: int) -> str:
    """An enum value as the UI prints it: `DATA_STORE_TYPE_WINDISK` -> `WINDISK` (blank when unspecified)."""
    name = enum.Name(value) if value in enum.values() else str(value)
    if name.endswith("_UNSPECIFIED"):
        return ""
    prefix = enum.DESCRIPTOR.values[0].name.rsplit("UNSPECIFIED", 1)[0]
    return name[len(prefix):] if name.startswith(prefix) else name


def guarded(what: str, draw: Callable[[], str]) -> str:
    """Draw a part of a page; when its service does not answer the part says so and the rest of the page stays."""
    try:
        return draw()
    except WebError as exc:
        return banner(exc.message, "error", test_id="unavailable")
    except grpc.RpcError as exc:
        return banner(rpc_message(exc, what), "error", test_id="unavailable")


# -- overview --------------------------------------------------------------------------------------------------------

def overview(c: Console, q: dict[str, str]) -> Page:
    def nodes() -> str:
        listed = c.topo.control_service().ListNodes(control_pb2.ListNodesRequest(), timeout=T).nodes
        rows = []
        for n in listed:
            status = word(control_pb2.NodeStatus, n.status)
            domain = next((d.id for d in (c.spec.backbox.domains if c.spec.backbox else ())
                           if n.node.name in (d.manager, *d.nodes)), "")
            rows.append((esc(n.node.name), badge(status), esc(domain), esc(n.epoch)))
        return table(["Node", "Status", "BackBox domain", "Restarts"], rows, raw=True, test_id="nodes")

    def domains() -> str:
        rows = []
        for d in c.domains:
            try:
                stores = c.stores(d)
                text = ", ".join(f"{s.id} ({word(bb.DomainAccess, s.domain_access)})" for s in stores)
            except WebError as exc:
                text = exc.message
            rows.append((link(url("domain", d, "storage"), d), esc(c.domain_spec(d).manager), esc(text)))
        return table(["Domain", "Manager node", "Data stores"], rows, raw=True, test_id="domains")

    live = section("Nodes", guarded("Control", nodes)) + section("BackBox domains", guarded("domains", domains)) \
        + section("Expand links", guarded("Link", lambda: links_table(c)))
    return Page(f"Topology {c.spec.name}", live=live)


def links_table(c: Console) -> str:
    rows = []
    for lk in c.topo.link_service().ListLinks(link_pb2.ListLinksRequest(), timeout=T).links:
        state, detail = link_state(lk.fault)
        rows.append((esc(lk.id), badge(state), esc(detail), esc(lk.counters.calls), esc(lk.counters.failures)))
    return table(["Link", "State", "Fault", "Calls", "Failed calls"], rows, raw=True, test_id="links")


def link_state(fault: link_pb2.LinkFault) -> tuple[str, str]:
    """("UP" | "DOWN" | "DEGRADED", the fault in words) of a link."""
    d = MessageToDict(fault, preserving_proto_field_name=True)
    d.pop("guardian_error", None)   # the error number failed calls get: not a fault by itself
    if not d:
        return "UP", ""
    if d.get("down"):
        return "DOWN", f"cut (Guardian error {fault.guardian_error or 250})"
    words = {"one_way_from": "one way, calls from {} lost", "latency_ms": "latency {} ms",
             "loss_probability": "loss {}", "bandwidth_bytes_per_second": "bandwidth {} bytes/s"}
    return "DEGRADED", ", ".join(words.get(k, k + " {}").format(v) for k, v in sorted(d.items()))


# -- Storage Admin ---------------------------------------------------------------------------------------------------

def storage_admin(c: Console, domain: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id

    def draw() -> str:
        resp = c.topo.domain(d).GetStorageAdminStatus(bb.GetStorageAdminStatusRequest(), timeout=T)
        rows = []
        for r in resp.rows:
            if r.catalog_sync_link == bb.CATALOG_SYNC_LINK_EXPORT_STATUS:
                sync = link(url("domain", d, "store", r.data_store_id, "export"), "Export Status")
            elif r.catalog_sync_link == bb.CATALOG_SYNC_LINK_IMPORT_STATUS:
                sync = link(url("domain", d, "store", r.data_store_id, "import"), "Import Status")
            else:
                sync = ""
            rows.append((esc(r.data_store_id), esc(word(bb.DataStoreType, r.type)),
                         badge(word(bb.DataStoreStatus, r.status).capitalize() or "?"),
                         esc(word(bb.DomainAccess, r.domain_access).capitalize()), sync,
                         esc(", ".join(r.running_jobs)), esc(r.volume_count), esc(r.pending_exports)))
        out = [banner(f"{p.code} {p.message} {p.fix}".strip(), "warn", test_id="config-banner")
               for p in resp.banners]
        lic = resp.license_status
        if lic.warning:
            out.append(banner(f"{lic.warning_code} {lic.warning_text}", "warn", test_id="license-banner"))
        if not lic.catalog_sync:
            out.append(banner("The license has no valid CATALOG_SYNC option: no Catalog Sync links (R1)", "warn",
                              test_id="license-banner"))
        out.append(table(["Data Store", "Type", "Status", "Domain Access", "Catalog Sync Import/Export",
                          "Running Jobs", "Volumes", "Pending exports"], rows, raw=True, test_id="storage-admin"))
        return "".join(out)
    return Page(f"{d} · Storage Admin", live=guarded(f"Storage Admin of {d}", draw))


# -- Configuration (read-only) ---------------------------------------------------------------------------------------

def _plain(msg: Any) -> dict[str, Any]:
    """Every field of a configuration message, defaults included (an unchecked box or a 0 "never" is part of the
    configuration an operator reads), enums as the UI words, messages nested."""
    out: dict[str, Any] = {}
    for f in msg.DESCRIPTOR.fields:
        value = getattr(msg, f.name)
        if f.message_type is not None and not _repeated(f):
            if f.message_type.full_name.startswith("google.protobuf."):
                out[f.name] = str(value) if msg.HasField(f.name) else ""
            else:
                out[f.name] = _plain(value) if msg.HasField(f.name) else {}
        elif _repeated(f):
            out[f.name] = [_plain(v) if f.message_type is not None else _scalar(f, v) for v in value]
        else:
            out[f.name] = _scalar(f, value)
    return out


def _repeated(f: Any) -> bool:
    if hasattr(f, "is_repeated"):      # protobuf >= 6 (the label is deprecated there)
        return bool(f.is_repeated)
    return f.label == f.LABEL_REPEATED


def _scalar(f: Any, value: Any) -> Any:
    if f.enum_type is not None:
        return word(_EnumView(f.enum_type), value) or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class _EnumView:
    """An enum descriptor with the two methods `word` uses."""

    def __init__(self, descriptor: Any):
        self.DESCRIPTOR = descriptor

    def Name(self, value: int) -> str:  # noqa: N802 - the enum wrapper's name
        return self.DESCRIPTOR.values_by_number[value].name

    def values(self) -> list[int]:
        return list(self.DESCRIPTOR.values_by_number)


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def configuration(c: Console, domain: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    stub = c.topo.domain(d)

    def domain_part() -> str:
        resp = stub.GetDomainConfig(bb.GetDomainConfigRequest(), timeout=T)
        cfg = _plain(resp.config)
        lic = resp.license_status
        pairs = [(k.replace("_", " ").capitalize(), _cell(v)) for k, v in cfg.items() if k != "license"]
        pairs += [("License options", ", ".join(lic.options)), ("License expiry", lic.expiry_date or "none"),
                  ("Catalog Sync licensed", "yes" if lic.catalog_sync else "no")]
        return fields(pairs, test_id="domain-config")

    def stores_part() -> str:
        out = []
        for s in c.stores(d):
            plain = _plain(s)
            export, imp = plain.pop("export_config", {}), plain.pop("import_config", {})
            plain.pop("pools", None)
            rows = [(k.replace("_", " ").capitalize(), _cell(v)) for k, v in plain.items()]
            rows += [("Storage pools", ", ".join(f"{word(bb.StoragePoolKind, p.kind)} {p.storage_id}".strip()
                                                  for p in s.pools))]
            if s.domain_access == bb.DOMAIN_ACCESS_PRIMARY:   # what the store's configuration page shows (R17)
                rows += [(f"Export: {k.replace('_', ' ')}", _cell(v)) for k, v in export.items()]
            else:
                rows += [(f"Import: {k.replace('_', ' ')}", _cell(v)) for k, v in imp.items()]
            out.append(f"<h3>{esc(s.id)}</h3>" + fields(rows, test_id=f"store-{s.id}"))
        return "".join(out) or "<p>no data stores</p>"

    def groups_part() -> str:
        groups = stub.ListVolumeGroups(bb.ListVolumeGroupsRequest(), timeout=T).volume_groups
        rows = [(g.id, g.data_store_id, g.primary_volume_group_id, word(bb.TapeCatalogType, g.tape_catalog),
                 g.volcat, g.pool, g.filecat, g.media_type, g.encryption_algorithm, g.key_manager_id)
                for g in groups]
        return table(["Volume Group", "Data Store", "Primary Volume Group", "Tape catalog", "VOLCAT", "Pool",
                      "FILECAT", "Media type", "Encryption", "Key Manager ID"], rows, test_id="volume-groups")

    def keys_part() -> str:
        kms = stub.ListKeyManagers(bb.ListKeyManagersRequest(), timeout=T).key_managers
        return table(["Key Manager ID", "Server", "Protocol", "Service address"],
                     [(k.id, k.server_name, k.protocol, k.address.address) for k in kms], test_id="key-managers")

    body = (section("Domain", guarded("GetDomainConfig", domain_part))
            + section("Data stores, with their Catalog Sync export / import configuration",
                      guarded("ListDataStores", stores_part))
            + section("Volume groups", guarded("ListVolumeGroups", groups_part))
            + section("Key managers", guarded("ListKeyManagers", keys_part)))
    note = '<p><small class="hint">Read-only: change the configuration with a scenario\'s configure step.</small></p>'
    return Page(f"{d} · Configuration", top=note, live=body, live_every=2.0)


# -- Volumes ---------------------------------------------------------------------------------------------------------

STATUS_CHOICES = [(word(mc.VolumeStatus, v), word(mc.VolumeStatus, v)) for v in mc.VolumeStatus.values() if v]


def volumes(c: Console, domain: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    stub = c.topo.domain(d)
    store, group = q.get("store", "").strip().upper(), q.get("group", "").strip().upper()
    status, pattern = q.get("status", "").strip().upper(), q.get("label", "").strip().upper()
    pending = q.get("pending", "") in ("1", "on", "yes")
    token = q.get("page", "")
    if token and not token.isdigit():
        raise WebError(400, f"page token '{token}' is not one this console gave: start again from the first page")
    req = bb.ListVolumesRequest(data_store_id=store, volume_group_id=group, pattern=pattern,
                                pending_export_only=pending, page=common_pb2.PageRequest(page_size=VOLUMES_PAGE,
                                                                                 page_token=token))
    if status:
        if status not in dict(STATUS_CHOICES):
            raise WebError(400, f"status {status!r} is not a DSM/TC volume status: choose one of "
                                f"{', '.join(dict(STATUS_CHOICES))}, or none")
        req.catalog_status = mc.VolumeStatus.Value(f"VOLUME_STATUS_{status}")
    stores = [s.id for s in c.stores(d)]
    if store and store not in stores:
        raise WebError(404, f"no data store '{store}' in domain {d}: its data stores are {', '.join(stores)}")
    groups = c.call(lambda: stub.ListVolumeGroups(bb.ListVolumeGroupsRequest(), timeout=T).volume_groups,
                    "ListVolumeGroups")
    if group and group not in {g.id for g in groups}:
        raise WebError(404, f"no volume group {group!r} in domain {d}: its groups are "
                            f"{', '.join(g.id for g in groups)}")
    form = ('<form method="get" class="filters" data-testid="volume-filters">'
            + select("store", [(s, s) for s in stores], store, label="Data store", any_text="(all)")
            + select("group", [(g.id, g.id) for g in groups], group, label="Volume group", any_text="(all)")
            + select("status", STATUS_CHOICES, status, label="DSM/TC status", any_text="(any)")
            + text_input("label", pattern, label="Label", placeholder="EW10* or EW1008", size=10)
            + f'<label><input type="checkbox" name="pending" value="1"{" checked" if pending else ""}>'
              " pending export only</label>"
            + '<button type="submit">Filter</button> ' + link(url("domain", d, "volumes"), "Clear", class_="button")
            + "</form>")

    def draw() -> str:
        try:
            resp = stub.ListVolumes(req, timeout=T)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise WebError(400, f"the filter was refused: {exc.details()}") from None
            raise
        off = c.node_offset(c.domain_spec(d).manager)
        rows = []
        for v in resp.volumes:
            first = v.first_non_expired_tape_file
            ftext = f"{first.file_id}, gen={first.generation}" if v.HasField("first_non_expired_tape_file") else ""
            rows.append((v.label, v.data_store_id, v.volume_group_id, word(mc.VolumeStatus, v.catalog_status),
                         ftext, local_time(v.unload_time, off), "yes" if v.pending_export else "",
                         f"{v.encryption_algorithm} {v.key_manager_id}".strip() if v.encrypted else "",
                         v.imported_export_id, "expired" if v.expired else ""))
        out = [table(["Label", "Data Store", "Volume Group", "Status", "First non-expired tape file",
                      "Unload time", "Pending export", "Encryption", "Imported from export", ""], rows,
                     test_id="volumes", empty="no volume matches these filters")]
        nxt = resp.page.next_page_token if resp.HasField("page") else ""
        if nxt:
            out.append(link(url("domain", d, "volumes", store=store, group=group, status=status, label=pattern,
                                pending="1" if pending else "", page=nxt), "Next page →", class_="button"))
        return f"<p>{len(rows)} volume{'s' if len(rows) != 1 else ''} shown</p>" + "".join(out)
    return Page(f"{d} · Volumes", top=form, live=guarded("ListVolumes", draw), live_every=1.0)


# -- EMS log ---------------------------------------------------------------------------------------------------------

def ems_log(c: Console, domain: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    nodes = c.domain_nodes(d)
    node = q.get("node", "") or nodes[0]
    try:
        node = parse_node(node)
    except EmulatorError as exc:
        raise WebError(400, f"node '{q.get('node')}': {exc.message}") from None
    if node not in nodes:
        raise WebError(404, f"node {node} is not a node of domain {d}: its nodes are {', '.join(nodes)}")
    text = q.get("text", "").strip()
    critical = q.get("critical", "") in ("1", "on", "yes")
    form = ('<form method="get" class="filters" data-testid="ems-filters">'
            + select("node", [(n, n) for n in nodes], node, label="Node")
            + text_input("text", text, label="Text contains", placeholder="I3279", size=14)
            + f'<label><input type="checkbox" name="critical" value="1"{" checked" if critical else ""}>'
              " critical only</label><button type=\"submit\">Filter</button></form>")

    def draw() -> str:
        flt = guardian_pb2.EventFilter(text_contains=text, critical_only=critical)
        events = c.topo.guardian(node).ReadEvents(guardian_pb2.ReadEventsRequest(filter=flt), timeout=T).events
        shown = list(events)[-EMS_SHOWN:][::-1]
        lines = "\n".join(esc(e.line or e.text) for e in shown)
        return (f"<p>{len(events)} event{'s' if len(events) != 1 else ''} in the log of {esc(node)}"
                f"{f', the newest {EMS_SHOWN} first' if len(events) > EMS_SHOWN else ', newest first'}</p>"
                f'<pre class="lines" data-testid="ems-lines">{lines or "(no events)"}</pre>')
    return Page(f"{d} · EMS log", top=form, live=guarded(f"EMS log of {node}", draw))


# -- MEDIACOM --------------------------------------------------------------------------------------------------------

def mediacom(c: Console, domain: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    nodes = c.domain_nodes(d)
    node = q.get("node", "") or nodes[0]
    try:
        node = parse_node(node)
    except EmulatorError as exc:
        raise WebError(400, f"node '{q.get('node')}': {exc.message}") from None
    if node not in nodes:
        raise WebError(404, f"node {node} is not a node of domain {d}: its nodes are {', '.join(nodes)}")
    form = post_form(url("domain", d, "mediacom"), c.token,
                     select("node", [(n, n) for n in nodes], node, label="Node")
                     + text_input("command", "", label="MEDIACOM", placeholder="INFO TAPEVOLUME *", size=60,
                                  autofocus=True),
                     button="Run", test_id="mediacom-form", cls="inline")
    hint = ('<p><small class="hint">Commands as at the MEDIACOM prompt, several separated by ";": INFO MEDIADEFS, '
            "INFO TAPEVOLUME EW1008, INFO TAPEFILE *, INFO POOL *, STATUS TAPEVOLUME ...</small></p>")

    def draw() -> str:
        log = list(c.transcripts.get(node, ()))
        if not log:
            return f'<pre class="console" data-testid="mediacom-output">{esc(node)} MEDIACOM: no commands yet</pre>'
        parts = []
        for x in log[-40:]:
            out = esc(x.output.rstrip())
            parts.append(f'<span class="cmd">{esc(x.when)} {esc(node)} % {esc(x.command)}</span>\n'
                         + (out if x.ok else f'<span class="err">{out}</span>'))
        joined = "\n".join(parts)
        return f'<pre class="console" data-testid="mediacom-output">{joined}</pre>'
    return Page(f"{d} · MEDIACOM on {node}", top=form + hint, live=draw())


# -- Export Status / Import Status -----------------------------------------------------------------------------------

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


def _node_of(path: str) -> str:
    return path.split(".", 1)[0].upper() if path.startswith("\\") else ""


def export_status(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    s = c.store(d, store_id)
    if s.domain_access != bb.DOMAIN_ACCESS_PRIMARY:
        raise WebError(409, f"data store {s.id} is {word(bb.DomainAccess, s.domain_access)} in domain {d}: the "
                            "Export Status page is for PRIMARY stores" + (
                                "; open its Import Status page from Storage Admin"
                                if s.domain_access == bb.DOMAIN_ACCESS_SECONDARY else ""))
    here = url("domain", d, "store", s.id, "export")
    top = ('<div class="buttons" data-testid="export-buttons">'
           + link(url("domain", d, "store", s.id, "export", "confirm", type="FULL"), "Export Full Catalog",
                  class_="button")
           + link(url("domain", d, "store", s.id, "export", "confirm", type="UPDATE"), "Export Catalog Updates",
                  class_="button")
           + link(here, "Refresh", class_="button")
           + link(url("domain", d, "store", s.id, "report", kind="export"), "Latest report", class_="button")
           + "</div>")
    peer = _node_of(s.export_config.export_destination)

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
        full = fields(_process_fields(page.latest_full_export, off, export=True, latest=False),
                      test_id="latest-full") if page.HasField("latest_full_export") else "<p>none yet</p>"
        out.append(section("Latest Completed Full Export", full))
        latest = fields(_process_fields(page.latest_export, off, export=True, latest=True),
                        test_id="latest-export") if page.HasField("latest_export") else "<p>none yet</p>"
        out.append(section("Latest Export Process", latest))
        return "".join(out)
    return Page(f"{d} · {s.id} · Export Status", top=top, live=guarded(f"Export Status of {s.id}", draw))


def export_confirm(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    s = c.store(d, store_id)
    _must_be(s, d, bb.DOMAIN_ACCESS_PRIMARY, "exports its catalog")
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


def _must_be(s: bb.DataStore, domain: str, access: int, what: str) -> None:
    """A 409 when the store's Domain Access is not the one the page is for (R17)."""
    if s.domain_access != access:
        raise WebError(409, f"data store {s.id} is {word(bb.DomainAccess, s.domain_access) or 'without access'} in"
                            f" domain {domain}: only a {word(bb.DomainAccess, access)} store {what} (R17)")


def sync_type_word(value: str) -> str:
    kind = value.strip().upper()
    if kind not in ("FULL", "UPDATE"):
        raise WebError(400, f"type {value!r} must be FULL or UPDATE")
    return kind


def import_status(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    s = c.store(d, store_id)
    if s.domain_access != bb.DOMAIN_ACCESS_SECONDARY:
        raise WebError(409, f"data store {s.id} is {word(bb.DomainAccess, s.domain_access)} in domain {d}: the "
                            "Import Status page is for SECONDARY stores")
    top = ('<div class="buttons" data-testid="import-buttons">'
           + link(url("domain", d, "store", s.id, "check"), "Check Against Primary Configuration", class_="button")
           + link(url("domain", d, "store", s.id, "import", "confirm", type="FULL"), "Import Full Catalog",
                  class_="button")
           + link(url("domain", d, "store", s.id, "import", "confirm", type="UPDATE"), "Import Catalog Updates",
                  class_="button")
           + link(url("domain", d, "store", s.id, "import"), "Refresh", class_="button")
           + link(url("domain", d, "store", s.id, "report", kind="import"), "Latest report", class_="button")
           + "</div>")
    peer = _node_of(s.import_config.import_source)

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
        full = fields(_process_fields(page.latest_full_import, off, export=False, latest=False),
                      test_id="latest-full") if page.HasField("latest_full_import") else "<p>none yet</p>"
        out.append(section("Latest Completed Full Import", full))
        latest = fields(_process_fields(page.latest_import, off, export=False, latest=True),
                        test_id="latest-import") if page.HasField("latest_import") else "<p>none yet</p>"
        out.append(section("Latest Import", latest))
        if not page.check_against_primary_available:
            out.append('<p><small class="hint">Check Against Primary Configuration needs a summary file: it is'
                       " there after the primary's first export.</small></p>")
        return "".join(out)
    return Page(f"{d} · {s.id} · Import Status", top=top, live=guarded(f"Import Status of {s.id}", draw))


def import_confirm(c: Console, domain: str, store_id: str, q: dict[str, str]) -> Page:
    d = c.domain_spec(domain).id
    s = c.store(d, store_id)
    _must_be(s, d, bb.DOMAIN_ACCESS_SECONDARY, "imports a catalog")
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
    d = c.domain_spec(domain).id
    s = c.store(d, store_id)
    if s.domain_access != bb.DOMAIN_ACCESS_SECONDARY:
        raise WebError(409, f"data store {s.id} is {word(bb.DomainAccess, s.domain_access)}: Check Against Primary"
                            " Configuration compares a SECONDARY store with its primary")
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
