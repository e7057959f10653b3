"""The console's pieces without a browser: addresses, request paths, HTML escaping, enum words, link states."""

from __future__ import annotations

import pytest

from emulator.v1 import backbox_domain_pb2 as bb, link_pb2
from harness.errors import HarnessError
from harness.web import parse_address
from harness.web.console import WebError
from harness.web.markup import esc, fields, table, url
from harness.web.pages import link_state, word
from harness.web.server import split_path


@pytest.mark.parametrize("text, expected", [("127.0.0.1:8470", ("127.0.0.1", 8470)), (":0", ("127.0.0.1", 0)),
                                            ("9000", ("127.0.0.1", 9000)), ("0.0.0.0:80", ("0.0.0.0", 80)),
                                            ("[::1]:8470", ("::1", 8470))])
def test_parse_address_reads_host_and_port(text, expected):
    assert parse_address(text) == expected


@pytest.mark.parametrize("text", ["", "host:", "localhost:http", "1.2.3.4:70000", "x:-1"])
def test_parse_address_refuses_what_is_no_address_and_names_the_form(text):
    with pytest.raises(HarnessError, match="must be HOST:PORT"):
        parse_address(text)


def test_split_path_unquotes_segments_and_refuses_a_repeated_query_key():
    assert split_path("/domain/E501NEW/store/DS%20ONE/export?type=FULL") == (
        ["domain", "E501NEW", "store", "DS ONE", "export"], {"type": "FULL"})
    with pytest.raises(WebError, match="gives 'type' 2 times") as caught:
        split_path("/x?type=FULL&type=UPDATE")
    assert caught.value.status == 400


def test_url_quotes_store_ids_with_spaces_and_drops_empty_query_values():
    assert url("domain", "D", "store", "DS ONE/X", "export", type="FULL", page="") == \
        "/domain/D/store/DS%20ONE%2FX/export?type=FULL"


def test_every_value_is_escaped_in_tables_and_fields():
    hostile = '<script>alert("x")</script>'
    assert "<script>" not in table(["h"], [[hostile]]) and esc(hostile) in table(["h"], [[hostile]])
    assert "<script>" not in fields([(hostile, hostile)])


def test_word_strips_the_enum_prefix_and_blanks_unspecified():
    assert word(bb.DataStoreType, bb.DATA_STORE_TYPE_WINDISK) == "WINDISK"
    assert word(bb.DomainAccess, bb.DOMAIN_ACCESS_SECONDARY) == "SECONDARY"
    assert word(bb.DomainAccess, bb.DOMAIN_ACCESS_UNSPECIFIED) == ""


def test_link_state_says_up_down_or_degraded_and_ignores_the_error_number_alone():
    assert link_state(link_pb2.LinkFault(guardian_error=250)) == ("UP", "")
    assert link_state(link_pb2.LinkFault(down=True, guardian_error=201)) == ("DOWN", "cut (Guardian error 201)")
    state, detail = link_state(link_pb2.LinkFault(latency_ms=300))
    assert state == "DEGRADED" and detail == "latency 300 ms"
