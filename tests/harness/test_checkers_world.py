r"""A small two-site world for the checker tests, written as state dumps of the real shape (see
emulator/control.py `dump_state`; the integration test pins that the keys used here exist in a real dump):

- \INSIDX: domain E501NEW, PRIMARY store DS_WIN1_DES with VG_WIN1_DES (DSM/TC \INSIDX.QCVOLCAT pool E501_WIN1,
  FILECAT QCFILCAT), VG_WIN1_ENC (DSM/TC, encrypted, key manager KM1 = ESKM-PRI), VG_NC (no catalog) and VG_TMF
  (TMF, not mapped at the secondary); storage STO_PRI.
- \ETINIUM: domain YINE500, SECONDARY store E501_WIN1_SND (primary DS_WIN1_DES, Nodes Replacement \INSIDX ->
  \ETINIUM) with VG_WIN1_DES2 (-> VG_WIN1_DES, \ETINIUM.SHCH409VC pool E501_WIN_2ND, FILECAT SHCH409FC, media
  LTO4), VG_WIN1_ENC2 (-> VG_WIN1_ENC, same catalogs, no media type of its own), VG_NC_2ND (-> VG_NC, no catalog);
  a local VOLCAT LOCALVC pool LOCAL_POOL and FILECAT LOCALFC; storage STO_SEC; key manager KM1 = ESKM-SEC.

`replicate()` writes the secondary exactly as the rules say it should hold the primary (R10, R14, R15, R22, R44,
R50): the checkers must find nothing then, and each test breaks one thing.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from harness.history import History

PRI, SEC = "\\INSIDX", "\\ETINIUM"
PRI_DOMAIN, SEC_DOMAIN = "E501NEW", "YINE500"
PRI_STORE, SEC_STORE = "DS_WIN1_DES", "E501_WIN1_SND"
T0 = "2025-09-23T20:00:00+00:00"
US0 = 1758657600000000
DAY_US = 86_400 * 1_000_000
DSMTC, NONE, TMF = "TAPE_CATALOG_TYPE_DSMTC", "TAPE_CATALOG_TYPE_NONE", "TAPE_CATALOG_TYPE_TMF"


def _group(gid: str, store: str, catalog: str, **kw: Any) -> dict:
    return {"id": gid, "data_store_id": store, "tape_catalog": catalog, "max_volume_size_mb": "1", **kw}


def _node(number: int, ssl: list[str], pools: list[tuple[str, str]], backbox: dict) -> dict:
    return {"up": True, "epoch": 0, "number": number, "utc_offset_seconds": 0, "backbox": backbox, "tables": {
        "dsm_mediadefs": [{"id": 1, "ssl": json.dumps(ssl)}],
        "dsm_pool": [{"volcat": vc, "name": p, "searchspace_in": 1, "media_type": "LTO3"} for vc, p in pools],
        "dsm_volume": [], "dsm_tapefile": [], "dsm_tftov": [], "dsm_diskfile": []}}


class World:
    """Builds the primary's state, replicates it by the rules, and hands out dumps to tamper with."""

    def __init__(self, utc: str = "2025-09-23T21:00:00+00:00"):
        pri_bb = {"config": {
            "domain": [{"domain_id": PRI_DOMAIN, "domain_manager_node": PRI}],
            "data_store": [{"id": PRI_STORE, "domain_access": "DOMAIN_ACCESS_PRIMARY",
                            "pools": [{"kind": "STORAGE_POOL_KIND_STORAGE", "storage_id": "STO_PRI"}]}],
            "volume_group": [
                _group("VG_WIN1_DES", PRI_STORE, DSMTC, volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1",
                       media_type="LTO3"),
                _group("VG_WIN1_ENC", PRI_STORE, DSMTC, volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1",
                       media_type="LTO3", encryption_algorithm="AES256-GCM", key_manager_id="KM1"),
                _group("VG_NC", PRI_STORE, NONE, media_type="LTO3"),
                _group("VG_TMF", PRI_STORE, TMF, media_type="LTO3", tmf_node=PRI)],
            "key_manager": [{"id": "KM1", "server_name": "ESKM-PRI"}]},
            "volumes": [], "pending_exports": []}
        sec_bb = {"config": {
            "domain": [{"domain_id": SEC_DOMAIN, "domain_manager_node": SEC}],
            "data_store": [{"id": SEC_STORE, "domain_access": "DOMAIN_ACCESS_SECONDARY",
                            "primary_data_store_id": PRI_STORE,
                            "pools": [{"kind": "STORAGE_POOL_KIND_STORAGE", "storage_id": "STO_SEC"}],
                            "import_config": {"import_source": "\\ETINIUM.$DATA15.E5CATSYN",
                                              "node_replacements": [{"old_node": PRI, "new_node": SEC}]}}],
            "volume_group": [
                _group("VG_WIN1_DES2", SEC_STORE, DSMTC, primary_volume_group_id="VG_WIN1_DES",
                       volcat="\\ETINIUM.SHCH409VC", pool="E501_WIN_2ND", filecat="\\ETINIUM.SHCH409FC",
                       media_type="LTO4"),
                _group("VG_WIN1_ENC2", SEC_STORE, DSMTC, primary_volume_group_id="VG_WIN1_ENC",
                       volcat="\\ETINIUM.SHCH409VC", pool="E501_WIN_2ND", filecat="\\ETINIUM.SHCH409FC",
                       key_manager_id="KM1"),
                _group("VG_NC_2ND", SEC_STORE, NONE, primary_volume_group_id="VG_NC")],
            "key_manager": [{"id": "KM1", "server_name": "ESKM-SEC"}]},
            "volumes": [], "pending_exports": []}
        self.data: dict[str, Any] = {
            "topology": "checker-world", "seed": 1, "utc": utc,
            "nodes": {PRI: _node(12, [PRI], [("QCVOLCAT", "E501_WIN1")], pri_bb),
                      SEC: _node(14, [SEC], [("SHCH409VC", "E501_WIN_2ND"), ("LOCALVC", "LOCAL_POOL")], sec_bb)},
            "services": {"storage:STO_PRI": {"storage_id": "STO_PRI", "images": []},
                         "storage:STO_SEC": {"storage_id": "STO_SEC", "images": []},
                         "keys:ESKM-PRI": {"server": "ESKM-PRI", "keys": []},
                         "keys:ESKM-SEC": {"server": "ESKM-SEC", "keys": []}}}

    # -- accessors (for tests that tamper) ---------------------------------------------------------------------
    def tables(self, node: str = SEC) -> dict[str, list[dict]]:
        return self.data["nodes"][node]["tables"]

    def backbox(self, node: str = SEC) -> dict:
        return self.data["nodes"][node]["backbox"]

    def records(self, node: str = SEC) -> dict[str, dict]:
        return {v["label"]: v for v in self.backbox(node)["volumes"]}

    def images(self, storage: str = "STO_SEC") -> list[dict]:
        return self.data["services"][f"storage:{storage}"]["images"]

    def keys(self, server: str = "ESKM-SEC") -> list[dict]:
        return self.data["services"][f"keys:{server}"]["keys"]

    def group(self, gid: str, node: str = SEC) -> dict:
        return next(g for g in self.backbox(node)["config"]["volume_group"] if g["id"] == gid)

    def state(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)

    # -- the primary ---------------------------------------------------------------------------------------------
    def scratch(self, label: str, group: str = "VG_WIN1_DES") -> None:
        """A DSM/TC volume of the group with nothing written (SCRATCH)."""
        g = self.group(group, PRI)
        self.backbox(PRI)["volumes"].append({
            "label": label, "labeled": True, "volume_group_id": group, "data_store_id": PRI_STORE,
            "catalog_type": g["tape_catalog"], "volcat": g.get("volcat", ""), "pool": g.get("pool", ""),
            "catalog_status": "VOLUME_STATUS_SCRATCH", "media_type": "LTO3", "read_access": "A", "write_access": "A",
            "control_access": "G", "owner_node": PRI, "created_time": "2025-09-23T20:00:00Z", "change_sequence": "1"})
        self.tables(PRI)["dsm_volume"].append(self._tape_volume(label, "SCRATCH", ""))

    def backup(self, labels: str | list[str], group: str = "VG_WIN1_DES", file_id: str = "E501NEW-OBK11-WIN1",
               generation: int = 1, disk_files: tuple[str, ...] = (), time: str = T0,
               expiration_us: int = US0 + 30 * DAY_US) -> dict[str, Any]:
        """Labels written by one backup at the primary; returns the backup event's ok value."""
        labels = [labels] if isinstance(labels, str) else list(labels)
        g = self.group(group, PRI)
        encrypted = bool(g.get("encryption_algorithm"))
        pri = self.tables(PRI)
        stamp = time.replace("+00:00", "Z")
        for n, label in enumerate(labels, 1):
            self.backbox(PRI)["volumes"] = [v for v in self.backbox(PRI)["volumes"] if v["label"] != label]
            rec = {"label": label, "labeled": True, "volume_group_id": group, "data_store_id": PRI_STORE,
                   "catalog_type": g["tape_catalog"], "media_type": "LTO3", "read_access": "A", "write_access": "A",
                   "control_access": "G", "owner_node": PRI, "owner_user": "SUPER.SUPER",
                   "created_time": "2025-09-23T20:00:00Z", "volume_timestamp": stamp, "unload_time": stamp,
                   "last_written_time": stamp, "materialized": True, "data_bytes": "38006", "index_bytes": "520",
                   "last_index_path": f"\\\\bbvtc1\\pri\\LB{label}.IND", "change_sequence": "7",
                   "pending_export": True}
            if g["tape_catalog"] == DSMTC:
                rec.update(volcat=g["volcat"], pool=g["pool"], filecat="\\INSIDX.QCFILCAT",
                           catalog_status="VOLUME_STATUS_ASSIGNED",
                           first_non_expired_tape_file={"file_id": file_id, "generation": generation,
                                                        "vol_index": n})
                pri["dsm_volume"] = [r for r in pri["dsm_volume"] if r["volser"] != label]
                pri["dsm_volume"].append(self._tape_volume(label, "ASSIGNED", labels[0], n))
            elif g["tape_catalog"] == TMF:
                rec["tmf_node"] = PRI
            if encrypted:
                key = f"E501NEW-{label}-{generation}"
                rec.update(encrypted=True, encryption_algorithm="AES256-GCM", key_manager_id="KM1",
                           media_key_name=key)
                self.keys("ESKM-PRI").append({"name": key, "fingerprint": f"fp-{key}", "state": "ACTIVE",
                                              "destroyed": "", "replica": False})
            self.backbox(PRI)["volumes"].append(rec)
            self.images("STO_PRI")[:] = [i for i in self.images("STO_PRI") if i["label"] != label]
            self.images("STO_PRI").append({"label": label, "labeled": True, "object_name": f"LB{label}",
                                           "checksum": f"sum-{label}-{file_id}-{generation}", "encrypted": encrypted,
                                           "replica": False, "path": "\\\\bbvtc1\\pri"})
        if g["tape_catalog"] == DSMTC:
            key = {"filecat": "QCFILCAT", "file_id": file_id, "generation": generation, "version": 0}
            pri["dsm_tapefile"].append({**key, "volcat": "QCVOLCAT", "pool": g["pool"], "volset_id": labels[0],
                                        "status": "VALID", "creation_us": US0, "expiration_us": expiration_us,
                                        "permanent": 0, "mode": "BKFI", "record_format": "FI",
                                        "catalog_files": int(bool(disk_files)), "physical_copy": 1,
                                        "logical_copy": 1, "comment": ""})
            for n, label in enumerate(labels, 1):
                pri["dsm_tftov"].append({**key, "volser": label, "vol_index": n, "file_section": n,
                                         "file_sequence": 1, "file_seq_label_lba": 0})
            for name in disk_files:
                pri["dsm_diskfile"].append({**key, "disk_file_name": name, "status": "VALID", "vol_index": 1,
                                            "volset_id": labels[0], "time_dumped_us": US0})
        return {"domain": PRI_DOMAIN, "data_store": PRI_STORE, "group": group, "node": PRI, "file_id": file_id,
                "generation": generation if g["tape_catalog"] == DSMTC else 0, "labels": labels,
                "encrypted": encrypted, "disk_files": len(disk_files), "checksum": "c", "expiration": ""}

    def exported(self) -> None:
        """The export cleared the pending flags (R20)."""
        for v in self.backbox(PRI)["volumes"]:
            v.pop("pending_export", None)
        self.backbox(PRI)["pending_exports"] = []

    def pending(self, label: str) -> None:
        self.backbox(PRI)["pending_exports"].append({"data_store_id": PRI_STORE, "label": label})

    @staticmethod
    def _tape_volume(label: str, status: str, volset: str, index: int = 0) -> dict:
        return {"volcat": "QCVOLCAT", "volser": label, "pool": "E501_WIN1", "status": status, "media_type": "LTO3",
                "label": "ANSI", "density": "ANY", "volset_id": volset, "vol_index": index, "owner_id": "",
                "end_of_data_lba": 0, "tape_format": "", "last_changed_us": US0}

    # -- the secondary, as the rules say it should be ----------------------------------------------------------
    def replicate(self, *labels: str) -> None:
        """Write the secondary's copy of the primary's volumes (all when no label is given)."""
        mapping = {"VG_WIN1_DES": "VG_WIN1_DES2", "VG_WIN1_ENC": "VG_WIN1_ENC2", "VG_NC": "VG_NC_2ND"}
        pri, sec = self.tables(PRI), self.tables(SEC)
        for rec in [v for v in self.backbox(PRI)["volumes"] if not labels or v["label"] in labels]:
            target = mapping.get(rec["volume_group_id"])
            if target is None:
                continue                                                  # R39: no group here, not imported
            label, tg = rec["label"], self.group(target)
            new = {k: v for k, v in rec.items() if k != "pending_export"}
            new.update(data_store_id=SEC_STORE, volume_group_id=target, write_access=".",
                       imported_export_id="2025-09-23_20:30:00", imported_time="2025-09-23T20:40:00Z",
                       change_sequence="99")
            if tg["tape_catalog"] == DSMTC:                               # R14, R44
                new.update(volcat=tg["volcat"], pool=tg["pool"], filecat=tg["filecat"])
                if tg.get("media_type"):
                    new["media_type"] = tg["media_type"]
            else:
                for name in ("volcat", "pool", "filecat", "tmf_node", "catalog_status",
                             "first_non_expired_tape_file"):
                    new.pop(name, None)
                new["catalog_type"] = NONE
            vols = self.backbox(SEC)["volumes"]
            vols[:] = [v for v in vols if v["label"] != label] + [new]
            if tg["tape_catalog"] == DSMTC and rec.get("catalog_type") == DSMTC:
                self._replicate_dsmtc(label, tg, pri, sec)
            image = next((i for i in self.images("STO_PRI") if i["label"] == label), None)
            if image is not None:
                self.images()[:] = [i for i in self.images() if i["label"] != label] + [
                    {**image, "replica": True, "path": "\\\\bbvtc2\\sec"}]
            key = next((k for k in self.keys("ESKM-PRI") if k["name"] == rec.get("media_key_name")), None)
            if key is not None and key["name"] not in {k["name"] for k in self.keys()}:
                self.keys().append({**key, "replica": True})

    def _replicate_dsmtc(self, label: str, tg: dict, pri: dict, sec: dict) -> None:
        for row in [r for r in pri["dsm_volume"] if r["volser"] == label]:
            new = {**row, "volcat": "SHCH409VC", "pool": tg["pool"], "last_changed_us": US0 + 1}
            if tg.get("media_type"):
                new["media_type"] = tg["media_type"]
            sec["dsm_volume"] = [r for r in sec["dsm_volume"] if r["volser"] != label] + [new]
        keys = {(t["file_id"], t["generation"], t["version"]) for t in pri["dsm_tftov"] if t["volser"] == label}
        for table in ("dsm_tapefile", "dsm_tftov", "dsm_diskfile"):
            for row in [r for r in pri[table] if (r["file_id"], r["generation"], r["version"]) in keys]:
                new = {**row, "filecat": "SHCH409FC"}
                if table == "dsm_tapefile":
                    new.update(volcat="SHCH409VC", pool=tg["pool"])
                if table == "dsm_diskfile":
                    new["disk_file_name"] = new["disk_file_name"].replace(PRI + ".", SEC + ".", 1)   # R15
                if new not in sec[table]:
                    sec[table].append(new)


# -- histories ---------------------------------------------------------------------------------------------------

class Story:
    """A history written with the harness's own History: the run-dir event conventions, virtual times given."""

    def __init__(self) -> None:
        self.history = History()
        self.time = T0

    def at(self, time: str) -> "Story":
        self.time = time
        return self

    def op(self, f: str, args: dict, type_: str, value: Any, *, error: str = "") -> int:
        invoked = self.history.add("invoke", f, value=args, time_=self.time)
        done = self.history.add(type_, f, value=value, error=error, time_=self.time)
        assert invoked.index + 1 == done.index
        return invoked.index

    def backup(self, value: dict) -> "Story":
        self.op("backup", {"group": value["group"]}, "ok", value)
        return self

    def export(self, type_: str = "FULL", *, ok: bool = True, dump: bool = True, store: str = PRI_STORE) -> str:
        """An export; returns the name of its dump (`export-<i>`, "" without one)."""
        index = len(self.history)
        name = f"export-{index}" if dump else ""
        args = {"domain": PRI_DOMAIN, "data_store": store, "type": type_, "trigger": "UI"}
        value = {**args, "export_id": "2025-09-23_20:30:00", "outcome": "COMPLETED" if ok else "FAILED",
                 "volumes": 1, **({"dump": name} if dump else {})}
        self.op("export", args, "ok" if ok else "fail", value)
        return name

    def auto_export(self, *, ok: bool = True) -> "Story":
        self.history.add("ok" if ok else "fail", "auto-export", process="$X0A1", node=PRI, time_=self.time,
                         value={"program": "BBCSEXP", "param": f"STOREID {PRI_STORE}, TRIGGER AUTOMATIC",
                                "completion_code": 0 if ok else 2})
        return self

    def import_(self, type_: str = "FULL", *, ok: bool = True, catalog_files: bool | None = None,
                indefinite: bool = False) -> "Story":
        args = {"domain": SEC_DOMAIN, "data_store": SEC_STORE, "type": type_, "trigger": "UI"}
        value = {**args, "export_id": "2025-09-23_20:30:00", "outcome": "COMPLETED" if ok else "FAILED",
                 "volumes": 1}
        if catalog_files is not None:
            value["catalog_files"] = catalog_files
        if indefinite:      # UNAVAILABLE / DEADLINE_EXCEEDED: it may or may not have run
            self.op("import", args, "info", None, error="UNAVAILABLE: node \\ETINIUM is down")
        else:
            self.op("import", args, "ok" if ok else "fail", value)
        return self

    def check(self, dump: str) -> "Story":
        self.op("check", {"checkers": "all"}, "ok", {"dump": dump, "checks": []})
        return self

    @property
    def events(self) -> list:
        return list(self.history.events)


def synced(world: World, *, import_type: str = "FULL", catalog_files: bool | None = None) -> tuple[list, dict]:
    """The primary as `world` holds it → FULL export (dump) → replicate → import: the history and dumps of a
    clean run (no backup events: the consistency checkers do not need them)."""
    story = Story()
    world.exported()
    name = story.export("FULL")
    dumps = {name: world.state()}
    world.replicate()
    story.at("2025-09-23T20:40:00+00:00").import_(import_type, catalog_files=catalog_files)
    dumps["final"] = world.state()
    return story.events, dumps


def test_world_is_json_and_replicates_idempotently():
    world = World()
    world.backup("EW1001", disk_files=("\\INSIDX.$DATA01.SALES.F1",))
    world.replicate()
    once = world.state()
    world.replicate()
    assert world.state() == once
    assert json.loads(json.dumps(once)) == once
    assert world.tables()["dsm_diskfile"][0]["disk_file_name"] == "\\ETINIUM.$DATA01.SALES.F1"
