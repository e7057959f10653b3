"""Administrator verbs of a scenario: what an operator changes in the BackBox UI or NetBatch between backups.

```yaml
- configure: {data_store: E501_WIN1_SND, import_config: {node_replacements: [{old_node: '\\INSIDX', new_node: '\\ETINIUM'}]}}
- configure: {data_store: DS_WIN1_DES, export_config: {export_check_delay_minutes: 0, export_destination: ''}}
- configure: {data_store: DS_WIN1_DES, domain_access: SECONDARY, primary_data_store_id: E501_WIN1_SND}
- configure: {data_store: DS_WIN1_DES, status: INACTIVE}
- configure: {volume_group: VG_WIN1_SND, fields: {primary_volume_group_id: VG_WIN1_DES}}
- delete_volume: {label: EW1003}                # the UI's Delete Volume on the primary (R54)
- job: {node: '\\ETINIUM', macro: "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE", every: 1d, at: 02:00}
- job: {delete: all, node: '\\ETINIUM'}         # remove the NetBatch jobs (R52)
```

Each is one operation in the history; the emulator's own checks (the configuration validation of R19..R27 and
R43, the Domain Access matrix) decide, and a refusal is a `fail` event carrying the emulator's message, so a
scenario can `expect` it. Only a malformed step is a ScenarioError.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable

import grpc
from google.protobuf import json_format
from google.protobuf.duration_pb2 import Duration
from google.protobuf.timestamp_pb2 import Timestamp

from catsync.v1 import catalog_sync_pb2 as cs
from emulator import rpc
from emulator.names import parse_node
from emulator.v1 import backbox_domain_pb2 as bb
from harness.backbox_topology import parse_duration
from harness.errors import ScenarioError
from harness.history import FAIL, OK

if TYPE_CHECKING:
    from harness.sim import Sim

T = rpc.DEFAULT_DEADLINE
USER = "SUPER.SUPER"
STORE_KEYS = {"data_store", "domain", "export_config", "import_config", "domain_access", "primary_data_store_id",
              "status"}
GROUP_KEYS = {"volume_group", "domain", "fields"}
ACCESS = {"PRIMARY": bb.DOMAIN_ACCESS_PRIMARY, "SECONDARY": bb.DOMAIN_ACCESS_SECONDARY,
          "RESTRICTED": bb.DOMAIN_ACCESS_RESTRICTED}
STATUS = {"ACTIVE": bb.DATA_STORE_STATUS_ACTIVE, "INACTIVE": bb.DATA_STORE_STATUS_INACTIVE}
JOB_KEYS = {"node", "macro", "at", "every", "name", "delete"}


# -- validation (parse time: no topology needed) ----------------------------------------------------------------------

def validate_configure(args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
    if not isinstance(args, dict):
        raise err((), "configure is a mapping: {data_store: ID, import_config: {...}} or {volume_group: ID, fields:"
                      " {...}}")
    if "volume_group" in args:
        _keys(err, args, GROUP_KEYS)
        if not isinstance(args.get("fields"), dict) or not args["fields"]:
            raise err(("fields",), "fields is a mapping of volume group fields, e.g. {filecat: SHCH409FC}")
        _message(err, ("fields",), bb.VolumeGroup, args["fields"])
        return
    if "data_store" not in args:
        raise err((), "configure needs data_store: (or volume_group:)")
    _keys(err, args, STORE_KEYS)
    if len(set(args) - {"data_store", "domain"}) == 0:
        raise err((), "configure says what to change: export_config, import_config, domain_access or status")
    for key, cls in (("export_config", bb.ExportConfig), ("import_config", bb.ImportConfig)):
        if key in args:
            if not isinstance(args[key], dict) or not args[key]:
                raise err((key,), f"{key} is a mapping of its fields, e.g. {_example(key)}")
            _message(err, (key,), cls, args[key])
    if "domain_access" in args and str(args["domain_access"]).upper() not in ACCESS:
        raise err(("domain_access",), f"domain_access {args['domain_access']!r} must be one of {', '.join(ACCESS)}")
    if "primary_data_store_id" in args and "domain_access" not in args:
        raise err(("primary_data_store_id",), "primary_data_store_id goes with domain_access: SECONDARY or"
                                              " RESTRICTED")
    if "status" in args and str(args["status"]).upper() not in STATUS:
        raise err(("status",), f"status {args['status']!r} must be ACTIVE or INACTIVE")


def validate_delete_volume(args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
    if isinstance(args, str) and args.strip():
        return
    if not isinstance(args, dict) or not isinstance(args.get("label"), str):
        raise err((), "delete_volume is a label (delete_volume: EW1003) or {label: EW1003, domain: E501NEW,"
                      " keep_image: false}")
    _keys(err, args, {"label", "domain", "keep_image"})


def validate_job(args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
    if not isinstance(args, dict):
        raise err((), "job is {node: '\\\\ETINIUM', macro: 'BB027_IMPORT_CATALOG ...', every: 1d, at: '02:00'}"
                      " or {delete: all, node: ...}")
    _keys(err, args, JOB_KEYS)
    if "delete" in args:
        if set(args) - {"delete", "node"}:
            raise err(("delete",), "a job deletion takes only delete: (all, a job name, or a store id whose jobs"
                                   " go) and node:")
        return
    if not isinstance(args.get("macro"), str) or not args["macro"].strip():
        raise err(("macro",) if "macro" in args else (), "job needs macro: the TACL text NetBatch runs")
    if "every" in args:
        try:
            parse_duration(args["every"])
        except ValueError as exc:
            raise err(("every",), str(exc)) from None
    if "at" in args:
        try:
            _time_of_day(args["at"])
        except ValueError as exc:
            raise err(("at",), str(exc)) from None


def _keys(err: Callable[[tuple, str], ScenarioError], args: dict, allowed: set[str]) -> None:
    for key in args:
        if key not in allowed:
            raise err((key,), f"unknown key {key!r}: allowed are {', '.join(sorted(allowed))}")


def _message(err: Callable[[tuple, str], ScenarioError], path: tuple, cls: Any, fields: dict) -> Any:
    known = [f.name for f in cls.DESCRIPTOR.fields]
    for key in fields:
        if key not in known:
            raise err((*path, key), f"{cls.DESCRIPTOR.name} has no field {key!r}: its fields are {', '.join(known)}")
    try:
        return json_format.ParseDict(fields, cls())
    except json_format.ParseError as exc:
        raise err(path, f"{cls.DESCRIPTOR.name}: {exc}") from None


def _example(key: str) -> str:
    return ("{export_check_delay_minutes: 10}" if key == "export_config"
            else "{node_replacements: [{old_node: '\\\\INSIDX', new_node: '\\\\ETINIUM'}]}")


def _time_of_day(value: Any) -> time:
    if isinstance(value, int):        # YAML reads 02:00 as a sexagesimal integer (120)
        return time(value // 60 % 24, value % 60)
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"at {value!r} must be a time of day such as '02:00' (quoted)") from None


# -- running (against the live topology) --------------------------------------------------------------------------------

def domain_of_store(sim: "Sim", store: str, domain: str | None = None) -> str:
    """The domain of a data store: `domain` when given, else the one domain of the topology (or, for a store
    created during the run, of the live domains) that has it; an id in two domains (R10) needs `domain`."""
    if domain:
        return domain.upper()
    bbx = sim.spec.backbox
    found = [d.id for d in (bbx.domains if bbx else ()) if any(ds.store.id == store for ds in d.data_stores)]
    if len(found) > 1:
        raise ScenarioError(f"data store {store} is in the domains {', '.join(found)}: give domain:")
    if found:
        return found[0]
    for d in (bbx.domains if bbx else ()):   # a store created during the run
        try:
            sim.topo.domain(d.id).GetDataStore(bb.GetDataStoreRequest(id=store), timeout=T)
            return d.id
        except grpc.RpcError:
            continue
    raise ScenarioError(f"no data store {store} in topology {sim.spec.name}: give domain: or a known store")


def _domain_of_group(sim: "Sim", group: str, domain: str | None) -> str:
    if domain:
        return domain.upper()
    bbx = sim.spec.backbox
    for d in (bbx.domains if bbx else ()):
        if any(g.group.id == group for ds in d.data_stores for g in ds.groups):
            return d.id
    raise ScenarioError(f"no volume group {group} in topology {sim.spec.name}: give domain: or a known group")


def configure(sim: "Sim", **args: Any) -> dict[str, Any] | None:
    """Change a data store's catalog sync configuration, Domain Access or status, or a volume group."""
    validate_configure(args, lambda path, msg: ScenarioError(f"configure: {msg}"))
    if "volume_group" in args:
        group = str(args["volume_group"]).upper()
        domain = _domain_of_group(sim, group, args.get("domain"))
        fields = dict(args["fields"])

        def group_body() -> tuple[str, Any]:
            vg = json_format.ParseDict(fields, bb.VolumeGroup())
            vg.id = group
            resp = sim.topo.domain(domain).UpdateVolumeGroup(bb.UpdateVolumeGroupRequest(
                volume_group=vg, field_mask=sorted(fields)), timeout=T)
            return OK, {"warnings": [w.message for w in resp.warnings]}
        return sim._op("configure", {"domain": domain, "volume_group": group, "fields": fields}, group_body,
                       node=sim.topo.spec.backbox and _manager(sim, domain))
    store = str(args["data_store"]).upper()
    domain = domain_of_store(sim, store, args.get("domain"))
    record = {k: v for k, v in args.items() if k != "domain"}
    record["domain"] = domain

    def body() -> tuple[str, Any]:
        stub = sim.topo.domain(domain)
        warnings: list[str] = []
        if "status" in args:
            stub.SetDataStoreStatus(bb.SetDataStoreStatusRequest(id=store, status=STATUS[str(args["status"]).upper()]),
                                    timeout=T)
        if "domain_access" in args:
            resp = stub.SetDomainAccess(bb.SetDomainAccessRequest(
                id=store, domain_access=ACCESS[str(args["domain_access"]).upper()],
                primary_data_store_id=str(args.get("primary_data_store_id", "")).upper()), timeout=T)
            warnings += [w.message for w in resp.warnings]
        if "export_config" in args:
            stub.UpdateExportConfig(bb.UpdateExportConfigRequest(
                data_store_id=store, export_config=json_format.ParseDict(args["export_config"], bb.ExportConfig()),
                field_mask=sorted(args["export_config"])), timeout=T)
        if "import_config" in args:
            resp = stub.UpdateImportConfig(bb.UpdateImportConfigRequest(
                data_store_id=store, import_config=json_format.ParseDict(args["import_config"], bb.ImportConfig()),
                field_mask=sorted(args["import_config"])), timeout=T)
            warnings += [w.message for w in resp.warnings]
        return OK, {"warnings": warnings}
    return sim._op("configure", record, body, node=_manager(sim, domain))


def delete_volume(sim: "Sim", label: str, *, domain: str | None = None, keep_image: bool = False
                  ) -> dict[str, Any] | None:
    """Delete a volume in the UI (R54): its storage image, its DSM/TC entries and its BackBox record."""
    label = label.upper()
    domain = (domain or sim.primary_domain).upper()

    def body() -> tuple[str, Any]:
        resp = sim.topo.domain(domain).DeleteVolume(bb.DeleteVolumeRequest(label=label, user=USER,
                                                                          keep_image=keep_image), timeout=T)
        return OK, {"image_deleted": resp.image_deleted, "tape_catalog_entry_deleted": resp.tape_catalog_entry_deleted}
    return sim._op("delete_volume", {"domain": domain, "label": label, "keep_image": keep_image}, body,
                   node=_manager(sim, domain))


def job_stores(job: cs.Job) -> set[str]:
    """The data store ids a NetBatch job's macros name, after STOREID_ALIAS (R35); `ALL` for STOREID ALL. A text
    that no longer parses names nothing."""
    from catsync.macros import MacroError, parse_macros  # noqa: PLC0415

    try:
        return {(c.resolved_store_id or c.store_id).upper() for c in parse_macros(job.macro_text)}
    except MacroError:
        return set()


def job(sim: "Sim", **args: Any) -> dict[str, Any] | None:
    """Submit a NetBatch job that runs TACL text (BB026 / BB027) at a time of day, once or every period; or
    delete jobs (`delete: all`, a job name, or a data store id whose jobs go)."""
    validate_job(args, lambda path, msg: ScenarioError(f"job: {msg}"))
    node = parse_node(args.get("node") or sim.secondary_node)
    domain = sim._domain_of(node)
    stub = sim.topo.catalog_sync(domain)
    if "delete" in args:
        which = str(args["delete"]).upper()

        def delete_body() -> tuple[str, Any]:
            jobs = stub.ListJobs(cs.ListJobsRequest(node=node), timeout=T).jobs
            gone = [j for j in jobs if which == "ALL" or j.job_name.upper() == which or which in job_stores(j)]
            for j in gone:
                stub.DeleteJob(cs.DeleteJobRequest(node=node, job_number=j.job_number), timeout=T)
            if not gone and which != "ALL":
                return FAIL, {"error": f"no NetBatch job {which} on {node}", "deleted": []}
            return OK, {"deleted": [j.job_name for j in gone]}
        return sim._op("job", {"node": node, "delete": which}, delete_body, node=node)
    req = cs.ScheduleJobRequest(node=node, macro_text=args["macro"], job_name=str(args.get("name", "")).upper(),
                                user=USER)
    record: dict[str, Any] = {"node": node, "macro": args["macro"]}
    if "every" in args:
        seconds = parse_duration(args["every"])
        req.every.CopyFrom(Duration(seconds=seconds))
        record["every_seconds"] = seconds
    if "at" in args:
        # NetBatch times are the node's local time (its UTC offset in the topology)
        offset = timedelta(seconds=next((n.utc_offset_seconds for n in sim.spec.nodes if n.name == node), 0))
        local_now = datetime.fromisoformat(sim.now()) + offset
        first = datetime.combine(local_now.date(), _time_of_day(args["at"]), tzinfo=timezone.utc)
        if first <= local_now:
            first += timedelta(days=1)
        first -= offset
        ts = Timestamp()
        ts.FromDatetime(first)
        req.at.CopyFrom(ts)
        record["at"] = first.isoformat()

    def body() -> tuple[str, Any]:
        resp = stub.ScheduleJob(req, timeout=T)
        return OK, {"job": resp.job.job_name, "message": resp.message}
    return sim._op("job", record, body, node=node)


def _manager(sim: "Sim", domain: str) -> str:
    return sim.topo.manager_of(domain)
