"""TapeController servicer: one VTC over gRPC (proto emulator/v1/tape_controller), and `serve_vtc`.

A VTC is a Windows server, not a NonStop node: its server has no node gate; it answers while it runs.
"""

from __future__ import annotations

from typing import Any, Iterator

from emulator import rpc
from emulator.errors import InvalidArgument
from emulator.v1 import tape_controller_pb2 as tc, tape_controller_pb2_grpc
from emulator.vtc import VirtualTapeController

SERVICE = "emulator.v1.TapeController"


class TapeControllerServicer(tape_controller_pb2_grpc.TapeControllerServicer):
    def __init__(self, vtc: VirtualTapeController):
        self.vtc = vtc

    def ListDrives(self, request: Any, context: Any) -> tc.ListDrivesResponse:
        return tc.ListDrivesResponse(drives=self.vtc.drives(request.status, request.node))

    def SetDriveStatus(self, request: Any, context: Any) -> tc.SetDriveStatusResponse:
        return tc.SetDriveStatusResponse(drive=self.vtc.set_drive_status(request.drive_id, request.status,
                                                                         request.force))

    def Mount(self, request: Any, context: Any) -> tc.MountResponse:
        return self.vtc.mount(request)

    def WriteTapeFile(self, request_iterator: Iterator[tc.WriteTapeFileRequest], context: Any
                      ) -> tc.WriteTapeFileResponse:
        first = next(request_iterator, None)
        if first is None or not first.HasField("header"):
            raise InvalidArgument("the first WriteTapeFile message must carry the header (drive, file id ...)")

        def chunks() -> Iterator[bytes]:
            if first.data:
                yield first.data
            for msg in request_iterator:
                yield msg.data
        return self.vtc.write(first.header, chunks())

    def ReadTapeFile(self, request: Any, context: Any) -> Iterator[tc.ReadTapeFileResponse]:
        yield from self.vtc.read(request)

    def Unload(self, request: Any, context: Any) -> tc.UnloadResponse:
        return self.vtc.unload(request)

    def GetMountStatus(self, request: Any, context: Any) -> tc.GetMountStatusResponse:
        return self.vtc.mount_status(request.drive_id, request.label, request.mount_id)

    def ListMountRequests(self, request: Any, context: Any) -> tc.ListMountRequestsResponse:
        return tc.ListMountRequestsResponse(mounts=self.vtc.mounts(request.status, request.node, request.limit))


def serve_vtc(vtc: VirtualTapeController, address: str = "127.0.0.1:0") -> rpc.Server:
    server = rpc.Server(address)
    server.add(tape_controller_pb2_grpc.add_TapeControllerServicer_to_server, TapeControllerServicer(vtc), SERVICE)
    return server.start()
