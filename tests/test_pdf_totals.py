"""The summary's totals table shows the figures with a value in either period (the activities
always), and names the rest in one line: a manager reads what happened, not rows of zeros."""

from __future__ import annotations

from portfolio_app.export.pdf.content import Totals


def test_only_figures_with_a_value_in_either_period_are_shown() -> None:
    this = Totals(activities=3, shadowing=2, hours=7.5)
    before = Totals(activities=1, peer_events=1)
    shown, left_out = this.compared_with(before)
    assert shown == [
        ("Activities", 3, 1),
        ("Peer events", 0, 1),
        ("Shadowing", 2, 0),
        ("Hours logged", 7.5, 0),
    ]
    assert "Secondment days" in left_out and "Lessons recorded" in left_out
    assert len(shown) + len(left_out) == len(this.rows())
    assert [label for label, _ in this.rows() if label not in left_out] == [s[0] for s in shown]


def test_with_nothing_in_either_period_the_activities_row_stays() -> None:
    shown, left_out = Totals().compared_with(Totals())
    assert shown == [("Activities", 0, 0)]
    assert left_out == [label for label, _ in Totals().rows()][1:]
