"""NetBatch-style jobs: TACL macro text (BB026 / BB027) run at a time and every interval, in the topology's time
(R26, R36). Jobs are kept per node in `<install>.CSJOBS`; each run writes the TACL output to the job's OUT
location (a spooler report, `$S.#BATCH` by default) and records its outcome on the job.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Callable

import grpc

from catsync import macros, staging, state
from catsync.platform import Platform
from catsync.requests import RequestError
from catsync.timers import TimerOwner
from catsync.v1 import catalog_sync_pb2 as cs, state_pb2
from emulator.v1 import clock_pb2, guardian_pb2

MAX_EVERY = timedelta(days=365)
DEFAULT_OUT = "$S.#BATCH"
DEFAULT_PRIORITY = 120

RunMacro = Callable[[cs.RunMacroRequest], cs.RunMacroResponse]


class NetBatch:
    """The jobs of the nodes of one domain."""

    def __init__(self, platform: Platform, nodes: dict[str, str], run_macro: RunMacro):
        self.platform = platform
        self.nodes = nodes                      # node -> install subvolume
        self.run_macro = run_macro
        self.owners: dict[str, TimerOwner] = {}
        self.timers: dict[tuple[str, int], int] = {}   # (node, job number) -> timer id
        self._lock = threading.RLock()

    def start(self) -> "NetBatch":
        for node in sorted(self.nodes):
            self.owners[node] = TimerOwner(self.platform, f"{node}/NETBATCH",
                                           lambda t, n=node: self._fired(n, t)).start()
            try:
                table = self._load(node)
            except grpc.RpcError:
                continue  # node down at start: its jobs come back with the next schedule call
            now = self._now()
            for job in table.jobs:
                if job.HasField("next_run"):
                    self._arm(node, job, max(job.next_run.ToDatetime().replace(tzinfo=timezone.utc), now))
        return self

    def close(self) -> None:
        for owner in self.owners.values():
            owner.close()

    # -- storage ----------------------------------------------------------------------------------------------
    def _node(self, node: str) -> str:
        name = (node or "").strip().upper()
        if name not in self.nodes:
            raise RequestError(grpc.StatusCode.NOT_FOUND if name else grpc.StatusCode.INVALID_ARGUMENT,
                               f"node {name or '(none)'} is not a node of this domain: jobs run on"
                               f" {', '.join(sorted(self.nodes))}")
        return name

    def _file(self, node: str) -> str:
        return f"{node}.{self.nodes[node]}.{state.JOBS_FILE}"

    def _load(self, node: str) -> state_pb2.JobTable:
        table = state.read_or_new(self.platform.guardian(node), self._file(node), staging.KIND_JOB_TABLE,
                                  state_pb2.JobTable)
        table.format_version, table.node = 1, node
        return table

    def _save(self, node: str, table: state_pb2.JobTable) -> None:
        state.write(self.platform.guardian(node), self._file(node), table, staging.KIND_JOB_TABLE)

    def _now(self) -> datetime:
        utc = self.platform.clock().GetTime(clock_pb2.GetTimeRequest()).utc
        return utc.ToDatetime().replace(tzinfo=timezone.utc)

    # -- the RPCs ---------------------------------------------------------------------------------------------
    def schedule(self, request: cs.ScheduleJobRequest) -> cs.ScheduleJobResponse:
        node = self._node(request.node)
        try:
            macros.parse_macros(request.macro_text)
        except macros.MacroError as exc:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"the job's macro text is refused: {exc}") from None
        every = request.every.ToTimedelta() if request.HasField("every") else timedelta(0)
        if every < timedelta(0) or every > MAX_EVERY or (every and every < timedelta(minutes=1)):
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"EVERY {every} is out of range: give 0 (run once)"
                               " or 1 minute .. 365 days")
        priority = request.priority or DEFAULT_PRIORITY
        if not 1 <= priority <= 199:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"priority {priority} must be 1..199 (0 = 120)")
        now = self._now()
        at = request.at.ToDatetime().replace(tzinfo=timezone.utc) if request.HasField("at") else now
        if at < now:
            raise RequestError(grpc.StatusCode.INVALID_ARGUMENT, f"AT {at:%Y-%m-%d %H:%M} UTC is in the past: give"
                               " a time from now on (or none for now)")
        with self._lock:
            table = self._load(node)
            used = {j.job_number for j in table.jobs}
            number = table.last_number
            for _ in range(9999):
                number = number % 9999 + 1
                if number not in used:
                    break
            else:
                raise RequestError(grpc.StatusCode.RESOURCE_EXHAUSTED, f"node {node} has 9,999 jobs: delete some")
            job = cs.Job(job_number=number, job_name=(request.job_name.strip().upper() or f"ZBAT-{number:04d}"),
                         node=node, macro_text=request.macro_text, hold=request.hold, priority=priority,
                         out_location=(request.out_location.strip() or DEFAULT_OUT).upper(),
                         user=request.user or "SUPER.SUPER")
            job.at.FromDatetime(at)
            job.next_run.FromDatetime(at)
            if every:
                job.every.FromTimedelta(every)
            table.last_number = number
            table.jobs.append(job)
            self._save(node, table)
            self._arm(node, job, at)
        return cs.ScheduleJobResponse(job=job, message=f"Job {job.job_name} Jobnumber {number} submitted")

    def list(self, node: str) -> list[cs.Job]:
        nodes = [self._node(node)] if node.strip() else sorted(self.nodes)
        return [job for n in nodes for job in self._load(n).jobs]

    def delete(self, node: str, number: int) -> cs.Job:
        node = self._node(node)
        with self._lock:
            table = self._load(node)
            job = next((j for j in table.jobs if j.job_number == number), None)
            if job is None:
                raise RequestError(grpc.StatusCode.NOT_FOUND, f"node {node} has no job number {number}: ListJobs"
                                   " shows the jobs")
            table.jobs.remove(job)
            self._save(node, table)
            timer = self.timers.pop((node, number), 0)
            self.owners[node].cancel(timer)
        return job

    # -- running ----------------------------------------------------------------------------------------------
    def _arm(self, node: str, job: cs.Job, when: datetime) -> None:
        old = self.timers.pop((node, job.job_number), 0)
        if old:
            self.owners[node].cancel(old)
        timer = self.owners[node].register(f"job {job.job_name}", node, due=when,
                                           payload=str(job.job_number).encode())
        self.timers[(node, job.job_number)] = timer.id

    def _fired(self, node: str, timer: clock_pb2.Timer) -> None:
        number = int(timer.payload.decode() or 0)
        with self._lock:
            if self.timers.get((node, number)) != timer.id:
                return  # deleted or rescheduled meanwhile
            del self.timers[(node, number)]
            table = self._load(node)
            job = next((j for j in table.jobs if j.job_number == number), None)
            if job is None:
                return
            now = self._now()
            if job.hold:
                job.last_outcome = "held: not run"
            else:
                out = self.run_macro(cs.RunMacroRequest(text=job.macro_text, node=node, user=job.user,
                                                        trigger=cs.TRIGGER_NETBATCH))
                job.last_outcome = "ok" if out.ok else out.error_message
                job.run_count += 1
                job.last_run.FromDatetime(now)
                self._output(node, job, out, now)
            every = job.every.ToTimedelta() if job.HasField("every") else timedelta(0)
            if every:
                nxt = job.next_run.ToDatetime().replace(tzinfo=timezone.utc) + every
                while nxt <= now:
                    nxt += every
                job.next_run.FromDatetime(nxt)
                self._arm(node, job, nxt)
            else:
                job.ClearField("next_run")
            self._save(node, table)

    def _output(self, node: str, job: cs.Job, out: cs.RunMacroResponse, now: datetime) -> None:
        lines = [f"{job.job_name} Jobnumber {job.job_number} run at {now:%Y-%m-%d %H:%M:%S} UTC on {node}",
                 *[f"TACL> {line}" for line in job.macro_text.splitlines() if line.strip()], *out.output]
        self.platform.guardian(node).WriteReport(guardian_pb2.WriteReportRequest(
            location=job.out_location, job_name=job.job_name, process=f"{node}.$ZBAT", lines=lines))
