"""Asset checks of the layer `evaluation`: one property each, failures listed as Markdown metadata.

- `evaluation_complete` (blocking): every Logement d'abord territory, and the group LDA, has a row
  of `marts.evaluation_lda` for each indicator and each year after its reference year where the
  data exist (its value and the rest of France's, in the reference year and in that year);
- `comparaison_cle_unique` (blocking): one row per (territory, year) in `marts.comparaison_barometre`;
- `series_publiees_cle_unique` (blocking): one row per (serie, territory, year) in `marts.series_publiees`.
"""

from __future__ import annotations

import dagster as dg
import polars as pl

from assets.evaluation.assets import (
    COMPARAISON_KEY,
    EVALUATION_KEY,
    SERIES_PUBLIEES_KEY,
    evaluation_inputs,
    markdown_table,
)
from assets.evaluation.bootstrap import CONTROLE, Parametres
from pipelines.resources import WarehouseResource

SAMPLE = 30


def _result(rows: pl.DataFrame, what: str) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=rows.height == 0,
        metadata={
            "offending_rows": dg.MetadataValue.int(rows.height),
            "details": dg.MetadataValue.md(markdown_table(rows, SAMPLE) if rows.height else f"aucune ({what})"),
        },
    )


def lignes_attendues(series: pl.DataFrame, territoires: pl.DataFrame) -> pl.DataFrame:
    """(indicateur, territoire_type, territoire_code, periode) expected in marts.evaluation_lda."""
    valeurs = series.filter(pl.col("valeur").is_not_null()).select(
        "indicateur", "territoire_type", "territoire_code", "periode")
    controle = valeurs.filter((pl.col("territoire_type") == CONTROLE[0]) & (pl.col("territoire_code") == CONTROLE[1]))
    ref = territoires.select("territoire_type", "territoire_code",
                             pl.col("annee_reference").cast(pl.String).alias("periode_reference"))
    paires = (
        valeurs.join(ref, on=["territoire_type", "territoire_code"])
        .filter(pl.col("periode") > pl.col("periode_reference"))
        # the territory has a value in its reference year
        .join(valeurs.rename({"periode": "periode_reference"}),
              on=["indicateur", "territoire_type", "territoire_code", "periode_reference"], how="semi")
        # the rest of France has values in both years
        .join(controle.select("indicateur", "periode"), on=["indicateur", "periode"], how="semi")
        .join(controle.select("indicateur", pl.col("periode").alias("periode_reference")),
              on=["indicateur", "periode_reference"], how="semi")
    )
    return paires.select("indicateur", "territoire_type", "territoire_code", "periode")


@dg.asset_check(asset=EVALUATION_KEY, blocking=True)
def evaluation_complete(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every Logement d'abord territory (and the group LDA, with the reference year written in its
    rows, 2017 by default) has an evaluation row for each indicator and each year after its
    reference year where its value and the rest of France's exist in both years. Fails when one is
    missing; the details list the missing (indicateur, territory, year)."""
    with warehouse.connect() as conn:
        groupe = conn.sql("select distinct annee_reference from marts.evaluation_lda "
                          "where territoire_type = 'groupe' and territoire_code = 'LDA'").fetchall()
        parametres = Parametres(annee_reference_groupe=int(groupe[0][0]) if len(groupe) == 1 else 2017)
        series, territoires, _ = evaluation_inputs(conn, parametres)
        presentes = conn.sql("select indicateur, territoire_type, territoire_code, periode "
                             "from marts.evaluation_lda").pl()
    manquantes = lignes_attendues(series, territoires).join(
        presentes, on=["indicateur", "territoire_type", "territoire_code", "periode"], how="anti"
    ).sort("territoire_type", "territoire_code", "indicateur", "periode")
    return _result(manquantes, "chaque territoire a toutes ses années")


@dg.asset_check(asset=COMPARAISON_KEY, blocking=True)
def comparaison_cle_unique(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No two rows of marts.comparaison_barometre share (territoire_type, territoire_code, periode)."""
    with warehouse.connect() as conn:
        rows = conn.sql("select territoire_type, territoire_code, periode, count(*) as n "
                        "from marts.comparaison_barometre group by all having count(*) > 1 order by all").pl()
    return _result(rows, "pas de doublon")


@dg.asset_check(asset=SERIES_PUBLIEES_KEY, blocking=True)
def series_publiees_cle_unique(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No two rows of marts.series_publiees share (serie, territoire_type, territoire_code, periode)."""
    with warehouse.connect() as conn:
        rows = conn.sql("select serie, territoire_type, territoire_code, periode, count(*) as n "
                        "from marts.series_publiees group by all having count(*) > 1 order by all").pl()
    return _result(rows, "pas de doublon")


CHECKS = [evaluation_complete, comparaison_cle_unique, series_publiees_cle_unique]
