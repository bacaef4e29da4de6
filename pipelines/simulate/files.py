"""Landing files in the exact contracts of sources.md, from the clean records."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.simulate.records import (
    COMPOSITIONS,
    DESTINATIONS,
    MOTIFS,
    ORIENT_INS,
    ORIENT_URG,
    SIAO_SITUATIONS,
    month_end,
)

SIAO_COLUMNS = [
    "Numéro demande", "Numéro ménage", "Date d'extraction", "Date de la demande", "Type de demande",
    "Département SIAO", "Commune de la demande", "Composition familiale", "Nombre de personnes",
    "Nombre d'enfants", "Sexe", "Année de naissance", "Situation à la demande", "Statut de la demande",
    "Motif de non-attribution", "Date d'orientation", "Type d'orientation", "Date d'admission",
    "Date de sortie", "Destination à la sortie", "NUR",
]
SNE_ATTRIBUTION_COLUMNS = [
    "numero_unique", "date_depot", "date_attribution", "commune", "reservataire", "situation_logement",
    "composition", "nb_personnes", "prioritaire_dalo", "demandeur_asile",
]
SNE_DEMANDE_COLUMNS = [c for c in SNE_ATTRIBUTION_COLUMNS if c not in ("date_attribution", "reservataire")]
NDLS_COLUMNS = ["date_nuit", "code_commune", "secteur", "secteur_couvert", "type_lieu", "personnes"]
OFFRE_COLUMNS = ["departement", "type_place", "places"]
STATUSES = ["Pourvue", "Non pourvue", "Annulée", "En attente"]
ORIENTATIONS_URG_INS = ORIENT_URG + ORIENT_INS  # index offset 4 for insertion types


def fmt_date(col: str | pl.Expr) -> pl.Expr:
    """Days since epoch (−1 = none) → `JJ/MM/AAAA` or empty."""
    expr = pl.col(col) if isinstance(col, str) else col
    return (
        pl.when(expr >= 0)
        .then(pl.from_epoch(expr.clip(lower_bound=0), time_unit="d").dt.strftime("%d/%m/%Y"))
        .otherwise(pl.lit(""))
    )


def _pick(values: list[str], col: str) -> pl.Expr:
    """Index column (−1 = none) → label or empty."""
    mapping = pl.Series(values + [""])
    return pl.col(col).replace_strict(list(range(len(values))) + [-1], mapping, default="")


def siao_rows_to_strings(rows: pl.DataFrame) -> pl.DataFrame:
    """State of each request in each extraction, as the SIAO file writes it."""
    eom = pl.Series(month_end(rows["month"].to_numpy()))
    df = rows.with_columns(eom.alias("eom"))
    decided = (pl.col("d_dec") >= 0) & (pl.col("d_dec") <= pl.col("eom"))
    status = pl.when(decided).then(pl.col("status")).otherwise(3)
    orient_idx = pl.when(pl.col("type_urgence")).then(pl.col("orient")).otherwise(pl.col("orient") + 4)
    d0 = pl.when((pl.col("corr_month") < 0) | (pl.col("month") >= pl.col("corr_month"))).then(
        pl.col("date_demande")
    ).otherwise(pl.col("d0_orig"))
    shown_adm = (pl.col("d_adm") >= 0) & (pl.col("d_adm") <= pl.col("eom"))
    shown_exit = (pl.col("d_exit") >= 0) & (pl.col("d_exit") <= pl.col("eom"))
    df = df.with_columns(
        status.alias("_status"),
        pl.when(decided & (pl.col("status") == 0)).then(orient_idx).otherwise(-1).alias("_orient"),
        pl.when(decided & (pl.col("status") == 0)).then(pl.col("d_dec")).otherwise(-1).alias("_d_or"),
        pl.when(decided & (pl.col("status") == 1)).then(pl.col("motif")).otherwise(-1).alias("_motif"),
        pl.when(shown_adm).then(pl.col("d_adm")).otherwise(-1).alias("_d_adm"),
        pl.when(shown_exit).then(pl.col("d_exit")).otherwise(-1).alias("_d_exit"),
        pl.when(shown_exit).then(pl.col("dest")).otherwise(-1).alias("_dest"),
        d0.alias("_d0"),
    )
    return df.select(
        pl.col("month"),
        pl.col("numero_demande").alias("Numéro demande"),
        pl.col("menage").alias("Numéro ménage"),
        fmt_date("eom").alias("Date d'extraction"),
        fmt_date("_d0").alias("Date de la demande"),
        pl.when(pl.col("type_urgence")).then(pl.lit("Urgence")).otherwise(pl.lit("Insertion")).alias("Type de demande"),
        pl.col("departement").alias("Département SIAO"),
        pl.col("commune").alias("Commune de la demande"),
        _pick(COMPOSITIONS, "composition").alias("Composition familiale"),
        pl.col("n_pers").cast(pl.String).alias("Nombre de personnes"),
        pl.col("n_enf").cast(pl.String).alias("Nombre d'enfants"),
        pl.col("sexe").alias("Sexe"),
        pl.when(pl.col("birth") > 0).then(pl.col("birth").cast(pl.String)).otherwise(pl.lit("")).alias("Année de naissance"),
        _pick(SIAO_SITUATIONS[:-1], "situation").alias("Situation à la demande"),
        _pick(STATUSES, "_status").alias("Statut de la demande"),
        _pick(MOTIFS, "_motif").alias("Motif de non-attribution"),
        fmt_date("_d_or").alias("Date d'orientation"),
        _pick(ORIENTATIONS_URG_INS, "_orient").alias("Type d'orientation"),
        fmt_date("_d_adm").alias("Date d'admission"),
        fmt_date("_d_exit").alias("Date de sortie"),
        _pick(DESTINATIONS[:-1], "_dest").alias("Destination à la sortie"),
        pl.col("nur").alias("NUR"),
    )


def sne_to_strings(df: pl.DataFrame, attributions: bool) -> pl.DataFrame:
    cols = SNE_ATTRIBUTION_COLUMNS if attributions else SNE_DEMANDE_COLUMNS
    out = df.with_columns(
        fmt_date("date_depot").alias("date_depot"),
        pl.col("nb_personnes").cast(pl.String),
    )
    if attributions:
        out = out.with_columns(fmt_date("date_attribution").alias("date_attribution"))
    return out.select(cols)


def month_label(month_idx: int) -> str:
    m = np.datetime64(int(month_idx), "M")
    return str(m)
