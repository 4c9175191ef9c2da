"""A custom importer: a meetup's attendee list, ``attendees.csv``.

The format, as a small meetup platform exports it::

    Name,Profile URL,RSVP
    Lena Berg,https://meetup.example/members/1042,Yes
    Omar Haddad,,No

The three columns may come in any order and any case. Everyone who answered ``Yes``
becomes a person to import, with their profile URL if it is a web address. ``No`` and
``Waitlist`` rows are left out without a word: they are not people you met there.

What cannot be read is a :class:`~netplan.core.importing.Problem` naming the file, the line
and the column, never an exception:

* a row with the wrong number of cells, or without a name: an error (netplan stops the
  import unless ``skip_bad=True``, which leaves the row out);
* an RSVP other than Yes, No or Waitlist: a warning, and the row is left out;
* a profile URL that is not ``http(s)://``: a warning, and the person is kept without it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from netplan.core.importing import Parsed, Person, Problem, ProblemLevel, Source, decode_text

__all__ = ["COLUMNS", "MeetupAttendees", "meetup_attendees"]

COLUMNS = ("name", "profile url", "rsvp")
"""The header's columns, compared without case or surrounding spaces."""

_ATTENDING = "yes"
_NOT_ATTENDING = frozenset({"no", "waitlist"})


def _header(line: str) -> list[str]:
    return [cell.strip().casefold() for cell in next(csv.reader([line]), [])]


@dataclass(frozen=True)
class MeetupAttendees:
    """A meetup's ``attendees.csv`` (Name, Profile URL, RSVP); see the module."""

    name: str = "example:meetup_attendees"
    description: str = "A meetup's attendee list: Name,Profile URL,RSVP (the Yes rows)."

    def sniff(self, name: str, head: bytes) -> float:
        """0.9 when the first line is this format's header, else 0.

        0 rather than netplan's customary 0.1 for any other ``.csv``: a plugin's importer
        should not compete for files it does not know.
        """
        text, _ = decode_text(head)
        first = text.split("\n", 1)[0]
        return 0.9 if sorted(_header(first)) == sorted(COLUMNS) else 0.0

    def read(self, name: str, data: bytes) -> Parsed:
        """The attendees who answered Yes, and every problem met (see the module)."""
        text, _ = decode_text(data)
        rows = csv.reader(io.StringIO(text))
        people: list[Person] = []
        problems: list[Problem] = []
        line = 1  # where the next row starts: a quoted cell may span lines
        try:
            header = [cell.strip().casefold() for cell in next(rows, [])]
            if sorted(header) != sorted(COLUMNS):
                message = f"the header must be Name,Profile URL,RSVP; found {','.join(header)!r}"
                problems.append(Problem(Source(name, line=1), message, "", ProblemLevel.ERROR))
                return Parsed((), tuple(problems))
            where = {column: header.index(column) for column in COLUMNS}
            line = rows.line_num + 1
            for row in rows:
                source = Source(name, line=line)
                line = rows.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue  # blank lines are padding, not records
                person = self._person(row, where, source, problems)
                if person is not None:
                    people.append(person)
        except csv.Error as error:
            # A malformed CSV (a NUL byte, an unterminated quote at the end): the rest of
            # the file cannot be trusted, so reading stops here with an error.
            problems.append(
                Problem(
                    Source(name, line=line), f"not readable as CSV: {error}", "", ProblemLevel.ERROR
                )
            )
        return Parsed(tuple(people), tuple(problems))

    @staticmethod
    def _person(
        row: list[str], where: dict[str, int], source: Source, problems: list[Problem]
    ) -> Person | None:
        if len(row) != len(COLUMNS):
            problems.append(
                Problem(
                    source,
                    f"{len(row)} cells where the header has {len(COLUMNS)}; left out",
                    "",
                    ProblemLevel.ERROR,
                )
            )
            return None
        full_name = row[where["name"]].strip()
        rsvp = row[where["rsvp"]].strip().casefold()
        profile = row[where["profile url"]].strip()
        if not full_name:
            problems.append(Problem(source, "no name; left out", "Name", ProblemLevel.ERROR))
            return None
        if rsvp in _NOT_ATTENDING:
            return None
        if rsvp != _ATTENDING:
            problems.append(
                Problem(
                    source,
                    f"RSVP {row[where['rsvp']].strip()!r} is not Yes, No or Waitlist; "
                    f"{full_name} left out",
                    "RSVP",
                )
            )
            return None
        if profile and not profile.casefold().startswith(("https://", "http://")):
            problems.append(
                Problem(source, f"{profile!r} is not a web address; left out", "Profile URL")
            )
            profile = ""
        return Person(full_name, source, profiles=(profile,) if profile else ())


meetup_attendees = MeetupAttendees()
"""The instance the plugin registers."""
