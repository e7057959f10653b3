"""`expect`: assertions a scenario makes on what an operator sees — a status page, a report, the EMS log, MEDIACOM
output, a BackBox volume, a DSM/TC entry, or the outcome of the last operation of a kind.

```yaml
- expect: {export_status: DS_WIN1_DES, contains: "Pending Volumes"}
- expect: {import_status: E501_WIN1_SND, absent: FAILED}
- expect: {report: E501_WIN1_SND, contains: [I3342, W3332]}
- expect: {ems: \\ETINIUM, matches: "W3332 .*VG_WIN1_BRCOM"}
- expect: {mediacom: INFO TAPEVOLUME EW1008, node: \\ETINIUM, contains: EW1008}
- expect: {volume: EW1008, domain: YINE500, present: true, fields: {volume_group_id: VG_WIN1_DES2}}
- expect: {tapevolume: EW1008, node: \\ETINIUM, volcat: SHCH409VC, present: true}
- expect: {last: export, outcome: FAILED, error_contains: "250"}
```
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf import json_format

from catsync.v1 import catalog_sync_pb2 as cs
from emulator import rpc
from emulator.names import parse_node
from emulator.v1 import backbox_domain_pb2 as bb, guardian_pb2, media_catalog_pb2 as mc
from harness.errors import ScenarioError

if TYPE_CHECKING:
    from harness.sim import Sim

T = rpc.DEFAULT_DEADLINE
SUBJECTS = ("export_status", "import_status", "report", "ems", "mediacom", "volume", "tapevolume", "last")
TEXT_MATCHERS = ("contains", "absent", "matches")
ALLOWED = {
    "export_status": {"domain", *TEXT_MATCHERS}, "import_status": {"domain", *TEXT_MATCHERS},
    "report": {"domain", "kind", *TEXT_MATCHERS}, "ems": set(TEXT_MATCHERS),
    "mediacom": {"node", *TEXT_MATCHERS}, "volume": {"domain", "present", "fields"},
    "tapevolume": {"node", "volcat", "present", "status"},
    "last": {"outcome", "type", "error_contains", "value"},
}


SHOW_SUBJECTS = {"export_status": {"domain"}, "import_status": {"domain"}, "report": {"domain", "kind"},
                 "ems": {"last"}, "mediacom": {"node"}}


def show(sim: "Sim", spec: dict[str, Any]) -> dict[str, Any]:
    """What an operator would look at (`show` verb): the lines of a status page, a report, the EMS log (the
    `last` N events, default 8) or a MEDIACOM command's output."""
    subject = next(k for k in spec if k in SHOW_SUBJECTS)
    lines = _text(sim, subject, spec[subject], spec)
    if subject == "ems":
        lines = lines[-int(spec.get("last", 8)):]
    return {"subject": subject, "target": str(spec[subject]), "lines": lines}


def evaluate(sim: "Sim", spec: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """Check one expectation; (ok, value) where value says what was seen and, when not ok, `error`."""
    subjects = [k for k in spec if k in SUBJECTS]
    if len(subjects) != 1:
        raise ScenarioError(f"expect needs exactly one of {', '.join(SUBJECTS)}; got {', '.join(spec) or 'nothing'}")
    subject = subjects[0]
    extra = sorted(set(spec) - {subject} - ALLOWED[subject] - {"description"})
    if extra:
        raise ScenarioError(f"expect {subject}: unknown key {extra[0]!r}: allowed are "
                            f"{', '.join(sorted(ALLOWED[subject]))}")
    target = spec[subject]
    if subject == "last":
        return _last(sim, str(target), spec)
    if subject == "volume":
        return _volume(sim, str(target).upper(), spec)
    if subject == "tapevolume":
        return _tapevolume(sim, str(target).upper(), spec)
    if not any(k in spec for k in TEXT_MATCHERS):
        raise ScenarioError(f"expect {subject}: say what to look for with contains:, absent: or matches:")
    lines = _text(sim, subject, target, spec)
    return _match_text(f"{subject} {target}", lines, spec)


def _text(sim: "Sim", subject: str, target: Any, spec: dict[str, Any]) -> list[str]:
    if subject == "ems":
        node = parse_node(str(target))
        events = sim.topo.guardian(node).ReadEvents(guardian_pb2.ReadEventsRequest(), timeout=T).events
        return [e.text for e in events]
    if subject == "mediacom":
        node = parse_node(str(spec.get("node") or sim.secondary_node))
        resp = sim.topo.media_catalog(node).Mediacom(mc.MediacomRequest(text=str(target), user="SUPER.SUPER"),
                                                     timeout=T)
        return resp.output.splitlines()
    store = str(target).upper()
    domain = str(spec.get("domain") or _store_domain(sim, store)).upper()
    stub = sim.topo.catalog_sync(domain)
    if subject == "export_status":
        return list(stub.GetExportStatus(cs.GetExportStatusRequest(data_store_id=store), timeout=T).lines)
    if subject == "import_status":
        return list(stub.GetImportStatus(cs.GetImportStatusRequest(data_store_id=store), timeout=T).lines)
    kind = str(spec.get("kind") or ("import" if store in _secondary_stores(sim) else "export")).lower()
    if kind not in ("export", "import"):
        raise ScenarioError(f"expect report: kind {kind!r} must be export or import")
    try:
        resp = stub.GetReport(cs.GetReportRequest(data_store_id=store, kind=(
            cs.PROCESS_KIND_IMPORT if kind == "import" else cs.PROCESS_KIND_EXPORT)), timeout=T)
    except grpc.RpcError as exc:
        if exc.code() == grpc.StatusCode.NOT_FOUND:
            return []
        raise
    return list(resp.lines)


def _match_text(what: str, lines: list[str], spec: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    text = "\n".join(lines)
    problems, seen = [], []
    for needle in _list(spec.get("contains")):
        hit = next((line for line in lines if needle in line), None)
        if hit is None:
            problems.append(f"{what} has no line containing {needle!r}")
        else:
            seen.append(hit.strip())
    for needle in _list(spec.get("absent")):
        hit = next((line for line in lines if needle in line), None)
        if hit is not None:
            problems.append(f"{what} has a line containing {needle!r}: {hit.strip()}")
    for pattern in _list(spec.get("matches")):
        try:
            found = re.search(pattern, text, re.MULTILINE)
        except re.error as exc:
            raise ScenarioError(f"expect: matches {pattern!r} is not a regular expression: {exc}") from None
        if found is None:
            problems.append(f"{what} matches nothing of /{pattern}/")
        else:
            seen.append(found.group(0))
    value: dict[str, Any] = {"seen": seen[:10], "lines": len(lines)}
    if problems:
        value["error"] = "; ".join(problems)
        value["excerpt"] = [line for line in lines[-15:]]
    return not problems, value


def _volume(sim: "Sim", label: str, spec: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    domain = str(spec.get("domain") or sim.secondary_domain).upper()
    want_present = bool(spec.get("present", True))
    try:
        volume = sim.topo.domain(domain).GetVolume(bb.GetVolumeRequest(label=label), timeout=T).volume
        data = json_format.MessageToDict(volume, preserving_proto_field_name=True)
        present = True
    except grpc.RpcError as exc:
        if exc.code() != grpc.StatusCode.NOT_FOUND:
            raise
        data, present = {}, False
    value: dict[str, Any] = {"domain": domain, "label": label, "present": present}
    problems = []
    if present != want_present:
        problems.append(f"volume {label} is {'in' if present else 'not in'} the BackBox catalog of {domain}")
    for key, expected in (spec.get("fields") or {}).items():
        if key not in bb.BackBoxVolume.DESCRIPTOR.fields_by_name:
            raise ScenarioError(f"expect volume: {key!r} is not a BackBoxVolume field (see backbox_domain.proto)")
        actual = data.get(key)
        value.setdefault("fields", {})[key] = actual
        if present and str(actual) != str(expected) and not str(actual).endswith(f"_{expected}"):
            problems.append(f"volume {label}: {key} is {actual!r}, expected {expected!r}")
    if problems:
        value["error"] = "; ".join(problems)
    return not problems, value


def _tapevolume(sim: "Sim", label: str, spec: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    node = parse_node(str(spec.get("node") or sim.secondary_node))
    volcat = str(spec.get("volcat") or "").upper()
    if not volcat:
        raise ScenarioError("expect tapevolume: give the VOLCAT, e.g. volcat: SHCH409VC")
    qualified = volcat if volcat.startswith("\\") else f"{node}.{volcat}"
    found = None
    for msg in sim.topo.media_catalog(node).ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
            volcat=qualified, volsers=[label]), timeout=T):
        if not msg.continued and msg.found:
            found = msg.volume
    want = bool(spec.get("present", True))
    value: dict[str, Any] = {"node": node, "volcat": qualified, "label": label, "present": found is not None}
    problems = []
    if (found is not None) != want:
        problems.append(f"TAPEVOLUME {label} is {'in' if found is not None else 'not in'} {qualified}")
    if found is not None and "status" in spec:
        status = mc.VolumeStatus.Name(found.status).removeprefix("VOLUME_STATUS_")
        value["status"] = status
        if status != str(spec["status"]).upper():
            problems.append(f"TAPEVOLUME {label} is {status}, expected {str(spec['status']).upper()}")
    if problems:
        value["error"] = "; ".join(problems)
    return not problems, value


def _last(sim: "Sim", f: str, spec: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    done = [e for e in sim.history.events if e.f == f and e.type != "invoke" and e.process == "harness"]
    if not done:
        return False, {"error": f"no {f} operation has completed yet"}
    last = done[-1]
    value: dict[str, Any] = {"index": last.index, "type": last.type, "error_text": last.error}
    result = last.value if isinstance(last.value, dict) else {}
    problems = []
    if "type" in spec and last.type != str(spec["type"]):
        problems.append(f"the last {f} ended {last.type}, expected {spec['type']}")
    if "outcome" in spec:
        outcome = result.get("outcome", "")
        value["outcome"] = outcome
        if outcome != str(spec["outcome"]).upper():
            problems.append(f"the last {f} ended {outcome or last.type}, expected {str(spec['outcome']).upper()}")
    if "error_contains" in spec and str(spec["error_contains"]) not in last.error:
        problems.append(f"the last {f}'s error {last.error!r} does not contain {spec['error_contains']!r}")
    for key, expected in (spec.get("value") or {}).items():
        if str(result.get(key)) != str(expected):
            problems.append(f"the last {f}: {key} is {result.get(key)!r}, expected {expected!r}")
    if problems:
        value["error"] = "; ".join(problems)
    return not problems, value


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _secondary_stores(sim: "Sim") -> set[str]:
    return {p[3] for p in sim.roles.pairs}


def _store_domain(sim: "Sim", store: str) -> str:
    bbx = sim.spec.backbox
    for d in (bbx.domains if bbx else ()):
        if any(ds.store.id == store for ds in d.data_stores):
            return d.id
    raise ScenarioError(f"no domain of topology {sim.spec.name} has a data store {store}: give domain:")
