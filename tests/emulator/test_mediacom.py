"""The MEDIACOM console without gRPC: every command and its errors, multiple commands and `&` continuation,
rejected commands changing nothing, and a fuzzed parser that always answers with output or `**ERROR-`."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest

from emulator.media_catalog import DiskFile, LabelLocation, Pool, TapeFile, TapeFileVolume, TapeVolume, UpsertDiskFiles
from emulator.mediacom import SYNTAX, Mediacom, split_commands

VC, FC = "\\INSIDX.QCVOLCAT", "\\INSIDX.QCFILCAT"
FID = "E501NEW-OBK11-WIN1"
ERROR_LINE = re.compile(r"^\*\*ERROR-(\d{4})\*\* \S")


@pytest.fixture
def mc(node) -> Mediacom:
    """A console on \\INSIDX: QCVOLCAT (BKPOOL, RELPOOL without autoscratch), QCFILCAT, volumes X00030..X00032,
    a file on X00030+X00031 with two DISKFILEs."""
    cat = node.catalog
    cat.create_catalog("QCVOLCAT", "VOLCAT")
    cat.create_catalog("QCFILCAT", "FILECAT")
    cat.add_pool(Pool(VC, "BKPOOL", media_type="LTO3"))
    cat.add_pool(Pool(VC, "RELPOOL", autoscratch=False))
    for volser in ("X00030", "X00031", "X00032"):
        cat.add_volume(TapeVolume(volser, VC, "BKPOOL"))
    cat.add_file(TapeFile(FC, FID, volcat=VC, comment="weekly full",
                          volumes=(TapeFileVolume("X00030"), TapeFileVolume("X00031"))))
    rows = [DiskFile(FC, f"\\INSIDX.$DATA01.SALES.{name}", FID, 1, volset_id="X00030", vol_index=1).as_row()
            for name in ("ORDERS", "ITEMS")]
    cat.apply_batch([[UpsertDiskFiles(rows)]])
    return Mediacom(cat)


def _ok(mc: Mediacom, text: str, user: str = "SUPER.SUPER") -> list[str]:
    result = mc.run(text, user)
    assert result.ok and result.error_code == 0, result.output
    return result.output.splitlines()


def _error(mc: Mediacom, text: str, user: str = "SUPER.SUPER") -> tuple[int, str]:
    before = mc.store.dump()
    result = mc.run(text, user)
    assert not result.ok, result.output
    line = result.output.splitlines()[-1]
    assert ERROR_LINE.match(line), line
    assert int(ERROR_LINE.match(line)[1]) == result.error_code
    assert mc.store.dump() == before  # a rejected command changes nothing
    return result.error_code, line


# -- INFO ----------------------------------------------------------------------------------------------------
def test_info_tapevolume_shows_columns_and_valid_files_when_volume_holds_data(mc):
    lines = _ok(mc, "INFO TAPEVOLUME X00030")
    assert lines[0].split() == ["TAPEVOLUME", "VOLCAT", "POOL", "LABEL", "TYPE", "DENSITY", "STATUS", "FORMAT"]
    assert lines[1].split() == ["X00030", VC, "BKPOOL", "ANSI", "LTO3", "ANY", "ASSIGNED", "-"]
    assert lines[2].split() == ["FILECAT", "FILEID", "GEN", "VER", "STATUS"]
    assert lines[3].split() == [FC, FID, "1", "0", "VALID"]


def test_info_tapevolume_lists_invalid_files_only_when_detail(mc):
    mc.store.delete_file(FC, FID)
    assert len(_ok(mc, "INFO TAPEVOLUME X00030")) == 2
    lines = _ok(mc, "info tapevolume x00030, detail")
    assert lines[2].split()[:2] == ["VOLSET", "-"]
    assert lines[-1].split() == [FC, FID, "1", "0", "INVALID"]


def test_info_tapevolume_accepts_lists_and_patterns_when_given(mc):
    assert [line.split()[0] for line in _ok(mc, "INFO TAPEVOLUME (X00030, X00032)") if line[0] == "X"] == \
        ["X00030", "X00032"]
    assert [line.split()[0] for line in _ok(mc, "INFO TAPEVOLUME X0003*") if line[0] == "X"] == \
        ["X00030", "X00031", "X00032"]


def test_info_tapevolume_errors_when_unknown_or_malformed(mc):
    assert _error(mc, "INFO TAPEVOLUME NOSUCH")[0] == 5030
    assert _error(mc, "INFO TAPEVOLUME Z*")[0] == 5030
    assert _error(mc, "INFO TAPEVOLUME ABCDEFGH")[1].endswith("at most 6 fit")
    assert _error(mc, "INFO TAPEVOLUME X00030, VOLCAT \\ETINIUM.VC")[0] == 5011


def test_info_tapefile_shows_generations_volumes_and_comment_when_cataloged(mc):
    lines = _ok(mc, "INFO TAPEFILE E501NEW-OBK11-WIN1")
    assert lines[0].split()[:6] == ["FILEID", "GEN", "VER", "COPY", "STATUS", "EXPIRATION"]
    assert lines[1].split()[:5] == [FID, "1", "0", "1/1", "VALID"]
    assert "VOLUMES X00030(1) X00031(2)" in lines[2] and "POOL BKPOOL" in lines[2]
    assert lines[3] == "    COMMENT weekly full"
    assert _ok(mc, "INFO TAPEFILE E501*, GEN 1")[1].startswith(FID)


def test_info_tapefile_errors_when_unknown(mc):
    assert _error(mc, "INFO TAPEFILE NOSUCH")[0] == 5040
    assert _error(mc, "INFO TAPEFILE E501NEW-OBK11-WIN1, GEN 7")[0] == 5040
    assert _error(mc, "INFO TAPEFILE E501NEW-OBK11-WIN1, GEN x")[0] == 5003
    assert _error(mc, "INFO TAPEFILE " + "F" * 61)[1].endswith("at most 60 fit")


def test_info_diskfile_lists_valid_entries_unless_status_all(mc):
    lines = _ok(mc, "INFO DISKFILE \\INSIDX.$DATA01.SALES.*")
    assert [line.split()[0] for line in lines[1:]] == ["\\INSIDX.$DATA01.SALES.ITEMS", "\\INSIDX.$DATA01.SALES.ORDERS"]
    assert lines[1].split()[-1] == "VA"
    assert _ok(mc, "INFO DISKFILE $DATA02.*.*") == ["No DISKFILE entries match $DATA02.*.*."]
    assert len(_ok(mc, "INFO DISKFILE \\INSIDX.$*.*.*, STATUS ALL, TAPEFILE E501NEW-OBK11-WIN1, GEN 1")) == 3


@pytest.mark.rule("R15")
def test_info_diskfile_gives_error_5048_when_node_unknown(mc):
    assert _error(mc, "INFO DISKFILE \\NODEP.$*.*.*") == (5048, "**ERROR-5048** DISKFILE \\NODEP.$*.*.* is invalid.")


def test_info_diskfile_errors_when_pattern_or_status_malformed(mc):
    assert _error(mc, "INFO DISKFILE \\INSIDX.DATA01.*.*")[0] == 5049
    assert _error(mc, "INFO DISKFILE \\INSIDX.$*.*.*, STATUS SOME")[0] == 5001


def test_info_mediadefs_shows_defaults_and_ssl(mc):
    lines = _ok(mc, "INFO MEDIADEFS")
    assert lines[0] == "MEDIADEFS \\INSIDX"
    assert lines[1].split() == ["VOLCAT", VC] and lines[-1].split() == ["SSL", "(\\INSIDX)"]


def test_info_pool_shows_attributes_and_volume_counts(mc):
    lines = _ok(mc, "INFO POOL *")
    assert lines[1].split() == ["BKPOOL", VC, "ANSI", "ANY", "LTO3", "ON", "IN", "OFF", "3"]
    assert lines[2].split()[:6] == ["RELPOOL", VC, "ANSI", "ANY", "ANY", "OFF"]
    assert len(_ok(mc, "INFO POOL REL*, VOLCAT QCVOLCAT")) == 2
    assert _error(mc, "INFO POOL NOPOOL")[0] == 5020


# -- ADD / ALTER / DELETE TAPEVOLUME -------------------------------------------------------------------------
def test_add_tapevolume_catalogs_a_scratch_volume_when_valid(mc):
    assert _ok(mc, "ADD TAPEVOLUME X00040, POOL BKPOOL, VOLCAT QCVOLCAT") == \
        [f"TAPEVOLUME X00040 added to POOL BKPOOL of {VC}, STATUS SCRATCH."]
    assert mc.store.get_volume("X00040", VC)[0].media_type == "LTO3"


@pytest.mark.parametrize("text,code", [
    ("ADD TAPEVOLUME X00030, POOL RELPOOL", 5032),
    ("ADD TAPEVOLUME X00041", 5001),
    ("ADD TAPEVOLUME X00041, POOL NOPOOL", 5020),
    ("ADD TAPEVOLUME X00041, POOL BKPOOL, TYPE LTO4", 5023),
    ("ADD TAPEVOLUME X00041, POOL BKPOOL, DENSITY 800", 5003),
    ("ADD TAPEVOLUME X0004100, POOL BKPOOL", 5003),
    ("ADD TAPEVOLUME (X00041, X00042), POOL BKPOOL", 5001),
    ("ADD TAPEVOLUME X00041, POOL BKPOOL, VOLCAT NOVC", 5010),
])
def test_add_tapevolume_rejected_when_invalid(mc, text, code):
    assert _error(mc, text)[0] == code


@pytest.mark.rule("R3")
@pytest.mark.rule("R13")
def test_add_tapevolume_rejected_when_label_exists_on_an_ssl_node(mc):
    mc.label_checker = lambda volser: [LabelLocation("\\ETINIUM", "\\ETINIUM.SHCH409VC", "E5POOL", True)]
    code, line = _error(mc, "ADD TAPEVOLUME X00040, POOL BKPOOL")
    assert code == 5031 and "\\ETINIUM.SHCH409VC POOL E5POOL" in line


def test_alter_tapevolume_moves_status_within_a_group_when_allowed(mc):
    assert _ok(mc, "ALTER TAPEVOLUME (X00032), STATUS BAD") == [f"TAPEVOLUME X00032 of {VC} altered, STATUS BAD."]
    assert len(_ok(mc, "ALTER TAPEVOLUME (X00030, X00031), STATUS FULL")) == 2


@pytest.mark.parametrize("text,code", [
    ("ALTER TAPEVOLUME X00030, STATUS SCRATCH", 5033),   # ASSIGNED -> SCRATCH crosses the groups
    ("ALTER TAPEVOLUME X00032, STATUS ASSIGNED", 5033),
    ("ALTER TAPEVOLUME X00032, STATUS INUSE", 5003),
    ("ALTER TAPEVOLUME X00032", 5001),
    ("ALTER TAPEVOLUME (X00032, NOSUCH), STATUS BAD", 5030),
    ("ALTER TAPEVOLUME (" + ", ".join(f"V{i:05d}" for i in range(101)) + "), STATUS BAD", 5035),
])
def test_alter_tapevolume_rejected_when_invalid(mc, text, code):
    assert _error(mc, text)[0] == code


def test_delete_tapevolume_removes_a_scratch_volume_and_refuses_an_assigned_one(mc):
    assert _error(mc, "DELETE TAPEVOLUME X00030")[0] == 5034
    assert _ok(mc, "DELETE TAPEVOLUME X00032, VOLCAT QCVOLCAT") == [f"TAPEVOLUME X00032 deleted from {VC}."]
    assert _error(mc, "DELETE TAPEVOLUME X00032")[0] == 5030


@pytest.mark.rule("R54")
def test_abandoning_volumes_takes_delete_tapefile_then_delete_tapevolume(mc):
    out = _ok(mc, "DELETE TAPEFILE E501NEW-OBK11-WIN1; DELETE TAPEVOLUME X00030; DELETE TAPEVOLUME X00031")
    assert out == [f"TAPEFILE {FID} GEN 1 VERSION 0 deleted (INVALID).", "TAPEVOLUME X00030 is now SCRATCH.",
                   "TAPEVOLUME X00031 is now SCRATCH.", f"TAPEVOLUME X00030 deleted from {VC}.",
                   f"TAPEVOLUME X00031 deleted from {VC}."]
    assert mc.store.dump()["dsm_tapefile"] == []


# -- TAPEFILE commands ---------------------------------------------------------------------------------------
def test_alter_tapefile_changes_expiration_retention_and_status_when_asked(mc):
    assert _ok(mc, "ALTER TAPEFILE E501NEW-OBK11-WIN1, EXPIRATION 2026-01-31")[0].endswith(
        "EXPIRATION 2026-01-31 00:00.")
    assert _ok(mc, "ALTER TAPEFILE E501NEW-OBK11-WIN1, GEN 1, RETENTION PERMANENT")[0].endswith(
        "EXPIRATION PERMANENT.")
    assert "EXPIRATION 2025-09-28 20:00" in _ok(mc, "ALTER TAPEFILE E501NEW-OBK11-WIN1, RETENTION 5, VOLUMESET")[0]
    assert "STATUS INVALID" in _ok(mc, "ALTER TAPEFILE E501NEW-OBK11-WIN1, STATUS INVALID")[0]
    assert "STATUS VALID" in _ok(mc, "ALTER TAPEFILE E501NEW-OBK11-WIN1, STATUS VALID, VERSION 0")[0]


@pytest.mark.parametrize("text,code", [
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1, STATUS VALID", 5001),
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1, STATUS VALID VERSION 0", 5001),
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1", 5001),
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1, RETENTION 5, EXPIRATION 2026-01-01", 5001),
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1, EXPIRATION 31/01/2026", 5003),
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1, RETENTION 10000", 5003),
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1, STATUS VALID, VERSION 101", 5003),
    ("ALTER TAPEFILE E501NEW-OBK11-WIN1, STATUS VALID, VERSION 4", 5040),
    ("ALTER TAPEFILE NOSUCH, RETENTION 5", 5040),
    ("ALTER TAPEFILE " + "F" * 61 + ", RETENTION 5", 5003),
])
def test_alter_tapefile_rejected_when_invalid(mc, text, code):
    assert _error(mc, text)[0] == code


def test_delete_tapefile_reports_nothing_left_when_already_invalid(mc):
    _ok(mc, "DELETE TAPEFILE E501NEW-OBK11-WIN1, GEN 1")
    assert _ok(mc, "DELETE TAPEFILE E501NEW-OBK11-WIN1") == \
        [f"TAPEFILE {FID} has no VALID entry left: nothing deleted."]
    assert _error(mc, "DELETE TAPEFILE NOSUCH")[0] == 5040


def test_expire_tapefile_runs_the_cleanup_when_asked(mc, node):
    node.clock.advance(timedelta(days=31))  # MEDIADEFS RETENTION 30
    assert _ok(mc, "EXPIRE TAPEFILE") == [
        "EXPIRE TAPEFILE: 1 tape files expired, 1 entries removed, 2 volumes freed.",
        f"TAPEVOLUME X00030 of {VC} is now SCRATCH.", f"TAPEVOLUME X00031 of {VC} is now SCRATCH."]
    assert _ok(mc, "EXPIRE TAPEFILE QCFILCAT")[0].startswith("EXPIRE TAPEFILE: 0 tape files expired")
    assert _error(mc, "EXPIRE TAPEFILE QCVOLCAT")[0] == 5013


# -- MEDIADEFS -----------------------------------------------------------------------------------------------
@pytest.mark.rule("R3")
def test_alter_mediadefs_sets_the_ssl_when_super_group(mc):
    lines = _ok(mc, "ALTER MEDIADEFS , SSL (\\INSIDX, \\ETINIUM.SHCH409VC)")
    assert lines[0] == "MEDIADEFS altered." and lines[-1].split() == ["SSL", "(\\INSIDX,", "\\ETINIUM.SHCH409VC)"]
    _ok(mc, "alter mediadefs ssl \\insidx, retention 7, abendretention 0, automated on, level mediacat")
    defs = mc.store.media_defs()
    assert (defs.ssl, defs.retention_days, defs.automated, defs.level) == (("\\INSIDX",), 7, True, "MEDIACAT")


@pytest.mark.parametrize("text,code", [
    ("ALTER MEDIADEFS", 5001),
    ("ALTER MEDIADEFS , SSL (\\INSIDX, ETINIUM)", 5060),
    ("ALTER MEDIADEFS , SSL (\\INSIDX", 5001),
    ("ALTER MEDIADEFS , RETENTION 0", 5003),
    ("ALTER MEDIADEFS , AUTOMATED MAYBE", 5001),
    ("ALTER MEDIADEFS , VOLCAT NOSUCH", 5010),
    ("ALTER MEDIADEFS , SSL (\\INSIDX), SSL (\\INSIDX)", 5001),
])
def test_alter_mediadefs_rejected_when_invalid(mc, text, code):
    assert _error(mc, text)[0] == code


@pytest.mark.parametrize("text", ["ALTER MEDIADEFS , SSL (\\INSIDX)", "ADD TAPEVOLUME X00040, POOL BKPOOL",
                                  "DELETE TAPEVOLUME X00032", "ALTER TAPEVOLUME X00032, STATUS BAD",
                                  "DELETE TAPEFILE E501NEW-OBK11-WIN1", "EXPIRE TAPEFILE"])
def test_changing_commands_rejected_when_user_not_super_group(mc, text):
    assert _error(mc, text, user="OPS.JOHN")[0] == 5004


def test_info_commands_allowed_when_user_not_super_group(mc):
    _ok(mc, "INFO MEDIADEFS; INFO TAPEVOLUME X00030", user="OPS.JOHN")


# -- the console itself --------------------------------------------------------------------------------------
def test_commands_split_on_semicolons_lines_and_ampersand_continuation():
    text = "INFO POOL *; INFO MEDIADEFS\nINFO TAPEVOLUME X00030, &\n   DETAIL\n\n== a comment\n;;"
    assert split_commands(text) == ["INFO POOL *", "INFO MEDIADEFS", "INFO TAPEVOLUME X00030,     DETAIL"]


def test_every_command_of_a_text_runs_and_the_first_error_is_reported(mc):
    result = mc.run("INFO MEDIADEFS; INFO TAPEVOLUME NOSUCH; FROB X; INFO POOL BKPOOL")
    assert not result.ok and result.error_code == 5030
    lines = result.output.splitlines()
    assert lines[0].startswith("MEDIADEFS")
    assert sum(1 for line in lines if ERROR_LINE.match(line)) == 2
    assert lines[-1].split()[0] == "BKPOOL"


@pytest.mark.parametrize("key", sorted(SYNTAX))
def test_syntax_error_names_the_expected_syntax_when_an_option_is_unknown(mc, key):
    code, line = _error(mc, f"{key[0]} {key[1]} X00030, BOGUS 1" if key[1] != "MEDIADEFS"
                        else f"{key[0]} {key[1]}, BOGUS 1")
    assert code == 5001 and line.endswith(f"expected {SYNTAX[key]}")


@pytest.mark.parametrize("text", ["FROB", "INFO", "INFO FROBS", "RECOVER DISKFILE $A.B.C", ", INFO", "(INFO POOL)"])
def test_unknown_command_rejected_with_the_known_verbs(mc, text):
    code, line = _error(mc, text)
    assert code == 5002 and "use INFO, ADD, ALTER, DELETE or EXPIRE" in line


_WORDS = ["INFO", "ADD", "ALTER", "DELETE", "EXPIRE", "TAPEVOLUME", "TAPEFILE", "DISKFILE", "MEDIADEFS", "POOL",
          "STATUS", "SSL", "GEN", "VERSION", "RETENTION", "EXPIRATION", "PERMANENT", "VOLCAT", "FILECAT", "DETAIL",
          "VOLUMESET", "ALL", "BAD", "SCRATCH", "VALID", "X00030", "X00032", FID, "BKPOOL", "\\INSIDX", "\\NODEP",
          "\\INSIDX.$DATA01.SALES.*", "$*.*.*", "*", "QCVOLCAT", "QCFILCAT", "2026-01-01", "7", "-1", "0",
          "99999999999999999999", "\\", "$", "#", ".", "'", '"', "&", "(", ")", ",", ";", "\n", "é", "\x00", ""]


def _fuzz_text(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "".join(rng.choice("INFOADTLRPEVUMSK$\\.*?,;()&\n 0123456789-#é\t") for _ in range(rng.randint(0, 60)))
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(0, 12)))


@pytest.mark.parametrize("seed", range(4))
def test_console_never_raises_when_fed_random_text(mc, seed):
    rng = random.Random(seed)
    for _ in range(400):
        text = _fuzz_text(rng)
        result = mc.run(text, rng.choice(["SUPER.SUPER", "OPS.JOHN"]))
        if not result.ok:
            assert any(ERROR_LINE.match(line) for line in result.output.splitlines()), (text, result.output)
            assert 5000 < result.error_code < 5100, (text, result.output)
        else:
            assert "**ERROR-" not in result.output, (text, result.output)
