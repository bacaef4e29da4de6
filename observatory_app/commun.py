"""Bits every page shares: the publication file's path and version, the synthetic-data banner."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from observatoire_commun.presentation import SEUIL_SECRET_DEFAUT
from observatory_app import data
from observatoire_commun import format as fr


def publication() -> tuple[str, float]:
    """(path, version) of the publication file; stops the page with a French message if missing."""
    chemin = data.chemin_publication()
    if not Path(chemin).exists():
        st.error(
            f"Fichier de publication introuvable : `{chemin}`. Construisez-le (`observatoire run` "
            "ou les données de démonstration) ou indiquez son chemin dans `OBSERVATOIRE_PUBLICATION`."
        )
        st.stop()
    return chemin, data.version(chemin)


def bandeau(chemin: str, version: float) -> bool:
    """Shows the synthetic-data warning when a_propos says so; returns whether data are synthetic."""
    infos = data.a_propos(chemin, version)
    synthetique = data.donnees_synthetiques(infos)
    if synthetique:
        texte = infos.get("avertissement") or "Données synthétiques de démonstration."
        echelle = echelle_demo(infos)
        if echelle:
            texte += f" {echelle}"
        st.warning(texte, icon=":material/warning:")
    return synthetique


def echelle_demo(infos: dict[str, str]) -> str | None:
    """The demo's scale as the publication file states it (a_propos.generateur_scale), in French:
    « Échelle de la démonstration : 5 % des volumes nationaux … »; None when not stated."""
    brut = infos.get("generateur_scale")
    try:
        echelle = float(brut) if brut else None
    except ValueError:
        return None
    if echelle is None:
        return None
    pc = fr.nombre(100 * echelle, 0 if (100 * echelle).is_integer() else 1)
    return (
        f"Échelle de la démonstration : {pc} % des volumes nationaux (SIAO, SNE) ; les séries publiées "
        "(Baromètre) et l'offre gardent leur ordre de grandeur réel, et beaucoup de petites cases sont "
        "secrètes à cause de cette échelle."
    )


TEXTE_SECRET = (
    "« s » : valeur couverte par le secret statistique. Les effectifs de 1 à {seuil_moins_un}, les taux "
    "dont le numérateur est de 1 à {seuil_moins_un} ou le dénominateur inférieur à {seuil}, et les "
    "médianes calculées sur moins de {seuil} cas ne sont pas publiés ; d'autres cases sont ensuite "
    "masquées (secret secondaire) pour qu'aucune ne puisse être retrouvée par différence entre un "
    "total et ses parties. « — » : aucune source ne couvre ce territoire pour cette période."
)


def texte_secret(chemin: str, version: float) -> str:
    seuil = int(data.a_propos(chemin, version).get("seuil_secret_statistique", SEUIL_SECRET_DEFAUT))
    return TEXTE_SECRET.format(seuil=seuil, seuil_moins_un=seuil - 1)


@st.cache_data(ttl=data.TTL, show_spinner=False, max_entries=64)
def carte_departements(chemin: str, indicateur: str, annee: str, synthetique: bool, version: float | None = None):
    """The départements map of one indicator and year, built once per (file, indicator, year): the
    figure (≈ 0,5 Mo of outlines) is the slowest part of the national page to build."""
    from observatory_app import charts

    ligne = data.catalogue(chemin, version).filter(pl.col("code") == indicateur).row(0, named=True)
    geo_metropole, geo_outre_mer = data.geo_departements()
    return charts.carte_departements(
        data.valeurs_departements(chemin, indicateur, annee, version), geo_metropole, geo_outre_mer,
        ligne["libelle"] or indicateur, ligne["unite"], ligne["source"], annee, synthetique,
    )
