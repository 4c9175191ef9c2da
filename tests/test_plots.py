"""The plots a person looks at (issue 18): what each draws is checked in the data of its
artists, so an empty or a wrong picture fails, not only a call that raises."""

from __future__ import annotations

import copy
import datetime as dt
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
import netplan.notebook
from netplan.core.pace import consistency

mdates = pytest.importorskip("matplotlib.dates")
mfigure = pytest.importorskip("matplotlib.figure")
to_hex = pytest.importorskip("matplotlib.colors").to_hex

D = dt.date
AS_OF = D(2026, 11, 20)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), netplan.UTC)


@pytest.fixture
def plan() -> netplan.Plan:
    plan = netplan.Plan("Maya", start=D(2026, 7, 1))
    plan = plan.add_goal(
        netplan.Goal(
            "Learn about climate tech",
            targets=[
                netplan.Target(2, "coffees", per="month", segment=netplan.Segment(tag="climate")),
                netplan.Target(0.5, "follow_up_rate", per="month"),
            ],
        )
    )
    return plan.add_goal(
        netplan.Goal("Find a job", targets=[netplan.Target(5, "referrals", by=D(2027, 3, 31))])
    )


@pytest.fixture
def log() -> netplan.ActivityLog:
    lena = netplan.Contact("Lena Berg", tags={"climate"})
    omar = netplan.Contact("Omar Haddad")
    coffees = {7: 3, 8: 0, 9: 1, 10: 2, 11: 1}  # met, missed, missed, met; this month 1
    records: list[Any] = [lena, omar]
    for month, count in coffees.items():
        for n in range(count):
            records.append(
                netplan.Interaction("coffee", at(D(2026, month, 3 + n)), contact=lena.id)
            )
    records += [
        netplan.Interaction("referral", at(D(2026, 8, 10)), contact=omar.id),
        netplan.Interaction("referral", at(D(2026, 10, 10)), contact=omar.id),
    ]
    return netplan.ActivityLog(records)


@pytest.fixture
def review(plan: netplan.Plan, log: netplan.ActivityLog) -> netplan.Review:
    return netplan.review(plan, log, AS_OF)


@pytest.fixture
def ax() -> Any:
    return mfigure.Figure().add_subplot()


def lines_of(ax: Any) -> dict[str, Any]:
    return {line.get_label(): line for line in ax.get_lines()}


def days(xs: Any) -> list[dt.date]:
    return [mdates.num2date(mdates.date2num(x)).date() for x in xs]


def test_a_per_period_road_shows_every_past_period_against_its_target(
    ax: Any, plan: netplan.Plan, log: netplan.ActivityLog, review: netplan.Review
) -> None:
    chart = netplan.notebook.plot_road(review, "coffees", plan=plan, log=log, ax=ax)
    # July to October, each a bar as wide as its month, as high as its coffees.
    bars = [p for p in ax.patches if p.get_width() > 1]
    starts = [mdates.num2date(p.get_x()).date() for p in bars]
    assert starts == [D(2026, m, 1) for m in (7, 8, 9, 10)]
    assert [p.get_height() for p in bars] == [3, 0, 1, 2]
    assert [round(p.get_width()) for p in bars] == [31, 31, 30, 31]
    met, missed = netplan.notebook.plots.MET, netplan.notebook.plots.MISSED
    colours = [to_hex(p.get_facecolor()) for p in bars]
    assert colours == [met, missed, missed, met]
    # Each period's target as a line over its bar.
    targets = [c for c in ax.collections if c.get_label() == "target"]
    assert len(targets) == 1 and {seg[0][1] for seg in targets[0].get_segments()} == {2.0}
    # The current month's road still ends at the review's count.
    progress = next(p for p in review.progress if p.target == "coffees")
    assert lines_of(ax)["actual"].get_data()[1][-1] == progress.actual == 1
    # Named as the person wrote it.
    assert chart.get_title().startswith(
        "Learn about climate tech: 2 coffees a month (tagged climate)\n1 of 2"
    )


def test_the_habit_strength_line_ends_at_the_review_s_consistency(
    ax: Any, plan: netplan.Plan, log: netplan.ActivityLog, review: netplan.Review
) -> None:
    netplan.notebook.plot_road(review, "coffees", plan=plan, log=log, ax=ax)
    (twin,) = [a for a in ax.get_shared_x_axes().get_siblings(ax) if a is not ax]
    (strength,) = twin.get_lines()
    assert strength.get_label() == "habit strength"
    xs, ys = strength.get_data()
    # A point at the end of each completed period, the last the review's own figure.
    assert days(xs) == [D(2026, m, 1) for m in (8, 9, 10, 11)]
    habit = next(c for c in review.consistency if c.target == "coffees")
    assert ys[-1] == pytest.approx(100 * habit.strength)
    assert ys[0] < ys[-1]  # two met after two missed: it grew back


def test_a_deadline_road_shows_its_projection_and_the_at_risk_lane(
    ax: Any, plan: netplan.Plan, log: netplan.ActivityLog, review: netplan.Review
) -> None:
    netplan.notebook.plot_road(review, "referrals", plan=plan, log=log, ax=ax)
    progress = next(p for p in review.progress if p.target == "referrals")
    xs, ys = lines_of(ax)["projection"].get_data()
    assert days(xs) == [AS_OF, D(2027, 3, 31)]
    assert list(ys) == [progress.actual, pytest.approx(progress.projected)]
    (lane,) = [c for c in ax.collections if c.get_label() == "at risk"]
    # Between what is due on a day and what is due two days later: never below it.
    path = lane.get_paths()[0].vertices
    assert path[:, 1].min() >= 0 and path[:, 1].max() == pytest.approx(5)
    # No past periods for a deadline: no bars, no second axis.
    assert not [p for p in ax.patches if p.get_width() > 1]
    assert len(ax.get_shared_x_axes().get_siblings(ax)) == 1
    assert ax.get_title().startswith("Find a job: 5 referrals by 2027-03-31\n2 of 5")


def test_a_share_has_its_target_line_and_no_pace(
    ax: Any, plan: netplan.Plan, log: netplan.ActivityLog, review: netplan.Review
) -> None:
    netplan.notebook.plot_road(review, "follow_up_rate", plan=plan, log=log, ax=ax)
    assert "pace" not in lines_of(ax) and "projection" not in lines_of(ax)
    labels = {c.get_label() for c in ax.collections}
    assert "target" in labels and "at risk" not in labels
    assert ax.get_title().startswith("Learn about climate tech: a follow-up rate of 50% each month")


def test_a_whole_review_is_one_small_multiple_per_target(
    plan: netplan.Plan, log: netplan.ActivityLog, review: netplan.Review
) -> None:
    chart = netplan.notebook.plot_review(review, plan, log, columns=2)
    assert len(chart.axes) == len(review.progress) == 3
    titles = [a.get_title().split("\n")[0] for a in chart.axes]
    assert titles == [
        "Learn about climate tech: 2 coffees a month (tagged climate)",
        "Learn about climate tech: a follow-up rate of 50% each month",
        "Find a job: 5 referrals by 2027-03-31",
    ]
    colours = netplan.notebook.html.STATUS_COLOURS
    for axes, progress in zip(chart.axes, review.progress, strict=True):
        assert axes.title.get_color() == colours[progress.status]
        assert lines_of(axes)["actual"].get_data()[1][-1] == progress.actual
    # Counts tick in whole numbers.
    ticks = chart.axes[2].get_yticks()
    assert all(float(t).is_integer() for t in ticks)
    # One legend for all, naming each kind of line once.
    (legend,) = chart.figure.legends
    names = [t.get_text() for t in legend.get_texts()]
    assert len(names) == len(set(names)) and {"actual", "pace", "met", "missed"} <= set(names)
    spare = [a for a in chart.figure.axes if a not in chart.axes and not a.axison]
    assert len(spare) == 1  # the fourth cell of the 2 x 2 grid, left blank
    chart.figure.clear()


def test_a_review_plot_refuses_a_wrong_column_count(
    plan: netplan.Plan, review: netplan.Review
) -> None:
    with pytest.raises(netplan.ValidationError, match="columns"):
        netplan.notebook.plot_review(review, plan, columns=0)


def test_a_chart_shows_as_its_picture_once(plan: netplan.Plan, review: netplan.Review) -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    chart = netplan.notebook.plot_road(review, "referrals", plan=plan)
    assert chart.figure.number in plt.get_fignums()
    png = chart._repr_png_()
    assert png.startswith(b"\x89PNG") and len(png) > 5_000
    # Shown as the cell's value: Jupyter's inline backend must not show it again.
    assert chart.figure.number not in plt.get_fignums()
    assert "Find a job" in repr(chart) and "<Axes" not in repr(chart)
    # It still answers as the axes it drew on.
    assert chart.get_lines() == chart.ax.get_lines()
    assert not hasattr(chart, "_repr_html_")
    # A chart being copied has no axes yet: it says so instead of recursing.
    assert copy.copy(chart).ax is chart.ax
    with pytest.raises(AttributeError):
        object.__new__(netplan.notebook.Chart).get_lines()


def test_skills_alike_are_set_apart_and_ticked_on_their_days(ax: Any) -> None:
    first = netplan.SkillAssessment(
        D(2026, 7, 1),
        [
            netplan.Rating("following_up", 2, desired=4),
            netplan.Rating("online_presence", 2, desired=3),
            netplan.Rating("working_a_room", 2),
        ],
    )
    second = netplan.SkillAssessment(
        D(2026, 10, 1),
        [
            netplan.Rating("following_up", 3, desired=4),
            netplan.Rating("online_presence", 3, desired=3),
            netplan.Rating("working_a_room", 2),
        ],
    )
    netplan.notebook.plot_skills([first, second], ax=ax)
    lines = lines_of(ax)
    alike = [list(lines[name].get_data()[1]) for name in ("Following up", "Online presence")]
    assert alike[0] != alike[1]  # the same ratings: two lines, not one
    for ys in alike:
        assert [round(y) for y in ys] == [2, 3]
    assert list(lines["Working a room at events"].get_data()[1]) == [2, 2]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026-07-01", "2026-10-01"]


def test_skill_gaps_show_now_aim_and_change_widest_gap_first(ax: Any) -> None:
    plan = netplan.Plan("Maya", start=D(2026, 7, 1))
    plan = plan.assess(
        netplan.SkillAssessment(
            D(2026, 7, 1),
            [netplan.Rating("following_up", 1, desired=4), netplan.Rating("online_presence", 2)],
        )
    )
    plan = plan.assess(
        netplan.SkillAssessment(
            D(2026, 10, 1),
            [
                netplan.Rating("following_up", 2, desired=5),
                netplan.Rating("online_presence", 2),
                netplan.Rating("working_a_room", 3, desired=4),
            ],
        )
    )
    netplan.notebook.plot_skill_gaps(plan, ax=ax)
    row = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    # The widest gap on top: what to practise first.
    assert row["Following up"] > row["Working a room at events"] > row["Online presence"]

    def points(gid: str) -> dict[float, float]:
        found = [c for c in ax.collections if c.get_gid() == gid]
        return {y: x for c in found for x, y in c.get_offsets().tolist()}

    assert points("now") == {row["Following up"]: 2, row["Working a room at events"]: 3,
                             row["Online presence"]: 2}  # fmt: skip
    assert points("aim") == {row["Following up"]: 5, row["Working a room at events"]: 4}
    assert points("before") == {row["Following up"]: 1}
    arrows = [a for a in ax.texts if a.arrow_patch is not None]
    assert len(arrows) == 1  # following_up went from 1 to 2; online presence did not move
    assert ax.get_title() == "Skills on 2026-10-01: now and aimed at, change since 2026-07-01"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    counts=st.lists(st.integers(0, 4), min_size=1, max_size=8),
    amount=st.integers(1, 3),
    on_the_last_day=st.booleans(),
)
def test_a_target_s_history_is_what_the_review_s_consistency_reads(
    counts: list[int], amount: int, on_the_last_day: bool
) -> None:
    start = D(2026, 1, 1)
    plan = netplan.Plan("Sam", start=start).add_goal(
        netplan.Goal("Meet people", targets=[netplan.Target(amount, "coffees", per="month")])
    )
    sam = netplan.Contact("Lena Berg")
    records: list[Any] = [sam]
    for month, count in enumerate(counts, start=1):
        records += [
            netplan.Interaction("coffee", at(D(2026, month, 1 + n)), contact=sam.id)
            for n in range(count)
        ]
    log = netplan.ActivityLog(records)
    as_of = D(2026, len(counts) + 1, 15)
    if on_the_last_day:  # the last month counted is the one ending that day
        as_of = D(2026, len(counts) + 1, 1) - dt.timedelta(days=1)
    history = netplan.target_history(plan, log, "coffees", as_of)
    assert [p.actual for p in history] == counts
    assert [p.road.start for p in history] == [D(2026, m, 1) for m in range(1, len(counts) + 1)]
    (habit,) = netplan.review(plan, log, as_of).consistency
    assert consistency(history, goal=habit.goal, target=habit.target) == habit


def test_a_target_s_history_names_what_is_missing(plan: netplan.Plan) -> None:
    log = netplan.ActivityLog()
    assert netplan.target_history(plan, log, "referrals", AS_OF) == ()  # a deadline
    with pytest.raises(netplan.NotFoundError, match="learn-about-climate-tech/coffees"):
        netplan.target_history(plan, log, "posts", AS_OF)
    with pytest.raises(netplan.NotFoundError, match="metric 'coffees'"):
        netplan.target_history(plan, log, "coffees", AS_OF, metrics=[])


def test_charts_without_matplotlib_name_the_extra(
    monkeypatch: pytest.MonkeyPatch, plan: netplan.Plan, review: netplan.Review
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'networking-action-plan\[plots\]'"):
        netplan.notebook.plot_review(review, plan)
    with pytest.raises(ImportError, match=r"pip install 'networking-action-plan\[plots\]'"):
        netplan.notebook.plot_skill_gaps(plan)


def test_network_growth_against_its_targets_and_segment(ax: Any) -> None:
    plan = netplan.Plan("Maya", start=D(2026, 7, 1)).add_goal(
        netplan.Goal(
            "Climate circle",
            targets=[
                netplan.Target(
                    1, "new_contacts", per="month", segment=netplan.Segment(tag="climate")
                )
            ],
        )
    )
    plan = plan.add_goal(
        netplan.Goal("Find a job", targets=[netplan.Target(6, "new_contacts", by=D(2026, 12, 31))])
    )
    people = [netplan.Contact(f"P{n}", tags={"climate"} if n < 2 else set()) for n in range(5)]
    firsts = [D(2026, 6, 20), D(2026, 8, 5), D(2026, 7, 2), D(2026, 7, 3), D(2026, 9, 9)]
    log = netplan.ActivityLog(
        [
            *people,
            *(
                netplan.Interaction("coffee", at(day), contact=p.id)
                for p, day in zip(people, firsts, strict=True)
            ),
        ]
    )
    netplan.notebook.plot_network_growth(log, plan=plan, ax=ax)
    lines = lines_of(ax)
    assert list(lines["contacts"].get_data()[1]) == [1, 2, 3, 4, 5]
    climate = lines["tagged climate"]
    assert days(climate.get_data()[0]) == [D(2026, 6, 20), D(2026, 8, 5)]
    # From the one climate contact met before the plan began, one more each month, to the
    # end of the month of the last first meeting (September).
    asked = lines["Climate circle: 1 new contact a month (tagged climate)"]
    assert days(asked.get_data()[0]) == [D(2026, m, 1) for m in (7, 8, 9, 10)]
    assert list(asked.get_data()[1]) == [1, 2, 3, 4]
    assert climate.get_color() == asked.get_color()
    deadline = lines["Find a job: 6 new contacts by 2026-12-31"]
    assert days(deadline.get_data()[0]) == [D(2026, 7, 1), D(2026, 12, 31)]
    assert list(deadline.get_data()[1]) == [1, 7]
