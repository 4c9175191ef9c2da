from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

import netplan
from netplan.core.agenda import ItemKind, ItemState, agenda
from netplan.core.network import FOLLOW_UP_KINDS
from netplan.testing import strategies as nst

D = dt.date
UTC = netplan.UTC


def at(month: int, day: int, hour: int = 19) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def test_maya_s_week(maya: netplan.Plan) -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", tier="a"),
            netplan.Contact("Omar Haddad", tier="b"),
            netplan.Interaction("met", at(11, 30), contact="lena-berg"),
            netplan.Interaction("met", at(11, 20), contact="omar-haddad"),
            netplan.Interaction("follow_up", at(11, 21), contact="omar-haddad"),
        ]
    )
    week = agenda(maya, log, D(2026, 12, 7), D(2026, 12, 14))
    reasons = [item.reason for item in week.items]
    # Lena was met on Nov 30 and never followed up: due Dec 2, five days overdue on Dec 7,
    # and tier a weighs three times.
    first = week.items[0]
    assert (first.kind, first.contact, first.due, first.overdue_days) == (
        ItemKind.FOLLOW_UP,
        "lena-berg",
        D(2026, 12, 2),
        5,
    )
    assert first.priority == 3 * 6
    assert not any(i.kind is ItemKind.FOLLOW_UP and i.contact == "omar-haddad" for i in week.items)
    assert "Climate meetup" in reasons  # the 2nd Tuesday, Dec 8
    meetup = next(i for i in week.items if i.action == "climate-meetup")
    assert (meetup.due, meetup.goals) == (D(2026, 12, 8), ("learn-about-climate-tech",))
    # Lena (tier a, every 21 days) is due Dec 21: not this week.
    assert not any(i.kind is ItemKind.KEEP_IN_TOUCH for i in week.items)
    later = agenda(maya, log, D(2026, 12, 21), D(2026, 12, 28))
    assert any(i.kind is ItemKind.KEEP_IN_TOUCH and i.contact == "lena-berg" for i in later.items)
    assert "Follow up with Lena Berg" in str(week)


@given(
    nst.activity_logs(max_interactions=40),
    nst.dates(min_value=D(2020, 1, 1), max_value=D(2031, 1, 1)),
    st.integers(0, 60),
    st.integers(1, 14),
)
def test_the_agenda_never_lists_a_follow_up_that_was_done(
    log: netplan.ActivityLog, start: dt.date, days: int, within: int
) -> None:
    plan = netplan.Plan(
        "Maya", start=D(2020, 1, 1), follow_up=netplan.FollowUpPolicy(within_days=within)
    )
    result = agenda(plan, log, start, start + dt.timedelta(days=days))
    known = dt.datetime.combine(start + dt.timedelta(days=1), dt.time(), tzinfo=UTC)
    for item in result.items:
        assert item.kind is ItemKind.FOLLOW_UP
        # As the agenda knows it: what happened by the end of its day.
        history = log.interactions(end=known, contact=item.contact)
        last_meeting = [i for i in history if i.kind is netplan.InteractionKind.MET][-1]
        assert not any(i.kind in FOLLOW_UP_KINDS and i.at > last_meeting.at for i in history)
        assert item.due < result.end
    priorities = [i.priority for i in result.items]
    assert priorities == sorted(priorities, reverse=True)


def test_an_item_snoozed_comes_back_on_its_day_and_a_skipped_one_never(
    maya: netplan.Plan,
) -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", tier="a"),
            netplan.Interaction("met", at(11, 30), contact="lena-berg"),
        ]
    )
    week = (D(2026, 12, 7), D(2026, 12, 14))
    follow_up = agenda(maya, log, *week).items[0]
    assert follow_up.key == "follow_up:lena-berg:2026-12-02"

    snoozed = maya.snooze(follow_up, D(2026, 12, 10))
    moved = next(i for i in agenda(snoozed, log, *week).items if i.contact == "lena-berg")
    assert (moved.due, moved.snoozed_from, moved.overdue_days) == (
        D(2026, 12, 10),
        D(2026, 12, 2),
        0,
    )
    assert moved.key == follow_up.key  # snoozing again or skipping names the same item
    assert "snoozed from 2026-12-02" in moved.reason
    assert not any(
        i.contact == "lena-berg"
        for i in agenda(maya.snooze(follow_up, D(2026, 12, 20)), log, *week).items
    )

    skipped = snoozed.skip(moved)
    assert skipped.snoozed == (netplan.Snooze("follow_up:lena-berg:2026-12-02"),)
    assert not any(i.kind is ItemKind.FOLLOW_UP for i in agenda(skipped, log, *week).items)
    # Skipped on its own day, it is listed as skipped, with no priority.
    on_its_day = agenda(skipped, log, D(2026, 12, 2), D(2026, 12, 3)).items
    assert [(i.key, i.state, i.priority) for i in on_its_day] == [
        (follow_up.key, ItemState.SKIPPED, 0.0)
    ]
    # A new meeting is a new item: the skip does not hide it (once the agenda knows of it).
    log.add(netplan.Interaction("met", at(12, 8), contact="lena-berg"))
    assert not any(i.kind is ItemKind.FOLLOW_UP for i in agenda(skipped, log, *week).items)
    known = agenda(skipped, log, *week, as_of=D(2026, 12, 8)).items
    assert [i.due for i in known if i.kind is ItemKind.FOLLOW_UP] == [D(2026, 12, 10)]
    # Snoozes are part of the plan: stored, diffed, round-tripped.
    assert [str(c) for c in maya.diff(skipped).changes] == [
        "added snoozed follow_up:lena-berg:2026-12-02"
    ]
    assert netplan.from_data(netplan.to_data(skipped)) == skipped


def test_a_follow_up_is_given_up_after_the_policy_s_days_and_kept_to_its_segment() -> None:
    log = netplan.ActivityLog(
        [
            netplan.Contact("Lena Berg", tags={"climate"}),
            netplan.Contact("Omar Haddad", tags={"fintech"}),
            netplan.Interaction("met", at(11, 2), contact="lena-berg"),
            netplan.Interaction("met", at(11, 2), contact="omar-haddad"),
        ]
    )
    policy = netplan.FollowUpPolicy(within_days=2, give_up_days=10)
    plan = netplan.Plan("Maya", start=D(2026, 11, 1), follow_up=policy)
    # Due Nov 4: still owed 10 days later, given up on the 11th day.
    assert len(agenda(plan, log, D(2026, 11, 14), D(2026, 11, 15)).items) == 2
    assert agenda(plan, log, D(2026, 11, 15), D(2026, 11, 16)).items == ()
    climate = plan.with_follow_up(
        netplan.FollowUpPolicy(within_days=2, segment=netplan.Segment(tag="climate"))
    )
    (only,) = agenda(climate, log, D(2026, 11, 5), D(2026, 11, 6)).items
    assert only.contact == "lena-berg"
