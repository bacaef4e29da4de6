"""Great Expectations quality suites on the published tables (`publication.indicateurs`, and
`publication.territoires` when it exists), run by the asset checks of `checks.py`.

Great Expectations 1.24 with its SQL datasource fails on DuckDB 2.0 (STYLE.md, "Versions that
bite"): each table is read from DuckDB into pandas and validated as a batch of a pandas datasource
of an ephemeral context. Every expectation's result is written to `publication.qualite_controles`
(one row per suite and expectation; a run replaces the rows of the suites it ran).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column
import pandas as pd
import polars as pl

from assets.publication.secret import CATALOGUE_PATH, read_sql, table_exists

KEY = ["indicateur", "territoire_type", "territoire_code", "periode"]
STATUTS = ["ok", "absent", "secret"]
TERRITOIRE_TYPES = ["departement", "region", "france", "territoire_lda", "groupe", "epci"]
#: Failing examples listed in the metadata and in `details`.
MAX_EXAMPLES = 20

RESULT_FORMAT_BASE = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": MAX_EXAMPLES,
    "return_unexpected_index_query": False,
}

QUALITE_DDL = """
create table if not exists publication.qualite_controles (
    suite varchar,
    expectation varchar,
    table_name varchar,
    success boolean,
    observed varchar,
    details varchar,
    run_at timestamp
)
"""


@dataclass(frozen=True)
class Controle:
    """One expectation, the Dagster check it belongs to, and the frame it validates."""

    check: str
    suite: str
    table_name: str
    frame: str  # name of the frame validated: "indicateurs", "grille", "territoires"
    label: str
    expectation: gxe.Expectation
    index_columns: tuple[str, ...] = tuple(KEY)


@dataclass
class Resultat:
    check: str
    suite: str
    expectation: str
    table_name: str
    success: bool
    observed: str
    details: str
    skipped: bool = False


@dataclass
class Validation:
    resultats: list[Resultat] = field(default_factory=list)
    seconds: float = 0.0
    rows: int = 0

    def by_check(self) -> dict[str, list[Resultat]]:
        grouped: dict[str, list[Resultat]] = {}
        for resultat in self.resultats:
            grouped.setdefault(resultat.check, []).append(resultat)
        return grouped


#: The Dagster checks (name → (blocking, description)) the expectations are grouped into.
CHECK_SPECS: dict[str, tuple[bool, str]] = {
    "gx_valeurs_positives": (True, "valeur ≥ 0 where statut ok (an evolution in %: ≥ −100)"),
    "gx_taux_entre_0_et_100": (True, "rates in % (type rate, unite %) between 0 and 100"),
    "gx_statuts": (True, "statut in {ok, absent, secret}"),
    "gx_codes_indicateurs": (True, "indicator codes in the catalogue data/config/indicateurs.csv"),
    "gx_codes_territoires": (True, "territory type and code known (reference.territoires)"),
    "gx_unicite": (True, "one row per (indicateur, territoire_type, territoire_code, periode)"),
    "gx_completude": (False, "every (annual indicator, territory, year) of the grid present"),
    "gx_territoires": (False, "publication.territoires: unique codes, known types, population ≥ 0"),
}


def read_catalogue(path: Path | str = CATALOGUE_PATH) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False).select("code", "unite", "type")


def indicateurs_frame(conn: duckdb.DuckDBPyConnection, catalogue: pl.DataFrame) -> pd.DataFrame:
    """publication.indicateurs with the catalogue's unit and type and an `evolution` flag."""
    frame = conn.sql("select * from publication.indicateurs").pl()
    frame = frame.join(
        catalogue.rename({"code": "indicateur", "type": "type_indicateur"}), on="indicateur", how="left"
    ).with_columns(
        evolution=(pl.col("type_indicateur") == "ratio") & (pl.col("unite") == "%"),
        territoire=pl.col("territoire_type") + ":" + pl.col("territoire_code"),
    )
    return frame.to_pandas()


def grille_frame(conn: duckdb.DuckDBPyConnection, has_territoires: bool) -> pd.DataFrame:
    """The expected grid of annual rows (each indicator × each territory × each year between the
    indicator's first and last year), with `present` = number of rows found (null for a hole)."""
    territoires = (
        # the EPCI have rows only for the years their source covers (README): not a complete grid
        "select territoire_type, territoire_code from reference.territoires where territoire_type <> 'epci'"
        if has_territoires
        else "select distinct territoire_type, territoire_code from publication.indicateurs where territoire_type <> 'epci'"
    )
    sql = f"""
        with annuel as (
            select * from publication.indicateurs where length(periode) = 4
        ),
        annees as (
            select indicateur, unnest(range(min(cast(periode as integer)), max(cast(periode as integer)) + 1)) as annee
            from annuel
            group by indicateur
        ),
        territoires as ({territoires}),
        grille as (
            select annees.indicateur, territoires.territoire_type, territoires.territoire_code,
                   cast(annees.annee as varchar) as periode
            from annees cross join territoires
        ),
        presents as (
            select indicateur, territoire_type, territoire_code, periode, count(*) as present
            from annuel
            group by all
        )
        select grille.*, presents.present
        from grille
        left join presents using (indicateur, territoire_type, territoire_code, periode)
    """
    return conn.sql(sql).df()


def controles(catalogue_codes: list[str], territoires: list[str] | None) -> list[Controle]:
    """The expectations of the suites `publication_indicateurs` and `publication_territoires`."""
    suite = "publication_indicateurs"
    table = "publication.indicateurs"
    items = [
        Controle(
            "gx_valeurs_positives", suite, table, "indicateurs", "valeur ≥ 0 (statut ok, hors évolutions)",
            gxe.ExpectColumnValuesToBeBetween(
                column="valeur", min_value=0, row_condition=(Column("statut") == "ok") & (Column("evolution") == False)  # noqa: E712
                & (Column("indicateur") != "SOLDE_ACTIFS"),  # section G: a change of stock, negative when it falls
            ),
        ),
        Controle(
            "gx_valeurs_positives", suite, table, "indicateurs", "évolution en % ≥ −100 (statut ok)",
            gxe.ExpectColumnValuesToBeBetween(
                column="valeur", min_value=-100, row_condition=(Column("statut") == "ok") & (Column("evolution") == True),  # noqa: E712
            ),
        ),
        Controle(
            "gx_taux_entre_0_et_100", suite, table, "indicateurs", "taux en % entre 0 et 100 (statut ok)",
            gxe.ExpectColumnValuesToBeBetween(
                column="valeur", min_value=0, max_value=100,
                row_condition=(Column("statut") == "ok")
                & (Column("type_indicateur") == "rate")
                & (Column("unite") == "%"),
            ),
        ),
        Controle(
            "gx_statuts", suite, table, "indicateurs", "statut ∈ {ok, absent, secret}",
            gxe.ExpectColumnValuesToBeInSet(column="statut", value_set=STATUTS),
        ),
        Controle(
            "gx_statuts", suite, table, "indicateurs", "statut non nul",
            gxe.ExpectColumnValuesToNotBeNull(column="statut"),
        ),
        Controle(
            "gx_statuts", suite, table, "indicateurs", "valeur nulle si statut secret ou absent",
            gxe.ExpectColumnValuesToBeNull(column="valeur", row_condition=Column("statut") != "ok"),
        ),
        Controle(
            "gx_codes_indicateurs", suite, table, "indicateurs", "indicateur dans le catalogue",
            gxe.ExpectColumnValuesToBeInSet(column="indicateur", value_set=catalogue_codes),
        ),
        Controle(
            "gx_codes_territoires", suite, table, "indicateurs", "type de territoire connu",
            gxe.ExpectColumnValuesToBeInSet(column="territoire_type", value_set=TERRITOIRE_TYPES),
        ),
        Controle(
            "gx_unicite", suite, table, "indicateurs", "une ligne par (indicateur, territoire, période)",
            gxe.ExpectCompoundColumnsToBeUnique(column_list=KEY),
        ),
        Controle(
            "gx_completude", suite, table, "grille", "grille annuelle complète (indicateur × territoire × année)",
            gxe.ExpectColumnValuesToNotBeNull(column="present"),
        ),
    ]
    if territoires is not None:
        items.insert(
            7,
            Controle(
                "gx_codes_territoires", suite, table, "indicateurs", "territoire dans reference.territoires",
                gxe.ExpectColumnValuesToBeInSet(column="territoire", value_set=territoires),
            ),
        )
    return items


def controles_territoires() -> list[Controle]:
    suite = "publication_territoires"
    table = "publication.territoires"
    index = ("territoire_type", "territoire_code")
    return [
        Controle(
            "gx_territoires", suite, table, "territoires", "un territoire par (type, code)",
            gxe.ExpectCompoundColumnsToBeUnique(column_list=list(index)), index,
        ),
        Controle(
            "gx_territoires", suite, table, "territoires", "type de territoire connu",
            gxe.ExpectColumnValuesToBeInSet(column="territoire_type", value_set=TERRITOIRE_TYPES), index,
        ),
        Controle(
            "gx_territoires", suite, table, "territoires", "population ≥ 0",
            gxe.ExpectColumnValuesToBeBetween(column="population", min_value=0), index,
        ),
    ]


def markdown_examples(result: dict, index_columns: tuple[str, ...]) -> str:
    """The failing rows of one expectation result (their key columns and value) as Markdown."""
    rows = result.get("partial_unexpected_index_list") or []
    if rows:
        frame = pl.DataFrame([{k: (None if pd.isna(v) else str(v)) for k, v in row.items()} for row in rows])
    else:
        values = result.get("partial_unexpected_list") or []
        if not values:
            return ""
        frame = pl.DataFrame({"valeur": [str(v) for v in values]})
    with pl.Config(
        tbl_formatting="MARKDOWN", tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True,
        tbl_rows=MAX_EXAMPLES, tbl_cols=-1, tbl_width_chars=60_000, fmt_str_lengths=80,
    ):
        return str(frame.head(MAX_EXAMPLES))


def observed_text(result: dict) -> str:
    if "unexpected_count" in result:
        return f"{result.get('unexpected_count')} lignes en défaut sur {result.get('element_count')}"
    if "observed_value" in result:
        return str(result["observed_value"])
    return ""


def _context():
    context = gx.get_context(mode="ephemeral")
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    except Exception:  # pragma: no cover - only cosmetic
        pass
    return context


def validate(items: list[Controle], frames: dict[str, pd.DataFrame]) -> list[Resultat]:
    """Validate each frame with the expectations aimed at it (one suite per frame)."""
    context = _context()
    source = context.data_sources.add_pandas("publication")
    resultats: list[Resultat] = []
    for frame_name, frame in frames.items():
        aimed = [item for item in items if item.frame == frame_name]
        if not aimed:
            continue
        batch = (
            source.add_dataframe_asset(frame_name)
            .add_batch_definition_whole_dataframe(frame_name)
            .get_batch(batch_parameters={"dataframe": frame})
        )
        for item in aimed:
            result_format = {**RESULT_FORMAT_BASE, "unexpected_index_column_names": list(item.index_columns)}
            outcome = batch.validate(item.expectation, result_format=result_format)
            result = outcome.result or {}
            resultats.append(
                Resultat(
                    check=item.check,
                    suite=item.suite,
                    expectation=f"{item.expectation.expectation_type}: {item.label}",
                    table_name=item.table_name,
                    success=bool(outcome.success),
                    observed=observed_text(result),
                    details="" if outcome.success else markdown_examples(result, item.index_columns),
                )
            )
    return resultats


def run_suites(conn: duckdb.DuckDBPyConnection, catalogue: Path | str = CATALOGUE_PATH) -> Validation:
    """Run the suites on the published tables of `conn` and write publication.qualite_controles."""
    started = time.perf_counter()
    catalogue_frame = read_catalogue(catalogue)
    has_territoires = table_exists(conn, "reference", "territoires")
    territoires = (
        [t for (t,) in conn.sql(
            "select distinct territoire_type || ':' || territoire_code from reference.territoires"
        ).fetchall()]
        if has_territoires
        else None
    )
    frames = {
        "indicateurs": indicateurs_frame(conn, catalogue_frame),
        "grille": grille_frame(conn, has_territoires),
    }
    items = controles(catalogue_frame["code"].to_list(), territoires)
    skipped: list[Resultat] = []
    if not has_territoires:
        skipped.append(
            Resultat("gx_codes_territoires", "publication_indicateurs", "territoire dans reference.territoires",
                     "publication.indicateurs", True, "non vérifié : reference.territoires absente", "", True)
        )
    if table_exists(conn, "publication", "territoires"):
        frames["territoires"] = conn.sql("select * from publication.territoires").df()
        items += controles_territoires()
    else:
        skipped.append(
            Resultat("gx_territoires", "publication_territoires", "table présente", "publication.territoires",
                     True, "non vérifié : publication.territoires absente", "", True)
        )
    validation = Validation(rows=len(frames["indicateurs"]))
    validation.resultats = validate(items, frames) + skipped
    validation.seconds = time.perf_counter() - started
    write_results(conn, validation.resultats)
    return validation


def write_results(conn: duckdb.DuckDBPyConnection, resultats: list[Resultat]) -> None:
    """Replace the rows of the suites run in publication.qualite_controles."""
    run_at = datetime.now(timezone.utc).replace(tzinfo=None)
    conn.execute("create schema if not exists publication").fetchall()
    conn.execute(QUALITE_DDL).fetchall()
    conn.execute(read_sql("commentaires_qualite")).fetchall()
    for suite in sorted({r.suite for r in resultats}):
        conn.execute("delete from publication.qualite_controles where suite = $suite", {"suite": suite}).fetchall()
    conn.executemany(
        "insert into publication.qualite_controles values (?, ?, ?, ?, ?, ?, ?)",
        [(r.suite, r.expectation, r.table_name, r.success, r.observed, r.details, run_at) for r in resultats],
    )
