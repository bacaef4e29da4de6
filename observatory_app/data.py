"""Every query of the app, in one place: read-only, parameterised, cached, returning polars.

The app reads only the publication file (`Settings.from_env().publication`, env
`OBSERVATOIRE_PUBLICATION`), opened read-only once per version of the file (its modification
time), so the pipeline can swap a new file in at any time. Each cached function takes the file's path as its
first argument, so a new path (or a new file after a swap, via its modification time) is a new
cache entry.
"""

from __future__ import annotations

import functools
import json
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

import observatoire_commun as commun_annees
from pipelines.config import CONFIG_DIR, REFERENCE_DIR, Settings

TTL = 600  # secondes


def chemin_publication() -> str:
    """Path of the publication file, as configured now (env var read at each call)."""
    return str(Settings.from_env().publication)


def version(chemin: str) -> float:
    """Modification time of the file: part of every cache key, so a swapped file is re-read."""
    return Path(chemin).stat().st_mtime


_connexions: dict[str, tuple[float, duckdb.DuckDBPyConnection]] = {}
_lecteurs: dict[int, int] = {}  # id(connection) → queries running on it now
_remplacees: dict[int, duckdb.DuckDBPyConnection] = {}  # replaced, closed when no query uses them
_verrou = threading.Lock()


@contextmanager
def _connexion(chemin: str):
    """One connection per publication file and version (its modification time), kept for the
    process: opening the file costs tens of milliseconds per query otherwise. The file is attached
    read-only to an in-memory database of its own (not `duckdb.connect(path)`, whose process-wide
    cache would hand back the instance of the replaced file): a swapped-in file has a new mtime,
    hence a fresh attach of the new file. The replaced connection is closed only once the queries
    other sessions are running on it have ended (never under a reader: ResourceInUseException)."""
    mtime = Path(chemin).stat().st_mtime
    with _verrou:
        connue = _connexions.get(chemin)
        if connue is None or connue[0] != mtime:
            conn = duckdb.connect(":memory:")
            conn.execute(f"attach '{chemin.replace(chr(39), chr(39) * 2)}' as pub (read_only)").fetchall()
            _connexions[chemin] = (mtime, conn)
            if connue is not None:
                _remplacees[id(connue[1])] = connue[1]
                _fermer_si_libre(connue[1])
        conn = _connexions[chemin][1]
        _lecteurs[id(conn)] = _lecteurs.get(id(conn), 0) + 1
    try:
        yield conn
    finally:
        with _verrou:
            _lecteurs[id(conn)] -= 1
            _fermer_si_libre(conn)


def _fermer_si_libre(conn: duckdb.DuckDBPyConnection) -> None:
    """Closes a replaced connection no query uses any more (caller holds `_verrou`)."""
    if id(conn) in _remplacees and _lecteurs.get(id(conn), 0) == 0:
        _remplacees.pop(id(conn)).close()
        _lecteurs.pop(id(conn), None)


def _requete(chemin: str, sql: str, params: dict | None = None) -> pl.DataFrame:
    """Run one parameterised query on a cursor of its own (sessions run in several threads)."""
    with _connexion(chemin) as base, base.cursor() as curseur:
        curseur.execute("use pub")  # a cursor starts in the in-memory catalog
        return curseur.sql(sql, params=params or {}).pl()


@st.cache_data(ttl=TTL, show_spinner=False)
def a_propos(chemin: str, version: float | None = None) -> dict[str, str]:
    """`publication.a_propos` as a dict (cle → valeur)."""
    df = _requete(chemin, "select cle, valeur from publication.a_propos")
    return dict(zip(df["cle"].to_list(), df["valeur"].to_list()))


def donnees_synthetiques(infos: dict[str, str]) -> bool:
    return infos.get("donnees", "").lower().startswith("synth")


@st.cache_data(ttl=TTL, show_spinner=False)
def catalogue(chemin: str, version: float | None = None) -> pl.DataFrame:
    """One row per indicator of the catalogue, ordered by section then code."""
    return _requete(
        chemin,
        """
        select code, libelle, unite, section, definition, numerateur, denominateur,
               source, periodicite, type
        from publication.catalogue
        order by section, code
        """,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def territoires(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Published territories (France, groups, régions, départements, LDA territories)."""
    return _requete(
        chemin,
        """
        select territoire_type, territoire_code, territoire_libelle, ami, nature, population
        from publication.territoires
        order by territoire_type, territoire_code
        """,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def annees_completes(chemin: str, territoire_code: str = "FR", version: float | None = None) -> list[int]:
    """The complete years of the territory, ascending (`observatoire_commun.annees_completes`: from
    2015 to the last year that is over, with at least 80 % of its best year's published cells, ok or
    secret): a year where only a few cells exist (2026's Nuit in Paris) is never offered."""
    df = _requete(
        chemin,
        """
        select periode, count(*) filter (where statut in ('ok', 'secret')) as cellules
        from publication.indicateurs
        where territoire_code = $code and length(periode) = 4 and regexp_full_match(periode, '[0-9]{4}')
        group by periode
        """,
        {"code": territoire_code},
    )
    return commun_annees.annees_completes(dict(zip((int(p) for p in df["periode"]), df["cellules"], strict=True)))


def derniere_annee_complete(chemin: str, territoire_code: str = "FR", version: float | None = None) -> int | None:
    """The territory's last complete year (see `annees_completes`), None when there is none."""
    annees_ = annees_completes(chemin, territoire_code, version)
    return annees_[-1] if annees_ else None


@st.cache_data(ttl=TTL, show_spinner=False)
def valeurs_annee(
    chemin: str, territoire_type: str, territoire_code: str, annees: tuple[str, ...], version: float | None = None
) -> pl.DataFrame:
    """Every indicator of one territory for the given years, with its catalogue label and unit."""
    return _requete(
        chemin,
        """
        select i.indicateur, c.libelle, c.unite, c.section, i.periode, i.valeur, i.statut, i.source,
               i.part_non_localisable
        from publication.indicateurs as i
        left join publication.catalogue as c on c.code = i.indicateur
        where i.territoire_type = $type and i.territoire_code = $code
          and list_contains($annees, i.periode)
        order by c.section, i.indicateur, i.periode
        """,
        {"type": territoire_type, "code": territoire_code, "annees": list(annees)},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def serie(
    chemin: str, indicateur: str, territoires_codes: tuple[tuple[str, str], ...], version: float | None = None
) -> pl.DataFrame:
    """Yearly series of one indicator for several (type, code) territories."""
    cles = [f"{t}|{c}" for t, c in territoires_codes]
    return _requete(
        chemin,
        """
        select i.territoire_type, i.territoire_code, i.territoire_libelle, i.periode,
               case when i.part_non_localisable >= 100 then null else i.valeur end as valeur,
               case when i.part_non_localisable >= 100 then 'non_localisable' else i.statut end as statut,
               i.source
        from publication.indicateurs as i
        where i.indicateur = $indicateur and length(i.periode) = 4
          and list_contains($cles, i.territoire_type || '|' || i.territoire_code)
        order by i.territoire_code, i.periode
        """,
        {"indicateur": indicateur, "cles": cles},
    )


#: Said of a cell whose value is known only at a wider level (part_non_localisable = 100).
NOTE_NON_LOCALISABLE = ("non localisable : valeur connue seulement à un niveau plus large (le département), "
                        "pas dans ce territoire, jamais 0")


@st.cache_data(ttl=TTL, show_spinner=False)
def donnees_territoire(chemin: str, territoire_type: str, territoire_code: str, version: float | None = None) -> pl.DataFrame:
    """All published rows of one territory (for the download buttons). A cell known only at a wider
    level (`part_non_localisable` = 100, e.g. the offer of an EPCI) has no value and the statut
    `non_localisable` (never 0), with a `note` saying so; a partly located one says its share."""
    return _requete(
        chemin,
        """
        select i.indicateur, c.libelle, c.unite, i.territoire_type, i.territoire_code,
               i.territoire_libelle, i.periode,
               case when i.part_non_localisable >= 100 then null else i.valeur end as valeur,
               case when i.part_non_localisable >= 100 then null else i.numerateur end as numerateur,
               i.denominateur,
               case when i.part_non_localisable >= 100 then 'non_localisable' else i.statut end as statut,
               i.source, i.part_non_localisable,
               case when i.part_non_localisable >= 100 then $note
                    when i.part_non_localisable > 0
                    then 'dont ' || replace(cast(round(i.part_non_localisable, 1) as varchar), '.', ',')
                         || ' % non localisable à ce niveau'
               end as note
        from publication.indicateurs as i
        left join publication.catalogue as c on c.code = i.indicateur
        where i.territoire_type = $type and i.territoire_code = $code
        order by i.indicateur, i.periode
        """,
        {"type": territoire_type, "code": territoire_code, "note": NOTE_NON_LOCALISABLE},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def classement(chemin: str, indicateur: str, annee: str, version: float | None = None) -> pl.DataFrame:
    """Every Logement d'abord territory's value of one indicator for one year and the year before."""
    return _requete(
        chemin,
        """
        select t.territoire_code, t.territoire_libelle, t.ami, t.nature, t.population,
               case when cur.part_non_localisable >= 100 then null else cur.valeur end as valeur,
               case when cur.part_non_localisable >= 100 then 'non_localisable' else cur.statut end as statut,
               case when prev.part_non_localisable >= 100 then null else prev.valeur end as valeur_precedente,
               case when prev.part_non_localisable >= 100 then 'non_localisable' else prev.statut end
                   as statut_precedent
        from publication.territoires as t
        left join publication.indicateurs as cur
          on cur.territoire_type = t.territoire_type and cur.territoire_code = t.territoire_code
         and cur.indicateur = $indicateur and cur.periode = $annee
        left join publication.indicateurs as prev
          on prev.territoire_type = t.territoire_type and prev.territoire_code = t.territoire_code
         and prev.indicateur = $indicateur and prev.periode = cast(cast($annee as integer) - 1 as varchar)
        where t.territoire_type = 'territoire_lda'
        order by t.territoire_libelle
        """,
        {"indicateur": indicateur, "annee": annee},
    )


#: publication.qualite has one row per loaded lot (source, year of the files) and quarantine rule,
#: its counts repeated on each rule's row and null when secret; a file refused whole has a row of its
#: own (`statut = 'refuse'`, name in `file_name`, reason in `motif`, no count).
_LOTS = """
    select source, file_name as lot, any_value(fichiers) as fichiers,
           any_value(rows_read) as rows_read, any_value(rows_accepted) as rows_accepted,
           any_value(rows_quarantined) as rows_quarantined, any_value(rows_skipped) as rows_skipped,
           max(ingested_at) as ingested_at
    from publication.qualite
    where statut = 'charge'
    group by source, file_name
"""


@st.cache_data(ttl=TTL, show_spinner=False)
def qualite_par_lot(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Rows read / accepted / quarantined / skipped per loaded lot (source, year), with its number
    of files; a secret count is null (shown « s », never 0)."""
    return _requete(chemin, f"select * from ({_LOTS}) order by source, lot")


@st.cache_data(ttl=TTL, show_spinner=False)
def qualite_par_source(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Rows read / accepted / quarantined / skipped per source, summed over its loaded lots, and its
    number of loaded files (sum of `fichiers`). A count is null (secret, « s ») when one of the
    source's lots has it secret: a sum without it would be a wrong total."""
    return _requete(
        chemin,
        f"""
        with lots as ({_LOTS})
        select source, sum(fichiers)::bigint as fichiers,
               case when count(*) = count(rows_read) then sum(rows_read)::bigint end as rows_read,
               case when count(*) = count(rows_accepted) then sum(rows_accepted)::bigint end as rows_accepted,
               case when count(*) = count(rows_quarantined) then sum(rows_quarantined)::bigint end as rows_quarantined,
               case when count(*) = count(rows_skipped) then sum(rows_skipped)::bigint end as rows_skipped
        from lots
        group by source
        order by source
        """,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def fichiers_refuses(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Files refused whole by the ingestion: source, file name, French reason, time of the attempt."""
    return _requete(
        chemin,
        """
        select source, file_name, motif, ingested_at
        from publication.qualite
        where statut = 'refuse'
        order by source, file_name
        """,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def qualite_par_regle(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Quarantined rows per source and rule, summed over the lots; null (secret, « s ») when one
    lot's count for that rule is secret."""
    return _requete(
        chemin,
        """
        select source, rule,
               case when count(*) = count(n) then sum(n)::bigint end as n
        from publication.qualite
        where statut = 'charge' and rule is not null
        group by source, rule
        order by source, n desc nulls last, rule
        """,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def controles(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Results of the expectation suites on the published tables."""
    return _requete(
        chemin,
        """
        select suite, expectation, table_name, success, observed, details, run_at
        from publication.qualite_controles
        order by success, suite, expectation
        """,
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def series_publiees(chemin: str, serie: str, territoire_type: str, territoire_code: str, version: float | None = None) -> pl.DataFrame:
    """A published series (the Baromètre) for one territory, yearly, in the indicators' shape."""
    return _requete(
        chemin,
        """
        select s.serie, s.territoire_type, s.territoire_code, s.periode, s.valeur, s.unite,
               s.source, s.statut
        from publication.series_publiees as s
        where s.serie = $serie and s.territoire_type = $type and s.territoire_code = $code
          and length(s.periode) = 4
        order by s.periode
        """,
        {"serie": serie, "type": territoire_type, "code": territoire_code},
    )


NDLS = ("NDLS_PERS", "NDLS_PERS_RUE", "NDLS_EVOL_PC", "NDLS_TAUX")


@st.cache_data(ttl=TTL, show_spinner=False)
def ndls(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Nuits de la Solidarité cells (NDLS_*) of every territory having at least one published or
    secret cell; one row per indicator, territory and yearly edition."""
    return _requete(
        chemin,
        """
        with couverts as (
            select distinct territoire_type, territoire_code
            from publication.indicateurs
            where list_contains($codes, indicateur) and statut <> 'absent'
        )
        select i.territoire_type, i.territoire_code, i.territoire_libelle, i.periode, i.indicateur,
               i.valeur, i.statut, i.source
        from publication.indicateurs as i
        join couverts using (territoire_type, territoire_code)
        where list_contains($codes, i.indicateur) and length(i.periode) = 4
        order by i.territoire_type, i.territoire_code, i.periode, i.indicateur
        """,
        {"codes": list(NDLS)},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def annees(chemin: str, version: float | None = None) -> list[str]:
    """Every published year (yearly periods only), most recent first."""
    df = _requete(
        chemin,
        """
        select distinct periode from publication.indicateurs
        where length(periode) = 4 and statut <> 'absent'
        order by periode desc
        """,
    )
    return df["periode"].to_list()


@st.cache_data(ttl=TTL, show_spinner=False)
def valeurs_departements(chemin: str, indicateur: str, annee: str, version: float | None = None) -> pl.DataFrame:
    """One row per published département: its value of one indicator for one year.

    Départements without a cell get `statut = 'absent'`, cells known only at a wider level
    (`part_non_localisable` = 100) `statut = 'non_localisable'` and no value (never 0)."""
    return _requete(
        chemin,
        """
        select t.territoire_code, t.territoire_libelle,
               case when i.part_non_localisable >= 100 then null else i.valeur end as valeur,
               case when i.part_non_localisable >= 100 then 'non_localisable'
                    else coalesce(i.statut, 'absent') end as statut,
               i.source
        from publication.territoires as t
        left join publication.indicateurs as i
          on i.territoire_type = t.territoire_type and i.territoire_code = t.territoire_code
         and i.indicateur = $indicateur and i.periode = $annee
        where t.territoire_type = 'departement'
        order by t.territoire_code
        """,
        {"indicateur": indicateur, "annee": annee},
    )


OUTRE_MER = ("971", "972", "973", "974", "976")


@functools.lru_cache(maxsize=1)
def geo_departements() -> tuple[dict, dict[str, dict]]:
    """Static reference GeoJSON, read once: (metropolitan départements, {overseas code: GeoJSON})."""
    dossier = REFERENCE_DIR / "geo"

    def lire(nom: str) -> dict:
        # coordinates rounded to 4 decimals (~10 m): the same map, a page several times lighter
        return json.loads((dossier / nom).read_text(encoding="utf-8"), parse_float=lambda x: round(float(x), 4))

    metropole = lire("departements-version-simplifiee.geojson")
    complet = lire("departements-avec-outre-mer.geojson")
    outre_mer = {
        f["properties"]["code"]: {"type": "FeatureCollection", "features": [f]}
        for f in complet["features"]
        if f["properties"]["code"] in OUTRE_MER
    }
    return metropole, outre_mer


@st.cache_data(ttl=TTL, show_spinner=False)
def parcours(chemin: str, territoire_type: str, territoire_code: str, annee: str, version: float | None = None) -> pl.DataFrame:
    """The SIAO pathway of one territory and year (publication.parcours_siao): both steps, flows
    and margins (`Ensemble`), with their status; empty when the year is not covered."""
    return _requete(
        chemin,
        """
        select etape, origine, origine_ordre, destination, destination_ordre, n, statut
        from publication.parcours_siao
        where territoire_type = $type and territoire_code = $code and periode = $annee
        order by etape desc, origine_ordre, destination_ordre
        """,
        {"type": territoire_type, "code": territoire_code, "annee": annee},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def annees_parcours(chemin: str, territoire_type: str, territoire_code: str, version: float | None = None) -> list[str]:
    """Years with a published pathway for the territory, most recent first."""
    df = _requete(
        chemin,
        """
        select distinct periode from publication.parcours_siao
        where territoire_type = $type and territoire_code = $code
        order by periode desc
        """,
        {"type": territoire_type, "code": territoire_code},
    )
    return df["periode"].to_list()


@st.cache_data(ttl=TTL, show_spinner=False)
def evaluation(chemin: str, territoire_type: str, territoire_code: str, version: float | None = None) -> pl.DataFrame:
    """Section F for one territory (or the group LDA): DiD and its 95 % interval per indicator and year."""
    return _requete(
        chemin,
        """
        select indicateur, territoire_libelle, annee_reference, periode, valeur_reference, valeur,
               evolution_territoire, evolution_reste_france, did, ic_bas, ic_haut, statut
        from publication.evaluation_lda
        where territoire_type = $type and territoire_code = $code
        order by indicateur, periode
        """,
        {"type": territoire_type, "code": territoire_code},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def evaluation_methode(chemin: str, version: float | None = None) -> str:
    df = _requete(chemin, "select texte from publication.evaluation_methode")
    return df["texte"][0] if df.height else ""


#: Size classes of the peers (same type of territory, population in [min, max[): data/config.
CLASSES_TAILLE = CONFIG_DIR / "classes_taille.csv"


@functools.lru_cache(maxsize=1)
def classes_taille() -> pl.DataFrame:
    """territoire_type, classe, population_min, population_max (exclusive; empty = no bound), libelle."""
    return pl.read_csv(CLASSES_TAILLE, schema_overrides={"population_min": pl.Int64, "population_max": pl.Int64})


def avec_classe(df: pl.DataFrame) -> pl.DataFrame:
    """`df` (territoire_type, population, …) with its size class `classe`, `classe_libelle` (null
    when no class applies: France, the groups, an unknown population)."""
    classes = classes_taille().with_columns(pl.col("population_max").fill_null(2**62))
    classees = df.join(classes, on="territoire_type", how="left").filter(
        (pl.col("population") >= pl.col("population_min")) & (pl.col("population") < pl.col("population_max"))
    )
    return df.join(
        classees.select("territoire_type", "territoire_code", "classe", pl.col("libelle").alias("classe_libelle")),
        on=["territoire_type", "territoire_code"],
        how="left",
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def pairs(chemin: str, territoire_type: str, territoire_code: str, version: float | None = None) -> pl.DataFrame:
    """The territory's peers: the other territories of the same type in the same size class
    (`data/config/classes_taille.csv`), with `classe_libelle`; empty when the class is unknown."""
    tous = avec_classe(territoires(chemin, version).filter(pl.col("territoire_type") == territoire_type))
    moi = tous.filter(pl.col("territoire_code") == territoire_code)
    if moi.is_empty() or moi["classe"][0] is None:
        return tous.clear()
    return tous.filter((pl.col("classe") == moi["classe"][0]) & (pl.col("territoire_code") != territoire_code))


@st.cache_data(ttl=TTL, show_spinner=False)
def serie_pairs(
    chemin: str, indicateur: str, territoire_type: str, codes: tuple[str, ...], version: float | None = None
) -> pl.DataFrame:
    """Median of the peers' published values per year (lower median: `quantile_disc`), with the
    number of peers it is computed on; secret and absent cells are left out."""
    return _requete(
        chemin,
        """
        select periode, quantile_disc(valeur, 0.5) as valeur, count(*) as n_pairs
        from publication.indicateurs
        where indicateur = $indicateur and territoire_type = $type and list_contains($codes, territoire_code)
          and length(periode) = 4 and statut = 'ok'
          and coalesce(part_non_localisable, 0) < 100
        group by periode
        order by periode
        """,
        {"indicateur": indicateur, "type": territoire_type, "codes": list(codes)},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def trajectoires(chemin: str, indicateur: str, annee: str, version: float | None = None) -> pl.DataFrame:
    """Every Logement d'abord territory's series of one indicator (for the sparklines) and its gap to
    its trajectory in `annee`, read from publication.evaluation_lda (computed once, by the évaluation
    asset): `ecart` = its difference in differences `did` = (T(annee) − T(ref)) − (H(annee) − H(ref)),
    in the indicator's unit, ref the year before its call. Null when the indicator is not evaluated
    (section F only), or the row is secret or absent."""
    return _requete(
        chemin,
        """
        with lda as (
            select territoire_code, territoire_libelle, ami - 1 as annee_reference
            from publication.territoires where territoire_type = 'territoire_lda'
        ),
        valeurs as (
            select territoire_code, periode, valeur
            from publication.indicateurs
            where indicateur = $indicateur and length(periode) = 4 and statut = 'ok'
              and territoire_type = 'territoire_lda' and coalesce(part_non_localisable, 0) < 100
        ),
        series as (
            select lda.territoire_code,
                   list(v.valeur order by v.periode) filter (where v.valeur is not null) as serie,
                   list(v.periode order by v.periode) filter (where v.valeur is not null) as periodes
            from lda left join valeurs as v using (territoire_code)
            group by lda.territoire_code
        ),
        evaluation as (
            select territoire_code, annee_reference, evolution_territoire, evolution_reste_france, did
            from publication.evaluation_lda
            where territoire_type = 'territoire_lda' and indicateur = $indicateur and periode = $annee
              and statut = 'ok'
        )
        select lda.territoire_code, lda.territoire_libelle,
               coalesce(evaluation.annee_reference, lda.annee_reference) as annee_reference,
               series.serie, series.periodes,
               evaluation.evolution_territoire, evaluation.evolution_reste_france,
               evaluation.did as ecart
        from lda
        left join series using (territoire_code)
        left join evaluation using (territoire_code)
        order by lda.territoire_libelle
        """,
        {"indicateur": indicateur, "annee": annee},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def indicateurs_evalues(chemin: str, version: float | None = None) -> list[str]:
    """Indicators publication.evaluation_lda gives a gap to the trajectory for."""
    return _requete(chemin, "select distinct indicateur from publication.evaluation_lda order by 1")["indicateur"].to_list()


@st.cache_data(ttl=TTL, show_spinner=False)
def fraicheur(chemin: str, version: float | None = None) -> pl.DataFrame:
    """Per source: files loaded (sum of the lots' `fichiers`), files refused whole, last load, and the
    latest year with a published value."""
    return _requete(
        chemin,
        """
        with fichiers as (
            select source,
                   coalesce(sum(fichiers) filter (where statut = 'charge'), 0)::bigint as fichiers,
                   count(distinct file_name) filter (where statut = 'refuse') as fichiers_refuses,
                   max(ingested_at) filter (where statut = 'charge') as derniere_ingestion
            from (select distinct source, file_name, statut, fichiers, ingested_at from publication.qualite)
            group by source
        ),
        donnees as (
            select source, max(periode) filter (where length(periode) = 4) as derniere_annee
            from publication.indicateurs
            where statut <> 'absent'
            group by source
        )
        select fichiers.source, fichiers.fichiers, fichiers.fichiers_refuses, fichiers.derniere_ingestion,
               donnees.derniere_annee
        from fichiers left join donnees using (source)
        order by fichiers.source
        """,
    )


_prechauffage: list = []


def prechauffer() -> None:
    """Read the reference GeoJSON in a background thread, once per process (the national page's map
    needs it; reading and rounding it takes about a second)."""
    import threading

    if not _prechauffage:
        fil = threading.Thread(target=geo_departements, daemon=True, name="geo_departements")
        _prechauffage.append(fil)
        fil.start()
