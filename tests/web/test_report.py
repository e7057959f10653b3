"""The Latest report button of the status pages shows the report the process wrote, read from the service."""

from __future__ import annotations

from playwright.sync_api import expect

from catsync.v1 import catalog_sync_pb2 as cs


def test_the_latest_report_link_shows_the_report_the_export_wrote(console, web_sim, page):
    page.goto(console.url + "domain/E501NEW/store/DS_WIN1_DES/export")
    page.get_by_role("link", name="Latest report").click()
    lines = page.locator("[data-testid=report-lines]")
    expect(lines).to_contain_text("BB051")
    report = web_sim.topo.catalog_sync("E501NEW").GetReport(cs.GetReportRequest(
        data_store_id="DS_WIN1_DES", kind=cs.PROCESS_KIND_EXPORT), timeout=10)
    assert report.lines and report.lines[-1].strip() in lines.inner_text()
    assert report.process in page.content()


def test_the_import_report_page_says_when_there_is_none_yet(console, page):
    page.goto(console.url + "domain/YINE500/store/E501_WIN1_SND/report?kind=import")
    expect(page.locator("#live")).to_contain_text("no import report of E501_WIN1_SND yet")


def test_a_report_of_another_kind_is_refused_with_the_choices(console, page):
    response = page.goto(console.url + "domain/YINE500/store/E501_WIN1_SND/report?kind=backup")
    assert response is not None and response.status == 400
    expect(page.locator("[data-testid=message]")).to_contain_text("must be export or import")


def test_the_import_status_latest_report_button_shows_the_report_of_the_import_run_from_the_page(console, page):
    page.goto(console.url + "domain/YINE500/store/E501_WIN1_SND/import/confirm?type=FULL")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("message")).to_contain_text("COMPLETED")
    process = page.get_by_test_id("latest-import").locator("dd").nth(2).inner_text()
    page.get_by_test_id("import-buttons").get_by_role("link", name="Latest report").click()
    expect(page.get_by_test_id("report-lines")).to_contain_text("IMPORT RESULT SUMMARY")
    expect(page.locator("#live")).to_contain_text(process)


def test_export_refresh_redraws_the_page_and_volumes_clear_drops_every_filter(console, page):
    page.goto(console.url + "domain/E501NEW/store/DS_WIN1_DES/export")
    page.evaluate("window.before = 1")
    with page.expect_navigation():
        page.get_by_test_id("export-buttons").get_by_role("link", name="Refresh").click()
    assert page.evaluate("window.before") is None
    page.goto(console.url + "domain/E501NEW/volumes?status=ASSIGNED&label=EW100*&pending=1")
    filtered = page.locator("[data-testid=volumes] tbody tr").count()
    page.get_by_test_id("volume-filters").get_by_role("link", name="Clear").click()
    page.wait_for_url(console.url + "domain/E501NEW/volumes")
    assert page.locator("#f-label").input_value() == "" and page.locator("#f-status").input_value() == ""
    assert page.locator("[data-testid=volumes] tbody tr").count() > filtered
