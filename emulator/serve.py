"""Serving a node: one gRPC server per node with Guardian and MediaCatalog, health checking and reflection.
While the node is down every call answers UNAVAILABLE (Guardian error 201) and health says NOT_SERVING."""

from __future__ import annotations

from emulator import rpc
from emulator.node import Endpoint, Node
from emulator.v1 import guardian_pb2_grpc, media_catalog_pb2_grpc

GUARDIAN = "emulator.v1.Guardian"
MEDIA_CATALOG = "emulator.v1.MediaCatalog"


def serve_node(node: Node, address: str = "127.0.0.1:0") -> rpc.Server:
    """Start the node's server; record its endpoints on the node."""
    from emulator.servicers.guardian import GuardianServicer            # noqa: PLC0415
    from emulator.servicers.media_catalog import MediaCatalogServicer   # noqa: PLC0415

    server = rpc.Server(address, gate=node.down_error)
    server.add(guardian_pb2_grpc.add_GuardianServicer_to_server, GuardianServicer(node), GUARDIAN)
    server.add(media_catalog_pb2_grpc.add_MediaCatalogServicer_to_server, MediaCatalogServicer(node),
               MEDIA_CATALOG)
    server.start()
    node.on_crash.append(lambda _n: server.set_serving(False))
    node.on_restart.append(lambda _n: server.set_serving(True))
    node.endpoints = [Endpoint(GUARDIAN, node.name, server.address),
                      Endpoint(MEDIA_CATALOG, node.name, server.address)]
    return server
