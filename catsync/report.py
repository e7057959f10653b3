r"""The Catalog Sync export report as text: the export program fills a `catsync.v1.ExportReport`, and this module
turns it into the spooler lines, so the structured report and the printed one cannot drift apart.

Layout (BackBox E5.01 manual, "Sample Catalog Export Report"; domain-facts §6 where the manual is silent):

    <DOM>-BB051 - CatSync Export/Import process \NODE.$PROC YYYY-MM-DD HH:MM
    [<DOM>-W3162 Domain license will expire on YYYY-MM-DD.]
    Data store        : <DS> -
    Process type      : EXPORT FULL|UPDATE catalogs
    DSM/TC disk files : included
    Export id         : YYYY-MM-DD_HH:MM:SS
    Export destination: \NODE.$VOL.SUBVOL

    volume table (Volume, Group, Catalog status)

    [per-volume errors and other coded lines, then a blank line]
    group summary table (one line per group, empty groups without counts)

    <DOM>-I3279 ... (n volumes processed). Report in <loc>     or  <DOM>-E3280 ... failed: <reason>

    <DOM>-BB051 Process \NODE.$PROC ended on YYYY-MM-DD HH:MM

The import report (manual "Sample Catalog Import Report"; domain-facts §6) comes from a `catsync.v1.ImportReport`
the same way, and so does the Import Status page:

    banner, [license line], the header block with `Import source` (and the primary store's name on a second line
    when it differs, R10), the CONFIGURATION VALIDATION table (its W3332 lines under their rows, R39),
    volume table, per-volume W3346 lines and other coded lines,
    Deletion of unreferenced volumes (FULL only, R23),
    IMPORT RESULT SUMMARY: Numbers of tape volumes (three lines a group: catalog, newest volume, seven counts),
    IMPORT RESULT SUMMARY: other activity on DSM/TC (counts, then the group's catalog),
    <DOM>-I3342 ... (n volumes processed). Report in <loc>   or the error lines of a failed import,
    the BB051 end line.

A fatal validation stops the report after the validation table: nothing was applied, so there is nothing to count.

Times in the structure are UTC instants; every time printed here is the reporting node's wall clock, given as a
UTC offset in seconds. The EMS texts of the start (I3273, I3286) and end (I3279, I3342) messages live here too, so
a report's last line and the EMS message share one wording (R51).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb
from emulator.v1 import media_catalog_pb2 as mc

if TYPE_CHECKING:  # only for the hints: the module needs nothing from protobuf at run time
    from google.protobuf.timestamp_pb2 import Timestamp

__all__ = [
    "banner_line",
    "catalog_description",
    "catalog_status_text",
    "disk_files_text",
    "end_line",
    "export_report_lines",
    "i3273_text",
    "i3279_text",
    "i3286_text",
    "i3342_text",
    "import_report_lines",
    "import_status_lines",
    "local",
    "type_word",
    "validation_lines",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MINUTE = "%Y-%m-%d %H:%M"
_SECOND = "%Y-%m-%d %H:%M:%S"
_GAP = "  "                               # between table columns
_LABEL_WIDTH = len("Export destination")  # the longest header label; the colons line up after it
_STATUS_WIDTH = 8                         # ASSIGNED / RELEASED / SELECTED: file ids start in one column
_VOLUME_ERROR_CODE = "W3281"
_FAILED_CODE = "E3280"
_COMPLETED_CODE = "I3279"
_NO_REASON = "process ended before completion"

# Column headers of the two tables. The summary header is one line, as the manual prints it.
_VOLUME_HEADERS = ("Volume", "Group", "Catalog status")
_SUMMARY_HEADERS = (
    "Volume group",
    "NSK primary catalog (pool name)",
    "Most recently written volume",
    "Number of volumes",
    "Nbr DSM/TC disk files",
)

# Import report. The manual's validation table keeps its lines within the spooler's 80 columns: a catalog text that
# would pass column 79 goes on a second line, cut after `, pool`'s comma.
_LINE_WIDTH = 79
_VOLUME_NOT_IMPORTED = "W3346"
_IMPORTED_CODE = "I3342"
_VALIDATION_CODES = ("W3332",)           # printed inside the validation section, never again below it
_CONFIG_ERROR = "E3333"                  # a configuration error: its rows print it; the store's come after the table
_NO_GROUP = "(no volume group)"
_VALIDATION_HEADERS = ("Volume group", "NSK tape catalog and pool for primary and secondary sites")
_PRIMARY, _SECONDARY = "Primary  : ", "Secondary: "   # same length: the two catalog texts start in one column
_DELETED_HEADERS = ("Volume", "Group")
_SOURCE_HEADER = "Import source"
_COUNTS = ("Added", "Updated", "Deleted")
_VOLUME_SPANS = (("<===BackBox catalog===>", _COUNTS), ("<===NSK tape catalog===>", _COUNTS))
_ACTIVITY_SPANS = (("<==Tape files==>", ("Added", "Deleted")), ("<==Disk files==>", ("Added", "Deleted")))


def local(ts: Timestamp, utc_offset_seconds: int) -> datetime:
    """The wall-clock time of a node `utc_offset_seconds` east of UTC at the instant `ts` (an aware datetime)."""
    instant = _EPOCH + timedelta(seconds=ts.seconds, microseconds=ts.nanos // 1000)
    return instant.astimezone(timezone(timedelta(seconds=utc_offset_seconds)))


def banner_line(domain_id: str, process: str, started_local: datetime) -> str:
    """First line of every Catalog Sync report: BB051, the process name and its start minute."""
    return f"{domain_id}-BB051 - CatSync Export/Import process {process} {started_local.strftime(_MINUTE)}"


def end_line(domain_id: str, process: str, ended_local: datetime) -> str:
    """Last line of every Catalog Sync report: BB051 again, with the minute the process stopped."""
    return f"{domain_id}-BB051 Process {process} ended on {ended_local.strftime(_MINUTE)}"


def _description_text(desc: cs.CatalogDescription) -> str:
    """How a report names a group's NSK tape catalog, from the structured description."""
    if not desc.configured:
        return "(no volume group)"
    kind = desc.catalog_type
    if kind == bb.TAPE_CATALOG_TYPE_DSMTC:
        return f"DSM/TC volcat {desc.volcat}, pool {desc.pool}"
    if kind == bb.TAPE_CATALOG_TYPE_TMF:
        return f"TMF catalog: {desc.tmf_node}" if desc.tmf_node else "TMF catalog"
    # QTOS and CA catalogs hold nothing the report could name (no volcat, no node): the product name alone.
    if kind == bb.TAPE_CATALOG_TYPE_QTOS:
        return "QTOS catalog"
    if kind == bb.TAPE_CATALOG_TYPE_CA:
        return "CA catalog"
    return "no tape catalog"  # NONE, and UNSPECIFIED which the domain treats the same


def catalog_description(group: bb.VolumeGroup | None) -> cs.CatalogDescription:
    """The catalog cell of a volume group (`None` when the group is not configured on this side)."""
    if group is None:
        desc = cs.CatalogDescription(configured=False)
    else:
        kind = group.tape_catalog or bb.TAPE_CATALOG_TYPE_NONE
        desc = cs.CatalogDescription(configured=True, catalog_type=kind)
        if kind == bb.TAPE_CATALOG_TYPE_DSMTC:
            desc.volcat, desc.pool, desc.filecat = group.volcat, group.pool, group.filecat
        elif kind == bb.TAPE_CATALOG_TYPE_TMF:
            desc.tmf_node = group.tmf_node
    desc.text = _description_text(desc)
    return desc


def catalog_status_text(status: mc.VolumeStatus, first_file_id: str, generation: int, vol_index: int) -> str:
    """The "Catalog status" cell of a volume row: DSM/TC status, then the first tape file when there is one.

    `, vol=K` marks the K-th volume of a multi-volume file and is left out for the first one. Volumes of groups
    without a tape catalog have no status and get an empty cell.
    """
    if status == mc.VOLUME_STATUS_UNSPECIFIED:
        return ""
    word = mc.VolumeStatus.Name(status).removeprefix("VOLUME_STATUS_")
    if not first_file_id:
        return word
    text = f"{word:<{_STATUS_WIDTH}}  {first_file_id}, gen={generation}"
    return f"{text}, vol={vol_index}" if vol_index >= 2 else text


def type_word(sync_type: int) -> str:
    """FULL or UPDATE; an unset type runs as UPDATE, the macro's default."""
    return "FULL" if sync_type == cs.SYNC_TYPE_FULL else "UPDATE"


def i3273_text(process: str, sync_type: int, data_store_id: str, report_location: str) -> str:
    """Text of the EMS message that announces an export (without the `<DOM>-I3273` code)."""
    return (f"CATALOG {type_word(sync_type)} process {process} started to export the catalogs of data store "
            f"{data_store_id}. Output report sent to {report_location}.")


def i3279_text(process: str, sync_type: int, data_store_id: str, n: int, report_location: str) -> str:
    """Text of the export's completion message, in EMS and on the report (without the `<DOM>-I3279` code)."""
    return (f"{process} exported {type_word(sync_type)} catalogs for data store {data_store_id} "
            f"({n} volumes processed). Report in {report_location}")


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int],
           right: Sequence[bool]) -> list[str]:
    """A fixed-width table: header, `=` underline, rows; cells padded to `widths`, trailing blanks dropped."""
    return [_row(headers, widths, right), _row(["=" * w for w in widths], widths, right),
            *(_row(row, widths, right) for row in rows)]


def _row(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    """One table line: cells padded to `widths` (right-aligned where `right`), joined by `_GAP`, no trailing blank."""
    padded = [c.rjust(w) if r and c else c.ljust(w) for c, w, r in zip(cells, widths, right)]
    return _GAP.join(padded).rstrip()


def _header_field(label: str, value: str) -> str:
    return f"{label:<{_LABEL_WIDTH}}: {value}".rstrip()


def _volume_error_line(domain_id: str, problem: cs.VolumeProblem) -> str:
    code = problem.code or _VOLUME_ERROR_CODE
    message = problem.message or (f"file system error {problem.guardian_error}" if problem.guardian_error
                                  else "unknown error")
    return (f"{domain_id}-{code} Volume {problem.label} ({problem.volume_group_id}) not exported: {message}")


def _failure_reason(report: cs.ExportReport) -> str:
    """The text of the first ERROR line of the report, without its `<DOM>-<code> ` prefix."""
    domain_id = report.header.domain_id
    for msg in report.messages:
        if msg.severity == bb.PROBLEM_SEVERITY_ERROR and msg.text:
            prefix = f"{domain_id}-{msg.code} "
            return msg.text.removeprefix(prefix) if msg.code else msg.text
    return _NO_REASON


def _most_recent(group: cs.ExportGroupSummary, utc_offset_seconds: int) -> str:
    if not group.most_recent_label:
        return ""
    if not group.HasField("most_recent_unload_time"):
        return group.most_recent_label
    when = local(group.most_recent_unload_time, utc_offset_seconds).strftime(_SECOND)
    return f"{group.most_recent_label} unloaded on {when}"


def export_report_lines(report: cs.ExportReport, utc_offset_seconds: int) -> list[str]:
    """The export report, line by line, as written to its spooler location; times in the node's local time."""
    header = report.header
    dom = header.domain_id
    started = local(header.started, utc_offset_seconds)
    lines = [header.banner_line or banner_line(dom, header.process, started)]
    if header.HasField("license_warning") and header.license_warning.text:
        lines.append(header.license_warning.text)
    disk_files = header.disk_files_text or ("included" if header.disk_files else "not included")
    lines += [
        _header_field("Data store", f"{header.data_store_id} -"),
        _header_field("Process type", f"EXPORT {type_word(header.type)} catalogs"),
        _header_field("DSM/TC disk files", disk_files),
        _header_field("Export id", header.export_id),
        _header_field("Export destination", header.location),
        "",
    ]

    # One group column width for both tables, so the group names line up from top to bottom.
    group_ids = [v.volume_group_id for v in report.volumes] + [g.volume_group_id for g in report.groups]
    group_width = max([len(_SUMMARY_HEADERS[0]), *map(len, group_ids)])

    volume_rows = [
        (v.label, v.volume_group_id,
         v.catalog_text or catalog_status_text(v.catalog_status, v.first_file_id, v.first_generation,
                                               v.first_vol_index))
        for v in report.volumes
    ]
    label_width = max([len(_VOLUME_HEADERS[0]), *(len(r[0]) for r in volume_rows)])
    status_width = max([len(_VOLUME_HEADERS[2]), *(len(r[2]) for r in volume_rows)])
    lines += _table(_VOLUME_HEADERS, volume_rows, (label_width, group_width, status_width), (False,) * 3)
    lines.append("")

    coded = [_volume_error_line(dom, p) for p in report.volume_errors] + [m.text for m in report.messages if m.text]
    if coded:
        lines += [*coded, ""]

    summary_rows = [
        (g.volume_group_id, g.catalog.text or _description_text(g.catalog), _most_recent(g, utc_offset_seconds),
         "" if g.empty else str(g.volume_count), "" if g.empty else str(g.disk_file_count))
        for g in report.groups
    ]
    widths = [group_width] + [
        max([len(_SUMMARY_HEADERS[i]), *(len(r[i]) for r in summary_rows)]) for i in range(1, len(_SUMMARY_HEADERS))
    ]
    lines += _table(_SUMMARY_HEADERS, summary_rows, widths, (False, False, False, True, True))
    lines.append("")

    if report.status == cs.PROCESS_STATUS_FAILED:
        lines.append(f"{dom}-{_FAILED_CODE} Export of data store {header.data_store_id} failed: "
                     f"{_failure_reason(report)}")
    else:
        lines.append(report.completion_line or f"{dom}-{_COMPLETED_CODE} " + i3279_text(
            header.process, header.type, header.data_store_id, report.volumes_processed, header.report_location))
    lines.append("")

    ended = local(report.ended, utc_offset_seconds) if report.HasField("ended") else started
    lines.append(report.end_line or end_line(dom, header.process, ended))
    return lines


# -- import ------------------------------------------------------------------------------------------------------

def i3286_text(process: str, sync_type: int, data_store_id: str, report_location: str) -> str:
    """Text of the EMS message that announces an import (without the `<DOM>-I3286` code)."""
    what = "the entire catalogs" if sync_type == cs.SYNC_TYPE_FULL else "the catalog updates"
    return (f"Process {process} started for IMPORTING {what} of data store {data_store_id}. "
            f"Output report sent to {report_location}.")


def i3342_text(process: str, sync_type: int, data_store_id: str, volumes_processed: int,
               report_location: str) -> str:
    """Text of the import's completion message, in EMS and on the report (without the `<DOM>-I3342` code)."""
    return (f"{process} imported {type_word(sync_type)} catalogs for data store {data_store_id} "
            f"({volumes_processed} volumes processed). Report in {report_location}")


def disk_files_text(sync_type: int, catalog_files: bool) -> str:
    """The `DSM/TC disk files` header value of an import: what happens to DISKFILE entries (R24 deletes in FULL)."""
    if not catalog_files:
        return "not imported"
    if sync_type == cs.SYNC_TYPE_FULL:
        return "insert new entries and delete obsolete entries"
    return "insert new entries"


def _catalog_lines(prefix: str, text: str) -> list[str]:
    """`prefix` + a catalog text; a line that would pass `_LINE_WIDTH` continues after `, pool`'s comma, the rest
    starting under the text."""
    cut = text.find(", pool ")
    if len(prefix) + len(text) <= _LINE_WIDTH or cut < 0:
        return [prefix + text]
    return [prefix + text[:cut + 1], " " * len(prefix) + text[cut + 2:]]


def validation_lines(rows: Sequence[cs.ValidationRow]) -> list[str]:
    """CONFIGURATION VALIDATION, VOLUME GROUPS: each primary group beside its secondary counterpart (blank when
    there is none), the two catalogs under it, then the row's warning line. Rows print in the order given."""
    width = max([len(_VALIDATION_HEADERS[0]), *(len(r.secondary_volume_group_id) for r in rows)])
    lines = _table(_VALIDATION_HEADERS, [], (width, len(_VALIDATION_HEADERS[1])), (False, False))
    indent = " " * (width + len(_GAP))
    for row in rows:
        secondary = (row.secondary.text or _description_text(row.secondary)) if row.secondary.configured \
            else _NO_GROUP
        lines.append(f"{row.secondary_volume_group_id:<{width}}{_GAP}"
                     f"Primary volume group: {row.primary_volume_group_id}")
        lines += _catalog_lines(indent + _PRIMARY, row.primary.text or _description_text(row.primary))
        lines += _catalog_lines(indent + _SECONDARY, secondary)
        lines.append("")
        if row.HasField("warning") and row.warning.text:
            lines += [row.warning.text, ""]
        lines += [line for m in row.more_errors if m.text for line in (m.text, "")]
    return lines


def _volume_not_imported_line(domain_id: str, problem: cs.VolumeProblem) -> str:
    message = problem.message or (f"file system error {problem.guardian_error}" if problem.guardian_error
                                  else "unknown error")
    return f"{domain_id}-{_VOLUME_NOT_IMPORTED} Volume {problem.label} was not imported: {message}"


def _spanned_columns(spans: Sequence[tuple[str, Sequence[str]]], rows: Sequence[Sequence[str]],
                     ) -> tuple[list[str], list[int], list[str], list[int]]:
    """Number columns grouped under `<==title==>` spans: (span cells, span widths, word cells, word widths).

    A span wider than its words widens the group's first column, so every number stays right-aligned under its
    word; numbers wider than their word widen the column and the span is centred over it."""
    spans_out, span_widths, words_out, word_widths = [], [], [], []
    col = 0
    for span, words in spans:
        widths = [max([len(w), *(len(r[col + i]) for r in rows)]) for i, w in enumerate(words)]
        inner = sum(widths) + len(_GAP) * (len(widths) - 1)
        widths[0] += max(0, len(span) - inner)
        spans_out.append(span.center(max(inner, len(span))))
        span_widths.append(max(inner, len(span)))
        words_out += words
        word_widths += widths
        col += len(words)
    return spans_out, span_widths, words_out, word_widths


def _newest(summary: cs.ImportGroupSummary, utc_offset_seconds: int) -> str:
    if not summary.HasField("newest_unload_time"):
        return summary.newest_label
    when = local(summary.newest_unload_time, utc_offset_seconds).strftime(_SECOND)
    return f"{summary.newest_label} unloaded on {when}"


def _summary_lines(report: cs.ImportReport, group_width: int, utc_offset_seconds: int) -> list[str]:
    """IMPORT RESULT SUMMARY: Numbers of tape volumes, three lines a group."""
    counts = [[str(n) for n in (s.backbox_added, s.backbox_updated, s.backbox_deleted,
                                s.nsk_added, s.nsk_updated, s.nsk_deleted)] for s in report.summaries]
    spans, span_widths, words, word_widths = _spanned_columns(_VOLUME_SPANS, counts)
    source_width = max([len(_SOURCE_HEADER), *(len(str(s.volumes_in_source)) for s in report.summaries)])
    widths = [group_width, source_width, *word_widths]
    right = [False, True, *(True,) * len(word_widths)]
    lines = [_row(["Volume group", _SOURCE_HEADER, *spans], [group_width, source_width, *span_widths],
                  [False, True, *(False,) * len(spans)]),
             _row(["", "", *words], widths, right)]
    indent = " " * (group_width + len(_GAP))
    for summary, row in zip(report.summaries, counts):
        lines.append(f"{summary.volume_group_id:<{group_width}}{_GAP}"
                     f"{summary.catalog.text or _description_text(summary.catalog)}")
        if summary.newest_label:
            lines.append(f"{indent}Newest volume in Import: {_newest(summary, utc_offset_seconds)}")
        lines.append(_row(["", str(summary.volumes_in_source), *row], widths, right))
    return lines


def _activity_lines(report: cs.ImportReport, group_width: int) -> list[str]:
    """IMPORT RESULT SUMMARY: other activity on DSM/TC: the counts of a group, then its catalog underneath."""
    counts = [[str(n) for n in (a.tape_files_added, a.tape_files_deleted, a.disk_files_added, a.disk_files_deleted)]
              for a in report.activity]
    spans, span_widths, words, word_widths = _spanned_columns(_ACTIVITY_SPANS, counts)
    right = [False, *(True,) * len(word_widths)]
    lines = [_row(["Volume group", *spans], [group_width, *span_widths], [False] * (1 + len(spans))),
             _row(["", *words], [group_width, *word_widths], right)]
    catalogs = {s.volume_group_id: s.catalog.text or _description_text(s.catalog) for s in report.summaries}
    indent = " " * (group_width + len(_GAP))
    for activity, row in zip(report.activity, counts):
        lines.append(_row([activity.volume_group_id, *row], [group_width, *word_widths], right))
        if activity.volume_group_id in catalogs:
            lines.append(indent + catalogs[activity.volume_group_id])
    return lines


def import_report_lines(report: cs.ImportReport, utc_offset_seconds: int) -> list[str]:
    """The import report, line by line, as written to its spooler location; times in the node's local time."""
    header = report.header
    dom = header.domain_id
    started = local(header.started, utc_offset_seconds)
    lines = [header.banner_line or banner_line(dom, header.process, started)]
    if header.HasField("license_warning") and header.license_warning.text:
        lines.append(header.license_warning.text)
    lines.append(_header_field("Data store", f"{header.data_store_id} -"))
    if header.primary_data_store_id and header.primary_data_store_id != header.data_store_id:  # R10
        lines.append(" " * (_LABEL_WIDTH + len(": ")) + f"Primary data store: {header.primary_data_store_id}")
    lines += [
        _header_field("Process type", f"IMPORT {type_word(header.type)} catalogs"),
        _header_field("DSM/TC disk files", header.disk_files_text or disk_files_text(header.type, header.disk_files)),
        _header_field("Export id", header.export_id),
        _header_field("Import source", header.location),
        "",
        "CONFIGURATION VALIDATION, VOLUME GROUPS",
        "",
        *validation_lines(report.validation),
    ]

    # The validation section has printed its own coded lines; a failed import keeps its error lines for the end.
    failed = report.fatal or report.status == cs.PROCESS_STATUS_FAILED
    printed = {row.warning.text for row in report.validation if row.warning.text}
    if report.fatal:
        printed.add(report.fatal_message)
    pending = [m for m in report.warnings
               if m.text and m.code not in _VALIDATION_CODES and m.text not in printed]
    store_errors = [m.text for m in pending if m.code == _CONFIG_ERROR]
    errors = [m.text for m in pending if failed and m.code.startswith("E") and m.code != _CONFIG_ERROR]
    others = [m.text for m in pending if m.text not in errors and m.code != _CONFIG_ERROR]

    if report.fatal:  # nothing was applied: no volume, deletion or summary section
        lines += [line for line in (*store_errors, report.fatal_message, *others) if line]
    else:
        rows = [(v.label, v.volume_group_id,
                 v.catalog_text or catalog_status_text(v.catalog_status, v.first_file_id, v.first_generation,
                                                       v.first_vol_index))
                for v in report.volumes]
        widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(_VOLUME_HEADERS)]
        lines += _table(_VOLUME_HEADERS, rows, widths, (False,) * 3)
        coded = [_volume_not_imported_line(dom, p) for p in report.volume_errors] + others
        if coded:
            lines += ["", *coded]
        if header.type == cs.SYNC_TYPE_FULL:  # only a FULL import deletes volumes (R23)
            deleted = [(v.label, v.volume_group_id) for v in report.deleted]
            widths = [max([len(h), *(len(r[i]) for r in deleted)]) for i, h in enumerate(_DELETED_HEADERS)]
            lines += ["", "Deletion of unreferenced volumes", "",
                      *_table(_DELETED_HEADERS, deleted, widths, (False, False))]
        group_width = max([len("Volume group"), *(len(s.volume_group_id) for s in report.summaries),
                           *(len(a.volume_group_id) for a in report.activity)])
        lines += ["", "IMPORT RESULT SUMMARY: Numbers of tape volumes",
                  *_summary_lines(report, group_width, utc_offset_seconds),
                  "", "IMPORT RESULT SUMMARY: other activity on DSM/TC",
                  *_activity_lines(report, group_width)]

    if failed:
        if not errors and not (report.fatal and report.fatal_message):
            errors = [f"Import of data store {header.data_store_id} failed: {_NO_REASON}"]
        if errors:
            lines += ["", *errors]
    else:
        lines += ["", report.completion_line or f"{dom}-{_IMPORTED_CODE} " + i3342_text(
            header.process, header.type, header.data_store_id, report.volumes_processed, header.report_location)]
    lines.append("")
    ended = local(report.ended, utc_offset_seconds) if report.HasField("ended") else started
    lines.append(report.end_line or end_line(dom, header.process, ended))
    return lines


def _status_word(status: int) -> str:
    return cs.ProcessStatus.Name(status).removeprefix("PROCESS_STATUS_")


def import_status_lines(status: cs.GetImportStatusResponse, domain_id: str, utc_offset_seconds: int) -> list[str]:
    """The Import Status page as text, with the page's field names; times in the node's local time."""
    def when(ts: Timestamp) -> str:
        return local(ts, utc_offset_seconds).strftime(_SECOND)

    lines = [f"Import Status of data store {status.data_store_id} (domain {domain_id})", "",
             "Most Recently Written Volume Imported"]
    recent = status.most_recent_imported
    if status.HasField("most_recent_imported") and recent.label:
        lines.append(f"  Volume {recent.label} (Unloaded on {when(recent.time)})" if recent.HasField("time")
                     else f"  Volume {recent.label}")
    else:
        lines.append("  (none yet)")

    available = status.available
    latest_received = when(available.latest_received_time) if available.HasField("latest_received_time") \
        else "(none)"
    lines += ["", "Available Catalog Information to Import",
              f"  Staging Subvolume: {available.staging_subvolume}",
              f"  Total Number of BackBox Volumes: {available.total_volume_files}",
              f"  Volumes Received After Last Successful Import: {available.received_after_last_import}",
              f"  Time of Latest Received BackBox Volume: {latest_received}"]
    if available.latest_export_id:
        lines.append(f"  Latest Export Id: {available.latest_export_id} ({type_word(available.latest_export_type)})")

    for title, field in (("Latest Completed Full Import", "latest_full_import"), ("Latest Import", "latest_import")):
        lines += ["", title]
        if not status.HasField(field):
            lines.append("  (none yet)")
            continue
        info: cs.ImportProcessInfo = getattr(status, field)
        lines += [f"  Staging Subvolume: {info.staging_subvolume}", f"  Export Id: {info.export_id}",
                  f"  Process Name: {info.process}"]
        latest = field == "latest_import"
        if latest:
            lines += [f"  Import type: {type_word(info.type)}", f"  Process Status: {_status_word(info.status)}"]
        lines += [f"  Import Start Time: {when(info.start_time) if info.HasField('start_time') else '(none)'}",
                  f"  Import Report: {info.report_location}",
                  f"  Number of Volumes Processed: {info.volumes_processed}"]
        if latest and info.volume_errors > 0:
            lines.append(f"  Volume Errors: {info.volume_errors}")

    if status.next_update_reimports_all:  # R21
        lines += ["", "The next Import Catalog Updates re-imports every volume: the latest import had volume errors "
                      "(R21)"]
    return [line.rstrip() for line in lines]
