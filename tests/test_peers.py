"""The external corpus: 57 entries (56 files and a LinkedIn export folder) from 16 other
projects' test suites (vCards, CSVs, calendars, LinkedIn exports), each imported with
:func:`netplan.import_files` and checked against the values those projects' own tests
expect.

The corpus lives outside the repository (its files are under GPL, AGPL, LGPL, MPL, Apache,
BSD and MIT licences: read at test time, never copied here), by default in
``../shared/corpus/peers`` beside the checkout; the environment variable
``NETPLAN_PEERS_CORPUS`` names another folder. Where there is no ``MANIFEST.tsv``, the
whole module is skipped, saying which path it looked in and the variable.

``MANIFEST.tsv`` lists each entry: the file (or folder), its ``expected`` values, and for a
calendar the ``window`` to read it in (``start..end``, days ``[start, end)``). Each entry is
one test (its id is the entry's file) that imports it into a fresh ``memory://`` store, as
the corpus's own ``check_peers.py`` does, and checks every assertion of ``expected``
(separated by ``"; "``); a failure lists each assertion that does not hold, with what was
found instead. The assertion language (``check_peers.py``'s docstring; implemented here):

    contacts=N            exactly N contacts stored          events=N      exactly N events
    name=TEXT             a contact has this name            namecount=TEXT|N
    email=ADDR            a contact has this email (any case)
    person=WHO|ADDR       that contact has this email        phone=WHO|PHONE
    company=WHO|ORG       its organization's name            role=WHO|ROLE
    connected=WHO|DAY     a LinkedIn connection logged that day
    touch=WHO|DAY         another interaction (message, invitation) logged that day (UTC)
    event=NAME            an event has this name
    start=INSTANT         an event starts then (2011-10-09T00:30Z)   end=INSTANT
    starts=I,I,...        the set of event starts is exactly this
    day=DAY / noday=DAY   an event is / no event is on that day
    days=D,D,...          the set of event days is exactly this
    daycount=DAY|N        exactly N events on that day
    count_between=A..B|N  exactly N events with A <= day < B
    days_of=TEXT|D,D,...  the days of the events whose name contains TEXT are exactly these
    problems>=N           at least N problems (warnings or errors) reported
    ~anything             stated by the source but not modelled by netplan: ignored

WHO is a contact's exact name, or an email address of it.

How an entry is imported: calendars within the MANIFEST's window (its zone, which only
places floating times, is UTC as in ``check_peers.py``), with ``today`` the window's end;
other entries with netplan's defaults. A file netplan refuses with an
:class:`~netplan.core.errors.ImportAbortedError` counts its problems and is imported again with
``skip_bad=True``, and the other assertions are checked against what that keeps (as
``check_peers.py`` does); a refusal with another netplan error counts as one problem. Any
other exception (a Python warning too: pytest's configuration makes it an error) fails
the test. An entry without expected values (only ``~`` ones) passes
when netplan imports it or refuses it with an error naming the file.

One deliberate difference from ``check_peers.py``, which keeps every plan in UTC: netplan
counts a timed event on its *local day in the plan's time zone* (docs/importing.md: "an
evening in New York is the next morning in a plan in Berlin"), and the days these sources
expect are the days in the calendar's own zone, where the person whose calendar it is
lives. So a calendar entry (one with a window) is imported into a plan in that zone: the calendar's
``X-WR-TIMEZONE`` when it has one, else the TZID of the first DTSTART that has one, else
UTC; a Windows name ("New Zealand Standard Time") is the IANA zone icalendar maps it
to, and a name that is no zone at all (Exchange's "Customized Time Zone") falls back to
UTC.
The day assertions (day, noday, days, daycount, count_between, days_of) read each stored
event's day (``event.on``), and the instant assertions (start, end, starts) its
``starts_at``/``ends_at``, compared and shown in UTC.

Last, a handful of entries (a vCard, a CSV, a calendar, the LinkedIn export folder) are
imported in child processes (this module run as a script) under PYTHONHASHSEED 0 to 3,
and what they store (contacts, events, interactions as sorted plain data) and report must
be the same in every one. It takes about a second, so it carries no marker (pyproject
declares no ``slow`` one).
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import attrs
import pytest

import netplan
from netplan.core.errors import ImportAbortedError, NetplanError, ValidationError
from netplan.core.importing import CalendarWindow

CORPUS_VARIABLE = "NETPLAN_PEERS_CORPUS"
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "peers"
CORPUS = Path(os.environ.get(CORPUS_VARIABLE) or DEFAULT_CORPUS)
MANIFEST = CORPUS / "MANIFEST.tsv"
CONNECTED = "Connected on LinkedIn"  # the note of the interaction a LinkedIn connection logs
PLAN_START = dt.date(1990, 1, 1)

if not MANIFEST.is_file():
    pytest.skip(
        f"the external corpus is not at {CORPUS} (no MANIFEST.tsv there): set "
        f"{CORPUS_VARIABLE} to the folder holding it",
        allow_module_level=True,
    )


def manifest() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows, delimiter="\t"))


ROWS = manifest()


# -- the calendar's own zone ----------------------------------------------------------------


def _unfolded_lines(data: bytes) -> list[str]:
    """The content lines of a calendar, unfolded (a line starting with a space or a TAB
    continues the one before), decoded well enough to read zone names."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    lines: list[str] = []
    for line in re.split(r"\r*\n|\r", text):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def _property(line: str) -> tuple[str, dict[str, str], str]:
    """(NAME, {PARAM: value}, value) of a content line; a quoted parameter value may hold
    ``:`` and ``;`` (Exchange writes ``TZID="W. Europe Standard Time:20200609T090000"``)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    rest = ""
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in ";:":
            parts.append("".join(current))
            current = []
            if char == ":":
                rest = line[index + 1 :]
                break
            continue
        current.append(char)
    else:
        parts.append("".join(current))
    params = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        params[key.strip().upper()] = value.strip().strip('"').strip()
    return parts[0].strip().upper(), params, rest.strip()


def _iana(name: str) -> str | None:
    """``name`` as the IANA zone netplan's Plan accepts (a Windows name such as "New
    Zealand Standard Time" as the IANA zone icalendar maps it to), else None."""
    if not name:
        return None
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    try:
        return netplan.Plan(
            "zone", start=PLAN_START, timezone=WINDOWS_TO_OLSON.get(name, name)
        ).timezone
    except ValidationError:
        return None


def calendar_zone(path: Path) -> tuple[str, str]:
    """(IANA zone, why) of the calendar at ``path``: its X-WR-TIMEZONE, else the TZID of
    its first DTSTART that has one (a Windows zone name mapped to its IANA zone), else
    UTC; a name that is no zone gives UTC."""
    properties = [
        _property(line)
        for line in _unfolded_lines(path.read_bytes())
        if line[:13].upper() == "X-WR-TIMEZONE" or line[:8].upper() == "DTSTART;"
    ]
    calendar = [value for name, _, value in properties if name == "X-WR-TIMEZONE"]
    starts = [p["TZID"] for name, p, _ in properties if name == "DTSTART" and p.get("TZID")]
    if calendar:
        source, written = "X-WR-TIMEZONE", calendar[0]
    elif starts:
        source, written = "the first DTSTART's TZID", starts[0]
    else:
        return "UTC", "no X-WR-TIMEZONE, no TZID"
    zone = _iana(written)
    if zone is None:
        return "UTC", f"{source} {written!r} is not an IANA zone"
    return zone, f"{source} {written!r}"


# -- importing an entry ---------------------------------------------------------------------


@dataclass
class Outcome:
    """What importing an entry gave: the stored log (None when nothing could be stored),
    the problems reported, and the netplan error that refused it, if one did."""

    file: str
    zone: str = "UTC"
    zone_why: str = ""
    log: Any = None
    problems: list[str] = field(default_factory=list)
    error: NetplanError | None = None
    salvage_error: NetplanError | None = None

    @property
    def problem_count(self) -> int:
        refused = self.error is not None and not self.problems
        return len(self.problems) + refused


def window_of(row: dict[str, str]) -> tuple[CalendarWindow | None, dt.date | None]:
    text = row.get("window", "").strip()
    if not text or text == "-":
        return None, None
    start, end = (dt.date.fromisoformat(part) for part in text.split(".."))
    return CalendarWindow(start, end, dt.UTC), end


def _import(path: Path, zone: str, options: dict[str, Any]) -> tuple[Any, Any]:
    with netplan.open("memory://") as store:
        plan = store.save(netplan.Plan("external corpus", start=PLAN_START, timezone=zone))
        imported = netplan.import_files(store, plan.id, path, **options)
        return imported, store.load_log(plan.id)


def run_entry(row: dict[str, str]) -> Outcome:
    out = Outcome(row["file"])
    path = CORPUS / row["file"]
    window, today = window_of(row)
    options: dict[str, Any] = {"skip_bad": False}
    if window is not None:
        options.update(window=window, today=today)
        out.zone, out.zone_why = calendar_zone(path)
    try:
        imported, out.log = _import(path, out.zone, options)
    except NetplanError as error:
        out.error = error
        out.problems = [str(p) for p in getattr(error, "problems", ())]
        try:
            _, out.log = _import(path, out.zone, {**options, "skip_bad": True})
        except NetplanError as again:
            out.salvage_error = again
    else:
        out.problems = [str(p) for report in imported.reports for p in report.problems]
    return out


def names_the_file(error: NetplanError, file: str) -> bool:
    """Whether ``error`` says which file it is about: its message names it, or every
    problem of an aborted import names the file it is in."""
    name = Path(file).name
    if name in str(error):
        return True
    problems = getattr(error, "problems", ())
    if not (isinstance(error, ImportAbortedError) and problems):
        return False
    files = [str(getattr(p.source, "file", "") or "") for p in problems]
    if (CORPUS / file).is_dir():
        return all(files)
    return all(Path(f).name == name for f in files)


# -- the assertion language -----------------------------------------------------------------


def instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


def utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def shown(items: list[str], limit: int = 12) -> str:
    return f"{items[:limit]}{f' (+{len(items) - limit} more)' if len(items) > limit else ''}"


class Checker:
    """Evaluates assertions against an imported entry: each gives None when it holds,
    else what was found instead."""

    def __init__(self, out: Outcome) -> None:
        self.out = out
        self.log = out.log
        self.contacts = list(out.log.contacts)
        self.events = list(out.log.events())
        self.handlers: dict[str, Callable[[str], str | None]] = {
            "contacts": self.count_contacts,
            "events": self.count_events,
            "name": self.name,
            "namecount": self.namecount,
            "email": self.email,
            "event": self.event,
            "start": lambda value: self.instant_of("starts_at", value),
            "end": lambda value: self.instant_of("ends_at", value),
            "starts": self.starts,
            "day": lambda value: self.day(value, present=True),
            "noday": lambda value: self.day(value, present=False),
            "days": self.days,
            "daycount": self.daycount,
            "count_between": self.count_between,
            "days_of": self.days_of,
        }
        for key in ("person", "phone", "company", "role", "connected", "touch"):
            self.handlers[key] = self.of_contact(key)

    def check(self, assertion: str) -> str | None:
        key, _, value = assertion.partition("=")
        key = key.strip()
        if key == "problems>":
            return problems_at_least(self.out, value)
        if key not in self.handlers:
            raise ValueError(f"unknown assertion {assertion!r}")
        return self.handlers[key](value)

    # contacts

    def names(self) -> str:
        return shown([c.name for c in self.contacts], 8)

    def who(self, key: str) -> Any:
        named = [c for c in self.contacts if c.name.strip() == key]
        if named:
            return named[0]
        if "@" in key:
            for contact in self.contacts:
                if key.casefold() in (e.casefold() for e in contact.emails):
                    return contact
        return None

    def count_contacts(self, value: str) -> str | None:
        got = len(self.contacts)
        return None if got == int(value) else f"{got} contacts {self.names()}"

    def name(self, value: str) -> str | None:
        found = any(c.name.strip() == value for c in self.contacts)
        return None if found else f"names {self.names()}"

    def namecount(self, value: str) -> str | None:
        name, n = value.rsplit("|", 1)
        got = sum(c.name.strip() == name for c in self.contacts)
        return None if got == int(n) else f"{got} contacts named {name!r}; names {self.names()}"

    def email(self, value: str) -> str | None:
        want = value.casefold()
        if any(want in (e.casefold() for e in c.emails) for c in self.contacts):
            return None
        return f"no contact has it; emails {shown(sorted({e for c in self.contacts for e in c.emails}), 10)}"

    def organization(self, contact: Any) -> str:
        if not contact.organization:
            return ""
        try:
            return str(self.log.organization(contact.organization).name)
        except NetplanError:
            return f"?{contact.organization}"

    def of_contact(self, key: str) -> Callable[[str], str | None]:
        def check(value: str) -> str | None:
            who, want = value.split("|", 1)
            contact = self.who(who)
            if contact is None:
                return f"no contact {who!r}; names {self.names()}"
            return getattr(self, f"contact_{key}")(contact, want)

        return check

    def contact_person(self, contact: Any, want: str) -> str | None:
        ok = want.casefold() in (e.casefold() for e in contact.emails)
        return None if ok else f"{contact.name!r} has emails {list(contact.emails)}"

    def contact_phone(self, contact: Any, want: str) -> str | None:
        spaced = " ".join(want.split())
        ok = spaced in (" ".join(p.split()) for p in contact.phones)
        return None if ok else f"{contact.name!r} has phones {list(contact.phones)}"

    def contact_company(self, contact: Any, want: str) -> str | None:
        got = self.organization(contact)
        return None if got == want else f"{contact.name!r} has organization {got!r}"

    def contact_role(self, contact: Any, want: str) -> str | None:
        return None if contact.role == want else f"{contact.name!r} has role {contact.role!r}"

    def _interactions_on(self, contact: Any, want: str, connected: bool) -> str | None:
        day = dt.date.fromisoformat(want)
        found = list(self.log.interactions(contact=contact.id))
        if any((i.notes == CONNECTED) == connected and i.at.date() == day for i in found):
            return None
        logged = sorted(
            {
                (i.at.date().isoformat(), "connected" if i.notes == CONNECTED else i.kind.value)
                for i in found
            }
        )
        return f"{contact.name!r} has interactions {logged}"

    def contact_connected(self, contact: Any, want: str) -> str | None:
        return self._interactions_on(contact, want, connected=True)

    def contact_touch(self, contact: Any, want: str) -> str | None:
        return self._interactions_on(contact, want, connected=False)

    # events

    def days_text(self) -> str:
        return shown(sorted(e.on.isoformat() for e in self.events))

    def instants(self, attribute: str) -> str:
        found = (getattr(e, attribute) for e in self.events)
        return shown(sorted(utc_text(at) for at in found if at is not None), 10)

    def count_events(self, value: str) -> str | None:
        got = len(self.events)
        return None if got == int(value) else f"{got} events on days {self.days_text()}"

    def event(self, value: str) -> str | None:
        if any(e.name == value for e in self.events):
            return None
        return f"event names {shown(sorted({e.name for e in self.events}), 8)}"

    def instant_of(self, attribute: str, value: str) -> str | None:
        want = instant(value)
        if any(getattr(e, attribute) == want for e in self.events):
            return None
        return f"{attribute} {self.instants(attribute)}"

    def starts(self, value: str) -> str | None:
        want = {instant(v) for v in value.split(",")}
        got = {e.starts_at for e in self.events if e.starts_at is not None}
        return None if got == want else f"starts_at {self.instants('starts_at')}"

    def day(self, value: str, *, present: bool) -> str | None:
        day = dt.date.fromisoformat(value)
        found = any(e.on == day for e in self.events)
        return None if found == present else f"days {self.days_text()}"

    def days(self, value: str) -> str | None:
        want = {dt.date.fromisoformat(v) for v in value.split(",")}
        got = {e.on for e in self.events}
        return None if got == want else f"days {self.days_text()}"

    def daycount(self, value: str) -> str | None:
        day_text, n = value.split("|")
        day = dt.date.fromisoformat(day_text)
        got = sum(e.on == day for e in self.events)
        return None if got == int(n) else f"{got} events on {day_text}; days {self.days_text()}"

    def count_between(self, value: str) -> str | None:
        span, n = value.split("|")
        start, end = (dt.date.fromisoformat(x) for x in span.split(".."))
        got = sum(start <= e.on < end for e in self.events)
        return None if got == int(n) else f"{got} events in [{start}, {end})"

    def days_of(self, value: str) -> str | None:
        text, days = value.split("|", 1)
        want = {dt.date.fromisoformat(v) for v in days.split(",")}
        got = {e.on for e in self.events if text in e.name}
        if got == want:
            return None
        return f"days of events named *{text}*: {shown(sorted(d.isoformat() for d in got))}"


def problems_at_least(out: Outcome, value: str) -> str | None:
    got = out.problem_count
    if got >= int(value):
        return None
    return f"{got} problems reported" + (f": {shown(out.problems, 3)}" if out.problems else "")


def assertions_of(row: dict[str, str]) -> list[str]:
    """The entry's expected assertions, without the ``~`` ones (not modelled)."""
    expected = row.get("expected", "").strip()
    if expected == "-":
        return []
    found = (a.strip() for a in expected.split("; "))
    return [a for a in found if a and not a.startswith("~")]


def mismatches(row: dict[str, str], out: Outcome) -> list[str]:
    """Each assertion of ``row`` that ``out`` does not meet, with what was found."""
    found: list[str] = []
    checker = Checker(out) if out.log is not None else None
    for assertion in assertions_of(row):
        if assertion.startswith("problems>="):
            problem = problems_at_least(out, assertion.partition("=")[2])
        elif checker is None:
            problem = "nothing, as nothing was imported"
        else:
            problem = checker.check(assertion)
        if problem is not None:
            found.append(f"{assertion}: found {problem}")
    return found


def describe(out: Outcome) -> str:
    lines = []
    if out.zone_why:
        lines.append(f"plan zone {out.zone} ({out.zone_why})")
    if out.error is not None:
        lines.append(f"refused: {type(out.error).__name__}: {str(out.error)[:300]}")
        if out.salvage_error is None:
            lines.append("imported again with skip_bad=True")
        elif str(out.salvage_error) == str(out.error):
            lines.append("skip_bad=True refused it too")
        else:
            lines.append(
                f"skip_bad=True refused it too: {type(out.salvage_error).__name__}: "
                f"{str(out.salvage_error)[:300]}"
            )
    if out.log is not None:
        lines.append(
            f"stored {len(out.log.contacts)} contacts, {len(out.log.events())} events, "
            f"{len(out.log.interactions())} interactions; {len(out.problems)} problems"
        )
    return "; ".join(lines)


# -- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_entry_meets_its_expected_values(row: dict[str, str]) -> None:
    out = run_entry(row)
    if not assertions_of(row):
        if out.error is not None and not names_the_file(out.error, row["file"]):
            pytest.fail(
                f"{row['file']}: refused with an error that does not name the file: "
                f"{type(out.error).__name__}: {out.error}"
            )
        return
    wrong = mismatches(row, out)
    if wrong:
        listed = "\n  ".join(wrong)
        pytest.fail(f"{row['file']} ({describe(out)}):\n  {listed}", pytrace=False)


# -- the same result under every hash seed --------------------------------------------------

SEEDED = (
    "vcard/monica_vcard_stub.vcf",
    "csv/mtrazzi_google_contacts.csv",
    "ics/icaljs_recur_instances_finite.ics",
    "linkedin/labeldekho_export",
)
SEEDS = ("0", "1", "2", "3")


def plain(value: Any) -> Any:
    """``value`` as JSON data whose text does not depend on the hash seed: attrs records
    as dicts, enums as their values, sets sorted, dates in ISO form."""
    if attrs.has(type(value)):
        return {f.name: plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=_key)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def snapshot(file: str) -> dict[str, Any]:
    """What importing ``file`` stores (and how it went), as plain sorted data."""
    row = next(r for r in ROWS if r["file"] == file)
    out = run_entry(row)
    stored: dict[str, Any] = {
        "error": None if out.error is None else f"{type(out.error).__name__}: {out.error}",
        "problems": sorted(out.problems),
    }
    if out.log is not None:
        stored["contacts"] = sorted((plain(c) for c in out.log.contacts), key=_key)
        stored["events"] = sorted((plain(e) for e in out.log.events()), key=_key)
        stored["interactions"] = sorted((plain(i) for i in out.log.interactions()), key=_key)
    return stored


def _differences(first: Any, other: Any, where: str = "") -> Iterator[str]:
    if isinstance(first, dict) and isinstance(other, dict):
        for key in sorted(first.keys() | other.keys()):
            yield from _differences(first.get(key), other.get(key), f"{where}.{key}")
    elif isinstance(first, list) and isinstance(other, list) and len(first) == len(other):
        for index, (a, b) in enumerate(zip(first, other, strict=True)):
            yield from _differences(a, b, f"{where}[{index}]")
    elif first != other:
        yield f"{where}: {_key(first)[:200]} vs {_key(other)[:200]}"


def test_stored_results_do_not_depend_on_the_hash_seed() -> None:
    children = {
        seed: subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), *SEEDED],
            env={**os.environ, "PYTHONHASHSEED": seed, CORPUS_VARIABLE: str(CORPUS)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in SEEDS
    }
    results: dict[str, dict[str, Any]] = {}
    for seed, child in children.items():
        stdout, stderr = child.communicate(timeout=120)
        assert child.returncode == 0, f"PYTHONHASHSEED={seed}: the import failed\n{stderr}"
        results[seed] = json.loads(stdout)
    first = results[SEEDS[0]]
    differing = []
    for seed in SEEDS[1:]:
        for file in SEEDED:
            found = list(_differences(first[file], results[seed][file]))
            if found:
                differing.append(
                    f"{file}: PYTHONHASHSEED={SEEDS[0]} vs {seed}: {len(found)} differences, "
                    f"first {found[0]}"
                )
    assert not differing, "\n".join(differing)
    assert any(first[file].get("contacts") for file in SEEDED), "nothing stored to compare"


if __name__ == "__main__":  # the child of the hash-seed test: snapshots as JSON
    print(json.dumps({file: snapshot(file) for file in sys.argv[1:]}, ensure_ascii=False))
