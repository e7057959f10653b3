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

Times in the structure are UTC instants; every time printed here is the reporting node's wall clock, given as a
UTC offset in seconds. The EMS texts of the start (I3273) and end (I3279) messages live here too, so the report's
last line and the EMS message share one wording (R51).
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
    "end_line",
    "export_report_lines",
    "i3273_text",
    "i3279_text",
    "local",
    "type_word",
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
    def line(cells: Sequence[str]) -> str:
        padded = [c.rjust(w) if r and c else c.ljust(w) for c, w, r in zip(cells, widths, right)]
        return _GAP.join(padded).rstrip()
    return [line(headers), line(["=" * w for w in widths]), *(line(row) for row in rows)]


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
