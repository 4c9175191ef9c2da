"""Maya's networking plan, scripted end to end: goals, assessment, actions, log, queries,
kept in the embedded SQLite store.

Run it with ``python examples/quickstart.py`` after ``pip install .``. It uses a store in a
temporary folder, so your own default store (``netplan.open()``) is left alone.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import netplan

UTC = netplan.UTC

# 1. Identify goals.
plan = netplan.Plan("Maya", start=dt.date(2026, 11, 1))
plan = plan.add_goal(
    netplan.Goal(
        "Learn about climate tech",
        kind="learn_industry",
        why="I want to move from data engineering into climate tech",
        until=dt.date(2027, 6, 30),
        targets=[
            netplan.Target(
                2, "events_attended", per="month", segment=netplan.Segment(tag="climate")
            ),
            netplan.Target(3, "coffees", per="month", segment=netplan.Segment(tag="climate")),
        ],
    )
)
plan = plan.add_goal(
    netplan.Goal(
        "Find a job",
        kind="find_job",
        targets=[netplan.Target(5, "referrals", by=dt.date(2027, 9, 30))],
    )
)

# 2. Assess skills and resources.
first = netplan.SkillAssessment(
    dt.date(2026, 11, 1),
    [
        netplan.Rating("starting_conversations", 4),
        netplan.Rating("following_up", 2, desired=4, evidence="wrote after 1 of 5 meetings"),
        netplan.Rating("online_presence", 1, desired=3),
    ],
    netplan.Resources(hours_per_week=4, budget_per_month=60),
)
plan = plan.assess(first)

# 3. Develop a plan of action.
meetup = netplan.Recurrence.nth_weekday("TU", 2, start=dt.date(2026, 11, 1))
plan = plan.add_action(
    netplan.PlannedAction(
        "Climate meetup",
        kind="attend_events",
        schedule=meetup,
        goals={"learn-about-climate-tech"},
        skills={"working_a_room"},
    )
)
plan = plan.add_action(
    netplan.PlannedAction(
        "LinkedIn post",
        kind="post_social",
        schedule=netplan.Recurrence.weekly("FR", start=dt.date(2026, 11, 1)),
        skills={"online_presence"},
    )
)
plan = plan.add_action(
    netplan.PlannedAction(
        "Any two events", kind="attend_events", schedule=netplan.Quota(2, "month")
    )
)
plan = plan.with_follow_up(netplan.FollowUpPolicy(within_days=2))
plan = plan.keep_in_touch_with(netplan.CadenceRule.tier("a", ideal_days=21))
plan = plan.keep_in_touch_with(netplan.CadenceRule.tier("b", ideal_days=60))

# 4. Implement: log what happened.
log = netplan.ActivityLog()
log.add(
    netplan.Event("Climate Tech Summit", dt.date(2026, 11, 10), tags={"climate"}),
    netplan.Contact("Lena Berg", tags={"climate"}, tier="a", met_where="Climate Tech Summit"),
    netplan.Interaction(
        "met",
        dt.datetime(2026, 11, 10, 19, 30, tzinfo=UTC),
        contact="lena-berg",
        event="climate-tech-summit-2026-11-10",
    ),
    netplan.Interaction("follow_up", dt.datetime(2026, 11, 11, 9, tzinfo=UTC), contact="lena-berg"),
)

print(plan)
print("Improvement areas:", [r.skill for r in first.improvement_areas()])
print("December:")
for due in plan.occurrences(dt.date(2026, 12, 1), dt.date(2027, 1, 1)):
    title = plan.action(due.action).title
    if due.on == due.until:
        print(f"  {due.on}  {title}")
    else:
        print(f"  {due.count} times between {due.on} and {due.until}: {title}")
print(log)
print("Last talked to Lena:", log.last_interaction("lena-berg"))
print("Keep in touch with Lena:", plan.cadence_for(log.contact("lena-berg")))

# Keep it: the embedded SQLite store, here in a temporary folder.
folder = Path(tempfile.mkdtemp(prefix="netplan-quickstart-"))
with netplan.open(f"sqlite://{folder}/plans.db", create=True) as store:
    saved = store.save(plan)
    store.add(saved.id, *log.contacts, *log.events(), *log)
    # 5. Evaluate and adjust: a review on a day, its findings, and the adjustments they
    # suggest applied as the next revision (the first stays comparable).
    result = netplan.review(saved, store.load_log(saved.id), dt.date(2026, 12, 15))
    print(result)
    recorded = netplan.record_review(store, result.adjust(saved))
    print(f"Adopted {len(recorded.applied)} suggestion(s) as revision {recorded.adopted_revision}")
    print(f"Stored in {store.url}: revisions {store.revisions(saved.id)}")
    print("Revision 1 -> 2:", store.load(saved.id, 1).diff(store.load(saved.id)))
    print("Loaded back:", store.load_log(saved.id))
