"""MEDIACOM, the DSM/TC operator console (domain-facts §3): a parser for the commands an operator types and a
formatter for what the terminal shows. Commands run against a node's `MediaCatalogStore`, one transaction each,
so a rejected command (`**ERROR-nnnn** text`) changes nothing.

Input: several commands per text, separated by `;` or new lines; a line ending in `&` continues on the next.
Keywords are case-insensitive and written in full. Any input gives either output or an `**ERROR-` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable, Sequence

from emulator.dsmtc_entries import (
    MAX_FILE_ID, MAX_GENERATION, MAX_RETENTION_DAYS, MAX_VERSION, Err, LabelLocation, TapeFile, TapeVolume,
    check_range, parse_file_id, parse_volser, super_group,
)
from emulator.errors import AlreadyExists, Conflict, EmulatorError, InvalidArgument, NotFound, SecurityViolation

if TYPE_CHECKING:
    from emulator.media_catalog import MediaCatalogStore

BANNER = "MEDIACOM - T6028D45"
PROMPT = "MC>"
MAX_LINES = 10_000  # INFO output is cut here with a note: narrow the pattern
_USER_ERRORS = (InvalidArgument, NotFound, AlreadyExists, Conflict, SecurityViolation)
_TOKEN = re.compile(r"\s*(?:(?P<punct>[,()])|(?P<word>[^\s,()]+))")
_VOLSER_PATTERN = re.compile(r"^[A-Z0-9*?]{1,6}$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

SYNTAX = {
    ("INFO", "TAPEVOLUME"): "INFO TAPEVOLUME tname | (tname, ...) [, VOLCAT vc] [, DETAIL]",
    ("ADD", "TAPEVOLUME"): "ADD TAPEVOLUME tname, POOL p [, VOLCAT vc] [, TYPE t] [, DENSITY d] [, LABEL l]"
                           " [, STATUS s]",
    ("ALTER", "TAPEVOLUME"): "ALTER TAPEVOLUME tname | (tname, ...), STATUS {BAD|RELEASED|SCRATCH|FULL|ASSIGNED}"
                             " [, VOLCAT vc]",
    ("DELETE", "TAPEVOLUME"): "DELETE TAPEVOLUME tname [, VOLCAT vc]",
    ("INFO", "TAPEFILE"): "INFO TAPEFILE fileid [, GEN n] [, FILECAT fc]",
    ("ALTER", "TAPEFILE"): "ALTER TAPEFILE fileid [, GEN n], {EXPIRATION yyyy-mm-dd | RETENTION {n|PERMANENT} |"
                           " STATUS VALID, VERSION v | STATUS INVALID} [, VOLUMESET] [, FILECAT fc]",
    ("DELETE", "TAPEFILE"): "DELETE TAPEFILE fileid [, GEN n] [, FILECAT fc]",
    ("EXPIRE", "TAPEFILE"): "EXPIRE TAPEFILE [filecat]",
    ("INFO", "DISKFILE"): "INFO DISKFILE \\node.$vol.subvol.file [, STATUS ALL] [, TAPEFILE fileid] [, GEN n]"
                          " [, FILECAT fc]",
    ("INFO", "MEDIADEFS"): "INFO MEDIADEFS",
    ("ALTER", "MEDIADEFS"): "ALTER MEDIADEFS , SSL (\\node[.volcat], ...) | VOLCAT vc | FILECAT fc | POOL p |"
                            " RETENTION {n|PERMANENT} | ABENDRETENTION n | LEVEL l | AUTOMATED {ON|OFF} |"
                            " COMPRESSION {OFF|IDRC}",
    ("INFO", "POOL"): "INFO POOL [pname | *] [, VOLCAT vc]",
}
# option keyword -> kind of value: "flag" (none), "word" (one), "list" (a parenthesised list or one word)
_OPTIONS = {
    ("INFO", "TAPEVOLUME"): {"VOLCAT": "word", "DETAIL": "flag"},
    ("ADD", "TAPEVOLUME"): {"POOL": "word", "VOLCAT": "word", "TYPE": "word", "DENSITY": "word", "LABEL": "word",
                            "STATUS": "word"},
    ("ALTER", "TAPEVOLUME"): {"STATUS": "word", "VOLCAT": "word"},
    ("DELETE", "TAPEVOLUME"): {"VOLCAT": "word"},
    ("INFO", "TAPEFILE"): {"GEN": "word", "FILECAT": "word", "DETAIL": "flag"},
    ("ALTER", "TAPEFILE"): {"GEN": "word", "EXPIRATION": "word", "RETENTION": "word", "STATUS": "word",
                            "VERSION": "word", "VOLUMESET": "flag", "FILECAT": "word"},
    ("DELETE", "TAPEFILE"): {"GEN": "word", "FILECAT": "word"},
    ("EXPIRE", "TAPEFILE"): {},
    ("INFO", "DISKFILE"): {"STATUS": "word", "TAPEFILE": "word", "GEN": "word", "FILECAT": "word"},
    ("INFO", "MEDIADEFS"): {},
    ("ALTER", "MEDIADEFS"): {"SSL": "list", "VOLCAT": "word", "FILECAT": "word", "POOL": "word",
                             "RETENTION": "word", "ABENDRETENTION": "word", "LEVEL": "word", "AUTOMATED": "word",
                             "COMPRESSION": "word"},
    ("INFO", "POOL"): {"VOLCAT": "word"},
}
_SUBJECT = {  # "required", "optional", "none"; "list" allows (a, b, ...)
    ("INFO", "TAPEVOLUME"): "required list", ("ADD", "TAPEVOLUME"): "required",
    ("ALTER", "TAPEVOLUME"): "required list", ("DELETE", "TAPEVOLUME"): "required",
    ("INFO", "TAPEFILE"): "required", ("ALTER", "TAPEFILE"): "required", ("DELETE", "TAPEFILE"): "required",
    ("EXPIRE", "TAPEFILE"): "optional", ("INFO", "DISKFILE"): "required", ("INFO", "MEDIADEFS"): "none",
    ("ALTER", "MEDIADEFS"): "none", ("INFO", "POOL"): "optional",
}


class MediacomSyntax(InvalidArgument):
    """A command MEDIACOM cannot parse."""


@dataclass(frozen=True)
class MediacomResult:
    output: str
    ok: bool
    error_code: int


@dataclass(frozen=True)
class Command:
    verb: str
    obj: str
    subject: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)


def split_commands(text: str) -> list[str]:
    """`&` joins a line with the next; new lines and `;` separate commands; blank ones are dropped."""
    lines: list[str] = []
    pending = ""
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.rstrip()
        if stripped.endswith("&"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + line)
        pending = ""
    if pending:
        lines.append(pending)
    return [c.strip() for line in lines for c in line.split(";") if c.strip() and not c.strip().startswith("==")]


def parse(text: str) -> Command:
    """One command -> Command; MediacomSyntax names the syntax expected."""
    tokens = _tokens(text)
    if len(tokens) < 2 or tokens[0] in ",()" or tokens[1] in ",()":
        raise _unknown(text)
    verb, obj = tokens[0].upper(), tokens[1].upper()
    key = (verb, obj)
    if key not in SYNTAX:
        raise _unknown(text)
    rest = tokens[2:]
    subject: list[str] = []
    shape = _SUBJECT[key]
    if rest and rest[0] != ",":
        if shape == "none":
            rest = [",", *rest]  # ALTER MEDIADEFS SSL (...) without the comma
        elif rest[0] == "(":
            if "list" not in shape:
                raise _syntax(key, "one name only")
            subject, rest = _paren_list(rest, key)
        elif rest[0] == ")":
            raise _syntax(key, "unexpected )")
        else:
            subject, rest = [rest[0]], rest[1:]
    if shape.startswith("required") and not subject:
        raise _syntax(key, "a name is missing")
    options: dict[str, object] = {}
    allowed = _OPTIONS[key]
    while rest:
        if rest[0] != ",":
            raise _syntax(key, f"unexpected {rest[0]!r}")
        rest = rest[1:]
        if not rest or rest[0] in ",()":
            raise _syntax(key, "an option keyword is missing after a comma")
        word, rest = rest[0].upper(), rest[1:]
        if word not in allowed:
            raise _syntax(key, f"{word} is not an option of {verb} {obj}")
        if word in options:
            raise _syntax(key, f"{word} is given twice")
        kind = allowed[word]
        if kind == "flag":
            options[word] = True
        elif rest and rest[0] == "(" and kind == "list":
            options[word], rest = _paren_list(rest, key)
        elif not rest or rest[0] in ",()":
            raise _syntax(key, f"{word} needs a value")
        else:
            options[word], rest = rest[0], rest[1:]
            if rest and rest[0] not in ",":
                if word == "STATUS" and key == ("ALTER", "TAPEFILE"):
                    raise _syntax(key, "STATUS VALID needs `, VERSION v`")
                raise _syntax(key, f"unexpected {rest[0]!r} after {word}")
    return Command(verb, obj, tuple(subject), options)


def _tokens(text: str) -> list[str]:
    tokens = []
    for match in _TOKEN.finditer(text):
        tokens.append(match.group("punct") or match.group("word"))
    return tokens


def _paren_list(tokens: list[str], key: tuple[str, str]) -> tuple[list[str], list[str]]:
    """`( a , b )` at the head of tokens -> ([a, b], the rest)."""
    items: list[str] = []
    i = 1
    while True:
        if i >= len(tokens) or tokens[i] in ",()":
            raise _syntax(key, "a name is missing in the list")
        items.append(tokens[i])
        if i + 1 >= len(tokens):
            raise _syntax(key, "the list is not closed with )")
        if tokens[i + 1] == ")":
            return items, tokens[i + 2:]
        if tokens[i + 1] != ",":
            raise _syntax(key, f"unexpected {tokens[i + 1]!r} in the list")
        i += 2


def _syntax(key: tuple[str, str], why: str) -> MediacomSyntax:
    return MediacomSyntax(f"**ERROR-{Err.SYNTAX:04d}** Syntax error ({why}): expected {SYNTAX[key]}",
                          mediacom_error=Err.SYNTAX)


def _unknown(text: str) -> MediacomSyntax:
    shown = " ".join(text.split()[:2])[:40]
    return MediacomSyntax(f"**ERROR-{Err.UNKNOWN_COMMAND:04d}** Unknown command {shown!r}: use INFO, ADD, ALTER,"
                          " DELETE or EXPIRE with TAPEVOLUME, TAPEFILE, DISKFILE, MEDIADEFS or POOL (e.g. INFO"
                          " TAPEVOLUME *)", mediacom_error=Err.UNKNOWN_COMMAND)


def _error_line(exc: EmulatorError) -> tuple[str, int]:
    number = exc.mediacom_error or (Err.SECURITY if isinstance(exc, SecurityViolation) else Err.FIELD)
    text = exc.message if exc.message.startswith("**ERROR-") else f"**ERROR-{number:04d}** {exc.message}"
    return text, number


def _int(value: object, what: str, low: int, high: int) -> int:
    text = str(value)
    if not re.fullmatch(r"-?\d{1,12}", text):
        raise InvalidArgument(f"**ERROR-{Err.FIELD:04d}** {what} {text!r} is not a number: give {low} to {high}",
                              mediacom_error=Err.FIELD)
    return check_range(what, int(text), low, high)


class Mediacom:
    """A MEDIACOM session on one node; `label_checker` asks the other SSL nodes about a label (R3)."""

    def __init__(self, store: MediaCatalogStore,
                 label_checker: Callable[[str], Sequence[LabelLocation]] | None = None):
        self.store = store
        self.label_checker = label_checker

    def run(self, text: str, user: str = "SUPER.SUPER") -> MediacomResult:
        """Run every command of `text`; the output of each follows the other, errors included."""
        out: list[str] = []
        first_error = 0
        for command in split_commands(text):
            try:
                out.extend(self.execute(parse(command), user))
            except _USER_ERRORS as exc:
                line, number = _error_line(exc)
                out.append(line)
                first_error = first_error or number
        return MediacomResult("\n".join(out), first_error == 0, first_error)

    def execute(self, cmd: Command, user: str) -> list[str]:
        if cmd.verb != "INFO" and not super_group(user):
            raise SecurityViolation(f"**ERROR-{Err.SECURITY:04d}** {cmd.verb} {cmd.obj} needs a super group user"
                                    f" (SUPER.* or 255,n): {user} may not do it", mediacom_error=Err.SECURITY)
        handler = getattr(self, f"_{cmd.verb.lower()}_{cmd.obj.lower()}")
        return handler(cmd, user)

    # -- time -----------------------------------------------------------------------------------------------
    def _local(self, moment: datetime | None) -> str:
        if moment is None:
            return "-"
        node = self.store.node
        return (moment + timedelta(seconds=node.clock.offset(node.name))).strftime("%Y-%m-%d %H:%M")

    def _date(self, text: str) -> datetime:
        """`yyyy-mm-dd` -> midnight of that day in the node's local time, as UTC."""
        match = _DATE.match(text)
        try:
            if match is None:
                raise ValueError(text)
            day = datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=timezone.utc)
        except ValueError:
            raise InvalidArgument(f"**ERROR-{Err.FIELD:04d}** EXPIRATION {text!r} is not a date: write yyyy-mm-dd",
                                  mediacom_error=Err.FIELD) from None
        node = self.store.node
        return day - timedelta(seconds=node.clock.offset(node.name))

    # -- TAPEVOLUME -----------------------------------------------------------------------------------------
    def _info_tapevolume(self, cmd: Command, user: str) -> list[str]:
        volcat = str(cmd.options.get("VOLCAT", ""))
        detail = "DETAIL" in cmd.options
        volumes: list[tuple[TapeVolume, list[TapeFile]]] = []
        for name in cmd.subject:
            pattern = name.upper()
            if not _VOLSER_PATTERN.match(pattern):
                parse_volser(pattern)  # the precise error
            if "*" in pattern or "?" in pattern:
                page, _total = self.store.list_volumes(volcat, pattern=pattern, limit=MAX_LINES)
                volumes.extend(self.store.get_volume(v.volser, v.volcat) for v in page)
            else:
                volumes.append(self.store.get_volume(pattern, volcat))
        if not volumes:
            raise NotFound(f"**ERROR-{Err.VOLUME_UNDEFINED:04d}** No TAPEVOLUME matches {', '.join(cmd.subject)}",
                           mediacom_error=Err.VOLUME_UNDEFINED)
        out = [f"{'TAPEVOLUME':<11} {'VOLCAT':<30} {'POOL':<20} {'LABEL':<7} {'TYPE':<9} {'DENSITY':<8}"
               f" {'STATUS':<9} FORMAT"]
        for volume, files in volumes:
            out.append(f"{volume.volser:<11} {volume.volcat:<30} {volume.pool:<20} {volume.label:<7}"
                       f" {volume.media_type:<9} {volume.density:<8} {volume.status:<9} {volume.tape_format or '-'}")
            if detail:
                out.append(f"{'':<11} VOLSET {volume.volset_id or '-'}  INDEX {volume.vol_index}  OWNER"
                           f" {volume.owner_id or '-'}  CHANGED {self._local(volume.last_changed)}")
            shown = [f for f in files if detail or f.status == "VALID"]
            if shown:
                out.append(f"{'':<11} {'FILECAT':<30} {'FILEID':<40} {'GEN':>5} {'VER':>4}  STATUS")
                out.extend(f"{'':<11} {f.filecat:<30} {f.file_id:<40} {f.generation:>5} {f.version:>4}  {f.status}"
                           for f in shown)
        return out

    def _add_tapevolume(self, cmd: Command, user: str) -> list[str]:
        o = cmd.options
        if "POOL" not in o:
            raise _syntax(("ADD", "TAPEVOLUME"), "POOL is missing")
        volser = parse_volser(cmd.subject[0])
        remote = self.label_checker(volser) if self.label_checker else ()
        volume = self.store.add_volume(
            TapeVolume(volser, str(o.get("VOLCAT", "")), str(o["POOL"]), str(o.get("LABEL", "")),
                       str(o.get("TYPE", "")), str(o.get("DENSITY", "")), str(o.get("STATUS", ""))),
            user, remote)
        return [f"TAPEVOLUME {volume.volser} added to POOL {volume.pool} of {volume.volcat}, STATUS {volume.status}."]

    def _alter_tapevolume(self, cmd: Command, user: str) -> list[str]:
        if "STATUS" not in cmd.options:
            raise _syntax(("ALTER", "TAPEVOLUME"), "STATUS is missing")
        volumes = self.store.alter_volumes(list(cmd.subject), str(cmd.options["STATUS"]),
                                           str(cmd.options.get("VOLCAT", "")), user)
        return [f"TAPEVOLUME {v.volser} of {v.volcat} altered, STATUS {v.status}." for v in volumes]

    def _delete_tapevolume(self, cmd: Command, user: str) -> list[str]:
        volume = self.store.delete_volume(cmd.subject[0], str(cmd.options.get("VOLCAT", "")), user)
        return [f"TAPEVOLUME {volume.volser} deleted from {volume.volcat}."]

    # -- TAPEFILE -------------------------------------------------------------------------------------------
    def _gen(self, cmd: Command) -> int:
        return _int(cmd.options["GEN"], "GEN", 1, MAX_GENERATION) if "GEN" in cmd.options else 0

    def _info_tapefile(self, cmd: Command, user: str) -> list[str]:
        filecat = str(cmd.options.get("FILECAT", ""))
        gen = self._gen(cmd)
        pattern = cmd.subject[0]
        if "*" not in pattern and "?" not in pattern:
            pattern = parse_file_id(pattern)  # an exact id obeys the file id rules
        elif len(pattern) > MAX_FILE_ID:
            parse_file_id(pattern)
        files, _total = self.store.list_files(filecat, pattern=pattern, limit=MAX_LINES)
        files = [f for f in files if not gen or f.generation == gen]
        if not files:
            which = f" GEN {gen}" if gen else ""
            raise NotFound(f"**ERROR-{Err.FILE_UNDEFINED:04d}** TAPEFILE {cmd.subject[0].upper()}{which} is not"
                           " cataloged: check the file id (INFO TAPEFILE * lists them)",
                           mediacom_error=Err.FILE_UNDEFINED)
        out = [f"{'FILEID':<40} {'GEN':>5} {'VER':>4} {'COPY':>5}  {'STATUS':<8} {'EXPIRATION':<17} FILECAT"]
        for f in files:
            expires = "PERMANENT" if f.permanent else self._local(f.expiration_time)
            out.append(f"{f.file_id:<40} {f.generation:>5} {f.version:>4} {f.physical_copy:>3}/{f.logical_copy}"
                       f"  {f.status:<8} {expires:<17} {f.filecat}")
            vols = " ".join(f"{t.volser}({t.vol_index})" for t in f.volumes)
            out.append(f"    VOLUMES {vols}   VOLCAT {f.volcat}  POOL {f.pool or '-'}  CREATED"
                       f" {self._local(f.creation_time)}")
            if f.comment:
                out.append(f"    COMMENT {f.comment}")
        return out

    def _alter_tapefile(self, cmd: Command, user: str) -> list[str]:
        o = cmd.options
        key = ("ALTER", "TAPEFILE")
        given = [k for k in ("EXPIRATION", "RETENTION", "STATUS") if k in o]
        if len(given) != 1:
            raise _syntax(key, "give exactly one of EXPIRATION, RETENTION or STATUS")
        version = _int(o["VERSION"], "VERSION", 0, MAX_VERSION) if "VERSION" in o else None
        kwargs: dict = {"volume_set": "VOLUMESET" in o, "user": user}
        if "EXPIRATION" in o:
            kwargs["expiration"] = self._date(str(o["EXPIRATION"]))
        elif "RETENTION" in o:
            if str(o["RETENTION"]).upper() == "PERMANENT":
                kwargs["permanent"] = True
            else:
                kwargs["retention_days"] = _int(o["RETENTION"], "RETENTION", 1, MAX_RETENTION_DAYS)
        else:
            kwargs["status"] = str(o["STATUS"])
            if kwargs["status"].upper() == "VALID" and version is None:
                raise _syntax(key, "STATUS VALID needs VERSION v")
        files = self.store.alter_file(str(o.get("FILECAT", "")), cmd.subject[0], self._gen(cmd), version, **kwargs)
        return [f"TAPEFILE {f.file_id} GEN {f.generation} VERSION {f.version} altered: STATUS {f.status},"
                f" EXPIRATION {'PERMANENT' if f.permanent else self._local(f.expiration_time)}." for f in files]

    def _delete_tapefile(self, cmd: Command, user: str) -> list[str]:
        gen = self._gen(cmd)
        result = self.store.delete_file(str(cmd.options.get("FILECAT", "")), cmd.subject[0], gen,
                                        all_generations=not gen, user=user)
        if not result.files:
            return [f"TAPEFILE {cmd.subject[0].upper()} has no VALID entry left: nothing deleted."]
        out = [f"TAPEFILE {f.file_id} GEN {f.generation} VERSION {f.version} deleted (INVALID)." for f in result.files]
        out += [f"TAPEVOLUME {v.volser} is now {v.status}." for v in result.volumes]
        return out

    def _expire_tapefile(self, cmd: Command, user: str) -> list[str]:
        result = self.store.expire(cmd.subject[0] if cmd.subject else "")
        out = [f"EXPIRE TAPEFILE: {len(result.invalidated)} tape files expired, {len(result.removed)} entries"
               f" removed, {len(result.volumes_changed)} volumes freed."]
        out += [f"TAPEVOLUME {v.volser} of {v.volcat} is now {v.status}." for v in result.volumes_changed]
        return out

    # -- DISKFILE -------------------------------------------------------------------------------------------
    def _info_diskfile(self, cmd: Command, user: str) -> list[str]:
        o = cmd.options
        status = str(o.get("STATUS", "")).upper()
        if status not in ("", "ALL"):
            raise _syntax(("INFO", "DISKFILE"), "STATUS takes ALL")
        chunks = self.store.disk_files(str(o.get("FILECAT", "")), cmd.subject[0], str(o.get("TAPEFILE", "")),
                                       self._gen(cmd), all_statuses=status == "ALL", chunk_size=1000)
        out = [f"{'DISKFILE':<36} {'FILEID':<30} {'GEN':>5} {'VER':>4}  {'TIME DUMPED':<17} STATUS"]
        for chunk in chunks:
            for d in chunk:
                if len(out) > MAX_LINES:
                    out.append(f"... more than {MAX_LINES} entries: narrow the pattern")
                    return out
                out.append(f"{d.disk_file_name:<36} {d.file_id:<30} {d.generation:>5} {d.version:>4}"
                           f"  {self._local(d.time_dumped):<17} {'VA' if d.status == 'VALID' else 'IN'}")
        if len(out) == 1:
            return [f"No DISKFILE entries match {cmd.subject[0].upper()}."]
        return out

    # -- MEDIADEFS, POOL ------------------------------------------------------------------------------------
    def _info_mediadefs(self, cmd: Command, user: str) -> list[str]:
        d = self.store.media_defs()
        retention = "PERMANENT" if d.retention_permanent else str(d.retention_days)
        return [f"MEDIADEFS {d.node}",
                f"  VOLCAT          {d.default_volcat or '-'}",
                f"  FILECAT         {d.default_filecat or '-'}",
                f"  POOL            {d.default_pool or '-'}",
                f"  LEVEL           {d.level}",
                f"  RETENTION       {retention}",
                f"  ABENDRETENTION  {d.abend_retention_days}",
                f"  AUTOMATED       {'ON' if d.automated else 'OFF'}",
                f"  COMPRESSION     {d.compression}",
                f"  SSL             ({', '.join(d.ssl)})"]

    def _alter_mediadefs(self, cmd: Command, user: str) -> list[str]:
        o = cmd.options
        if not o:
            raise _syntax(("ALTER", "MEDIADEFS"), "nothing to alter")
        changes: dict = {}
        names = {"VOLCAT": "default_volcat", "FILECAT": "default_filecat", "POOL": "default_pool",
                 "LEVEL": "level", "COMPRESSION": "compression"}
        for word, attr in names.items():
            if word in o:
                changes[attr] = str(o[word]).upper()
        if "SSL" in o:
            changes["ssl"] = tuple(o["SSL"]) if isinstance(o["SSL"], list) else (str(o["SSL"]),)
        if "RETENTION" in o:
            if str(o["RETENTION"]).upper() == "PERMANENT":
                changes["retention_permanent"] = True
            else:
                changes["retention_days"] = _int(o["RETENTION"], "RETENTION", 1, MAX_RETENTION_DAYS)
                changes["retention_permanent"] = False
        if "ABENDRETENTION" in o:
            changes["abend_retention_days"] = _int(o["ABENDRETENTION"], "ABENDRETENTION", 0, MAX_RETENTION_DAYS)
        if "AUTOMATED" in o:
            flag = str(o["AUTOMATED"]).upper()
            if flag not in ("ON", "OFF"):
                raise _syntax(("ALTER", "MEDIADEFS"), "AUTOMATED takes ON or OFF")
            changes["automated"] = flag == "ON"
        self.store.alter_media_defs(changes, user)
        return ["MEDIADEFS altered.", *self._info_mediadefs(cmd, user)]

    def _info_pool(self, cmd: Command, user: str) -> list[str]:
        pattern = cmd.subject[0].upper() if cmd.subject else "*"
        volcat = str(cmd.options.get("VOLCAT", ""))
        pools = [p for p in self.store.list_pools(volcat) if re.fullmatch(_glob_re(pattern), p.name)]
        if not pools:
            raise NotFound(f"**ERROR-{Err.POOL_UNDEFINED:04d}** No POOL matches {pattern}: INFO POOL * lists them",
                           mediacom_error=Err.POOL_UNDEFINED)
        out = [f"{'POOL':<20} {'VOLCAT':<30} {'LABEL':<7} {'DENSITY':<8} {'TYPE':<9} {'AUTOSCRATCH':<12}"
               f" {'SEARCHSPACE':<12} {'APPEND':<7} VOLUMES"]
        for p in pools:
            _page, count = self.store.list_volumes(p.volcat, pool=p.name, limit=0)
            out.append(f"{p.name:<20} {p.volcat:<30} {p.label:<7} {p.density:<8} {p.media_type:<9}"
                       f" {'ON' if p.autoscratch else 'OFF':<12} {'IN' if p.searchspace_in else 'EX':<12}"
                       f" {'ON' if p.append else 'OFF':<7} {count}")
        return out


def _glob_re(pattern: str) -> str:
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
