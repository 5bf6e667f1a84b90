"""Key facts of the right kind or none: Who a person or body, Where a place, When a date."""

from __future__ import annotations

import pytest

from newsdesk.write.extractive.kinds import is_of_kind

SENTENCE = (
    "Harbour master Tomas Velder told the Corvel Herald on Tuesday that a Toyota Corolla "
    "had blocked the quay in Marseille for three hours."
)


@pytest.mark.parametrize(
    ("aspect", "value", "right"),
    [
        ("Who", "Tomas Velder", True),
        ("Who", "Toyota Corolla", False),  # a car is not an actor
        ("Who", "Marseille", False),
        ("Where", "Marseille", True),
        ("Where", "Corvel Herald", False),  # a newspaper is not a place
        ("When", "Tuesday", True),
        ("When", "Marseille", False),
        ("Where", "Atlantis Quay", False),  # not in the sentence at all
        ("Deaths", "three", True),  # figures are checked by their own finders
    ],
)
def test_a_value_is_checked_in_its_own_sentence(aspect: str, value: str, right: bool) -> None:
    assert is_of_kind(aspect, value, SENTENCE) is right
