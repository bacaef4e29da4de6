"""Day boundaries of the linked-pathway rules, on a warehouse of their own (the hand-made reference
tables of conftest.py with only the records below): RETOUR_RUE_12M counts an `Urgence` request
0 < d − a ≤ 365 days after the attribution, PRIMO_DEMANDEURS looks 0 < d − e ≤ 730 days back."""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.resources import WarehouseResource
from tests.indicateurs.conftest import write_tables

# attributions of 2023 in 02002, each linked to one household
ATTRIBUTIONS = [("N8", "2023-03-01"), ("N9", "2023-03-01"), ("N10", "2023-03-01")]
# SIAO Urgence requests in 02: numéro, ménage, date, nur
SIAO = [
    ("R8", "M8", "2024-02-29", "N8"),   # 365 days after 2023-03-01 (2024 is a leap year) → a return
    ("R9", "M9", "2024-03-01", "N9"),   # 366 days → not a return
    ("R10", "M10", "2023-03-01", "N10"),  # same day → not a return
    ("R11a", "M11", "2022-01-10", None), ("R11b", "M11", "2024-01-10", None),  # 730 days → not primo
    ("R12a", "M12", "2022-01-10", None), ("R12b", "M12", "2024-01-11", None),  # 731 days → primo
]


@pytest.fixture(scope="module")
def values(tmp_path_factory) -> dict:
    import assets.indicateurs as indicateurs

    path = tmp_path_factory.mktemp("bornes") / "warehouse.duckdb"
    conn = duckdb.connect(str(path))
    write_tables(conn)
    conn.execute("delete from staging.sne_attributions")
    conn.executemany("insert into staging.sne_attributions values (?, date '2023-01-01', ?, '02002', 'Etat', "
                     "'Squat', 'Personne seule', 1, false, false, 'sne_attributions_2023.csv', 2)", ATTRIBUTIONS)
    conn.execute("delete from staging.siao_demandes")
    conn.executemany("""insert into staging.siao_demandes values ('02', ?, ?, date '2024-03-31', ?, 'Urgence', '02002',
        'Personne seule', 1, 0, 'M', '25-34 ans', 'Hôtel', 'En attente', null, null, null, null, null, null, ?,
        'siao.csv', 2, 1)""", SIAO)
    conn.execute("insert into staging.siao_couverture values ('02', '2024-02', '2024')")
    conn.close()
    result = dg.materialize(indicateurs.ASSETS, resources={"warehouse": WarehouseResource(database=str(path))})
    assert result.success
    conn = duckdb.connect(str(path), read_only=True)
    rows = conn.sql("select indicateur, territoire_code, periode, valeur, numerateur, denominateur "
                    "from marts.indicateurs where territoire_type = 'departement' and territoire_code = '02'").fetchall()
    conn.close()
    return {(r[0], r[2]): r[3:] for r in rows}


def test_retour_rue_365_days(values):
    assert values[("RETOUR_RUE_12M", "2024")] == (pytest.approx(100 / 3), 1, 3)


def test_primo_730_days(values):
    # 2024: M8, M9 (no earlier request) and M12 are primo; M11 is not
    assert values[("PRIMO_DEMANDEURS", "2024")][0] == 3
