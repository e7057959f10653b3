"""Fixtures for the emulator's tests: a virtual clock, single nodes, and a node served over real gRPC."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from emulator.clock import Clock
from emulator.faults import FaultPoints
from emulator.media_catalog import MediaCatalogStore, Pool
from emulator.node import Node, NodeConfig


@pytest.fixture
def clock() -> Iterator[Clock]:
    c = Clock()
    yield c
    c.close()


@pytest.fixture
def make_node(tmp_path: Path, clock: Clock) -> Iterator[Callable[..., Node]]:
    """`make_node("\\INSIDX", volumes={"$DATA15": 0})` → a Node with its state under tmp_path."""
    nodes: list[Node] = []
    faults = FaultPoints()

    def factory(name: str = "\\INSIDX", number: int = 12, **kwargs) -> Node:
        kwargs.setdefault("volumes", {"$DATA01": 0, "$DATA15": 0})
        kwargs.setdefault("autoexpire_time", "")  # unit tests run EXPIRE TAPEFILE themselves; see test_daily_expiration
        node = Node(NodeConfig(name=name, number=number, **kwargs), tmp_path / name.strip("\\"), clock, faults)
        nodes.append(node)
        return node

    yield factory
    for node in nodes:
        node.close()


@pytest.fixture
def node(make_node: Callable[..., Node]) -> Node:
    return make_node()


@pytest.fixture
def node_server(node: Node):
    """The node's Guardian and MediaCatalog served on 127.0.0.1:0; yields (node, address)."""
    from emulator.serve import serve_node  # noqa: PLC0415

    server = serve_node(node)
    try:
        yield node, server.address
    finally:
        server.stop(None)


@pytest.fixture
def cat(node: Node) -> MediaCatalogStore:
    """\\INSIDX with QCVOLCAT (pools BKPOOL autoscratch, RELPOOL no autoscratch, EXPOOL out of the search space)
    and QCFILCAT (test_media_catalog's VC / FC)."""
    store = node.catalog
    store.create_catalog("QCVOLCAT", "VOLCAT", "$DATA01.QCCAT")
    store.create_catalog("\\INSIDX.QCFILCAT", "FILECAT")
    store.add_pool(Pool("\\INSIDX.QCVOLCAT", "BKPOOL", media_type="LTO3"))
    store.add_pool(Pool("\\INSIDX.QCVOLCAT", "RELPOOL", autoscratch=False))
    store.add_pool(Pool("\\INSIDX.QCVOLCAT", "EXPOOL", searchspace_in=False))
    return store
