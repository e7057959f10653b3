"""Topology errors: a malformed file is refused before anything starts, with an error that names the file and
the LINE of what is wrong and says how to fix it. One table: (case, what to change in a valid topology, expected
line, expected words)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from harness.launcher import start_topology
from harness.topology import TopologyError, load_topology

# A valid two-site topology (it starts: test_the_base_topology_is_valid_and_starts); every case breaks it in
# one place. Line numbers below are this text's.
BASE = """\
name: errors
description: the topology every error case breaks in one place
seed: 3
clock: {mode: virtual, start: 2025-09-23T20:00:00Z}
sites:
  - name: PRIMARY
    storage:
      - {id: STO_PRI, path: '\\\\bbvtc1\\pri'}
    key_managers:
      - {name: ESKM-PRI}
    vtcs:
      - {id: VTC1, domain: PRIDOM, node: \\INSIDX, drives: 2}
    nodes:
      - name: \\INSIDX
        number: 12
        utc_offset: "-05:00"
        volumes: {$SYSTEM: 0, $DATA15: 0}
        dsmtc:
          volcats: [QCVOLCAT]
          filecats: [QCFILCAT]
          pools:
            - {volcat: QCVOLCAT, name: E501_WIN1}
          mediadefs: {volcat: QCVOLCAT, filecat: QCFILCAT, pool: E501_WIN1, ssl: [\\INSIDX]}
  - name: SECONDARY
    storage:
      - {id: STO_SEC, path: '\\\\bbvtc2\\sec'}
    key_managers:
      - {name: ESKM-SEC}
    vtcs:
      - {id: VTC2, domain: SECDOM, node: \\ETINIUM}
    nodes:
      - name: \\ETINIUM
        number: 14
        volumes: {$SYSTEM: 0, $DATA15: 0}
        dsmtc:
          volcats: [SHCH409VC, LOCALVC]
          filecats: [SHCH409FC, LOCALFC]
          pools:
            - {volcat: SHCH409VC, name: E501_WIN_2ND}
            - {volcat: LOCALVC, name: LOCAL_POOL}
          mediadefs: {volcat: LOCALVC, filecat: LOCALFC, pool: LOCAL_POOL, ssl: [\\ETINIUM]}
links:
  - {kind: EXPAND, between: [\\INSIDX, \\ETINIUM]}
domains:
  - id: PRIDOM
    manager: \\INSIDX
    license: {key: PRI-TEST, options: [CATALOG_SYNC, ENCRYPTION], expiry_date: "2099-12-31"}
    key_managers:
      - {id: KM1, server: ESKM-PRI}
    data_stores:
      - id: DS_PRI
        type: WINDISK
        domain_access: PRIMARY
        storage: STO_PRI
        export_config:
          export_destination: \\ETINIUM.$DATA15.STAGING
          include_disk_files: true
        volume_groups:
          - id: VG_PRI
            tape_catalog: DSMTC
            volcat: QCVOLCAT
            pool: E501_WIN1
            max_volume_size_mb: 1
            volumes: EW1001-EW1005
  - id: SECDOM
    manager: \\ETINIUM
    license: {key: SEC-TEST, options: [CATALOG_SYNC, ENCRYPTION], expiry_date: "2099-12-31"}
    key_managers:
      - {id: KM1, server: ESKM-SEC}
    data_stores:
      - id: DS_SEC
        type: WINDISK
        domain_access: SECONDARY
        primary_data_store_id: DS_PRI
        storage: STO_SEC
        import_config:
          import_source: \\ETINIUM.$DATA15.STAGING
          node_replacements:
            - {old_node: \\INSIDX, new_node: \\ETINIUM}
        volume_groups:
          - {id: VG_SEC, primary_volume_group_id: VG_PRI, tape_catalog: DSMTC, volcat: SHCH409VC,
             pool: E501_WIN_2ND, filecat: SHCH409FC, max_volume_size_mb: 1}
replication:
  storage:
    - {from: STO_PRI, to: STO_SEC, lag: 5m}
  keys:
    - {from: ESKM-PRI, to: ESKM-SEC, lag: 1m}
"""


class Case(NamedTuple):
    old: str            # a unique piece of BASE ...
    new: str            # ... and what it becomes
    line: int           # the line the error must name
    words: tuple[str, ...]   # what is wrong and how to fix it


def case(name: str, old: str, new: str, line: int, *words: str, rule: str = "") -> object:
    marks = [pytest.mark.rule(rule)] if rule else []
    return pytest.param(Case(old, new, line, words), id=name, marks=marks)


def add(after: str, text: str) -> tuple[str, str]:
    """Insert the line `text` after the (unique) line `after`."""
    return after, f"{after}\n{text}"


CASES = [
    # -- malformed YAML ----------------------------------------------------------------------------------------
    case("yaml-unclosed-flow-mapping", "- {name: ESKM-PRI}", "- {name: ESKM-PRI", 11,
         "YAML syntax error", "indentation", "quoting"),
    case("yaml-tab-indentation", "        number: 12", "\tnumber: 12", 15, "YAML syntax error", "tabs"),
    case("yaml-bad-indentation", "    manager: \\INSIDX", "   manager: \\INSIDX", 46, "YAML syntax error",
         "indentation"),
    case("yaml-key-twice", *add("        domain_access: PRIMARY", "        type: QORESTOR"), 54,
         "'type' appears twice", "lines 52 and 54", "keep one"),
    # -- unknown keys at every level ---------------------------------------------------------------------------
    case("unknown-top-key", *add("seed: 3", "sede: 4"), 4, "unknown key 'sede'", "did you mean 'seed'",
         "allowed keys"),
    case("unknown-site-key", *add("  - name: SECONDARY", "    colour: red"), 25, "sites.1.colour",
         "unknown key 'colour'", "allowed keys are description, key_managers, name, nodes, storage, vtcs"),
    case("unknown-node-key", *add("        number: 14", "        nmuber: 15"), 34, "sites.1.nodes.0.nmuber",
         "did you mean 'number'"),
    case("unknown-dsmtc-key", *add("          filecats: [QCFILCAT]", "          filecat: [QCFILCAT2]"), 21,
         "did you mean 'filecats'"),
    case("unknown-pool-key", "{volcat: QCVOLCAT, name: E501_WIN1}", "{volcat: QCVOLCAT, name: E501_WIN1, media: LTO3}",
         22, "unknown key 'media'", "did you mean 'media_type'"),
    case("unknown-mediadefs-key", "ssl: [\\INSIDX]}", "ssl: [\\INSIDX], retention: 30}", 23,
         "did you mean 'retention_days'"),
    case("unknown-link-key", "between: [\\INSIDX, \\ETINIUM]}", "between: [\\INSIDX, \\ETINIUM], speed: 10}", 43,
         "links.0.speed", "unknown key 'speed'", "allowed keys are between, kind"),
    case("unknown-storage-key", "path: '\\\\bbvtc1\\pri'}", "path: '\\\\bbvtc1\\pri', size: 10}", 8,
         "sites.0.storage.0.size", "allowed keys are capacity, id, path"),
    case("unknown-key-manager-key", "- {name: ESKM-SEC}", "- {name: ESKM-SEC, host: eskm2}", 28,
         "unknown key 'host'", "allowed keys are name"),
    case("unknown-vtc-key", "node: \\INSIDX, drives: 2}", "node: \\INSIDX, drives: 2, host: bbvtc1}", 12,
         "sites.0.vtcs.0.host", "allowed keys are domain, drives, id, media_type, node"),
    case("unknown-domain-key", *add("    manager: \\INSIDX", "    ems_verbos: true"), 47, "domains.0.ems_verbos",
         "did you mean 'ems_verbose'"),
    case("unknown-license-key", "expiry_date: \"2099-12-31\"}\n    key_managers:\n      - {id: KM1, server: ESKM-PRI}",
         "expiry: \"2099-12-31\"}\n    key_managers:\n      - {id: KM1, server: ESKM-PRI}", 47,
         "domains.0.license.expiry", "did you mean 'expiry_date'", "License fields"),
    case("unknown-key-manager-id-key", "- {id: KM1, server: ESKM-SEC}", "- {id: KM1, server: ESKM-SEC, protocol: KMIP}",
         69, "unknown key 'protocol'", "allowed keys are id, server"),
    case("unknown-data-store-key", *add("        storage: STO_PRI", "        storge_pool: STO_PRI"), 55,
         "domains.0.data_stores.0.storge_pool", "unknown key 'storge_pool'", "DataStore fields", "volume_groups"),
    case("unknown-export-config-key", *add("          include_disk_files: true", "          include_diskfiles: true"),
         58, "export_config.include_diskfiles", "did you mean 'include_disk_files'", "ExportConfig fields"),
    case("unknown-import-config-key", *add("          import_source: \\ETINIUM.$DATA15.STAGING",
                                           "          max_diskfiles: 100"), 78,
         "import_config.max_diskfiles", "ImportConfig fields", "max_disk_files_per_transaction"),
    case("unknown-node-replacement-key", "new_node: \\ETINIUM}", "new_node: \\ETINIUM, both: true}", 79,
         "node_replacements.0.both", "NodeReplacement fields", "allowed keys are new_node, old_node"),
    case("unknown-volume-group-key", *add("            max_volume_size_mb: 1", "            max_volumes: 3"), 64,
         "volume_groups.0.max_volumes", "VolumeGroup fields", "volumes"),
    case("unknown-replication-key", *add("replication:", "  disks: []"), 84, "unknown key 'disks'",
         "allowed keys are keys, storage"),
    case("unknown-replication-entry-key", "to: STO_SEC, lag: 5m}", "to: STO_SEC, lag: 5m, delay: 1m}", 85,
         "replication.storage.0.delay", "allowed keys are from, lag, mode, to"),
    # -- references to what is not defined ---------------------------------------------------------------------
    case("vtc-unknown-domain", "domain: SECDOM, node", "domain: NODOM, node", 30, "sites.1.vtcs.0.domain",
         "VTC VTC2 names domain NODOM", "use one of PRIDOM, SECDOM"),
    case("vtc-unknown-node", "node: \\INSIDX, drives: 2}", "node: \\MARS, drives: 2}", 12,
         "\\MARS is not a node of this topology", "define it under a site's nodes"),
    case("replication-from-unknown-storage", "{from: STO_PRI, to: STO_SEC", "{from: STO_MARS, to: STO_SEC", 85,
         "replication.storage.0.from", "STO_MARS is not a storage replication end", "STO_PRI, STO_SEC"),
    case("replication-to-unknown-storage", "{from: STO_PRI, to: STO_SEC", "{from: STO_PRI, to: STO_MOON", 85,
         "replication.storage.0.to", "STO_MOON", "defined under a site's storage"),
    case("replication-to-unknown-key-manager", "to: ESKM-SEC", "to: ESKM-MARS", 87,
         "ESKM-MARS is not a keys replication end", "key_managers (ESKM-PRI, ESKM-SEC)"),
    case("replication-to-itself", "{from: STO_PRI, to: STO_SEC", "{from: STO_PRI, to: STO_PRI", 85,
         "cannot replicate to itself"),
    case("data-store-unknown-storage", "storage: STO_PRI\n", "storage: STO_NOPE\n", 54,
         "storage STO_NOPE is not defined under a site's storage", "use one of STO_PRI, STO_SEC"),
    case("data-store-pool-unknown-storage", *add("        storage: STO_SEC",
                                                 "        pools: [{kind: COPY, path: '\\\\qs\\copy', storage_id: QS_COPY}]"),
         76, "pools.0.storage_id", "storage_id QS_COPY is not defined", "leave storage_id out"),
    case("domain-manager-unknown-node", "manager: \\INSIDX", "manager: \\NOWHERE", 46, "domains.0.manager",
         "\\NOWHERE is not a node of this topology"),
    case("domain-nodes-without-manager", *add("    manager: \\ETINIUM", "    nodes: [\\INSIDX]"), 67,
         "must include its manager \\ETINIUM"),
    case("mediadefs-pool-undefined", "pool: E501_WIN1, ssl", "pool: NO_POOL, ssl", 23,
         "MEDIADEFS pool NO_POOL is not defined on \\INSIDX", "use one of E501_WIN1"),
    # -- duplicate ids -----------------------------------------------------------------------------------------
    case("duplicate-site", "  - name: SECONDARY", "  - name: PRIMARY", 24, "site PRIMARY is defined twice"),
    case("duplicate-node", "      - name: \\ETINIUM", "      - name: \\INSIDX", 32,
         "node \\INSIDX is defined twice"),
    case("duplicate-expand-number", "        number: 14", "        number: 12", 33, "already used by \\INSIDX"),
    case("duplicate-pool", "{volcat: LOCALVC, name: LOCAL_POOL}", "{volcat: SHCH409VC, name: E501_WIN_2ND}", 40,
         "pool E501_WIN_2ND is defined twice in VOLCAT SHCH409VC", "rename"),
    case("duplicate-link", *add("  - {kind: EXPAND, between: [\\INSIDX, \\ETINIUM]}",
                                "  - {kind: EXPAND, between: [\\ETINIUM, \\INSIDX]}"), 44, "defined twice"),
    case("duplicate-storage", "{id: STO_SEC, path", "{id: STO_PRI, path", 26,
         "storage STO_PRI is defined twice (first at line 8)", "rename or remove one"),
    case("duplicate-key-manager", "- {name: ESKM-SEC}", "- {name: ESKM-PRI}", 28,
         "key manager ESKM-PRI is defined twice (first at line 10)"),
    case("duplicate-vtc", "{id: VTC2,", "{id: VTC1,", 30, "VTC VTC1 is defined twice (first at line 12)"),
    case("duplicate-domain", "  - id: SECDOM", "  - id: PRIDOM", 65, "domain PRIDOM is defined twice (first at line 45)"),
    case("two-domains-on-one-manager", "    manager: \\ETINIUM", "    manager: \\INSIDX", 66,
         "\\INSIDX already runs the domain manager of PRIDOM (line 46)", "put this domain on another node"),
    case("duplicate-key-manager-id", *add("      - {id: KM1, server: ESKM-PRI}", "      - {id: KM1, server: ESKM-SEC}"),
         50, "Key Manager ID KM1 is defined twice (first at line 49)"),
    case("duplicate-data-store", *add("             pool: E501_WIN_2ND, filecat: SHCH409FC, max_volume_size_mb: 1}",
                                      "      - {id: DS_SEC, type: WINDISK, domain_access: SECONDARY}"), 83,
         "data store DS_SEC is defined twice (first at line 71)"),
    case("duplicate-volume-group", *add("             pool: E501_WIN_2ND, filecat: SHCH409FC, max_volume_size_mb: 1}",
                                        "          - {id: VG_SEC, tape_catalog: NONE, max_volume_size_mb: 1}"), 83,
         "volume group VG_SEC is defined twice (first at line 81)"),
    case("duplicate-label", *add("            volumes: EW1001-EW1005",
                                 "          - {id: VG_PRI2, tape_catalog: NONE, max_volume_size_mb: 1, volumes: [EW1003]}"),
         65, "label EW1003 is already given at line 64", "unique in a domain (R3)", rule="R3"),
    case("duplicate-replication-source", *add("    - {from: STO_PRI, to: STO_SEC, lag: 5m}",
                                              "    - {from: STO_PRI, to: STO_SEC, lag: 9m}"), 86,
         "STO_PRI already replicates (line 85)", "one replication target"),
    # -- durations ---------------------------------------------------------------------------------------------
    case("lag-word", "to: STO_SEC, lag: 5m}", "to: STO_SEC, lag: soon}", 85, "replication.storage.0.lag",
         "duration 'soon'", "e.g. 5m"),
    case("lag-with-unit-word", "lag: 1m}", "lag: 5 minutes}", 87, "replication.keys.0.lag", "s, m, h or d"),
    case("lag-negative", "to: STO_SEC, lag: 5m}", "to: STO_SEC, lag: -5m}", 85, "whole number with s, m, h or d"),
    # -- values of the wrong kind ------------------------------------------------------------------------------
    case("data-store-type-unknown", "        type: WINDISK\n        domain_access: PRIMARY",
         "        type: TAPE\n        domain_access: PRIMARY", 52, "DataStore", "DATA_STORE_TYPE_TAPE",
         "use one of WINDISK, QORESTOR"),
    case("domain-access-unknown", "domain_access: SECONDARY", "domain_access: BOTH", 73,
         "use one of PRIMARY, SECONDARY, RESTRICTED", rule="R17"),
    case("tape-catalog-unknown", "            tape_catalog: DSMTC", "            tape_catalog: DSM", 60,
         "use one of NONE, DSMTC, TMF"),
    case("size-not-a-number", "            max_volume_size_mb: 1", "            max_volume_size_mb: big", 63,
         "max_volume_size_mb must be a whole number"),
    case("flag-not-a-boolean", "include_disk_files: true", "include_disk_files: sometimes", 57,
         "include_disk_files must be true or false", rule="R33"),
    case("time-unquoted", *add("    manager: \\INSIDX", "    daily_cleanup_time: 3:00"), 47,
         "daily_cleanup_time must be text, not int 180", "quote it"),
    case("storage-path-not-unc", "path: '\\\\bbvtc1\\pri'", "path: 'bbvtc1/pri'", 8, "not a UNC path",
         "\\\\host\\share"),
    case("label-range-backwards", "volumes: EW1001-EW1005", "volumes: EW1005-EW1001", 64, "runs backwards",
         "lower label first"),
    case("replication-mode-unknown", "to: STO_SEC, lag: 5m}", "to: STO_SEC, lag: 5m, mode: SYNC}", 85,
         "replication mode SYNC is unknown", "CONTINUOUS", "AUTOCOPY"),
    case("vtc-media-type-unknown", "drives: 2}", "drives: 2, media_type: LTO9}", 12, "media_type LTO9",
         "LTO2, LTO3, LTO4, 3480"),
]


def broken(c: Case) -> str:
    assert BASE.count(c.old) == 1, f"the case must change one place of BASE: {c.old!r}"
    return BASE.replace(c.old, c.new)


@pytest.mark.parametrize("c", CASES)
def test_topology_error_names_the_file_line_and_fix_when_the_file_is_broken(c: Case, tmp_path: Path):
    path = tmp_path / "site.yaml"
    path.write_text(broken(c))
    with pytest.raises(TopologyError) as err:
        load_topology(str(path))
    text = str(err.value)
    assert text.startswith(f"{path}:{c.line}: "), text
    for word in c.words:
        assert word in text, f"{word!r} not in {text!r}"


def test_the_base_topology_is_valid_and_starts(tmp_path: Path):
    """So that each case fails for its own change only."""
    path = tmp_path / "site.yaml"
    path.write_text(BASE)
    with start_topology(str(path), state_dir=tmp_path / "state") as topo:
        assert [d.id for d in topo.spec.backbox.domains] == ["PRIDOM", "SECDOM"]


def test_unknown_key_suggests_nothing_when_nothing_is_close():
    with pytest.raises(TopologyError) as err:
        load_topology(BASE.replace("seed: 3", "seed: 3\nzzz: 1"))
    assert "did you mean" not in str(err.value) and "remove it or fix its spelling" in str(err.value)


def test_dict_topology_errors_name_the_line_of_the_dumped_yaml():
    """A topology given as a dict is dumped to YAML first: its errors still carry a line."""
    import yaml  # noqa: PLC0415

    data = yaml.safe_load(BASE)
    data["domains"][1]["data_stores"][0]["storage"] = "STO_NOPE"
    with pytest.raises(TopologyError) as err:
        load_topology(data)
    assert str(err.value).startswith("<dict>:") and "storage STO_NOPE is not defined" in str(err.value)


def test_empty_file_error_points_at_line_1_and_asks_for_sites(tmp_path: Path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n")
    with pytest.raises(TopologyError) as err:
        load_topology(str(path))
    assert str(err.value).startswith(f"{path}:1: sites:") and "must be a list" in str(err.value)
