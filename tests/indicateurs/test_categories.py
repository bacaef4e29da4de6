"""The category lists the indicators select by live in data/config (categories.csv and the SIAO
street situations of situations_logement.csv), not in the SQL: no model spells one of their values,
and changing the file changes the indicator."""

from __future__ import annotations

import csv

import dagster as dg
import duckdb

from pipelines.config import CONFIG_DIR, SQL_DIR
from pipelines.resources import WarehouseResource
from tests.indicateurs.conftest import write_tables


def _valeurs() -> set[str]:
    with open(CONFIG_DIR / "categories.csv", encoding="utf-8") as f:
        valeurs = {r["valeur"] for r in csv.DictReader(f)}
    with open(CONFIG_DIR / "situations_logement.csv", encoding="utf-8") as f:
        valeurs |= {r["situation"] for r in csv.DictReader(f) if r["source"] == "siao" and r["categorie"] == "rue"}
    return valeurs


def test_no_model_spells_a_category_value():
    modeles = [p for dossier in ("intermediate", "marts") for p in (SQL_DIR / dossier).glob("*.sql")]
    assert len(modeles) > 10
    trouves = [(p.name, v) for p in modeles for v in sorted(_valeurs())
               if f"'{v.replace(chr(39), chr(39) * 2)}'" in p.read_text(encoding="utf-8")]
    assert trouves == []


def test_the_lists_drive_the_indicators(tmp_path, monkeypatch):
    """PLACES_PF of the hand-made offer counts the place types of `offre_pension_famille`: removing
    « Résidence accueil » from the list removes its places; the destinations towards housing drive
    SORTIES_LOG (M1's exit to « Logement social » in 2023, the only one of the fixture)."""
    import assets.indicateurs as indicateurs
    from tests.indicateurs.conftest import OFFRE

    def construire(categories: str) -> dict:
        base = tmp_path / f"{len(list(tmp_path.iterdir()))}.duckdb"
        with duckdb.connect(str(base)) as conn:
            write_tables(conn)
            conn.execute((SQL_DIR / "reference" / "categories.sql").read_text(encoding="utf-8"), {"path": categories})
        result = dg.materialize(indicateurs.ASSETS, resources={"warehouse": WarehouseResource(database=str(base))})
        assert result.success
        with duckdb.connect(str(base), read_only=True) as conn:
            return dict(((i, p), v) for i, p, v in conn.sql(
                "select indicateur, periode, valeur from marts.indicateurs where territoire_type = 'france' "
                "and indicateur in ('PLACES_PF', 'SORTIES_LOG') and periode = '2023'").fetchall())

    original = (CONFIG_DIR / "categories.csv").read_text(encoding="utf-8")
    avant = construire(str(CONFIG_DIR / "categories.csv"))
    modifie = tmp_path / "categories.csv"
    modifie.write_text("\n".join(l for l in original.splitlines()
                                 if not l.startswith(("offre_pension_famille,Résidence accueil",
                                                      "siao_destination_logement,Logement social"))) + "\n",
                       encoding="utf-8")
    apres = construire(str(modifie))
    accueil = sum(places for dep, type_place, places in OFFRE if type_place == "Résidence accueil")
    pension = sum(places for dep, type_place, places in OFFRE if type_place == "Pension de famille")
    assert accueil > 0 and avant[("PLACES_PF", "2023")] == pension + accueil
    assert apres[("PLACES_PF", "2023")] == pension
    assert avant[("SORTIES_LOG", "2023")] == 1 and apres[("SORTIES_LOG", "2023")] == 0
