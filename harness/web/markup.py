"""HTML pieces of the web console: escaping, tables, definition lists, forms with the CSRF token, the page frame.

Every value that reaches a page goes through `esc` (or a helper that calls it); nothing here knows gRPC.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable
from urllib.parse import quote, urlencode

TOKEN_FIELD = "csrf_token"


def esc(value: Any) -> str:
    """Text as HTML (None prints as nothing)."""
    return "" if value is None else html.escape(str(value), quote=True)


def url(*parts: str, **query: Any) -> str:
    """A console path from its segments (each quoted: data store ids may hold spaces, R35) and a query."""
    path = "/" + "/".join(quote(str(p), safe="") for p in parts)
    kept = {k: v for k, v in query.items() if v not in (None, "", False)}
    return path + (f"?{urlencode(kept)}" if kept else "")


def link(href: str, text: Any, **attrs: Any) -> str:
    """An anchor; `class_` and other attributes by keyword."""
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


def local_time(ts: Any, offset_seconds: int = 0, *, seconds: bool = True) -> str:
    """A protobuf Timestamp (unset: empty) in a node's local time, as the BackBox pages print it."""
    if ts is None or (hasattr(ts, "seconds") and ts.seconds == 0 and ts.nanos == 0):
        return ""
    moment = ts.ToDatetime(timezone.utc) if hasattr(ts, "ToDatetime") else ts
    moment = moment.astimezone(timezone.utc) + timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def table(headers: Iterable[str], rows: Iterable[Iterable[Any]], *, cls: str = "", empty: str = "none",
          raw: bool = False, test_id: str = "") -> str:
    """A table; cells are escaped unless `raw` (then they are HTML made by these helpers)."""
    heads = list(headers)
    body = []
    for row in rows:
        cells = "".join(f"<td>{c if raw else esc(c)}</td>" for c in row)
        body.append(f"<tr>{cells}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(heads)}" class="empty">{esc(empty)}</td></tr>')
    tid = f' data-testid="{esc(test_id)}"' if test_id else ""
    return (f'<table class="{esc(cls)}"{tid}><thead><tr>{"".join(f"<th>{esc(h)}</th>" for h in heads)}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def fields(pairs: Iterable[tuple[str, Any]], *, test_id: str = "") -> str:
    """A definition list of `label: value` lines, as the status pages show them (values escaped)."""
    tid = f' data-testid="{esc(test_id)}"' if test_id else ""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v) if v not in (None, '') else '&nbsp;'}</dd>" for k, v in pairs)
    return f'<dl class="fields"{tid}>{items}</dl>'


def section(title: str, body: str, *, test_id: str = "") -> str:
    """A titled block of a page (`body` is HTML made by these helpers)."""
    tid = f' data-testid="{esc(test_id)}"' if test_id else ""
    return f'<section{tid}><h2>{esc(title)}</h2>{body}</section>'


def banner(text: str, kind: str = "info", *, test_id: str = "message") -> str:
    """A message line at the top of a page: info, ok, warn or error."""
    return f'<p class="banner {esc(kind)}" role="status" data-testid="{esc(test_id)}">{esc(text)}</p>'


def badge(text: str, kind: str = "") -> str:
    """A small coloured word (UP, DOWN, VALID ...); its colour follows `kind` or the word itself."""
    return f'<span class="badge {esc(kind or text.lower())}">{esc(text)}</span>'


def post_form(action: str, token: str, inner: str, *, button: str = "", test_id: str = "", cls: str = "",
              confirm: str = "") -> str:
    """A POST form carrying the console's CSRF token; `confirm` asks the browser before sending."""
    tid = f' data-testid="{esc(test_id)}"' if test_id else ""
    ask = f' data-confirm="{esc(confirm)}"' if confirm else ""
    submit = f'<button type="submit">{esc(button)}</button>' if button else ""
    return (f'<form method="post" action="{esc(action)}" class="{esc(cls)}"{tid}{ask}>'
            f'<input type="hidden" name="{TOKEN_FIELD}" value="{esc(token)}">{inner}{submit}</form>')


def select(name: str, options: Iterable[tuple[str, str]], chosen: str = "", *, label: str = "",
           any_text: str = "") -> str:
    """A drop-down of (value, text) options; `any_text` adds a first option meaning no filter."""
    opts = [f'<option value="">{esc(any_text)}</option>'] if any_text else []
    for value, text in options:
        sel = " selected" if value == chosen else ""
        opts.append(f'<option value="{esc(value)}"{sel}>{esc(text)}</option>')
    box = f'<select name="{esc(name)}" id="f-{esc(name)}">{"".join(opts)}</select>'
    return f'<label for="f-{esc(name)}">{esc(label)}</label> {box}' if label else box


def text_input(name: str, value: str = "", *, label: str = "", placeholder: str = "", size: int = 20,
               autofocus: bool = False) -> str:
    """A one-line text box with its label."""
    focus = " autofocus" if autofocus else ""
    box = (f'<input type="text" name="{esc(name)}" id="f-{esc(name)}" value="{esc(value)}" size="{size}"'
           f' placeholder="{esc(placeholder)}" autocomplete="off"{focus}>')
    return f'<label for="f-{esc(name)}">{esc(label)}</label> {box}' if label else box


@dataclass
class Nav:
    """The menu: the topology's domains with their pages, and the trainer's pages."""

    domains: list[str] = field(default_factory=list)
    current: str = ""

    def render(self) -> str:
        items = [link("/", "Overview", class_="on" if self.current == "/" else "")]
        for d in self.domains:
            pages = [("storage", "Storage Admin"), ("config", "Configuration"), ("volumes", "Volumes"),
                     ("ems", "EMS log"), ("mediacom", "MEDIACOM")]
            sub = " ".join(link(url("domain", d, p), text, class_="on" if self.current == url("domain", d, p) else "")
                           for p, text in pages)
            items.append(f'<span class="domain"><b>{esc(d)}</b> {sub}</span>')
        trainer = [("/faults", "Faults"), ("/timeline", "Timeline"), ("/checks", "Checkers")]
        items.append('<span class="trainer"><b>Trainer</b> ' + " ".join(
            link(h, t, class_="on" if self.current == h else "") for h, t in trainer) + "</span>")
        return f'<nav>{"".join(items)}</nav>'


def page(title: str, body: str, *, nav: Nav, header: str, live: bool = True, status_line: str = "") -> str:
    """The whole page: head, the top line (topology, clock), the menu, the body. With `live` the part inside
    `<div id="live">` is replaced from the server-sent event stream of this page."""
    script = '<script src="/static/console.js" defer></script>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · catsync-sim</title>
<link rel="stylesheet" href="/static/console.css">{script}</head>
<body data-live="{'1' if live else '0'}">
<header><span class="brand">catsync-sim</span> {header}<span id="conn" class="conn" title="live updates"></span></header>
{nav.render()}
<main><h1>{esc(title)}</h1>{status_line}
{body}
</main></body></html>
"""
