"""Topology files: the built-ins load, and malformed files are rejected with the line and the fix."""

from __future__ import annotations

import textwrap

import pytest

from harness.topology import TopologyError, builtin_topologies, load_topology, parse_topology

GOOD = textwrap.dedent("""\
    name: t
    sites:
      - name: P
        nodes:
          - {name: \\A, number: 1, utc_offset: "-05:00", volumes: {$DATA15: 1000}}
      - name: S
        nodes:
          - {name: \\B, number: 2}
    links:
      - {kind: EXPAND, between: [\\A, \\B]}
    """)


def test_builtin_topologies_load_when_listed():
    names = builtin_topologies()
    assert "two-node" in names
    for name in names:
        spec = load_topology(name)
        assert spec.nodes and spec.name


def test_two_node_topology_has_insidx_and_etinium_joined_by_expand():
    spec = load_topology("two-node")
    assert [n.name for n in spec.nodes] == ["\\INSIDX", "\\ETINIUM"]
    assert [(l.kind, l.node_a, l.node_b) for l in spec.links] == [("EXPAND", "\\INSIDX", "\\ETINIUM")]
    assert spec.node("\\INSIDX").utc_offset_seconds == -5 * 3600


def test_yaml_text_parses_with_backslash_names_unquoted():
    spec = parse_topology(GOOD)
    assert spec.node("\\A").volumes == {"$DATA15": 1000}
    assert spec.links[0].id == "EXPAND:\\A-\\B"


@pytest.mark.parametrize("broken,line,fragment", [
    (GOOD.replace("number: 2", "number: 1"), 8, "already used by \\A"),
    (GOOD.replace("{name: \\B, number: 2}", "{name: B, number: 2}"), 8, "must start with a backslash"),
    (GOOD.replace("kind: EXPAND", "kind: FIBRE"), 10, "must be EXPAND or WAN"),
    (GOOD.replace("[\\A, \\B]", "[\\A, \\C]"), 10, "\\C is not a node"),
    (GOOD.replace("[\\A, \\B]", "[\\A]"), 10, "two nodes"),
    (GOOD.replace("utc_offset: \"-05:00\"", "utc_offset: soon"), 5, "-05:00"),
    (GOOD.replace("$DATA15: 1000", "DATA15: 1000"), 5, "dollar sign"),
    (GOOD.replace("name: P", "name: P\n    colour: red"), 4, "unknown key 'colour'"),
    ("name: t\nsites: 3\n", 2, "must be a list"),
    (GOOD + "  - {kind: EXPAND, between: [\\B, \\A]}\n", 11, "defined twice"),
    ("name: [unclosed", 1, "YAML syntax error"),
])
def test_malformed_topology_names_the_line_and_the_fix_when_rejected(broken, line, fragment):
    with pytest.raises(TopologyError) as info:
        parse_topology(broken, "t.yaml")
    assert f"t.yaml:{line}" in str(info.value) or (line == 1 and "line 1" in str(info.value))
    assert fragment in str(info.value)


def test_ssl_naming_an_unlinked_node_is_rejected():
    text = GOOD.replace("{name: \\B, number: 2}", "{name: \\B, number: 2, dsmtc: {mediadefs: {ssl: [\\A]}}}")
    text = text.replace("links:\n  - {kind: EXPAND, between: [\\A, \\B]}\n", "links: []\n")
    with pytest.raises(TopologyError, match="no link"):
        parse_topology(text, "t.yaml")


def test_unknown_topology_name_lists_the_builtins():
    with pytest.raises(TopologyError, match="two-node"):
        load_topology("no-such-topology")
