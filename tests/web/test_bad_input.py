"""Bad input from the browser: unknown names in page addresses and posts, stores of the wrong role, malformed
MEDIACOM commands and forged form posts each get a page whose message says what is wrong (never a traceback), and
change nothing: the state dump of the sites, the run's history and the active faults are the same afterwards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest
from playwright.sync_api import expect

from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import control_pb2
from tests.harness.conftest import settled_backup, started_sim

EXPORT = "domain/E501NEW/store/DS_WIN1_DES/export"
IMPORT = "domain/YINE500/store/E501_WIN1_SND/import"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    """One `minimal` pair and its console for the refusals of this module: each test checks that its own request
    changed nothing, so they can share the sites (a topology start per refusal would cost more than the test)."""
    from harness.web import start_console  # noqa: PLC0415

    with started_sim("minimal", Path(tmp_path_factory.mktemp("bad-input")) / "state", 1) as sim:
        settled_backup(sim, 2)
        web = start_console(sim, "127.0.0.1:0")
        try:
            yield sim, web
        finally:
            web.close()


def _state(sim: Any) -> dict[str, Any]:
    """What a refused request must leave alone: the sites' state (BackBox volumes of both domains, DSM/TC and
    Guardian tables, the staging files, the storages and key managers), the latest export process, the history's
    length and the active faults."""
    dump = json.loads(sim.topo.control_service().DumpState(control_pb2.DumpStateRequest(include_files=True),
                                                           timeout=60).json)
    latest = sim.topo.catalog_sync("E501NEW").GetExportStatus(
        cs.GetExportStatusRequest(data_store_id="DS_WIN1_DES"), timeout=30).latest_export
    return {"dump": dump, "latest export": (latest.export_id, latest.process, latest.status),
            "history": len(sim.history), "faults": sorted(sim.nemesis.active)}


def _assert_unchanged(sim: Any, before: dict[str, Any], *, history: int = 0) -> None:
    after = _state(sim)
    before = {**before, "history": before["history"] + history}
    changed = [k for k in before if before[k] != after[k]]
    changed += [f"dump[{k}]" for k in before["dump"] if before["dump"][k] != after["dump"].get(k)]
    assert not changed, f"a refused request changed {changed}; new history: {sim.history.events[before['history']:]}"


def _assert_clear(body: str, message: str) -> None:
    assert "Traceback" not in body and 'File "' not in body, body
    assert message in body, f"{message!r} not in the page:\n{body}"


def _text(page: Any) -> str:
    return page.locator("[data-testid=message]").inner_text()


# -- pages: unknown names and stores of the wrong role -----------------------------------------------------------

@pytest.mark.parametrize("path, status, message", [
    ("domain/NOPE/storage", 404, "no BackBox domain 'NOPE' in topology minimal: its domains are E501NEW, YINE500"),
    ("domain/NOPE/store/DS_WIN1_DES/export", 404, "no BackBox domain 'NOPE'"),
    ("domain/E501NEW/store/NOPE/export", 404, "no data store 'NOPE' in domain E501NEW: its data stores are DS_WIN1"),
    ("domain/YINE500/store/NOPE/import/confirm?type=FULL", 404, "no data store 'NOPE' in domain YINE500"),
    pytest.param("domain/E501NEW/store/DS_WIN1_DES/import", 409, "Import Status page is for SECONDARY stores",
                 marks=pytest.mark.rule("R17")),
    pytest.param("domain/YINE500/store/E501_WIN1_SND/export", 409, "Export Status page is for PRIMARY stores",
                 marks=pytest.mark.rule("R17")),
    ("domain/E501NEW/store/DS_WIN1_DES/check", 409, "compares a SECONDARY store with its primary"),
    (EXPORT + "/confirm?type=BOGUS", 400, "type 'BOGUS' must be FULL or UPDATE"),
    (IMPORT + "/confirm", 400, "type '' must be FULL or UPDATE"),
    (EXPORT + "/confirm?type=FULL&type=UPDATE", 400, "the query gives 'type' 2 times"),
    ("domain/E501NEW/volumes?status=NOPE", 400, "status 'NOPE' is not a DSM/TC volume status: choose one of"),
    ("domain/E501NEW/volumes?store=NOPE", 404, "no data store 'NOPE' in domain E501NEW"),
    ("domain/E501NEW/volumes?group=NOPE", 404, "no volume group 'NOPE' in domain E501NEW: its groups are VG_WIN1"),
    ("domain/E501NEW/mediacom?node=%5CETINIUM", 404, "node \\ETINIUM is not a node of domain E501NEW: its nodes"),
    ("domain/YINE500/ems?node=%5CINSIDX", 404, "node \\INSIDX is not a node of domain YINE500"),
    ("domain/E501NEW/ems?node=INSIDX", 400, "must start with a backslash"),
    ("domain/E501NEW/nowhere", 404, "no page /domain/E501NEW/nowhere"),
    ("domain/E501NEW/store/DS_WIN1_DES/import/confirm?type=FULL", 409, "DS_WIN1_DES is PRIMARY"),
    ("domain/YINE500/store/E501_WIN1_SND/export/confirm?type=FULL", 409, "E501_WIN1_SND is SECONDARY"),
    ("domain/E501NEW/volumes?page=garbage", 400, "page token"),
])
def test_a_page_with_a_bad_address_says_what_is_wrong(page, shared, path, status, message):
    sim, web = shared
    before = _state(sim)
    response = page.goto(web.url + path)
    assert response.status == status, (path, _text(page))
    _assert_clear(page.content(), "")
    assert message in _text(page)
    _assert_unchanged(sim, before)


# -- posts: refused before anything runs -------------------------------------------------------------------------

TOKEN = object()   # stands for the console's CSRF token

POSTS = [
    ("domain/NOPE/store/DS_WIN1_DES/export", {"type": "FULL"}, 404, "no BackBox domain 'NOPE'"),
    (EXPORT.replace("DS_WIN1_DES", "NOPE"), {"type": "FULL"}, 404, "no data store 'NOPE' in domain E501NEW"),
    (IMPORT.replace("E501_WIN1_SND", "NOPE"), {"type": "FULL"}, 404, "no data store 'NOPE' in domain YINE500"),
    pytest.param("domain/E501NEW/store/DS_WIN1_DES/import", {"type": "UPDATE"}, 409,
                 "DS_WIN1_DES is PRIMARY: only a SECONDARY store imports a catalog", marks=pytest.mark.rule("R17")),
    pytest.param("domain/YINE500/store/E501_WIN1_SND/export", {"type": "UPDATE"}, 409,
                 "E501_WIN1_SND is SECONDARY: only a PRIMARY store exports its catalog", marks=pytest.mark.rule("R17")),
    (EXPORT, {"type": "BOGUS"}, 400, "type 'BOGUS' must be FULL or UPDATE"),
    (IMPORT, {"type": "FULL", "disk_files": "yes"}, 400, "disk_files 'yes' must be 1 (checked) or absent"),
    ("domain/E501NEW/mediacom", {"node": "\\ETINIUM", "command": "INFO MEDIADEFS"}, 404,
     "node \\ETINIUM is not a node of domain E501NEW"),
    ("domain/YINE500/mediacom", {"node": "\\INSIDX", "command": "ADD TAPEVOLUME EW9999, POOL P"}, 404,
     "node \\INSIDX is not a node of domain YINE500"),
    (EXPORT, {"type": "FULL", "csrf_token": None}, 403, "its CSRF token is missing or wrong"),
    (EXPORT, {"type": "FULL", "csrf_token": "not-the-token"}, 403, "its CSRF token is missing or wrong"),
    (EXPORT, {"type": "FULL", "extra": "1"}, 400, "the form carries an unexpected field 'extra'"),
    (EXPORT + "?type=FULL", {"type": "FULL"}, 400, "a form post carries its fields in the body"),
    ("faults/fail", {"kind": "disk-melt", "target": "\\INSIDX"}, 400, "fault 'disk-melt' is not on the panel"),
    ("faults/fail", {"kind": "link-down", "target": "EXPAND:\\INSIDX-\\NOWHERE"}, 404,
     "NOWHERE&#x27;: the links are EXPAND:\\INSIDX-\\ETINIUM"),   # the name as repr(): its backslashes doubled
    ("faults/fail", {"kind": "node-crash", "target": "\\NOWHERE"}, 404, "no node \\NOWHERE in topology minimal"),
    ("faults/fail", {"kind": "ems-extractor-stopped", "target": "NOWHERE"}, 400, "must start with a backslash"),
    ("faults/fail", {"kind": "storage-replication-pause", "target": "STO_SEC"}, 404, "'STO_SEC' replicates nothing"),
    ("faults/fail", {"kind": "node-crash", "target": ""}, 400, "fault node-crash needs its node"),
    ("faults/heal", {"id": "F99"}, 404, "no active fault 'F99': the active faults are none"),
    ("clock/advance", {"by": "99y"}, 400, "advance by '99y': choose one of 10m, 1h, 6h, 1d"),
    ("nowhere", {}, 404, "nothing to do at /nowhere"),
]


@pytest.mark.parametrize("path, fields, status, message", POSTS)
def test_a_forged_post_is_refused_with_its_reason_and_changes_nothing(page, shared, path, fields, status, message):
    sim, web = shared
    form = {"csrf_token": web.console.token, **fields}
    form = {k: v for k, v in form.items() if v is not None}
    before = _state(sim)
    response = page.request.post(web.url + path, form=form, max_redirects=0)
    assert response.status == status, response.text()
    _assert_clear(response.text(), message.replace("'", "&#x27;"))
    _assert_unchanged(sim, before)


@pytest.mark.parametrize("body, headers, status, message", [
    (b"TOKEN&type=FULL&type=UPDATE", FORM, 400, "the form gives &#x27;type&#x27; 2 times"),
    (b'{"csrf_token": "TOKEN", "type": "FULL"}', {"Content-Type": "application/json"}, 415,
     "a form post must be application/x-www-form-urlencoded, not application/json"),
    (b"TOKEN&type=FULL", {**FORM, "Origin": "http://evil.example"}, 403,
     "this post comes from http://evil.example, not from the console"),
    (b"TOKEN&type=FULL&pad=" + b"x" * (64 * 1024), FORM, 413, "a form post is at most 65536 bytes"),
    (b"TOKEN&type=FULL&bad=\xff", FORM, 400, "the form is not UTF-8 text"),
], ids=["field-twice", "json", "other-origin", "over-64KiB", "not-utf8"])
def test_a_malformed_post_body_is_refused_and_changes_nothing(page, shared, body, headers, status, message):
    sim, web = shared
    before = _state(sim)
    token = web.console.token.encode()
    data = body.replace(b"TOKEN", token if body.startswith(b"{") else b"csrf_token=" + token)
    response = page.request.post(web.url + EXPORT, data=data, headers=headers, max_redirects=0)
    assert response.status == status, response.text()
    _assert_clear(response.text(), message)
    _assert_unchanged(sim, before)


@pytest.mark.rule("R33")
def test_disk_files_are_refused_when_the_export_configuration_leaves_them_out(page, web_sim, console):
    web_sim.configure(data_store="DS_WIN1_DES", export_config={"include_disk_files": False})
    page.goto(console.url + EXPORT + "/confirm?type=UPDATE")
    expect(page.locator("[data-testid=export-confirm]")).to_contain_text("DISKFILE entries are not exported")
    expect(page.locator("[data-testid=disk-files]")).to_have_count(0)
    before = _state(web_sim)
    response = page.request.post(console.url + EXPORT, form={"csrf_token": console.console.token, "type": "UPDATE",
                                                            "disk_files": "1"}, max_redirects=0)
    assert response.status == 400
    _assert_clear(response.text(), "data store DS_WIN1_DES does not export DSM/TC DISKFILE entries")
    _assert_unchanged(web_sim, before)


# -- MEDIACOM typed in the page ----------------------------------------------------------------------------------

@pytest.mark.parametrize("command, refusal", [
    ("INFO TAPEVOLUMEX", "**ERROR-5002** Unknown command 'INFO TAPEVOLUMEX'"),
    ("ADD TAPEVOLUME", "**ERROR-5001** Syntax error (a name is missing)"),
    ("ADD TAPEVOLUME EW9999", "**ERROR-5001** Syntax error (POOL is missing)"),
    ("DELETE TAPEVOLUME", "**ERROR-5001** Syntax error (a name is missing)"),
    ("ALTER TAPEVOLUME EW1001, STATUS NOPE", "TAPEVOLUME STATUS 'NOPE' is not valid"),
])
def test_a_malformed_mediacom_command_is_refused_on_the_page_and_the_catalogs_stay(page, shared, command, refusal):
    sim, web = shared
    before = _state(sim)
    page.goto(web.url + "domain/E501NEW/mediacom")
    page.fill("#f-command", command)
    page.get_by_role("button", name="Run").click()
    message = page.locator("[data-testid=message]")
    expect(message).to_contain_text(f"MEDIACOM on \\INSIDX refused {command!r}")
    expect(message).to_contain_text(refusal)
    expect(page.locator("[data-testid=mediacom-output]")).to_contain_text(f"% {command}")
    _assert_clear(page.content(), "")
    assert [(e.f, e.type) for e in sim.history.events[before["history"]:]] == [("mediacom", "invoke"),
                                                                               ("mediacom", "fail")]
    _assert_unchanged(sim, before, history=2)   # the refused command is in the history, nothing else changed


@pytest.mark.parametrize("command, message", [
    ("", "type a MEDIACOM command, e.g. INFO TAPEVOLUME *"),
    ("   ", "type a MEDIACOM command"),
    ("INFO TAPEVOLUME " + "X" * 5000, "a MEDIACOM command is one line of at most 2000 characters"),
])
def test_an_empty_or_huge_mediacom_command_is_refused_before_it_reaches_the_node(page, shared, command, message):
    sim, web = shared
    before = _state(sim)
    page.goto(web.url + "domain/E501NEW/mediacom")
    page.fill("#f-command", command)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Run").click()
    assert posted.value.status == 400
    expect(page.locator("[data-testid=message]")).to_contain_text(message)
    _assert_clear(page.content(), "")
    _assert_unchanged(sim, before)
