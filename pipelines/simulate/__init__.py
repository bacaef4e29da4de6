"""`observatoire simulate`: synthetic landing files in the contracts of sources.md.

Writes, under `out/`: `siao/siao_<DEP>_<AAAA-MM>.csv` (one per département and month),
`sne/sne_attributions_<AAAA>.csv` and `sne/sne_demandes_<AAAA>.csv`, `ndls/ndls_<CODE>_<AAAA>.csv`,
`offre/offre_<AAAA>.csv`, then `ground_truth.csv` (indicators computed from the generator's own
clean records), `quirks_manifest.csv` (with `--quirks`) and `parametres.json` (scale, seed,
years, the Logement d'abord effect injected).

Seeded and deterministic: the same arguments write the same bytes. Memory stays bounded by
streaming département by département; only the compact columns the ground truth needs are kept.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import polars as pl

from pipelines.simulate import records as R
from pipelines.simulate.aggregates import ndls_editions, offre_years
from pipelines.simulate.calibration import Reference
from pipelines.simulate.files import (
    NDLS_COLUMNS,
    OFFRE_COLUMNS,
    SIAO_COLUMNS,
    SNE_ATTRIBUTION_COLUMNS,
    SNE_DEMANDE_COLUMNS,
    month_label,
    siao_rows_to_strings,
    sne_to_strings,
)
from pipelines.simulate.quirks import MANIFEST_COLUMNS, FileRenderer, QuirkPlan, QuirkPlanner

DEMO_SCALE = 0.05
DEFAULT_SEED = 2026


@dataclass
class SimulationSummary:
    out: Path
    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    quirks: int = 0


class _Writer:
    def __init__(self, out: Path, quirks: bool, seed: int, valid_communes: frozenset[str]):
        self.out = out
        self.planner = QuirkPlanner(seed) if quirks else None
        self.seed = seed
        self.valid_communes = valid_communes
        self.manifest: list[dict] = []
        self.summary_rows: dict[str, int] = {}
        self.files = 0

    def write(self, source: str, table: str, name: str, df: pl.DataFrame, context: dict | None = None) -> None:
        path = self.out / source / name
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files += 1
        self.summary_rows[table] = self.summary_rows.get(table, 0) + df.height
        plan = self.planner.plan(table, name) if self.planner else QuirkPlan()
        if plan.empty():
            df.write_csv(path, separator=";", null_value="")
            return
        renderer = FileRenderer(source, table, name, self.valid_communes, self.seed)
        rows = [["" if v is None else str(v) for v in r] for r in df.rows()]
        path.write_bytes(renderer.render(df.columns, rows, plan, context or {}))
        self.manifest.extend(renderer.manifest)


def simulate(
    out: Path,
    *,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    years: tuple[int, int] | None = None,
    quirks: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    truth: bool = True,
) -> SimulationSummary:
    from pipelines.config import FIRST_YEAR, last_complete_year
    from pipelines.simulate.truth import ground_truth

    started = time.perf_counter()
    years = years or (FIRST_YEAR, last_complete_year())
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ref = Reference()
    gen = R.Generator(ref, scale=scale, seed=seed, years=years)
    valid = frozenset(ref.communes["code_commune"].to_list())
    writer = _Writer(out, quirks, seed, valid)
    progress = progress or (lambda step, i, n: None)

    finals, attributions, demandes, coverage = [], [], [], []
    tmp = out / ".tmp-simulate"
    deps = ref.departements
    for i, dep in enumerate(deps):
        progress("SIAO et SNE par département", i, len(deps))
        rec = gen.departement(dep)
        strings = _empty_as_null(siao_rows_to_strings(rec.siao_rows))
        by_month = strings.partition_by("month", as_dict=True, include_key=False)
        for month in rec.siao_months:
            label = month_label(month)
            df = by_month.get((month,), pl.DataFrame(schema={c: pl.String for c in SIAO_COLUMNS}))
            eom = np.datetime64(label, "M") + 1
            eom_day = str((eom.astype("datetime64[D]") - 1))
            y, m, d = eom_day.split("-")
            context = {"departement": dep, "valid_row": _siao_valid_row(dep, f"{d}/{m}/{y}", f"15/{m}/{y}")}
            writer.write("siao", "siao", f"siao_{dep}_{label}.csv", df, context)
            coverage.append((dep, label))
        finals.append(_compact_final(rec.siao_final))
        attributions.append(rec.attributions)
        # the demand stock is large (≈ 2.5 million rows a year at scale 1): each département's
        # chunk goes to a temporary Parquet file; the truth keeps only counts per commune.
        tmp.mkdir(parents=True, exist_ok=True)
        rec.demandes.write_parquet(tmp / f"demandes_{dep}.parquet")
        demandes.append(rec.demandes.group_by("annee", "commune", "departement").agg(
            pl.col("sans_domicile").sum().alias("n_sd")))
    progress("SIAO et SNE par département", len(deps), len(deps))

    attributions_df = pl.concat(attributions)
    demandes_df = pl.concat(demandes)
    first, last = years
    for year in range(first, last + 1):
        progress("Fichiers SNE", year - first, last - first + 1)
        start, stop = R.day(year), R.day(year, 12, 31)
        att = attributions_df.filter(pl.col("date_attribution").is_between(start, stop)).sort("numero_unique")
        some_commune = att["commune"][0] if att.height else "75056"
        writer.write(
            "sne", "sne_attributions", f"sne_attributions_{year}.csv", _empty_as_null(sne_to_strings(att, True)),
            {"valid_row": _sne_valid_row(year, some_commune, True)},
        )
        dem = pl.scan_parquet(tmp / "demandes_*.parquet").filter(pl.col("annee") == year).collect().sort("numero_unique")
        writer.write(
            "sne", "sne_demandes", f"sne_demandes_{year}.csv", _empty_as_null(sne_to_strings(dem, False)),
            {"valid_row": _sne_valid_row(year, some_commune, False)},
        )
    progress("Fichiers SNE", last - first + 1, last - first + 1)
    shutil.rmtree(tmp)
    progress("Nuits de la Solidarité et offre", 0, 1)
    ndls = ndls_editions(ref, seed, years)
    for (code, year), df in sorted(ndls.items()):
        valid_row = {"date_nuit": _fr(df["date_nuit"][0]), "code_commune": code, "secteur": "S999",
                     "secteur_couvert": "Oui", "type_lieu": "Rue", "personnes": "1"}
        writer.write("ndls", "ndls", f"ndls_{code}_{year}.csv", df.with_columns(
            pl.col("date_nuit").map_elements(_fr, return_dtype=pl.String), pl.col("personnes").cast(pl.String)
        ).select(NDLS_COLUMNS), {"valid_row": valid_row})
    offre = offre_years(ref, seed, years)
    for year, df in offre.items():
        writer.write("offre", "offre", f"offre_{year}.csv", df.with_columns(pl.col("places").cast(pl.String)).select(OFFRE_COLUMNS),
                     {"valid_row": {"departement": "01", "type_place": "CHU", "places": "10"}})
    if quirks:
        _rejected_files(writer, first)
    progress("Nuits de la Solidarité et offre", 1, 1)

    params = {
        "scale": scale, "seed": seed, "years": list(years), "quirks": quirks,
        "lda_effect_relative_per_year": R.LDA_EFFECT_PER_YEAR,
        "note": "Données synthétiques de démonstration produites par `observatoire simulate`.",
    }
    if truth:
        progress("Vérité terrain (ground_truth.csv)", 0, 1)
        siao_final = pl.concat(finals)
        gt, effect = ground_truth(ref, siao_final, attributions_df, demandes_df, ndls, offre, coverage, years)
        gt.write_csv(out / "ground_truth.csv")
        effect.write_csv(out / "effet_injecte.csv")
        progress("Vérité terrain (ground_truth.csv)", 1, 1)
    if quirks:
        pl.DataFrame(writer.manifest, schema={c: (pl.Int64 if c == "line_number" else pl.String) for c in MANIFEST_COLUMNS},
                     orient="row").write_csv(out / "quirks_manifest.csv")
    (out / "parametres.json").write_text(json.dumps(params, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return SimulationSummary(out, writer.files, writer.summary_rows, time.perf_counter() - started, len(writer.manifest))


def _empty_as_null(df: pl.DataFrame) -> pl.DataFrame:
    """Empty cells become nulls, which polars writes as nothing (it would quote an empty string)."""
    return df.with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in df.columns if df[c].dtype == pl.String)


def _fr(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def _siao_valid_row(dep: str, extraction: str, demande: str) -> dict[str, str]:
    row = {c: "" for c in SIAO_COLUMNS}
    row.update({
        "Numéro demande": f"{dep}-0000000", "Numéro ménage": "MEN9999999999", "Date d'extraction": extraction,
        "Date de la demande": demande, "Type de demande": "Urgence", "Département SIAO": dep,
        "Composition familiale": "Personne seule", "Nombre de personnes": "1", "Nombre d'enfants": "0",
        "Sexe": "M", "Statut de la demande": "En attente",
    })
    return row


def _sne_valid_row(year: int, commune: str, attributions: bool) -> dict[str, str]:
    row = {"numero_unique": f"{year}Q0000000", "date_depot": f"01/03/{year}", "commune": commune,
           "situation_logement": "Locataire parc privé", "composition": "Personne seule", "nb_personnes": "1",
           "prioritaire_dalo": "Non", "demandeur_asile": "Non"}
    if attributions:
        row.update({"date_attribution": f"15/06/{year}", "reservataire": "Etat"})
    return {c: row[c] for c in (SNE_ATTRIBUTION_COLUMNS if attributions else SNE_DEMANDE_COLUMNS)}


def _rejected_files(writer: _Writer, first: int) -> None:
    """Files refused whole (a required column missing), dated before the simulated years."""
    year = first - 1
    siao = "siao_01_%d-12.csv" % year
    header = [c for c in SIAO_COLUMNS if c != "Date d'extraction"]
    row = _siao_valid_row("01", f"31/12/{year}", f"15/12/{year}")
    (writer.out / "siao" / siao).write_text(";".join(header) + "\n" + ";".join(row[c] for c in header) + "\n", encoding="utf-8")
    sne = "sne_demandes_%d.csv" % year
    srow = _sne_valid_row(year, "01004", False)
    sheader = [c for c in SNE_DEMANDE_COLUMNS if c != "situation_logement"]
    (writer.out / "sne" / sne).write_text(";".join(sheader) + "\n" + ";".join(srow[c] for c in sheader) + "\n", encoding="utf-8")
    for source, name, column in (("siao", siao, "Date d'extraction"), ("sne", sne, "situation_logement")):
        writer.manifest.append({"source": source, "file_name": name, "line_number": None, "kind": "missing_required_column",
                                "expected": "rejected", "rule": "required_column_missing", "column_name": column})
    writer.files += 2


def _compact_final(final: pl.DataFrame) -> pl.DataFrame:
    """Only what the ground truth needs of each request's latest state, in compact types
    (≈ 22 million requests at scale 1): household and request numbers as integers (their
    zero-padded text sorts the same way), codes as categoricals, small codes as int8."""
    small = ["situation", "status", "motif", "orient", "dest"]
    return final.select(
        pl.col("departement").cast(pl.Categorical),
        pl.col("numero_demande").str.split("-").list.last().cast(pl.Int32).alias("numero_demande"),
        pl.col("menage").str.slice(3).cast(pl.Int64).alias("menage"),
        pl.col("date_demande").cast(pl.Int32),
        "type_urgence",
        pl.col("commune").cast(pl.Categorical),
        *[pl.col(c).cast(pl.Int8) for c in small],
        pl.col("d_dec").cast(pl.Int32),
        pl.col("d_adm").cast(pl.Int32),
        pl.col("d_exit").cast(pl.Int32),
        pl.col("nur").cast(pl.Categorical),
    )
