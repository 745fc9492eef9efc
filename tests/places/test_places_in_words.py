"""A ward or locality named at the start or end of what someone typed is read as where, not what."""

from __future__ import annotations

from commonweal.places.queries import NamedPlace, place_in_words

MITCHAM = NamedPlace("Mitcham", 51.40, -0.16)
COLLIERS_WOOD = NamedPlace("Colliers Wood", 51.42, -0.18)
PLACES = {"mitcham": MITCHAM, "colliers wood": COLLIERS_WOOD}


def test_a_place_at_the_end_or_the_start_is_taken_out_of_the_words() -> None:
    assert place_in_words("food bank mitcham", PLACES) == ("food bank", MITCHAM)
    assert place_in_words("Mitcham food bank", PLACES) == ("food bank", MITCHAM)
    assert place_in_words("youth club in Mitcham", PLACES) == ("youth club", MITCHAM)
    assert place_in_words("lunch club near Colliers Wood", PLACES) == ("lunch club", COLLIERS_WOOD)


def test_the_longest_place_name_wins_and_punctuation_is_ignored() -> None:
    assert place_in_words("foodbank, Colliers-Wood", PLACES) == ("foodbank", COLLIERS_WOOD)


def test_a_place_alone_or_in_the_middle_is_not_taken() -> None:
    assert place_in_words("mitcham", PLACES) is None
    assert place_in_words("in mitcham", PLACES) is None
    assert place_in_words("food mitcham bank", PLACES) is None
    assert place_in_words("", PLACES) is None
