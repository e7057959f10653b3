"""The console's pages, each drawn from the gRPC services when asked: the overview, and per domain Storage Admin,
Configuration, Volumes, the EMS log and the MEDIACOM console (the data stores' own pages are in
harness.web.status).

A page is a `Page`: the static part (buttons and forms, drawn once) and the `live` part that the browser
replaces while the page is open (harness.web.server streams it again whenever it changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import grpc
from google.protobuf.json_format import MessageToDict

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import (backbox_domain_pb2 as bb, common_pb2, control_pb2, guardian_pb2, link_pb2,
                         media_catalog_pb2 as mc)
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
        + section("Expand links", guarded("Link", lambda: links_table(c))) \
        + section("Catalog Sync processes, the newest first", processes_table(c))
    return Page(f"Topology {c.spec.name}", live=live)


SYNC_PROGRAMS = {"BBCSEXP": "export", "BBCSIMP": "import"}
PROCESSES_SHOWN = 12


def processes_table(c: Console) -> str:
    """The export and import processes of every node that answers (a node that is down ran nothing we can see)."""
    found = []
    for node in (n.name for n in c.spec.nodes):
        for program, what in SYNC_PROGRAMS.items():
            try:
                listed = c.topo.guardian(node).ListProcesses(guardian_pb2.ListProcessesRequest(program=program),
                                                             timeout=T).processes
            except grpc.RpcError:
                continue
            found += [(p, what, node) for p in listed]
    found.sort(key=lambda x: (x[0].started.seconds, x[0].started.nanos, x[0].name), reverse=True)
    rows = []
    offsets = {node: c.node_offset(node) for node in {node for _, _, node in found[:PROCESSES_SHOWN]}}
    for p, what, node in found[:PROCESSES_SHOWN]:
        off = offsets[node]
        state = word(guardian_pb2.ProcessState, p.state)
        shown = {"STOPPED": badge("ENDED", "ok"), "ABENDED": badge("ABENDED", "fail")}.get(state, badge(state))
        rows.append((esc(p.name), esc(what), shown, esc(local_time(p.started, off)),
                     esc(local_time(p.ended, off)), esc(p.completion_code if p.ended.seconds else ""),
                     esc(p.termination_text)))
    return table(["Process", "Kind", "State", "Started (node time)", "Ended", "Completion code", "Ending"], rows,
                 raw=True, test_id="processes", empty="no export or import has run yet")


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


def _every(seconds: int) -> str:
    if not seconds:
        return "once"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def configuration(c: Console, domain: str, q: dict[str, str]) -> Page:
    """The domain's configuration, read-only: domain, data stores with their export / import configuration,
    volume groups, key managers."""
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

    def jobs_part() -> str:
        jobs = c.topo.catalog_sync(d).ListJobs(cs.ListJobsRequest(), timeout=T).jobs
        off = c.node_offset(c.domain_spec(d).manager)
        rows = [(j.job_name, j.node, " ".join(j.macro_text.split()), local_time(j.next_run, off),
                 _every(j.every.seconds), "held" if j.hold else "", j.last_outcome, j.run_count) for j in jobs]
        return table(["Job", "Node", "TACL text", "Next run (node time)", "Every", "", "Last outcome", "Runs"], rows,
                     test_id="jobs", empty="no NetBatch job runs BB026 / BB027 in this domain")

    body = (section("Domain", guarded("GetDomainConfig", domain_part))
            + section("Data stores, with their Catalog Sync export / import configuration",
                      guarded("ListDataStores", stores_part))
            + section("Volume groups", guarded("ListVolumeGroups", groups_part))
            + section("Key managers", guarded("ListKeyManagers", keys_part))
            + section("NetBatch jobs (R26, R36)", guarded("ListJobs", jobs_part)))
    note = '<p><small class="hint">Read-only: change the configuration with a scenario\'s configure step.</small></p>'
    return Page(f"{d} · Configuration", top=note, live=body, live_every=2.0)


# -- Volumes ---------------------------------------------------------------------------------------------------------

STATUS_CHOICES = [(word(mc.VolumeStatus, v), word(mc.VolumeStatus, v)) for v in mc.VolumeStatus.values() if v]


def volumes(c: Console, domain: str, q: dict[str, str]) -> Page:
    """The BackBox catalog of the domain, filtered as the query says (every filter value checked first)."""
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
    """The EMS log of one node of the domain, newest first."""
    d = c.domain_spec(domain).id
    nodes = c.domain_nodes(d)
    node = c.domain_node(d, q.get("node", ""))
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
    """The MEDIACOM console of a node of the domain: a command box and the transcript of this console's commands."""
    d = c.domain_spec(domain).id
    nodes = c.domain_nodes(d)
    node = c.domain_node(d, q.get("node", ""))
    form = post_form(url("domain", d, "mediacom"), c.token,
                     select("node", [(n, n) for n in nodes], node, label="Node")
                     + text_input("command", "", label="MEDIACOM", placeholder="INFO TAPEVOLUME *", size=60,
                                  autofocus=True),
                     button="Run", test_id="mediacom-form", cls="inline")
    from emulator.mediacom import SYNTAX  # noqa: PLC0415 - the emulated MEDIACOM's own list of what it knows

    known = "\n".join(esc(line) for line in SYNTAX.values())
    hint = ('<details data-testid="mediacom-syntax"><summary>Commands this MEDIACOM knows (several on one line,'
            f' separated by ";")</summary><pre class="lines">{known}</pre></details>')

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
