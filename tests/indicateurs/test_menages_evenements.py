"""The household event table of section G (intermediate.siao_menages_evenements) on hand-made
households: which dates are events, their kind and place, the SNE attributions linked by NUR, and its
incremental rebuild when one département's requests change (only that département's households are
recomputed; the table equals a full rebuild)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from assets.indicateurs.assets import MODELS, build_model
from tests.indicateurs.conftest import write_tables

EVENTS = next(m for m in MODELS if m.name == "intermediate/siao_menages_evenements")
# departement_siao, numero, menage, date_demande, commune, date_orientation, date_admission, date_sortie,
# destination, nur
REQUESTS = [
    # M1: request, orientation, admission, exit to social housing, placed by its commune 01001
    ("01", "R1", "M1", "2023-01-10", "01001", "2023-01-20", "2023-02-01", "2023-06-30", "Logement social", "NUR1"),
    # M1 again in 02 without commune: placed at the Département SIAO; an exit to the street is no event
    ("02", "R2", "M1", "2023-09-01", None, None, None, "2023-10-01", "Rue", None),
    # M2: a commune of 01 requested in 02: its place's département is 01; exit to an unknown destination
    ("02", "R3", "M2", "2024-03-05", "01003", None, "2024-03-05", "2024-04-01", "Inconnue", None),
    # no household: not an event
    ("75", "R4", None, "2024-01-01", "75056", None, None, None, None, None),
]


def _write(conn: duckdb.DuckDBPyConnection, requests: list[tuple]) -> None:
    conn.execute("delete from staging.siao_demandes")
    conn.executemany("""insert into staging.siao_demandes values (?, ?, ?, date '2024-12-31', ?, 'Urgence', ?,
        'Personne seule', 1, 0, 'M', '25-34 ans', 'Hôtel', 'Pourvue', null, ?, null, ?, ?, ?, ?, 'siao.csv', 2, 1)""",
                     requests)


@pytest.fixture()
def conn(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect(str(tmp_path / "w.duckdb"))
    write_tables(c)
    _write(c, REQUESTS)
    c.execute("delete from staging.sne_attributions")
    c.execute("""insert into staging.sne_attributions values
        ('NUR1', date '2023-01-01', date '2023-11-15', '75056', 'Etat', 'Squat', 'Personne seule', 1, false, false,
         'sne_attributions_2023.csv', 2),
        ('NUR-AUTRE', date '2023-01-01', date '2023-11-15', '75056', 'Etat', 'Squat', 'Personne seule', 1, false,
         false, 'sne_attributions_2023.csv', 3)""")
    yield c
    c.close()


def _events(conn) -> list[tuple]:
    return conn.execute("select menage_id, jour, nature, departement_siao, numero_demande, commune, departement "
                        "from intermediate.siao_menages_evenements order by all").fetchall()


def test_events_of_hand_made_households(conn):
    build_model(conn, EVENTS)
    d = date.fromisoformat
    assert _events(conn) == sorted([
        ("M1", d("2023-01-10"), "activite", "01", "R1", "01001", "01"),
        ("M1", d("2023-01-20"), "activite", "01", "R1", "01001", "01"),
        ("M1", d("2023-02-01"), "activite", "01", "R1", "01001", "01"),
        ("M1", d("2023-06-30"), "sortie_siao", "01", "R1", "01001", "01"),
        ("M1", d("2023-09-01"), "activite", "02", "R2", None, "02"),
        ("M1", d("2023-11-15"), "attribution", None, None, "75056", "75"),
        # request and admission on one day: two activity rows
        ("M2", d("2024-03-05"), "activite", "02", "R3", "01003", "01"),
        ("M2", d("2024-03-05"), "activite", "02", "R3", "01003", "01"),
    ])


def test_a_changed_departement_recomputes_its_households_only(conn, tmp_path):
    assert build_model(conn, EVENTS)[1] == "oui (tout)"
    assert build_model(conn, EVENTS)[1] == "non (entrées inchangées)"
    changed = [r if r[1] != "R3" else ("02", "R3", "M2", "2024-03-06", "01003", None, None, None, None, None)
               for r in REQUESTS] + [("02", "R5", "M3", "2024-05-01", "02001", None, None, None, None, None)]
    _write(conn, changed)
    assert build_model(conn, EVENTS)[1] == "en partie (ménages des départements 02)"
    incremental = _events(conn)
    assert ("M2", date(2024, 3, 6), "activite", "02", "R3", "01003", "01") in incremental
    assert ("M3", date(2024, 5, 1), "activite", "02", "R5", "02001", "02") in incremental
    assert not any(r[0] == "M2" and r[1] == date(2024, 3, 5) for r in incremental)
    full = duckdb.connect(str(tmp_path / "full.duckdb"))
    write_tables(full)
    _write(full, changed)
    full.execute("delete from staging.sne_attributions")
    full.execute("""insert into staging.sne_attributions values
        ('NUR1', date '2023-01-01', date '2023-11-15', '75056', 'Etat', 'Squat', 'Personne seule', 1, false, false,
         'sne_attributions_2023.csv', 2)""")
    build_model(full, EVENTS)
    assert _events(full) == incremental
    full.close()
