"""The CLI: every command has help and is documented in the README; usage errors exit 2 with a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.cli import build_parser, main

README = Path(__file__).resolve().parents[2] / "README.md"


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help_and_a_readme_mention(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "usage: catsync-sim" in capsys.readouterr().out
    assert f"catsync-sim {command}" in README.read_text()


def test_mediacom_without_a_running_topology_says_how_to_start_one(monkeypatch, capsys):
    monkeypatch.delenv("CATSYNC_SIM_CONTROL", raising=False)
    assert main(["mediacom", "--node", "\\ETINIUM", "INFO MEDIADEFS"]) == 2
    assert "catsync-sim serve" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out


def test_topologies_lists_the_builtins(capsys):
    assert main(["topologies"]) == 0
    assert "two-node" in capsys.readouterr().out
