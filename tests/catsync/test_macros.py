"""BB026_EXPORT_CATALOG / BB027_IMPORT_CATALOG macro text (R34, R35): the manual's forms parse into MacroCall
messages; everything TACL would refuse raises MacroError naming the place, the problem and the fix; no input string
raises anything else."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catsync import CatsyncError
from catsync.macros import MAX_TEXT_BYTES, MacroError, parse_macros, resolve_store_id
from catsync.v1 import catalog_sync_pb2 as pb

EXPORT = pb.MACRO_KIND_EXPORT_CATALOG
IMPORT = pb.MACRO_KIND_IMPORT_CATALOG
LOAD = "LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS"


def _one(text: str) -> pb.MacroCall:
    calls = parse_macros(text)
    assert len(calls) == 1
    return calls[0]


def _error(text: str) -> MacroError:
    with pytest.raises(MacroError) as err:
        parse_macros(text)
    return err.value


# ---------------------------------------------------------------------------------------------------------------
# The manual's forms


@pytest.mark.rule("R34")
def test_manual_bb026_layout_parses_when_its_lines_are_continued_with_ampersands():
    # the manual's BB026 layout, one value picked in each brace, `&` where TACL needs it
    text = ("LOAD /KEEP 1/ BBOX.BBSETUP &\n"
            "BBOX.MACROS BB026_EXPORT_CATALOG &\n"
            "STOREID DS_WIN1_DES &\n"
            "    , &\n"
            "    CATALOGFILES &\n"
            "    NO &\n"
            "    , TYPE &\n"
            "    FULL\n")
    call = _one(text)
    assert call.kind == EXPORT
    assert (call.store_id, call.resolved_store_id, call.store_id_alias) == ("DS_WIN1_DES", "DS_WIN1_DES", 0)
    assert call.catalog_files == pb.CATALOG_FILES_OPTION_NO
    assert call.type == pb.SYNC_TYPE_FULL
    assert call.text == "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES , CATALOGFILES NO , TYPE FULL"


@pytest.mark.rule("R34")
def test_manual_bb026_form_parses_when_the_macro_follows_bbox_macros_on_its_own_line():
    call = _one("LOAD /KEEP 1/ BBOX.BBSETUP\nBBOX.MACROS BB026_EXPORT_CATALOG STOREID ALL, CATALOGFILES NO, TYPE FULL")
    assert (call.kind, call.store_id, call.type) == (EXPORT, "ALL", pb.SYNC_TYPE_FULL)
    assert call.text == "BB026_EXPORT_CATALOG STOREID ALL, CATALOGFILES NO, TYPE FULL"


@pytest.mark.rule("R35")
def test_manual_bb027_form_parses_when_the_macro_ends_the_load_line():
    call = _one(f"{LOAD} BB027_IMPORT_CATALOG STOREID &\n  E501_WIN1_SND,\t&\n"
                "  STOREID_ALIAS 1, CATALOGFILES YES, TYPE &\n  UPDATE")
    assert call.kind == IMPORT
    assert (call.store_id, call.resolved_store_id, call.store_id_alias) == ("E501_WIN1_SND", "E501 WIN1 SND", 1)
    assert (call.catalog_files, call.type) == (pb.CATALOG_FILES_OPTION_YES, pb.SYNC_TYPE_UPDATE)


@pytest.mark.rule("R34")
@pytest.mark.rule("R35")
def test_suggested_monthly_and_daily_schedule_parses_as_three_calls():
    # R36: monthly FULL export and import without DISKFILEs, daily UPDATE import with them
    text = (f"{LOAD}\n"
            "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, TYPE FULL, CATALOGFILES NO\n"
            "BB027_IMPORT_CATALOG STOREID DS_WIN1_DES, TYPE FULL, CATALOGFILES NO\n"
            "BB027_IMPORT_CATALOG STOREID DS_WIN1_DES, TYPE UPDATE, CATALOGFILES YES\n")
    calls = parse_macros(text)
    assert [(c.kind, c.type, c.catalog_files) for c in calls] == [
        (EXPORT, pb.SYNC_TYPE_FULL, pb.CATALOG_FILES_OPTION_NO),
        (IMPORT, pb.SYNC_TYPE_FULL, pb.CATALOG_FILES_OPTION_NO),
        (IMPORT, pb.SYNC_TYPE_UPDATE, pb.CATALOG_FILES_OPTION_YES)]


# ---------------------------------------------------------------------------------------------------------------
# Options and defaults


@pytest.mark.rule("R34")
def test_omitted_type_and_catalogfiles_stay_unspecified_when_only_storeid_is_given():
    call = _one("BB026_EXPORT_CATALOG STOREID DS_WIN1")
    assert call.type == pb.SYNC_TYPE_UNSPECIFIED  # the caller runs UPDATE (open question 1)
    assert call.catalog_files == pb.CATALOG_FILES_OPTION_UNSPECIFIED  # the caller uses the store configuration
    assert call.store_id_alias == 0


@pytest.mark.rule("R34")
@pytest.mark.parametrize("typed", ["ALL", "all", "All"])
def test_storeid_all_is_upper_cased_when_typed_in_any_case(typed):
    call = _one(f"BB026_EXPORT_CATALOG STOREID {typed}")
    assert call.store_id == call.resolved_store_id == "ALL"


@pytest.mark.parametrize("option, field, expected", [
    ("CATALOGFILES YES", "catalog_files", pb.CATALOG_FILES_OPTION_YES),
    ("CATALOGFILES NO", "catalog_files", pb.CATALOG_FILES_OPTION_NO),
    ("catalogfiles yes", "catalog_files", pb.CATALOG_FILES_OPTION_YES),
    ("TYPE FULL", "type", pb.SYNC_TYPE_FULL),
    ("TYPE UPDATE", "type", pb.SYNC_TYPE_UPDATE),
    ("Type Update", "type", pb.SYNC_TYPE_UPDATE),
    ("STOREID_ALIAS 0", "store_id_alias", 0),
    ("STOREID_ALIAS 1", "store_id_alias", 1),
    ("storeid_alias 2", "store_id_alias", 2),
])
def test_each_option_sets_its_field_when_given(option, field, expected):
    call = _one(f"BB027_IMPORT_CATALOG STOREID DS_WIN1, {option}")
    assert getattr(call, field) == expected


@pytest.mark.rule("R34")
@pytest.mark.parametrize("option", ["CATALOGFILES YES", "CATALOGFILES NO", "TYPE FULL", "TYPE UPDATE"])
def test_each_bb026_option_is_accepted_when_given(option):
    assert _one(f"BB026_EXPORT_CATALOG STOREID DS_WIN1, {option}").kind == EXPORT


def test_options_parse_in_any_order_and_case_when_mixed():
    call = _one("bb027_import_catalog type full, catalogfiles no, storeid_alias 2, storeid ds+win+1")
    assert (call.store_id, call.resolved_store_id) == ("DS+WIN+1", "DS WIN 1")
    assert (call.type, call.catalog_files) == (pb.SYNC_TYPE_FULL, pb.CATALOG_FILES_OPTION_NO)
    assert call.text == "bb027_import_catalog type full, catalogfiles no, storeid_alias 2, storeid ds+win+1"


def test_first_option_may_follow_the_macro_name_after_a_comma():
    assert _one("BB026_EXPORT_CATALOG, STOREID DS_WIN1").store_id == "DS_WIN1"


@pytest.mark.parametrize("store_id", ["DS_WIN1_DES", "QS-STORE", "A", "DS.1+2-3_4", "7" * 64])
def test_store_ids_of_letters_digits_and_marks_parse_when_at_most_64_long(store_id):
    assert _one(f"BB026_EXPORT_CATALOG STOREID {store_id.lower()}").store_id == store_id.upper()


def test_keyword_and_value_may_be_separated_by_several_blanks_and_tabs():
    call = _one("  BB026_EXPORT_CATALOG\tSTOREID \t DS_WIN1 ,TYPE    FULL  ")
    assert (call.store_id, call.type) == ("DS_WIN1", pb.SYNC_TYPE_FULL)
    assert call.text == "BB026_EXPORT_CATALOG\tSTOREID \t DS_WIN1 ,TYPE    FULL"


# ---------------------------------------------------------------------------------------------------------------
# STOREID_ALIAS (R35)


@pytest.mark.rule("R35")
@pytest.mark.parametrize("alias, typed, resolved", [
    (0, "E501_WIN1+SND", "E501_WIN1+SND"),
    (1, "E501_WIN1+SND", "E501 WIN1+SND"),
    (2, "E501_WIN1+SND", "E501_WIN1 SND"),
    (1, "ALL", "ALL"),
])
def test_storeid_alias_turns_its_mark_into_spaces_when_importing(alias, typed, resolved):
    call = _one(f"BB027_IMPORT_CATALOG STOREID {typed}, STOREID_ALIAS {alias}")
    assert (call.store_id, call.resolved_store_id, call.store_id_alias) == (typed, resolved, alias)
    assert resolve_store_id(typed, alias) == resolved


@pytest.mark.rule("R35")
def test_bb026_resolves_the_store_id_as_typed_when_it_holds_underscores():
    call = _one("BB026_EXPORT_CATALOG STOREID E501_WIN1+SND")
    assert call.resolved_store_id == call.store_id == "E501_WIN1+SND"


@pytest.mark.rule("R35")
@pytest.mark.parametrize("alias", [3, -1, 10])
def test_resolve_store_id_names_the_valid_aliases_when_given_another(alias):
    with pytest.raises(MacroError) as err:
        resolve_store_id("DS_WIN1", alias)
    assert f"STOREID_ALIAS `{alias}` is not valid" in err.value.message
    assert "0 (the id as typed), 1" in err.value.message and err.value.line == 0


# ---------------------------------------------------------------------------------------------------------------
# Lines: continuation, LOAD, comments, several calls


def test_continuation_joins_lines_when_each_ends_with_an_ampersand():
    text = "BB027_IMPORT_CATALOG &\n  STOREID &\n  DS_WIN1 &  == the store\n  , TYPE FULL &\n\t, CATALOGFILES NO"
    call = _one(text)
    assert (call.store_id, call.type, call.catalog_files) == ("DS_WIN1", pb.SYNC_TYPE_FULL,
                                                              pb.CATALOG_FILES_OPTION_NO)
    assert call.text == "BB027_IMPORT_CATALOG STOREID DS_WIN1 , TYPE FULL , CATALOGFILES NO"


def test_error_in_a_continued_line_names_its_own_line_and_column():
    err = _error("BB026_EXPORT_CATALOG STOREID DS_WIN1, &\n   TYPE &\n     HALF")
    assert (err.line, err.column) == (3, 6)
    assert err.message.startswith("line 3, column 6: TYPE takes FULL or UPDATE")


@pytest.mark.parametrize("load", [
    "LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS",
    "load /keep 1/ bbox.bbsetup bbox.macros",
    "LOAD /KEEP 2/ $SYSTEM.BBOX.MACROS",
    "LOAD /KEEP 1/ \\INSIDX.$SYSTEM.BBOX.BBSETUP \\INSIDX.$SYSTEM.BBOX.MACROS",
    "LOAD BBOX.MACROS",
    "LOAD /KEEP 1/ BBOX.BBSETUP &\n  BBOX.MACROS",
])
def test_load_line_is_accepted_and_ignored_when_well_formed(load):
    calls = parse_macros(f"{load}\nBB026_EXPORT_CATALOG STOREID DS_WIN1")
    assert [c.store_id for c in calls] == ["DS_WIN1"]


def test_comments_and_blank_lines_are_ignored_wherever_they_stand():
    text = ("COMMENT monthly re-synchronization\n"
            "== FULL export, no DISKFILE\n"
            "\n"
            f"{LOAD}  == make the macros known\n"
            "   \t\n"
            "comment second call\n"
            "BB026_EXPORT_CATALOG STOREID DS_WIN1, TYPE FULL == the store, TYPE UPDATE\n")
    call = _one(text)
    assert (call.type, call.text) == (pb.SYNC_TYPE_FULL, "BB026_EXPORT_CATALOG STOREID DS_WIN1, TYPE FULL")


def test_several_calls_come_back_in_text_order_when_on_separate_lines():
    calls = parse_macros("BB026_EXPORT_CATALOG STOREID A\r\nBB027_IMPORT_CATALOG STOREID B\r\n"
                         "BB026_EXPORT_CATALOG STOREID C, TYPE FULL\r\n")
    assert [(c.kind, c.store_id) for c in calls] == [(EXPORT, "A"), (IMPORT, "B"), (EXPORT, "C")]


# ---------------------------------------------------------------------------------------------------------------
# Refusals: the place, what is wrong, the fix


@pytest.mark.parametrize("text, place, words", [
    # unknown macro: both known ones suggested
    ("BB028_EXPORT_CATALOG STOREID DS", (1, 1),
     ["unknown macro", "BB028_EXPORT_CATALOG", "BB026_EXPORT_CATALOG (export)", "BB027_IMPORT_CATALOG (import)",
      "did you mean BB026_EXPORT_CATALOG"]),
    ("RUN BBOX.X", (1, 1), ["unknown macro or command `RUN`", "BB026_EXPORT_CATALOG"]),
    # missing STOREID
    ("BB026_EXPORT_CATALOG TYPE FULL", (1, 1),
     ["BB026_EXPORT_CATALOG needs STOREID", "write `BB026_EXPORT_CATALOG STOREID DS_WIN1_DES` (or STOREID ALL)"]),
    ("BB027_IMPORT_CATALOG", (1, 1), ["BB027_IMPORT_CATALOG needs STOREID", "STOREID ALL"]),
    (f"{LOAD}\nBB026_EXPORT_CATALOG\nSTOREID DS, TYPE FULL", (2, 1),
     ["needs STOREID", "the options on line 3 belong to this call: end line 2 with `&`"]),
    # unknown option: the valid ones listed
    ("BB026_EXPORT_CATALOG STOREID DS, COLOUR RED", (1, 34),
     ["unknown option `COLOUR` of BB026_EXPORT_CATALOG", "its options are STOREID, CATALOGFILES, TYPE"]),
    ("BB027_IMPORT_CATALOG STOREID DS, CATALOGFILE YES", (1, 34),
     ["STOREID, STOREID_ALIAS, CATALOGFILES, TYPE", "did you mean CATALOGFILES"]),
    # given twice
    ("BB026_EXPORT_CATALOG STOREID DS, TYPE FULL, TYPE UPDATE", (1, 45),
     ["TYPE is given twice", "first at line 1, column 34", "keep one"]),
    ("BB026_EXPORT_CATALOG STOREID A, STOREID B", (1, 33), ["STOREID is given twice"]),
    # missing or invalid value
    ("BB026_EXPORT_CATALOG STOREID DS, TYPE", (1, 38), ["TYPE needs a value (FULL or UPDATE)", "`TYPE FULL`"]),
    ("BB026_EXPORT_CATALOG STOREID DS, TYPE, CATALOGFILES NO", (1, 38), ["TYPE needs a value"]),
    ("BB026_EXPORT_CATALOG STOREID DS, TYPE HALF", (1, 39),
     ["TYPE takes FULL or UPDATE, not `HALF`", "write `TYPE FULL`"]),
    ("BB026_EXPORT_CATALOG STOREID DS, CATALOGFILES MAYBE", (1, 47),
     ["CATALOGFILES takes YES or NO, not `MAYBE`", "`CATALOGFILES NO`"]),
    ("BB027_IMPORT_CATALOG STOREID DS, STOREID_ALIAS 3", (1, 48), ["STOREID_ALIAS takes 0, 1 or 2, not `3`"]),
    ("BB027_IMPORT_CATALOG STOREID DS, STOREID_ALIAS 01", (1, 48), ["STOREID_ALIAS takes 0, 1 or 2"]),
    ("BB026_EXPORT_CATALOG STOREID", (1, 29), ["STOREID needs a value (a data store id or ALL)"]),
    ("BB026_EXPORT_CATALOG STOREID TYPE FULL", (1, 30), ["STOREID needs a value"]),
    ("BB026_EXPORT_CATALOG STOREID " + "D" * 65, (1, 30), ["65 characters long", "at most 64"]),
    ("BB026_EXPORT_CATALOG STOREID $DATA15", (1, 30), ["holds `$`", "letters, digits, `_`, `-`, `+` and `.`"]),
    ("BB026_EXPORT_CATALOG STOREID=DS", (1, 29), ["not `=`", "`STOREID DS_WIN1_DES`"]),
    # STOREID_ALIAS on BB026
    ("BB026_EXPORT_CATALOG STOREID DS, STOREID_ALIAS 1", (1, 34),
     ["STOREID_ALIAS belongs to BB027_IMPORT_CATALOG only", "remove the option"]),
    # trailing comma / empty option
    ("BB026_EXPORT_CATALOG STOREID DS,", (1, 32), ["trailing comma after `STOREID DS`", "remove it"]),
    ("BB026_EXPORT_CATALOG STOREID DS, TYPE FULL , ", (1, 44), ["trailing comma after `TYPE FULL`"]),
    ("BB026_EXPORT_CATALOG,", (1, 21), ["trailing comma after BB026_EXPORT_CATALOG"]),
    ("BB026_EXPORT_CATALOG STOREID DS,, TYPE FULL", (1, 33), ["empty option", "remove one comma"]),
    ("BB026_EXPORT_CATALOG , , STOREID DS", (1, 24), ["empty option"]),
    # text after the options
    ("BB026_EXPORT_CATALOG STOREID DS, TYPE FULL NOW", (1, 44),
     ["unexpected `NOW` after `TYPE FULL`", "separated by commas", "remove it"]),
    ("BB026_EXPORT_CATALOG STOREID DS TYPE FULL", (1, 33),
     ["missing comma before TYPE", "write `STOREID DS, TYPE ...`"]),
    ("BB026_EXPORT_CATALOG STOREID DS BB027_IMPORT_CATALOG STOREID DS", (1, 33),
     ["put each macro call on its own line"]),
    ("BB026_EXPORT_CATALOG STOREID DS / 2", (1, 33), ["unexpected `/` after `STOREID DS`"]),
    ("BB026_EXPORT_CATALOG STOREID DS, TYPE FULL = 1", (1, 44), ["unexpected `=`"]),
    # continuation at the very end
    ("BB026_EXPORT_CATALOG STOREID DS, &", (1, 34),
     ["`&` continues the command on the next line, but the text ends here", "remove the `&`"]),
    ("BB026_EXPORT_CATALOG STOREID DS &  == more to come", (1, 33), ["the text ends here"]),
    ("BB026_EXPORT_CATALOG STOREID DS & TYPE FULL", (1, 33), ["`&` continues a command only as the last"]),
    # a line that should have been continued
    ("BB026_EXPORT_CATALOG STOREID DS\n\n, TYPE FULL", (3, 1),
     ["a command cannot start with `,`", "end line 1 with `&`"]),
    ("TYPE FULL", (1, 1), ["TYPE is an option, not a command", "start the command with a macro name"]),
    # control characters
    ("BB026_EXPORT_CATALOG STOREID D\x00S", (1, 31), ["control character U+0000", "remove it"]),
    ("BB026_EXPORT_CATALOG STOREID DS\rBB027_IMPORT_CATALOG STOREID DS", (1, 32), ["control character U+000D"]),
    ("COMMENT bell \x07", (1, 14), ["control character U+0007"]),
    ("BB026_EXPORT_CATALOG STOREID DS == \x85", (1, 36), ["control character U+0085"]),
    # the manual's notation and quotes typed literally
    ("BB026_EXPORT_CATALOG STOREID {DS | ALL}", (1, 30), ["syntax notation", "write one value"]),
    ("BB026_EXPORT_CATALOG STOREID DS [, TYPE FULL]", (1, 33), ["`[` is the manual's syntax notation"]),
    ('BB027_IMPORT_CATALOG STOREID "E501 WIN1"', (1, 30), ["quotes are not accepted", "STOREID_ALIAS 1"]),
    ("BB026_EXPORT_CATALOG STOREID DS; BB026_EXPORT_CATALOG STOREID X", (1, 32),
     ["several commands on one line", "own line"]),
    ("BB026_EXPORT_CATALOG STOREID DÉ", (1, 31), ["unexpected character U+00C9"]),
    # LOAD and file names
    ("LOAD", (1, 5), ["LOAD needs the macro files", LOAD]),
    ("LOAD /KEEP/ BBOX.MACROS", (1, 6), ["`/KEEP n/`", LOAD]),
    ("LOAD /KEEP 1 BBOX.MACROS", (1, 6), ["`/KEEP n/`"]),
    ("LOAD /KEEP 1/ BBOX.MACROS, BBOX.BBSETUP", (1, 26), ["unexpected `,` in the LOAD command", LOAD]),
    ("BBOX.MACROS", (1, 1), ["`BBOX.MACROS` is a file name, not a command", LOAD]),
])
def test_refused_text_names_its_place_what_is_wrong_and_the_fix(text, place, words):
    err = _error(text)
    assert (err.line, err.column) == place, err.message
    assert err.message.startswith(f"line {place[0]}, column {place[1]}: ")
    assert str(err) == err.message
    for word in words:
        assert word in err.message


@pytest.mark.parametrize("text", ["", "\n\n", "== nothing to run", "COMMENT nothing\n", LOAD, f"{LOAD}\n\n"])
def test_text_without_a_macro_call_is_refused_with_an_example(text):
    err = _error(text)
    assert err.line == 0
    assert "the text holds no macro call" in err.message and "BB026_EXPORT_CATALOG STOREID" in err.message


def test_text_over_64_kib_is_refused_when_counted_in_utf8_bytes():
    call = "BB026_EXPORT_CATALOG STOREID DS == "
    at_limit = call + "x" * (MAX_TEXT_BYTES - len(call))
    assert _one(at_limit).store_id == "DS"
    for over in (at_limit + "x", call + "é" * (MAX_TEXT_BYTES // 2), "x" * (10 * MAX_TEXT_BYTES)):
        err = _error(over)
        assert "at most 65536 (64 KiB)" in err.message and "split it" in err.message


def test_first_problem_in_text_order_is_reported_when_there_are_several():
    err = _error("BB026_EXPORT_CATALOG STOREID DS, TYPE HALF\nBB027_IMPORT_CATALOG STOREID {X}\x07 &")
    assert err.line == 1 and "HALF" in err.message
    err = _error("BB099 STOREID {X}")
    assert "unknown macro" in err.message


def test_macro_error_is_a_catsync_error():
    assert issubclass(MacroError, CatsyncError)


def test_non_string_text_is_a_type_error_naming_the_fix():
    with pytest.raises(TypeError, match="decode it first"):
        parse_macros(b"BB026_EXPORT_CATALOG STOREID DS")  # type: ignore[arg-type]


def test_largest_texts_parse_quickly_when_made_of_continuations_or_calls():
    continued = "BB026_EXPORT_CATALOG STOREID DS &\n" + "  &\n" * 15000 + ", TYPE FULL"
    assert _one(continued).type == pb.SYNC_TYPE_FULL
    many = "BB027_IMPORT_CATALOG STOREID DS_WIN1, TYPE UPDATE\n" * 1300
    assert len(parse_macros(many)) == 1300


# ---------------------------------------------------------------------------------------------------------------
# Fuzz

_FRAGMENTS = ["BB026_EXPORT_CATALOG", "BB027_IMPORT_CATALOG", "LOAD", "/KEEP 1/", "BBOX.MACROS", "STOREID",
              "STOREID_ALIAS", "CATALOGFILES", "TYPE", "FULL", "UPDATE", "YES", "NO", "ALL", "DS_WIN1", "0", "1", "2",
              "3", ",", " ", "  ", "\t", "\n", "\r\n", "&", "&\n", "==", "=", "COMMENT", "{", "}", "|", "[", "]", '"',
              "$", "\\", "#", ".", "+", "_", "-", "é", "\x00", "\x85", "\u2028", "\ud800", "9" * 70]
_noise = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))


@settings(max_examples=300, deadline=None)
@given(_noise)
def test_any_text_either_parses_or_raises_macro_error_with_a_message(text):
    try:
        calls = parse_macros(text)
    except MacroError as err:
        assert err.message and str(err) == err.message
        assert err.line >= 0 and err.column >= 0
        assert err.line == 0 or err.message.startswith(f"line {err.line}, column {err.column}: ")
    else:
        assert calls
        for call in calls:
            assert call.SerializeToString()  # no text protobuf would refuse
            assert call.store_id and call.kind in (EXPORT, IMPORT)


_STORE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+."
_KEYWORDS = {"STOREID", "STOREID_ALIAS", "CATALOGFILES", "TYPE"}


# blanks between two tokens, some of them continuations (with a comment after the `&`)
_GAPS = [" ", "  ", "\t", " \t ", " &\n", "&\n  ", " & == note\n\t", "\t&== TYPE FULL, &\n ", " &\n&\n "]
_required_gap = st.sampled_from(_GAPS)
_optional_gap = st.sampled_from([""] + _GAPS)


_case = st.sampled_from([str.upper, str.lower, str.title, str.swapcase])


@st.composite
def _valid_call(draw) -> tuple[str, str, dict]:
    """(source, compact source without blanks and continuations, expected fields)."""
    name = draw(st.sampled_from(["BB026_EXPORT_CATALOG", "BB027_IMPORT_CATALOG"]))
    store = draw(st.one_of(st.just("all"), st.text(alphabet=_STORE_CHARS, min_size=1, max_size=64).filter(
        lambda s: s.upper() not in _KEYWORDS)))
    options = {"STOREID": store}
    if draw(st.booleans()):
        options["CATALOGFILES"] = draw(st.sampled_from(["YES", "NO"]))
    if draw(st.booleans()):
        options["TYPE"] = draw(st.sampled_from(["FULL", "UPDATE"]))
    if name.startswith("BB027") and draw(st.booleans()):
        options["STOREID_ALIAS"] = draw(st.sampled_from(["0", "1", "2"]))
    order = draw(st.permutations(sorted(options)))
    tokens = [draw(_case)(name)]
    source = tokens[0]
    for index, keyword in enumerate(order):
        value = options[keyword] if keyword == "STOREID" else draw(_case)(options[keyword])
        words = [draw(_case)(keyword), value]
        if index or draw(st.booleans()):
            source += draw(_optional_gap) + "," + draw(_optional_gap)
            tokens.append(",")
        else:
            source += draw(_required_gap)
        source += words[0] + draw(_required_gap) + words[1]
        tokens.extend(words)
    alias = int(options.get("STOREID_ALIAS", "0"))
    store_id = store.upper()
    expected = {
        "kind": EXPORT if name.startswith("BB026") else IMPORT,
        "store_id": store_id,
        "resolved_store_id": resolve_store_id(store_id, alias),
        "store_id_alias": alias,
        "catalog_files": {"YES": pb.CATALOG_FILES_OPTION_YES, "NO": pb.CATALOG_FILES_OPTION_NO}.get(
            options.get("CATALOGFILES"), pb.CATALOG_FILES_OPTION_UNSPECIFIED),
        "type": {"FULL": pb.SYNC_TYPE_FULL, "UPDATE": pb.SYNC_TYPE_UPDATE}.get(
            options.get("TYPE"), pb.SYNC_TYPE_UNSPECIFIED),
    }
    return source, "".join(tokens), expected


_PREFIXES = ["", f"{LOAD}\n", f"{LOAD} ", "BBOX.MACROS ", "LOAD /KEEP 1/ BBOX.BBSETUP\nBBOX.MACROS ",
             "COMMENT job\n== export\n"]


@pytest.mark.rule("R34")
@pytest.mark.rule("R35")
@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PREFIXES), st.lists(_valid_call(), min_size=1, max_size=3),
       st.sampled_from(["", "\n", "  == done", "\r\n\n"]))
def test_generated_valid_calls_parse_back_to_their_fields(prefix, generated, ending):
    text = prefix + "\n".join(source for source, _, _ in generated) + ending
    calls = parse_macros(text)
    assert len(calls) == len(generated)
    for call, (_, compact, expected) in zip(calls, generated):
        assert {field: getattr(call, field) for field in expected} == expected
        assert re.sub(r"\s", "", call.text) == compact
