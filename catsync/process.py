"""What every Catalog Sync process does besides its job: know its node's time, pass fault points, write EMS
events and spooler reports, and read its startup PARAM (`STOREID DS_WIN1_DES, TYPE FULL, TRIGGER UI`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import grpc

from catsync import CatsyncError
from google.protobuf.timestamp_pb2 import Timestamp

from catsync import report as rpt
from catsync.platform import Platform, PlatformError, failure, utc_offset
from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, control_pb2, guardian_pb2

SSID = "ETINET.100.100"            # BackBox's EMS subsystem id (domain-facts §5 samples)
PARAM_KEYS = ("STOREID", "TYPE", "CATALOGFILES", "TRIGGER", "USER", "EXTRACTOR")


class ProcessEnded(CatsyncError):
    """The process was killed or its node crashed under it (a fault point fired): stop at once."""


@dataclass
class Param:
    """The startup PARAM of an export / import process."""

    store_id: str
    type: int = cs.SYNC_TYPE_UNSPECIFIED
    catalog_files: int = cs.CATALOG_FILES_OPTION_UNSPECIFIED
    trigger: int = cs.TRIGGER_UI
    user: str = "SUPER.SUPER"
    extractor: str = ""

    def text(self) -> str:
        parts = [f"STOREID {self.store_id}"]
        if self.type:
            parts.append(f"TYPE {cs.SyncType.Name(self.type).removeprefix('SYNC_TYPE_')}")
        if self.catalog_files:
            parts.append(f"CATALOGFILES {cs.CatalogFilesOption.Name(self.catalog_files).rsplit('_', 1)[1]}")
        parts.append(f"TRIGGER {cs.Trigger.Name(self.trigger or cs.TRIGGER_UI).removeprefix('TRIGGER_')}")
        if self.user:
            parts.append(f"USER {self.user}")
        if self.extractor:
            parts.append(f"EXTRACTOR {self.extractor}")
        return ", ".join(parts)

    @classmethod
    def parse(cls, text: str) -> "Param":
        values: dict[str, str] = {}
        for part in text.split(","):
            key, _, value = part.strip().partition(" ")
            key = key.upper()
            if not key:
                continue
            if key not in PARAM_KEYS:
                raise CatsyncError(f"startup PARAM {text!r}: unknown keyword {key}; the keywords are"
                                   f" {', '.join(PARAM_KEYS)}")
            values[key] = value.strip()
        if not values.get("STOREID"):
            raise CatsyncError(f"startup PARAM {text!r} has no STOREID: start the program with"
                               " `STOREID <data store id>`")
        try:
            return cls(store_id=values["STOREID"],
                       type=cs.SyncType.Value("SYNC_TYPE_" + values["TYPE"].upper()) if values.get("TYPE") else 0,
                       catalog_files=cs.CatalogFilesOption.Value("CATALOG_FILES_OPTION_" + values["CATALOGFILES"]
                                                                 .upper()) if values.get("CATALOGFILES") else 0,
                       trigger=cs.Trigger.Value("TRIGGER_" + values.get("TRIGGER", "UI").upper()),
                       user=values.get("USER", "SUPER.SUPER"), extractor=values.get("EXTRACTOR", ""))
        except ValueError as exc:
            raise CatsyncError(f"startup PARAM {text!r}: {exc}") from None


class ProcessRuntime:
    """The platform as one process sees it."""

    def __init__(self, startup: guardian_pb2.StartupMessage, program: str):
        self.startup = startup
        self.program = program
        self.node = startup.node.upper()
        self.process = startup.process
        self.platform = Platform(startup.endpoints, self.node, self.process)
        self.guardian = self.platform.guardian()
        self.offset_seconds = utc_offset(self.call("node information", self.guardian.GetNodeInfo,
                                                   guardian_pb2.GetNodeInfoRequest()))
        self._armed = self._armed_points()

    def close(self) -> None:
        self.platform.close()

    # -- calls ----------------------------------------------------------------------------------------------
    def call(self, what: str, method: Any, request: Any, **kw: Any) -> Any:
        """One platform call; a refusal because this process was killed ends the process."""
        try:
            return method(request, **kw)
        except grpc.RpcError as exc:
            error = failure(exc, what)
            if error.killed:
                raise ProcessEnded(str(error)) from None
            raise error from None

    # -- time -----------------------------------------------------------------------------------------------
    def utc_now(self) -> datetime:
        info = self.call("node time", self.guardian.GetNodeInfo, guardian_pb2.GetNodeInfoRequest())
        return info.utc_now.ToDatetime().replace(tzinfo=timezone.utc)

    def local(self, utc: datetime) -> datetime:
        return (utc + timedelta(seconds=self.offset_seconds)).replace(tzinfo=None)

    # -- fault points ---------------------------------------------------------------------------------------
    def _armed_points(self) -> set[str]:
        """The points armed when the process starts (one call, instead of one per pass)."""
        try:
            points = self.platform.control().ListFaultPoints(control_pb2.ListFaultPointsRequest()).points
        except (grpc.RpcError, CatsyncError):
            return set()  # no control plane (a remote topology without it): no fault points
        return {p.name for p in points}

    def fault(self, name: str) -> None:
        """Pass the named point (`export.after_volume_file` ...); an armed one may end this process here."""
        if name not in self._armed:
            return
        try:
            resp = self.platform.control().HitFaultPoint(control_pb2.HitFaultPointRequest(
                name=name, node=self.node, process=self.process, program=self.program))
        except grpc.RpcError as exc:
            raise failure(exc, f"fault point {name}") from None
        if resp.action in (control_pb2.FAULT_ACTION_KILL_PROCESS, control_pb2.FAULT_ACTION_CRASH_NODE):
            raise ProcessEnded(f"{self.process} ended at fault point {name}")
        if resp.action == control_pb2.FAULT_ACTION_ERROR:
            raise PlatformError(f"fault point {name}", grpc.StatusCode.INTERNAL, "the operation failed",
                                resp.guardian_error or None)

    # -- traces ---------------------------------------------------------------------------------------------
    def ems(self, domain_id: str, code: str, text: str, *, critical: bool = False) -> None:
        """An EMS event `<DOMAIN>-<code> <text>` from this process (R51)."""
        number = int("".join(ch for ch in code if ch.isdigit()) or 0)
        event = guardian_pb2.EmsEvent(
            ssid=SSID, event_number=number, process=self.process, text=f"{domain_id}-{code} {text}",
            emphasis=guardian_pb2.EMPHASIS_CRITICAL if critical else guardian_pb2.EMPHASIS_NORMAL)
        self.call("EMS event", self.guardian.AppendEvent, guardian_pb2.AppendEventRequest(event=event))

    def write_report(self, location: str, job_name: str, lines: list[str]) -> guardian_pb2.Report:
        return self.call(f"report to {location}", self.guardian.WriteReport, guardian_pb2.WriteReportRequest(
            location=location, job_name=job_name, process=self.process, lines=lines)).report


def ts(moment: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(moment)
    return out


class SyncProcess:
    """What an export and an import process share: how a run begins (node time, the domain's configuration and
    license, the data store) and the common lines of its report header. Subclasses set `rt`, `domain`,
    `store_id` and `out` (an ExportRun / ImportRun)."""

    rt: ProcessRuntime
    domain: Any
    store_id: str
    out: Any

    def begin(self) -> None:
        rt = self.rt
        self.started = rt.utc_now()
        self.out.start_time.CopyFrom(ts(self.started))
        config = rt.call("domain configuration", self.domain.GetDomainConfig, bb.GetDomainConfigRequest())
        self.config, self.license = config.config, config.license_status
        self.domain_id = self.config.domain_id
        self.store = rt.call(f"data store {self.store_id}", self.domain.GetDataStore,
                             bb.GetDataStoreRequest(id=self.store_id)).data_store

    def finish_header(self, header: cs.ReportHeader) -> None:
        """The license warning line (W3162) when the license nears its end, and the BB051 banner."""
        if self.license.warning:
            code = self.license.warning_code or "W3162"
            header.license_warning.CopyFrom(cs.ReportMessage(
                code=code, severity=bb.PROBLEM_SEVERITY_WARNING,
                text=f"{self.domain_id}-{code} {self.license.warning_text}"))
        header.banner_line = rpt.banner_line(self.domain_id, self.rt.process, self.rt.local(self.started))
