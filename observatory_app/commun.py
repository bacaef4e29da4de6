"""Bits every page shares: the publication file's path and version, the synthetic-data banner."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from observatory_app import data


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
        st.warning(infos.get("avertissement") or "Données synthétiques de démonstration.", icon="⚠️")
    return synthetique


TEXTE_SECRET = (
    "« s » : valeur couverte par le secret statistique. Les effectifs de 1 à {seuil_moins_un}, les taux "
    "dont le numérateur est de 1 à {seuil_moins_un} ou le dénominateur inférieur à {seuil}, et les "
    "médianes calculées sur moins de {seuil} cas ne sont pas publiés ; d'autres cases sont ensuite "
    "masquées (secret secondaire) pour qu'aucune ne puisse être retrouvée par différence entre un "
    "total et ses parties. « — » : aucune source ne couvre ce territoire pour cette période."
)


def texte_secret(chemin: str, version: float) -> str:
    seuil = int(data.a_propos(chemin, version).get("seuil_secret_statistique", "11"))
    return TEXTE_SECRET.format(seuil=seuil, seuil_moins_un=seuil - 1)
