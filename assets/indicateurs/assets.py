"""Assets of the layer `indicateurs`: the Logement d'abord indicators computed in SQL.

Every asset runs one SQL file (`sql/intermediate/<name>.sql` or `sql/marts/<name>.sql`, a single
`select` with `$name` parameters) into `create or replace table <schema>.<name>`; the asset key
prefix is the schema. Intermediate models are record-level (one row per record and territory, with
its periods); marts aggregate them per (indicator, territory, period); `marts.indicateurs` is their
union with the absent rule. The catalogue (`data/config/indicateurs.csv`) is loaded as
`marts.catalogue_indicateurs`.

A model whose inputs did not change since its last build (its SQL text, its parameters, the version
of every relation it reads: `versions.py`, recorded in `meta.versions`) is not rebuilt; its asset's
metadata `reconstruit` says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg
import duckdb
import polars as pl

from assets.indicateurs import versions
from assets.indicateurs.menages import build_by_household
from assets.ingest.incremental import build_by_partition
from pipelines.config import CONFIG_DIR, REFERENCE_DIR, SQL_DIR
from pipelines.resources import WarehouseResource

GROUP = "indicateurs"
KINDS = {"duckdb"}
PREVIEW_ROWS = 10
CATALOGUE_PATH = CONFIG_DIR / "indicateurs.csv"
NDLS_TOTAUX_PATH = REFERENCE_DIR / "ndls" / "ndls_paris_totals.csv"
PARCOURS_CATEGORIES_PATH = CONFIG_DIR / "parcours_categories.csv"
#: Persons per household of the Baromètre convention (ATTR_SD_PERS = ATTR_SD × 2.2).
PERSONNES_PAR_MENAGE = 2.2
#: Section G: a household with no activity for this many days is inactive (its spell ends).
INACTIVITE_JOURS = 90


def _key(name: str) -> dg.AssetKey:
    schema, table = name.split("/")
    return dg.AssetKey([schema, table])


@dataclass(frozen=True)
class Model:
    """One SQL model: `sql/<schema>/<table>.sql` → table `<schema>.<table>`."""

    name: str  # "<schema>/<table>"
    doc: str
    deps: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)
    #: (column, upstream model): rebuilt only for the values of `column` whose upstream rows changed
    #: (`incremental.build_by_partition`, with the fingerprints the upstream recorded when it is
    #: incremental itself); the other deps are fixed inputs (a change rebuilds all).
    partition: tuple[str, str] | None = None
    #: Household-level model over `staging/siao_demandes`: rebuilt only for the households touching the
    #: Départements SIAO whose requests changed (`menages.build_by_household`); its SQL reads the
    #: requests restricted by `$partiel` to the temporary table `menages_a_recalculer`.
    households: bool = False

    @property
    def schema(self) -> str:
        return self.name.split("/")[0]

    @property
    def table(self) -> str:
        return self.name.split("/")[1]


def markdown_table(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    """A polars frame (its first `rows` rows) as a Markdown table."""
    with pl.Config(tbl_formatting="MARKDOWN", tbl_hide_column_data_types=True, tbl_hide_dataframe_shape=True,
                   tbl_rows=rows, tbl_cols=-1, tbl_width_chars=60_000, fmt_str_lengths=80):
        return str(frame.head(rows))


def _params(model: Model) -> dict[str, object]:
    return {k: (str(v) if not isinstance(v, (int, float)) else v) for k, v in model.params.items()}


def build_model(conn: duckdb.DuckDBPyConnection, model: Model) -> tuple[int, str]:
    """Run the model's SQL file into `<schema>.<table>` unless its inputs did not change since its
    last build (`versions.build_if_changed`); return its row count and what was rebuilt (French)."""
    sql = (SQL_DIR / model.schema / f"{model.table}.sql").read_text(encoding="utf-8")
    target = f"{model.schema}.{model.table}"
    conn.execute(f"create schema if not exists {model.schema}").fetchall()
    params = _params(model)
    if model.partition:
        column, upstream = model.partition
        if "hash(" in sql:
            # the hashes it stores are those of this DuckDB version (hash() may change with the engine):
            # in its fingerprint, so that another version rebuilds it whole instead of mixing them
            sql += f"\n-- hash() of DuckDB {duckdb.__version__}\n"
        upstream = upstream.replace("/", ".")
        recorded = f"select partition, nb_lignes, empreinte from meta.empreintes where modele = '{upstream}'"
        if versions.relation_version(conn, upstream).split(":")[0] != "empreintes":
            recorded = None  # an upstream without recorded fingerprints: its rows are hashed by partition
        versions.forget(conn, target)  # versioned by its fingerprints in meta.empreintes
        recomputed = build_by_partition(conn, target, sql, params, column, upstream,
                                        [d.replace("/", ".") for d in model.deps if d.replace("/", ".") != upstream],
                                        upstream_fingerprints=recorded)
        rebuilt = {"tout": "oui (tout)", "aucune partition": "non (entrées inchangées)"}.get(
            recomputed, f"en partie ({column} : {recomputed})")
    elif model.households:
        versions.forget(conn, target)  # versioned by its fingerprints in meta.empreintes
        aligned = [m for m in MODELS if m.households and m.name in model.deps]  # household-level themselves
        extra = "".join((SQL_DIR / m.schema / f"{m.table}.sql").read_text(encoding="utf-8") for m in aligned)
        read = {d.replace("/", ".") for d in model.deps} | versions.referenced_relations(sql)
        for m in aligned:  # their fixed inputs are fixed inputs here too (a change rebuilds them whole)
            read |= {d.replace("/", ".") for d in m.deps}
        fixed = sorted(read - {"staging.siao_demandes"} - {m.name.replace("/", ".") for m in aligned})
        recomputed = build_by_household(conn, target, sql, params, fixed, extra)
        rebuilt = {"tout": "oui (tout)", "aucun ménage": "non (entrées inchangées)"}.get(
            recomputed, f"en partie (ménages des départements {recomputed})")
    else:
        version = versions.input_version(conn, sql, model.params, [d.replace("/", ".") for d in model.deps])

        def _create(c: duckdb.DuckDBPyConnection) -> None:
            c.execute(f"create or replace table {target} as\n{sql}", params or None).fetchall()

        rebuilt = "oui" if versions.build_if_changed(conn, target, version, _create) else "non (entrées inchangées)"
    return conn.sql(f"select count(*) from {target}").fetchall()[0][0], rebuilt


def _asset(model: Model):
    @dg.asset(key=_key(model.name), group_name=GROUP, kinds=KINDS, deps=[_key(d) for d in model.deps],
              description=model.doc)
    def _build(warehouse: WarehouseResource) -> dg.MaterializeResult:
        with warehouse.connect() as conn:
            n, rebuilt = build_model(conn, model)
            preview = markdown_table(conn.sql(f"select * from {model.schema}.{model.table} limit {PREVIEW_ROWS}").pl())
        return dg.MaterializeResult(metadata={
            "dagster/row_count": dg.MetadataValue.int(int(n)),
            "reconstruit": rebuilt,
            "preview": dg.MetadataValue.md(preview),
            "sql": dg.MetadataValue.path(str(SQL_DIR / model.schema / f"{model.table}.sql")),
        })

    _build.__name__ = f"{model.schema}__{model.table}"
    _build.__doc__ = model.doc
    return _build


REF = {k: f"reference/{k}" for k in ("communes", "perimetres", "perimetres_departements", "populations",
                                      "territoires", "situations_logement", "categories")}

MODELS: list[Model] = [
    Model("marts/catalogue_indicateurs",
          "One row per indicator code of the catalogue (label, unit, section, definition, numerator, "
          "denominator, source, periodicity, type). Source: data/config/indicateurs.csv.",
          params={"path": CATALOGUE_PATH}),
    Model("intermediate/ndls_totaux_publies",
          "One row per edition of the Nuit de la Solidarité of Paris with its best published total "
          "(revised, else consolidated, else first results), used only for an edition without a sector "
          "file. Source: data/reference/ndls/ndls_paris_totals.csv.",
          params={"path": NDLS_TOTAUX_PATH}),
    Model("intermediate/territoires_departements",
          "One row per (territory, département it touches) with `entier` (contains the whole "
          "département): records carrying only a département code are assigned where `entier`, and are "
          "non localisable elsewhere. Source: reference.perimetres, reference.perimetres_departements.",
          [REF["perimetres"], REF["communes"], REF["perimetres_departements"]]),
    Model("intermediate/couverture_nationale",
          "One row per (national source, year) with a loaded file: sne_attributions, sne_demandes, offre "
          "(a national file covers every département for its year). Source: meta.ingest_log.",
          ["raw/sne_attributions", "raw/sne_demandes", "raw/offre"]),
    Model("intermediate/periodes",
          "One row per period of the published grid: every year from the first to the last year covered "
          "by any source, and every month of these years. Source: coverage of every source.",
          ["staging/siao_couverture", "intermediate/couverture_nationale", "staging/ndls_secteurs",
           "intermediate/ndls_totaux_publies"]),
    Model("intermediate/couverture_siao",
          "One row per (territory, month or year) covered by an accepted SIAO file of a département the "
          "territory touches. Source: staging.siao_couverture.",
          ["staging/siao_couverture", "intermediate/territoires_departements"]),
    Model("intermediate/sne_attributions_territoires",
          "One row per (SNE attribution, territory of its dwelling's commune), with its year, sans "
          "domicile flag (reference.situations_logement, asylum seekers excluded), réservataire code and "
          "delay; an attribution without commune is one row with a null territory (non localisable).",
          ["staging/sne_attributions", REF["situations_logement"], REF["perimetres"], REF["categories"]]),
    Model("intermediate/sne_demandes_territoires",
          "One row per (year, first wished commune, sans domicile flag, territory containing the commune) "
          "with the number of SNE demands active on 31/12 (counted by commune before being placed: the "
          "stock is large); without commune: rows with a null territory (non localisable).",
          ["staging/sne_demandes", REF["situations_logement"], REF["perimetres"]]),
    Model("intermediate/siao_demandes_territoires",
          "One row per (SIAO request in its latest state, territory): placed by its commune, else by its "
          "Département SIAO where the territory contains it whole (`localisable` false for the other "
          "territories touching it); with the years of request, admission and exit, the month of request, "
          "delays and flags. Source: staging.siao_demandes.",
          ["staging/siao_demandes", REF["perimetres"], "intermediate/territoires_departements",
           REF["situations_logement"], REF["categories"]],
          partition=("departement_siao", "staging/siao_demandes")),
    Model("intermediate/siao_comptes_territoires",
          "Additive counts of the SIAO requests per (Département SIAO, territory, base, period): each "
          "département's contributions to the section B indicators (year of request, month of an Urgence "
          "request, year of admission, year of exit). Source: intermediate.siao_demandes_territoires.",
          ["intermediate/siao_demandes_territoires", "intermediate/territoires_departements"],
          partition=("departement_siao", "intermediate/siao_demandes_territoires")),
    Model("intermediate/siao_delais_territoires",
          "Histogram of the delays from request to admission (days) of the localisable Insertion requests "
          "per (Département SIAO, territory, year of admission, delay): the median DELAI_ORIENT_INS by "
          "département. Source: intermediate.siao_demandes_territoires.",
          ["intermediate/siao_demandes_territoires"],
          partition=("departement_siao", "intermediate/siao_demandes_territoires")),
    Model("intermediate/siao_menages_urgence",
          "One row per (Département SIAO, household with a dated Urgence request) with the hash of its "
          "pseudonym: households in several départements and shared hashes, for MEN_URG. "
          "Source: staging.siao_demandes.",
          ["staging/siao_demandes"],
          partition=("departement_siao", "staging/siao_demandes")),
    Model("intermediate/siao_menages_urgence_territoires",
          "One row per (Département SIAO, territory, year, hash of the household) with a localisable Urgence "
          "request: the households of MEN_URG by département. Source: intermediate.siao_demandes_territoires.",
          ["intermediate/siao_demandes_territoires"],
          partition=("departement_siao", "intermediate/siao_demandes_territoires")),
    Model("intermediate/siao_parcours_territoires",
          "Counts of the localisable SIAO requests per (Département SIAO, territory, year of request, "
          "situation, orientation, exit): each département's contributions to the SIAO pathway. "
          "Source: intermediate.siao_demandes_territoires.",
          ["intermediate/siao_demandes_territoires"],
          partition=("departement_siao", "intermediate/siao_demandes_territoires")),
    Model("intermediate/siao_menages",
          "One row per SIAO household with the date of its first request (earliest request date over all "
          "its requests, any type, status or département). Source: staging.siao_demandes.",
          ["staging/siao_demandes"],
          households=True),
    Model("intermediate/parcours_attributions_territoires",
          "One row per (SNE attribution linked by pseudonymised NUR to a SIAO household, territory of the "
          "dwelling): duration since the household's first SIAO request, return to an Urgence request "
          "within 365 days. Source: staging.sne_attributions, staging.siao_demandes.",
          ["staging/sne_attributions", "staging/siao_demandes", "intermediate/siao_menages", REF["perimetres"]],
          households=True),
    Model("intermediate/siao_primo_demandes_territoires",
          "One row per (household, year, territory) for the household's first Urgence request of the year "
          "(ties by Département SIAO, Numéro demande), with `primo` (no Urgence request 1–730 days before).",
          ["staging/siao_demandes", REF["perimetres"], "intermediate/territoires_departements"],
          households=True),
    Model("intermediate/siao_menages_evenements",
          "One row per event of a SIAO household (section G): pseudonymised household, day, kind (activite: "
          "request, orientation or admission date; sortie_siao: exit to housing; attribution: linked SNE "
          "attribution) and place (commune, else Département SIAO; its département). Source: "
          "staging.siao_demandes, staging.sne_attributions.",
          ["staging/siao_demandes", "staging/sne_attributions", REF["communes"], REF["categories"]],
          households=True),
    Model("intermediate/ledger_menages_mois",
          "Section G: one row per (household, month) in which the household is active at the end of the "
          "previous month or of the month (latest activity less than 90 days old and no ending housing exit "
          "since), with its places at both ends, its kind of entry and whether an ending housing exit falls "
          "in the month. Source: intermediate.siao_menages_evenements.",
          ["intermediate/siao_menages_evenements"],
          params={"inactivite": INACTIVITE_JOURS},
          households=True),
    Model("intermediate/ledger_sorties",
          "Section G, episodes and returns: one row per episode ended by a housing exit (its length), per "
          "household active on 31/12 (the age of its current episode) and per household's first housing exit "
          "of a year (days to its first activity more than 14 days later), with the place of each. "
          "Source: intermediate.siao_menages_evenements.",
          ["intermediate/siao_menages_evenements"],
          params={"inactivite": INACTIVITE_JOURS},
          households=True),
    Model("intermediate/ndls_territoires",
          "One row per (NdlS count row, territory): every sector row of every sector file, plus the "
          "published total of an edition without a sector file. Source: staging.ndls_secteurs, "
          "intermediate.ndls_totaux_publies.",
          ["staging/ndls_secteurs", "intermediate/ndls_totaux_publies", REF["perimetres"]]),
    Model("intermediate/ndls_evolution_territoires",
          "One row per (NdlS sector covered in edition N and in the city's previous edition, territory), "
          "with both counts. Source: staging.ndls_secteurs.",
          ["staging/ndls_secteurs", REF["perimetres"]]),
    Model("intermediate/offre_territoires",
          "One row per (offer row: département, type, year; territory touching the département), "
          "`localisable` when the territory contains the whole département. Source: staging.offre_places.",
          ["staging/offre_places", "intermediate/territoires_departements", REF["categories"]]),
    Model("marts/indicateurs_sne",
          "Section A (SNE): one row per (indicator, territory, year) before the absent rule, with coverage.",
          [REF["territoires"], "intermediate/periodes", "intermediate/couverture_nationale",
           "intermediate/sne_attributions_territoires", "intermediate/sne_demandes_territoires"],
          params={"personnes_par_menage": PERSONNES_PAR_MENAGE}),
    Model("marts/indicateurs_siao",
          "Section B (SIAO): one row per (indicator, territory, year or month for DEM_URG) before the "
          "absent rule, with coverage.",
          [REF["territoires"], "intermediate/periodes", "intermediate/couverture_siao",
           "intermediate/siao_comptes_territoires", "intermediate/siao_delais_territoires",
           "intermediate/siao_menages_urgence", "intermediate/siao_menages_urgence_territoires",
           "intermediate/siao_demandes_territoires"]),
    Model("marts/indicateurs_parcours",
          "Section C (linked SIAO ↔ SNE pathways): one row per (indicator, territory, year) before the "
          "absent rule, with coverage.",
          [REF["territoires"], "intermediate/periodes", "intermediate/couverture_nationale",
           "intermediate/couverture_siao", "staging/siao_couverture",
           "intermediate/parcours_attributions_territoires", "intermediate/siao_primo_demandes_territoires",
           "intermediate/territoires_departements"]),
    Model("marts/indicateurs_ndls",
          "Section D (Nuits de la Solidarité): one row per (indicator, territory, year) before the absent "
          "rule, with coverage.",
          [REF["territoires"], REF["communes"], "intermediate/periodes", "intermediate/ndls_territoires",
           "intermediate/ndls_evolution_territoires"]),
    Model("marts/indicateurs_offre",
          "Section E (offer of places on 31/12): one row per (indicator, territory, year) before the absent "
          "rule, with coverage.",
          [REF["territoires"], REF["populations"], "intermediate/periodes", "intermediate/couverture_nationale",
           "intermediate/offre_territoires"]),
    Model("marts/indicateurs_ledger",
          "Section G (monthly ledger): one row per (indicator, territory, month or year) before the absent "
          "rule: stock of active households at both ends of the month, entries by kind, transfers, exits, "
          "over the perimeter of the départements with a SIAO file for the month and the previous one.",
          [REF["territoires"], REF["perimetres"], "intermediate/periodes", "staging/siao_couverture",
           "intermediate/territoires_departements", "intermediate/ledger_menages_mois",
           "intermediate/ledger_sorties"]),
    Model("marts/indicateurs",
          "One row per (indicator, territory, period): valeur, numerateur, denominateur, statut (ok | "
          "absent), source, part_non_localisable — the exact (unsuppressed) values of every indicator of "
          "the catalogue, for départements, régions, France (FR), Logement d'abord territories and the "
          "groups LDA / HORS_LDA; periods AAAA (and AAAA-MM for DEM_URG).",
          [REF["territoires"], "marts/catalogue_indicateurs", "marts/indicateurs_sne", "marts/indicateurs_siao",
           "marts/indicateurs_parcours", "marts/indicateurs_ndls", "marts/indicateurs_offre",
           "marts/indicateurs_ledger"]),
    Model("marts/parcours_siao",
          "The SIAO pathway of the requests dated in each year (the population of DEM_URG + DEM_INS), per "
          "territory and covered year, in two steps of a Sankey diagram: situation at the request → type of "
          "orientation, type of orientation → exit destination (grouped categories of "
          "data/config/parcours_categories.csv), with the margins as rows `Ensemble`. Exact counts.",
          ["intermediate/siao_parcours_territoires", "intermediate/couverture_siao"],
          params={"categories": PARCOURS_CATEGORIES_PATH}),
]

ASSETS = [_asset(m) for m in MODELS]
INDICATEURS_KEY = dg.AssetKey(["marts", "indicateurs"])
