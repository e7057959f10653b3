"""The E5.01 manual's sample, end to end: DS_WIN1_DES with its six volume groups and 35 volumes rebuilt on the
emulated \\INSIDX (tests/catsync/sample_e501.py), exported FULL by BBCSEXP, and the report it writes compared
line by line with the manual's Sample Catalog Export Report — the layout, not the times or the process name."""

from __future__ import annotations

import re
from typing import Iterator

import pytest

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import guardian_pb2
from harness.launcher import Topology, start_topology
from tests.catsync.sample_e501 import SAMPLE_GROUPS, SAMPLE_ROWS, build_sample, sample_topology_dict
from tests.catsync.test_report_layout import manual_sample_lines, normalised

PROCESS = re.compile(r"\\insidx\.\$[a-z0-9]{3,4}", re.IGNORECASE)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Iterator[tuple[Topology, cs.ExportRun]]:
    topo = start_topology(sample_topology_dict(), state_dir=tmp_path_factory.mktemp("sample-report"))
    try:
        build_sample(topo)
        run = topo.catalog_sync("E501NEW").ExportCatalog(cs.ExportCatalogRequest(
            data_store_id="DS_WIN1_DES", type=cs.SYNC_TYPE_FULL, wait=True), timeout=120).runs[0]
        yield topo, run
    finally:
        topo.close()


def comparable(lines: list[str]) -> list[str]:
    out = []
    for line in normalised(lines):
        line = PROCESS.sub("<PROCESS>", line)
        out.append(line.replace("$$.#bpak.e5exp", "<REPORT>").replace("$s.#bpak.e5exp", "<REPORT>"))
    return out


@pytest.mark.rule("R51")
@pytest.mark.rule("R19")
def test_full_export_of_the_sample_reports_as_in_the_manual(sample):
    _topo, run = sample
    assert run.status == cs.PROCESS_STATUS_FINISHED and run.volumes_processed == 35
    ours, manual = comparable(list(run.report.lines)), comparable(manual_sample_lines())
    assert len(ours) == len(manual)
    for n, (got, want) in enumerate(zip(ours, manual)):
        assert got == want, f"line {n}: ours {got!r} vs manual {want!r}"


@pytest.mark.rule("R22")
def test_sample_rows_and_groups_come_from_the_catalogs(sample):
    _topo, run = sample
    rows = [(r.label, r.volume_group_id, r.catalog_text.split()[0] if r.catalog_text else "",
             " ".join(r.catalog_text.split()[1:])) for r in run.report.volumes]
    assert rows == [(r.label, r.group, r.status, r.first_file) for r in SAMPLE_ROWS]
    groups = [(g.volume_group_id, g.catalog.text, g.most_recent_label, g.volume_count, g.empty)
              for g in run.report.groups]
    assert groups == [(g.group, g.catalog, g.most_recent, g.volumes, g.volumes == 0) for g in SAMPLE_GROUPS]


def test_sample_report_is_in_the_spooler(sample):
    topo, run = sample
    spooled = topo.guardian("\\INSIDX").ReadReport(guardian_pb2.ReadReportRequest(location="$S.#BPAK.E5EXP"),
                                                   timeout=30).report
    assert list(spooled.lines) == list(run.report.lines)
