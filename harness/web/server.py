"""The console's HTTP server (standard library, one thread per connection): routing, the CSRF check of every POST,
the post / redirect / get pattern with a one-time message, server-sent events for the live part of each page,
and error pages that say what is wrong without ever showing a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import socket
import threading
import time
from collections import OrderedDict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

from harness.errors import HarnessError
from harness.web import actions, pages, status, trainer
from harness.web.console import Console, Outcome, WebError
from harness.web.markup import TOKEN_FIELD, Nav, banner, esc, page as frame

log = logging.getLogger("catsync_sim.web")

MAX_BODY = 64 * 1024          # bytes of a form post
KEEPALIVE = 15.0              # seconds between two comments on an idle event stream
FLASH_KEEP = 64
STATIC = {"console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}

GetRoute = Callable[..., pages.Page]
PostRoute = Callable[..., tuple[Outcome, str]]


def route_get(c: Console, parts: list[str], q: dict[str, str]) -> pages.Page:
    """The page of a path (its segments, unquoted)."""
    match parts:
        case []:
            return pages.overview(c, q)
        case ["faults"]:
            return trainer.fault_panel(c, q)
        case ["timeline"]:
            return trainer.timeline(c, q)
        case ["checks"]:
            return trainer.checks(c, q)
        case ["domain", d]:
            return pages.storage_admin(c, d, q)
        case ["domain", d, "storage"]:
            return pages.storage_admin(c, d, q)
        case ["domain", d, "config"]:
            return pages.configuration(c, d, q)
        case ["domain", d, "volumes"]:
            return pages.volumes(c, d, q)
        case ["domain", d, "ems"]:
            return pages.ems_log(c, d, q)
        case ["domain", d, "mediacom"]:
            return pages.mediacom(c, d, q)
        case ["domain", d, "store", s, "export"]:
            return status.export_status(c, d, s, q)
        case ["domain", d, "store", s, "export", "confirm"]:
            return status.export_confirm(c, d, s, q)
        case ["domain", d, "store", s, "import"]:
            return status.import_status(c, d, s, q)
        case ["domain", d, "store", s, "import", "confirm"]:
            return status.import_confirm(c, d, s, q)
        case ["domain", d, "store", s, "check"]:
            return status.check_primary(c, d, s, q)
        case ["domain", d, "store", s, "report"]:
            return status.report(c, d, s, q)
    raise WebError(404, f"no page {'/' + '/'.join(parts)}: start from the overview at /")


def route_post(c: Console, parts: list[str], form: dict[str, str]) -> tuple[Outcome, str]:
    """The action of a posted path: (its outcome, the page to return to)."""
    match parts:
        case ["domain", d, "store", s, "export"]:
            return actions.export(c, d, s, form)
        case ["domain", d, "store", s, "import"]:
            return actions.import_(c, d, s, form)
        case ["domain", d, "mediacom"]:
            return actions.mediacom(c, d, form)
        case ["faults", "fail"]:
            return actions.fail(c, form)
        case ["faults", "heal"]:
            return actions.heal(c, form)
        case ["clock", "advance"]:
            return actions.advance(c, form)
        case ["workload", "backup"]:
            return actions.backup(c, form)
    raise WebError(404, f"nothing to do at {'/' + '/'.join(parts)}: use the buttons of the pages")


def signature(text: str) -> str:
    """A short fingerprint of a page's static part: when it changes, the browser reloads the page."""
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def split_path(path: str) -> tuple[list[str], dict[str, str]]:
    """(unquoted segments, query with one value per key) of a request path; a repeated key is refused."""
    parts = urlsplit(path)
    segments = [unquote(p) for p in parts.path.split("/") if p]
    query: dict[str, str] = {}
    for key, values in parse_qs(parts.query, keep_blank_values=True).items():
        if len(values) > 1:
            raise WebError(400, f"the query gives {key!r} {len(values)} times: give it once")
        query[key] = values[0]
    return segments, query


class ConsoleServer(ThreadingHTTPServer):
    """The HTTP server of one console."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], console: Console):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.console = console
        self.flashes: OrderedDict[str, Outcome] = OrderedDict()
        self.flash_lock = threading.Lock()

    def flash(self, outcome: Outcome) -> str:
        key = secrets.token_urlsafe(8)
        with self.flash_lock:
            self.flashes[key] = outcome
            while len(self.flashes) > FLASH_KEEP:
                self.flashes.popitem(last=False)
        return key

    def take_flash(self, key: str) -> Outcome | None:
        with self.flash_lock:
            return self.flashes.pop(key, None)

    def host_allowed(self, host: str) -> bool:
        """A request names the console by a loopback name or the bound address (a page of another site that
        renamed its own host to 127.0.0.1, DNS rebinding, names itself and is refused). Bound to a wildcard
        address, the console answers any name: whoever chose that chose to be reached."""
        bound, port = self.server_address[:2]
        if bound in ("0.0.0.0", "::", ""):
            return True
        names = {bound, "127.0.0.1", "localhost", "::1"}
        allowed = {f"{n}:{port}" if ":" not in n else f"[{n}]:{port}" for n in names}
        return host.lower() in allowed


class Handler(BaseHTTPRequestHandler):
    server: ConsoleServer
    server_version = "catsync-sim-console"
    protocol_version = "HTTP/1.0"

    # -- plumbing --------------------------------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:   # noqa: A002 - the base class's name
        log.debug("%s %s", self.address_string(), format % args)

    @property
    def console(self) -> Console:
        return self.server.console

    def _send(self, status: int, body: str | bytes, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _header_html(self) -> str:
        c = self.console
        utc, mode = c.clock()
        return (f'<span class="meta">topology <b>{esc(c.title)}</b> · seed {esc(c.sim.seed)}</span>'
                f'<span class="meta">{esc(mode)}: <span id="clock">{esc(utc)}</span></span>')

    def _nav(self, current: str) -> Nav:
        return Nav(self.console.domains, current)

    def _render(self, p: pages.Page, current: str, notice: Outcome | None = None) -> str:
        top = banner(notice.text, notice.kind) if notice is not None else ""
        body = f'<div id="top" data-sig="{signature(p.top)}">{p.top}</div><div id="live">{p.live}</div>'
        return frame(p.title, top + body, nav=self._nav(current), header=self._header_html(), live=bool(p.live))

    def _error(self, status: int, message: str, current: str = "") -> None:
        """The refusal's page. A 503 (a node that does not answer) stays live: when the page can be drawn again
        the browser reloads it."""
        back = '<p><a href="javascript:history.back()">Back</a> · <a href="/">Overview</a></p>'
        if status == 503 and self.command == "GET":
            live = banner(message, "error", test_id="unavailable")
            body = (f'<div id="top" data-sig="">{back}</div><div id="live">{live}</div>'
                    '<p><small class="hint">This page comes back by itself when the node answers again.</small></p>')
        else:
            body = banner(message, "error") + back
        html = frame(f"{status} {HTTPStatus(status).phrase}", body, nav=self._nav(current),
                     header=self._header_html(), live=status == 503 and self.command == "GET")
        self._send(status, html)

    def _guard(self, fn: Callable[[], None], current: str) -> None:
        """Run a request; refusals become their page, anything unexpected a 500 page without the traceback (which
        goes to the console's log)."""
        try:
            fn()
        except WebError as exc:
            self._error(exc.status, exc.message, current)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except (HarnessError, ValueError) as exc:
            self._error(400, str(exc), current)
        except Exception as exc:  # noqa: BLE001 - a page must never show a traceback
            log.exception("console request %s %s failed", self.command, self.path)
            try:
                self._error(500, f"the console hit an internal error ({type(exc).__name__}: {exc}); nothing more was"
                                 " done. The details are in the log of the process serving the console.", current)
            except (BrokenPipeError, ConnectionResetError):
                pass

    # -- GET -------------------------------------------------------------------------------------------------------
    def do_HEAD(self) -> None:  # noqa: N802 - the base class's name
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        current = urlsplit(self.path).path or "/"
        self._guard(self._get, current)

    def _check_host(self) -> None:
        host = self.headers.get("Host", "")
        if not self.server.host_allowed(host):
            raise WebError(403, f"this console answers to its own address, not to {host or 'no Host'}: open it as"
                                f" http://127.0.0.1:{self.server.server_address[1]}/")

    def _get(self) -> None:
        self._check_host()
        parts, q = split_path(self.path)
        current = "/" + "/".join(parts)
        if parts == ["healthz"]:
            self._send(200, "ok\n", "text/plain; charset=utf-8")
            return
        if len(parts) == 2 and parts[0] == "static" and parts[1] in STATIC:
            data = resources.files("harness.web").joinpath("static", parts[1]).read_bytes()
            self._send(200, data, STATIC[parts[1]])
            return
        if parts == ["live"]:
            if self.command == "HEAD":   # a stream has no end: HEAD gets its headers only
                self._send(200, "", "text/event-stream; charset=utf-8")
                return
            self._live(q.get("path", "/"))
            return
        if parts == ["timeline", "raw"]:
            self._send(200, trainer.timeline_html(self.console))
            return
        notice = self.server.take_flash(q.pop("msg", "")) if "msg" in q else None
        p = route_get(self.console, parts, q)
        self._send(p.status, self._render(p, current, notice))

    def _live(self, path: str) -> None:
        """Server-sent events: the live part of `path` again whenever it changes (and the clock)."""
        parts, q = split_path(path)
        q.pop("msg", None)
        if not path.startswith("/") or parts[:1] in (["live"], ["static"]):
            raise WebError(400, f"live updates are for a page path like /faults, not {path!r}")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        c = self.console
        last, last_sent = None, time.monotonic()
        self.wfile.write(b"retry: 1000\n\n")
        self.wfile.flush()
        while not c.closed.is_set():
            top = None   # the static part's signature: when it changes, the browser reloads the page
            try:
                p = route_get(c, parts, dict(q))
                live, every, top = p.live, p.live_every, signature(p.top)
            except WebError as exc:
                live, every = banner(exc.message, "error", test_id="unavailable"), 1.0
            except Exception as exc:  # noqa: BLE001 - the stream says what broke and goes on
                log.exception("live update of %s failed", path)
                live, every = banner(f"live update failed ({type(exc).__name__}: {exc})", "error"), 2.0
            payload = {"html": live, "clock": c.clock()[0], "top": top}
            text = json.dumps(payload)
            now = time.monotonic()
            if text != last:
                self.wfile.write(b"event: update\ndata: " + text.encode() + b"\n\n")
                self.wfile.flush()
                last, last_sent = text, now
            elif now - last_sent > KEEPALIVE:
                self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
                last_sent = now
            c.closed.wait(every)
        self.wfile.write(b"event: gone\ndata: {}\n\n")
        self.wfile.flush()

    # -- POST ------------------------------------------------------------------------------------------------------
    def do_POST(self) -> None:  # noqa: N802
        current = urlsplit(self.path).path or "/"
        self._guard(self._post, current)

    def _post(self) -> None:
        self._check_host()
        parts, q = split_path(self.path)
        if q:
            raise WebError(400, "a form post carries its fields in the body, not in the address")
        form = self._form()
        self._check_origin()
        token = form.pop(TOKEN_FIELD, "")
        if not token or not hmac.compare_digest(token, self.console.token):
            raise WebError(403, "this form is stale or did not come from this console (its CSRF token is missing or"
                                " wrong): reload the page and try again. Nothing was changed.")
        outcome, back = route_post(self.console, parts, form)
        key = self.server.flash(outcome)
        sep = "&" if "?" in back else "?"
        self._send(303, "", headers={"Location": f"{back}{sep}msg={key}"})

    def _form(self) -> dict[str, str]:
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/x-www-form-urlencoded":
            raise WebError(415, f"a form post must be application/x-www-form-urlencoded, not {ctype or 'nothing'}")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise WebError(400, "the Content-Length of the post is not a number: send the form from the page") from None
        if length < 0 or length > MAX_BODY:
            raise WebError(413, f"a form post is at most {MAX_BODY} bytes: send the page's form, a MEDIACOM command"
                                " of at most 2000 characters")
        raw = self.rfile.read(length)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise WebError(400, "the form is not UTF-8 text: send it from the page, which encodes it so") from None
        form: dict[str, str] = {}
        for key, values in parse_qs(text, keep_blank_values=True).items():
            if len(values) > 1:
                raise WebError(400, f"the form gives {key!r} {len(values)} times: a forged post? Reload the page")
            form[key] = values[0]
        return form

    def _check_origin(self) -> None:
        """A browser names the page a post comes from: it must be this console (another site's page cannot drive
        the sites, even with a token)."""
        origin = self.headers.get("Origin")
        if origin is None:
            return
        host = self.headers.get("Host", "")
        if origin != f"http://{host}":
            raise WebError(403, f"this post comes from {origin}, not from the console at http://{host}: refused."
                                " Nothing was changed.")
