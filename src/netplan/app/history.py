"""Step 5's memory: reviews kept in a store, and the plan revisions they led to.

>>> import datetime as dt, netplan
>>> store = netplan.open("memory://")
>>> plan = store.save(netplan.Plan("Maya", start=dt.date(2026, 11, 1)))
>>> result = netplan.review(plan, store.load_log(plan.id), dt.date(2026, 11, 15))
>>> kept = record_review(store, result.adjust(plan))
>>> [r.as_of for r in review_history(store, plan.id)]
[datetime.date(2026, 11, 15)]
"""

from __future__ import annotations

from netplan.core.evaluation import Adjusted, Review
from netplan.storage import Store
from netplan.stores.serialize import from_data, to_data

__all__ = ["record_review", "review_history"]


def record_review(store: Store, reviewed: Review | Adjusted) -> Review:
    """Keep a review in the store's history, and with it the plan its adjustments made.

    Given an :class:`~netplan.Adjusted` whose plan differs from the stored revision, the
    plan is saved first (as the next revision, refused with
    :class:`~netplan.ConflictError` if someone saved in between) and the review records
    that revision in ``adopted_revision``; then the review is saved. In that order, a
    stored review never names a revision that is not there. Returns the review as stored.
    """
    if isinstance(reviewed, Adjusted):
        result = reviewed.review
        if result.applied:
            saved = store.save(reviewed.plan)
            result = result.adopted(saved.revision)
    else:
        result = reviewed
    store.save_review(result.plan, to_data(result))
    return result


def review_history(store: Store, plan_id: str) -> tuple[Review, ...]:
    """The plan's stored reviews, oldest first; compare two with :meth:`Review.compare`."""
    return tuple(from_data(data, Review) for data in store.reviews(plan_id))
