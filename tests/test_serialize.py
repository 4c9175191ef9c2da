from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.batch import NewContacts
from netplan.core.importing import Conflict, Imported, ImportReport, Problem
from netplan.stores._files import json_text, json_texts
from netplan.stores._sql import stored_key, stored_name_keys
from netplan.stores.serialize import TYPES, contact_search_texts, stored_contact_search
from netplan.testing import strategies as nst

ROADS = st.builds(
    lambda start, days, amount: netplan.Road(start, start + dt.timedelta(days=days), amount),
    nst.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.integers(0, 400),
    st.integers(1, 50) | st.fractions(min_value=Fraction(1, 10), max_value=50),
)

EXTRA: dict[type[Any], st.SearchStrategy[Any]] = {
    netplan.Membership: st.builds(netplan.Membership, nst.dates(max_value=dt.date(2090, 1, 1))),
    netplan.Skill: st.builds(
        netplan.Skill, nst.identifiers(), st.text(min_size=1).filter(str.strip)
    ),
    netplan.KeepInTouch: st.builds(netplan.KeepInTouch, st.integers(1, 30), st.integers(30, 60)),
    netplan.Interaction: nst.interactions(contact_ids=["lena-berg"], event_ids=["summit"]),
    netplan.Occurrence: st.builds(
        netplan.Occurrence, nst.dates(), nst.identifiers(), nst.dates(), st.integers(1, 9)
    ),
    netplan.SkillChange: st.builds(
        netplan.SkillChange,
        nst.identifiers(),
        st.none() | st.integers(1, 5),
        st.none() | st.integers(1, 5),
    ),
    netplan.NetworkSummary: st.builds(netplan.NetworkSummary, st.integers(0, 99)),
    netplan.Road: ROADS,
    netplan.Progress: st.builds(
        lambda road, actual, days: netplan.progress(
            road, actual, road.start + dt.timedelta(days=days)
        ),
        ROADS,
        st.integers(0, 60) | st.floats(0, 60, allow_nan=False),
        st.integers(-3, 400),
    ),
    netplan.Review: nst.reviews(max_goals=2),
    # What a host shows a person: results netplan makes, not values a person types.
    netplan.Agenda: nst.agendas(),
    netplan.AgendaItem: nst.agenda_items(),
    Imported: nst.imports(),
    ImportReport: nst.import_reports(),
    Conflict: nst.conflicts(),
    Problem: nst.problems(),
    netplan.MetricFailure: st.builds(
        netplan.MetricFailure,
        nst.identifiers(),
        nst.identifiers(),
        nst.identifiers(),
        st.text(),
        st.text(max_size=20),
    ),
    netplan.Consistency: st.lists(
        st.builds(
            lambda road, actual: netplan.progress(road, actual, road.end),
            ROADS,
            st.integers(0, 60),
        ),
        max_size=6,
    ).map(netplan.core.pace.consistency),
    netplan.Applied: st.builds(
        netplan.Applied,
        st.tuples(nst.identifiers(), nst.identifiers(), nst.identifiers()),
        nst.adjustments(),
        nst.dates(),
    ),
}
STRATEGIES = {**nst.by_type(), **EXTRA}


@pytest.mark.parametrize(
    "cls", sorted(STRATEGIES, key=lambda c: c.__name__), ids=lambda c: c.__name__
)
@given(data=st.data())
def test_round_trip_through_json_text_is_exact(cls: type[Any], data: st.DataObject) -> None:
    value = data.draw(STRATEGIES[cls])
    text = json.dumps(netplan.to_data(value), sort_keys=True)
    back = netplan.from_data(json.loads(text), cls)
    assert back == value
    assert type(back) is cls
    # Writing again gives the same text: diff-friendly, no hidden state.
    assert json.dumps(netplan.to_data(back), sort_keys=True) == text


def test_every_domain_type_is_round_tripped_above() -> None:
    assert set(TYPES.values()) <= set(STRATEGIES)


def test_the_data_is_readable_and_stable(maya: netplan.Plan) -> None:
    data = netplan.to_data(maya)
    assert data["schema"] == netplan.SCHEMA_VERSION
    assert data["type"] == "Plan"
    meetup = data["data"]["actions"][0]
    assert meetup["schedule"] == {
        "type": "recurrence",
        "rule": "FREQ=MONTHLY;BYDAY=2TU",
        "start": "2026-11-01",
    }
    assert meetup["skills"] == ["starting_conversations", "working_a_room"]  # sorted
    assert data["data"]["start"] == "2026-11-01"
    assert data["data"]["goals"][0]["targets"][0]["per"] == "month"


def test_instants_keep_their_offset_and_decimals_their_digits() -> None:
    data = netplan.to_data(
        netplan.Interaction("post", dt.datetime(2026, 11, 3, 19, tzinfo=netplan.UTC))
    )
    assert data["data"]["at"] == "2026-11-03T19:00:00+00:00"
    res = netplan.to_data(netplan.Resources(budget_per_month="19.90"))
    assert res["data"]["budget_per_month"] == "19.90"


def mutate(data: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    copy = json.loads(json.dumps(data))
    node = copy["data"]
    for step in path[:-1]:
        node = node[step]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return copy


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        (
            ["goals", 0, "targets", 0, "amount"],
            -3,
            "$.data.goals[0].targets[0].amount",
            "greater than 0",
        ),
        (["goals", 0, "targets", 0, "colour"], "red", "$.data.goals[0].targets[0]", "unknown keys"),
        (
            ["actions", 0, "schedule", "rule"],
            "FREQ=NOPE",
            "$.data.actions[0].schedule.rule",
            "RFC 5545",
        ),
        (
            ["actions", 0, "schedule", "type"],
            "weekly",
            "$.data.actions[0].schedule",
            "must be one of",
        ),
        (["start"], "2026-13-01", "$.data.start", "month"),
        (["start"], "2026-11-01T10:00:00", "$.data.start", "YYYY-MM-DD"),
        (["person"], KeyError, "$.data.person", "required"),
        (["actions", 0, "goals"], ["nope"], "$.data.actions", "must name a goal"),
    ],
)
def test_malformed_data_names_the_path_and_the_value(
    maya: netplan.Plan, path: list[str | int], value: Any, field: str, message: str
) -> None:
    bad = mutate(netplan.to_data(maya), path, value)
    with pytest.raises(netplan.ValidationError, match=message) as caught:
        netplan.from_data(bad, netplan.Plan)
    assert caught.value.field.startswith(field)


def test_the_input_data_is_not_changed_by_reading_it(maya: netplan.Plan) -> None:
    data = netplan.to_data(maya)
    snapshot = json.dumps(data, sort_keys=True)
    netplan.from_data(data)
    assert json.dumps(data, sort_keys=True) == snapshot


def test_envelope_errors(maya: netplan.Plan) -> None:
    data = netplan.to_data(maya)
    with pytest.raises(netplan.SchemaError, match="newer netplan"):
        netplan.from_data({**data, "schema": netplan.SCHEMA_VERSION + 1})
    with pytest.raises(netplan.ValidationError, match=r"\$.schema"):
        netplan.from_data({**data, "schema": "one"})
    with pytest.raises(netplan.ValidationError, match=r"\$.type"):
        netplan.from_data({**data, "type": "Spaceship"})
    with pytest.raises(netplan.ValidationError, match="must be Goal here"):
        netplan.from_data(data, netplan.Goal)
    with pytest.raises(netplan.ValidationError, match="schema, type and data"):
        netplan.from_data({"person": "Maya"})
    with pytest.raises(netplan.ValidationError, match="netplan's types"):
        netplan.to_data({"person": "Maya"})


def test_a_log_with_a_dangling_reference_is_refused() -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg"),
            netplan.Interaction(
                "met", dt.datetime(2026, 1, 1, tzinfo=netplan.UTC), contact="lena-berg"
            ),
        ]
    )
    data = netplan.to_data(log)
    data["data"]["contacts"] = []
    with pytest.raises(netplan.ValidationError, match="must name a contact"):
        netplan.from_data(data, netplan.ActivityLog)
    data["data"]["extra"] = []
    with pytest.raises(netplan.ValidationError, match="unknown keys"):
        netplan.from_data(data, netplan.ActivityLog)


@given(nst.contacts() | nst.events() | nst.organizations())
def test_trusted_data_rebuilds_the_same_record(
    record: netplan.Contact | netplan.Event | netplan.Organization,
) -> None:
    from netplan.stores.serialize import from_trusted_data

    data = json.loads(json.dumps(netplan.to_data(record)))
    rebuilt = from_trusted_data(data, type(record))
    assert rebuilt == record
    assert hash(rebuilt) == hash(record)


def test_trusted_data_of_another_kind_or_schema_is_fully_checked() -> None:
    from netplan.stores.serialize import from_trusted_data

    data = netplan.to_data(netplan.Contact("Lena Berg"))
    with pytest.raises(netplan.SchemaError):
        from_trusted_data({**data, "schema": 99}, netplan.Contact)
    with pytest.raises(netplan.ValidationError, match="cannot be read"):
        from_trusted_data({**data, "data": {"name": "x"}}, netplan.Contact)
    goal = netplan.to_data(netplan.Goal("x", targets=[]))
    goal["data"]["title"] = ""
    with pytest.raises(netplan.ValidationError):
        from_trusted_data(goal, netplan.Goal)  # not trusted: validated


@pytest.mark.parametrize(
    ("row", "field", "rule"),
    [
        (
            ["2026-01-01T00:00:00", "lena-berg", "met", "in_person", "mutual", None, ""],
            "interactions[0].at",
            "UTC offset",
        ),
        (
            ["2026-01-01T00:00:00+00:00", "lena-berg", "lunch", "in_person", "mutual", None, ""],
            "interactions[0].kind",
            "must be one of",
        ),
        (["2026-01-01T00:00:00+00:00", "lena-berg", "met"], "interactions[0]", "must be a row"),
        (
            ["2026-01-01T00:00:00+00:00", "lena-berg", "met", "in_person", "mutual", "nope", ""],
            "interactions[0].event",
            "must name an event",
        ),
    ],
)
def test_a_bad_interaction_row_names_its_place(row: list[Any], field: str, rule: str) -> None:
    data = netplan.to_data(netplan.ActivityLog([netplan.Contact("Lena Berg")]))
    data["data"]["interactions"] = [row]
    with pytest.raises(netplan.ValidationError, match=rule) as caught:
        netplan.from_data(data, netplan.ActivityLog)
    assert caught.value.field == f"$.data.{field}"


def test_a_log_keeps_interactions_as_readable_rows() -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg"),
            netplan.Interaction(
                "met",
                dt.datetime(2026, 11, 3, 19, tzinfo=netplan.UTC),
                contact="lena-berg",
                notes="hi",
            ),
        ]
    )
    assert netplan.to_data(log)["data"]["interactions"] == [
        ["2026-11-03T19:00:00+00:00", "lena-berg", "met", "in_person", "mutual", None, "hi"]
    ]


@pytest.mark.parametrize("place", [0, 1])
def test_a_row_that_is_seven_characters_is_named_not_read(place: int) -> None:
    # zip() reads a string of seven characters as seven columns: the rows are checked to
    # be lists, so it is named rather than loaded as a row of letters.
    from netplan.stores.serialize import log_from_data

    row = ["2026-01-01T00:00:00+00:00", None, "post", "linkedin", "outbound", None, ""]
    data: Any = netplan.to_data(netplan.ActivityLog())
    data["data"]["interactions"] = [row, row]
    data["data"]["interactions"][place] = "abcdefg"
    with pytest.raises(netplan.ValidationError, match=rf"interactions\[{place}\].*must be a row"):
        log_from_data(data)


@pytest.mark.parametrize(
    ("value", "field", "wrong", "says"),
    [
        (netplan.Event("Night", dt.date(2026, 11, 3)), "name", None, "expected text"),
        (netplan.Event("Night", dt.date(2026, 11, 3)), "attended", "yes", "true or false"),
        (netplan.Organization("Sunrise Power"), "name", ["x"], "expected text"),
        (netplan.Contact("Lena Berg"), "nickname", 5, "expected text"),
        (netplan.FollowUpPolicy(within_days=2), "within_days", 2.5, "whole number"),
        (netplan.FollowUpPolicy(within_days=2), "within_days", True, "whole number"),
    ],
)
def test_data_of_the_wrong_json_type_is_refused_not_coerced(
    value: Any, field: str, wrong: Any, says: str
) -> None:
    # A host's data is not trusted: a null name is not the name "None", "yes" is no flag.
    data = netplan.to_data(value)
    data["data"][field] = wrong
    with pytest.raises(netplan.ValidationError, match=rf"\$\.data\.{field}.*{says}"):
        netplan.from_data(data, type(value))


@given(
    st.lists(nst.contacts(), max_size=12, unique_by=lambda c: c.id),
    st.lists(st.sampled_from(["a", "b", "climate", "acme", "Zoë", "x\ny"]) | st.text(max_size=4)),
    st.sets(st.integers(0, 11)),
)
def test_a_stored_search_finds_the_rows_whose_text_holds_a_value(
    contacts: list[netplan.Contact], values: list[str], damaged: set[int]
) -> None:
    """Searched as one text, the stored texts give the rows a pass over each gives; a text
    that is not text (a damaged store's) is always found, for the caller to read."""
    texts: list[Any] = contact_search_texts(NewContacts.of(contacts).fields())
    odd = {row for row in damaged if row < len(texts)}
    for row in odd:
        texts[row] = None
    needles = {json.dumps(v, ensure_ascii=a) for v in values for a in (False, True)}
    expected = odd | {
        row
        for row, text in enumerate(texts)
        if text is not None and any(needle in text for needle in needles)
    }
    search = stored_contact_search(texts)
    assert search(values) == expected
    assert search(values) == expected  # the joined text is reused
    for row, contact in enumerate(contacts):
        assert row in search([contact.id])  # found by its id, damaged or not


def test_a_stored_search_finds_a_value_in_texts_side_by_side() -> None:
    # Found where it is (few hold it) or by a pass over every text (many do): the same.
    few = ['"a",1', '"a",2', "x", '"b"', '"a"', *(["y"] * 30)]
    assert stored_contact_search(few)(["a"]) == {0, 1, 4}
    assert stored_contact_search(few[:5])(["a"]) == {0, 1, 4}
    assert stored_contact_search(few)(["b", "zz"]) == {3}
    assert stored_contact_search(['"a"'] * 10 + few)(["a"]) == {*range(10), 10, 11, 14}


# Text as a file or a hostile store may give it: lone surrogates, NUL, any script.
_ODD_TEXT = st.text(st.characters(codec=None, exclude_categories=[]), max_size=12)


@given(st.lists(_ODD_TEXT | st.sampled_from(["Zoë", "\udc80", "a\x00b", "  Lena   BERG "])))
def test_texts_checked_in_bulk_are_those_checked_one_by_one(texts: list[str]) -> None:
    # Thousands of texts are checked in one encoding: the same as each on its own, with
    # texts enough to span several parts.
    many = texts * 1000
    assert json_texts(many) == [json_text(t) for t in many]
    assert stored_name_keys(many) == [stored_key(t) for t in many]
    for key in stored_name_keys(texts):
        key.encode("utf-8")  # what a text column holds
        assert "\x00" not in key
