"""Tables printed to a pipe: laid out without rich's console, as rich lays them out."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from netplan.cli import _output
from netplan.cli._output import Bar, Output, piped_lines

# Letters of every width rich measures: ASCII, accented, combining marks, CJK (two
# cells), emoji, a zero-width joiner, tabs and newlines (which rich lays out itself).
_TEXT = st.text(
    st.sampled_from(list("ab Zé\u0301李한😀\u200d\t\n-%9")) | st.characters(codec="utf-8"),
    max_size=8,
)


def _printed(
    headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int]
) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        Output(as_json=False).table(headers, rows, numeric=numeric)
    return out.getvalue()


def _printed_by_rich(
    headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int]
) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_output, "piped_lines", lambda *_: None)
        return _printed(headers, rows, numeric)


@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(_TEXT, min_size=n, max_size=n),
            st.lists(st.lists(_TEXT, min_size=n, max_size=n), min_size=1, max_size=4),
            st.sets(st.integers(0, n - 1)),
        )
    )
)
@example((["name", "id"], [["李小龍", "c1"], ["Zoe\u0301", "c22"]], {1}))
@example((["", "x"], [["", ""]], set()))
def test_a_piped_table_is_printed_as_rich_prints_it(
    table: tuple[list[str], list[list[str]], set[int]],
) -> None:
    headers, rows, numeric = table
    assert _printed(headers, rows, sorted(numeric)) == _printed_by_rich(
        headers, rows, sorted(numeric)
    )


def test_a_piped_table_of_names_and_bars_lines_up() -> None:
    printed = _printed(
        ["who", "done", "count"],
        [["李小龍", Bar(0.5), 3], [("Zoë Lind", "green"), Bar(1.7), 12]],
        [2],
    )
    assert printed.splitlines() == [
        "who       done  count",
        "李小龍    50%       3",
        "Zoë Lind  100%     12",
    ]


def test_texts_rich_must_lay_out_are_left_to_it() -> None:
    assert piped_lines(["a"], [["two\nlines"]]) is None
    assert piped_lines(["a"], [["a\ttab"]]) is None
    assert piped_lines(["a", "b"], [["x", "y"]], [1]) == ["a  b", "x  y"]
