"""The workload: seeded backup jobs (determinism, valid NonStop names, the groups that can take a backup, FILEID
reuse, sizes, expirations, encryption, scenario-step arguments), and a few runs on the E5.01 sample topology:
multi-volume sets span volumes, DISKFILEs land in DSM/TC, generations grow, encrypted groups give encrypted
volumes."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import timedelta, timezone

import pytest
from google.protobuf.duration_pb2 import Duration
from hypothesis import given, settings, strategies as st

from emulator.dsmtc_entries import parse_file_id
from emulator.names import parse_file_name, parse_process_name
from emulator.v1 import backbox_domain_pb2 as bb, clock_pb2, media_catalog_pb2 as mc
from harness.errors import ScenarioError
from harness.launcher import start_topology
from harness.topology import load_topology
from harness.workload import BackupStep, Workload, WorkloadError
from tests.catsync.sample_e501 import sample_topology_dict

MiB = 1024 * 1024
T = 60
STORE, NODE, VOLCAT = "DS_WIN1_DES", "\\INSIDX", "\\INSIDX.QCVOLCAT"
BACKUP_GROUPS = {"VG_WIN1_BRCOM", "VG_WIN1_DES", "VG_WIN1_DES_NC", "VG_WIN1_DES_NC2"}   # PRIMARY, with volumes
HISTORY_KEYS = {"domain", "data_store", "group", "node", "file_id", "generation", "labels", "encrypted",
                "disk_files", "checksum", "expiration"}                                # rundir.md, backup ok
PART = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")
SHORT = dict(short_retention_rate=1.0, expiration_rate=0.0, default_retention_rate=0.0, permanent_rate=0.0)


def encrypted_topology(license_options=("CATALOG_SYNC", "ENCRYPTION")) -> dict:
    """The sample with one more group in DS_WIN1_DES, encrypted with key manager KM1."""
    data = sample_topology_dict()
    domain = data["domains"][0]
    domain["license"]["options"] = list(license_options)
    domain["data_stores"][0]["volume_groups"].append(
        {"id": "VG_WIN1_ENC", "tape_catalog": "NONE", "max_volume_size_mb": 1, "encryption_algorithm": "AES256-GCM",
         "key_manager_id": "KM1", "volumes": "ENCR01-ENCR04"})
    return data


SPEC = load_topology(sample_topology_dict())
ENC_SPEC = load_topology(encrypted_topology())


def fingerprint(jobs) -> list[bytes]:
    return [j.request().SerializeToString(deterministic=True) for j in jobs]


# -- determinism ---------------------------------------------------------------------------------------------------

def test_jobs_are_identical_byte_for_byte_when_seed_and_topology_are_the_same():
    a, b = Workload(11, SPEC), Workload(11, SPEC)
    first = a.jobs(25) + a.jobs(5, group="VG_WIN1_DES", multi_volume_rate=1.0)
    second = b.jobs(25) + b.jobs(5, group="VG_WIN1_DES", multi_volume_rate=1.0)
    assert first == second
    assert fingerprint(first) == fingerprint(second)
    assert [j.describe() for j in first] == [j.describe() for j in second]


def test_jobs_differ_when_the_seed_differs():
    assert fingerprint(Workload(11, SPEC).jobs(10)) != fingerprint(Workload(12, SPEC).jobs(10))


# -- names ---------------------------------------------------------------------------------------------------------

@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**63))
def test_every_generated_name_is_valid_when_drawn_from_any_seed(seed):
    jobs = Workload(seed, SPEC).jobs(12, multi_volume_rate=0.5, catalog_files_rate=1.0, disk_files=(0, 40))
    for j in jobs:
        assert parse_file_id(j.file_id) == j.file_id and 1 <= len(j.file_id) <= 60
        assert parse_process_name(j.process) == j.process
        assert j.group in BACKUP_GROUPS and j.data_store == STORE and j.node == NODE
        assert j.catalog_files == (j.tape_catalog == "DSMTC")            # catalog_files_rate 1: every DSM/TC job
        assert len(set(j.disk_files)) == len(j.disk_files)
        assert bool(j.disk_files) <= j.catalog_files
        for name in j.disk_files:
            assert str(parse_file_name(name)) == name
            node, volume, subvol, file = name.split(".")
            assert node == j.node and re.fullmatch(r"\$DATA\d\d", volume)
            assert PART.match(subvol) and PART.match(file)
        assert math.ceil(j.data_bytes / MiB) == j.volumes               # the sample's groups: 1 MB volumes
        req = j.request()
        assert list(req.disk_file_names) == list(j.disk_files) and req.file_id == j.file_id


def test_file_ids_are_reused_within_their_group_and_never_shared_between_groups():
    jobs = Workload(5, SPEC).jobs(40)
    owner: dict[str, set[str]] = {}
    for j in jobs:
        owner.setdefault(j.file_id, set()).add(j.group)
    assert all(len(groups) == 1 for groups in owner.values())           # R4 / R11: no FILEID collisions
    assert max(Counter(j.file_id for j in jobs).values()) >= 3          # generations will grow
    assert all(j.generation == 0 for j in jobs)                          # DSM/TC hands out the next one
    assert any(j.file_id.startswith("E501NEW-") for j in jobs)


# -- the groups a backup can use -----------------------------------------------------------------------------------

@pytest.mark.rule("R17")
def test_only_groups_of_primary_stores_with_volumes_take_backups():
    data = sample_topology_dict()
    data["domains"][1]["data_stores"][0]["volume_groups"][0]["volumes"] = "SEC001-SEC009"   # SECONDARY, volumes
    jobs = Workload(3, load_topology(data)).jobs(200)
    assert {j.group for j in jobs} == BACKUP_GROUPS      # not VG_WIN1_UL / VG_WIN_TMF (no volumes), no SECONDARY
    assert {(j.domain, j.data_store) for j in jobs} == {("E501NEW", STORE)}


@pytest.mark.rule("R17")
@pytest.mark.parametrize("filters, words", [
    ({"data_store": "E501_WIN1_SND"}, ["SECONDARY", "R17", "DS_WIN1_DES/VG_WIN1_DES"]),
    ({"group": "VG_WIN_TMF"}, ["VG_WIN_TMF has no volumes"]),
    ({"data_store": "DS_NOPE"}, ["no data store DS_NOPE", "DS_WIN1_DES, E501_WIN1_SND"]),
    ({"domain": "NOPE"}, ["no domain NOPE", "E501NEW, YINE500"]),
    ({"group": "VG_NOPE"}, ["no volume group VG_NOPE", "VG_WIN1_DES"]),
    ({"data_store": "E501_WIN1_SND", "group": "VG_WIN1_DES"}, ["no volume group matches", "drop one"]),
    ({"node": "\\ETINIUM"}, ["\\ETINIUM has no drive", "\\INSIDX"]),
    ({"node": "INSIDX"}, ["node", "backslash"]),
])
def test_jobs_name_the_fix_when_the_filters_match_no_usable_group(filters, words):
    with pytest.raises(WorkloadError) as info:
        Workload(1, SPEC).jobs(1, **filters)
    for word in words:
        assert word in str(info.value)


def test_a_topology_without_backbox_groups_is_refused_with_the_fix():
    with pytest.raises(WorkloadError, match="no BackBox volume group"):
        Workload(1, load_topology("two-node")).jobs(1)


def test_a_full_group_is_avoided_and_used_again_once_its_files_expired():
    w = Workload(2, SPEC)
    full = w.jobs(4, group="VG_WIN1_DES_NC2", multi_volume_rate=0.0, **SHORT)   # its 4 volumes, 1..7 days
    assert sum(j.volumes for j in full) == 4
    assert w.jobs(1, group="VG_WIN1_DES_NC2", multi_volume_rate=1.0)[0].volumes == 1   # no free pair: no set
    assert "VG_WIN1_DES_NC2" not in {j.group for j in w.jobs(10, multi_volume_rate=0.0)}
    later = SPEC.clock_start + timedelta(days=9)                             # every file expired and scratched
    assert w.jobs(1, group="VG_WIN1_DES_NC2", multi_volume_rate=1.0, now=later)[0].volumes >= 2


# -- sizes and expirations -----------------------------------------------------------------------------------------

def test_multi_volume_rate_decides_whether_data_exceeds_the_max_volume_size():
    singles = Workload(8, SPEC).jobs(20, multi_volume_rate=0.0, data_bytes=(1000, 4 * MiB))
    assert all(j.volumes == 1 and j.data_bytes <= MiB for j in singles)      # kept under the group's 1 MB
    sets = Workload(8, SPEC).jobs(3, group="VG_WIN1_DES", multi_volume_rate=1.0, volumes=(2, 4))
    assert all(2 <= j.volumes <= 4 and (j.volumes - 1) * MiB < j.data_bytes <= j.volumes * MiB for j in sets)


def test_expirations_mix_short_long_explicit_default_and_rare_permanent():
    jobs = Workload(4, SPEC).jobs(500)
    permanent = [j for j in jobs if j.permanent]
    explicit = [j for j in jobs if j.expire_in_days]
    default = [j for j in jobs if not (j.permanent or j.expire_in_days or j.retention_days)]
    short = [j for j in jobs if 0 < (j.retention_days or j.expire_in_days) <= 7]
    assert 0 < len(permanent) <= 25 and explicit and default
    assert len(short) >= 0.15 * len(jobs)                                    # expiration shows in 30 days
    assert all(1 <= j.retention_days <= 9999 for j in jobs if j.retention_days)
    assert not any(j.permanent for j in Workload(4, SPEC).jobs(200, permanent_rate=0.0))


def test_an_explicit_expiration_is_the_node_local_midnight_days_after_the_backup():
    job = Workload(6, SPEC).jobs(1, expiration_rate=1.0, permanent_rate=0.0)[0]
    now = SPEC.clock_start + timedelta(days=3, hours=10)
    local = timezone(timedelta(hours=-5))                                    # \INSIDX's offset
    at = job.expiration(now).astimezone(local)
    assert (at.hour, at.minute) == (0, 0)
    assert at.date() == now.astimezone(local).date() + timedelta(days=job.expire_in_days)
    assert job.request(now).expiration_time.ToDatetime(timezone.utc) == job.expiration(now)
    assert not job.request(now).retention_days and not job.request(now).permanent


# -- encryption ----------------------------------------------------------------------------------------------------

def test_encrypt_rate_steers_jobs_to_encrypted_groups_and_asks_for_encryption():
    jobs = Workload(9, ENC_SPEC).jobs(3, encrypt_rate=1.0, multi_volume_rate=0.0)
    assert all(j.group == "VG_WIN1_ENC" and j.encrypt is True and j.encrypted for j in jobs)
    assert all(j.request().HasField("encrypt") for j in jobs)
    plain = Workload(9, ENC_SPEC).jobs(60, encrypt_rate=0.0)
    assert all(j.encrypt is None for j in plain)                              # the group's setting
    assert {j.encrypted for j in plain if j.group == "VG_WIN1_ENC"} == {True}
    assert not any(j.encrypted for j in plain if j.group != "VG_WIN1_ENC")


def test_encryption_is_not_forced_when_the_license_lacks_encryption():
    spec = load_topology(encrypted_topology(license_options=("CATALOG_SYNC",)))
    assert all(j.encrypt is None for j in Workload(9, spec).jobs(30, encrypt_rate=1.0))


# -- scenario steps ------------------------------------------------------------------------------------------------

def test_a_step_with_an_unknown_key_names_it_and_the_allowed_keys():
    with pytest.raises(WorkloadError) as info:
        Workload(1, SPEC).jobs_from_step({"backup": {"count": 2, "colour": "red"}})
    text = str(info.value)
    assert "'colour'" in text and "count" in text and "multi_volume_rate" in text and "data_store" in text
    assert isinstance(info.value, ValueError) and isinstance(info.value, ScenarioError)


@pytest.mark.parametrize("args, key", [
    ({"count": 0}, "count"), ({"count": "3"}, "count"), ({"count": True}, "count"),
    ({"multi_volume_rate": 1.5}, "multi_volume_rate"), ({"encrypt_rate": "often"}, "encrypt_rate"),
    ({"disk_files": [5, 1]}, "disk_files"), ({"disk_files": "many"}, "disk_files"),
    ({"volumes": [1, 2]}, "volumes"), ({"file_ids_per_group": 0}, "file_ids_per_group"),
    ({"data_store": 7}, "data_store"), ({"group": ""}, "group"),
])
def test_a_step_with_a_bad_value_names_the_key(args, key):
    with pytest.raises(WorkloadError) as info:
        BackupStep.from_step({"backup": args})
    assert key in str(info.value)


def test_a_step_is_a_count_or_a_mapping_and_its_options_apply():
    assert BackupStep.from_step(3).count == BackupStep.from_step({"backup": 3}).count == 3
    step = BackupStep.from_step({"backup": {"count": 2, "data_store": "ds_win1_des", "multi_volume_rate": 1,
                                            "disk_files": [2, 2]}})
    assert (step.count, step.data_store, step.options) == (2, STORE, {"multi_volume_rate": 1, "disk_files": [2, 2]})
    jobs = Workload(1, SPEC).jobs_from_step({"count": 2, "group": "VG_WIN1_DES", "multi_volume_rate": 1,
                                             "catalog_files_rate": 1, "disk_files": [2, 2]})
    assert [(j.volumes >= 2, len(j.disk_files)) for j in jobs] == [(True, 2), (True, 2)]
    with pytest.raises(WorkloadError, match="backup is a count"):
        BackupStep.from_step("lots")
    with pytest.raises(WorkloadError, match="unknown workload option 'colour'"):
        Workload(1, SPEC).jobs(1, colour="red")
    with pytest.raises(WorkloadError, match="ISO time"):
        Workload(1, SPEC).jobs_from_step(1, now="yesterday")


def test_checking_a_step_draws_nothing():
    w = Workload(21, SPEC)
    w.check_step({"backup": {"count": 4, "group": "VG_WIN1_DES"}})
    with pytest.raises(WorkloadError, match="SECONDARY"):
        w.check_step({"data_store": "E501_WIN1_SND"})
    assert fingerprint(w.jobs(4)) == fingerprint(Workload(21, SPEC).jobs(4))


# -- on a started topology -----------------------------------------------------------------------------------------

def dsmtc_entries(topo, labels: list[str]) -> dict[str, tuple]:
    """label -> ([TAPEFILE], [DISKFILE]) as DSM/TC on \\INSIDX holds them."""
    out: dict[str, tuple] = {}
    for msg in topo.media_catalog(NODE).ReadVolumeEntries(mc.ReadVolumeEntriesRequest(
            volcat=VOLCAT, volsers=labels, include_disk_files=True), timeout=T):
        files, disks = out.setdefault(msg.volser, ([], []))
        if not msg.continued:
            files.extend(msg.files)
        disks.extend(msg.disk_files)
    return out


def test_jobs_run_on_the_e501_sample_as_multi_volume_sets_with_diskfiles_and_growing_generations():
    with start_topology(sample_topology_dict()) as topo:
        w = Workload(31, topo.spec)
        jobs = w.jobs(3, group="VG_WIN1_DES", multi_volume_rate=1.0, new_file_id_rate=0.0, catalog_files_rate=1.0,
                      disk_files=(3, 8), **SHORT)
        values = [w.run(topo, j) for j in jobs]
        assert all(set(v) == HISTORY_KEYS for v in values)
        assert len({j.file_id for j in jobs}) == 1
        assert [v["generation"] for v in values] == [1, 2, 3]               # DSM/TC: the next generation
        for job, value in zip(jobs, values):
            assert len(value["labels"]) == job.volumes >= 2                   # the set spans its volumes
            assert value["disk_files"] == len(job.disk_files) and value["file_id"] == job.file_id
            assert value["expiration"] and not value["encrypted"] and len(value["checksum"]) == 64
            entries = dsmtc_entries(topo, value["labels"])
            tape_file = next(f for f in entries[value["labels"][0]][0] if f.generation == value["generation"])
            assert [r.volser for r in sorted(tape_file.volumes, key=lambda r: r.vol_index)] == value["labels"]
            landed = {d.disk_file_name for label in value["labels"] for d in entries[label][1]
                      if d.generation == value["generation"]}
            assert landed == set(job.disk_files)
        dated = w.jobs(1, group="VG_WIN1_BRCOM", expiration_rate=1.0, permanent_rate=0.0, multi_volume_rate=0.0)[0]
        assert w.run(topo, dated)["expiration"] == dated.expiration(topo.spec.clock_start).isoformat()
        kept = w.jobs(1, group="VG_WIN1_BRCOM", permanent_rate=1.0, multi_volume_rate=0.0)[0]
        assert w.run(topo, kept)["expiration"] == ""
        # a run tells the workload the virtual time: later jobs are drawn at it (free volumes, expirations)
        topo.clock_service().Advance(clock_pb2.AdvanceRequest(by=Duration(seconds=3600)), timeout=T)
        w.run(topo, w.jobs(1, group="VG_WIN1_DES_NC", multi_volume_rate=0.0)[0])
        assert w.jobs(1)[0].planned_at == topo.spec.clock_start + timedelta(hours=1)


def test_encrypted_jobs_write_encrypted_volumes_and_plain_groups_do_not():
    with start_topology(encrypted_topology()) as topo:
        w = Workload(32, topo.spec)
        secret = w.jobs(2, encrypt_rate=1.0, multi_volume_rate=0.0)
        plain = w.jobs(1, group="VG_WIN1_DES_NC", encrypt_rate=1.0, multi_volume_rate=0.0)
        assert [j.encrypt for j in secret + plain] == [True, True, None]
        values = [w.run(topo, j) for j in secret + plain]
        assert [v["encrypted"] for v in values] == [True, True, False]
        labels = [v["labels"][0] for v in values]
        volumes = {v.label: v for v in topo.domain("E501NEW").ListVolumes(
            bb.ListVolumesRequest(data_store_id=STORE), timeout=T).volumes}
        assert [(volumes[x].encrypted, volumes[x].key_manager_id) for x in labels] == [
            (True, "KM1"), (True, "KM1"), (False, "")]
