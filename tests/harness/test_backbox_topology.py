"""The BackBox sections of a topology (storage, key managers, VTCs, domains, replication): a malformed one is
rejected with the line and the fix, before anything starts; a configuration the domain manager refuses stops the
launch with the domain, the object and the domain manager's reason."""

from __future__ import annotations

import copy

import pytest

from harness.launcher import start_topology
from harness.topology import TopologyError, load_topology
from tests.backbox.conftest import topology_dict


def _changed(edit) -> dict:
    data = copy.deepcopy(topology_dict())
    edit(data)
    return data


def test_two_site_topology_parses_into_domains_storages_and_replication():
    spec = load_topology(topology_dict()).backbox
    assert [d.id for d in spec.domains] == ["E501NEW", "YINE500"]
    assert spec.domain_of_node("\\INSIDX") == "E501NEW"
    assert [(s.id, s.site) for s in spec.storages] == [("STO_PRI", "PRIMARY"), ("STO_SEC", "SECONDARY")]
    assert [(r.kind, r.source, r.target, r.lag_seconds) for r in spec.replications] == [
        ("storage", "STO_PRI", "STO_SEC", 300), ("keys", "ESKM-PRI", "ESKM-SEC", 60)]
    group = spec.domains[0].data_stores[0].groups[0]
    assert group.label_range == ("EW1001", "EW1010") and group.group.data_store_id == "DS_WIN1_DES"


@pytest.mark.parametrize("edit, words", [
    (lambda d: d["domains"][0].update(colour="blue"), ["domains.0.colour", "unknown key", "allowed keys"]),
    (lambda d: d["domains"][0]["data_stores"][0].update(storage="NOPE"), ["storage NOPE is not defined"]),
    (lambda d: d["domains"][0]["data_stores"][0].update(type="TAPE"), ["DataStore", "DATA_STORE_TYPE_TAPE"]),
    (lambda d: d["domains"][0]["data_stores"][0]["volume_groups"][0].update(volumes=42),
     ["volumes is a range EW1001-EW1014"]),
    (lambda d: d["sites"][0]["vtcs"][0].update(domain="NODOM"), ["VTC VTC1 names domain NODOM"]),
    (lambda d: d["sites"][0]["vtcs"][0].update(drives="four"), ["sites.0.vtcs.0.drives", "whole number"]),
    (lambda d: d["sites"][0]["storage"][0].update(capacity=-1), ["capacity", "at least 0"]),
    (lambda d: d["replication"]["storage"][0].update(lag="soon"), ["replication.storage.0.lag", "5m"]),
    (lambda d: d["replication"]["keys"][0].update(to="ESKM-MARS"), ["ESKM-MARS is not a keys"]),
    (lambda d: d["domains"][0]["key_managers"][0].update(server="NOKM"), ["key manager server NOKM"]),
    (lambda d: d["sites"][0]["nodes"][0].update(autoexpire_time="25:00"), ["autoexpire_time", "hh:mm"]),
])
def test_malformed_backbox_section_is_rejected_with_its_place_and_fix(edit, words):
    with pytest.raises(TopologyError) as err:
        load_topology(_changed(edit))
    for word in words:
        assert word in str(err.value)


@pytest.mark.rule("R38")
def test_launch_stops_when_the_domain_manager_refuses_a_volume_group(tmp_path):
    def no_filecat(d):  # a DSM/TC group of a SECONDARY store needs its FILECAT (R38)
        del d["domains"][1]["data_stores"][0]["volume_groups"][0]["filecat"]
    with pytest.raises(TopologyError) as err:
        start_topology(_changed(no_filecat), state_dir=tmp_path / "t")
    text = str(err.value)
    assert "domain YINE500" in text and "VG_WIN1_DES2" in text and "filecat" in text


def test_catalog_sync_key_installs_the_option_or_leaves_the_bare_domain(tmp_path):
    data = topology_dict()
    data["domains"][0]["catalog_sync"] = "yes"
    with pytest.raises(TopologyError) as err:
        load_topology(data)
    assert "catalog_sync" in str(err.value) and "true" in str(err.value)
    data["domains"][0]["catalog_sync"] = False
    with start_topology(data, state_dir=tmp_path / "t") as topo:
        served = {(e.service, e.node) for e in topo.endpoints if e.service == "catsync.v1.CatalogSync"}
        assert served == {("catsync.v1.CatalogSync", "\\ETINIUM")}, "only the domain with the option installed"
        with pytest.raises(TopologyError):
            topo.catalog_sync("E501NEW")
