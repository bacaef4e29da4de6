"""Asset checks of the layer `barometre`.

The four checks on `staging/barometre_mensuel` report the known traps of the real published
files; they are not blocking (the Baromètre is published as is, beside the observatory's figures)
and they are expected to FAIL on the real files: a failure says "this trap is present, here are
the rows", not "the pipeline is broken". Each runs one query of `sql/barometre/check_*.sql` that
returns the offending rows, fails when there is at least one (the rule is in its docstring), and
lists them as Markdown in its metadata with their counts.

The check on `staging/barometre_annuel` guards the published table itself (one row per key) and is
blocking.
"""

import dagster as dg
import duckdb
import polars as pl
from pydantic import Field

from assets.barometre.assets import ANNUEL_KEY, MENSUEL_KEY, OBJECTIFS_KEY, markdown_table, objectifs_locaux, sql_text
from assets.reference.checks import DEPARTEMENTS_ATTENDUS, REGIONS_ATTENDUES
from pipelines.resources import WarehouseResource

MAX_LISTED = 50
#: The sums check lists every month with a gap, up to this many rows.
MAX_LISTED_SOMMES = 500


def offending(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None) -> pl.DataFrame:
    """The rows returned by `sql/barometre/<name>.sql`."""
    return conn.sql(sql_text(name), params=params or {}).pl()


def details(frame: pl.DataFrame, limit: int = MAX_LISTED) -> dict[str, dg.MetadataValue]:
    if not frame.height:
        return {}
    note = f"\n\n({limit} premières lignes sur {frame.height})" if frame.height > limit else ""
    return {"details": dg.MetadataValue.md(markdown_table(frame, limit) + note)}


@dg.asset_check(asset=MENSUEL_KEY, blocking=False)
def mois_codes_a_zero(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Months coded 0 where data was missing. A 'cumul' value at 0 is offending when (1) every
    territory of its level is at 0 that month (`mois_entier_a_zero`: January–April 2018 in the
    2017–2022 files), (2) it falls back to 0 after a positive value of the same cumulation
    (`retour_a_zero`), or (3) it is a December value at 0 for a series cumulated since January
    (`annee_entiere_a_zero`: no person housed in a whole year, e.g. Mayotte 2017–2020). A 0 in an
    early month of a small département (nothing housed yet that year) is not offending. Fails when
    at least one row is offending; the details list one line per (rule, layout, level, month)."""
    with warehouse.connect() as conn:
        frame = offending(conn, "check_mois_a_zero")
    by_rule = frame.group_by("regle").agg(pl.col("nb_lignes").sum()) if frame.height else frame
    counts = {row["regle"]: int(row["nb_lignes"]) for row in by_rule.iter_rows(named=True)} if frame.height else {}
    whole_months = (
        sorted(set(frame.filter(pl.col("regle") == "mois_entier_a_zero")["mois"].to_list())) if frame.height else []
    )
    total = sum(counts.values())
    return dg.AssetCheckResult(
        severity=dg.AssetCheckSeverity.WARN,  # a trap of the published files, reported
        passed=total == 0,
        metadata={
            "offending_rows": dg.MetadataValue.int(total),
            "rows_mois_entier_a_zero": dg.MetadataValue.int(counts.get("mois_entier_a_zero", 0)),
            "rows_retour_a_zero": dg.MetadataValue.int(counts.get("retour_a_zero", 0)),
            "rows_annee_entiere_a_zero": dg.MetadataValue.int(counts.get("annee_entiere_a_zero", 0)),
            "mois_entierement_a_zero": dg.MetadataValue.text(", ".join(whole_months) or "aucun"),
            **details(frame),
        },
    )


@dg.asset_check(asset=MENSUEL_KEY, blocking=False)
def territoires_absents(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Territories absent from some months. For each layout and each territory level it publishes
    (départements, régions, France), every expected territory (the 101 départements, the 18
    régions, FR) must have a value for every month the layout publishes. Fails when one is missing
    (e.g. Mayotte, 976, absent from the 2017–2022 files from 2021-01); the details list one line per
    territory with its missing months."""
    with warehouse.connect() as conn:
        frame = offending(
            conn,
            "check_territoires_manquants",
            {"departements": DEPARTEMENTS_ATTENDUS, "regions": REGIONS_ATTENDUES},
        )
    missing_months = int(frame["nb_mois_manquants"].sum()) if frame.height else 0
    return dg.AssetCheckResult(
        severity=dg.AssetCheckSeverity.WARN,  # a trap of the published files, reported
        passed=frame.height == 0,
        metadata={
            "offending_rows": dg.MetadataValue.int(missing_months),
            "territoires_absents": dg.MetadataValue.int(frame.height),
            "codes": dg.MetadataValue.text(
                ", ".join(f"{r['territoire_type']} {r['territoire_code']} ({r['layout']})"
                          for r in frame.iter_rows(named=True)) or "aucun"
            ),
            **details(frame),
        },
    )


@dg.asset_check(asset=MENSUEL_KEY, blocking=False)
def cumuls_en_baisse(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Decreases of a cumulative series within its cumulation (a calendar year for the 2017–2022
    layout, since January 2023 for IND-295): a month whose value is below the previous month's is
    a revision of the published figures (or a month coded 0). Fails when there is at least one;
    the details list each (territory, month, previous value, value, variation, file, line)."""
    with warehouse.connect() as conn:
        frame = offending(conn, "check_cumuls_en_baisse")
    by_layout = (
        {r["layout"]: int(r["len"]) for r in frame.group_by("layout").len().iter_rows(named=True)} if frame.height else {}
    )
    return dg.AssetCheckResult(
        severity=dg.AssetCheckSeverity.WARN,  # a trap of the published files, reported
        passed=frame.height == 0,
        metadata={
            "offending_rows": dg.MetadataValue.int(frame.height),
            **{f"rows_{layout}": dg.MetadataValue.int(n) for layout, n in sorted(by_layout.items())},
            "plus_forte_baisse": dg.MetadataValue.float(float(-frame["variation"].min()) if frame.height else 0.0),
            **details(frame),
        },
    )


class SommesTerritoiresConfig(dg.Config):
    """Tolerance of the comparison of the départements' (and régions') sums with the national value."""

    tolerance_personnes: float = Field(
        default=10.0,
        description=(
            "Absolute gap, in persons, above which a month's sum of départements (or of régions) "
            "differs from the national value. Default 10: persons = dwellings × 2.2 rounded per "
            "territory, so 101 roundings of ±0.5 add up to a gap of about ±3 (one standard deviation); "
            "10 is above rounding noise and below a missing or double-counted small département."
        ),
    )


@dg.asset_check(asset=MENSUEL_KEY, blocking=False)
def sommes_territoires_egales_national(
    config: SommesTerritoiresConfig, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """The sum of the départements (and of the régions) equals the national value, month by month,
    within `tolerance_personnes` (config, default 10 persons). Fails when a month's gap exceeds the
    tolerance (or the national value is missing); the details list EVERY month whose sum differs
    from the national value, within the tolerance or not (layout, month, level, number of
    territories, sum, national value, gap, gap in %, beyond tolerance)."""
    with warehouse.connect() as conn:
        frame = offending(conn, "check_sommes_territoires", {"tolerance": config.tolerance_personnes})
    beyond = frame.filter(pl.col("au_dela_tolerance") | pl.col("ecart").is_null()) if frame.height else frame
    return dg.AssetCheckResult(
        severity=dg.AssetCheckSeverity.WARN,  # a trap of the published files, reported
        passed=beyond.height == 0,
        metadata={
            "tolerance_personnes": dg.MetadataValue.float(config.tolerance_personnes),
            "offending_rows": dg.MetadataValue.int(beyond.height),
            "mois_avec_ecart": dg.MetadataValue.int(frame.height),
            "ecart_max": dg.MetadataValue.float(float(frame["ecart"].abs().max() or 0) if frame.height else 0.0),
            "au_dela_tolerance": dg.MetadataValue.md(markdown_table(beyond, MAX_LISTED_SOMMES)) if beyond.height
            else dg.MetadataValue.text("aucun"),
            **details(frame, MAX_LISTED_SOMMES),
        },
    )


@dg.asset_check(asset=ANNUEL_KEY, blocking=True)
def barometre_annuel_cle_unique(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """`staging.barometre_annuel` has one row, with a value, per (serie, territoire_type,
    territoire_code, periode): a duplicate would publish two Baromètre values for one year."""
    with warehouse.connect() as conn:
        frame = offending(conn, "check_barometre_annuel_unique")
    return dg.AssetCheckResult(
        passed=frame.height == 0,
        metadata={"offending_rows": dg.MetadataValue.int(frame.height), **details(frame)},
    )



@dg.asset_check(asset=OBJECTIFS_KEY, blocking=False)
def objectifs_locaux_suivables(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every local target of `data/config/objectifs.csv` can be followed: its indicator is in the
    catalogue (an additive count is followed as a cumul, any other indicator as a level), its
    territory is published, its date is not past, its initial date (optional) is a December
    before the target, and it is given once. Fails (warning, not blocking: the other targets are
    published) when a row cannot be followed; the details name each one (line of the file,
    indicator, territory) with the reason in French. Such a row is left out of `marts.objectifs`."""
    with warehouse.connect() as conn:
        frame = objectifs_locaux(conn)
    refusees = frame.filter(pl.col("motif").is_not_null()).select(
        "ligne", "indicateur", "territoire_type", "territoire_code", "date_cible", "motif")
    return dg.AssetCheckResult(
        severity=dg.AssetCheckSeverity.WARN,
        passed=refusees.height == 0,
        metadata={
            "objectifs_locaux": dg.MetadataValue.int(frame.height),
            "objectifs_suivis": dg.MetadataValue.int(frame.height - refusees.height),
            "objectifs_non_suivis": dg.MetadataValue.int(refusees.height),
            **details(refusees),
        },
    )


CHECKS = [
    mois_codes_a_zero,
    territoires_absents,
    cumuls_en_baisse,
    sommes_territoires_egales_national,
    barometre_annuel_cle_unique,
    objectifs_locaux_suivables,
]
