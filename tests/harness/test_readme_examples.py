"""The README's examples run as written: the pytest plugin block in a fresh pytest, the scenario block as YAML."""

from __future__ import annotations

from pathlib import Path

from harness.scenario import parse_scenario

pytest_plugins = ["pytester"]
README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _block(section: str, lang: str) -> str:
    return README.split(section, 1)[1].split(f"```{lang}\n", 1)[1].split("```", 1)[0]


def test_the_readme_plugin_example_passes(pytester):
    pytester.makepyfile(test_readme=_block("## In your own test suite", "python"))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
    result.assert_outcomes(passed=3)


def test_the_readme_scenario_example_parses():
    scenario = parse_scenario(_block("## Scenarios: failures, history, checkers", "yaml"), "README.md")
    assert scenario.name == "link-cut" and scenario.steps
