"""Section G (the monthly ledger of homeless households): which codes are stocks, inflows and
outflows, and the « zéro fonctionnel » reading. One definition, used by the app and the report.

The identity `ACTIFS = ACTIFS_DEBUT + Σ ENTREES − Σ SORTIES` is the catalogue's
(`../shared/spec/indicators.md` §G, copied in `data/config/indicateurs.csv`) and the disclosure
control's (`identites` in `data/config/secret_statistique.yaml`); the lists below are its terms.
Pure functions (no Streamlit, no Dagster).
"""

from __future__ import annotations

from collections.abc import Mapping

#: Stock at the end of the month (year: December) and at its start (year: January).
STOCK = "ACTIFS"
STOCK_DEBUT = "ACTIFS_DEBUT"
SOLDE = "SOLDE_ACTIFS"
#: Inflows, in the order they are stacked above the axis.
ENTREES = ("ENTREES_NOUVEAUX", "ENTREES_RETOUR_LOGEMENT", "ENTREES_RETOUR_INACTIVITE", "TRANSFERTS_ENTRANTS")
#: Outflows, in the order they are stacked below the axis.
SORTIES = ("SORTIES_LOGEMENT", "SORTIES_INACTIVITE", "TRANSFERTS_SORTANTS")
SORTIE_LOGEMENT = "SORTIES_LOGEMENT"
#: Yearly codes of episodes and returns after housing.
EPISODES = ("DUREE_EPISODE", "LONGUE_DUREE")
RETOURS = ("RETOUR_0_6M", "RETOUR_6_12M", "RETOUR_12_24M")
#: Every monthly code of the ledger.
MENSUELS = (STOCK_DEBUT, *ENTREES, *SORTIES, STOCK, SOLDE)


def zero_fonctionnel(valeurs: Mapping[str, float | None], *, bornes: bool = False) -> bool | None:
    """The « zéro fonctionnel » reading of one territory and month: did the exits to housing exceed
    every inflow (new households, returns after housing or inactivity, arrivals from another
    territory)? `valeurs` maps a code to its published value, None when secret or absent: the
    answer is then unknown (None), never guessed.

    `bornes=True` (the app): a flow is never negative, so when the exits to housing are published
    and the published inflows alone already reach them, the answer is « no » whatever the secret
    inflows are (False, a certainty, not a guess); otherwise still unknown."""
    termes = [valeurs.get(code) for code in (SORTIE_LOGEMENT, *ENTREES)]
    sortie, *entrees = termes
    if any(v is None for v in termes):
        if bornes and sortie is not None and sum(v for v in entrees if v is not None) >= sortie:
            return False
        return None
    return sortie > sum(entrees)
