"""Guardian name rules (domain-facts §1): every rule enforced with an error that says how to fix it."""

from __future__ import annotations

import pytest

from emulator.errors import InvalidName
from emulator.names import (matches, node_of, parse_file_name, parse_node, parse_process_name, parse_spooler_location,
                            parse_subvolume, parse_volume)


def test_full_file_name_parses_and_upper_cases_when_valid():
    name = parse_file_name("\\etinium.$data15.e5catsyn.vew1008")
    assert str(name) == "\\ETINIUM.$DATA15.E5CATSYN.VEW1008"
    assert name.local == "$DATA15.E5CATSYN.VEW1008"
    assert str(name.subvol) == "\\ETINIUM.$DATA15.E5CATSYN"


def test_partial_file_name_is_completed_from_defaults_when_node_and_volume_are_implied():
    assert str(parse_file_name("$DATA15.E5CATSYN.X", default_node="\\B")) == "\\B.$DATA15.E5CATSYN.X"
    assert str(parse_file_name("E5CATSYN.X", default_node="\\B", default_volume="$D")) == "\\B.$D.E5CATSYN.X"


@pytest.mark.parametrize("text,fragment", [
    ("INSIDX.$DATA.SV.F", "no volume and none is implied"),
    ("\\INSIDX.$DATA.SV", "must have 4 parts"),
    ("\\TOOLONGNODE.$DATA.SV.F", "1 to 7 letters"),
    ("\\1NODE.$DATA.SV.F", "starting with a letter"),
    ("\\N.DATA.SV.F", "dollar sign"),
    ("\\N.$DATA12345.SV.F", "dollar sign"),
    ("\\N.$DATA.SUBVOLUME9.F", "1 to 8 letters"),
    ("\\N.$DATA.SV.9FILE", "starts with a letter"),
    ("\\N.$DATA.SV..F", "empty part"),
    ("\\N.$DATA.SV.F G", "blanks"),
    ("", "empty"),
    ("$S.#INS.EXP", "spooler location"),
])
def test_malformed_file_name_is_rejected_with_a_fix_when_a_rule_is_broken(text, fragment):
    with pytest.raises(InvalidName, match=fragment.replace("(", r"\(")) as info:
        parse_file_name(text, default_node=None)
    assert info.value.guardian_error == 13


def test_longest_legal_file_name_fits_the_35_character_diskfile_column():
    # the part rules alone keep a qualified name within DSM/TC's DISKFILENAME VARCHAR(35)
    assert len(str(parse_file_name("\\NODE123.$VOLUME1.SUBVOL12.FILENAM1"))) == 35


def test_temporary_file_id_is_accepted_when_hash_and_digits():
    assert parse_file_name("\\N.$D.SV.#1234").file == "#1234"


def test_node_names_follow_the_rules():
    assert parse_node("\\insidx") == "\\INSIDX"
    with pytest.raises(InvalidName, match="backslash"):
        parse_node("INSIDX")
    assert node_of("\\INSIDX.$DATA01.SALES.ORDERS") == "\\INSIDX"
    assert node_of("$DATA01.SALES.ORDERS") is None


def test_volume_and_subvolume_names_follow_the_rules():
    assert parse_volume("$data15") == "$DATA15"
    assert str(parse_subvolume("$DATA15.E5CATSYN", default_node="\\ETINIUM")) == "\\ETINIUM.$DATA15.E5CATSYN"
    with pytest.raises(InvalidName):
        parse_subvolume("\\ETINIUM.$DATA15")


def test_process_names_follow_the_rules():
    assert parse_process_name("$x66x") == "$X66X"
    assert parse_process_name("\\INSIDX.$X66X") == "\\INSIDX.$X66X"
    with pytest.raises(InvalidName, match="1 to 5"):
        parse_process_name("$TOOLONG")


def test_spooler_locations_parse_when_two_or_three_parts():
    loc = parse_spooler_location("$S.#bpak.E5exp")
    assert str(loc) == "$S.#BPAK.E5EXP" and loc.location == "#BPAK"
    assert parse_spooler_location("$S.#INS").report == ""
    with pytest.raises(InvalidName, match="#"):
        parse_spooler_location("$S.INS.EXP")


def test_wildcards_match_case_insensitively():
    assert matches("VEW*", "vew1008") and matches("V?W1008", "VEW1008") and not matches("X*", "VEW1008")
