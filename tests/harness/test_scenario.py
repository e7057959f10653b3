"""Scenario files: every built-in loads; malformed YAML, unknown verbs, bad arguments and unknown faults are
refused before anything starts, with the line and the fix in the message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.errors import ScenarioError
from harness.nemesis import FAULTS
from harness.scenario import PROCEDURE_VERBS, VERBS, builtin_scenarios, load_scenario, parse_scenario
from harness.topology import builtin_topologies

HEAD = "name: t\ntopology: minimal\nsteps:\n"


@pytest.mark.parametrize("name", sorted(builtin_scenarios()))
def test_every_builtin_scenario_loads_and_names_a_known_topology(name):
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.description, "a built-in scenario says what it shows (catsync-sim scenarios prints it)"
    # a built-in topology, or a variant kept beside the scenarios (harness/scenarios/topologies/)
    assert scenario.topology in builtin_topologies() or Path(scenario.topology_source()).is_file()
    assert scenario.steps or scenario.swarm is not None


def test_a_scenario_round_trips_through_its_yaml():
    scenario = load_scenario("link-cut")
    again = parse_scenario(scenario.to_yaml())
    assert [(s.verb, s.args) for s in again.steps] == [(s.verb, s.args) for s in scenario.steps]
    assert again.seed == scenario.seed and again.final == scenario.final


BAD = [
    # (steps text, expected line, words the message must hold)
    ("  - backup: 3\n  - advnce: 1h\n", 5, ["unknown verb 'advnce'", "advance"]),
    ("  - advance: soon\n", 4, ["duration", "5m"]),
    ("  - advance: -5\n", 4, ["not a duration"]),
    ("  - export: PARTIAL\n", 4, ["FULL or UPDATE"]),
    ("  - export: {type: FULL, store: X}\n", 4, ["unknown key 'store'", "data_store"]),
    ("  - fail: link-dwn\n", 4, ["unknown fault 'link-dwn'", "link-down"]),
    ("  - fail: {fault: link-latency}\n", 4, ["needs ms"]),
    ("  - fail: {fault: node-crash, node: \\INSIDX, hard: true}\n", 4, ["not 'hard'"]),
    ("  - expect: {contains: x}\n", 4, ["exactly one of"]),
    ("  - expect: {last: export, outcom: FAILED}\n", 4, ["unknown key 'outcom'"]),
    ("  - backup: 0\n", 4, ["count"]),
    ("  - backup: {count: 2, colour: red}\n", 4, ["colour"]),
    ("  - repeat: {times: 0, steps: [{backup: 1}]}\n", 4, ["times"]),
    ("  - repeat:\n      times: 2\n      steps:\n        - advance: 1h\n        - heal: [a]\n", 8, ["heal"]),
    ("  - macro: ''\n", 4, ["macro"]),
    ("  - check: {rpo: fast}\n", 4, ["rpo"]),
    ("  - check: {checkers: [everything]}\n", 4, ["unknown checker"]),
    ("  - [backup, 3]\n", 4, ["one verb"]),
]


@pytest.mark.parametrize("steps, line, words", BAD, ids=[b[0].strip()[:30] for b in BAD])
def test_a_malformed_step_is_refused_with_its_line_and_the_fix(steps, line, words):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(HEAD + steps, "drill.yaml")
    message = str(info.value)
    assert f"drill.yaml:{line}:" in message, message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("text, words", [
    ("name: t\nsteps: [{backup: 1}]\n", ["needs a topology"]),
    ("name: t\ntopology: minimal\n", ["needs steps"]),
    ("name: t\ntopology: minimal\nsteps: [{backup: 1}]\nseed: -1\n", ["seed"]),
    ("name: t\ntopology: minimal\nsteps: [{backup: 1}]\nfinal: {export: SOME}\n", ["FULL, UPDATE or none"]),
    ("name: t\ntopology: minimal\nsteps: [{backup: 1}]\nfinale: {}\n", ["unknown key 'finale'"]),
    ("name: t\ntopology: minimal\nswarm: {days: 0}\n", ["days"]),
    ("name: t\ntopology: minimal\nswarm: {faults: [meteor]}\n", ["faults is auto or a list"]),
    ("name: t\ntopology: minimal\nsteps:\n  - backup: 1\n   - advance: 1h\n", ["YAML syntax error", "line"]),
])
def test_a_malformed_scenario_is_refused_with_a_fix(text, words):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "drill.yaml")
    for word in words:
        assert word in str(info.value), str(info.value)


def test_an_unknown_scenario_name_lists_the_builtins():
    with pytest.raises(ScenarioError) as info:
        load_scenario("no-such-drill")
    assert "smoke" in str(info.value)


def test_every_fault_kind_and_verb_is_accepted_by_the_parser():
    for kind, cls in FAULTS.items():
        params = {key: _sample(key) for key in cls.required}
        parse_scenario(HEAD + f"  - fail: {{fault: {kind}{''.join(f', {k}: {v}' for k, v in params.items())}}}\n")
    text = HEAD + textwrap.indent(textwrap.dedent("""\
        - backup: {count: 2}
        - advance: {by: 1h}
        - advance: {until: 2025-09-24T02:00:00Z}
        - export: FULL
        - import: {type: UPDATE, catalog_files: false}
        - macro: BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, TYPE FULL
        - mediacom: {command: INFO TAPEVOLUME *, node: \\ETINIUM}
        - fail: link-down
        - heal: all
        - restore_check: {list_only: true}
        - check: {checkers: [consistency]}
        - expect: {last: import, outcome: COMPLETED}
        - configure: {data_store: E501_WIN1_SND, import_config: {non_dedicated_catalog: true}}
        - delete_volume: EW1001
        - job: {node: \\ETINIUM, macro: "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE", at: "02:00"}
        - say: The nightly import runs.
        - show: {import_status: E501_WIN1_SND}
        - repeat: {times: 2, steps: [{backup: 1}]}
        - role_swap: {fail_at: 5}
        """), "  ") + "".join(f"  - {name}: {{}}\n" for name in PROCEDURE_VERBS)
    scenario = parse_scenario(text)
    assert {s.verb for s in scenario.steps} == set(VERBS)


def test_a_python_scenario_loads_with_its_settings(tmp_path):
    path = tmp_path / "drill.py"
    path.write_text('"""A drill in Python."""\nTOPOLOGY = "minimal"\nSEED = 9\n\ndef scenario(sim):\n'
                    '    sim.backup(2)\n')
    scenario = load_scenario(str(path))
    assert (scenario.topology, scenario.seed, scenario.description) == ("minimal", 9, "A drill in Python.")
    assert scenario.python is not None


def test_a_python_file_without_scenario_function_is_refused(tmp_path):
    path = tmp_path / "drill.py"
    path.write_text("TOPOLOGY = 'minimal'\n")
    with pytest.raises(ScenarioError, match="defines scenario"):
        load_scenario(str(path))


def _sample(key: str) -> str:
    return {"ms": "10", "probability": "0.5", "bytes_per_second": "1000", "node": "\\INSIDX", "point":
            "export.after_summary", "lag": "1h", "seconds": "60"}[key]


def test_an_empty_value_is_read_as_nothing_not_a_yaml_crash():
    scenario = parse_scenario("name: x\ntopology: minimal\ndescription:\nsteps:\n  - advance: 1h\n", "x.yaml")
    assert not scenario.description
    with pytest.raises(ScenarioError, match="x.yaml:3: steps: a scenario needs steps"):
        parse_scenario("name: x\ntopology: minimal\nsteps:\n", "x.yaml")
