"""Link servicer: the control plane of every link of an emulator process."""

from __future__ import annotations

from emulator.control import ControlPlane
from emulator.link import LinkFault, LinkProxy
from emulator.v1 import link_pb2, link_pb2_grpc

_KIND = {"EXPAND": link_pb2.LINK_KIND_EXPAND, "WAN": link_pb2.LINK_KIND_WAN}


def link_info(link: LinkProxy) -> link_pb2.LinkInfo:
    f, c = link.fault, link.counters
    return link_pb2.LinkInfo(
        id=link.id, kind=_KIND[link.kind], node_a=link.node_a, node_b=link.node_b,
        to_b_address=link.to_b.address, to_a_address=link.to_a.address,
        fault=link_pb2.LinkFault(down=f.down, one_way_from=f.one_way_from, latency_ms=f.latency_ms,
                                 loss_probability=f.loss_probability,
                                 bandwidth_bytes_per_second=f.bandwidth_bytes_per_second,
                                 guardian_error=f.guardian_error),
        counters=link_pb2.LinkCounters(calls=c.calls, bytes_a_to_b=c.bytes_a_to_b, bytes_b_to_a=c.bytes_b_to_a,
                                       failures=c.failures, dropped=c.dropped))


class LinkServicer(link_pb2_grpc.LinkServicer):
    def __init__(self, control: ControlPlane):
        self._control = control

    def ListLinks(self, request, context):  # noqa: N802
        return link_pb2.ListLinksResponse(links=[link_info(self._control.links[k]) for k in sorted(self._control.links)])

    def GetLink(self, request, context):  # noqa: N802
        return link_pb2.GetLinkResponse(link=link_info(self._control.link(request.id)))

    def SetLinkFault(self, request, context):  # noqa: N802
        link = self._control.link(request.id)
        f = request.fault
        link.set_fault(LinkFault(down=f.down, one_way_from=f.one_way_from, latency_ms=f.latency_ms,
                                 loss_probability=f.loss_probability,
                                 bandwidth_bytes_per_second=f.bandwidth_bytes_per_second,
                                 guardian_error=f.guardian_error or 250),
                       seed=request.seed or None)
        return link_pb2.SetLinkFaultResponse(link=link_info(link))

    def HealLink(self, request, context):  # noqa: N802
        links = [self._control.link(request.id)] if request.id else [self._control.links[k]
                                                                     for k in sorted(self._control.links)]
        for link in links:
            link.heal()
        return link_pb2.HealLinkResponse(links=[link_info(link) for link in links])

    def ResetLinkCounters(self, request, context):  # noqa: N802
        link = self._control.link(request.id)
        link.reset_counters()
        return link_pb2.ResetLinkCountersResponse(link=link_info(link))
