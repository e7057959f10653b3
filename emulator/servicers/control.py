"""Control servicer: node crash / restart, snapshots, reset, state dumps, fault points, disk full."""

from __future__ import annotations

from emulator.control import ControlPlane
from emulator.faults import ACTIONS, FaultPoint
from emulator.errors import EmulatorError, InvalidArgument
from emulator.node import Node
from emulator.v1 import common_pb2, control_pb2, control_pb2_grpc

_ACTION_PB = {name: getattr(control_pb2, f"FAULT_ACTION_{name}") for name in ACTIONS}
_ACTION = {v: k for k, v in _ACTION_PB.items()}


def node_state(node: Node) -> control_pb2.NodeState:
    return control_pb2.NodeState(
        node=common_pb2.NodeIdentity(name=node.name, expand_number=node.config.number,
                                     utc_offset_seconds=node.config.utc_offset_seconds, site=node.config.site),
        status=control_pb2.NODE_STATUS_UP if node.up else control_pb2.NODE_STATUS_DOWN,
        epoch=node.epoch, state_dir=str(node.store.directory),
        endpoints=[common_pb2.Endpoint(service=e.service, node=e.node, address=e.address) for e in node.endpoints])


def fault_point_pb(p: FaultPoint) -> control_pb2.FaultPoint:
    return control_pb2.FaultPoint(name=p.name, node=p.node, program=p.program, action=_ACTION_PB[p.action],
                                  on_hit=p.on_hit, repeat=p.repeat, guardian_error=p.guardian_error,
                                  delay_ms=p.delay_ms, hits=p.hits, fired=p.fired)


class ControlServicer(control_pb2_grpc.ControlServicer):
    def __init__(self, control: ControlPlane, endpoints: list[common_pb2.Endpoint]):
        self._control = control
        self._endpoints = endpoints

    def _nodes(self) -> list[control_pb2.NodeState]:
        return [node_state(self._control.nodes[k]) for k in sorted(self._control.nodes)]

    def GetTopology(self, request, context):  # noqa: N802
        return control_pb2.GetTopologyResponse(name=self._control.name, seed=self._control.seed,
                                               nodes=self._nodes(), endpoints=self._endpoints,
                                               topology_yaml=self._control.topology_yaml)

    def ListNodes(self, request, context):  # noqa: N802
        return control_pb2.ListNodesResponse(nodes=self._nodes())

    def CrashNode(self, request, context):  # noqa: N802
        node, killed, rolled_back = self._control.crash_node(request.node)
        return control_pb2.CrashNodeResponse(node=node_state(node), killed_processes=killed,
                                             rolled_back_transactions=rolled_back)

    def RestartNode(self, request, context):  # noqa: N802
        return control_pb2.RestartNodeResponse(node=node_state(self._control.restart_node(request.node)))

    def Snapshot(self, request, context):  # noqa: N802
        size = self._control.snapshot(request.name)
        return control_pb2.SnapshotResponse(name=request.name, bytes=size)

    def RestoreSnapshot(self, request, context):  # noqa: N802
        self._control.restore(request.name)
        return control_pb2.RestoreSnapshotResponse(name=request.name)

    def ListSnapshots(self, request, context):  # noqa: N802
        return control_pb2.ListSnapshotsResponse(names=self._control.snapshots())

    def Reset(self, request, context):  # noqa: N802
        self._control.reset()
        return control_pb2.ResetResponse()

    def DumpState(self, request, context):  # noqa: N802
        return control_pb2.DumpStateResponse(json=self._control.dump_state_json(
            list(request.nodes), include_files=request.include_files, include_ems=request.include_ems))

    def ArmFaultPoint(self, request, context):  # noqa: N802
        p = request.point
        if p.action not in _ACTION:
            raise InvalidArgument(f"fault action must be one of {', '.join(ACTIONS)}")
        armed = self._control.faults.arm(FaultPoint(
            name=p.name, action=_ACTION[p.action], node=p.node, program=p.program, on_hit=p.on_hit or 1,
            repeat=p.repeat, guardian_error=p.guardian_error, delay_ms=p.delay_ms))
        return control_pb2.ArmFaultPointResponse(point=fault_point_pb(armed))

    def DisarmFaultPoint(self, request, context):  # noqa: N802
        return control_pb2.DisarmFaultPointResponse(
            points=[fault_point_pb(p) for p in self._control.faults.disarm(request.name)])

    def ListFaultPoints(self, request, context):  # noqa: N802
        return control_pb2.ListFaultPointsResponse(points=[fault_point_pb(p) for p in self._control.faults.list()])

    def HitFaultPoint(self, request, context):  # noqa: N802
        if request.node and not request.count_only:
            node = self._control.node(request.node)
            try:
                node.hit(request.name, request.process, request.program)
            except EmulatorError:  # the point fired: report its action (the node already applied it)
                fired = next((p for p in self._control.faults.list() if p.name == request.name), None)
                action = _ACTION_PB[fired.action] if fired else control_pb2.FAULT_ACTION_UNSPECIFIED
                return control_pb2.HitFaultPointResponse(action=action,
                                                         guardian_error=fired.guardian_error if fired else 0)
            return control_pb2.HitFaultPointResponse()
        fired = self._control.faults.hit(request.name, request.node, request.program)
        if fired is None:
            return control_pb2.HitFaultPointResponse()
        return control_pb2.HitFaultPointResponse(action=_ACTION_PB[fired.action],
                                                 guardian_error=fired.guardian_error)

    def SetDiskFull(self, request, context):  # noqa: N802
        self._control.set_disk_full(request.node, request.volume, request.full)
        return control_pb2.SetDiskFullResponse()
