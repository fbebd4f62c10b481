"""The reader's place in an append-only table: every row shown once, late commits included."""

from __future__ import annotations

from app.services.news_cursor import NewsCursor


class Ticking:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_row_that_commits_after_a_higher_one_is_still_shown_once():
    clock = Ticking()
    cursor = NewsCursor(10, settle_seconds=60, monotonic=clock)
    assert cursor.advance(horizon=13, found=[13]) == [13]  # id 11 and 12 still uncommitted
    clock.now = 5
    assert (cursor.after_id, cursor.shown) == (10, {13})
    assert cursor.advance(horizon=13, found=[11, 13]) == [11]  # 11 committed late
    clock.now = 10
    assert cursor.advance(horizon=14, found=[12, 14]) == [12, 14]
    assert cursor.advance(horizon=14, found=[]) == []


def test_the_mark_settles_only_after_the_margin_and_forgets_what_it_passed():
    clock = Ticking()
    cursor = NewsCursor(0, settle_seconds=60, monotonic=clock)
    cursor.advance(horizon=5, found=[3, 5])
    clock.now = 59
    cursor.advance(horizon=8, found=[8])
    assert (cursor.after_id, cursor.shown) == (0, {3, 5, 8})
    clock.now = 60
    cursor.advance(horizon=9, found=[])
    assert (cursor.after_id, cursor.shown) == (5, {8})  # the horizon read 60 s ago
    clock.now = 200
    cursor.advance(horizon=9, found=[9])
    assert (cursor.after_id, cursor.shown) == (9, set())


def test_rows_up_to_the_start_are_history():
    cursor = NewsCursor(40)
    assert cursor.after_id == 40 and cursor.advance(horizon=41, found=[41]) == [41]
