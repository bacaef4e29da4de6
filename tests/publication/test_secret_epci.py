"""EPCI in the secondary suppression: a département contains the EPCI whose communes all lie in it,
and « département − its EPCI » must recover neither a secret EPCI nor a small remainder (threshold
11). Département A = communes a1…a6: EPCI E1 (a1), E2 (a2), E3 (a3, a4); a5 has no EPCI (its records
are the remainder, with those placed only by département). EPCI E4 (a6 in A, b1 in B) straddles."""

from __future__ import annotations

from tests.publication.conftest import dep, row
from tests.publication.test_secret import perimetres_table, run, secrets

E1, E2, E3, E4 = ("epci", "E1"), ("epci", "E2"), ("epci", "E3"), ("epci", "E4")
PERIMETRES = {
    dep("A"): ["a1", "a2", "a3", "a4", "a5", "a6"],
    dep("B"): ["b1"],
    E1: ["a1"],
    E2: ["a2"],
    E3: ["a3", "a4"],
    E4: ["a6", "b1"],
}


def build(warehouse, values: dict) -> dict:
    path = warehouse([row("ATTR_SD", territoire, valeur=v) for territoire, v in values.items()])
    perimetres_table(path, PERIMETRES)
    _, table = run(path)
    return table


def test_one_secret_epci_of_a_departement_gets_a_second_one(warehouse):
    # A = 140 = E1 5 + E2 40 + E3 50 + 45 (the remainder: a5, a6, records without commune).
    # E1 is a primary secret; with A, E2 and E3 published, E1 = 140 − 45 − 40 − 50 if the remainder
    # is known: E2 (the smallest other EPCI) is suppressed too. A and E3 stay published.
    table = build(warehouse, {dep("A"): 140, E1: 5, E2: 40, E3: 50, E4: 30})
    assert secrets(table) == {("E1", "2024"), ("E2", "2024")}
    assert table[("ATTR_SD", "A", "2024")][:2] == ("ok", 140)
    assert table[("ATTR_SD", "E3", "2024")][:2] == ("ok", 50)


def test_a_small_remainder_is_not_published_by_subtraction(warehouse):
    # A = 100 = E1 20 + E2 30 + E3 45 + 5: « A − its EPCI » = 5 would be a small count published by
    # subtraction. E1 (the smallest EPCI) is suppressed, then E2 so that E1 is not alone. The
    # straddling E4 is in no département's sum and stays published.
    table = build(warehouse, {dep("A"): 100, E1: 20, E2: 30, E3: 45, E4: 30})
    assert secrets(table) == {("E1", "2024"), ("E2", "2024")}
    assert table[("ATTR_SD", "E4", "2024")][:2] == ("ok", 30)


def test_a_large_remainder_with_published_epci_is_published(warehouse):
    # A = 140 = 20 + 30 + 45 + 45: nothing is small, nothing is suppressed.
    table = build(warehouse, {dep("A"): 140, E1: 20, E2: 30, E3: 45, E4: 30})
    assert secrets(table) == set()


def test_no_remainder_the_smallest_other_epci_is_suppressed(warehouse):
    # A = 102 = E1 7 + E2 50 + E3 45 (remainder 0): E1 is a primary secret, E3 (the smallest other
    # EPCI) is suppressed with it; A stays published.
    table = build(warehouse, {dep("A"): 102, E1: 7, E2: 50, E3: 45, E4: 30})
    assert secrets(table) == {("E1", "2024"), ("E3", "2024")}
    assert table[("ATTR_SD", "A", "2024")][:2] == ("ok", 102)


def test_the_straddling_epci_is_in_the_sum_of_its_region(warehouse):
    # R1 (reference.departements of the fixtures: A and B are in R1) contains E4 (a6, b1); with
    # R1 published and E4 the only secret EPCI of R1, a second EPCI of R1 is suppressed.
    path = warehouse(
        [
            row("ATTR_SD", ("region", "R1"), valeur=200),
            row("ATTR_SD", E1, valeur=20),
            row("ATTR_SD", E2, valeur=30),
            row("ATTR_SD", E3, valeur=45),
            row("ATTR_SD", E4, valeur=6),
        ]
    )
    perimetres = dict(PERIMETRES)
    perimetres[("region", "R1")] = ["a1", "a2", "a3", "a4", "a5", "a6", "b1"]
    perimetres_table(path, perimetres)
    _, table = run(path)
    assert secrets(table) == {("E4", "2024"), ("E1", "2024")}
