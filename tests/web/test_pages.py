"""The operator pages of the web console, end to end in a real browser over the `minimal` DR pair: each page with
its content read back against the gRPC services, the Export Status / Import Status buttons through their
confirmations (and what a confirmed run leaves in the staging area and in the secondary catalog), the live part
following the sites while the page stays open, and full-page screenshots of the main pages."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from catsync import staging
from catsync.v1 import catalog_sync_pb2 as cs
from emulator.v1 import backbox_domain_pb2 as bb, common_pb2, guardian_pb2, media_catalog_pb2 as mc
from harness.history import INVOKE

PRI, SEC = "E501NEW", "YINE500"
PRI_STORE, SEC_STORE = "DS_WIN1_DES", "E501_WIN1_SND"
PRI_NODE, SEC_NODE = "\\INSIDX", "\\ETINIUM"
STAGING = "\\ETINIUM.$DATA15.E5CATSYN"
EXPORT_PAGE = f"domain/{PRI}/store/{PRI_STORE}/export"
IMPORT_PAGE = f"domain/{SEC}/store/{SEC_STORE}/import"
T = 30.0


# -- helpers -----------------------------------------------------------------------------------------------------------

def goto(page: Any, console: Any, path: str) -> Any:
    page.goto(console.url + path)
    return page


def column(page: Any, test_id: str, index: int = 0) -> list[str]:
    """The cells of one column of a console table, without the row a table shows when it is empty."""
    rows = page.locator(f"[data-testid={test_id}] tbody tr:not(:has(td.empty))")
    return [t.strip() for t in rows.locator(f"td:nth-child({index + 1})").all_inner_texts()]


def dd(page: Any, test_id: str, name: str) -> Any:
    """The value of the line `name` of a status page's field list."""
    return page.locator(f"xpath=//dl[@data-testid='{test_id}']/dt[normalize-space()='{name}']"
                        "/following-sibling::dd[1]")


def api_labels(sim: Any, domain: str, **filters: Any) -> list[str]:
    """The labels ListVolumes returns for `filters`, every page of them, in its order."""
    labels, token = [], ""
    while True:
        resp = sim.topo.domain(domain).ListVolumes(bb.ListVolumesRequest(
            **filters, page=common_pb2.PageRequest(page_size=500, page_token=token)), timeout=T)
        labels += [v.label for v in resp.volumes]
        token = resp.page.next_page_token
        if not token:
            return labels


def staged(sim: Any) -> tuple[dict[str, int], Any]:
    """The staging area: {file name: modification second} and its decoded summary file."""
    files = sim.topo.guardian(SEC_NODE).ListFiles(guardian_pb2.ListFilesRequest(subvolume=STAGING), timeout=T).files
    name = staging.summary_file(STAGING)
    return {f.name: f.modified.seconds for f in files}, staging.decode(sim.read_file(SEC_NODE, name),
                                                                      staging.KIND_SUMMARY, name)


def now_id(sim: Any) -> tuple[str, int]:
    """(the export id a run started now gets, the UTC second now) on the virtual clock."""
    moment = datetime.fromisoformat(sim.now())
    return moment.strftime("%Y-%m-%d_%H:%M:%S"), int(moment.timestamp())


def last_done(sim: Any, f: str) -> Any:
    return next(e for e in reversed(sim.history.events) if e.f == f and e.type != INVOKE)


def make_pending(sim: Any) -> str:
    """A backup while the Expand link is cut: its automatic export fails and the volume stays pending (R27, R28)."""
    sim.fail("link-down", between=[PRI_NODE, SEC_NODE])
    try:
        label = sim.backup(count=1)[0]["labels"][0]
    finally:
        sim.heal("all")
    assert api_labels(sim, PRI, pending_export_only=True) == [label]
    return label


def run_confirmed(page: Any, button: str) -> Any:
    """Click a status page's button, confirm, and return the banner of the page it comes back to."""
    page.get_by_role("link", name=button).click()
    expect(page.locator("h1")).to_contain_text("Confirmation")
    page.get_by_role("button", name="Confirm").click()
    banner = page.get_by_test_id("message")
    expect(banner).to_be_visible(timeout=30_000)
    return banner


def settle_live(page: Any) -> None:
    """Wait for the first server-sent update of the page, so the live part is the stream's."""
    page.wait_for_function("Number(document.body.dataset.updates || 0) >= 1")


# -- every page with its content -----------------------------------------------------------------------------------

def test_overview_shows_nodes_domains_and_links(page: Any, console: Any) -> None:
    goto(page, console, "")
    assert sorted(column(page, "nodes")) == [SEC_NODE, PRI_NODE]
    assert set(column(page, "nodes", 1)) == {"UP"}
    assert dict(zip(column(page, "domains"), column(page, "domains", 2))) == {
        PRI: f"{PRI_STORE} (PRIMARY)", SEC: f"{SEC_STORE} (SECONDARY)"}
    assert column(page, "links") == [f"EXPAND:{PRI_NODE}-{SEC_NODE}"] and column(page, "links", 1) == ["UP"]


@pytest.mark.rule("R1")
@pytest.mark.parametrize(("domain", "store", "access", "link", "title"), [
    (PRI, PRI_STORE, "Primary", "Export Status", "Export Status"),
    (SEC, SEC_STORE, "Secondary", "Import Status", "Import Status")])
def test_storage_admin_lists_the_store_and_links_to_its_status_page(page: Any, console: Any, web_sim: Any, domain: str,
                                                                    store: str, access: str, link: str,
                                                                    title: str) -> None:
    goto(page, console, f"domain/{domain}/storage")
    row = page.get_by_test_id("storage-admin").locator("tbody tr", has_text=store)
    cells = [t.strip() for t in row.locator("td").all_inner_texts()]
    assert cells[:5] == [store, "WINDISK", "Active", access, link]
    assert cells[6] == str(len(api_labels(web_sim, domain)))
    row.get_by_role("link", name=link).click()
    page.wait_for_url(f"**/domain/{domain}/store/{store}/{link.split()[0].lower()}")
    expect(page.locator("h1")).to_have_text(f"{domain} · {store} · {title}")


def test_configuration_shows_domain_stores_and_volume_groups(page: Any, console: Any, web_sim: Any) -> None:
    goto(page, console, f"domain/{PRI}/config")
    expect(page.get_by_test_id("domain-config")).to_contain_text(PRI_NODE)
    expect(dd(page, f"store-{PRI_STORE}", "Export: export destination")).to_have_text(STAGING)
    expect(dd(page, f"store-{PRI_STORE}", "Export: include disk files")).to_have_text("yes")
    expect(dd(page, f"store-{PRI_STORE}", "Type")).to_have_text("WINDISK")
    groups = web_sim.topo.domain(PRI).ListVolumeGroups(bb.ListVolumeGroupsRequest(), timeout=T).volume_groups
    assert column(page, "volume-groups") == [g.id for g in groups] == ["VG_WIN1_DES", "VG_WIN1_ENC"]
    goto(page, console, f"domain/{SEC}/config")
    expect(dd(page, f"store-{SEC_STORE}", "Import: import source")).to_have_text(STAGING)
    expect(dd(page, f"store-{SEC_STORE}", "Primary data store id")).to_have_text(PRI_STORE)
    assert column(page, "volume-groups", 2) == ["VG_WIN1_DES", "VG_WIN1_ENC"]   # R10: the primary's group ids


@pytest.mark.rule("R33")
def test_configuration_shows_an_unchecked_disk_file_option(page: Any, console: Any, web_sim: Any) -> None:
    web_sim.configure(data_store=PRI_STORE, export_config={"include_disk_files": False})
    goto(page, console, f"domain/{PRI}/config")
    expect(dd(page, f"store-{PRI_STORE}", "Export: export destination")).to_have_text(STAGING)
    expect(dd(page, f"store-{PRI_STORE}", "Export: include disk files")).to_have_text("no")
    expect(dd(page, f"store-{PRI_STORE}", "Export: full export frequency days")).to_have_text("0")


def test_volumes_filters_show_what_list_volumes_returns(page: Any, console: Any, web_sim: Any) -> None:
    path = f"domain/{PRI}/volumes"
    goto(page, console, path)
    everything = api_labels(web_sim, PRI)
    assert column(page, "volumes") == everything and len(everything) == 60

    def filtered(set_filter: Any) -> list[str]:
        goto(page, console, path)
        set_filter()
        with page.expect_navigation():
            page.get_by_role("button", name="Filter").click()
        return column(page, "volumes")

    assert filtered(lambda: page.select_option("#f-store", PRI_STORE)) == api_labels(
        web_sim, PRI, data_store_id=PRI_STORE) == everything     # the domain's one store holds them all
    enc = filtered(lambda: page.select_option("#f-group", "VG_WIN1_ENC"))
    assert enc == api_labels(web_sim, PRI, volume_group_id="VG_WIN1_ENC") and 0 < len(enc) < len(everything)
    assert set(column(page, "volumes", 2)) == {"VG_WIN1_ENC"}
    assigned = filtered(lambda: page.select_option("#f-status", "ASSIGNED"))
    assert assigned == api_labels(web_sim, PRI, catalog_status=mc.VOLUME_STATUS_ASSIGNED)
    assert 0 < len(assigned) < len(everything) and set(column(page, "volumes", 3)) == {"ASSIGNED"}
    assert filtered(lambda: page.fill("#f-label", "EW100*")) == api_labels(web_sim, PRI, pattern="EW100*") == [
        f"EW100{i}" for i in range(1, 10)]
    assert filtered(lambda: page.check("input[name=pending]")) == []       # two settled backups: nothing pending
    expect(page.get_by_test_id("volumes")).to_contain_text("no volume matches these filters")
    label = make_pending(web_sim)
    assert filtered(lambda: page.check("input[name=pending]")) == [label]
    assert column(page, "volumes", 6) == ["yes"]


def test_ems_log_shows_the_node_events_and_filters_by_text(page: Any, console: Any, web_sim: Any) -> None:
    def events(text: str = "") -> list[Any]:
        flt = guardian_pb2.EventFilter(text_contains=text)
        return list(web_sim.topo.guardian(PRI_NODE).ReadEvents(guardian_pb2.ReadEventsRequest(filter=flt),
                                                                timeout=T).events)

    goto(page, console, f"domain/{PRI}/ems")
    lines = page.get_by_test_id("ems-lines").inner_text().splitlines()
    assert lines == [e.line or e.text for e in events()][::-1] and len(lines) >= 2
    assert all(PRI_NODE in line for line in lines)
    page.fill("#f-text", "3273")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    shown = page.get_by_test_id("ems-lines").inner_text().splitlines()
    assert shown == [e.line or e.text for e in events("3273")][::-1]
    assert 0 < len(shown) < len(lines) and all("3273" in line for line in shown)


def test_mediacom_runs_the_command_and_shows_the_node_answer(page: Any, console: Any, web_sim: Any) -> None:
    goto(page, console, f"domain/{PRI}/mediacom")
    for command in ("INFO MEDIADEFS", "INFO TAPEVOLUME *"):
        page.fill("#f-command", command)
        page.get_by_role("button", name="Run").click()
        expect(page.get_by_test_id("message")).to_have_text(f"MEDIACOM on {PRI_NODE}: {command}")
        answer = web_sim.topo.media_catalog(PRI_NODE).Mediacom(mc.MediacomRequest(text=command, user="SUPER.SUPER"),
                                                               timeout=T)
        assert answer.ok and answer.output.strip()
        output = page.get_by_test_id("mediacom-output").inner_text()
        assert f"{PRI_NODE} % {command}" in output and answer.output.rstrip() in output, output
    assert [e.value["command"] for e in web_sim.history.events if e.f == "mediacom" and e.type == INVOKE] == [
        "INFO MEDIADEFS", "INFO TAPEVOLUME *"]


# -- Export Status ---------------------------------------------------------------------------------------------------

def test_export_status_shows_the_fields_of_the_manual(page: Any, console: Any, web_sim: Any) -> None:
    goto(page, console, EXPORT_PAGE)
    for heading in ("The Most Recently Written Volume Exported", "Pending Volumes to Export",
                    "Latest Completed Full Export", "Latest Export Process"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    for button in ("Export Full Catalog", "Export Catalog Updates", "Refresh"):
        expect(page.get_by_test_id("export-buttons").get_by_role("link", name=button)).to_be_visible()
    status = web_sim.topo.catalog_sync(PRI).GetExportStatus(cs.GetExportStatusRequest(data_store_id=PRI_STORE),
                                                            timeout=T)
    latest = status.latest_export
    for name, value in (("Export Id", latest.export_id), ("Export Process", latest.process),
                        ("Export Type", "UPDATE"), ("Process Status", "FINISHED"), ("Report", "$S.#BPAK.E5EXP"),
                        ("Number of Volumes Processed", str(latest.volumes_processed)),
                        ("Export Written To", STAGING)):
        expect(dd(page, "latest-export", name)).to_have_text(value)
    expect(dd(page, "most-recent", "Volume")).to_contain_text(status.most_recent_exported.label)
    expect(dd(page, "pending", "Number")).to_have_text("0")


@pytest.mark.parametrize(("kind", "button"), [
    pytest.param("FULL", "Export Full Catalog", marks=pytest.mark.rule("R19")),
    pytest.param("UPDATE", "Export Catalog Updates", marks=pytest.mark.rule("R20"))])
def test_export_button_when_confirmed_lands_in_the_staging_area(page: Any, console: Any, web_sim: Any, kind: str,
                                                                button: str) -> None:
    goto(page, console, EXPORT_PAGE)
    old_id = dd(page, "latest-export", "Export Id").inner_text()
    before, events = staged(web_sim), len(web_sim.history)
    page.get_by_role("link", name=button).click()
    box = page.get_by_test_id("disk-files")       # minimal's export configuration includes DISKFILEs (R33)
    expect(box).to_be_visible()
    expect(box).to_be_checked()
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(console.url + EXPORT_PAGE)
    expect(dd(page, "latest-export", "Export Id")).to_have_text(old_id)
    assert len(web_sim.history) == events and staged(web_sim) == before, "Cancel must start nothing"

    web_sim.advance("1h")           # an export id is the second it starts: a new one needs the clock to move
    pending = [make_pending(web_sim)] if kind == "UPDATE" else []
    files0, _ = staged(web_sim)
    new_id, now = now_id(web_sim)
    banner = run_confirmed(page, button)
    done = last_done(web_sim, "export")
    assert done.value["type"] == kind and done.value["export_id"] == new_id != old_id
    expect(banner).to_contain_text(f"{done.value['process']} COMPLETED")
    for name, value in (("Export Id", new_id), ("Export Process", done.value["process"]), ("Export Type", kind),
                        ("Process Status", "FINISHED"), ("DSM/TC Disk File Entries", "included")):
        expect(dd(page, "latest-export", name)).to_have_text(value)

    files, summary = staged(web_sim)
    assert summary.export_id == new_id and cs.SyncType.Name(summary.type) == f"SYNC_TYPE_{kind}"
    assert summary.catalog_files and files[staging.summary_file(STAGING)] == now
    written = {n for n, m in files.items() if staging.label_of(n) and m != files0.get(n)}
    if kind == "FULL":
        expect(dd(page, "latest-full", "Export Id")).to_have_text(new_id)
        assert sorted(summary.labels) == sorted(api_labels(web_sim, PRI))
        assert written == {staging.volume_file(STAGING, label) for label in summary.labels}
        assert all(files[n] == now for n in written)
    else:
        assert list(summary.labels) == pending and written == {staging.volume_file(STAGING, pending[0])}
        expect(dd(page, "pending", "Number")).to_have_text("0")


@pytest.mark.rule("R33")
def test_export_confirmation_offers_no_disk_file_box_when_the_store_excludes_them(page: Any, console: Any,
                                                                                   web_sim: Any) -> None:
    web_sim.configure(data_store=PRI_STORE, export_config={"include_disk_files": False})
    web_sim.advance("1h")
    new_id, _ = now_id(web_sim)
    goto(page, console, EXPORT_PAGE)
    page.get_by_role("link", name="Export Full Catalog").click()
    expect(page.get_by_test_id("export-confirm")).to_contain_text("DISKFILE entries are not exported")
    expect(page.get_by_test_id("disk-files")).to_have_count(0)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("message")).to_contain_text("COMPLETED")
    expect(dd(page, "latest-export", "Export Id")).to_have_text(new_id)
    expect(dd(page, "latest-export", "DSM/TC Disk File Entries")).to_have_text("not included")
    _, summary = staged(web_sim)
    assert summary.export_id == new_id and not summary.catalog_files


# -- Import Status -------------------------------------------------------------------------------------------------

@pytest.mark.rule("R19")
@pytest.mark.rule("R21")
def test_import_buttons_when_confirmed_fill_the_secondary_catalog(page: Any, console: Any, web_sim: Any) -> None:
    goto(page, console, IMPORT_PAGE)
    _, summary = staged(web_sim)
    primary = api_labels(web_sim, PRI)
    expect(dd(page, "available", "Staging Subvolume")).to_have_text(STAGING)
    expect(dd(page, "available", "Total Number of BackBox Volumes")).to_have_text(str(len(primary)))
    page.get_by_role("link", name="Import Full Catalog").click()
    expect(page.get_by_test_id("full-warning")).to_be_visible()
    events = len(web_sim.history)
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(console.url + IMPORT_PAGE)
    assert len(web_sim.history) == events and api_labels(web_sim, SEC) == []

    banner = run_confirmed(page, "Import Full Catalog")
    done = last_done(web_sim, "import")
    expect(banner).to_contain_text(f"Import FULL of {SEC_STORE}: {done.value['process']} COMPLETED")
    for name, value in (("Import type", "FULL"), ("Process Status", "FINISHED"), ("Export Id", summary.export_id),
                        ("Number of Volumes Processed", str(len(primary)))):
        expect(dd(page, "latest-import", name)).to_have_text(value)
    goto(page, console, f"domain/{SEC}/volumes")
    assert column(page, "volumes") == api_labels(web_sim, SEC) and sorted(column(page, "volumes")) == sorted(primary)
    assert set(column(page, "volumes", 8)) == {summary.export_id}

    label = web_sim.backup(count=1)[0]["labels"][0]    # exported at once (R27): one file for the next UPDATE
    web_sim.advance(0)
    goto(page, console, IMPORT_PAGE)
    expect(dd(page, "available", "Volumes Received After Last Successful Import")).to_have_text("1")
    banner = run_confirmed(page, "Import Catalog Updates")
    done = last_done(web_sim, "import")
    expect(banner).to_contain_text(f"Import UPDATE of {SEC_STORE}: {done.value['process']} COMPLETED")
    expect(dd(page, "latest-import", "Import type")).to_have_text("UPDATE")
    expect(dd(page, "latest-import", "Number of Volumes Processed")).to_have_text("1")
    expect(dd(page, "most-recent", "Volume")).to_contain_text(label)
    goto(page, console, f"domain/{SEC}/volumes?label={label}")
    assert column(page, "volumes") == [label] and column(page, "volumes", 3) == ["ASSIGNED"]


@pytest.mark.rule("R14")
def test_check_against_primary_shows_the_verdict_and_refresh_reloads(page: Any, console: Any, web_sim: Any) -> None:
    goto(page, console, IMPORT_PAGE)
    page.get_by_role("link", name="Check Against Primary Configuration").click()
    expect(page.get_by_test_id("check-verdict")).to_contain_text("matches the primary")
    assert column(page, "check-rows") == ["VG_WIN1_DES2", "VG_WIN1_ENC2"]
    assert column(page, "check-rows", 1) == ["Primary volume group: VG_WIN1_DES", "Primary volume group: VG_WIN1_ENC"]
    web_sim.configure(volume_group="VG_WIN1_DES2", fields={"pool": "OTHERPOOL"})
    page.reload()
    expect(page.get_by_test_id("check-verdict")).to_contain_text("would abort")
    answer = web_sim.topo.catalog_sync(SEC).CheckAgainstPrimary(cs.CheckAgainstPrimaryRequest(
        data_store_id=SEC_STORE), timeout=T)
    assert answer.fatal and column(page, "check-rows", 5) == ["aborts the import" if r.fatal else "" for r in
                                                               answer.rows]
    expect(page.get_by_test_id("check-rows")).to_contain_text("POOL OTHERPOOL does not exist")
    page.get_by_role("link", name="Back to Import Status").click()
    page.wait_for_url(console.url + IMPORT_PAGE)
    page.evaluate("window.beforeRefresh = true")
    with page.expect_navigation():
        page.get_by_test_id("import-buttons").get_by_role("link", name="Refresh").click()
    assert page.url == console.url + IMPORT_PAGE and page.evaluate("window.beforeRefresh") is None
    expect(dd(page, "available", "Staging Subvolume")).to_have_text(STAGING)


# -- live updates ----------------------------------------------------------------------------------------------------

@pytest.mark.rule("R27")
def test_export_status_follows_a_backup_and_the_clock_without_reload(page: Any, console: Any, web_sim: Any) -> None:
    goto(page, console, EXPORT_PAGE)
    settle_live(page)
    page.evaluate("window.sameDocument = true")
    old = dd(page, "most-recent", "Volume").inner_text()
    label = web_sim.backup(count=1)[0]["labels"][0]
    web_sim.advance(0)
    assert label not in old
    page.wait_for_function("label => document.querySelector('#live').innerText.includes(label + ' (Unloaded on')",
                           arg=label)
    expect(dd(page, "most-recent", "Volume")).to_contain_text(label)
    clock = page.locator("#clock").inner_text()
    web_sim.advance("1h")
    page.wait_for_function("old => document.querySelector('#clock').textContent !== old", arg=clock)
    moved = datetime.strptime(clock, "%Y-%m-%d %H:%M:%S UTC") + timedelta(hours=1)
    expect(page.locator("#clock")).to_have_text(moved.strftime("%Y-%m-%d %H:%M:%S UTC"))
    assert page.evaluate("window.sameDocument") is True, "the page was reloaded"


# -- screenshots -----------------------------------------------------------------------------------------------------

SHOTS = {"overview": ("", "nodes"), "storage-admin": (f"domain/{PRI}/storage", "storage-admin"),
         "export-status": (EXPORT_PAGE, "latest-export"), "import-status": (IMPORT_PAGE, "available"),
         "volumes": (f"domain/{PRI}/volumes", "volumes"), "ems": (f"domain/{PRI}/ems", "ems-lines"),
         "mediacom": (f"domain/{PRI}/mediacom", "mediacom-output"),
         "configuration": (f"domain/{PRI}/config", "volume-groups")}


def test_screenshots_of_the_main_pages(page: Any, console: Any, screenshot_dir: Path) -> None:
    started = time.time()
    for name, (path, content) in SHOTS.items():
        response = page.goto(console.url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        expect(page.get_by_test_id(content)).to_be_visible()   # the page's own content, not an error page
        if name == "mediacom":
            page.fill("#f-command", "INFO TAPEVOLUME EW1001")
            page.get_by_role("button", name="Run").click()
            expect(page.get_by_test_id("mediacom-output")).to_contain_text("EW1001")
        if page.evaluate("document.body.dataset.live") == "1":
            settle_live(page)
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
    for name in SHOTS:
        shot = screenshot_dir / f"{name}.png"
        assert shot.is_file() and shot.stat().st_size > 1000 and shot.stat().st_mtime >= started - 1, shot


def test_overview_lists_the_catalog_sync_processes_newest_first(page: Any, console: Any, web_sim: Any) -> None:
    procs = web_sim.topo.guardian(PRI_NODE).ListProcesses(guardian_pb2.ListProcessesRequest(program="BBCSEXP"),
                                                          timeout=T).processes
    newest = sorted(procs, key=lambda p: (p.started.seconds, p.started.nanos, p.name), reverse=True)
    assert newest, "the fixture's backups started automatic exports (R27)"
    goto(page, console, "")
    assert column(page, "processes")[:len(newest)] == [p.name for p in newest]
    assert set(column(page, "processes", 1)) == {"export"} and set(column(page, "processes", 2)) == {"ENDED"}
