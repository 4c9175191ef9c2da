from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.batch import Batch, NewContacts
from netplan.testing import strategies as nst

UTC = netplan.UTC
CET = dt.timezone(dt.timedelta(hours=1))


def at(day: int, hour: int = 12, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def log() -> netplan.ActivityLog:
    return netplan.ActivityLog(
        [
            netplan.Organization("Sunrise Power", industry="energy"),
            netplan.Contact("Lena Berg", tags={"climate"}, tier="a", organization="sunrise-power"),
            netplan.Contact("Omar Haddad", tags={"fintech"}, tier="b"),
            netplan.Event("Climate Tech Summit", dt.date(2026, 11, 3), tags={"climate"}),
            netplan.Interaction(
                "met", at(3, 19), contact="lena-berg", event="climate-tech-summit-2026-11-03"
            ),
            netplan.Interaction(
                "met", at(3, 20), contact="omar-haddad", event="climate-tech-summit-2026-11-03"
            ),
            netplan.Interaction(
                "follow_up", at(4), contact="lena-berg", notes="thanks for the chat ☕"
            ),
            netplan.Interaction("coffee", at(20), contact="lena-berg"),
            netplan.Interaction("post", at(21), channel="linkedin"),
        ]
    )


def test_window_queries_return_the_interactions_in_time_order(log: netplan.ActivityLog) -> None:
    found = log.interactions(at(3, 0), at(5, 0))
    assert [(i.kind.value, i.contact) for i in found] == [
        ("met", "lena-berg"),
        ("met", "omar-haddad"),
        ("follow_up", "lena-berg"),
    ]
    assert found[2].notes == "thanks for the chat ☕"
    assert log.count(dt.date(2026, 11, 4), dt.date(2026, 11, 21)) == 2
    assert log.count() == len(log) == 5


def test_queries_by_contact_kind_and_segment(log: netplan.ActivityLog) -> None:
    assert len(log.interactions(contact="lena-berg")) == 3
    assert len(log.interactions(kind="met")) == 2
    assert len(log.interactions(kind={"met", netplan.InteractionKind.COFFEE})) == 3
    assert len(log.interactions(segment=netplan.Segment(industry="energy"))) == 3
    assert len(log.interactions(segment=netplan.Segment(tag="fintech"))) == 1
    assert log.count(at(4), None, contact="lena-berg", kind="coffee") == 1
    with pytest.raises(netplan.ValidationError, match="interactions.kind"):
        log.count(kind="lunch")
    with pytest.raises(netplan.NotFoundError, match="no contact 'nobody'"):
        log.interactions(contact="nobody")


def test_instants_are_kept_in_utc_whatever_zone_they_came_in(log: netplan.ActivityLog) -> None:
    log.add(
        netplan.Interaction("call", dt.datetime(2026, 11, 22, 9, tzinfo=CET), contact="omar-haddad")
    )
    call = log.interactions(kind="call")[0]
    assert call.at == dt.datetime(2026, 11, 22, 8, tzinfo=UTC)
    assert call.at.tzinfo is UTC


def test_naive_datetimes_are_refused_everywhere(log: netplan.ActivityLog) -> None:
    with pytest.raises(netplan.ValidationError, match="timezone-aware") as caught:
        netplan.Interaction("met", dt.datetime(2026, 11, 3), contact="lena-berg")
    assert caught.value.field == "Interaction.at"
    with pytest.raises(netplan.ValidationError, match="timezone-aware"):
        log.interactions(dt.datetime(2026, 11, 3), None)
    with pytest.raises(netplan.ValidationError, match="must not be before"):
        log.interactions(at(5), at(4))


def test_last_interaction_resets_on_any_kind(log: netplan.ActivityLog) -> None:
    assert log.last_interaction("lena-berg") == at(20)
    log.add(netplan.Interaction("message", at(25), contact="lena-berg", direction="inbound"))
    assert log.last_interaction("lena-berg") == at(25)
    log.add(netplan.Contact("Sam Lee"))
    assert log.last_interaction("sam-lee") is None


def test_add_is_all_or_nothing(log: netplan.ActivityLog) -> None:
    before = netplan.from_data(netplan.to_data(log))
    with pytest.raises(netplan.ValidationError) as caught:
        log.add(
            netplan.Contact("Ines Ruiz"),
            netplan.Interaction("met", at(26), contact="ines-ruiz"),
            netplan.Interaction("met", at(26), contact="ghost"),
        )
    assert caught.value.field == "add[2].Interaction.contact"
    assert caught.value.value == "ghost"
    assert log == before
    with pytest.raises(netplan.NotFoundError):
        log.contact("ines-ruiz")


def test_records_must_refer_to_records_that_exist(log: netplan.ActivityLog) -> None:
    with pytest.raises(netplan.ValidationError, match="Contact.organization"):
        log.add(netplan.Contact("Ana", organization="acme"))
    with pytest.raises(netplan.ValidationError, match="Interaction.event"):
        log.add(netplan.Interaction("met", at(5), contact="lena-berg", event="no-such-event"))
    with pytest.raises(netplan.ValidationError, match="Event.organizer"):
        log.add(netplan.Event("Dinner", dt.date(2026, 12, 1), organizer="acme"))
    with pytest.raises(netplan.ValidationError, match="Contact.introduced_by"):
        log.add(netplan.Contact("Ana", introduced_by="ghost"))
    with pytest.raises(netplan.ValidationError, match="must be a Contact, Organization"):
        log.add("Ana")  # type: ignore[arg-type]
    # In one call, a record may refer to one added just before it.
    log.add(
        netplan.Organization("Acme"),
        netplan.Contact("Ana", organization="acme", introduced_by="lena-berg"),
    )
    assert log.contact("ana").organization == "acme"


def test_two_people_with_one_name_get_a_suggested_id(log: netplan.ActivityLog) -> None:
    with pytest.raises(netplan.ValidationError, match="id='lena-berg-2'"):
        log.add(netplan.Contact("Lena Berg"))
    log.add(netplan.Contact("Lena Berg", id="lena-berg-2"))
    assert len(log.contacts) == 3


def test_update_replaces_a_record_keeping_its_interactions(log: netplan.ActivityLog) -> None:
    lena = log.contact("lena-berg")
    log.update(netplan.Contact("Lena Berg", tier="b", id=lena.id))
    assert log.contact("lena-berg").tier == "b"
    assert len(log.interactions(contact="lena-berg")) == 3
    with pytest.raises(netplan.NotFoundError, match="use add"):
        log.update(netplan.Contact("New Person"))
    with pytest.raises(netplan.ValidationError, match="Contact.organization"):
        log.update(netplan.Contact("Lena Berg", organization="nowhere"))
    assert log.contact("lena-berg").tier == "b"


def test_events_query_by_day_and_attendance(log: netplan.ActivityLog) -> None:
    log.add(netplan.Event("Fintech Night", dt.date(2026, 12, 2), attended=False))
    assert [e.name for e in log.events()] == ["Climate Tech Summit", "Fintech Night"]
    assert [e.name for e in log.events(attended=True)] == ["Climate Tech Summit"]
    assert [e.name for e in log.events(dt.date(2026, 12, 1), dt.date(2027, 1, 1))] == [
        "Fintech Night"
    ]
    assert log.events(end=dt.date(2026, 11, 3)) == ()
    assert [e.name for e in log.events(attended=False)] == ["Fintech Night"]
    december = (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert log.events(*december, attended=True) == ()
    # Each attendance's events are kept by day: an event added is in them at once.
    log.add(netplan.Event("Green Drinks", dt.date(2026, 12, 3)))
    assert [e.name for e in log.events(*december, attended=True)] == ["Green Drinks"]
    assert [e.name for e in log.events(*december)] == ["Fintech Night", "Green Drinks"]
    assert log.event("climate-tech-summit-2026-11-03").attended
    with pytest.raises(netplan.NotFoundError):
        log.event("nope")


def test_a_post_needs_no_contact_but_a_meeting_does() -> None:
    assert netplan.Interaction("post", at(1)).channel is netplan.Channel.SOCIAL
    with pytest.raises(netplan.ValidationError, match="needs a contact"):
        netplan.Interaction("met", at(1))


def test_repr_summarises(log: netplan.ActivityLog) -> None:
    assert repr(log) == (
        "ActivityLog(2 contacts, 1 organizations, 1 events, 5 interactions, 2026-11-03..2026-11-21)"
    )


# -- properties: the columnar log against the plainest possible model ---------------------

windows = st.tuples(
    nst.aware_datetimes(min_value=dt.date(2019, 6, 1), max_value=dt.date(2031, 6, 1)),
    st.integers(0, 3 * 365 * 86400),
)


@given(nst.activity_logs(max_interactions=80), st.lists(windows, min_size=1, max_size=5))
def test_window_queries_equal_a_brute_force_filter(
    log: netplan.ActivityLog, queries: list[tuple[dt.datetime, int]]
) -> None:
    everything = list(log)
    for start, seconds in queries:
        end = start + dt.timedelta(seconds=seconds)
        expected = [i for i in everything if start <= i.at < end]
        expected.sort(key=lambda i: i.at)  # stable: ties stay in the order they were added
        assert list(log.interactions(start, end)) == expected
        assert log.count(start, end) == len(expected)


@given(
    nst.activity_logs(max_interactions=60),
    st.sampled_from(netplan.InteractionKind),
    st.none() | nst.segments(),
    st.data(),
)
def test_filtered_queries_equal_a_brute_force_filter(
    log: netplan.ActivityLog,
    kind: netplan.InteractionKind,
    segment: netplan.Segment | None,
    data: st.DataObject,
) -> None:
    contact = data.draw(st.none() | st.sampled_from([c.id for c in log.contacts]))
    everything = sorted(log, key=lambda i: i.at)

    def in_segment(i: netplan.Interaction) -> bool:
        if segment is None:
            return True
        if i.contact is None:
            return False
        person = log.contact(i.contact)
        org = log.organization(person.organization) if person.organization else None
        return segment.matches(person, org)

    expected = [
        i
        for i in everything
        if i.kind is kind and (contact is None or i.contact == contact) and in_segment(i)
    ]
    assert list(log.interactions(kind=kind, contact=contact, segment=segment)) == expected


@given(nst.activity_logs(max_interactions=60))
def test_last_interaction_is_the_latest_of_any_kind(log: netplan.ActivityLog) -> None:
    for contact in log.contacts:
        times = [i.at for i in log if i.contact == contact.id]
        assert log.last_interaction(contact.id) == (max(times) if times else None)


@given(st.lists(st.integers(0, 10_000), max_size=400), st.integers(1, 10_000))
def test_back_dated_appends_keep_time_order_through_merges(offsets: list[int], probe: int) -> None:
    # Enough out-of-order rows to force several merges of the late run.
    log = netplan.ActivityLog([netplan.Contact("Lena Berg")])
    base = at(1)
    for minutes in offsets:
        log.add(
            netplan.Interaction(
                "message", base + dt.timedelta(minutes=minutes), contact="lena-berg"
            )
        )
    times = [i.at for i in log.interactions()]
    assert times == sorted(base + dt.timedelta(minutes=m) for m in offsets)
    cut = base + dt.timedelta(minutes=probe)
    assert log.count(None, cut) == sum(1 for m in offsets if m < probe)


@given(
    nst.activity_logs(max_interactions=30),
    st.sampled_from(netplan.InteractionKind),
    nst.aware_datetimes(min_value=dt.date(2019, 1, 1), max_value=dt.date(2032, 1, 1)),
    st.integers(1, 90),
    st.data(),
)
def test_the_keep_in_touch_clock_restarts_at_any_interaction(
    log: netplan.ActivityLog,
    kind: netplan.InteractionKind,
    when: dt.datetime,
    ideal: int,
    data: st.DataObject,
) -> None:
    if kind is netplan.InteractionKind.POST:
        kind = netplan.InteractionKind.MESSAGE  # a post is with nobody in particular
    contact = data.draw(st.sampled_from([c.id for c in log.contacts]))
    cadence = netplan.KeepInTouch(ideal_days=ideal)
    before = log.last_interaction(contact)
    log.add(netplan.Interaction(kind, when, contact=contact))
    last = log.last_interaction(contact)
    assert last == (when if before is None else max(before, when))
    assert last is not None
    ideal_due, overdue = cadence.due(last.date())
    assert ideal_due - last.date() == dt.timedelta(days=ideal)
    assert overdue >= ideal_due


@given(
    st.lists(
        nst.interactions(contact_ids=["lena-berg", "omar"], event_ids=["summit"]), max_size=120
    )
)
def test_the_log_gives_back_exactly_the_interactions_it_was_given(
    interactions: list[netplan.Interaction],
) -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg"),
            netplan.Contact("Omar", id="omar"),
            netplan.Event("Summit", dt.date(2026, 1, 1), id="summit"),
        ]
    )
    for interaction in interactions:
        log.add(interaction)
    assert list(log) == interactions
    assert [repr(i) for i in log] == [repr(i) for i in interactions]
    in_time_order = sorted(interactions, key=lambda i: i.at)  # stable on ties
    assert list(log.interactions()) == in_time_order
    assert all(hash(a) == hash(b) for a, b in zip(log, interactions, strict=True))


@given(nst.activity_logs(max_interactions=60))
def test_a_log_as_a_batch_rebuilds_an_equal_log(log: netplan.ActivityLog) -> None:
    for trusted in (False, True):
        again = netplan.ActivityLog.from_batch(log.batch(), trusted=trusted)
        assert again == log
        assert list(again.interactions()) == list(log.interactions())
        assert list(again.rows()) == list(log.rows())
        for contact in log.contacts:
            assert again.last_interaction(contact.id) == log.last_interaction(contact.id)
            assert again.interactions(contact=contact.id) == log.interactions(contact=contact.id)


@given(nst.activity_logs(max_interactions=60))
def test_a_batch_adds_what_its_records_add_one_by_one(log: netplan.ActivityLog) -> None:
    batch = log.batch()
    one_by_one = netplan.ActivityLog(batch)  # the batch is a sequence of its records
    assert one_by_one == log
    added = netplan.ActivityLog()
    added.add_batch(batch)
    assert added == log and list(added.interactions()) == list(log.interactions())


def test_columns_naming_unknown_things_are_refused_by_row() -> None:
    contact = netplan.Contact("Lena Berg")
    columns = ([0, 1], ["lena-berg", "ghost"], ["met"] * 2, ["in_person"] * 2, ["mutual"] * 2)
    batch = Batch(contacts=NewContacts.of([contact]), interactions=(*columns, [None] * 2, [""] * 2))
    with pytest.raises(netplan.ValidationError, match=r"rows\[1\]\.contact"):
        netplan.ActivityLog.from_batch(batch, trusted=True)
    with pytest.raises(netplan.ValidationError, match="ghost.*must name a contact"):
        netplan.ActivityLog.from_batch(batch)
    with pytest.raises(netplan.ValidationError, match="7 columns of one length"):
        Batch(interactions=(*columns, [None], ["", ""]))  # type: ignore[arg-type]


def test_a_batch_that_fails_adds_nothing() -> None:
    log = netplan.ActivityLog([netplan.Contact("Lena Berg")])
    before = log.copy()
    bad = Batch(
        contacts=NewContacts.of([netplan.Contact("Ana Silva")]),
        interactions=([0], ["ana-silva"], ["lunch"], ["in_person"], ["mutual"], [None], [""]),
    )
    with pytest.raises(netplan.ValidationError, match="lunch"):
        log.add_batch(bad)
    assert log == before and [c.id for c in log.contacts] == ["lena-berg"]
    assert "ana-silva" not in {c.id for c in log.contacts}


def test_the_old_row_constructors_warn_and_still_work() -> None:
    contact = netplan.Contact("Lena Berg")
    good = (0, "lena-berg", "met", "in_person", "mutual", None, "")
    with pytest.warns(DeprecationWarning, match="from_batch"):
        assert len(netplan.ActivityLog.from_rows([contact], [good])) == 1
    with pytest.warns(DeprecationWarning, match="from_batch"):
        log = netplan.ActivityLog.from_columns([contact], tuple([v] for v in good))  # type: ignore[arg-type]
    assert list(log.rows()) == [good]
    for bad in (
        (0, "ghost", "met", "in_person", "mutual", None, ""),
        (0, "lena-berg", "lunch", "in_person", "mutual", None, ""),
        (0, "lena-berg", "met", "in_person", "mutual", "no-event", ""),
        ("noon", "lena-berg", "met", "in_person", "mutual", None, ""),
    ):
        with (
            pytest.warns(DeprecationWarning, match="from_batch"),
            pytest.raises(netplan.ValidationError, match=r"rows\[0\]\.(contact|kind|event|at)"),
        ):
            netplan.ActivityLog.from_rows([contact], [bad])


def test_a_copy_is_independent(log: netplan.ActivityLog) -> None:
    clone = log.copy()
    assert clone == log
    clone.add(netplan.Interaction("call", at(28), contact="omar-haddad"))
    assert len(clone) == len(log) + 1
    assert log.last_interaction("omar-haddad") == at(3, 20)


@given(
    nst.activity_logs(max_interactions=60),
    nst.aware_datetimes(min_value=dt.date(2019, 1, 1), max_value=dt.date(2031, 1, 1)),
)
def test_the_log_before_an_instant_holds_exactly_what_happened_before_it(
    log: netplan.ActivityLog, instant: dt.datetime
) -> None:
    earlier = log.before(instant)
    assert list(earlier) == [i for i in log if i.at < instant]  # in the order added
    assert earlier.interactions() == tuple(i for i in log.interactions() if i.at < instant)
    assert earlier.contacts == log.contacts and earlier.events() == log.events()
    if not any(i.at >= instant for i in log):
        assert earlier is log  # nothing later: the log itself, at no cost
    else:
        assert log.before(instant) is earlier  # kept until either changes
        contact = log.contacts[0].id
        log.add(netplan.Interaction("call", instant, contact=contact))
        assert log.before(instant) is not earlier
        assert log.before(instant) == earlier


def test_a_contact_may_name_one_added_after_it_and_still_round_trip(
    log: netplan.ActivityLog,
) -> None:
    # An update or a merge can make an earlier contact refer to a later one.
    log.update(netplan.Contact("Lena Berg", introduced_by="omar-haddad"))
    data = netplan.to_data(log)
    assert netplan.from_data(data, netplan.ActivityLog) == log
    assert netplan.stores.serialize.log_from_data(data, defer_contacts=True) == log
    data["data"]["contacts"][0]["introduced_by"] = "nobody"
    with pytest.raises(netplan.ValidationError, match="introduced_by.*must name a contact"):
        netplan.from_data(data, netplan.ActivityLog)


def test_the_log_before_a_correction_is_not_reused_after_it(log: netplan.ActivityLog) -> None:
    earlier = log.before(at(10))
    version = log.version
    change = log.merge_contacts("omar-haddad", into="lena-berg")
    assert log.version > version
    assert log.appended_since(version) is None  # not only appends: review afresh
    assert log.before(at(10)) is not earlier
    assert [i.contact for i in log.before(at(10))] == ["lena-berg"] * 3
    log.apply(change.inverse())
    assert log.before(at(10)) == earlier


def test_a_trusted_batch_still_refuses_what_the_log_cannot_hold() -> None:
    log = netplan.ActivityLog([netplan.Contact("Lena Berg")])
    before = log.copy()
    unknown = Batch(
        interactions=([0], ["ghost"], ["met"], ["in_person"], ["mutual"], [None], [""]),
    )
    with pytest.raises(netplan.ValidationError, match=r"rows\[0\]\.contact"):
        log.add_batch(unknown, trusted=True)
    assert log == before
    log.add_batch(
        Batch(interactions=([0], ["lena-berg"], ["met"], ["in_person"], ["mutual"], [None], [""])),
        trusted=True,
    )
    assert [i.contact for i in log] == ["lena-berg"]


@given(st.lists(st.integers(0, 10**9), min_size=1, max_size=50), st.booleans())
def test_a_log_loaded_in_time_order_keeps_no_order_array_and_copies_its_columns(
    offsets: list[int], backdated: bool
) -> None:
    """Issue 17: a log a store loads in time order has its rows' order as the identity
    (no array of a million row numbers) and its review index copies the columns."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    instants = sorted(start + dt.timedelta(seconds=s) for s in offsets)
    if backdated and len(instants) > 1:
        instants.append(instants[0] - dt.timedelta(days=1))  # one row logged late
    people = [netplan.Contact("Lena")]
    rows = [netplan.Interaction("met", at, contact="lena") for at in instants]
    log = netplan.ActivityLog.from_batch(Batch.of([*people, *rows]), trusted=True)
    log.count(segment=netplan.Segment(tag="x"))  # builds the review index
    out_of_order = backdated and len(instants) > 1
    assert (log._order.order is None) is not out_of_order
    index = log._index()
    assert list(index.at) == sorted(log._columns.at)
    if not out_of_order:
        assert index.at == log._columns.at and index.at is not log._columns.at


def _reads(log: netplan.ActivityLog, day: dt.date) -> tuple[object, ...]:
    """What reviews read of a log, and a review of every built-in metric."""
    plan = netplan.Plan(
        "Maya",
        start=dt.date(2026, 1, 1),
        goals=[
            netplan.Goal(
                "Everything",
                targets=[netplan.Target(1, m.name, per="month") for m in netplan.BUILTIN_METRICS],
            )
        ],
        keep_in_touch=[netplan.CadenceRule.tier("a", ideal_days=21)],
        follow_up=netplan.FollowUpPolicy(within_days=2, after={"met", "coffee"}),
    )
    start = dt.date(2026, 1, 1)
    return (
        log.count(start, day),
        log.count(start, day, kind="coffee"),
        log.first_interactions(),
        log.first_seen(start, day),
        log.first_meetings(start, day, kind="met", answer=["message", "call"]),
        {c.id: log.last_interaction(c.id) for c in log.contacts},
        netplan.review(plan, log, day),
    )


@given(
    nst.activity_logs(max_interactions=20),
    st.lists(nst.interactions(contact_ids=["x"], max_value=dt.date(2027, 3, 1)), max_size=4),
    st.lists(nst.interactions(contact_ids=["x"], max_value=dt.date(2027, 3, 1)), max_size=4),
    nst.dates(min_value=dt.date(2026, 2, 1), max_value=dt.date(2027, 3, 1)),
    st.booleans(),
)
def test_a_copy_and_its_original_appended_to_apart_read_as_logs_made_afresh(
    log: netplan.ActivityLog,
    mine: list[netplan.Interaction],
    theirs: list[netplan.Interaction],
    day: dt.date,
    promote: bool,
) -> None:
    # What the two share when copied (a time index built, and what reviews built from
    # it: meetings, groups, segment members) must not carry one's appends to the other.
    _reads(log.indexed(), day)
    copy = log.copy()
    people = [c.id for c in log.contacts]
    for n, interaction in enumerate(mine):
        log.add(attrs.evolve(interaction, contact=people[n % len(people)]))
    _reads(copy, day)
    for n, interaction in enumerate(theirs):
        copy.add(attrs.evolve(interaction, contact=people[-1 - n % len(people)]))
    if promote:  # what was worked out from the records (cadence groups) differs now
        copy.update(
            attrs.evolve(
                copy.contact(people[0]), tier="b" if log.contact(people[0]).tier == "a" else "a"
            )
        )
        _reads(copy, day)
    for each in (log, copy):
        assert _reads(each, day) == _reads(netplan.ActivityLog.from_batch(each.batch()), day)
