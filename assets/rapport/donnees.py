"""What the annual report reads: the researchers' publication file only (schema `publication`),
opened read-only. One `DonneesRapport` holds every table the report needs, as polars frames.

The evaluation of section F (`marts.evaluation_lda`) is read from `publication.evaluation_lda`
when the publication file holds it; otherwise `evaluation` is None and the report shows « — » (the
difference in differences is computed once, by the evaluation asset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from observatoire_commun import annees_completes, derniere_annee_terminee, ledger
from observatoire_commun.presentation import SEUIL_SECRET_DEFAUT

#: Territory types the report shows (the départements and régions are not in the report).
TYPES_RAPPORT = ("france", "groupe", "territoire_lda")


class RapportError(Exception):
    """The report cannot be written (missing file, year without data): a French message."""


@dataclass(frozen=True)
class DonneesRapport:
    chemin: Path
    annee: int
    a_propos: dict[str, str]
    catalogue: pl.DataFrame
    territoires: pl.DataFrame
    #: Yearly rows of France, the two groups and the LDA territories, every year.
    indicateurs: pl.DataFrame
    qualite: pl.DataFrame
    qualite_controles: pl.DataFrame
    series_publiees: pl.DataFrame
    dictionnaire: pl.DataFrame
    #: The complete years of the file (`observatoire_commun.annees_completes`), ascending.
    annees: list[int]
    evaluation: pl.DataFrame | None = None
    #: Year → the départements where a Nuit de la Solidarité was counted (France and the groups
    #: add up those cities only).
    ndls_departements: dict[str, list[str]] = field(default_factory=dict)
    evaluation_methode: str | None = None
    #: publication.objectifs (targets and progress), empty when the file has none.
    objectifs: pl.DataFrame = field(default_factory=pl.DataFrame)
    #: Monthly rows (`AAAA-MM`) of the section G ledger (`observatoire_commun.ledger.MENSUELS`) of
    #: the report's year, for the same territories; empty when the file has no section G.
    mensuels: pl.DataFrame = field(default_factory=pl.DataFrame)
    _cellules: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {
            (code, ttype, tcode, periode): (valeur, statut)
            for code, ttype, tcode, periode, valeur, statut in self.indicateurs.select(
                "indicateur", "territoire_type", "territoire_code", "periode", "valeur", "statut"
            ).iter_rows()
        }
        self._cellules.update(index)
        if self.mensuels.height:
            self._cellules.update({
                (code, ttype, tcode, periode): (valeur, statut)
                for code, ttype, tcode, periode, valeur, statut in self.mensuels.select(
                    "indicateur", "territoire_type", "territoire_code", "periode", "valeur", "statut"
                ).iter_rows()
            })

    @property
    def synthetique(self) -> bool:
        return self.a_propos.get("donnees", "").startswith("synth")

    @property
    def seuil(self) -> int:
        try:
            return int(self.a_propos.get("seuil_secret_statistique", SEUIL_SECRET_DEFAUT))
        except ValueError:
            return SEUIL_SECRET_DEFAUT

    def territoires_lda(self) -> pl.DataFrame:
        """The Logement d'abord territories, by call (AMI) then name."""
        return self.territoires.filter(pl.col("territoire_type") == "territoire_lda").sort(
            "ami", "territoire_libelle"
        )

    def unite(self, code: str) -> str | None:
        ligne = self.catalogue.filter(pl.col("code") == code)
        return ligne["unite"][0] if ligne.height else None

    def libelle(self, code: str) -> str:
        ligne = self.catalogue.filter(pl.col("code") == code)
        return ligne["libelle"][0] if ligne.height else code

    @property
    def flux(self) -> bool:
        """Whether the file publishes section G (the ledger): an older file has no such page."""
        return self.catalogue.height > 0 and ledger.STOCK in self.catalogue["code"].to_list()

    def cellule(self, code: str, territoire_type: str, territoire_code: str, annee: int | str) -> tuple[float | None, str]:
        """(valeur, statut) of one published cell (`annee`: a year, or a month `AAAA-MM` of the
        ledger's codes for the report's year); ('absent') when the file has no row."""
        return self._cellules.get((code, territoire_type, territoire_code, str(annee)), (None, "absent"))

    def serie(self, code: str, territoire_type: str, territoire_code: str) -> pl.DataFrame:
        return self.indicateurs.filter(
            (pl.col("indicateur") == code)
            & (pl.col("territoire_type") == territoire_type)
            & (pl.col("territoire_code") == territoire_code)
        ).sort("periode")


def _tables(conn: duckdb.DuckDBPyConnection, catalogue: str) -> set[str]:
    rows = conn.sql(
        "select table_name from duckdb_tables() where schema_name = 'publication' and database_name = $db",
        params={"db": catalogue.replace('""', '"')},
    ).fetchall()
    return {r[0] for r in rows}


def charger(chemin: Path | str, annee: int, aujourdhui: date | None = None) -> DonneesRapport:
    """Read the publication file (read-only) for the report of `annee`.

    Raises RapportError (French message) when the file is missing, is not a publication file, or
    `annee` is not a complete year (`observatoire_commun.annees_completes`: not over on `aujourdhui`,
    before 2015, or with too few published values for France — e.g. only a Nuit de la Solidarité).
    """
    chemin = Path(chemin)
    if not chemin.is_file():
        raise RapportError(
            f"Fichier de publication introuvable : {chemin}. Construisez-le (observatoire run ou "
            "observatoire demo) ou indiquez son chemin (--publication ou OBSERVATOIRE_PUBLICATION)."
        )
    try:
        conn = duckdb.connect(str(chemin), read_only=True)
    except duckdb.Error as erreur:
        raise RapportError(f"Impossible d'ouvrir le fichier de publication {chemin} : {erreur}") from erreur
    try:
        # Tables qualified by the file's catalog: a file named publication.duckdb would otherwise make
        # « publication.x » ambiguous (catalog or schema).
        catalogue_fichier = conn.sql("select current_database()").fetchall()[0][0].replace('"', '""')

        def sql(texte: str, **params: object) -> duckdb.DuckDBPyRelation:
            return conn.sql(texte.replace("publication.", f'"{catalogue_fichier}".publication.'), params=params or None)

        tables = _tables(conn, catalogue_fichier)
        manquantes = {"indicateurs", "territoires", "catalogue", "a_propos"} - tables
        if manquantes:
            raise RapportError(
                f"{chemin} n'est pas un fichier de publication de l'observatoire "
                f"(tables absentes du schéma publication : {', '.join(sorted(manquantes))})."
            )
        cellules_france = {
            int(periode): n
            for periode, n in sql(
                "select periode, count(*) filter (where statut <> 'absent') from publication.indicateurs "
                "where length(periode) = 4 and territoire_code = 'FR' group by periode"
            ).fetchall()
        }
        annees = annees_completes(cellules_france, aujourdhui)
        if annee not in annees:
            disponibles = (f"années disponibles : {annees[0]} à {annees[-1]}" if annees
                           else "aucune année complète")
            fin = derniere_annee_terminee(aujourdhui)
            if annee > fin:
                raise RapportError(
                    f"L'année {annee} n'est pas terminée : le rapport annuel porte sur une année civile complète, "
                    f"la dernière est {fin} ({disponibles} dans {chemin})."
                )
            if not cellules_france.get(annee):
                raise RapportError(f"Aucune donnée publiée pour l'année {annee} dans {chemin} ({disponibles}).")
            raise RapportError(
                f"Données incomplètes pour l'année {annee} dans {chemin} : la France n'y a que "
                f"{cellules_france[annee]} valeurs publiées, contre {max(cellules_france.values())} pour sa "
                f"meilleure année ({disponibles})."
            )
        a_propos = dict(sql("select cle, valeur from publication.a_propos").fetchall())
        catalogue = sql("select * from publication.catalogue order by section, code").pl()
        territoires = sql("select * from publication.territoires").pl()
        indicateurs = sql(
            """
            select indicateur, territoire_type, territoire_code, territoire_libelle, periode,
                   valeur, statut, source
            from publication.indicateurs
            where length(periode) = 4 and list_contains($types, territoire_type)
            """,
            types=list(TYPES_RAPPORT),
        ).pl()
        mensuels = sql(
            """
            select indicateur, territoire_type, territoire_code, periode, valeur, statut
            from publication.indicateurs
            where length(periode) = 7 and periode like $prefixe and list_contains($types, territoire_type)
              and list_contains($codes, indicateur)
            """,
            prefixe=f"{annee}-%", types=list(TYPES_RAPPORT), codes=list(ledger.MENSUELS),
        ).pl()

        ndls_departements: dict[str, list[str]] = {}
        for periode, libelle in sql(
            "select periode, territoire_libelle from publication.indicateurs where indicateur = 'NDLS_PERS' "
            "and territoire_type = 'departement' and length(periode) = 4 and statut <> 'absent' "
            "order by periode, territoire_libelle"
        ).fetchall():
            ndls_departements.setdefault(periode, []).append(libelle)

        def table(nom: str, requete: str) -> pl.DataFrame:
            return sql(requete).pl() if nom in tables else pl.DataFrame()

        qualite = table("qualite", "select * from publication.qualite")
        controles = table("qualite_controles", "select * from publication.qualite_controles order by suite, expectation")
        series = table("series_publiees", "select * from publication.series_publiees")
        dictionnaire = table("dictionnaire", "select * from publication.dictionnaire")
        evaluation = table("evaluation_lda", "select * from publication.evaluation_lda") if "evaluation_lda" in tables else None
        objectifs = table("objectifs", "select * from publication.objectifs")
        methode = None
        if "evaluation_methode" in tables:
            lignes = sql("select texte from publication.evaluation_methode").fetchall()
            methode = lignes[0][0] if lignes else None
    finally:
        conn.close()
    return DonneesRapport(
        chemin=chemin,
        annee=annee,
        a_propos=a_propos,
        catalogue=catalogue,
        territoires=territoires,
        indicateurs=indicateurs,
        qualite=qualite,
        qualite_controles=controles,
        series_publiees=series,
        dictionnaire=dictionnaire,
        annees=annees,
        evaluation=evaluation,
        evaluation_methode=methode,
        ndls_departements=ndls_departements,
        objectifs=objectifs,
        mensuels=mensuels,
    )
