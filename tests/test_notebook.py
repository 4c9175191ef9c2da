"""Notebook display: HTML reprs, DataFrames, plots, and Maya's notebook executed."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sys
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netplan
import netplan.notebook
from netplan.core.importing import Conflict, ImportReport, Problem, Source
from netplan.core.zones import Zone
from netplan.notebook.frames import AGENDA_COLUMNS, LOG_COLUMNS, REVIEW_COLUMNS
from netplan.testing import strategies as nst

D = dt.date
UTC = netplan.UTC
ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "notebooks" / "maya.ipynb"
EVIL = "<script>alert('x')</script>"


def at(month: int, day: int, hour: int = 19) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def log() -> netplan.ActivityLog:
    """November and December of Maya's log, with one contact whose name is markup."""
    return netplan.ActivityLog(
        [
            netplan.Event("Climate Tech Summit", D(2026, 11, 10), tags={"climate"}),
            netplan.Contact("Lena Berg", tags={"climate"}, industry="energy", tier="a"),
            netplan.Contact(EVIL, id="script", tier="a"),
            netplan.Interaction(
                "met", at(11, 10), contact="lena-berg", event="climate-tech-summit-2026-11-10"
            ),
            netplan.Interaction("follow_up", at(11, 11, 9), contact="lena-berg"),
            netplan.Interaction("coffee", at(11, 20, 8), contact="lena-berg", notes="<b>bold</b>"),
            netplan.Interaction("met", at(12, 1), contact="script"),
            netplan.Interaction("coffee", at(12, 3, 8), contact="lena-berg"),
            # Back-dated: logged last, it comes first in time order.
            netplan.Interaction("message", at(11, 2, 12), contact="lena-berg"),
        ]
    )


@pytest.fixture
def assessed(maya: netplan.Plan) -> netplan.Plan:
    first = netplan.SkillAssessment(
        D(2026, 11, 1),
        [
            netplan.Rating("starting_conversations", 4),
            netplan.Rating("following_up", 2, desired=4, evidence=EVIL),
            netplan.Rating("online_presence", 1, desired=3),
        ],
        netplan.Resources(hours_per_week=4, budget_per_month=60),
    )
    second = netplan.SkillAssessment(
        D(2026, 12, 1),
        [
            netplan.Rating("starting_conversations", 4),
            netplan.Rating("following_up", 3, desired=4),
            netplan.Rating("online_presence", 2, desired=3),
        ],
    )
    return maya.assess(first).assess(second)


@pytest.fixture
def review(assessed: netplan.Plan, log: netplan.ActivityLog) -> netplan.Review:
    return netplan.review(assessed, log, D(2026, 12, 10))


@pytest.fixture
def week(assessed: netplan.Plan, log: netplan.ActivityLog) -> netplan.Agenda:
    return netplan.agenda(assessed, log, D(2026, 12, 7), D(2026, 12, 14))


@pytest.fixture
def report() -> ImportReport:
    source = Source(f"{EVIL}.csv", line=3)
    return ImportReport(
        file=f"{EVIL}.csv",
        format="linkedin_connections",
        added=("lena-berg",),
        merged=(),
        unchanged=2,
        interactions=1,
        duplicate_interactions=0,
        conflicts=(Conflict("lena-berg", "role", "Analyst", EVIL, source),),
        problems=(Problem(source, f"cannot read {EVIL}", field="Email"),),
    )


# -- HTML ---------------------------------------------------------------------------------


def test_every_display_renders_html_and_readable_text(
    assessed: netplan.Plan, review: netplan.Review, week: netplan.Agenda, report: ImportReport
) -> None:
    assessment = assessed.assessments[0]
    for value, kind in (
        (assessed, "plan"),
        (review, "review"),
        (week, "agenda"),
        (report, "import-report"),
        (assessment, "assessment"),
    ):
        html = value._repr_html_()
        assert html.startswith(f'<div class="netplan-{kind}"')
        assert html.endswith("</div>")
        assert "<script" not in html.lower()
        assert "<table" in html
        text = str(value)
        assert "<div" not in text
        assert "\n" in text or kind == "import-report"
    assert str(assessed).startswith("Plan of Maya from 2026-11-01")
    assert "Find a job (find_job)" in str(assessed)
    assert "Improvement areas: online_presence, following_up" in str(assessment)
    assert "Learn about climate tech" in assessed._repr_html_()
    assert "Improvement areas, largest gap first: Online presence, Following up" in (
        assessment._repr_html_()
    )


def test_user_text_stays_text(
    assessed: netplan.Plan, review: netplan.Review, week: netplan.Agenda, report: ImportReport
) -> None:
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    # The contact named <script> was met on Dec 1 and never followed up.
    assert any(EVIL in item.reason for item in week.items)
    assert any(EVIL in finding.message for finding in review.findings)
    for html in (
        week._repr_html_(),
        review._repr_html_(),
        report._repr_html_(),
        assessed.assessments[0]._repr_html_(),
        netplan.Plan(EVIL, start=D(2026, 11, 1), notes=EVIL)._repr_html_(),
    ):
        assert EVIL not in html
        assert escaped in html


def _tags(markup: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            found.append(tag)

    Tags().feed(markup)
    return found


@given(st.text(max_size=30).filter(str.strip))  # blank notes are not shown at all
def test_any_text_is_escaped(text: str) -> None:
    import html

    def shown(words: str) -> str:
        assessment = netplan.SkillAssessment(
            D(2026, 11, 1), [netplan.Rating("following_up", 2, evidence=words)], notes=words
        )
        return assessment._repr_html_()

    out = shown(text)
    assert html.escape(text, quote=True) in out
    # Whatever the text, it adds no element: the markup is the same as for a plain word.
    assert _tags(out) == _tags(shown("plain"))


def test_a_review_shows_statuses_findings_and_skills(review: netplan.Review) -> None:
    html = review._repr_html_()
    for progress in review.progress:
        assert f">{progress.status.value.replace('_', ' ')}</span>" in html
    assert "Skills since the previous assessment" in html
    assert "+1" in html  # following up, 2 -> 3
    assert f"Findings ({len(review.findings)})" in html


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(nst.reviews(max_goals=2))
def test_any_review_renders(review: netplan.Review) -> None:
    html = review._repr_html_()
    assert html.count("<tr>") >= len(review.progress) + len(review.findings)
    assert str(review).startswith("Review of")


# -- frames -------------------------------------------------------------------------------


@pytest.fixture
def pd() -> Any:
    return pytest.importorskip("pandas")


def test_review_frame(pd: Any, assessed: netplan.Plan, review: netplan.Review) -> None:
    frame = review.to_dataframe(assessed)
    assert tuple(frame.columns) == REVIEW_COLUMNS
    assert len(frame) == len(review.progress)
    assert list(frame["target"]) == [p.target for p in review.progress]
    assert list(frame["metric"]) == ["events_attended", "coffees", "referrals"]
    assert list(frame["per"].fillna("-")) == ["month", "month", "-"]
    for column in ("as_of", "start", "end", "by"):
        assert pd.api.types.is_datetime64_any_dtype(frame[column]), column
    assert frame["status"].cat.ordered
    assert list(frame["status"].cat.categories) == [s.value for s in netplan.Status]
    first = review.progress[0]
    row = frame.iloc[0]
    assert (row["actual"], row["expected"], row["buffer_days"]) == (
        first.actual,
        first.expected,
        first.buffer_days,
    )
    assert row["start"] == pd.Timestamp(first.road.start)
    # Without the plan, what only the plan knows is empty.
    bare = review.to_dataframe()
    assert bare["metric"].isna().all()
    assert bare.drop(columns=["metric", "per", "by"]).equals(
        frame.drop(columns=["metric", "per", "by"])
    )


def test_log_frame(pd: Any, log: netplan.ActivityLog) -> None:
    frame = log.to_dataframe()
    assert tuple(frame.columns) == LOG_COLUMNS
    assert len(frame) == len(log)
    assert str(frame["at"].dt.tz) == "UTC"
    assert list(frame["kind"].iloc[:2]) == ["message", "met"]  # time order, not log order
    assert frame["contact_name"].iloc[-2] == EVIL
    assert frame["notes"].iloc[3] == "<b>bold</b>"
    assert frame["event"].iloc[1] == "climate-tech-summit-2026-11-10"
    assert frame["event"].iloc[0] is pd.NA
    assert set(frame["kind"].cat.categories) == {k.value for k in netplan.InteractionKind}


@given(nst.activity_logs(max_interactions=40))
def test_the_log_frame_has_one_row_per_interaction_in_time_order(
    log: netplan.ActivityLog,
) -> None:
    pd = pytest.importorskip("pandas")
    frame = log.to_dataframe()
    assert len(frame) == len(log)
    expected = log.interactions()

    def text(value: Any) -> str | None:
        return None if value is pd.NA else str(value)

    rows = [
        (at.to_pydatetime(), text(contact), kind, channel, direction, text(event), notes)
        for at, contact, kind, channel, direction, event, notes in zip(
            frame["at"],
            frame["contact"],
            frame["kind"],
            frame["channel"],
            frame["direction"],
            frame["event"],
            frame["notes"],
            strict=True,
        )
    ]
    assert rows == [
        (
            i.at,
            i.contact,
            i.kind.value,
            i.channel.value,
            i.direction.value,
            i.event,
            i.notes,
        )
        for i in expected
    ]
    names = [None if c is None else log.contact(c).name for c in (i.contact for i in expected)]
    assert [text(n) for n in frame["contact_name"]] == names


def test_agenda_frame(pd: Any, week: netplan.Agenda) -> None:
    frame = week.to_dataframe()
    assert tuple(frame.columns) == AGENDA_COLUMNS
    assert len(frame) == len(week.items)
    assert list(frame["reason"]) == [i.reason for i in week.items]
    assert list(frame["overdue_days"]) == [i.overdue_days for i in week.items]
    assert pd.api.types.is_datetime64_any_dtype(frame["due"])
    assert list(frame["due"].dt.date) == [i.due for i in week.items]


def test_empty_frames(pd: Any) -> None:
    empty = netplan.ActivityLog()
    assert tuple(empty.to_dataframe().columns) == LOG_COLUMNS
    assert len(empty.to_dataframe()) == 0
    plan = netplan.Plan("Maya", start=D(2026, 11, 1))
    assert len(netplan.review(plan, empty, D(2026, 11, 2)).to_dataframe(plan)) == 0
    assert len(netplan.agenda(plan, empty, D(2026, 11, 2), D(2026, 11, 9)).to_dataframe()) == 0


def test_the_documented_columns_are_the_frames_columns() -> None:
    page = (ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8")
    for name, columns in (
        ("review", REVIEW_COLUMNS),
        ("log", LOG_COLUMNS),
        ("agenda", AGENDA_COLUMNS),
    ):
        row = next(line for line in page.splitlines() if line.startswith(f"| {name} |"))
        assert re.findall(r"`(\w+)`", row.split("|")[3]) == list(columns), name


def test_without_pandas_the_message_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
    review: netplan.Review,
    log: netplan.ActivityLog,
    week: netplan.Agenda,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    for make in (review.to_dataframe, log.to_dataframe, week.to_dataframe):
        with pytest.raises(
            ImportError, match=r"needs pandas: pip install 'networking-action-plan\[pandas\]'"
        ) as e:
            make()
        assert isinstance(e.value.__cause__, ImportError)
    # Display needs nothing optional.
    assert review._repr_html_()


# -- plots --------------------------------------------------------------------------------


@pytest.fixture
def ax() -> Any:
    """Axes on a figure of its own: no pyplot, no global state, nothing to close."""
    figure = pytest.importorskip("matplotlib.figure")
    return figure.Figure().add_subplot()


def labelled(ax: Any) -> dict[str, Any]:
    return {line.get_label(): line for line in ax.get_lines()}


def test_road_plot_shows_the_actual_line_against_the_pace_line(
    ax: Any, assessed: netplan.Plan, log: netplan.ActivityLog, review: netplan.Review
) -> None:
    from matplotlib.dates import date2num

    drawn = netplan.notebook.plot_road(review, "coffees", plan=assessed, log=log, ax=ax)
    assert drawn.ax is ax and drawn.figure is ax.figure
    lines = labelled(ax)
    assert {"actual", "pace", "as of"} <= set(lines)
    progress = next(p for p in review.progress if p.target == "coffees")
    road = progress.road
    pace_x, pace_y = lines["pace"].get_data()
    assert [date2num(x) for x in pace_x] == [date2num(road.start), date2num(road.end)]
    assert list(pace_y) == [float(road.expected(road.start)), float(road.amount)]
    actual_x, actual_y = lines["actual"].get_data()
    # A value for each day of the road up to the review's day, the last the review's.
    assert len(actual_x) == (review.as_of - road.start).days + 1
    assert actual_y[-1] == progress.actual
    assert list(actual_y) == sorted(actual_y)
    # Named as the person wrote them, not by slugs.
    assert ax.get_title() == (
        "Learn about climate tech: 3 coffees a month (in energy)\n1 of 3, ahead, 11 d of buffer"
    )
    due_x, due_y = lines["due"].get_data()
    # What is due steps up a whole unit at a time, to the amount on the last day.
    assert len(due_x) == road.length and due_y[-1] == float(road.amount)
    steps = list(due_y[:-1])  # then the last day: the whole amount
    assert all(b - a in (0, 1) for a, b in itertools.pairwise(steps))


def test_road_plot_without_the_log_shows_the_review_s_point(
    ax: Any, review: netplan.Review
) -> None:
    netplan.notebook.plot_road(review, "find-a-job/referrals", ax=ax)
    _, ys = labelled(ax)["actual"].get_data()
    assert list(ys) == [0.0]
    # Without the plan, the review's ids are all there is to name it by.
    assert ax.get_title().startswith("find-a-job/referrals: 0 of 5")


def test_road_plot_names_what_the_review_measured(ax: Any, review: netplan.Review) -> None:
    with pytest.raises(netplan.NotFoundError, match="learn-about-climate-tech/coffees"):
        netplan.notebook.plot_road(review, "posts", ax=ax)


def test_network_growth(ax: Any, log: netplan.ActivityLog) -> None:
    netplan.notebook.plot_network_growth(log, ax=ax)
    _, ys = labelled(ax)["contacts"].get_data()
    assert list(ys) == [1, 2]
    assert "2 of 2 contacts" in ax.get_title()


def test_interactions_by_month(ax: Any, log: netplan.ActivityLog) -> None:
    netplan.notebook.plot_interactions_by_month(log, ax=ax)
    bars = {c.get_label(): [p.get_height() for p in c.patches] for c in ax.containers}
    # November and December, stacked by kind in the order of the kinds.
    assert bars == {
        "met": [1, 1],
        "follow up": [1, 0],
        "message": [1, 0],
        "coffee": [1, 1],
    }
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2026-11", "2026-12"]


@given(nst.activity_logs(max_interactions=30), nst.zones())
def test_the_months_count_every_interaction_once(log: netplan.ActivityLog, zone: str) -> None:
    from netplan.notebook.plots import _monthly

    months, stacks = _monthly(log, None, Zone.named(zone))
    assert sum(sum(heights) for heights in stacks.values()) == len(log)
    assert all(len(heights) == len(months) for heights in stacks.values())
    assert months == sorted(set(months))
    if months:
        info = zoneinfo.ZoneInfo(zone)
        first, last = (d.astimezone(info) for d in (min(i.at for i in log), max(i.at for i in log)))
        assert (months[0], months[-1]) == ((first.year, first.month), (last.year, last.month))


def test_skills_across_assessments(ax: Any, assessed: netplan.Plan) -> None:
    netplan.notebook.plot_skills(assessed, ax=ax)
    lines = labelled(ax)
    assert set(lines) == {"Starting conversations", "Following up", "Online presence"}
    assert list(lines["Following up"].get_data()[1]) == [2, 3]


def test_empty_plots(ax: Any) -> None:
    empty = netplan.ActivityLog()
    netplan.notebook.plot_interactions_by_month(empty, ax=ax)
    netplan.notebook.plot_network_growth(empty, ax=ax)
    netplan.notebook.plot_skills([], ax=ax)
    assert not ax.containers and not ax.get_lines()


def test_a_plot_without_axes_draws_a_new_pyplot_figure(log: netplan.ActivityLog) -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    chart = netplan.notebook.plot_interactions_by_month(log)
    try:
        assert chart.figure.number in plt.get_fignums()
    finally:
        plt.close(chart.figure)


def test_without_matplotlib_the_message_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, log: netplan.ActivityLog
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'networking-action-plan\[plots\]'"):
        netplan.notebook.plot_network_growth(log)


def test_importing_netplan_notebook_imports_no_optional_library() -> None:
    import subprocess

    code = (
        "import sys, netplan, netplan.notebook; "
        "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the notebook -------------------------------------------------------------------------


def test_the_notebook_is_committed_without_outputs() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The name of a kernel running this interpreter, whatever kernels the machine has."""
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    for module in ("nbclient", "nbformat", "ipykernel", "pandas", "matplotlib"):
        pytest.importorskip(module, reason=f"executing the notebook needs {module}")
    spec = tmp_path / "jupyter" / "kernels" / "netplan-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.joinpath("kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "netplan tests", "language": "python"})
    )
    # Searched before every other place kernels are installed.
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    # The connection file and IPython's history go to the test's folder too.
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return "netplan-test"


def test_maya_s_notebook_runs(kernel: str, tmp_path: Path) -> None:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    work = tmp_path / "work"
    work.mkdir()
    client = NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=120,
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    shown = [o for o in outputs if o.output_type in ("execute_result", "display_data")]
    html = "".join(o.data.get("text/html", "") for o in shown)
    assert 'class="netplan-review"' in html
    assert 'class="netplan-plan"' in html
    assert 'class="netplan-contact"' in html and "Sofia Rossi" in html
    assert sum("image/png" in o.data for o in shown) >= 2
    # Each chart shows once, as its picture: not as "<Axes: ...>" text, nor twice (as the
    # cell's value and again by the inline backend at the cell's end).
    charts = [c for c in notebook.cells if "netplan.notebook.plot_" in c.source]
    assert len(charts) == 6
    for cell in charts:
        pictures = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(pictures) == 1, cell.source
        texts = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert "<Axes" not in texts
    assert list(work.iterdir()) == []  # nothing written where it ran
