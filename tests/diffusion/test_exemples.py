"""The three example researcher queries of `sql/diffusion/exemples/` (copied into the README) run
on the published file opened read-only and return the expected values of the hand-made data."""

from __future__ import annotations

import duckdb
import pytest

from assets.diffusion.fichier import SQL_FOLDER, build


@pytest.fixture
def published(paths):
    build(paths["warehouse"], paths["publication"], synthetic=True)
    with duckdb.connect(str(paths["publication"]), read_only=True) as conn:
        yield conn


def example(conn, name):
    return conn.sql((SQL_FOLDER / "exemples" / f"{name}.sql").read_text(encoding="utf-8")).fetchall()


def test_tx_attr_sd_lda_hors_lda(published):
    assert example(published, "1_tx_attr_sd_lda_hors_lda") == [("2023", 30.0, 20.0), ("2024", 35.0, 25.0)]


def test_attr_sd_pour_100000(published):
    assert example(published, "2_attr_sd_pour_100000") == [
        ("04", "Alpes-de-Haute-Provence", "2024", 33.0, 165_000, 20.0),
        ("01", "Ain", "2024", 65.0, 650_000, 10.0),
        ("02", "Aisne", "2024", 12.0, 530_000, 2.3),
        ("05", "Hautes-Alpes", "2024", 0.0, 140_000, 0.0),
    ]


def test_part_secret(published):
    rows = example(published, "3_part_secret")
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        ("ATTR_SD", 6, 1, 16.7),
        ("NDLS_TAUX", 1, 0, 0.0),
        ("TX_ATTR_SD", 4, 0, 0.0),
    ]
    assert rows[0][1] == "Attributions à des ménages sans domicile"
