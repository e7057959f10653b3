"""The built-in topologies (harness/topologies/*.yaml): each one says what it is and where it comes from, loads,
starts with its domains' configuration accepted by the domain managers, and — every one but the bare-platform
two-node — carries a real Catalog Sync round trip: a backup on the PRIMARY store, a FULL export from the UI, the
configuration check and a FULL import at the SECONDARY store, then a restore there from the replicated image.
The manuals' samples keep the manuals' names and numbers (E4.11: 30 volumes; QoreStor: 9 volumes, the DISKFILE
node replaced)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest
from google.protobuf.duration_pb2 import Duration

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, media_catalog_pb2 as mc
from harness.cli import main
from harness.launcher import Topology, start_topology
from harness.topology import TopologySpec, builtin_topologies, load_topology
from tests.catsync.sample_e501 import sample_topology_dict

T = 120
FILE_ID = "DR-ROUND-TRIP"
# Every built-in and its DR pair: (primary domain, PRIMARY store, secondary domain, SECONDARY store). two-node is
# the bare platform (nodes, DSM/TC, one Expand link) the platform tests use: it has no BackBox domain.
DR = {
    "minimal": ("E501NEW", "DS_WIN1_DES", "YINE500", "E501_WIN1_SND"),
    "e501-sample": ("E501NEW", "DS_WIN1_DES", "YINE500", "E501_WIN1_SND"),
    "e411-sample": ("SLAB_A", "SLAB_A-DAILY", "CH409DR", "2ND_SLAB_A-DAILY"),
    "qorestor-dr": ("UPE411I", "QS-CATSYNC-PRI", "YINE500", "QS-CATSYNC-SEC"),
}
BUILTINS = {"two-node", "no-expand", *DR}   # no-expand: its import source is not the export destination (R56)


class Pair(NamedTuple):
    """A PRIMARY store exporting to a SECONDARY one, and the first DSM/TC group the two share."""

    primary_domain: str
    primary_node: str
    primary_store: str
    group: str
    secondary_domain: str
    secondary_node: str
    secondary_store: bb.DataStore
    secondary_group: bb.VolumeGroup


def dr_pair(spec: TopologySpec) -> Pair | None:
    """Found in the spec alone: the export destination is the import source, the SECONDARY store names the
    PRIMARY one (R10), and a DSM/TC group of the primary has a counterpart (its id or Primary Volume Group ID)."""
    domains = spec.backbox.domains if spec.backbox else ()
    for pd in domains:
        for ps in pd.data_stores:
            dest = ps.store.export_config.export_destination.upper()
            if ps.store.domain_access != bb.DOMAIN_ACCESS_PRIMARY or not dest:
                continue
            for sd in domains:
                for ss in sd.data_stores:
                    names = (ss.store.primary_data_store_id or ss.store.id).upper()
                    if (ss.store.domain_access != bb.DOMAIN_ACCESS_SECONDARY or names != ps.store.id.upper()
                            or ss.store.import_config.import_source.upper() != dest):
                        continue
                    for g in ps.groups:
                        if g.group.tape_catalog != bb.TAPE_CATALOG_TYPE_DSMTC:
                            continue
                        for sg in ss.groups:
                            if (sg.group.primary_volume_group_id or sg.group.id).upper() == g.group.id.upper():
                                return Pair(pd.id, pd.manager, ps.store.id, g.group.id, sd.id, sd.manager,
                                            ss.store, sg.group)
    return None


@pytest.fixture
def started(request, tmp_path: Path) -> Iterator[Topology]:
    with start_topology(request.param, state_dir=tmp_path / "state") as topo:
        yield topo


# -- what is built in ------------------------------------------------------------------------------------------

def test_builtins_are_the_manuals_samples_the_minimal_pair_and_two_node():
    assert set(builtin_topologies()) == BUILTINS


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_builtin_says_what_it_is_and_where_it_comes_from(name: str):
    text = builtin_topologies()[name].read_text()
    assert text.startswith("# "), "a top comment: what the topology is and where it comes from"
    spec = load_topology(name)
    assert spec.name == name and len(spec.description) > 20


@pytest.mark.parametrize("name", sorted(DR))
def test_builtin_has_a_dr_pair_with_replicated_storage_and_keys(name: str):
    spec = load_topology(name)
    pair = dr_pair(spec)
    assert pair is not None, f"{name}: no PRIMARY store exporting to a SECONDARY store"
    assert (pair.primary_domain, pair.primary_store, pair.secondary_domain, pair.secondary_store.id) == DR[name]
    assert pair.primary_node != pair.secondary_node
    kinds = {r.kind for r in spec.backbox.replications}
    assert kinds == {"storage", "keys"}, "images and keys reach the secondary site by replication (R2, R50)"


def test_two_node_stays_the_bare_platform():
    spec = load_topology("two-node")
    assert [n.name for n in spec.nodes] == ["\\INSIDX", "\\ETINIUM"] and not spec.backbox.domains


def test_e501_sample_builtin_describes_the_sites_of_the_catsync_sample():
    """tests/catsync/sample_e501.py can switch to the built-in: the two give the same spec."""
    builtin, fixture = load_topology("e501-sample"), load_topology(sample_topology_dict())
    assert replace(builtin, description="", source="") == replace(fixture, description="", source="")


def test_topologies_command_lists_every_builtin_with_its_description(capsys):
    assert main(["topologies"]) == 0
    out = capsys.readouterr().out.splitlines()
    for name in BUILTINS:
        line = next((l for l in out if l.split()[0] == name), None)
        assert line is not None, f"{name} not listed"
        assert load_topology(name).description in line


@pytest.mark.parametrize("started", sorted(BUILTINS), indirect=True)
def test_builtin_starts_and_its_domain_managers_accept_the_configuration(started: Topology):
    for d in started.spec.backbox.domains:
        resp = started.domain(d.id).ValidateConfiguration(bb.ValidateConfigurationRequest(), timeout=T)
        assert resp.valid and not resp.problems, [f"{p.code} {p.object_id} {p.field}: {p.message}"
                                                  for p in resp.problems]


# -- the round trip --------------------------------------------------------------------------------------------

class RoundTrip(NamedTuple):
    pair: Pair
    backup: bb.RunBackupResponse
    export: cs.ExportRun
    check: cs.CheckAgainstPrimaryResponse
    imported: cs.ImportRun


def qualified(node: str, catalog: str) -> str:
    return catalog if catalog.startswith("\\") else f"{node}.{catalog}"


def round_trip(topo: Topology) -> RoundTrip:
    pair = dr_pair(topo.spec)
    assert pair is not None
    backup = topo.domain(pair.primary_domain).RunBackup(bb.RunBackupRequest(
        node=pair.primary_node, volume_group_id=pair.group, file_id=FILE_ID, data_bytes=200_000, content_seed=7,
        catalog_files=True, disk_file_count=3, disk_file_prefix=f"{pair.primary_node}.$DATA01.SALES.",
        user="SUPER.SUPER"), timeout=T)
    # the unload's automatic export (R27) ends, storage and key replication catch up (lags of minutes)
    topo.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=15 * 60)), timeout=T)
    (export,) = topo.catalog_sync(pair.primary_domain).ExportCatalog(cs.ExportCatalogRequest(
        data_store_id=pair.primary_store, type=cs.SYNC_TYPE_FULL, trigger=cs.TRIGGER_UI, wait=True), timeout=T).runs
    check = topo.catalog_sync(pair.secondary_domain).CheckAgainstPrimary(cs.CheckAgainstPrimaryRequest(
        data_store_id=pair.secondary_store.id), timeout=T)
    (imported,) = topo.catalog_sync(pair.secondary_domain).ImportCatalog(cs.ImportCatalogRequest(
        data_store_id=pair.secondary_store.id, type=cs.SYNC_TYPE_FULL, trigger=cs.TRIGGER_UI, wait=True),
        timeout=T).runs
    return RoundTrip(pair, backup, export, check, imported)


def secondary_entries(topo: Topology, rt: RoundTrip) -> dict[str, list]:
    """label -> [TAPEVOLUME or None, TAPEFILEs, DISKFILEs] in the secondary group's catalogs."""
    sg, node = rt.pair.secondary_group, rt.pair.secondary_node
    out: dict[str, list] = {}
    for msg in topo.media_catalog(node).ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
            volcat=qualified(node, sg.volcat), filecat=qualified(node, sg.filecat),
            volsers=[v.label for v in rt.backup.volumes], include_disk_files=True), timeout=T):
        entry = out.setdefault(msg.volser, [None, [], []])
        if not msg.continued:
            entry[0] = msg.volume if msg.found else None
            entry[1].extend(msg.files)
        entry[2].extend(msg.disk_files)
    return out


@pytest.mark.rule("R5")
@pytest.mark.rule("R22")
@pytest.mark.parametrize("started", sorted(DR), indirect=True)
def test_backup_export_import_round_trip_reaches_the_secondary_when_run_on_the_builtin(started: Topology):
    rt = round_trip(started)
    pair = rt.pair
    primary_count = len(started.domain(pair.primary_domain).ListVolumes(
        bb.ListVolumesRequest(data_store_id=pair.primary_store), timeout=T).volumes)
    assert rt.export.status == cs.PROCESS_STATUS_FINISHED, rt.export.reason
    assert rt.export.trigger == cs.TRIGGER_UI and rt.export.volume_errors == 0
    assert rt.export.volumes_processed == primary_count
    assert not rt.check.fatal, rt.check.lines
    assert any(r.secondary_volume_group_id == pair.secondary_group.id and r.primary_volume_group_id == pair.group
               and not r.fatal for r in rt.check.rows), rt.check.lines
    assert rt.imported.status == cs.PROCESS_STATUS_FINISHED, rt.imported.reason
    assert not rt.imported.report.fatal and rt.imported.volume_errors == 0, rt.imported.report.lines
    labels = [v.label for v in rt.backup.volumes]
    records = {v.label: v for v in started.domain(pair.secondary_domain).ListVolumes(
        bb.ListVolumesRequest(data_store_id=pair.secondary_store.id), timeout=T).volumes}
    assert all(records[label].volume_group_id == pair.secondary_group.id for label in labels)
    entries = secondary_entries(started, rt)
    for label in labels:
        tape_volume, files, _ = entries[label]
        assert tape_volume is not None and [f.file_id for f in files] == [FILE_ID]      # R14: re-qualified
        assert files[0].filecat == qualified(pair.secondary_node, pair.secondary_group.filecat)
    # the catalogs, the replicated image and the replicated key together restore the backup at the secondary
    restored = started.domain(pair.secondary_domain).RunRestore(bb.RunRestoreRequest(
        node=pair.secondary_node, filecat=qualified(pair.secondary_node, pair.secondary_group.filecat),
        file_id=FILE_ID, user="SUPER.SUPER"), timeout=T)
    assert list(restored.labels) == labels and restored.checksum == rt.backup.checksum


@pytest.mark.rule("R15")
@pytest.mark.parametrize("started", sorted(DR), indirect=True)
def test_disk_file_names_keep_their_node_unless_the_store_replaces_it(started: Topology):
    rt = round_trip(started)
    replaced = {r.old_node: r.new_node for r in rt.pair.secondary_store.import_config.node_replacements}
    node = replaced.get(rt.pair.primary_node, rt.pair.primary_node)
    disks = sorted(d.disk_file_name for label in secondary_entries(started, rt).values() for d in label[2])
    assert disks == [f"{node}.$DATA01.SALES.F000000{n}" for n in (1, 2, 3)]
    assert (started.spec.name == "qorestor-dr") == bool(replaced)


@pytest.mark.rule("R57")
@pytest.mark.rule("R15")
@pytest.mark.parametrize("started", ["qorestor-dr"], indirect=True)
def test_qorestor_appendix_reads_the_copy_pool_and_replaces_insidx_by_etinium(started: Topology):
    """Appendix B: the secondary Windows File store's storage pool is the primary's QoreStor copy pool; the
    manual's export report: 9 volumes to \\ETINIUM.$DATA15.INSEXP, reported in $S.#INS.EXP."""
    primary = started.domain("UPE411I").GetDataStore(bb.GetDataStoreRequest(id="QS-CATSYNC-PRI"), timeout=T).data_store
    secondary = started.domain("YINE500").GetDataStore(bb.GetDataStoreRequest(id="QS-CATSYNC-SEC"),
                                                         timeout=T).data_store
    copy = [p.path for p in primary.pools if p.kind == bb.STORAGE_POOL_KIND_COPY]
    assert copy == [p.path for p in secondary.pools if p.kind == bb.STORAGE_POOL_KIND_STORAGE]
    assert primary.use_qorestor_replication and secondary.storage_optimization == "RapidCIFS"
    rt = round_trip(started)
    assert rt.export.volumes_processed == 9
    assert rt.export.report.completion_line.startswith("UPE411I-I3279 \\INSIDX.$")
    assert rt.export.report.completion_line.endswith(
        "exported FULL catalogs for data store QS-CATSYNC-PRI (9 volumes processed). Report in $S.#INS.EXP")
    assert rt.export.report.header.location == "\\ETINIUM.$DATA15.INSEXP"
    disks = [d.disk_file_name for label in secondary_entries(started, rt).values() for d in label[2]]
    assert disks and all(name.startswith("\\ETINIUM.$DATA01.") for name in disks)


@pytest.mark.parametrize("started", ["e411-sample"], indirect=True)
def test_e411_sample_exports_and_imports_the_manuals_30_volumes_five_hours_apart(started: Topology):
    rt = round_trip(started)
    exp, imp = rt.export.report, rt.imported.report
    assert exp.completion_line.startswith("SLAB_A-I3279 \\ETINIUM.$") and exp.completion_line.endswith(
        "exported FULL catalogs for data store SLAB_A-DAILY (30 volumes processed). Report in $S.#SLABA.EXPDAYL")
    assert imp.completion_line.startswith("CH409DR-I3342 \\INSIDX.$") and imp.completion_line.endswith(
        "imported FULL catalogs for data store 2ND_SLAB_A-DAILY (30 volumes processed). Report in"
        " $S.#SLABA.IMPDAYL")
    rows = {r.secondary_volume_group_id: r for r in imp.validation}
    daily = rows["VG_2ND_SLAB_A-DAILY"]
    assert daily.primary_volume_group_id == "VG_SLAB_A-DAILY"
    assert (daily.primary.volcat, daily.primary.pool) == ("\\ETINIUM.SLABVC", "SLAB_A_DAILY")
    assert (daily.secondary.volcat, daily.secondary.pool) == ("\\INSIDX.QCVOLCAT", "CH409DR_2ND_SLABA_DAILY")
    # the manual: SAD006 "unloaded on 2022-01-04 23:02:56" at \ETINIUM, "2022-01-05 04:02:56" at \INSIDX
    label = rt.backup.volumes[0].label
    unloaded = rt.backup.volumes[0].unload_time.ToDatetime(tzinfo=timezone.utc)
    at_primary = unloaded.strftime("%Y-%m-%d %H:%M:%S")
    at_secondary = (unloaded + timedelta(hours=5)).strftime("%Y-%m-%d %H:%M:%S")
    assert any(label in line and f"unloaded on {at_primary}" in line for line in exp.lines), exp.lines
    assert any(f"{label} unloaded on {at_secondary}" in line for line in imp.lines), imp.lines
    assert datetime(2022, 1, 4, tzinfo=timezone.utc) <= unloaded < datetime(2022, 1, 5, tzinfo=timezone.utc)


@pytest.mark.rule("R39")
@pytest.mark.parametrize("started", ["e501-sample"], indirect=True)
def test_e501_sample_import_rejects_the_groups_the_secondary_lacks_without_failing(started: Topology):
    rt = round_trip(started)
    rejected = {r.primary_volume_group_id for r in rt.imported.report.validation
                if r.warning.code == "W3332" and r.volumes_rejected and not r.fatal}
    assert rejected == {"VG_WIN1_BRCOM", "VG_WIN1_UL", "VG_WIN_TMF"}
    assert rt.imported.status == cs.PROCESS_STATUS_FINISHED and not rt.imported.report.fatal
