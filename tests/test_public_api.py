"""The packages' public doors are small and pinned."""

from __future__ import annotations

import catsync
import emulator
import harness


def test_emulator_exports_are_pinned():
    assert sorted(emulator.__all__) == ["Clock", "EmulatorError", "FaultPoint", "FaultPoints", "LinkFault",
                                        "LinkProxy", "Node", "NodeConfig"]


def test_harness_exports_are_pinned():
    assert sorted(harness.__all__) == ["HarnessError", "RunResult", "Scenario", "ScenarioError", "Sim", "Topology",
                                       "TopologyError", "TopologySpec", "builtin_topologies", "load_scenario",
                                       "load_topology", "run_scenario", "start_topology"]


def test_catsync_exports_are_pinned():
    assert catsync.__all__ == ["CatsyncError"]


def test_every_export_exists():
    for module in (emulator, harness, catsync):
        for name in module.__all__:
            assert hasattr(module, name)


def _imports(package: str) -> dict[str, set[str]]:
    """module file -> the modules it imports (absolute names)."""
    import ast  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    root = Path(__file__).resolve().parent.parent / package
    found: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if "_pb2" in path.name:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.update(f"{node.module}.{a.name}" for a in node.names)
        found[str(path.relative_to(root.parent))] = names
    return found


def test_catsync_reaches_the_platform_only_through_its_grpc_stubs():
    """DESIGN §1: catsync imports nothing of emulator but the generated stubs of emulator.v1."""
    wrong = {f: sorted(n for n in names if n.split(".")[0] == "emulator" and not n.startswith("emulator.v1"))
             for f, names in _imports("catsync").items()}
    assert {f: n for f, n in wrong.items() if n} == {}
    assert any(n.startswith("emulator.v1") for names in _imports("catsync").values() for n in names)


def test_emulator_never_imports_catsync():
    wrong = {f: sorted(n for n in names if n.split(".")[0] in ("catsync", "harness"))
             for f, names in _imports("emulator").items()}
    assert {f: n for f, n in wrong.items() if n} == {}
