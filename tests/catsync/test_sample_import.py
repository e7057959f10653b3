"""The E5.01 manual's import sample, end to end: the sample store DS_WIN1_DES rebuilt on the emulated \\INSIDX
(tests/catsync/sample_e501.py), exported FULL to \\ETINIUM.$DATA15.E5CATSYN, then imported FULL into E501_WIN1_SND
of YINE500 by BBCSIMP, twice. The first import's report is compared with the manual's Sample Catalog Import Report
in layout (the same sections in the same order, line by line once times, process names, export ids and the counts
of a first import are masked); the second one — a re-import, as the manual's sample is — reproduces the manual's
numbers exactly."""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

import pytest

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import guardian_pb2
from harness.launcher import Topology, start_topology
from tests.catsync.sample_e501 import build_sample, sample_topology_dict
from tests.catsync.test_import_report_layout import SECTIONS, manual_sample_lines, normalised, numbers, section

DOM, SEC_STORE = "YINE500", "E501_WIN1_SND"
SPOOL = "$S.#BPAK.E5IMP"           # the sample topology's import Report Location
DES2, NC2, NC = "VG_WIN1_DES2", "VG_WIN1_DES_NC2_2ND", "VG_WIN1_DES_NC_2ND"
REJECTED_GROUPS = ["VG_WIN1_BRCOM", "VG_WIN1_UL", "VG_WIN_TMF"]
T = 120
PROCESS = re.compile(r"\\etinium\.\$[a-z0-9]{2,5}(?![\w.])", re.IGNORECASE)   # not \ETINIUM.$DATA15.E5CATSYN
REPORT_LOCATION = re.compile(r"\$[s$]\.#bpak\.e5imp", re.IGNORECASE)
# IMPORT RESULT SUMMARY of the FIRST import: group -> newest volume, then the seven numbers (import source;
# BackBox added, updated, deleted; NSK tape catalog added, updated, deleted). Every record and every TAPEVOLUME is
# new; the manual's sample, a re-import, has them all updated instead (MANUAL_COUNTS).
FIRST_COUNTS = {DES2: ("EW1008", [14, 14, 0, 0, 14, 0, 0]), NC2: ("ENCL01", [4, 4, 0, 0, 0, 0, 0]),
                NC: ("ENCS02", [5, 5, 0, 0, 0, 0, 0])}
MANUAL_COUNTS = {DES2: [14, 0, 14, 0, 0, 0, 0], NC2: [4, 0, 4, 0, 0, 0, 0], NC: [5, 0, 5, 0, 0, 0, 0]}


class Imported(NamedTuple):
    topo: Topology
    export: cs.ExportRun
    first: cs.ImportRun
    spooled: list[str]             # the report location's lines right after the first import


def import_full(topo: Topology) -> cs.ImportRun:
    runs = topo.catalog_sync(DOM).ImportCatalog(cs.ImportCatalogRequest(
        data_store_id=SEC_STORE, type=cs.SYNC_TYPE_FULL, wait=True), timeout=T).runs
    assert len(runs) == 1
    return runs[0]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Iterator[Imported]:
    """The sample exported FULL, then imported FULL once."""
    topo = start_topology(sample_topology_dict(), state_dir=tmp_path_factory.mktemp("sample-import"))
    try:
        build_sample(topo)
        export = topo.catalog_sync("E501NEW").ExportCatalog(cs.ExportCatalogRequest(
            data_store_id="DS_WIN1_DES", type=cs.SYNC_TYPE_FULL, wait=True), timeout=T).runs[0]
        assert export.status == cs.PROCESS_STATUS_FINISHED, export.reason
        first = import_full(topo)
        spooled = topo.guardian("\\ETINIUM").ReadReport(guardian_pb2.ReadReportRequest(location=SPOOL),
                                                         timeout=T).report.lines
        yield Imported(topo, export, first, list(spooled))
    finally:
        topo.close()


@pytest.fixture(scope="module")
def reimport(sample: Imported) -> cs.ImportRun:
    """The same staging area imported FULL a second time: the manual's sample is such a re-import."""
    return import_full(sample.topo)


# -- reading a report ------------------------------------------------------------------------------------------------

def masked(lines: list[str]) -> list[str]:
    """Normalised lines (times and export ids masked) with the process name and the report location masked, and
    the W3332 lines without the `YINE500-` prefix the manual leaves out of them."""
    out = []
    for line in normalised(lines):
        line = REPORT_LOCATION.sub("<REPORT>", PROCESS.sub("<PROCESS>", line))
        out.append(line.removeprefix(f"{DOM}-") if line.startswith(f"{DOM}-W3332 ") else line)
    return out


def summary_counts(lines: list[str]) -> dict[str, list[int]]:
    """IMPORT RESULT SUMMARY: Numbers of tape volumes -> group: its seven numbers."""
    out: dict[str, list[int]] = {}
    group = ""
    for line in section(lines, SECTIONS[4], SECTIONS[5]):
        if line.split()[0].startswith("VG_"):
            group = line.split()[0]
        elif numbers(line):
            out[group] = numbers(line)
    return out


def newest(lines: list[str]) -> dict[str, str]:
    """IMPORT RESULT SUMMARY: Numbers of tape volumes -> group: its `Newest volume in Import` label."""
    out: dict[str, str] = {}
    group = ""
    for line in section(lines, SECTIONS[4], SECTIONS[5]):
        if line.split()[0].startswith("VG_"):
            group = line.split()[0]
        elif line.startswith("Newest volume in Import:"):
            out[group] = line.split()[4]
    return out


def counts_masked(lines: list[str]) -> list[str]:
    """The lines with every line of numbers alone (the summary's counts) reduced to its count of numbers."""
    return [f"<{len(numbers(line))} NUMBERS>" if numbers(line) else line for line in lines]


def volume_rows(lines: list[str]) -> list[tuple[str, str, str, str]]:
    """The volume table: (label, group, status word, first file) per row, from normalised lines."""
    rows = []
    for line in section(lines, SECTIONS[2], SECTIONS[3]):
        words = line.split(None, 3)
        rows.append((words[0], words[1], words[2] if len(words) > 2 else "", words[3] if len(words) > 3 else ""))
    return rows


# -- the first FULL import -------------------------------------------------------------------------------------------

@pytest.mark.rule("R19")
def test_first_full_import_of_the_sample_processes_the_manuals_23_volumes(sample):
    run = sample.first
    assert run.status == cs.PROCESS_STATUS_FINISHED, run.reason
    assert (run.type, run.volumes_processed, run.volume_errors) == (cs.SYNC_TYPE_FULL, 23, 0)
    assert run.export_id == sample.export.export_id
    assert run.report.volumes_processed == 23 and not run.report.fatal


@pytest.mark.rule("R39")
def test_first_import_rejects_the_three_groups_without_a_secondary_group_with_w3332(sample):
    lines = list(sample.first.report.lines)
    w3332 = [line for line in lines if "-W3332 " in line]
    assert [line.split()[4] for line in w3332] == REJECTED_GROUPS
    assert all(line == (f"{DOM}-W3332 Primary volume group {group} is not configured in the local secondary domain"
                        f" {DOM} for data store DS_WIN1_DES. For this group, volumes to import will be rejected.")
               for line, group in zip(w3332, REJECTED_GROUPS))
    manual = [line for line in normalised(manual_sample_lines()) if line.startswith("W3332")]
    assert [line.removeprefix(f"{DOM}-") for line in w3332] == manual
    rejected = [row.primary_volume_group_id for row in sample.first.report.validation if row.volumes_rejected]
    assert rejected == REJECTED_GROUPS


@pytest.mark.rule("R51")
def test_first_import_volume_rows_are_the_manuals(sample):
    manual = volume_rows(normalised(manual_sample_lines()))
    assert len(manual) == 23
    ours = [(r.label, r.volume_group_id, r.catalog_text.split()[0] if r.catalog_text else "",
             " ".join(r.catalog_text.split()[1:])) for r in sample.first.report.volumes]
    assert ours == manual
    assert volume_rows(normalised(list(sample.first.report.lines))) == manual


@pytest.mark.rule("R51")
def test_first_import_summary_names_each_groups_newest_volume_and_counts_what_it_added(sample):
    summaries = {s.volume_group_id: s for s in sample.first.report.summaries}
    assert list(summaries) == [DES2, NC2, NC]
    got = {gid: (s.newest_label, [s.volumes_in_source, s.backbox_added, s.backbox_updated, s.backbox_deleted,
                                  s.nsk_added, s.nsk_updated, s.nsk_deleted]) for gid, s in summaries.items()}
    assert got == FIRST_COUNTS
    lines = normalised(list(sample.first.report.lines), mask_times=False)
    assert summary_counts(lines) == {gid: counts for gid, (_, counts) in FIRST_COUNTS.items()}
    assert newest(lines) == newest(normalised(manual_sample_lines(), mask_times=False)) == \
        {gid: label for gid, (label, _) in FIRST_COUNTS.items()}


@pytest.mark.rule("R51")
def test_first_import_report_has_the_manuals_sections_in_the_manuals_order(sample):
    ours, manual = masked(list(sample.first.report.lines)), masked(manual_sample_lines())
    for lines in (ours, manual):
        positions = [lines.index(title) for title in SECTIONS]
        assert positions == sorted(positions)
    for start, end in zip(SECTIONS, SECTIONS[1:]):
        assert len(section(ours, start, end)) == len(section(manual, start, end)), start


@pytest.mark.rule("R51")
def test_first_import_report_reads_as_the_manuals_but_for_times_names_and_first_import_counts(sample):
    ours = counts_masked(masked(list(sample.first.report.lines)))
    manual = counts_masked(masked(manual_sample_lines()))
    activity = ours.index(SECTIONS[5])
    # Up to the DSM/TC activity section, line by line.
    assert ours[:activity] == manual[:manual.index(SECTIONS[5])]
    # The activity table: the manual's text lost one of the four column heads (Disk files Deleted) and shows the
    # three numbers of a re-import; a first import added the five VALID tape files of VG_WIN1_DES2.
    assert ours[activity:activity + 3] == [SECTIONS[5], "Volume group <==Tape files==> <==Disk files==>",
                                           "Added Deleted Added Deleted"]
    assert ours[activity + 3].split() == [DES2, "5", "0", "0", "0"]
    # Completion and end lines.
    assert ours[-2:] == manual[-2:]
    assert ours[-2] == (f"{DOM}-I3342 <PROCESS> imported FULL catalogs for data store {SEC_STORE} (23 volumes"
                        " processed). Report in <REPORT>")


def test_first_import_report_is_in_the_spooler(sample):
    assert sample.spooled == list(sample.first.report.lines)


# -- the re-import ---------------------------------------------------------------------------------------------------

@pytest.mark.rule("R22")
def test_second_full_import_reproduces_the_manuals_numbers(reimport):
    assert reimport.status == cs.PROCESS_STATUS_FINISHED, reimport.reason
    assert (reimport.volumes_processed, reimport.volume_errors) == (23, 0)
    ours = summary_counts(normalised(list(reimport.report.lines), mask_times=False))
    manual = summary_counts(normalised(manual_sample_lines(), mask_times=False))
    assert manual == MANUAL_COUNTS
    assert ours == manual


@pytest.mark.rule("R51")
def test_second_full_import_report_reads_as_the_manuals_up_to_the_dsmtc_activity(reimport):
    ours, manual = masked(list(reimport.report.lines)), masked(manual_sample_lines())
    assert ours[:ours.index(SECTIONS[5])] == manual[:manual.index(SECTIONS[5])]
    activity = ours.index(SECTIONS[5])
    # The manual's activity row: nothing added or deleted on a re-import (its text keeps three of four columns).
    assert ours[activity + 3].split() == [DES2, "0", "0", "0", "0"]
    assert ours[-2:] == manual[-2:]
