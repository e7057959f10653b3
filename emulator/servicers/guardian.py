"""Guardian servicer: disk files, spooler, processes and EMS of one node over gRPC (proto emulator/v1/guardian).

A thin adapter: each method parses the request, calls the node's domain object and builds the response. A name
on another node is forwarded over the Expand link (`node.remote`), streams chunk by chunk; an upstream failure
reaches our caller with the same status, details and `guardian-error` trailer. Calls whose metadata names a
killed process are refused.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import grpc

from emulator import rpc
from emulator.servicers import timestamp_pb, when
from emulator.disk import DiskVolume, FileInfo, RemoteName, WriteMode
from emulator.ems import EmsEvent, EventFilter
from emulator.errors import InvalidArgument
from emulator.node import Node
from emulator.processes import ProcessInfo, ProcessState, Program
from emulator.spooler import Report
from emulator.v1 import common_pb2, guardian_pb2, guardian_pb2_grpc

_MODES = {guardian_pb2.WRITE_MODE_UNSPECIFIED: WriteMode.REPLACE, guardian_pb2.WRITE_MODE_REPLACE: WriteMode.REPLACE,
          guardian_pb2.WRITE_MODE_CREATE: WriteMode.CREATE, guardian_pb2.WRITE_MODE_APPEND: WriteMode.APPEND}
_STATES = {ProcessState.WAITING: guardian_pb2.PROCESS_STATE_WAITING,
           ProcessState.RUNNING: guardian_pb2.PROCESS_STATE_RUNNING,
           ProcessState.STOPPED: guardian_pb2.PROCESS_STATE_STOPPED,
           ProcessState.ABENDED: guardian_pb2.PROCESS_STATE_ABENDED}
_PATH_DOWN = 250  # all paths to the remote system are down (domain-facts §1)


_ts = timestamp_pb


def file_info_pb(info: FileInfo) -> guardian_pb2.FileInfo:
    return guardian_pb2.FileInfo(name=info.name, size=info.size, modified=_ts(info.modified),
                                 file_code=info.file_code, owner=info.owner)


def volume_pb(volume: DiskVolume) -> guardian_pb2.DiskVolume:
    return guardian_pb2.DiskVolume(name=volume.name, capacity_bytes=volume.capacity_bytes,
                                   used_bytes=volume.used_bytes, full=volume.full)


def report_pb(report: Report, *, with_lines: bool) -> guardian_pb2.Report:
    return guardian_pb2.Report(location=report.location, report_id=report.report_id, job_name=report.job_name,
                               process=report.process, written=_ts(report.written),
                               lines=list(report.lines) if with_lines else [])


def program_pb(program: Program) -> guardian_pb2.Program:
    return guardian_pb2.Program(name=program.name, entry_point=program.entry_point,
                                description=program.description)


def process_pb(info: ProcessInfo) -> guardian_pb2.ProcessInfo:
    return guardian_pb2.ProcessInfo(
        name=info.name, program=info.program, state=_STATES[info.state], completion_code=info.completion_code,
        param=info.param, priority=info.priority, parent=info.parent, started=_ts(info.started),
        ended=_ts(info.ended), termination_text=info.termination_text, cpu=info.cpu, pin=info.pin)


def event_filter(pb: guardian_pb2.EventFilter) -> EventFilter:
    return EventFilter(ssid=pb.ssid, event_numbers=tuple(pb.event_numbers), process=pb.process,
                       text_contains=pb.text_contains, since=when(pb, "since"),
                       after_sequence=pb.after_sequence, critical_only=pb.critical_only)


class GuardianServicer(guardian_pb2_grpc.GuardianServicer):
    """The Guardian service of one node."""

    def __init__(self, node: Node):
        self._node = node

    # -- plumbing -------------------------------------------------------------------------------------------
    def _caller(self, context: grpc.ServicerContext) -> str:
        """The calling process from metadata; ProcessKilled when it was killed."""
        process = dict(context.invocation_metadata()).get(rpc.PROCESS_KEY, "")
        if process:
            self._node.processes.check_alive(process)
        return process

    def _upstream(self, remote: RemoteName, context: grpc.ServicerContext) -> tuple[Any, dict[str, Any]]:
        stub = guardian_pb2_grpc.GuardianStub(self._node.remote(remote.node))
        remaining = context.time_remaining()
        timeout = remaining if remaining is not None and remaining < 10 * rpc.DEFAULT_DEADLINE \
            else rpc.DEFAULT_DEADLINE
        metadata = [(k, v) for k, v in context.invocation_metadata() if k == rpc.PROCESS_KEY]
        return stub, {"timeout": timeout, "metadata": metadata}

    @staticmethod
    def _relayed(exc: grpc.RpcError) -> rpc.Relayed:
        """Our call fails exactly as the remote node failed it (status, details, Guardian error)."""
        error = rpc.Relayed(exc)
        if exc.code() == grpc.StatusCode.UNAVAILABLE and error.guardian_error is None:
            error.guardian_error = _PATH_DOWN  # nobody answered on the route
        return error

    def _forward(self, remote: RemoteName, method: str, request: Any, context: grpc.ServicerContext) -> Any:
        stub, options = self._upstream(remote, context)
        try:
            return getattr(stub, method)(request, **options)
        except grpc.RpcError as exc:
            raise self._relayed(exc) from None

    def _forward_stream(self, remote: RemoteName, method: str, request: Any,
                        context: grpc.ServicerContext) -> Iterator[Any]:
        stub, options = self._upstream(remote, context)
        call = getattr(stub, method)(request, **options)
        try:
            yield from call
        except grpc.RpcError as exc:
            raise self._relayed(exc) from None
        finally:
            call.cancel()

    def _local_or_forward(self, method: str, request: Any, context: grpc.ServicerContext,
                          local: Callable[[], Any]) -> Any:
        self._caller(context)
        try:
            return local()
        except RemoteName as remote:
            return self._forward(remote, method, request, context)

    # -- node -----------------------------------------------------------------------------------------------
    def GetNodeInfo(self, request, context):  # noqa: N802
        node = self._node
        self._caller(context)
        offset = node.clock.offset(node.name)
        identity = common_pb2.NodeIdentity(name=node.name, expand_number=node.config.number,
                                           utc_offset_seconds=offset, site=node.config.site)
        # local_now carries the wall time the node shows (a Timestamp has no zone of its own)
        return guardian_pb2.GetNodeInfoResponse(node=identity, utc_now=_ts(node.utc_now()),
                                                local_now=_ts(node.local_now().replace(tzinfo=None)),
                                                up=node.up, epoch=node.epoch, known_nodes=node.known_nodes())

    # -- disk files -----------------------------------------------------------------------------------------
    def WriteFile(self, request_iterator, context):  # noqa: N802
        process = self._caller(context)
        first = next(request_iterator, None)
        if first is None:
            raise InvalidArgument("WriteFile received no message: send the name, mode and first data chunk")
        try:
            writer = self._node.disk.open_write(first.name, _MODES.get(first.mode, WriteMode.REPLACE),
                                                file_code=first.file_code, process=process)
        except RemoteName as remote:
            return self._forward(remote, "WriteFile", itertools.chain([first], request_iterator), context)
        with writer:  # aborted (nothing changes) if the stream breaks or a check fails
            writer.write(first.data)
            for chunk in request_iterator:
                if chunk.name and chunk.name.strip().upper() != first.name.strip().upper():
                    raise InvalidArgument(f"chunk names {chunk.name!r} after {first.name!r}: one WriteFile call"
                                          " writes one file; leave the name empty after the first chunk")
                writer.write(chunk.data)
            info = writer.commit()
        return guardian_pb2.WriteFileResponse(info=file_info_pb(info))

    def ReadFile(self, request, context):  # noqa: N802
        self._caller(context)
        try:
            info, chunks = self._node.disk.read(request.name, request.offset, request.length, request.chunk_size)
        except RemoteName as remote:
            yield from self._forward_stream(remote, "ReadFile", request, context)
            return
        first = True
        for data in chunks:
            yield guardian_pb2.ReadFileResponse(info=file_info_pb(info) if first else None, data=data)
            first = False
        if first:  # an empty file (or a range past EOF) still answers with its info
            yield guardian_pb2.ReadFileResponse(info=file_info_pb(info))

    def ListFiles(self, request, context):  # noqa: N802
        return self._local_or_forward("ListFiles", request, context, lambda: guardian_pb2.ListFilesResponse(
            files=[file_info_pb(i) for i in self._node.disk.list(request.subvolume, request.pattern or "*")]))

    def GetFileInfo(self, request, context):  # noqa: N802
        return self._local_or_forward("GetFileInfo", request, context, lambda: guardian_pb2.GetFileInfoResponse(
            info=file_info_pb(self._node.disk.info(request.name))))

    def RenameFile(self, request, context):  # noqa: N802
        return self._local_or_forward("RenameFile", request, context, lambda: guardian_pb2.RenameFileResponse(
            info=file_info_pb(self._node.disk.rename(request.name, request.new_name, request.replace))))

    def PurgeFile(self, request, context):  # noqa: N802
        return self._local_or_forward("PurgeFile", request, context, lambda: guardian_pb2.PurgeFileResponse(
            purged=self._node.disk.purge(request.name, request.missing_ok)))

    def ListDiskVolumes(self, request, context):  # noqa: N802
        self._caller(context)
        return guardian_pb2.ListDiskVolumesResponse(volumes=[volume_pb(v) for v in self._node.disk.volumes()])

    # -- spooler --------------------------------------------------------------------------------------------
    def WriteReport(self, request, context):  # noqa: N802
        process = self._caller(context)
        report = self._node.spooler.write(request.location, request.lines, job_name=request.job_name,
                                          process=request.process or process)
        return guardian_pb2.WriteReportResponse(report=report_pb(report, with_lines=False))

    def ListReports(self, request, context):  # noqa: N802
        self._caller(context)
        return guardian_pb2.ListReportsResponse(reports=[report_pb(r, with_lines=False) for r in
                                                         self._node.spooler.list(request.location)])

    def ReadReport(self, request, context):  # noqa: N802
        self._caller(context)
        report = self._node.spooler.read(request.location, request.report_id)
        return guardian_pb2.ReadReportResponse(report=report_pb(report, with_lines=True))

    # -- programs and processes -----------------------------------------------------------------------------
    def DeployProgram(self, request, context):  # noqa: N802
        self._caller(context)
        p = request.program
        return guardian_pb2.DeployProgramResponse(
            program=program_pb(self._node.processes.deploy(p.name, p.entry_point, p.description)))

    def ListPrograms(self, request, context):  # noqa: N802
        self._caller(context)
        return guardian_pb2.ListProgramsResponse(programs=[program_pb(p) for p in self._node.processes.programs()])

    def StartProcess(self, request, context):  # noqa: N802
        def local() -> guardian_pb2.StartProcessResponse:
            table = self._node.processes
            info = table.start(request.program, request.param, dict(request.env), request.priority, request.name,
                               request.parent)
            if request.wait:
                info, _ended = table.wait(info.name, context.time_remaining())
            return guardian_pb2.StartProcessResponse(process=process_pb(info))
        return self._local_or_forward("StartProcess", request, context, local)

    def GetProcess(self, request, context):  # noqa: N802
        return self._local_or_forward("GetProcess", request, context, lambda: guardian_pb2.GetProcessResponse(
            process=process_pb(self._node.processes.get(request.name))))

    def WaitProcess(self, request, context):  # noqa: N802
        if request.timeout_seconds < 0:
            raise InvalidArgument(f"timeout {request.timeout_seconds} must be 0 (the call's deadline) or more")

        def local() -> guardian_pb2.WaitProcessResponse:
            remaining = context.time_remaining()
            timeout = request.timeout_seconds or remaining
            if remaining is not None and timeout is not None:
                timeout = min(timeout, remaining)
            info, ended = self._node.processes.wait(request.name, timeout)
            return guardian_pb2.WaitProcessResponse(process=process_pb(info), ended=ended)
        return self._local_or_forward("WaitProcess", request, context, local)

    def StopProcess(self, request, context):  # noqa: N802
        return self._local_or_forward("StopProcess", request, context, lambda: guardian_pb2.StopProcessResponse(
            process=process_pb(self._node.processes.stop(request.name))))

    def KillProcess(self, request, context):  # noqa: N802
        def local() -> guardian_pb2.KillProcessResponse:
            table = self._node.processes
            table.get(request.name)  # NotFound for an unknown name (kill itself is lenient for fault points)
            return guardian_pb2.KillProcessResponse(process=process_pb(table.kill(request.name, "killed")))
        return self._local_or_forward("KillProcess", request, context, local)

    def ListProcesses(self, request, context):  # noqa: N802
        self._caller(context)
        return guardian_pb2.ListProcessesResponse(processes=[
            process_pb(p) for p in self._node.processes.list(request.program, request.running_only)])

    # -- EMS ------------------------------------------------------------------------------------------------
    def _event_pb(self, event: EmsEvent) -> guardian_pb2.EmsEvent:
        return guardian_pb2.EmsEvent(
            sequence=event.sequence, ssid=event.ssid, event_number=event.event_number, gen_time=_ts(event.gen_time),
            log_time=_ts(event.log_time), node_number=event.node_number or 0, node=event.node, cpu=event.cpu,
            pin=event.pin, process=event.process, user_id=event.user_id, text=event.text,
            emphasis=guardian_pb2.EMPHASIS_CRITICAL if event.critical else guardian_pb2.EMPHASIS_NORMAL,
            collector=event.collector, line=self._node.ems.format_line(event))

    def AppendEvent(self, request, context):  # noqa: N802
        process = self._caller(context)
        e = request.event
        event = EmsEvent(ssid=e.ssid, event_number=e.event_number, text=e.text, process=e.process or process,
                         gen_time=when(e, "gen_time"), node=e.node,
                         node_number=e.node_number if e.node_number or e.node.strip() else None,  # 0 = this node's
                         cpu=e.cpu, pin=e.pin, user_id=e.user_id,
                         critical=e.emphasis == guardian_pb2.EMPHASIS_CRITICAL, collector=e.collector)
        return guardian_pb2.AppendEventResponse(event=self._event_pb(self._node.ems.append(event)))

    def ReadEvents(self, request, context):  # noqa: N802
        self._caller(context)
        events = self._node.ems.read(event_filter(request.filter), request.limit)
        return guardian_pb2.ReadEventsResponse(events=[self._event_pb(e) for e in events])

    def FollowEvents(self, request, context):  # noqa: N802
        self._caller(context)
        context.add_callback(self._node.ems.wake)  # a cancelled follower ends now, not at its next poll
        for event in self._node.ems.follow(event_filter(request.filter), request.from_start,
                                           stop=lambda: not context.is_active()):
            yield guardian_pb2.FollowEventsResponse(event=self._event_pb(event))
