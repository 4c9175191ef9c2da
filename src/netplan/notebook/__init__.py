"""netplan in a notebook: HTML display, pandas DataFrames and matplotlib charts.

Plans, reviews, agendas, import reports and skill assessments show as HTML tables in
Jupyter by themselves (their ``_repr_html_`` calls :func:`netplan.core.display.html`, to
which this package registers :mod:`netplan.notebook.html`'s tables); reviews,
activity logs and agendas have ``to_dataframe()`` (:mod:`netplan.notebook.frames`, with
the ``pandas`` extra); and the charts are here::

    import netplan.notebook

    netplan.notebook.plot_review(review, plan, log)
    netplan.notebook.plot_road(review, "coffees", plan=plan, log=log)
    netplan.notebook.plot_interactions_by_month(log)

pandas and matplotlib are optional (``pip install 'networking-action-plan[pandas,plots]'``) and imported
only when a frame or a chart is asked for: importing this package imports neither.
"""

from __future__ import annotations

from netplan.core import display
from netplan.core.agenda import Agenda, ContactView
from netplan.core.evaluation import Review
from netplan.core.importing import ImportReport
from netplan.core.log import ActivityLog
from netplan.core.network import Contact
from netplan.core.plan import Plan
from netplan.core.skills import SkillAssessment
from netplan.notebook.frames import (
    agenda_frame,
    consistency_frame,
    findings_frame,
    log_frame,
    review_frame,
)
from netplan.notebook.html import (
    agenda_html,
    assessment_html,
    contact_html,
    import_report_html,
    plan_html,
    review_html,
)
from netplan.notebook.plots import (
    Chart,
    plot_interactions_by_month,
    plot_network_growth,
    plot_review,
    plot_road,
    plot_skill_gaps,
    plot_skills,
)

# What the core's values show as (netplan.core.display): this package is imported with
# netplan, so a value shows in Jupyter whoever made it.
display.html.register(Plan, plan_html)
display.html.register(Review, review_html)
display.html.register(Agenda, agenda_html)
display.html.register(ImportReport, import_report_html)
display.html.register(SkillAssessment, assessment_html)
display.html.register(Contact, contact_html)
display.html.register(ContactView, contact_html)
display.frame.register(Review, review_frame)
display.frame.register(ActivityLog, log_frame)
display.frame.register(Agenda, agenda_frame)

__all__ = [
    "Chart",
    "agenda_frame",
    "agenda_html",
    "assessment_html",
    "consistency_frame",
    "contact_html",
    "findings_frame",
    "import_report_html",
    "log_frame",
    "plan_html",
    "plot_interactions_by_month",
    "plot_network_growth",
    "plot_review",
    "plot_road",
    "plot_skill_gaps",
    "plot_skills",
    "review_frame",
    "review_html",
]
