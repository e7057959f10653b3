"""The import report layout and the Import Status page (catsync/report.py): the E5.01 manual's import sample rebuilt
from structured data and compared with the sample in the reference text, then each piece on its own."""

from __future__ import annotations

import calendar
import re
from datetime import datetime
from pathlib import Path

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from catsync import report
from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb
from emulator.v1 import media_catalog_pb2 as mc

MANUAL = Path(__file__).resolve().parents[3] / "shared" / "reference" / "backbox-e501-catalog-sync-option.txt"
DOM = "YINE500"
PROCESS = "\\ETINIUM.$X1S3"
STORE, PRIMARY_STORE = "E501_WIN1_SND", "DS_WIN1_DES"
SOURCE = "\\ETINIUM.$DATA15.E5CATSYN"
SPOOL = "$S.#BPAK.E5IMP"
MANUAL_SPOOL = "$$.#BPAK.E5IMP"   # the manual's sample writes the spooler location `$$.#bpak.E5imp`
EXPORT_ID = "2025-10-03_21:44:23"
DSMTC, NONE, TMF = bb.TAPE_CATALOG_TYPE_DSMTC, bb.TAPE_CATALOG_TYPE_NONE, bb.TAPE_CATALOG_TYPE_TMF
ASSIGNED, SCRATCH, BLANK = mc.VOLUME_STATUS_ASSIGNED, mc.VOLUME_STATUS_SCRATCH, mc.VOLUME_STATUS_UNSPECIFIED
WIN1_FILE = "E501-OBK11-WIN1"
DES2, NC2, NC = "VG_WIN1_DES2", "VG_WIN1_DES_NC2_2ND", "VG_WIN1_DES_NC_2ND"

# Volume rows of the manual's import sample: label, secondary group, status, first file id, generation.
SAMPLE_VOLUMES = [
    *((f"ENCL{n:02d}", NC2, BLANK, "", 0) for n in (1, 3, 4, 5)),
    *((f"ENCS{n:02d}", NC, BLANK, "", 0) for n in range(1, 6)),
    ("EW1001", DES2, SCRATCH, "", 0),
    ("EW1003", DES2, ASSIGNED, WIN1_FILE, 3),
    ("EW1004", DES2, SCRATCH, "", 0),
    ("EW1005", DES2, ASSIGNED, WIN1_FILE, 6),
    ("EW1006", DES2, ASSIGNED, WIN1_FILE, 8),
    ("EW1007", DES2, ASSIGNED, WIN1_FILE, 9),
    ("EW1008", DES2, ASSIGNED, WIN1_FILE, 10),
    ("EW1009", DES2, SCRATCH, "", 0),
    ("EW1010", DES2, SCRATCH, "", 0),
    *((f"VWIB{n:02d}", DES2, SCRATCH, "", 0) for n in range(1, 6)),
]

PRIMARY_GROUPS = {
    "VG_WIN1_DES": bb.VolumeGroup(id="VG_WIN1_DES", tape_catalog=DSMTC, volcat="\\INSIDX.QCVOLCAT", pool="E501_WIN1"),
    "VG_WIN1_DES_NC2": bb.VolumeGroup(id="VG_WIN1_DES_NC2", tape_catalog=NONE),
    "VG_WIN1_DES_NC": bb.VolumeGroup(id="VG_WIN1_DES_NC", tape_catalog=NONE),
    "VG_WIN1_BRCOM": bb.VolumeGroup(id="VG_WIN1_BRCOM", tape_catalog=DSMTC, volcat="\\INSIDX.QCVOLCAT",
                                    pool="E501_WIN1_BRCOM"),
    "VG_WIN1_UL": bb.VolumeGroup(id="VG_WIN1_UL", tape_catalog=NONE),
    "VG_WIN_TMF": bb.VolumeGroup(id="VG_WIN_TMF", tape_catalog=TMF, tmf_node="\\INSIDX"),
}
SECONDARY_GROUPS = {
    DES2: bb.VolumeGroup(id=DES2, tape_catalog=DSMTC, volcat="\\ETINIUM.SHCH409VC", pool="E501_WIN_2ND",
                         filecat="\\ETINIUM.SHCH409FC"),
    NC2: bb.VolumeGroup(id=NC2, tape_catalog=NONE),
    NC: bb.VolumeGroup(id=NC, tape_catalog=NONE),
}
# Validation rows in the manual's order: secondary group ("" = none here), primary group.
SAMPLE_MAPPING = [(DES2, "VG_WIN1_DES"), (NC2, "VG_WIN1_DES_NC2"), (NC, "VG_WIN1_DES_NC"),
                  ("", "VG_WIN1_BRCOM"), ("", "VG_WIN1_UL"), ("", "VG_WIN_TMF")]
# IMPORT RESULT SUMMARY rows: group, newest volume, its unload time on \ETINIUM, the seven counts.
SAMPLE_SUMMARIES = [
    (DES2, "EW1008", "2025-09-23 16:16:42", (14, 0, 14, 0, 0, 0, 0)),
    (NC2, "ENCL01", "2025-09-18 14:25:41", (4, 0, 4, 0, 0, 0, 0)),
    (NC, "ENCS02", "2025-09-18 14:26:42", (5, 0, 5, 0, 0, 0, 0)),
]


def ts(text: str) -> Timestamp:
    """The instant at which a UTC node (\\ETINIUM in the sample topology) shows `text` (`YYYY-MM-DD HH:MM:SS`)."""
    return Timestamp(seconds=calendar.timegm(datetime.strptime(text, "%Y-%m-%d %H:%M:%S").timetuple()))


def w3332(primary_group: str) -> cs.ReportMessage:
    return cs.ReportMessage(
        code="W3332", severity=bb.PROBLEM_SEVERITY_WARNING, volume_group_id=primary_group,
        text=(f"{DOM}-W3332 Primary volume group {primary_group} is not configured in the local secondary domain "
              f"{DOM} for data store {PRIMARY_STORE}. For this group, volumes to import will be rejected."))


def validation_row(secondary: str, primary: str) -> cs.ValidationRow:
    row = cs.ValidationRow(secondary_volume_group_id=secondary, primary_volume_group_id=primary,
                           primary=report.catalog_description(PRIMARY_GROUPS[primary]),
                           secondary=report.catalog_description(SECONDARY_GROUPS.get(secondary)))
    if not secondary:
        row.warning.CopyFrom(w3332(primary))
        row.volumes_rejected = True
    return row


def header(**overrides) -> cs.ReportHeader:
    fields = dict(domain_id=DOM, process=PROCESS, started=ts("2025-10-03 16:48:05"), kind=cs.PROCESS_KIND_IMPORT,
                  type=cs.SYNC_TYPE_FULL, data_store_id=STORE, primary_data_store_id=PRIMARY_STORE, disk_files=True,
                  export_id=EXPORT_ID, location=SOURCE, report_location=SPOOL)
    fields.update(overrides)
    return cs.ReportHeader(**fields)


def sample_report(**header_overrides) -> cs.ImportReport:
    """The manual's FULL import of E501_WIN1_SND as the import program would fill it (\\ETINIUM runs on UTC in the
    sample topology, so the instants are the times the manual prints)."""
    head = header(**{"report_location": MANUAL_SPOOL, **header_overrides})
    volumes = [cs.ReportVolumeRow(label=label, volume_group_id=group, catalog_status=status, first_file_id=file_id,
                                  first_generation=gen, first_vol_index=1 if file_id else 0)
               for label, group, status, file_id, gen in SAMPLE_VOLUMES]
    summaries = []
    for group, newest, unloaded, counts in SAMPLE_SUMMARIES:
        summary = cs.ImportGroupSummary(volume_group_id=group, catalog=report.catalog_description(
            SECONDARY_GROUPS[group]), newest_label=newest, newest_unload_time=ts(unloaded))
        (summary.volumes_in_source, summary.backbox_added, summary.backbox_updated, summary.backbox_deleted,
         summary.nsk_added, summary.nsk_updated, summary.nsk_deleted) = counts
        summaries.append(summary)
    rows = [validation_row(secondary, primary) for secondary, primary in SAMPLE_MAPPING]
    processed = len(volumes)
    return cs.ImportReport(
        header=head, validation=rows, volumes=volumes, summaries=summaries,
        activity=[cs.ImportGroupActivity(volume_group_id=DES2)],
        warnings=[row.warning for row in rows if row.HasField("warning")],
        volumes_processed=processed, status=cs.PROCESS_STATUS_FINISHED, ended=ts("2025-10-03 16:48:40"),
        completion_line=f"{DOM}-I3342 " + report.i3342_text(PROCESS, head.type, STORE, processed,
                                                            head.report_location),
        end_line=report.end_line(DOM, PROCESS, report.local(ts("2025-10-03 16:48:40"), 0)))


# -- the manual ------------------------------------------------------------------------------------------------------

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ _]\d{2}:\d{2}(:\d{2})?")
UNDERLINE = re.compile(r"^[=\s]+$")


def manual_sample_lines() -> list[str]:
    """The sample import report of the reference manual, from its heading to the next chapter."""
    if not MANUAL.is_file():
        pytest.skip(f"reference manual not found at {MANUAL}")
    text = MANUAL.read_text(encoding="utf-8").splitlines()
    start = text.index("### Catalog Import Report") + 1
    return text[start:text.index("# CONFIGURATION CHANGES", start)]


def normalised(lines: list[str], mask_times: bool = True) -> list[str]:
    """Lines reduced to what the comparison checks: no markdown escapes or fences, whitespace collapsed, no space
    before a colon (`Export id        :` = `Export id:`), NonStop names in lower case (the manual writes
    `\\etinium.$data15.E5catsyn`), times masked; blank and `=====` lines dropped. The manual breaks the I3342 line
    in two: a line ending in `for data store` is joined with the next one."""
    out: list[str] = []
    for line in lines:
        line = line.replace("\\_", "_").replace("\\$", "$").replace("**", "")
        if line.strip().startswith("```"):
            continue
        if mask_times:
            line = TIMESTAMP.sub("<TIME>", line)
        line = re.sub(r"\s+:", ":", " ".join(line.split()))
        if not line or UNDERLINE.match(line):
            continue
        line = " ".join(t.lower() if t[0] in "\\$" else t for t in line.split())
        if out and out[-1].endswith(" for data store"):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def section(lines: list[str], title: str, end: str) -> list[str]:
    start = lines.index(title) + 1
    return lines[start:lines.index(end, start)]


SECTIONS = [
    "CONFIGURATION VALIDATION, VOLUME GROUPS",
    "Volume group NSK tape catalog and pool for primary and secondary sites",
    "Volume Group Catalog status",
    "Deletion of unreferenced volumes",
    "IMPORT RESULT SUMMARY: Numbers of tape volumes",
    "IMPORT RESULT SUMMARY: other activity on DSM/TC",
]


@pytest.mark.rule("R51")
def test_sample_report_has_the_manuals_sections_in_the_manuals_order():
    manual = normalised(manual_sample_lines())
    ours = normalised(report.import_report_lines(sample_report(), 0))
    for lines in (manual, ours):
        positions = [lines.index(title) for title in SECTIONS]
        assert positions == sorted(positions)
        assert lines[0].startswith(f"{DOM}-BB051 - CatSync Export/Import process")
        assert lines[-2].startswith(f"{DOM}-I3342 ") and lines[-1].startswith(f"{DOM}-BB051 Process ")


@pytest.mark.rule("R51")
def test_sample_header_and_validation_match_the_manual_line_by_line_but_for_the_w3332_prefix():
    manual = normalised(manual_sample_lines(), mask_times=False)
    ours = normalised(report.import_report_lines(sample_report(), 0), mask_times=False)
    upto = SECTIONS[2]
    expected, got = manual[:manual.index(upto)], ours[:ours.index(upto)]
    assert len(expected) == 7 + 1 + 1 + 6 * 3 + 2 + 3  # header, title, table header, rows, 2 wrapped texts, W3332s
    # The manual prints the W3332 lines without the `YINE500-` prefix every other report line carries.
    assert [line.removeprefix(f"{DOM}-") if line.startswith(f"{DOM}-W3332 ") else line for line in got] == expected


@pytest.mark.rule("R39")
def test_sample_w3332_lines_equal_the_manuals():
    manual = [line for line in normalised(manual_sample_lines()) if line.startswith("W3332")]
    ours = [line for line in report.import_report_lines(sample_report(), 0) if "-W3332 " in line]
    assert len(manual) == 3
    assert [line.removeprefix(f"{DOM}-") for line in ours] == manual


@pytest.mark.rule("R51")
def test_sample_volume_rows_match_the_manuals():
    manual = section(normalised(manual_sample_lines()), SECTIONS[2], SECTIONS[3])
    ours = section(normalised(report.import_report_lines(sample_report(), 0)), SECTIONS[2], SECTIONS[3])
    assert len(manual) == len(SAMPLE_VOLUMES) == 23
    assert ours == manual


@pytest.mark.rule("R51")
def test_sample_completion_and_end_lines_match_the_manuals_when_times_are_masked():
    manual = normalised(manual_sample_lines())
    ours = normalised(report.import_report_lines(sample_report(), 0))
    assert ours[-2:] == manual[-2:]
    assert manual[-2] == (f"{DOM}-I3342 \\etinium.$x1s3 imported FULL catalogs for data store {STORE} "
                          "(23 volumes processed). Report in $$.#bpak.e5imp")


def numbers(line: str) -> list[int]:
    return [int(word) for word in line.split()] if line and all(w.isdigit() for w in line.split()) else []


@pytest.mark.rule("R51")
def test_sample_summary_counts_match_the_manuals():
    def counts(lines: list[str]) -> dict[str, list[int]]:
        table = section(lines, SECTIONS[4], SECTIONS[5])
        out, group = {}, None
        for line in table:
            if line.split()[0].startswith("VG_"):
                group = line.split()[0]
            elif numbers(line):
                out[group] = numbers(line)
        return out

    manual = counts(normalised(manual_sample_lines(), mask_times=False))
    ours = counts(normalised(report.import_report_lines(sample_report(), 0), mask_times=False))
    assert manual == {DES2: [14, 0, 14, 0, 0, 0, 0], NC2: [4, 0, 4, 0, 0, 0, 0], NC: [5, 0, 5, 0, 0, 0, 0]}
    assert ours == manual
    # The newest volume of each group with the time the manual prints on \ETINIUM.
    manual_newest = [line for line in normalised(manual_sample_lines(), mask_times=False) if "Newest" in line]
    assert [line for line in normalised(report.import_report_lines(sample_report(), 0), mask_times=False)
            if "Newest" in line] == manual_newest


@pytest.mark.rule("R51")
def test_sample_activity_row_counts_agree_with_the_manuals_three_columns():
    # The manual's text keeps three of the four activity columns (Tape Added, Tape Deleted, Disk Added).
    manual_lines = normalised(manual_sample_lines())
    our_lines = normalised(report.import_report_lines(sample_report(), 0))
    manual = section(manual_lines, SECTIONS[5], manual_lines[-2])
    ours = section(our_lines, SECTIONS[5], our_lines[-2])
    manual_row = next(line.split() for line in manual if line.split()[0] == DES2 and numbers(line.split(None, 1)[1]))
    our_row = next(line.split() for line in ours if line.split()[0] == DES2)
    assert manual_row == [DES2, "0", "0", "0"]
    assert our_row[:4] == manual_row and our_row[4:] == ["0"]


# -- exact layout ----------------------------------------------------------------------------------------------------

@pytest.mark.rule("R51")
def test_sample_report_reads_line_by_line_as_a_fixed_width_text():
    lines = report.import_report_lines(sample_report(), 0)
    assert lines[:12] == [
        "YINE500-BB051 - CatSync Export/Import process \\ETINIUM.$X1S3 2025-10-03 16:48",
        "Data store        : E501_WIN1_SND -",
        "                    Primary data store: DS_WIN1_DES",
        "Process type      : IMPORT FULL catalogs",
        "DSM/TC disk files : insert new entries and delete obsolete entries",
        "Export id         : 2025-10-03_21:44:23",
        "Import source     : \\ETINIUM.$DATA15.E5CATSYN",
        "",
        "CONFIGURATION VALIDATION, VOLUME GROUPS",
        "",
        "Volume group         NSK tape catalog and pool for primary and secondary sites",
        "===================  =========================================================",
    ]
    assert lines[12:18] == [
        "VG_WIN1_DES2         Primary volume group: VG_WIN1_DES",
        "                     Primary  : DSM/TC volcat \\INSIDX.QCVOLCAT, pool E501_WIN1",
        "                     Secondary: DSM/TC volcat \\ETINIUM.SHCH409VC,",
        "                                pool E501_WIN_2ND",
        "",
        "VG_WIN1_DES_NC2_2ND  Primary volume group: VG_WIN1_DES_NC2",
    ]
    brcom = lines.index("                     Primary volume group: VG_WIN1_BRCOM")
    assert lines[brcom:brcom + 7] == [
        "                     Primary volume group: VG_WIN1_BRCOM",
        "                     Primary  : DSM/TC volcat \\INSIDX.QCVOLCAT,",
        "                                pool E501_WIN1_BRCOM",
        "                     Secondary: (no volume group)",
        "",
        w3332("VG_WIN1_BRCOM").text,
        "",
    ]
    volumes = lines.index("Volume  Group                Catalog status")
    assert lines[volumes - 1] == ""
    assert lines[volumes + 1:volumes + 3] == ["======  ===================  =================================",
                                              "ENCL01  VG_WIN1_DES_NC2_2ND"]
    assert "EW1003  VG_WIN1_DES2         ASSIGNED  E501-OBK11-WIN1, gen=3" in lines
    last = volumes + 2 + len(SAMPLE_VOLUMES)
    assert lines[last - 1] == "VWIB05  VG_WIN1_DES2         SCRATCH"
    assert lines[last:] == [
        "",
        "Deletion of unreferenced volumes",
        "",
        "Volume  Group",
        "======  =====",
        "",
        "IMPORT RESULT SUMMARY: Numbers of tape volumes",
        "Volume group         Import source  <===BackBox catalog===>  <===NSK tape catalog===>",
        "                                    Added  Updated  Deleted   Added  Updated  Deleted",
        "VG_WIN1_DES2         DSM/TC volcat \\ETINIUM.SHCH409VC, pool E501_WIN_2ND",
        "                     Newest volume in Import: EW1008 unloaded on 2025-09-23 16:16:42",
        "                                14      0       14        0       0        0        0",
        "VG_WIN1_DES_NC2_2ND  no tape catalog",
        "                     Newest volume in Import: ENCL01 unloaded on 2025-09-18 14:25:41",
        "                                 4      0        4        0       0        0        0",
        "VG_WIN1_DES_NC_2ND   no tape catalog",
        "                     Newest volume in Import: ENCS02 unloaded on 2025-09-18 14:26:42",
        "                                 5      0        5        0       0        0        0",
        "",
        "IMPORT RESULT SUMMARY: other activity on DSM/TC",
        "Volume group         <==Tape files==>  <==Disk files==>",
        "                       Added  Deleted    Added  Deleted",
        "VG_WIN1_DES2               0        0        0        0",
        "                     DSM/TC volcat \\ETINIUM.SHCH409VC, pool E501_WIN_2ND",
        "",
        "YINE500-I3342 \\ETINIUM.$X1S3 imported FULL catalogs for data store E501_WIN1_SND (23 volumes processed). "
        "Report in $$.#BPAK.E5IMP",
        "",
        "YINE500-BB051 Process \\ETINIUM.$X1S3 ended on 2025-10-03 16:48",
    ]


@pytest.mark.rule("R51")
def test_summary_numbers_sit_right_aligned_under_their_words():
    lines = report.import_report_lines(sample_report(), 0)
    words = lines.index(next(line for line in lines if line.lstrip().startswith("Added  Updated")))
    head, row = lines[words - 1], lines[words + 3]
    assert row.split() == ["14", "0", "14", "0", "0", "0", "0"]
    assert row[head.index("Import source") + len("Import source") - 2:][:2] == "14"
    ends = [m.end() for m in re.finditer(r"\S+", lines[words])]
    assert [m.end() for m in re.finditer(r"\S+", row)][1:] == ends


@pytest.mark.rule("R51")
def test_times_follow_the_node_offset_when_the_node_is_five_hours_behind_utc():
    lines = report.import_report_lines(sample_report(), -5 * 3600)
    assert lines[0].endswith(" 2025-10-03 11:48")
    assert "                     Newest volume in Import: EW1008 unloaded on 2025-09-23 11:16:42" in lines
    # The export id is the exporting node's stamp, printed as given.
    assert "Export id         : 2025-10-03_21:44:23" in lines


@pytest.mark.rule("R51")
def test_license_warning_is_the_second_line_only_when_set():
    warned = sample_report()
    warned.header.license_warning.CopyFrom(cs.ReportMessage(
        code="W3162", text="YINE500-W3162 Domain license will expire on 2025-10-10."))
    assert report.import_report_lines(warned, 0)[1:3] == [
        "YINE500-W3162 Domain license will expire on 2025-10-10.", "Data store        : E501_WIN1_SND -"]
    assert report.import_report_lines(sample_report(), 0)[1] == "Data store        : E501_WIN1_SND -"


@pytest.mark.parametrize("primary", ["", STORE])
@pytest.mark.rule("R10")
def test_primary_store_line_is_left_out_when_the_names_are_equal_or_unknown(primary):
    lines = report.import_report_lines(sample_report(primary_data_store_id=primary), 0)
    assert lines[1:3] == ["Data store        : E501_WIN1_SND -", "Process type      : IMPORT FULL catalogs"]


@pytest.mark.rule("R23")
def test_update_report_has_no_deletion_section_and_says_update():
    update = sample_report(type=cs.SYNC_TYPE_UPDATE, disk_files_text="")
    update.completion_line = ""
    lines = report.import_report_lines(update, 0)
    assert "Process type      : IMPORT UPDATE catalogs" in lines
    assert "DSM/TC disk files : insert new entries" in lines
    assert "Deletion of unreferenced volumes" not in lines
    summary = lines.index("IMPORT RESULT SUMMARY: Numbers of tape volumes")
    assert lines[summary - 2] == "VWIB05  VG_WIN1_DES2         SCRATCH" and lines[summary - 1] == ""
    assert lines[-3] == ("YINE500-I3342 \\ETINIUM.$X1S3 imported UPDATE catalogs for data store E501_WIN1_SND "
                         "(23 volumes processed). Report in $$.#BPAK.E5IMP")


@pytest.mark.rule("R23")
def test_full_report_lists_the_deleted_volumes_with_their_groups():
    full = sample_report()
    full.deleted.extend([cs.ReportVolumeRow(label="EW1002", volume_group_id=DES2),
                         cs.ReportVolumeRow(label="ENCL02", volume_group_id=NC2)])
    lines = report.import_report_lines(full, 0)
    title = lines.index("Deletion of unreferenced volumes")
    assert lines[title + 1:title + 7] == [
        "",
        "Volume  Group",
        "======  ===================",
        "EW1002  VG_WIN1_DES2",
        "ENCL02  VG_WIN1_DES_NC2_2ND",
        "",
    ]


@pytest.mark.rule("R21")
def test_volume_errors_and_other_coded_lines_follow_the_volume_table():
    partial = sample_report(type=cs.SYNC_TYPE_UPDATE)
    partial.volume_errors.extend([
        cs.VolumeProblem(label="EW1009", volume_group_id=DES2, message="staging file torn"),
        cs.VolumeProblem(label="EW1010", volume_group_id=DES2, guardian_error=59),
        cs.VolumeProblem(label="VWIB01", volume_group_id=DES2),
    ])
    partial.warnings.extend([
        cs.ReportMessage(code="W3347", text="YINE500-W3347 Key manager id KM2 is not configured"),
        cs.ReportMessage(code="I3340", text="YINE500-I3340 The next import update re-imports every volume"),
    ])
    lines = report.import_report_lines(partial, 0)
    first = lines.index("YINE500-W3346 Volume EW1009 was not imported: staging file torn")
    assert lines[first - 2:first + 6] == [
        "VWIB05  VG_WIN1_DES2         SCRATCH",
        "",
        "YINE500-W3346 Volume EW1009 was not imported: staging file torn",
        "YINE500-W3346 Volume EW1010 was not imported: file system error 59",
        "YINE500-W3346 Volume VWIB01 was not imported: unknown error",
        "YINE500-W3347 Key manager id KM2 is not configured",
        "YINE500-I3340 The next import update re-imports every volume",
        "",
    ]
    assert lines[first + 6] == "IMPORT RESULT SUMMARY: Numbers of tape volumes"
    # The W3332 lines stay in the validation section only.
    assert sum("-W3332 " in line for line in lines) == 3


@pytest.mark.rule("R39")
def test_fatal_report_stops_after_validation_and_ends_with_its_error_lines():
    fatal = sample_report()
    fatal.fatal, fatal.status = True, cs.PROCESS_STATUS_FAILED
    fatal.fatal_message = "YINE500-E3333 Volume catalog \\ETINIUM.SHCH409VC is the one of the primary store"
    fatal.warnings.extend([
        cs.ReportMessage(code="E3333", text=fatal.fatal_message),
        cs.ReportMessage(code="E3390", text="YINE500-E3390 Nothing was applied to the catalogs"),
        cs.ReportMessage(code="W3347", text="YINE500-W3347 Key manager id KM2 is not configured"),
    ])
    lines = report.import_report_lines(fatal, 0)
    last_row = lines.index(w3332("VG_WIN_TMF").text)
    assert lines[last_row:] == [
        w3332("VG_WIN_TMF").text,
        "",
        "YINE500-E3333 Volume catalog \\ETINIUM.SHCH409VC is the one of the primary store",
        "YINE500-W3347 Key manager id KM2 is not configured",
        "",
        "YINE500-E3390 Nothing was applied to the catalogs",
        "",
        "YINE500-BB051 Process \\ETINIUM.$X1S3 ended on 2025-10-03 16:48",
    ]
    assert not any(line.startswith(("Volume  Group", "Deletion", "IMPORT RESULT")) or "I3342" in line
                   for line in lines)


@pytest.mark.rule("R39")
def test_fatal_report_without_other_errors_ends_right_after_its_message():
    fatal = sample_report()
    fatal.fatal, fatal.status = True, cs.PROCESS_STATUS_FAILED
    fatal.fatal_message = "YINE500-E3333 Import refused"
    lines = report.import_report_lines(fatal, 0)
    assert lines[-3:] == ["YINE500-E3333 Import refused", "", "YINE500-BB051 Process \\ETINIUM.$X1S3 ended on "
                                                                "2025-10-03 16:48"]


@pytest.mark.rule("R43")
def test_a_coded_line_is_printed_once_when_validation_already_printed_it():
    inconsistent = sample_report()
    odd = cs.ReportMessage(code="W3393", text="YINE500-W3393 Catalog types of VG_WIN1_DES2 do not match")
    inconsistent.validation[0].warning.CopyFrom(odd)
    inconsistent.warnings.append(odd)
    # A W3332 belongs to the validation table even when no row carries it.
    inconsistent.warnings.append(w3332("VG_ELSEWHERE"))
    lines = report.import_report_lines(inconsistent, 0)
    assert lines.count(odd.text) == 1
    assert lines[lines.index(odd.text) - 2] == "                                pool E501_WIN_2ND"
    assert w3332("VG_ELSEWHERE").text not in lines


@pytest.mark.rule("R39")
def test_fatal_message_is_printed_once_whatever_code_the_warnings_give_it():
    fatal = sample_report()
    fatal.fatal, fatal.status = True, cs.PROCESS_STATUS_FAILED
    fatal.fatal_message = "YINE500-E3393 Volume catalog \\ETINIUM.SHCH409VC is the one of the primary store"
    fatal.warnings.append(cs.ReportMessage(code="E3393", text=fatal.fatal_message))
    lines = report.import_report_lines(fatal, 0)
    assert lines[-3:] == [fatal.fatal_message, "", "YINE500-BB051 Process \\ETINIUM.$X1S3 ended on 2025-10-03 16:48"]
    assert lines.count(fatal.fatal_message) == 1


@pytest.mark.rule("R51")
def test_failed_import_keeps_its_tables_and_prints_errors_instead_of_the_completion_line():
    failed = sample_report()
    failed.status = cs.PROCESS_STATUS_FAILED
    failed.warnings.append(cs.ReportMessage(code="E3391",
                                            text="YINE500-E3391 Expand path to \\INSIDX lost (error 250)"))
    lines = report.import_report_lines(failed, 0)
    assert "IMPORT RESULT SUMMARY: other activity on DSM/TC" in lines
    assert not any("I3342" in line for line in lines)
    assert lines[-3:] == ["YINE500-E3391 Expand path to \\INSIDX lost (error 250)", "",
                          "YINE500-BB051 Process \\ETINIUM.$X1S3 ended on 2025-10-03 16:48"]
    assert lines.count("YINE500-E3391 Expand path to \\INSIDX lost (error 250)") == 1
    failed.warnings.pop()
    assert report.import_report_lines(failed, 0)[-3] == \
        "Import of data store E501_WIN1_SND failed: process ended before completion"


@pytest.mark.rule("R51")
def test_missing_newest_volume_leaves_the_summary_at_two_lines():
    bare = sample_report()
    bare.summaries[1].newest_label = ""
    bare.summaries[1].ClearField("newest_unload_time")
    bare.summaries[2].ClearField("newest_unload_time")
    lines = report.import_report_lines(bare, 0)
    nc2 = lines.index("VG_WIN1_DES_NC2_2ND  no tape catalog")
    assert lines[nc2 + 1].split() == ["4", "0", "4", "0", "0", "0", "0"]
    assert lines[nc2 + 3] == "                     Newest volume in Import: ENCS02"


@pytest.mark.rule("R51")
def test_activity_row_without_a_summary_has_no_catalog_line():
    extra = sample_report()
    extra.activity.append(cs.ImportGroupActivity(volume_group_id="VG_ELSEWHERE", tape_files_added=12,
                                                 disk_files_deleted=123456789012))
    lines = report.import_report_lines(extra, 0)
    title = lines.index("IMPORT RESULT SUMMARY: other activity on DSM/TC")
    # A number wider than its word widens the column; the span is centred over the wider columns.
    assert lines[title + 1:title + 7] == [
        "Volume group         <==Tape files==>    <==Disk files==>",
        "                       Added  Deleted  Added       Deleted",
        "VG_WIN1_DES2               0        0      0             0",
        "                     DSM/TC volcat \\ETINIUM.SHCH409VC, pool E501_WIN_2ND",
        "VG_ELSEWHERE              12        0      0  123456789012",
        "",
    ]


@pytest.mark.rule("R51")
def test_wide_counts_widen_their_columns_and_the_source_column_stays_right_aligned():
    wide = sample_report()
    wide.summaries[0].volumes_in_source = 123456789012345
    wide.summaries[0].nsk_updated = 1234567890
    lines = report.import_report_lines(wide, 0)
    title = lines.index("IMPORT RESULT SUMMARY: Numbers of tape volumes")
    assert lines[title + 1:title + 3] == [
        "Volume group           Import source  <===BackBox catalog===>   <===NSK tape catalog===>",
        "                                      Added  Updated  Deleted  Added     Updated  Deleted",
    ]
    assert lines[title + 5] == \
        "                     123456789012345      0       14        0      0  1234567890        0"


@pytest.mark.rule("R51")
def test_prerendered_lines_and_texts_win_when_the_structure_carries_them():
    given = sample_report()
    given.header.banner_line, given.completion_line, given.end_line = "BANNER", "COMPLETION", "END"
    given.header.disk_files_text, given.header.disk_files = "not imported", True
    given.volumes[0].catalog_text = "AS PRINTED"
    lines = report.import_report_lines(given, 0)
    assert (lines[0], lines[-3], lines[-1]) == ("BANNER", "COMPLETION", "END")
    assert "DSM/TC disk files : not imported" in lines
    assert "ENCL01  VG_WIN1_DES_NC2_2ND  AS PRINTED" in lines


def test_defaults_fill_banner_completion_and_end_when_the_structure_leaves_them_out():
    plain = sample_report(report_location=SPOOL, disk_files=False)
    plain.completion_line = plain.end_line = ""
    plain.ClearField("ended")
    lines = report.import_report_lines(plain, 0)
    assert "DSM/TC disk files : not imported" in lines
    assert lines[-3:] == [
        "YINE500-I3342 \\ETINIUM.$X1S3 imported FULL catalogs for data store E501_WIN1_SND (23 volumes processed). "
        "Report in $S.#BPAK.E5IMP",
        "",
        "YINE500-BB051 Process \\ETINIUM.$X1S3 ended on 2025-10-03 16:48",
    ]


# -- validation table alone ------------------------------------------------------------------------------------------

def test_validation_lines_wrap_only_catalog_texts_that_pass_the_line_width():
    short = cs.ValidationRow(secondary_volume_group_id="VG2", primary_volume_group_id="VG1",
                             primary=cs.CatalogDescription(configured=True, text="DSM/TC volcat \\A.VC, pool P1"),
                             secondary=cs.CatalogDescription(configured=True, text="DSM/TC volcat \\B.VC, pool P2"))
    long_text = "DSM/TC volcat \\ETINIUM.SHCH409VC, pool " + "P" * 40
    wrapped = cs.ValidationRow(secondary_volume_group_id="VG4", primary_volume_group_id="VG3",
                               primary=cs.CatalogDescription(configured=True, text="TMF catalog: \\" + "N" * 70),
                               secondary=cs.CatalogDescription(configured=True, text=long_text))
    assert report.validation_lines([short, wrapped]) == [
        "Volume group  NSK tape catalog and pool for primary and secondary sites",
        "============  =========================================================",
        "VG2           Primary volume group: VG1",
        "              Primary  : DSM/TC volcat \\A.VC, pool P1",
        "              Secondary: DSM/TC volcat \\B.VC, pool P2",
        "",
        "VG4           Primary volume group: VG3",
        "              Primary  : TMF catalog: \\" + "N" * 70,   # no `, pool` to cut at: left whole
        "              Secondary: DSM/TC volcat \\ETINIUM.SHCH409VC,",
        "                         pool " + "P" * 40,
        "",
    ]


@pytest.mark.parametrize(("length", "wrapped"), [(54, False), (55, True)])
def test_validation_lines_wrap_when_a_line_would_pass_column_79(length, wrapped):
    text = "DSM/TC volcat \\N.VC, pool " + "P" * (length - len("DSM/TC volcat \\N.VC, pool "))
    row = cs.ValidationRow(secondary_volume_group_id="VG", primary_volume_group_id="VG",
                           primary=cs.CatalogDescription(configured=True, text=text),
                           secondary=cs.CatalogDescription(configured=True, text="no tape catalog"))
    got = report.validation_lines([row])[3:-2]
    if wrapped:
        assert got == ["              Primary  : DSM/TC volcat \\N.VC,", "                         " + text[21:]]
    else:
        assert got == ["              Primary  : " + text] and len(got[0]) == 79


def test_validation_lines_use_the_descriptions_own_wording_when_text_is_empty():
    row = cs.ValidationRow(primary_volume_group_id="VG_WIN_TMF",
                           primary=cs.CatalogDescription(configured=True, catalog_type=TMF, tmf_node="\\INSIDX"),
                           secondary=cs.CatalogDescription(configured=False, text="ignored when not configured"),
                           warning=w3332("VG_WIN_TMF"))
    assert report.validation_lines([row])[2:] == [
        "              Primary volume group: VG_WIN_TMF",
        "              Primary  : TMF catalog: \\INSIDX",
        "              Secondary: (no volume group)",
        "",
        w3332("VG_WIN_TMF").text,
        "",
    ]


def test_validation_lines_of_no_rows_are_the_header_alone():
    assert report.validation_lines([]) == [
        "Volume group  NSK tape catalog and pool for primary and secondary sites",
        "============  =========================================================",
    ]


# -- EMS texts and header values -------------------------------------------------------------------------------------

@pytest.mark.rule("R51")
def test_ems_start_text_names_entire_catalogs_for_full_and_updates_otherwise():
    assert report.i3286_text(PROCESS, cs.SYNC_TYPE_FULL, STORE, SPOOL) == (
        "Process \\ETINIUM.$X1S3 started for IMPORTING the entire catalogs of data store E501_WIN1_SND. "
        "Output report sent to $S.#BPAK.E5IMP.")
    expected_update = ("Process \\ETINIUM.$X1S3 started for IMPORTING the catalog updates of data store "
                       "E501_WIN1_SND. Output report sent to $S.#BPAK.E5IMP.")
    assert report.i3286_text(PROCESS, cs.SYNC_TYPE_UPDATE, STORE, SPOOL) == expected_update
    assert report.i3286_text(PROCESS, cs.SYNC_TYPE_UNSPECIFIED, STORE, SPOOL) == expected_update


@pytest.mark.rule("R51")
def test_ems_completion_text_counts_the_volumes_processed():
    assert report.i3342_text(PROCESS, cs.SYNC_TYPE_FULL, STORE, 23, SPOOL) == (
        "\\ETINIUM.$X1S3 imported FULL catalogs for data store E501_WIN1_SND (23 volumes processed). "
        "Report in $S.#BPAK.E5IMP")
    assert report.i3342_text(PROCESS, cs.SYNC_TYPE_UPDATE, STORE, 0, SPOOL) == (
        "\\ETINIUM.$X1S3 imported UPDATE catalogs for data store E501_WIN1_SND (0 volumes processed). "
        "Report in $S.#BPAK.E5IMP")


@pytest.mark.parametrize(("sync_type", "catalog_files", "expected"), [
    (cs.SYNC_TYPE_FULL, True, "insert new entries and delete obsolete entries"),
    (cs.SYNC_TYPE_UPDATE, True, "insert new entries"),
    (cs.SYNC_TYPE_UNSPECIFIED, True, "insert new entries"),
    (cs.SYNC_TYPE_FULL, False, "not imported"),
    (cs.SYNC_TYPE_UPDATE, False, "not imported"),
])
@pytest.mark.rule("R24")
def test_disk_files_text_says_what_happens_to_diskfiles(sync_type, catalog_files, expected):
    assert report.disk_files_text(sync_type, catalog_files) == expected


# -- Import Status page ----------------------------------------------------------------------------------------------

def full_status() -> cs.GetImportStatusResponse:
    """The manual's Import Status page (its times are \\ETINIUM's, a UTC node here)."""
    staging = "\\ETINIUM.$DATA15.E5CATSYN"
    return cs.GetImportStatusResponse(
        data_store_id=STORE,
        most_recent_imported=cs.VolumeActivity(label="EW1008", time=ts("2025-09-23 16:16:42")),
        available=cs.AvailableCatalogInfo(staging_subvolume=staging, total_volume_files=35,
                                          received_after_last_import=35,
                                          latest_received_time=ts("2025-10-03 16:08:33"),
                                          latest_export_id="2025-10-03_21:44:23",
                                          latest_export_type=cs.SYNC_TYPE_FULL),
        latest_full_import=cs.ImportProcessInfo(staging_subvolume=staging, export_id="2025-09-30_14:48:47",
                                                process="\\ETINIUM.$X2Y2", type=cs.SYNC_TYPE_FULL,
                                                status=cs.PROCESS_STATUS_FINISHED,
                                                start_time=ts("2025-09-30 09:50:29"), report_location=MANUAL_SPOOL,
                                                volumes_processed=23),
        latest_import=cs.ImportProcessInfo(staging_subvolume=staging, export_id="2025-10-03_21:07:12",
                                           process="\\ETINIUM.$X1MB", type=cs.SYNC_TYPE_FULL,
                                           status=cs.PROCESS_STATUS_RUNNING, start_time=ts("2025-10-03 16:11:46"),
                                           report_location=MANUAL_SPOOL, volumes_processed=0),
        check_against_primary_available=True)


def test_status_page_shows_every_section_of_the_manuals_page():
    assert report.import_status_lines(full_status(), DOM, 0) == [
        "Import Status of data store E501_WIN1_SND (domain YINE500)",
        "",
        "Most Recently Written Volume Imported",
        "  Volume EW1008 (Unloaded on 2025-09-23 16:16:42)",
        "",
        "Available Catalog Information to Import",
        "  Staging Subvolume: \\ETINIUM.$DATA15.E5CATSYN",
        "  Total Number of BackBox Volumes: 35",
        "  Volumes Received After Last Successful Import: 35",
        "  Time of Latest Received BackBox Volume: 2025-10-03 16:08:33",
        "  Latest Export Id: 2025-10-03_21:44:23 (FULL)",
        "",
        "Latest Completed Full Import",
        "  Staging Subvolume: \\ETINIUM.$DATA15.E5CATSYN",
        "  Export Id: 2025-09-30_14:48:47",
        "  Process Name: \\ETINIUM.$X2Y2",
        "  Import Start Time: 2025-09-30 09:50:29",
        "  Import Report: $$.#BPAK.E5IMP",
        "  Number of Volumes Processed: 23",
        "",
        "Latest Import",
        "  Staging Subvolume: \\ETINIUM.$DATA15.E5CATSYN",
        "  Export Id: 2025-10-03_21:07:12",
        "  Process Name: \\ETINIUM.$X1MB",
        "  Import type: FULL",
        "  Process Status: RUNNING",
        "  Import Start Time: 2025-10-03 16:11:46",
        "  Import Report: $$.#BPAK.E5IMP",
        "  Number of Volumes Processed: 0",
    ]


def test_status_page_field_names_are_the_manuals():
    if not MANUAL.is_file():
        pytest.skip(f"reference manual not found at {MANUAL}")
    text = MANUAL.read_text(encoding="utf-8").splitlines()
    start = text.index("**Most Recently Written Volume Imported**  ")
    end = next(i for i in range(start, len(text)) if text[i].strip() == "Number of Volumes Processed: 0")
    page = normalised(text[start:end + 1], mask_times=False)
    ours = normalised(report.import_status_lines(full_status(), DOM, 0), mask_times=False)
    ours = [line for line in ours if not line.startswith(("Import Status of", "Latest Export Id"))]
    # The page prints the status the way the UI does (`Running`); the text page uses the enum word.
    assert [line.replace("Process Status: Running", "Process Status: RUNNING") for line in page] == ours


def test_status_page_says_none_yet_for_each_missing_section():
    empty = cs.GetImportStatusResponse(data_store_id=STORE, available=cs.AvailableCatalogInfo(
        staging_subvolume="\\ETINIUM.$DATA15.E5CATSYN"))
    assert report.import_status_lines(empty, DOM, 0) == [
        "Import Status of data store E501_WIN1_SND (domain YINE500)",
        "",
        "Most Recently Written Volume Imported",
        "  (none yet)",
        "",
        "Available Catalog Information to Import",
        "  Staging Subvolume: \\ETINIUM.$DATA15.E5CATSYN",
        "  Total Number of BackBox Volumes: 0",
        "  Volumes Received After Last Successful Import: 0",
        "  Time of Latest Received BackBox Volume: (none)",
        "",
        "Latest Completed Full Import",
        "  (none yet)",
        "",
        "Latest Import",
        "  (none yet)",
    ]


@pytest.mark.rule("R21")
def test_status_page_flags_volume_errors_and_the_full_reimport_they_cause():
    status = full_status()
    status.latest_import.type = cs.SYNC_TYPE_UPDATE
    status.latest_import.status = cs.PROCESS_STATUS_FINISHED
    status.latest_import.volume_errors = 2
    status.latest_full_import.volume_errors = 1     # only the Latest Import section counts them
    status.available.latest_export_type = cs.SYNC_TYPE_UPDATE
    status.next_update_reimports_all = True
    lines = report.import_status_lines(status, DOM, -5 * 3600)
    assert "  Latest Export Id: 2025-10-03_21:44:23 (UPDATE)" in lines
    assert "  Volume EW1008 (Unloaded on 2025-09-23 11:16:42)" in lines
    assert lines[-12:] == [
        "Latest Import",
        "  Staging Subvolume: \\ETINIUM.$DATA15.E5CATSYN",
        "  Export Id: 2025-10-03_21:07:12",
        "  Process Name: \\ETINIUM.$X1MB",
        "  Import type: UPDATE",
        "  Process Status: FINISHED",
        "  Import Start Time: 2025-10-03 11:11:46",
        "  Import Report: $$.#BPAK.E5IMP",
        "  Number of Volumes Processed: 0",
        "  Volume Errors: 2",
        "",
        "The next Import Catalog Updates re-imports every volume: the latest import had volume errors (R21)",
    ]
    assert sum(line.startswith("  Volume Errors") for line in lines) == 1


@pytest.mark.parametrize("word", ["FAILED", "REJECTED"])
def test_status_page_prints_the_latest_imports_status_word(word):
    status = full_status()
    status.latest_import.status = cs.ProcessStatus.Value(f"PROCESS_STATUS_{word}")
    status.latest_import.ClearField("start_time")
    lines = report.import_status_lines(status, DOM, 0)
    assert f"  Process Status: {word}" in lines
    assert "  Import Start Time: (none)" in lines


def test_status_page_prints_a_volume_without_time_as_its_label():
    status = full_status()
    status.most_recent_imported.ClearField("time")
    assert report.import_status_lines(status, DOM, 0)[3] == "  Volume EW1008"
