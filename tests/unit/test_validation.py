"""Checks of user-supplied text and choices: each refusal names the field and the value."""

import pytest

from app.models import Level, TicketStatus
from app.services.errors import InvalidInput
from app.services.validation import clean_text, parse_choice


def test_clean_text_trims_surrounding_whitespace():
    assert clean_text("title", "  Printer jams \n", max_length=50) == "Printer jams"


@pytest.mark.parametrize("value", ["", "   ", "\t\n", None])
def test_required_text_refuses_missing_or_blank(value):
    with pytest.raises(InvalidInput) as caught:
        clean_text("title", value, max_length=50)
    assert caught.value.field == "title"
    assert str(caught.value) == "title: must not be empty"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_optional_text_may_be_missing(value):
    assert clean_text("description", value, max_length=50, required=False) == ""


def test_text_at_the_limit_is_accepted_one_more_is_refused():
    assert clean_text("title", "x" * 10, max_length=10) == "x" * 10
    with pytest.raises(InvalidInput, match=r"^title: is 11 characters long; at most 10 allowed$"):
        clean_text("title", "x" * 11, max_length=10)


def test_length_is_measured_after_trimming():
    assert clean_text("title", "  " + "x" * 10 + "  ", max_length=10) == "x" * 10


def test_length_counts_characters_not_bytes():
    assert clean_text("requester", "Zoë Ångström", max_length=12) == "Zoë Ångström"


def test_nul_character_is_refused():
    with pytest.raises(InvalidInput, match="^comment: contains a NUL character$"):
        clean_text("comment", "before\x00after", max_length=100)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("high", Level.HIGH),
        ("HIGH", Level.HIGH),
        ("  Medium ", Level.MEDIUM),
        (Level.LOW, Level.LOW),
    ],
)
def test_parse_choice_accepts_values_in_any_case(raw, expected):
    assert parse_choice("impact", Level, raw) is expected


@pytest.mark.parametrize("raw", ["in-progress", "In Progress", "in_progress"])
def test_parse_choice_treats_hyphens_and_spaces_as_underscores(raw):
    assert parse_choice("status", TicketStatus, raw) is TicketStatus.IN_PROGRESS


def test_parse_choice_refusal_names_field_value_and_allowed_values():
    with pytest.raises(InvalidInput) as caught:
        parse_choice("urgency", Level, "critical")
    assert caught.value.field == "urgency"
    assert str(caught.value) == "urgency: 'critical' is not one of: high, medium, low"


def test_parse_choice_does_not_accept_member_names_that_are_not_values():
    with pytest.raises(InvalidInput, match="'waiting on'"):
        parse_choice("status", TicketStatus, "waiting on")
