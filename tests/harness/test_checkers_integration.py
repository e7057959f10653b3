r"""The checkers on a real started topology (tests/backbox two sites: E501NEW on \INSIDX, YINE500 on \ETINIUM, real
gRPC servers, real SQLite): backup → FULL export → FULL import → all checkers valid; then the secondary is
damaged through the public services (MEDIACOM on \ETINIUM, the secondary domain's DeleteVolumes, ALTER MEDIADEFS
SSL) and the checkers name exactly what was broken."""

from __future__ import annotations

import json
from datetime import timezone
from pathlib import Path
from typing import Any, Iterator

import pytest

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, control_pb2, media_catalog_pb2 as mc
from harness.checkers import CHECKERS, check_run_dir
from harness.history import History
from harness.launcher import Topology
from tests.backbox.conftest import make_sites, topology_dict
from tests.catsync.conftest import PRI, SEC, SEC_STORE, STORE, T, advance, backup, export, import_, settle
from tests.harness.test_checkers_world import World

FIXTURES = (make_sites,)
SALES = "\\INSIDX.$DATA01.SALES."


def sites_dict() -> dict[str, Any]:
    """The two sites with every primary group mapped, Nodes Replacement \\INSIDX -> \\ETINIUM and LTO4 media at
    the secondary (R10, R15, R44)."""
    data = topology_dict()
    sec_store = data["domains"][1]["data_stores"][0]
    sec_store["import_config"]["node_replacements"] = [{"old_node": "\\INSIDX", "new_node": "\\ETINIUM"}]
    groups = sec_store["volume_groups"]
    groups[0]["media_type"] = "LTO4"
    groups.append({"id": "VG_WIN1_ENC2", "primary_volume_group_id": "VG_WIN1_ENC", "tape_catalog": "DSMTC",
                   "volcat": "SHCH409VC", "pool": "E501_WIN_2ND", "filecat": "SHCH409FC", "max_volume_size_mb": 1,
                   "encryption_algorithm": "AES256-GCM", "key_manager_id": "KM1"})
    groups.append({"id": "VG_NC_2ND", "primary_volume_group_id": "VG_WIN1_DES_NC", "tape_catalog": "NONE",
                   "max_volume_size_mb": 1})
    return data


class Run:
    """A run directory written the way the runner writes one: history.jsonl and dumps/<name>.json."""

    def __init__(self, topo: Topology, path: Path):
        self.topo, self.path = topo, path
        (path / "dumps").mkdir(parents=True)
        self.history = History(sink=path / "history.jsonl", now=self.now)

    def now(self) -> str:
        utc = self.topo.clock_service().GetTime(clock_pb2.GetTimeRequest(), timeout=T).utc
        return utc.ToDatetime(timezone.utc).isoformat()

    def dump(self, name: str) -> dict:
        text = self.topo.control_service().DumpState(control_pb2.DumpStateRequest(
            include_files=True, include_ems=True), timeout=T).json
        (self.path / "dumps" / f"{name}.json").write_text(text)
        return json.loads(text)

    def backup(self, file_id: str, group: str, **kw: Any) -> None:
        invoked = self.history.invoke("backup", {"group": group, "file_id": file_id})
        resp = backup(self.topo, file_id=file_id, group=group, **kw)
        self.history.complete(invoked, "ok", {
            "domain": PRI, "data_store": STORE, "group": group, "node": "\\INSIDX",
            "file_id": resp.tape_file.file_id or file_id, "generation": resp.tape_file.generation,
            "labels": [v.label for v in resp.volumes], "encrypted": any(v.encrypted for v in resp.volumes),
            "disk_files": int(resp.disk_file_count), "checksum": resp.checksum, "expiration": ""})
        settle(self.topo)          # the automatic UPDATE export the unload triggered (R27) ends here

    def export(self, type_: str) -> None:
        args = {"domain": PRI, "data_store": STORE, "type": type_, "trigger": "UI"}
        invoked = self.history.invoke("export", args)
        run = export(self.topo, type_=getattr(cs, f"SYNC_TYPE_{type_}"))
        name = f"export-{invoked.index}"
        self.dump(name)
        ok = run.status == cs.PROCESS_STATUS_FINISHED
        self.history.complete(invoked, "ok" if ok else "fail", {
            **args, "export_id": run.export_id, "outcome": "COMPLETED" if ok else "FAILED",
            "volumes": run.volumes_processed, "dump": name})
        assert ok, run

    def import_(self, type_: str) -> None:
        args = {"domain": SEC, "data_store": SEC_STORE, "type": type_, "trigger": "UI"}
        invoked = self.history.invoke("import", args)
        run = import_(self.topo, type_=getattr(cs, f"SYNC_TYPE_{type_}"), catalog_files=cs.CATALOG_FILES_OPTION_YES)
        ok = run.status == cs.PROCESS_STATUS_FINISHED and not run.volume_errors
        self.history.complete(invoked, "ok" if ok else "fail", {
            **args, "export_id": run.export_id, "outcome": "COMPLETED" if ok else "FAILED",
            "volumes": run.volumes_processed, "catalog_files": True})
        assert ok, run

    def check(self, **kw: Any) -> dict[str, Any]:
        self.dump("final")
        return {r.checker: r for r in check_run_dir(self.path, **kw)}


@pytest.fixture
def synced(make_sites, tmp_path) -> Iterator[Run]:
    """backup (plain, encrypted with DISKFILEs, no-catalog) → FULL export → 10 min (storage and key replication
    catch up) → FULL import with DISKFILEs."""
    topo = make_sites(sites_dict())
    run = Run(topo, tmp_path / "run")
    run.backup("E501NEW-OBK11-WIN1", "VG_WIN1_DES")
    run.backup("E501NEW-OBK11-ENC", "VG_WIN1_ENC", catalog_files=True, disk_file_count=3, disk_file_prefix=SALES)
    run.backup("E501NEW-OBK11-NC", "VG_WIN1_DES_NC")
    run.export("FULL")
    advance(topo, minutes=10)
    run.import_("FULL")
    yield run


def mediacom(run: Run, node: str, text: str) -> None:
    resp = run.topo.media_catalog(node).Mediacom(mc.MediacomRequest(text=text, user="SUPER.SUPER"), timeout=T)
    assert resp.ok, resp.output


@pytest.mark.rule("R14")
@pytest.mark.rule("R15")
@pytest.mark.rule("R44")
@pytest.mark.rule("R50")
def test_every_checker_is_valid_when_a_real_full_sync_ran(synced):
    results = synced.check(rpo_limit_seconds=0)
    assert {name: r.verdict for name, r in results.items()} == {name: "valid" for name in CHECKERS}, results
    assert "17 volumes compared" in results["consistency"].summary
    assert "all 3 volumes the primary can restore" in results["recoverability"].summary
    final = json.loads((synced.path / "dumps" / "final.json").read_text())
    disk_names = [d["disk_file_name"] for d in final["nodes"]["\\ETINIUM"]["tables"]["dsm_diskfile"]]
    assert disk_names == [f"\\ETINIUM.$DATA01.SALES.F000000{n}" for n in (1, 2, 3)]   # the checker compared them


def test_the_test_world_uses_only_keys_a_real_dump_has(synced):
    """The hand-written worlds of the other checker tests are in the real dump's shape."""
    real = synced.dump("final")
    world = World()
    world.backup("EW1001", disk_files=(SALES + "F1",))
    world.backup("EK1001", group="VG_WIN1_ENC", file_id="E")
    world.replicate()
    fake = world.state()

    def keys(rows: list[dict]) -> set[str]:
        return {k for r in rows for k in r}
    for node in ("\\INSIDX", "\\ETINIUM"):
        for table, rows in fake["nodes"][node]["tables"].items():
            assert keys(rows) <= keys(real["nodes"][node]["tables"][table]), (node, table)
        for part in ("volumes", "pending_exports"):
            assert keys(fake["nodes"][node]["backbox"][part]) <= keys(real["nodes"][node]["backbox"][part]) | {
                "pending_export"}, (node, part)
        for kind, rows in fake["nodes"][node]["backbox"]["config"].items():
            assert keys(rows) - {"primary_volume_group_id", "filecat", "import_config", "tmf_node",
                                 "encryption_algorithm", "key_manager_id"} <= \
                keys(real["nodes"][node]["backbox"]["config"][kind]), (node, kind)
    for name, service in fake["services"].items():
        inner = "images" if name.startswith("storage:") else "keys"
        assert keys(service[inner]) <= keys(real["services"][name][inner]), name


@pytest.mark.rule("R24")
def test_consistency_names_the_tapevolume_mediacom_deleted_on_the_secondary(synced):
    mediacom(synced, "\\ETINIUM", "DELETE TAPEVOLUME EW1002, VOLCAT SHCH409VC")     # a SCRATCH volume
    results = synced.check()
    assert results["consistency"].verdict == "invalid"
    assert results["consistency"].evidence == ({
        "kind": "missing", "data_store": SEC_STORE, "label": "EW1002", "what": "tapevolume",
        "catalog": "\\ETINIUM.SHCH409VC", "pool": "E501_WIN_2ND", "rule": "R24"},)
    assert results["recoverability"].verdict == "valid"          # EW1002 holds nothing to restore


@pytest.mark.rule("R22")
def test_consistency_and_recoverability_name_the_volume_deleted_in_the_secondary_domain(synced):
    synced.topo.domain(SEC).DeleteVolumes(bb.DeleteVolumesRequest(data_store_id=SEC_STORE, labels=["ENCS01"]),
                                          timeout=T)
    results = synced.check()
    assert results["consistency"].evidence == ({
        "kind": "missing", "data_store": SEC_STORE, "label": "ENCS01", "what": "backbox", "rule": "R22"},)
    assert results["recoverability"].evidence == ({
        "kind": "missing-record", "data_store": SEC_STORE, "label": "ENCS01", "rule": "R22"},)


@pytest.mark.rule("R3")
def test_label_uniqueness_is_invalid_when_the_secondary_ssl_takes_in_the_primary(synced):
    mediacom(synced, "\\ETINIUM", "ALTER MEDIADEFS , SSL (\\ETINIUM, \\INSIDX)")
    results = synced.check()
    res = results["label-uniqueness"]
    assert res.verdict == "invalid"
    assert {e["label"] for e in res.evidence} == {f"EW{n}" for n in range(1001, 1011)} | \
        {f"EK{n}" for n in range(1001, 1005)}
    assert res.evidence[0]["entries"] == ["\\ETINIUM.SHCH409VC pool E501_WIN_2ND", "\\INSIDX.QCVOLCAT pool E501_WIN1"]


def test_rpo_is_invalid_when_a_newer_backup_was_not_imported(synced):
    advance(synced.topo, hours=1)                           # 20:00 backups, 20:10 import, now 21:10
    synced.backup("E501NEW-OBK11-WIN1", "VG_WIN1_DES")      # exported automatically, never imported
    advance(synced.topo, minutes=10)
    results = synced.check(rpo_limit_seconds=1800)
    res = results["rpo"]
    assert res.verdict == "invalid"
    (e,) = res.evidence
    assert e["kind"] == "rpo-exceeded" and e["rpo_seconds"] == 4200
    assert e["newest_primary"]["generation"] == 2 and e["newest_secondary"]["generation"] == 1
    assert results["consistency"].verdict == "valid"        # the secondary still matches its last import
