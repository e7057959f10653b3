"""What the status pages say of a store's state beyond their fields: exports switched off (R31), the extractor's
next retry of pending volumes (R28), and an UPDATE import that will take everything again (R21)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from catsync.v1 import catalog_sync_pb2 as cs

EXPORT = "domain/E501NEW/store/DS_WIN1_DES/export"
IMPORT = "domain/YINE500/store/E501_WIN1_SND/import"


@pytest.mark.rule("R31")
def test_a_blank_export_destination_shows_exports_are_off(console, web_sim, page):
    page.goto(console.url + EXPORT)
    expect(page.get_by_test_id("exports-off")).to_have_count(0)
    web_sim.configure(data_store="DS_WIN1_DES", export_config={"export_destination": ""})
    expect(page.get_by_test_id("exports-off")).to_contain_text("Export Destination is blank (R31)")


@pytest.mark.rule("R28")
def test_pending_volumes_show_when_the_extractor_retries_them(console, web_sim, page):
    page.goto(console.url + EXPORT)
    pending = page.get_by_test_id("pending")
    expect(pending).not_to_contain_text("Next retry")
    web_sim.fail("link-down")
    web_sim.backup(count=1)
    web_sim.advance(0)
    status = web_sim.topo.catalog_sync("E501NEW").GetExportStatus(
        cs.GetExportStatusRequest(data_store_id="DS_WIN1_DES"), timeout=10)
    assert status.pending_count == 1 and status.HasField("next_retry_time")
    expect(pending).to_contain_text("Next retry by the EMS extractor")
    expect(page.locator("section", has=pending).locator("table")).to_contain_text(status.oldest_pending[0].label)


@pytest.mark.rule("R21")
def test_an_import_with_volume_errors_warns_that_the_next_update_reimports_everything(console, web_sim, page):
    page.goto(console.url + IMPORT)
    expect(page.get_by_test_id("reimport-all")).to_have_count(0)
    label = web_sim.backups[0]["labels"][0]
    assert web_sim.fail("staging-corrupt", label=label) is not None
    web_sim.import_("UPDATE")
    status = web_sim.topo.catalog_sync("YINE500").GetImportStatus(
        cs.GetImportStatusRequest(data_store_id="E501_WIN1_SND"), timeout=10)
    assert status.latest_import.volume_errors >= 1 and status.next_update_reimports_all
    expect(page.get_by_test_id("reimport-all")).to_contain_text("re-imports every volume")
    expect(page.get_by_test_id("latest-import")).to_contain_text("Volume errors")


def _license(web_sim, **fields):
    from emulator.v1 import backbox_domain_pb2 as bb  # noqa: PLC0415

    current = web_sim.topo.domain("E501NEW").GetDomainConfig(bb.GetDomainConfigRequest(), timeout=10).config.license
    new = bb.License(key=current.key, options=fields.get("options", list(current.options)),
                     expiry_date=fields.get("expiry_date", current.expiry_date))
    return web_sim.topo.domain("E501NEW").SetLicense(bb.SetLicenseRequest(license=new), timeout=10).license_status


@pytest.mark.rule("R1")
def test_storage_admin_warns_of_a_license_near_expiry_and_drops_the_links_without_catalog_sync(console, web_sim,
                                                                                            page):
    page.goto(console.url + "domain/E501NEW/storage")
    expect(page.get_by_test_id("license-banner")).to_have_count(0)
    expect(page.get_by_role("link", name="Export Status")).to_be_visible()
    today = web_sim.now()[:10]
    status = _license(web_sim, expiry_date=today)                      # the last valid day: a warning (W3162)
    assert status.warning and status.warning_code == "W3162"
    expect(page.get_by_test_id("license-banner")).to_contain_text("W3162")
    status = _license(web_sim, options=["ENCRYPTION"], expiry_date="2099-12-31")   # no Catalog Sync option
    assert not status.catalog_sync
    expect(page.get_by_test_id("license-banner")).to_contain_text("no valid CATALOG_SYNC option")
    expect(page.get_by_role("link", name="Export Status")).to_have_count(0)
