"""The impact x urgency matrix that gives a ticket its priority unless someone overrides it."""

import pytest

from app.models import Level, Priority
from app.services.priority import priority_for

H, M, L = Level.HIGH, Level.MEDIUM, Level.LOW


@pytest.mark.parametrize(
    ("impact", "urgency", "expected"),
    [
        (H, H, Priority.P1),
        (H, M, Priority.P2),
        (H, L, Priority.P3),
        (M, H, Priority.P2),
        (M, M, Priority.P3),
        (M, L, Priority.P4),
        (L, H, Priority.P3),
        (L, M, Priority.P4),
        (L, L, Priority.P4),
    ],
)
def test_every_cell_of_the_matrix(impact, urgency, expected):
    assert priority_for(impact, urgency) == expected


def test_matrix_is_symmetric_in_impact_and_urgency():
    for impact in Level:
        for urgency in Level:
            assert priority_for(impact, urgency) == priority_for(urgency, impact)
