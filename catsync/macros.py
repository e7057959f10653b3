"""The BB026_EXPORT_CATALOG and BB027_IMPORT_CATALOG TACL macros (R34, R35): macro text, as typed in a TACL
session or kept in a NetBatch job, parsed into `catsync.v1.MacroCall` messages. Running the calls belongs to the
caller; this module only reads text and refuses, with `MacroError`, what TACL would refuse.

Grammar (keywords and values in any case; blanks are spaces and tabs)::

    text    := line*                        at most 64 KiB; no control character other than tab and line ends
    line    := blank | COMMENT ... | load | [prefix] call
    load    := LOAD [/KEEP n/] file... [[prefix] call]
    prefix  := file...                      qualified Guardian names such as BBOX.MACROS
    call    := BB026_EXPORT_CATALOG [,] option [, option]...
             | BB027_IMPORT_CATALOG [,] option [, option]...
    option  := STOREID {store-id | ALL}     mandatory
             | CATALOGFILES {YES | NO}
             | TYPE {FULL | UPDATE}
             | STOREID_ALIAS {0 | 1 | 2}    BB027 only

- `==` starts a comment that runs to the end of its line; a line whose first word is COMMENT is a comment.
- `&` as the last non-blank character of a line (once the comment is cut) continues the line on the next one.
- The manual prints the macro either on its own line after `BBOX.MACROS` (BB026) or at the end of the LOAD line
  (BB027): both forms are accepted. LOAD is optional; it is otherwise ignored.
- A keyword and its value are separated by blanks, as TACL does. `STOREID=DS_WIN1` is refused with the fix
  (a choice: the manual shows blanks only, and a NetBatch job written against the simulator should run unchanged on
  a real system).
- A store id is 1 to 64 letters, digits, `_`, `-`, `+` or `.`; store ids are case-insensitive here, so they are
  upper-cased. An option keyword where a value is expected counts as a missing value (`STOREID TYPE FULL`).
- Omitted CATALOGFILES and TYPE stay UNSPECIFIED: the caller applies the defaults (TYPE UPDATE, domain-facts
  open question 1; CATALOGFILES from the data store configuration, R33).

Errors come in text order: the first problem of the text is the one reported, as `line L, column C: what is wrong:
the fix`. Problems of the whole text (over 64 KiB, no macro call) and of `resolve_store_id` carry line 0.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NoReturn

from catsync import CatsyncError
from catsync.v1 import catalog_sync_pb2

__all__ = ["EXPORT_MACRO", "IMPORT_MACRO", "MAX_STORE_ID_LENGTH", "MAX_TEXT_BYTES", "MacroError", "parse_macros",
           "resolve_store_id"]

MAX_TEXT_BYTES = 64 * 1024
MAX_STORE_ID_LENGTH = 64

EXPORT_MACRO = "BB026_EXPORT_CATALOG"
IMPORT_MACRO = "BB027_IMPORT_CATALOG"
_KINDS = {
    EXPORT_MACRO: catalog_sync_pb2.MACRO_KIND_EXPORT_CATALOG,
    IMPORT_MACRO: catalog_sync_pb2.MACRO_KIND_IMPORT_CATALOG,
}
_OPTIONS = {  # in the manual's order (R34, R35)
    EXPORT_MACRO: ("STOREID", "CATALOGFILES", "TYPE"),
    IMPORT_MACRO: ("STOREID", "STOREID_ALIAS", "CATALOGFILES", "TYPE"),
}
_KEYWORDS = frozenset(_OPTIONS[IMPORT_MACRO])
_VALUES = {
    "CATALOGFILES": {"YES": catalog_sync_pb2.CATALOG_FILES_OPTION_YES, "NO": catalog_sync_pb2.CATALOG_FILES_OPTION_NO},
    "TYPE": {"FULL": catalog_sync_pb2.SYNC_TYPE_FULL, "UPDATE": catalog_sync_pb2.SYNC_TYPE_UPDATE},
    "STOREID_ALIAS": {"0": 0, "1": 1, "2": 2},
}
_EXAMPLES = {"STOREID": "DS_WIN1_DES", "CATALOGFILES": "NO", "TYPE": "FULL", "STOREID_ALIAS": "1"}
_CHOICES = {"STOREID": "a data store id or ALL", "CATALOGFILES": "YES or NO", "TYPE": "FULL or UPDATE",
            "STOREID_ALIAS": "0, 1 or 2"}
_LOAD_EXAMPLE = "LOAD /KEEP 1/ BBOX.BBSETUP BBOX.MACROS"
_CALL_EXAMPLE = "BB026_EXPORT_CATALOG STOREID DS_WIN1_DES, TYPE FULL"

_TOKEN = re.compile(r"[ \t]+|(?P<word>[A-Za-z0-9_+\-.$\\#]+)|(?P<punct>[,/=])")
_STORE_ID = re.compile(r"[A-Za-z0-9_+\-.]+")
_FILE = re.compile(r"(?:\\[A-Za-z][A-Za-z0-9]{0,6}\.)?(?:\$[A-Za-z][A-Za-z0-9]{0,6}\.)?"
                   r"(?:[A-Za-z][A-Za-z0-9]{0,7}\.)?[A-Za-z][A-Za-z0-9]{0,7}")
_KEEP_COUNT = re.compile(r"[0-9]{1,5}")
_FIRST_WORD = re.compile(r"[ \t]*([A-Za-z0-9_]+|,)")
_NOTATION = "{}[]|"


class MacroError(CatsyncError):
    """A macro text TACL would refuse: `.message` says where, what is wrong and how to fix it."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        # line / column are 1-based; 0 when the problem concerns the whole text rather than one place
        if line:
            message = f"line {line}, column {column}: {message}"
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def resolve_store_id(store_id: str, alias: int) -> str:
    """The data store id STOREID_ALIAS designates (R35): 0 as typed, 1 `_` and 2 `+` stand for spaces."""
    if alias == 0:
        return store_id
    if alias == 1:
        return store_id.replace("_", " ")
    if alias == 2:
        return store_id.replace("+", " ")
    raise MacroError(f"STOREID_ALIAS {_show(str(alias))} is not valid: use 0 (the id as typed), "
                     "1 (each `_` stands for a space) or 2 (each `+` stands for a space)")


def parse_macros(text: str) -> list[catalog_sync_pb2.MacroCall]:
    """Every BB026 / BB027 call of a TACL text, in order; MacroError for the first thing TACL would refuse."""
    if not isinstance(text, str):
        raise TypeError(f"parse_macros takes the TACL text as a str, not {type(text).__name__}: decode it first")
    size = len(text.encode("utf-8", "surrogatepass")) if len(text) <= MAX_TEXT_BYTES else len(text)
    if size > MAX_TEXT_BYTES:
        raise MacroError(f"the text holds {size} bytes or more; a macro text holds at most {MAX_TEXT_BYTES} "
                         "(64 KiB): split it over several runs or jobs")
    logicals = _logical_lines(text)
    calls = []
    for index, logical in enumerate(logicals):
        if isinstance(logical, MacroError):
            raise logical
        before = logicals[index - 1] if index else None  # never an error: that one was raised
        after = logicals[index + 1] if index + 1 < len(logicals) else None
        call = _Parser(logical, before, after if isinstance(after, _Logical) else None).parse()
        if call is not None:
            calls.append(call)
    if not calls:
        raise MacroError(f"the text holds no macro call: add one, e.g. `{_CALL_EXAMPLE}` or "
                         f"`{IMPORT_MACRO} STOREID ALL, CATALOGFILES YES`")
    return calls


# ---------------------------------------------------------------------------------------------------------------
# Lines: comments cut, continuations joined


@dataclass
class _Logical:
    """One command: physical lines joined at their `&`, with the (line, column) of each character."""

    text: str
    origin: list[tuple[int, int]]  # one entry per character, plus one for the end of the text
    first_line: int
    last_line: int

    def at(self, offset: int) -> tuple[int, int]:
        return self.origin[min(offset, len(self.origin) - 1)]


def _logical_lines(text: str) -> list[_Logical | MacroError]:
    """The commands of the text; a problem found while splitting ends the list, to be raised in text order."""
    result: list[_Logical | MacroError] = []
    pieces: list[tuple[int, str]] = []
    ampersand = (0, 0)
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        bad = next((i for i, ch in enumerate(raw) if _is_control(ch)), None)
        if bad is not None:
            result.append(MacroError(f"control character {_show(raw[bad])} in the text: TACL text holds printable "
                                     "characters, blanks and line ends only; remove it", number, bad + 1))
            return result
        if not pieces and _is_comment_line(raw):
            continue
        cut = raw.find("==")
        body = (raw if cut < 0 else raw[:cut]).rstrip(" \t")
        if body.endswith("&"):
            pieces.append((number, body[:-1]))
            ampersand = (number, len(body))
            continue
        pieces.append((number, body))
        if any(piece.strip(" \t") for _, piece in pieces):
            result.append(_join(pieces))
        pieces = []
    if pieces:
        result.append(MacroError("`&` continues the command on the next line, but the text ends here: remove the "
                                 "`&` or add the rest of the command", *ampersand))
    return result


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch != "\t") or 127 <= code < 160


def _is_comment_line(raw: str) -> bool:
    words = raw.split(None, 1)
    return bool(words) and words[0].upper() == "COMMENT"


def _join(pieces: list[tuple[int, str]]) -> _Logical:
    """The pieces without their surrounding blanks, one blank between two pieces (the `&` stood there)."""
    parts: list[str] = []
    origin: list[tuple[int, int]] = []
    end = (pieces[0][0], 1)
    for number, piece in pieces:
        stripped = piece.strip(" \t")
        if not stripped:
            continue
        if parts:
            parts.append(" ")
            origin.append(end)
        first_column = len(piece) - len(piece.lstrip(" \t")) + 1
        parts.append(stripped)
        origin.extend((number, first_column + k) for k in range(len(stripped)))
        end = (number, first_column + len(stripped))
    origin.append(end)
    return _Logical("".join(parts), origin, pieces[0][0], pieces[-1][0])


# ---------------------------------------------------------------------------------------------------------------
# One command


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", ",", "/", "=" or "bad" (a character no token holds)
    text: str
    start: int
    end: int


class _Parser:
    """Parses one command: a LOAD, a macro call, or both (the manual prints BB027 at the end of the LOAD line)."""

    def __init__(self, logical: _Logical, previous: _Logical | None, following: _Logical | None) -> None:
        self.logical = logical
        self.previous = previous
        self.following = following
        self.tokens = self._tokenize()
        self.i = 0

    def fail(self, offset: int, message: str) -> NoReturn:
        raise MacroError(message, *self.logical.at(offset))

    def _tokenize(self) -> list[_Token]:
        """The tokens up to the first character no token holds, which ends the list as a "bad" token: reading it
        raises, so that problems are reported in text order."""
        text, tokens, pos = self.logical.text, [], 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                tokens.append(_Token("bad", text[pos], pos, pos + 1))
                break
            kind = "word" if match.group("word") else match.group("punct")
            if kind:
                tokens.append(_Token(kind, match.group(), pos, match.end()))
            pos = match.end()
        return tokens

    def peek(self, ahead: int = 0) -> _Token | None:
        index = self.i + ahead
        token = self.tokens[index] if index < len(self.tokens) else None
        if token is not None and token.kind == "bad":
            self.fail(token.start, _unexpected_character(token.text))
        return token

    def end_offset(self) -> int:
        return self.tokens[-1].end if self.tokens else 0

    def parse(self) -> catalog_sync_pb2.MacroCall | None:
        first = self.peek()
        if first is None:
            return None
        if first.kind == "word" and first.text.upper() == "LOAD":
            self._load()
            if self.peek() is None:
                return None
        elif first.kind == "word" and "." in first.text and _FILE.fullmatch(first.text):
            self._prefix()
        return self._call()

    def _load(self) -> None:
        """LOAD [/KEEP n/] file...: checked, then ignored (it makes the macros known to TACL)."""
        load = self.tokens[0]
        self.i = 1
        if (token := self.peek()) is not None and token.kind == "/":
            keep, count, close = self.peek(1), self.peek(2), self.peek(3)
            if not (keep and keep.kind == "word" and keep.text.upper() == "KEEP" and count and count.kind == "word"
                    and _KEEP_COUNT.fullmatch(count.text) and close and close.kind == "/"):
                self.fail(token.start, f"LOAD options are written `/KEEP n/`: write `{_LOAD_EXAMPLE}`")
            self.i += 4
        files = self._files(qualified=False)
        if not files:
            token = self.peek()
            where = token.start if token else self.end_offset()
            self.fail(where, f"LOAD needs the macro files after it: write `{_LOAD_EXAMPLE}`")
        token = self.peek()
        if token is not None and token.kind != "word":
            self.fail(token.start, f"unexpected `{token.text}` in the LOAD command ({_show(load.text)} takes file "
                                   f"names separated by blanks): write `{_LOAD_EXAMPLE}`")

    def _prefix(self) -> None:
        """Qualified macro file names before the macro, as the manual prints `BBOX.MACROS BB026_EXPORT_CATALOG`."""
        self._files(qualified=True)
        if self.peek() is None:
            first = self.tokens[0]
            self.fail(first.start, f"{_show(first.text)} is a file name, not a command: load the macros with "
                                   f"`{_LOAD_EXAMPLE}`, then call one, e.g. `{_CALL_EXAMPLE}`")

    def _files(self, qualified: bool) -> list[_Token]:
        files = []
        while (token := self.peek()) is not None and token.kind == "word" and _FILE.fullmatch(token.text) and (
                "." in token.text or not qualified):
            files.append(token)
            self.i += 1
        return files

    def _call(self) -> catalog_sync_pb2.MacroCall:
        name_token = self.peek()
        assert name_token is not None  # parse() returns early on an empty command
        if name_token.kind == ",":
            self.fail(name_token.start, "a command cannot start with `,`" + self._join_hint())
        if name_token.kind != "word":
            self.fail(name_token.start, f"unexpected `{name_token.text}`: a command starts with a macro name, "
                                        f"e.g. `{_CALL_EXAMPLE}`")
        name = name_token.text.upper()
        if name not in _KINDS:
            self._unknown_macro(name_token)
        self.i += 1
        if (token := self.peek()) is not None and token.kind == ",":
            self.i += 1  # `BB026_EXPORT_CATALOG, STOREID ...`: the comma after the name is tolerated
            if self.peek() is None:
                self.fail(token.start, f"trailing comma after {name}: remove it, or add an option after it, "
                                       f"e.g. `{name} STOREID DS_WIN1_DES`")
        options: dict[str, tuple[_Token, _Token]] = {}
        while self.peek() is not None:
            keyword, value = self._option(name, options)
            options[keyword.text.upper()] = (keyword, value)
            self._separator(name, keyword, value)
        if "STOREID" not in options:
            self.fail(name_token.start, f"{name} needs STOREID: write `{name} STOREID DS_WIN1_DES` (or STOREID ALL)"
                      + self._options_below_hint())
        return self._message(name, name_token, options)

    def _option(self, name: str, options: dict[str, tuple[_Token, _Token]]) -> tuple[_Token, _Token]:
        token = self.peek()
        assert token is not None
        valid = ", ".join(_OPTIONS[name])
        if token.kind == ",":
            self.fail(token.start, "empty option (two commas in a row; the manual's `},` followed by `[,` means "
                                   "one comma): remove one comma")
        if token.kind != "word":
            self.fail(token.start, f"unexpected `{token.text}` where an option of {name} belongs: write one of "
                                   f"{valid}")
        keyword = token.text.upper()
        if keyword == "STOREID_ALIAS" and name == EXPORT_MACRO:
            self.fail(token.start, f"STOREID_ALIAS belongs to {IMPORT_MACRO} only; {EXPORT_MACRO} takes the store "
                                   "id as typed: remove the option")
        if keyword in _KINDS:
            self.fail(token.start, f"{keyword} follows the call of {name} on the same command: put each macro call "
                                   "on its own line")
        if keyword not in _OPTIONS[name]:
            self.fail(token.start, f"unknown option {_show(token.text)} of {name}: its options are {valid}"
                      + _did_you_mean(keyword, _OPTIONS[name]))
        if keyword in options:
            line, column = self.logical.at(options[keyword][0].start)
            self.fail(token.start, f"{keyword} is given twice (first at line {line}, column {column}): keep one")
        self.i += 1
        value = self.peek()
        if value is not None and value.kind == "=":
            self.fail(value.start, f"write a blank between {keyword} and its value, not `=`: "
                                   f"`{keyword} {_EXAMPLES[keyword]}`")
        if value is None or value.kind != "word" or value.text.upper() in _KEYWORDS:
            where = value.start if value is not None else token.end
            self.fail(where, f"{keyword} needs a value ({_CHOICES[keyword]}): write `{keyword} "
                             f"{_EXAMPLES[keyword]}`")
        self._check_value(keyword, value)
        self.i += 1
        return token, value

    def _check_value(self, keyword: str, value: _Token) -> None:
        if keyword == "STOREID":
            if len(value.text) > MAX_STORE_ID_LENGTH:
                self.fail(value.start, f"the store id is {len(value.text)} characters long; a data store id "
                                       f"holds at most {MAX_STORE_ID_LENGTH}: check the id")
            if not _STORE_ID.fullmatch(value.text):
                bad = next(ch for ch in value.text if not _STORE_ID.fullmatch(ch))
                self.fail(value.start, f"the store id {_show(value.text)} holds `{bad}`: a data store id is made "
                                       "of letters, digits, `_`, `-`, `+` and `.`")
            return
        choices = _VALUES[keyword]
        if value.text.upper() not in choices:
            self.fail(value.start, f"{keyword} takes {_CHOICES[keyword]}, not {_show(value.text)}: write "
                                   f"`{keyword} {_EXAMPLES[keyword]}`" + _did_you_mean(value.text.upper(), choices))

    def _separator(self, name: str, keyword: _Token, value: _Token) -> None:
        """After an option: the end of the command, or a comma followed by another option."""
        token = self.peek()
        if token is None:
            return
        written = f"{keyword.text.upper()} {value.text.upper()}"
        if token.kind == ",":
            self.i += 1
            if self.peek() is None:
                self.fail(token.start, f"trailing comma after `{_cut(written)}`: remove it, or add an option after "
                                       "it")
            return
        upper = token.text.upper()
        if token.kind == "word" and upper in _KEYWORDS:
            self.fail(token.start, f"missing comma before {upper}: options are separated by commas, write "
                                   f"`{_cut(written)}, {upper} ...`")
        if token.kind == "word" and upper in _KINDS:
            self.fail(token.start, f"{upper} follows the call of {name} on the same command: put each macro "
                                   "call on its own line")
        if token.kind == "=":
            self.fail(token.start, f"unexpected `=` after `{_cut(written)}`: write a blank between a keyword and "
                                   "its value")
        self.fail(token.start, f"unexpected {_show(token.text)} after `{_cut(written)}`: the options of {name} "
                               f"are {', '.join(_OPTIONS[name])}, separated by commas; remove it")

    def _unknown_macro(self, token: _Token) -> NoReturn:
        upper = token.text.upper()
        if upper in _KEYWORDS:
            self.fail(token.start, f"{upper} is an option, not a command" + self._join_hint())
        self.fail(token.start, f"unknown macro or command {_show(token.text)}: the macros are {EXPORT_MACRO} "
                               f"(export) and {IMPORT_MACRO} (import)" + _did_you_mean(upper, _KINDS))

    def _join_hint(self) -> str:
        if self.previous is None:
            return f": start the command with a macro name, e.g. `{_CALL_EXAMPLE}`"
        return (f": if it continues the command above, end line {self.previous.last_line} with `&`; otherwise start "
                "the command with a macro name")

    def _options_below_hint(self) -> str:
        following = self.following
        if following is None:
            return ""
        match = _FIRST_WORD.match(following.text)
        if match is None or (match.group(1) != "," and match.group(1).upper() not in _KEYWORDS):
            return ""
        return (f" (the options on line {following.first_line} belong to this call: end line "
                f"{self.logical.last_line} with `&`)")

    def _message(self, name: str, name_token: _Token,
                 options: dict[str, tuple[_Token, _Token]]) -> catalog_sync_pb2.MacroCall:
        def value(keyword: str) -> str | None:
            return options[keyword][1].text.upper() if keyword in options else None

        store_id = value("STOREID") or ""
        alias = _VALUES["STOREID_ALIAS"][value("STOREID_ALIAS") or "0"]
        catalog_files = value("CATALOGFILES")
        sync_type = value("TYPE")
        return catalog_sync_pb2.MacroCall(
            kind=_KINDS[name],
            store_id=store_id,
            resolved_store_id=resolve_store_id(store_id, alias),
            store_id_alias=alias,
            catalog_files=(_VALUES["CATALOGFILES"][catalog_files] if catalog_files
                           else catalog_sync_pb2.CATALOG_FILES_OPTION_UNSPECIFIED),
            type=_VALUES["TYPE"][sync_type] if sync_type else catalog_sync_pb2.SYNC_TYPE_UNSPECIFIED,
            text=self.logical.text[name_token.start:self.end_offset()],
        )


# ---------------------------------------------------------------------------------------------------------------
# Message pieces


def _unexpected_character(ch: str) -> str:
    if ch in _NOTATION:
        return (f"`{ch}` is the manual's syntax notation, not part of the call: write one value, e.g. "
                "`STOREID DS_WIN1_DES, TYPE FULL`")
    if ch in "\"'":
        return ("quotes are not accepted: a store id holds no blank; for a store id with spaces use "
                f"{IMPORT_MACRO} with STOREID_ALIAS 1 (`_` for each space) or 2 (`+` for each space)")
    if ch == "&":
        return "`&` continues a command only as the last character of a line: move what follows to the next line"
    if ch == ";":
        return "several commands on one line (`;`) are not accepted here: put each command on its own line"
    return (f"unexpected character {_show(ch)}: a macro call holds words (letters, digits, `_`, `-`, `+`, `.`), "
            "blanks and commas")


def _show(text: str) -> str:
    """User text inside a message: printable ASCII as typed (shortened), anything else as U+XXXX."""
    if len(text) == 1 and not (33 <= ord(text) < 127):
        return f"U+{ord(text):04X}"
    if not all(33 <= ord(ch) < 127 for ch in text):
        text = "".join(ch if 33 <= ord(ch) < 127 else f"<U+{ord(ch):04X}>" for ch in text[:40])
    return f"`{_cut(text)}`"


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word[:80], list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
