"""People given column by column import exactly as the same people one by one.

The column path (``People``, what LinkedIn's Connections.csv reader gives) finds whoever
is new for certain without looking each one up, gives ids in bulk and makes contacts
when first read. Every test here holds it to the one-by-one path: same records added,
same updates, same report, same log afterwards, on logs and files built to collide
(shared names, emails, profiles, slugs and companies).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core import _validation
from netplan.core.errors import ValidationError
from netplan.core.importing import (
    Parsed,
    People,
    Person,
    Source,
    _folded,
    _profile,
    _profile_keys,
    plan_import,
    profile_key,
    profile_keys,
)
from netplan.formats import csvfile
from netplan.formats.linkedin import LinkedInConnections, parse_linkedin_date

# Small pools, so that rows and known contacts collide in every way identity resolution
# tells apart: the same name (with other punctuation or case), a slug ending in a digit,
# a person named like a company, shared emails and profiles in several spellings.
NAMES = [
    "Ana Silva",
    "ana silva",
    "Ana-Silva",
    "Ana Silva 2",
    "Bo Chen",
    "Zoë Okafor",
    "Jean-Luc O'Brien",
    "jean luc obrien",
    "Acme",
    "Ngũgĩ",
]
EMAILS = ["ana@example.com", "ANA@example.com", "bo@example.com", "zoe@example.org"]
PROFILES = [
    "linkedin.com/in/ana",
    "linkedin.com/in/ANA",
    "https://www.linkedin.com/in/ana/",
    "http://uk.linkedin.com/in/bo?trk=x",
    "linkedin.com/in/zoë",
    "https://example.com/ana/",
    "linkedin.com/in/bo",
]
COMPANIES = ["", "", "Acme", "Acme, Inc.", "acme inc", "Globex", "Ana Silva"]
DAYS = [None, dt.date(2021, 11, 10), dt.date(2022, 1, 3), dt.date(2021, 11, 10)]


def _one_or_none(pool: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.one_of(st.just(()), st.sampled_from(pool).map(lambda value: (value,)))


rows = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "emails": _one_or_none(EMAILS),
        "profiles": st.one_of(
            _one_or_none(PROFILES),
            st.lists(st.sampled_from(PROFILES), min_size=2, max_size=2).map(tuple),
        ),
        "company": st.sampled_from(COMPANIES),
        "role": st.sampled_from(["", "Engineer", "CTO"]),
        "day": st.sampled_from(DAYS),
    }
)
# Most rows unique, as in a real export, so the bulk path has rows to take.
unique_rows = st.integers(0, 10_000).map(
    lambda n: {
        "name": f"Person {n:05d}",
        "emails": (),
        "profiles": (f"linkedin.com/in/person-{n:05d}",),
        "company": f"Company {n % 7}",
        "role": "",
        "day": dt.date(2020, 1, 1) + dt.timedelta(days=n % 400),
    }
)

# Namesakes with profiles of their own: new for certain, sharing a slug ("ana-silva").
namesakes = st.tuples(st.sampled_from(NAMES), st.integers(0, 10_000)).map(
    lambda drawn: {
        "name": drawn[0],
        "emails": (),
        "profiles": (f"linkedin.com/in/x{drawn[1]}",),
        "company": "",
        "role": "",
        "day": None,
    }
)
any_rows = st.one_of(rows, unique_rows, namesakes)


def _people(table: list[dict[str, object]], file: str = "Connections.csv") -> People:
    def column(key: str) -> list[object]:
        return [row[key] for row in table]

    return People(
        file,
        column("name"),  # type: ignore[arg-type]
        lines=[number + 2 for number in range(len(table))],
        emails=column("emails"),  # type: ignore[arg-type]
        profiles=column("profiles"),  # type: ignore[arg-type]
        companies=column("company"),  # type: ignore[arg-type]
        roles=column("role"),  # type: ignore[arg-type]
        connected_on=column("day"),  # type: ignore[arg-type]
    )


@st.composite
def known_logs(draw: st.DrawFn) -> netplan.ActivityLog:
    """A log the import meets: contacts from an earlier import, some connected already."""
    log = netplan.ActivityLog()
    earlier = draw(st.lists(any_rows, max_size=6))
    if earlier:
        plan_import(
            log, Parsed(tuple(_people(earlier, "earlier.csv"))), file="earlier.csv", format="x"
        ).apply(log)
    return log


def _same_changes(log: netplan.ActivityLog, people: People) -> None:
    by_column = plan_import(log, Parsed(people), file="Connections.csv", format="linkedin")
    one_by_one = plan_import(log, Parsed(tuple(people)), file="Connections.csv", format="linkedin")
    assert tuple(by_column.add) == tuple(one_by_one.add)
    assert by_column.update == one_by_one.update
    assert by_column.report == one_by_one.report
    into_columns, into_records = log.copy(), log.copy()
    by_column.apply(into_columns)
    one_by_one.apply(into_records)
    assert into_columns == into_records
    assert into_columns.contacts == into_records.contacts
    assert list(into_columns.rows()) == list(into_records.rows())


@given(known_logs(), st.lists(any_rows, max_size=25))
def test_people_by_column_import_as_the_same_people_one_by_one(
    log: netplan.ActivityLog, table: list[dict[str, object]]
) -> None:
    _same_changes(log, _people(table))


@given(known_logs(), st.lists(st.one_of(unique_rows, namesakes), min_size=1, max_size=25))
def test_a_file_of_strangers_imports_as_one_by_one(
    log: netplan.ActivityLog, table: list[dict[str, object]]
) -> None:
    _same_changes(log, _people(table))


def _ids_of_strangers(*names: str) -> tuple[str, ...]:
    """The ids an import gives people of these names, each with a profile of their own."""
    table = [
        {"name": name, "emails": (), "profiles": (f"linkedin.com/in/p{n}",), "company": "",
         "role": "", "day": None}
        for n, name in enumerate(names)
    ]  # fmt: skip
    changes = plan_import(netplan.ActivityLog(), Parsed(_people(table)), file="C", format="x")
    return changes.report.added


def test_namesakes_are_numbered_by_who_they_are_not_by_the_file_s_order() -> None:
    # By their profiles (p0 to p4), whatever rows they are on.
    names = ("Ana Silva", "Bo Chen", "ana silva", "Ana-Silva", "Bo Chen")
    assert _ids_of_strangers(*names) == (
        "ana-silva",
        "bo-chen",
        "ana-silva-2",
        "ana-silva-3",
        "bo-chen-2",
    )
    # The same people on other rows keep their numbers.
    table = [
        {"name": name, "emails": (), "profiles": (f"linkedin.com/in/p{n}",), "company": "",
         "role": "", "day": None}
        for n, name in enumerate(names)
    ][::-1]  # fmt: skip
    changes = plan_import(netplan.ActivityLog(), Parsed(_people(table)), file="C", format="x")
    assert changes.report.added == (
        "bo-chen-2",
        "ana-silva-3",
        "ana-silva-2",
        "bo-chen",
        "ana-silva",
    )


def test_a_namesake_s_number_that_is_someone_s_name_is_given_in_order() -> None:
    # "Ana Silva 2" (row 1) is "ana-silva-2" first: the second "Ana Silva" gets -3.
    assert _ids_of_strangers("Ana Silva", "Ana Silva 2", "Ana Silva") == (
        "ana-silva",
        "ana-silva-2",
        "ana-silva-3",
    )


def test_importing_a_large_file_twice_changes_nothing_the_second_time() -> None:
    table = [
        {"name": f"Person {n}", "emails": (), "profiles": (f"linkedin.com/in/p{n}",),
         "company": f"Co {n % 3}", "role": "", "day": dt.date(2021, 1, 1 + n % 28)}
        for n in range(300)
    ]  # fmt: skip
    log = netplan.ActivityLog()
    first = plan_import(log, Parsed(_people(table)), file="C.csv", format="linkedin")
    first.apply(log)
    assert len(first.report.added) == 300 and first.report.interactions == 300
    again = plan_import(log, Parsed(_people(table)), file="C.csv", format="linkedin")
    assert again.report.added == () and again.report.unchanged == 300
    assert again.report.duplicate_interactions == 300 and tuple(again.add) == ()


def test_contacts_added_by_column_are_made_when_first_read() -> None:
    table = [
        {"name": "Lena Berg", "emails": ("LENA@example.com",), "profiles": ("linkedin.com/in/lena",),
         "company": "Acme", "role": "CTO", "day": dt.date(2021, 11, 10)}
    ]  # fmt: skip
    log = netplan.ActivityLog()
    changes = plan_import(log, Parsed(_people(table)), file="C.csv", format="linkedin")
    changes.apply(log)
    lena = log.contact("lena-berg")
    assert lena == netplan.Contact(
        "Lena Berg",
        emails=("lena@example.com",),
        profiles=("linkedin.com/in/lena",),
        organization="acme",
        role="CTO",
        sources={"linkedin:C.csv"},
        id="lena-berg",
    )
    (connected,) = log.interactions(contact="lena-berg")
    assert connected.at == dt.datetime(2021, 11, 10, tzinfo=dt.UTC)


# -- People --------------------------------------------------------------------------


def test_people_is_a_sequence_of_persons() -> None:
    people = People(
        "team.csv",
        ["Ana Silva", "Bo Chen"],
        lines=[2, 3],
        emails=[("ana@example.com",), ()],
        connected_on=[dt.date(2021, 1, 1), None],
    )
    ana = Person(
        "Ana Silva",
        Source("team.csv", line=2),
        emails=("ana@example.com",),
        connected_on=dt.date(2021, 1, 1),
    )
    assert len(people) == 2 and people[0] == ana and people[-1].name == "Bo Chen"
    assert people[1:] == (Person("Bo Chen", Source("team.csv", line=3)),)
    assert people == (ana, Person("Bo Chen", Source("team.csv", line=3)))
    assert Parsed(people).people == tuple(people)
    assert People("t.csv", ["Ana"])[0].source == Source("t.csv", record=1)
    with pytest.raises(IndexError):
        people[2]


@pytest.mark.parametrize(
    ("columns", "where"),
    [
        ({"names": ["Ana", " "]}, "People.names[1]"),
        ({"names": ["Ana"], "emails": [("a@example.com",), ()]}, "People.emails"),
        ({"names": ["Ana"], "emails": ["a@example.com"]}, "People.emails[0]"),
        ({"names": ["Ana"], "lines": [0]}, "People.lines[0]"),
        ({"names": ["Ana"], "connected_on": [dt.datetime(2021, 1, 1)]}, "People.connected_on[0]"),
        ({"names": ["Ana"], "companies": [None]}, "People.companies[0]"),
    ],
)
def test_people_refuses_a_bad_column_and_names_it(columns: dict[str, object], where: str) -> None:
    with pytest.raises(ValidationError) as error:
        People("team.csv", **columns)  # type: ignore[arg-type]
    assert error.value.field == where


# -- the bulk helpers, against what they replace ------------------------------------

urls = st.one_of(
    st.sampled_from(PROFILES),
    st.builds(
        "{}{}{}".format,
        st.sampled_from(["https://www.linkedin.com/in/", "linkedin.com/in/", " linkedin.com/in/"]),
        st.text(st.sampled_from("abcAB-é ß/?#\n"), max_size=8),
        st.sampled_from(["", "/", " ", "?x=1"]),
    ),
    st.text(max_size=10),
)


@given(st.lists(urls, max_size=12))
def test_profile_keys_in_bulk_are_each_url_s_key(values: list[str]) -> None:
    assert profile_keys(values) == list(map(profile_key, values))
    assert _profile_keys(values) == list(map(_profile, values))
    keys = list(map(profile_key, values))
    assert _profile_keys(keys) == list(map(_profile, keys))


@given(
    st.lists(
        st.sampled_from(
            [
                "linkedin.com/in/ana",
                "linkedin.com/in/ANA",
                "linkedin.com/in/zoë",
                "linkedin.com/in/ß",
            ]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_keys_of_keys_in_bulk_are_each_key_s_key(keys: list[str]) -> None:
    assert _profile_keys(keys) == list(map(_profile, keys))


@given(st.text(max_size=12))
def test_folding_is_told_without_folding_accented_latin(text: str) -> None:
    lowered = text.lower()
    assert _folded(lowered) == (lowered == lowered.casefold())


export_rows = st.tuples(
    st.sampled_from(["Ana", "ana", "Zoë", "", "Straße"]),
    st.sampled_from(["Silva", "Okafor", ""]),
    st.sampled_from(["ana", "ANA", "zoë", "straße", "bo", "µ-x", ""]),
    st.sampled_from(["", "ana@example.com", "ANA@example.com"]),
    st.sampled_from(["", "Acme", "Acme, Inc."]),
    st.sampled_from(["10 Nov 2021", "", "31 Feb 2021", "01 Jan 2020"]),
)


@given(known_logs(), st.lists(export_rows, max_size=12))
def test_an_export_read_by_column_imports_as_its_people_one_by_one(
    log: netplan.ActivityLog, drawn: list[tuple[str, str, str, str, str, str]]
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
                     "Connected On"])  # fmt: skip
    for first, last, handle, email, company, day in drawn:
        url = f"https://www.linkedin.com/in/{handle}" if handle else ""
        writer.writerow([first, last, url, email, company, "", day])
    parsed = LinkedInConnections().read("Connections.csv", out.getvalue().encode())
    _same_changes(log, parsed.people)  # type: ignore[arg-type]


@given(st.lists(st.text(max_size=12), max_size=12))
def test_slugs_in_bulk_are_each_text_s_slug(texts: list[str]) -> None:
    assert _validation.slugify_all(texts) == list(map(_validation.slugify, texts))


@given(
    st.integers(0, 35), st.sampled_from(["Jan", "feb", "MAR", "Sep", "Foo"]), st.integers(1, 9999)
)
def test_the_quick_day_month_year_reading_is_strptime_s(day: int, month: str, year: int) -> None:
    text = f"{day} {month} {year:04d}"
    try:
        expected: dt.datetime | None = dt.datetime.strptime(text, "%d %b %Y").replace(tzinfo=dt.UTC)
    except ValueError:
        expected = None
    if expected is None and month == "Foo":
        return  # other forms are tried: only "%d %b %Y" is compared here
    assert parse_linkedin_date(text) == expected


cells = st.text(st.sampled_from('ab ,"\n'), max_size=5)


@given(st.lists(st.lists(cells, max_size=4), max_size=8))
def test_a_table_holds_what_rows_read(table: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    text = "a,b,c\n" + out.getvalue()
    columns = ["a", "b", "c"]
    expected = list(csvfile.rows(text, 0, columns))
    found = csvfile.table(text, 0, columns)
    assert found.error is None
    kept = [
        (line, {name: found.cells[name][i] for name in columns})
        for i, line in enumerate(found.lines)
        if any(found.cells[name][i].strip() for name in columns) or i in found.overflow
    ]
    assert kept == expected


def test_a_table_keeps_the_rows_before_a_broken_one() -> None:
    found = csvfile.table('a,b\n1,2\n"3,4\n', 0, ["a", "b"])
    assert found.lines == [2] and found.cells == {"a": ["1"], "b": ["2"]}
    assert found.error is not None and found.error.line == 3


def test_a_connections_file_reads_to_people_by_column() -> None:
    data = (
        b"Notes:\n\n"
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        b"Ana,Silva,https://www.linkedin.com/in/Ana-S,ANA@example.com, Acme ,CTO,10 Nov 2021\n"
        b",,,,,,\n"
        b",,https://www.linkedin.com/in/hidden,,,,11 Nov 2021\n"
        b"Bo,,,,,,31 Feb 2021\n"
    )
    parsed = LinkedInConnections().read("Connections.csv", data)
    assert isinstance(parsed.people, People)
    assert tuple(parsed.people) == (
        Person(
            "Ana Silva",
            Source("Connections.csv", line=4),
            emails=("ana@example.com",),
            profiles=("linkedin.com/in/ana-s",),
            company="Acme",
            role="CTO",
            connected_on=dt.date(2021, 11, 10),
        ),
        Person("Bo", Source("Connections.csv", line=7)),
    )
    assert [(p.source.line, p.field) for p in parsed.problems] == [
        (6, "First Name"),
        (7, "Connected On"),
    ]
