"""The log's index builds (netplan.core._vectors, numpy) against their definitions, row
by row in plain Python: columns in time order or not, equal instants, rows of no contact
(-1), contacts with no row, kinds in and out of the sets asked for."""

from __future__ import annotations

import bisect
from array import array

from hypothesis import given
from hypothesis import strategies as st

from netplan.core import _vectors

NONE = -1
KIND_SETS = st.frozensets(st.integers(0, 9), max_size=4)


@st.composite
def columns(draw: st.DrawFn, *, in_time_order: bool = True) -> tuple[array, array, bytearray]:
    rows = draw(st.integers(0, 60))
    # Few instants and contacts, so that equal instants and repeated contacts are common.
    at = draw(
        st.lists(st.integers(-(2**62), 2**62) | st.integers(0, 5), min_size=rows, max_size=rows)
    )
    if in_time_order:
        at.sort()
    contact = draw(st.lists(st.integers(NONE, 12), min_size=rows, max_size=rows))
    kind = draw(st.lists(st.integers(0, 9), min_size=rows, max_size=rows))
    return array("q", at), array("i", contact), bytearray(kind)


@given(columns(in_time_order=False))
def test_the_time_order_is_a_stable_sort_of_the_instants(
    cols: tuple[array, array, bytearray],
) -> None:
    at = cols[0]
    order = _vectors.time_order(at)
    expected = sorted(range(len(at)), key=at.__getitem__)
    if order is None:
        assert expected == list(range(len(at)))
    else:
        assert list(order) == expected
        assert order.typecode == "i"
        gathered = _vectors.gathered(order, *cols)
        assert [list(column) for column in gathered] == [
            [column[row] for row in expected] for column in cols
        ]
    at.append(0)  # no view of the column outlives the call: it can still grow


@given(columns())
def test_firsts_and_lasts_are_each_contact_s_earliest_and_latest_instants(
    cols: tuple[array, array, bytearray],
) -> None:
    at, contact, _ = cols
    first_at, last_at, keys = _vectors.firsts_and_lasts(at, contact)
    expected_first: dict[int, int] = {}
    expected_last: dict[int, int] = {}
    for instant, code in zip(at, contact, strict=True):
        if code != NONE:
            expected_first.setdefault(code, instant)
            expected_last[code] = instant
    assert first_at == expected_first
    assert last_at == expected_last
    assert keys == sorted(instant << 32 | code for code, instant in expected_first.items())


@given(columns(), KIND_SETS, KIND_SETS)
def test_meetings_are_each_first_meeting_and_the_first_answer_after_it(
    cols: tuple[array, array, bytearray], kinds: frozenset[int], answers: frozenset[int]
) -> None:
    met, answer = _vectors.meetings(*cols, kinds, answers)
    expected_met: dict[int, int] = {}
    expected_answer: dict[int, int] = {}
    for instant, code, kind in zip(*cols, strict=True):
        if code != NONE and kind in kinds:
            expected_met.setdefault(code, instant)
    for instant, code, kind in zip(*cols, strict=True):
        if kind in answers and code in expected_met and instant > expected_met[code]:
            expected_answer.setdefault(code, instant)
    assert met == expected_met
    assert answer == expected_answer


@given(columns(), KIND_SETS | st.none(), KIND_SETS | st.none(), st.data())
def test_unanswered_are_the_latest_meetings_between_two_rows_with_no_later_answer(
    cols: tuple[array, array, bytearray],
    kinds: frozenset[int] | None,
    answers: frozenset[int] | None,
    data: st.DataObject,
) -> None:
    first = data.draw(st.integers(0, len(cols[0])))
    last = data.draw(st.integers(first, len(cols[0])))
    met: dict[int, int] = {}
    answered: dict[int, int] = {}
    for row in range(first, len(cols[0])):
        instant, code, kind = cols[0][row], cols[1][row], cols[2][row]
        if code == NONE:
            continue
        if row < last and (kinds is None or kind in kinds):
            met[code] = instant
        if answers is None or kind in answers:
            answered[code] = instant
    owed = sorted((at, code) for code, at in met.items() if answered.get(code, at) <= at)
    assert _vectors.unanswered(*cols, kinds, answers, first, last) == (
        [code for _, code in owed],
        [at for at, _ in owed],
    )
    if kinds is not None:
        at, contact = _vectors.rows_of_kinds(*cols, kinds, first, last)
        rows = [row for row in range(first, last) if cols[2][row] in kinds]
        assert list(at) == [cols[0][row] for row in rows]
        assert list(contact) == [cols[1][row] for row in rows]


@given(columns(), st.lists(st.frozensets(st.integers(0, 20), max_size=6), max_size=4), st.data())
def test_groups_hold_their_contacts_rows_and_count_them_apart(
    cols: tuple[array, array, bytearray], groups: list[frozenset[int]], data: st.DataObject
) -> None:
    # Groups share no contact (a plan's cadence groups): each code in the first that has it.
    disjoint = [codes - frozenset().union(*groups[:number]) for number, codes in enumerate(groups)]
    at, contact, _ = cols
    for codes, (group_at, group_contact) in zip(
        disjoint, _vectors.group_rows(at, contact, disjoint), strict=True
    ):
        rows = [row for row in range(len(at)) if contact[row] in codes]
        assert list(group_at) == [at[row] for row in rows]
        assert list(group_contact) == [contact[row] for row in rows]
        first = data.draw(st.integers(0, len(rows)))
        last = data.draw(st.integers(first, len(rows)))
        assert _vectors.distinct(group_contact, first, last) == len(set(group_contact[first:last]))


@given(
    columns(in_time_order=False),
    st.frozensets(st.integers(NONE, 14), min_size=1, max_size=4),
    st.integers(0, 70),
)
def test_positions_are_the_rows_of_the_contacts_asked_for_from_the_first_on(
    cols: tuple[array, array, bytearray], among: frozenset[int], first: int
) -> None:
    contact = cols[1]
    found = _vectors.positions(contact, among, first)
    assert found == [row for row in range(first, len(contact)) if contact[row] in among]
    contact.append(0)


@given(
    st.lists(st.integers(-(2**62), 2**62) | st.integers(0, 5)),
    st.lists(st.integers(-(2**62), 2**62) | st.integers(0, 5)),
    st.integers(-(2**40), 2**40),
)
def test_placed_is_the_right_bisection_of_each_value_among_the_bounds(
    values: list[int], bounds: list[int], before: int
) -> None:
    bounds.sort()
    expected = [before + bisect.bisect_right(bounds, value) for value in values]
    assert _vectors.placed(values, bounds, before) == expected
