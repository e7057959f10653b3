from emulator.v1 import backbox_domain_pb2 as bb


def test_two_site_topology_starts(sites):
    vols = sites.domain("E501NEW").ListVolumes(bb.ListVolumesRequest(data_store_id="DS_WIN1_DES"), timeout=10)
    assert len(vols.volumes) == 17


def test_backup_and_restore(sites):
    d = sites.domain("E501NEW")
    r = d.RunBackup(bb.RunBackupRequest(node="\\INSIDX", volume_group_id="VG_WIN1_DES", file_id="E501NEW-OBK11-WIN1",
                                        data_bytes=2_500_000, content_seed=3, catalog_files=True, disk_file_count=50,
                                        disk_file_prefix="\\INSIDX.$DATA01.SALES.", retention_days=10), timeout=30)
    print(r)
    assert len(r.volumes) == 3
    rr = d.RunRestore(bb.RunRestoreRequest(node="\\INSIDX", file_id="E501NEW-OBK11-WIN1"), timeout=30)
    assert rr.checksum == r.checksum
