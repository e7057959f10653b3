"""The export report layout (catsync/report.py): the manual's sample rebuilt from structured data and compared line
by line with the sample in the E5.01 reference text, plus the pieces one at a time."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from catsync import report
from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb
from emulator.v1 import media_catalog_pb2 as mc

MANUAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "backbox-e501-catalog-sync-option.txt"
DOM = "E501NEW"
PROCESS = "\\INSIDX.$X66X"
DS = "DS_WIN1_DES"
SPOOL = "$S.#BPAK.E5EXP"
ASSIGNED, SCRATCH = mc.VOLUME_STATUS_ASSIGNED, mc.VOLUME_STATUS_SCRATCH

# The volume table of the manual's sample: label, group, status, first file id, generation, volume index.
SAMPLE_VOLUMES = [
    ("VEBR01", "VG_WIN1_BRCOM", ASSIGNED, "E501NEW-OBK11-BRCOM", 1, 1),
    ("VEBR02", "VG_WIN1_BRCOM", ASSIGNED, "E501NEW-OBK11-BRCOM", 2, 1),
    ("VEBR03", "VG_WIN1_BRCOM", ASSIGNED, "E501NEW-OBK11-BRCOM", 2, 2),
    ("VEBR04", "VG_WIN1_BRCOM", ASSIGNED, "E501NEW-OBK11-BRCOM", 2, 3),
    ("VEBR05", "VG_WIN1_BRCOM", ASSIGNED, "E501NEW-OBK11-BRCOM", 2, 4),
    *((f"VEBR{n:02d}", "VG_WIN1_BRCOM", SCRATCH, "", 0, 0) for n in range(6, 11)),
    ("EW1001", "VG_WIN1_DES", SCRATCH, "", 0, 0),
    ("EW1003", "VG_WIN1_DES", ASSIGNED, "E501-OBK11-WIN1", 3, 1),
    ("EW1004", "VG_WIN1_DES", SCRATCH, "", 0, 0),
    ("EW1005", "VG_WIN1_DES", ASSIGNED, "E501-OBK11-WIN1", 6, 1),
    ("EW1006", "VG_WIN1_DES", ASSIGNED, "E501-OBK11-WIN1", 8, 1),
    ("EW1007", "VG_WIN1_DES", ASSIGNED, "E501-OBK11-WIN1", 9, 1),
    ("EW1008", "VG_WIN1_DES", ASSIGNED, "E501-OBK11-WIN1", 10, 1),
    ("EW1009", "VG_WIN1_DES", SCRATCH, "", 0, 0),
    ("EW1010", "VG_WIN1_DES", SCRATCH, "", 0, 0),
    *((f"VWIB{n:02d}", "VG_WIN1_DES", SCRATCH, "", 0, 0) for n in range(1, 6)),
    *((f"ENCS{n:02d}", "VG_WIN1_DES_NC", mc.VOLUME_STATUS_UNSPECIFIED, "", 0, 0) for n in range(1, 6)),
    *((f"ENCL{n:02d}", "VG_WIN1_DES_NC2", mc.VOLUME_STATUS_UNSPECIFIED, "", 0, 0) for n in (1, 3, 4, 5)),
    *((f"WUL{n:03d}", "VG_WIN1_UL", mc.VOLUME_STATUS_UNSPECIFIED, "", 0, 0) for n in (1, 2)),
]

DSMTC, NONE, TMF = bb.TAPE_CATALOG_TYPE_DSMTC, bb.TAPE_CATALOG_TYPE_NONE, bb.TAPE_CATALOG_TYPE_TMF
# The groups of the sample in configuration order: group, its configuration, most recent volume, unload time, count.
SAMPLE_GROUPS = [
    (bb.VolumeGroup(id="VG_WIN1_BRCOM", tape_catalog=DSMTC, volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1_BRCOM"),
     "VEBR05", "2025-09-18 19:01:58", 10),
    (bb.VolumeGroup(id="VG_WIN1_DES", tape_catalog=DSMTC, volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1"),
     "EW1008", "2025-09-23 21:16:42", 14),
    (bb.VolumeGroup(id="VG_WIN1_DES_NC", tape_catalog=NONE), "ENCS02", "2025-09-18 19:26:42", 5),
    (bb.VolumeGroup(id="VG_WIN1_DES_NC2", tape_catalog=NONE), "ENCL01", "2025-09-18 19:25:41", 4),
    (bb.VolumeGroup(id="VG_WIN1_UL", tape_catalog=NONE), "WUL001", "2025-09-17 03:28:47", 2),
    (bb.VolumeGroup(id="VG_WIN_TMF", tape_catalog=TMF, tmf_node="\\INSIDX"), "", "", 0),
]


def ts(text: str, utc_offset_hours: int = 0) -> Timestamp:
    """The instant at which a node `utc_offset_hours` east of UTC shows `text` (`YYYY-MM-DD HH:MM:SS`)."""
    wall = datetime.strptime(text, "%Y-%m-%d %H:%M:%S") - timedelta(hours=utc_offset_hours)
    return Timestamp(seconds=calendar.timegm(wall.timetuple()))


def header(**overrides) -> cs.ReportHeader:
    fields = dict(domain_id=DOM, process=PROCESS, started=ts("2025-10-03 21:44:23"), kind=cs.PROCESS_KIND_EXPORT,
                  type=cs.SYNC_TYPE_FULL, data_store_id=DS, disk_files=True, export_id="2025-10-03_21:44:23",
                  location="\\ETINIUM.$DATA15.E5CATSYN", report_location=SPOOL)
    fields.update(overrides)
    return cs.ReportHeader(**fields)


def sample_report() -> cs.ExportReport:
    """The manual's sample export as the export program would fill it (INSIDX runs on UTC)."""
    volumes = [cs.ReportVolumeRow(label=label, volume_group_id=group, catalog_status=status, first_file_id=file_id,
                                  first_generation=gen, first_vol_index=vol)
               for label, group, status, file_id, gen, vol in SAMPLE_VOLUMES]
    groups = []
    for group, label, unloaded, count in SAMPLE_GROUPS:
        summary = cs.ExportGroupSummary(volume_group_id=group.id, catalog=report.catalog_description(group),
                                        most_recent_label=label, volume_count=count, empty=count == 0)
        if unloaded:
            summary.most_recent_unload_time.CopyFrom(ts(unloaded))
        groups.append(summary)
    # The manual writes the spooler location `$$.#bpak.E5exp` (a verbatim sample elsewhere has `$$.#seg.imp`).
    return cs.ExportReport(header=header(report_location="$$.#BPAK.E5EXP"), volumes=volumes, groups=groups,
                           volumes_processed=sum(g.volume_count for g in groups), ended=ts("2025-10-03 21:44:51"),
                           status=cs.PROCESS_STATUS_FINISHED)


def manual_sample_lines() -> list[str]:
    """The sample export report of the reference manual, from its heading to the next chapter."""
    if not MANUAL.is_file():
        pytest.skip(f"reference manual not found at {MANUAL}")
    text = MANUAL.read_text(encoding="utf-8").splitlines()
    start = text.index("### Catalog Export Report") + 1
    end = text.index("# IMPORT OPERATIONS", start)
    return text[start:end]


TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ _]\d{2}:\d{2}(:\d{2})?")
UNDERLINE = re.compile(r"^[=\s]+$")


def normalised(lines: list[str], mask_times: bool = True) -> list[str]:
    """Lines reduced to what the comparison checks: no markdown escapes, single blanks, NonStop names in lower
    case (the manual writes `\\etinium.$data15.E5catsyn`), times masked; blank and `=====` lines dropped."""
    out = []
    for line in lines:
        line = line.replace("\\_", "_").replace("\\$", "$").replace("**", "")
        if mask_times:
            line = TIMESTAMP.sub("<TIME>", line)
        line = re.sub(r"\s+:", ":", " ".join(line.split()))  # `Export destination :` = `Export destination:`
        if not line or UNDERLINE.match(line):
            continue
        out.append(" ".join(t.lower() if t[0] in "\\$" else t for t in line.split()))
    return out


@pytest.mark.rule("R51")
def test_sample_report_matches_the_manual_line_by_line_when_built_from_the_manual_data():
    manual = normalised(manual_sample_lines())
    ours = normalised(report.export_report_lines(sample_report(), 0))
    assert len(manual) == 51  # banner, 5 header lines, 1 + 35 volume lines, 1 + 6 summary lines, I3279, end
    for number, (expected, got) in enumerate(zip(manual, ours), start=1):
        assert got == expected, f"line {number}"
    assert len(ours) == len(manual)
    # With the manual's own instants the times agree as well.
    assert normalised(report.export_report_lines(sample_report(), 0), mask_times=False) == \
        normalised(manual_sample_lines(), mask_times=False)


@pytest.mark.rule("R51")
def test_sample_report_columns_line_up_in_a_fixed_width_font():
    lines = report.export_report_lines(sample_report(), 0)
    volume_header = lines.index(next(line for line in lines if line.startswith("Volume  ")))
    status_col = lines[volume_header].index("Catalog status")
    assert set(lines[volume_header + 1].replace(" ", "")) == {"="}
    for row in lines[volume_header + 2:volume_header + 2 + len(SAMPLE_VOLUMES)]:
        label, group = row.split()[:2]
        assert row.index(group) == lines[volume_header].index("Group")
        assert len(row) <= status_col or row[status_col - 2:status_col] == "  " and row[status_col] != " "
    assert lines[volume_header + 4] == \
        "VEBR03  VG_WIN1_BRCOM    ASSIGNED  E501NEW-OBK11-BRCOM, gen=2, vol=2"
    summary_header = lines.index(next(line for line in lines if line.startswith("Volume group")))
    counts_end = len(lines[summary_header]) - len("  Nbr DSM/TC disk files")
    brcom = lines[summary_header + 2]
    assert brcom.startswith(
        "VG_WIN1_BRCOM    DSM/TC volcat \\INSIDX.QCVOLCAT, pool E501_WIN1_BRCOM  VEBR05 unloaded on 2025-09-18")
    assert brcom[counts_end - 2:counts_end] == "10" and brcom.endswith(" 0")
    assert len(brcom) == len(lines[summary_header])
    assert lines[summary_header + 7] == "VG_WIN_TMF       TMF catalog: \\INSIDX"


@pytest.mark.rule("R51")
def test_header_block_reads_as_in_the_manual():
    lines = report.export_report_lines(sample_report(), 0)
    assert lines[:8] == [
        "E501NEW-BB051 - CatSync Export/Import process \\INSIDX.$X66X 2025-10-03 21:44",
        "Data store        : DS_WIN1_DES -",
        "Process type      : EXPORT FULL catalogs",
        "DSM/TC disk files : included",
        "Export id         : 2025-10-03_21:44:23",
        "Export destination: \\ETINIUM.$DATA15.E5CATSYN",
        "",
        "Volume  Group            Catalog status",
    ]
    assert lines[-3:] == [
        "E501NEW-I3279 \\INSIDX.$X66X exported FULL catalogs for data store DS_WIN1_DES (35 volumes processed). "
        "Report in $$.#BPAK.E5EXP",
        "",
        "E501NEW-BB051 Process \\INSIDX.$X66X ended on 2025-10-03 21:44",
    ]


@pytest.mark.parametrize(("status", "file_id", "gen", "vol", "expected"), [
    (ASSIGNED, "E501NEW-OBK11-BRCOM", 2, 2, "ASSIGNED  E501NEW-OBK11-BRCOM, gen=2, vol=2"),
    (ASSIGNED, "E501NEW-OBK11-BRCOM", 2, 4, "ASSIGNED  E501NEW-OBK11-BRCOM, gen=2, vol=4"),
    (ASSIGNED, "E501-OBK11-WIN1", 10, 1, "ASSIGNED  E501-OBK11-WIN1, gen=10"),
    (ASSIGNED, "E501-OBK11-WIN1", 3, 0, "ASSIGNED  E501-OBK11-WIN1, gen=3"),
    (SCRATCH, "", 0, 0, "SCRATCH"),
    (mc.VOLUME_STATUS_FULL, "APPEND-01", 1, 1, "FULL      APPEND-01, gen=1"),
    (mc.VOLUME_STATUS_UNSPECIFIED, "", 0, 0, ""),
])
@pytest.mark.rule("R51")
def test_catalog_status_text_shows_vol_only_for_later_volumes(status, file_id, gen, vol, expected):
    assert report.catalog_status_text(status, file_id, gen, vol) == expected


@pytest.mark.parametrize(("group", "text", "configured"), [
    (bb.VolumeGroup(id="G", tape_catalog=DSMTC, volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1"),
     "DSM/TC volcat \\INSIDX.QCVOLCAT, pool E501_WIN1", True),
    (bb.VolumeGroup(id="G", tape_catalog=NONE), "no tape catalog", True),
    (bb.VolumeGroup(id="G"), "no tape catalog", True),
    (bb.VolumeGroup(id="G", tape_catalog=TMF, tmf_node="\\INSIDX"), "TMF catalog: \\INSIDX", True),
    (bb.VolumeGroup(id="G", tape_catalog=bb.TAPE_CATALOG_TYPE_QTOS), "QTOS catalog", True),
    (bb.VolumeGroup(id="G", tape_catalog=bb.TAPE_CATALOG_TYPE_CA), "CA catalog", True),
    (None, "(no volume group)", False),
])
@pytest.mark.rule("R51")
def test_catalog_description_names_the_catalog_when_the_group_has_one(group, text, configured):
    desc = report.catalog_description(group)
    assert (desc.text, desc.configured) == (text, configured)


def test_catalog_description_keeps_the_dsmtc_fields():
    group = bb.VolumeGroup(id="G", tape_catalog=DSMTC, volcat="\\ETINIUM.SHCH409VC", pool="E501_WIN_2ND",
                           filecat="\\ETINIUM.SHCH409FC", tmf_node="\\IGNORED")
    desc = report.catalog_description(group)
    assert (desc.catalog_type, desc.volcat, desc.pool, desc.filecat, desc.tmf_node) == \
        (DSMTC, "\\ETINIUM.SHCH409VC", "E501_WIN_2ND", "\\ETINIUM.SHCH409FC", "")


@pytest.mark.rule("R51")
def test_ems_texts_name_process_type_store_and_location():
    assert report.i3273_text(PROCESS, cs.SYNC_TYPE_FULL, DS, SPOOL) == (
        "CATALOG FULL process \\INSIDX.$X66X started to export the catalogs of data store DS_WIN1_DES. "
        "Output report sent to $S.#BPAK.E5EXP.")
    assert report.i3279_text(PROCESS, cs.SYNC_TYPE_FULL, DS, 35, SPOOL) == (
        "\\INSIDX.$X66X exported FULL catalogs for data store DS_WIN1_DES (35 volumes processed). "
        "Report in $S.#BPAK.E5EXP")
    assert report.type_word(cs.SYNC_TYPE_UPDATE) == report.type_word(cs.SYNC_TYPE_UNSPECIFIED) == "UPDATE"


@pytest.mark.rule("R51")
def test_license_warning_is_the_second_line_only_when_set():
    warned = sample_report()
    warned.header.license_warning.CopyFrom(cs.ReportMessage(
        code="W3162", severity=bb.PROBLEM_SEVERITY_WARNING,
        text="E501NEW-W3162 Domain license will expire on 2025-10-10."))
    lines = report.export_report_lines(warned, 0)
    assert lines[1] == "E501NEW-W3162 Domain license will expire on 2025-10-10."
    assert lines[2].startswith("Data store")
    plain = report.export_report_lines(sample_report(), 0)
    assert not any("W3162" in line for line in plain)
    assert plain[1].startswith("Data store")


@pytest.mark.rule("R51")
def test_failed_report_ends_with_e3280_and_no_i3279_when_status_is_failed():
    failed = sample_report()
    failed.status = cs.PROCESS_STATUS_FAILED
    failed.messages.extend([
        cs.ReportMessage(code="W3390", severity=bb.PROBLEM_SEVERITY_WARNING, text="E501NEW-W3390 slow link"),
        cs.ReportMessage(code="E3391", severity=bb.PROBLEM_SEVERITY_ERROR,
                         text="E501NEW-E3391 Expand path to \\ETINIUM lost (error 250)"),
    ])
    lines = report.export_report_lines(failed, 0)
    assert not any("I3279" in line for line in lines)
    assert lines[-3] == \
        "E501NEW-E3280 Export of data store DS_WIN1_DES failed: Expand path to \\ETINIUM lost (error 250)"
    assert lines[-1].startswith("E501NEW-BB051 Process \\INSIDX.$X66X ended on")
    assert "E501NEW-E3391 Expand path to \\ETINIUM lost (error 250)" in lines


@pytest.mark.rule("R51")
def test_failed_report_gives_a_default_reason_when_no_error_line_explains_it():
    failed = sample_report()
    failed.status = cs.PROCESS_STATUS_FAILED
    lines = report.export_report_lines(failed, 0)
    assert lines[-3] == "E501NEW-E3280 Export of data store DS_WIN1_DES failed: process ended before completion"


@pytest.mark.rule("R51")
def test_volume_errors_are_listed_before_the_summary_when_volumes_were_not_exported():
    partial = sample_report()
    partial.volume_errors.extend([
        cs.VolumeProblem(label="EW1008", volume_group_id="VG_WIN1_DES", message="staging disk full (error 45)",
                         guardian_error=45),
        cs.VolumeProblem(label="EW1009", volume_group_id="VG_WIN1_DES", code="W3282", message="label in use"),
    ])
    partial.messages.append(cs.ReportMessage(code="W3390", text="E501NEW-W3390 another coded line"))
    lines = report.export_report_lines(partial, 0)
    first = lines.index("E501NEW-W3281 Volume EW1008 (VG_WIN1_DES) not exported: staging disk full (error 45)")
    assert lines[first + 1] == "E501NEW-W3282 Volume EW1009 (VG_WIN1_DES) not exported: label in use"
    assert lines[first + 2] == "E501NEW-W3390 another coded line"
    assert lines[first - 1] == lines[first + 3] == ""
    assert lines[first - 2].startswith("WUL002") and lines[first + 4].startswith("Volume group")


@pytest.mark.rule("R51")
def test_times_are_rendered_in_node_local_time_when_the_offset_is_minus_five_hours():
    minus_five = -5 * 3600
    assert report.local(ts("2025-09-23 21:16:42"), minus_five).strftime("%Y-%m-%d %H:%M:%S %z") == \
        "2025-09-23 16:16:42 -0500"
    lines = report.export_report_lines(sample_report(), minus_five)
    assert lines[0].endswith(" 2025-10-03 16:44")
    assert lines[-1].endswith(" ended on 2025-10-03 16:44")
    assert any("EW1008 unloaded on 2025-09-23 16:16:42" in line for line in lines)
    # The export id is the exporting node's UTC stamp and is printed as given.
    assert "Export id         : 2025-10-03_21:44:23" in lines


@pytest.mark.rule("R51")
def test_empty_update_report_still_prints_header_tables_and_zero_count_when_nothing_was_exported():
    groups = [cs.ExportGroupSummary(volume_group_id=group.id, catalog=report.catalog_description(group), empty=True)
              for group, *_ in SAMPLE_GROUPS]
    empty = cs.ExportReport(header=header(type=cs.SYNC_TYPE_UPDATE, disk_files=False, report_location=SPOOL),
                            groups=groups, ended=ts("2025-10-03 21:45:00"), status=cs.PROCESS_STATUS_FINISHED)
    lines = report.export_report_lines(empty, 0)
    assert lines[2] == "Process type      : EXPORT UPDATE catalogs"
    assert lines[3] == "DSM/TC disk files : not included"
    volume_header = lines.index("Volume  Group            Catalog status")
    assert set(lines[volume_header + 1].replace(" ", "")) == {"="}
    assert lines[volume_header + 2] == ""
    assert lines[volume_header + 3].startswith("Volume group")
    summary = lines[volume_header + 5:volume_header + 5 + len(groups)]
    assert [row.split()[0] for row in summary] == [group.id for group, *_ in SAMPLE_GROUPS]
    assert summary[2] == "VG_WIN1_DES_NC   no tape catalog"
    assert lines[-3] == ("E501NEW-I3279 \\INSIDX.$X66X exported UPDATE catalogs for data store DS_WIN1_DES "
                         "(0 volumes processed). Report in $S.#BPAK.E5EXP")


@pytest.mark.rule("R51")
def test_prerendered_lines_win_when_the_structure_already_carries_them():
    given = sample_report()
    given.header.banner_line = "BANNER"
    given.completion_line = "COMPLETION"
    given.end_line = "END"
    given.volumes[0].catalog_text = "ASSIGNED  AS PRINTED"
    given.header.disk_files_text = "included"
    given.header.disk_files = False
    lines = report.export_report_lines(given, 0)
    assert (lines[0], lines[-3], lines[-1]) == ("BANNER", "COMPLETION", "END")
    assert "DSM/TC disk files : included" in lines
    assert any(line.startswith("VEBR01") and line.endswith("ASSIGNED  AS PRINTED") for line in lines)


def test_banner_and_end_lines_print_minutes():
    when = datetime(2025, 10, 3, 21, 44, 23)
    assert report.banner_line(DOM, PROCESS, when) == \
        "E501NEW-BB051 - CatSync Export/Import process \\INSIDX.$X66X 2025-10-03 21:44"
    assert report.end_line(DOM, PROCESS, when) == "E501NEW-BB051 Process \\INSIDX.$X66X ended on 2025-10-03 21:44"
