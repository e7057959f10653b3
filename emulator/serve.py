"""Serving a node: one gRPC server per node with Guardian and MediaCatalog (and BackBoxDomain when the node runs
a domain manager), health checking and reflection. While the node is down every call answers UNAVAILABLE
(Guardian error 201) and health says NOT_SERVING."""

from __future__ import annotations

from emulator import rpc
from emulator.node import Endpoint, Node
from emulator.v1 import backbox_domain_pb2_grpc, guardian_pb2_grpc, media_catalog_pb2_grpc

GUARDIAN = "emulator.v1.Guardian"
MEDIA_CATALOG = "emulator.v1.MediaCatalog"
BACKBOX_DOMAIN = "emulator.v1.BackBoxDomain"


def serve_node(node: Node, address: str = "127.0.0.1:0", *, domain_id: str = "") -> rpc.Server:
    """Start the node's server; record its endpoints on the node. With `domain_id` the node runs that BackBox
    domain's manager (created on first start, reopened from the node's state after)."""
    from emulator.servicers.guardian import GuardianServicer            # noqa: PLC0415
    from emulator.servicers.media_catalog import MediaCatalogServicer   # noqa: PLC0415

    server = rpc.Server(address, gate=node.down_error)
    server.add(guardian_pb2_grpc.add_GuardianServicer_to_server, GuardianServicer(node), GUARDIAN)
    server.add(media_catalog_pb2_grpc.add_MediaCatalogServicer_to_server, MediaCatalogServicer(node),
               MEDIA_CATALOG)
    domain = None
    if domain_id:
        from emulator.backbox_domain import BackBoxDomain                  # noqa: PLC0415
        from emulator.servicers.backbox_domain import BackBoxDomainServicer  # noqa: PLC0415

        domain = BackBoxDomain(node, domain_id)
        server.add(backbox_domain_pb2_grpc.add_BackBoxDomainServicer_to_server, BackBoxDomainServicer(domain),
                   BACKBOX_DOMAIN)
    server.start()
    node.on_crash.append(lambda _n: server.set_serving(False))
    node.on_restart.append(lambda _n: server.set_serving(True))
    node.endpoints = [Endpoint(GUARDIAN, node.name, server.address),
                      Endpoint(MEDIA_CATALOG, node.name, server.address)]
    if domain is not None:
        node.endpoints.append(Endpoint(BACKBOX_DOMAIN, node.name, server.address))
    return server
