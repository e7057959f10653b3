"""A page whose node stops answering says so and comes back by itself when the node answers again."""

from __future__ import annotations

from playwright.sync_api import expect

EXPORT = "domain/E501NEW/store/DS_WIN1_DES/export"


def test_an_open_status_page_shows_the_crash_and_recovers_without_a_reload(console, web_sim, page):
    page.goto(console.url + EXPORT)
    expect(page.locator("[data-testid=latest-export]")).to_be_visible()
    page.evaluate("window.kept = 1")   # gone if the page were reloaded
    web_sim.fail("node-crash", node="\\INSIDX")
    expect(page.locator("#live [data-testid=unavailable]")).to_contain_text("does not answer")
    expect(page.get_by_role("link", name="Export Full Catalog")).to_be_visible()   # the buttons stay
    web_sim.heal("all")
    expect(page.locator("[data-testid=latest-export]")).to_be_visible()
    expect(page.locator("#live [data-testid=unavailable]")).to_have_count(0)
    assert page.evaluate("window.kept") == 1


def test_a_page_opened_while_its_node_is_down_is_a_503_that_reloads_itself_when_it_answers(console, web_sim, page):
    web_sim.fail("node-crash", node="\\INSIDX")
    response = page.goto(console.url + EXPORT)
    assert response is not None and response.status == 503
    expect(page.locator("[data-testid=unavailable]")).to_contain_text("does not answer")
    assert "Traceback" not in page.content()
    web_sim.heal("all")
    expect(page.get_by_role("link", name="Export Full Catalog")).to_be_visible()
    expect(page.locator("[data-testid=latest-export]")).to_be_visible()

