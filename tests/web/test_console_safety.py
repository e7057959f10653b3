"""The console against what a browser on another site, or a client that is no browser, may send: another Host
(DNS rebinding), HEAD on an event stream; and the addresses it can bind."""

from __future__ import annotations

import http.client
import socket

import grpc
import pytest
from playwright.sync_api import expect

from emulator.v1 import backbox_domain_pb2 as bb, common_pb2
from harness.cli import WEB_DEFAULT, build_parser
from harness.web import DEFAULT_ADDRESS, parse_address, start_console

import harness.web


def _request(web, method: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection(web.host, web.port, timeout=30)
    conn.request(method, path, headers=headers or {})
    resp = conn.getresponse()
    body = resp.read().decode()
    conn.close()
    return resp.status, body


def test_a_request_naming_another_host_is_refused_even_with_the_token(console, web_sim):
    before = len(web_sim.history)
    status, body = _request(console, "GET", "/faults", {"Host": "evil.example:80"})
    assert status == 403 and "answers to its own address, not to evil.example:80" in body
    form = f"csrf_token={console.console.token}&by=1h"
    conn = http.client.HTTPConnection(console.host, console.port, timeout=30)
    conn.request("POST", "/clock/advance", body=form, headers={
        "Host": "evil.example:80", "Origin": "http://evil.example:80",
        "Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    assert resp.status == 403 and "Traceback" not in resp.read().decode()
    conn.close()
    assert len(web_sim.history) == before


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}"])
def test_the_loopback_names_of_the_console_are_served(console, host):
    status, body = _request(console, "GET", "/healthz", {"Host": host.format(port=console.port)})
    assert status == 200 and body == "ok\n"


def test_head_on_an_event_stream_answers_headers_only(console):
    conn = http.client.HTTPConnection(console.host, console.port, timeout=30)
    conn.request("HEAD", "/live?path=/faults")
    resp = conn.getresponse()
    assert resp.status == 200 and resp.getheader("Content-Length") == "0"   # a stream would have no length
    conn.close()


def test_the_console_binds_ipv6_loopback_when_asked(web_sim):
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:   # a machine without IPv6 loopback: nothing the console could do
        pytest.skip(f"no IPv6 loopback here: {exc}")
    web = start_console(web_sim, "[::1]:0")
    try:
        assert web.url.startswith("http://[::1]:") and web.loopback_only
        status, body = _request(web, "GET", "/healthz", {"Host": f"[::1]:{web.port}"})
        assert status == 200
    finally:
        web.close()


def test_the_next_page_link_of_volumes_shows_the_following_labels(console, web_sim, page, monkeypatch):
    monkeypatch.setattr("harness.web.pages.VOLUMES_PAGE", 25)
    every = [v.label for v in web_sim.topo.domain("E501NEW").ListVolumes(bb.ListVolumesRequest(), timeout=10).volumes]
    page.goto(console.url + "domain/E501NEW/volumes")
    rows = page.locator("[data-testid=volumes] tbody tr td:first-child")
    assert rows.all_inner_texts() == every[:25]
    page.get_by_role("link", name="Next page →").click()
    page.wait_for_url("**page=25")
    assert rows.all_inner_texts() == every[25:50]


@pytest.mark.parametrize("token", ["garbage", "-5"])
def test_list_volumes_refuses_a_page_token_it_never_gave(web_sim, token):
    with pytest.raises(grpc.RpcError) as caught:
        web_sim.topo.domain("E501NEW").ListVolumes(bb.ListVolumesRequest(
            page=common_pb2.PageRequest(page_token=token)), timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "start again with an empty token" in caught.value.details()


def test_the_web_exports_and_the_cli_default_are_pinned():
    assert sorted(harness.web.__all__) == ["DEFAULT_ADDRESS", "WebConsole", "WebError", "parse_address",
                                           "start_console", "wait_for_stop"]
    assert WEB_DEFAULT == DEFAULT_ADDRESS == "127.0.0.1:8470"   # loopback unless told otherwise


@pytest.mark.parametrize("command", ["serve minimal --web", "demo --web"])
def test_web_without_an_address_binds_loopback(command):
    opts = build_parser().parse_args(command.split())
    assert parse_address(opts.web) == ("127.0.0.1", 8470)


@pytest.mark.rule("R33")
def test_an_export_confirmed_with_the_disk_file_box_unchecked_leaves_the_diskfiles_out(console, web_sim, page):
    web_sim.advance("1h")   # a new export id (ids are the second the export starts)
    page.goto(console.url + "domain/E501NEW/store/DS_WIN1_DES/export/confirm?type=FULL")
    page.get_by_test_id("disk-files").uncheck()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_test_id("message")).to_contain_text("COMPLETED")
    expect(page.get_by_test_id("latest-export")).to_contain_text("not included")
    done = [e for e in web_sim.history.events if e.f == "export" and e.type == "ok"][-1]
    assert done.value["catalog_files"] is False and done.value["type"] == "FULL"
