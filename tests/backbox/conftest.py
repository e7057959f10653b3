"""Fixtures for the BackBox domain tests: a two-site topology with a domain per site, storages, key managers,
VTCs and replication, started in-process on real gRPC servers (harness.launcher.start_topology)."""

from __future__ import annotations

import copy
from typing import Any, Callable, Iterator

import pytest

from harness.launcher import Topology, start_topology

PRIMARY_DOMAIN, SECONDARY_DOMAIN = "E501NEW", "YINE500"

BASE: dict[str, Any] = {
    "name": "backbox-two-site",
    "seed": 7,
    "clock": {"mode": "virtual", "start": "2025-09-23T20:00:00Z"},
    "sites": [
        {"name": "PRIMARY",
         "storage": [{"id": "STO_PRI", "path": "\\\\bbvtc1\\e501\\pri"}],
         "key_managers": [{"name": "ESKM-PRI"}],
         "vtcs": [{"id": "VTC1", "domain": PRIMARY_DOMAIN, "node": "\\INSIDX", "drives": 2}],
         "nodes": [{"name": "\\INSIDX", "number": 12, "utc_offset": "-05:00", "autoexpire_time": "off",
                    "volumes": {"$SYSTEM": 0, "$DATA01": 0, "$DATA15": 0},
                    "dsmtc": {"volcats": ["QCVOLCAT"], "filecats": ["QCFILCAT"],
                              "pools": [{"volcat": "QCVOLCAT", "name": "E501_WIN1"}],
                              "mediadefs": {"volcat": "QCVOLCAT", "filecat": "QCFILCAT", "pool": "E501_WIN1",
                                            "ssl": ["\\INSIDX"], "retention_days": 30}}}]},
        {"name": "SECONDARY",
         "storage": [{"id": "STO_SEC", "path": "\\\\bbvtc2\\e501\\sec"}],
         "key_managers": [{"name": "ESKM-SEC"}],
         "vtcs": [{"id": "VTC2", "domain": SECONDARY_DOMAIN, "node": "\\ETINIUM", "drives": 2}],
         "nodes": [{"name": "\\ETINIUM", "number": 14, "autoexpire_time": "off",
                    "volumes": {"$SYSTEM": 0, "$DATA01": 0, "$DATA15": 0},
                    "dsmtc": {"volcats": ["SHCH409VC", "LOCALVC"], "filecats": ["SHCH409FC", "LOCALFC"],
                              "pools": [{"volcat": "SHCH409VC", "name": "E501_WIN_2ND"},
                                        {"volcat": "LOCALVC", "name": "LOCAL_POOL"}],
                              "mediadefs": {"volcat": "LOCALVC", "filecat": "LOCALFC", "pool": "LOCAL_POOL",
                                            "ssl": ["\\ETINIUM"]}}}]},
    ],
    "links": [{"kind": "EXPAND", "between": ["\\INSIDX", "\\ETINIUM"]}],
    "domains": [
        {"id": PRIMARY_DOMAIN, "manager": "\\INSIDX", "ems_verbose": True, "daily_cleanup_time": "OFF",
         "license": {"key": "E501-TEST", "options": ["CATALOG_SYNC", "ENCRYPTION"], "expiry_date": "2027-12-31"},
         "key_managers": [{"id": "KM1", "server": "ESKM-PRI"}],
         "data_stores": [
             {"id": "DS_WIN1_DES", "type": "WINDISK", "domain_access": "PRIMARY", "storage": "STO_PRI",
              "export_config": {"export_destination": "\\ETINIUM.$DATA15.E5CATSYN", "include_disk_files": True},
              "volume_groups": [
                  {"id": "VG_WIN1_DES", "tape_catalog": "DSMTC", "volcat": "QCVOLCAT", "pool": "E501_WIN1",
                   "max_volume_size_mb": 1, "delete_expired_volumes": True, "volumes": "EW1001-EW1010"},
                  {"id": "VG_WIN1_DES_NC", "tape_catalog": "NONE", "max_volume_size_mb": 1,
                   "volumes": "ENCS01-ENCS03"},
                  {"id": "VG_WIN1_ENC", "tape_catalog": "DSMTC", "volcat": "QCVOLCAT", "pool": "E501_WIN1",
                   "max_volume_size_mb": 1, "encryption_algorithm": "AES256-GCM", "key_manager_id": "KM1",
                   "volumes": "EK1001-EK1004"}]}]},
        {"id": SECONDARY_DOMAIN, "manager": "\\ETINIUM", "daily_cleanup_time": "OFF",
         "license": {"key": "YINE-TEST", "options": ["CATALOG_SYNC", "ENCRYPTION"], "expiry_date": "2027-12-31"},
         "key_managers": [{"id": "KM1", "server": "ESKM-SEC"}],
         "data_stores": [
             {"id": "E501_WIN1_SND", "type": "WINDISK", "domain_access": "SECONDARY",
              "primary_data_store_id": "DS_WIN1_DES", "storage": "STO_SEC",
              "import_config": {"import_source": "\\ETINIUM.$DATA15.E5CATSYN"},
              "volume_groups": [
                  {"id": "VG_WIN1_DES2", "primary_volume_group_id": "VG_WIN1_DES", "tape_catalog": "DSMTC",
                   "volcat": "SHCH409VC", "pool": "E501_WIN_2ND", "filecat": "SHCH409FC",
                   "max_volume_size_mb": 1}]}]},
    ],
    "replication": {"storage": [{"from": "STO_PRI", "to": "STO_SEC", "lag": "5m"}],
                    "keys": [{"from": "ESKM-PRI", "to": "ESKM-SEC", "lag": "1m"}]},
}


def topology_dict(**changes: Any) -> dict[str, Any]:
    """A deep copy of the two-site topology, with top-level keys replaced."""
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


@pytest.fixture
def make_sites(tmp_path) -> Iterator[Callable[..., Topology]]:
    started: list[Topology] = []

    def factory(data: dict[str, Any] | None = None) -> Topology:
        topo = start_topology(data or topology_dict(), state_dir=tmp_path / f"topo{len(started)}")
        started.append(topo)
        return topo

    yield factory
    for topo in started:
        topo.close()


@pytest.fixture
def sites(make_sites: Callable[..., Topology]) -> Topology:
    return make_sites()
