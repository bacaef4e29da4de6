"""What the observatory's two readers — the Streamlit app (`observatory_app/`) and the annual report
(`assets/rapport/`) — must say the same way: the years offered, and (module `presentation`) the
wordings and lists they share. Pure Python, no Streamlit, no Dagster: both can import it.

Years (indicators.md, observatory.md):
- the observatory's series start in `PREMIERE_ANNEE` (2015);
- the last complete year is the year before the current one (a year is reported once it is over);
- a year is *complete* in a publication file when France has at least `PART_ANNEE_COMPLETE` of the
  published (ok or secret) cells of its best year: a year where only a Nuit de la Solidarité's
  published total exists (Paris, the year in progress) is not.
"""

from __future__ import annotations

from datetime import date

#: First year of the observatory's series (the generator, the report's partitions, the pickers).
PREMIERE_ANNEE = 2015
#: A year is complete when France has at least this share of its best year's published cells.
PART_ANNEE_COMPLETE = 0.8


def derniere_annee_terminee(aujourdhui: date | None = None) -> int:
    """The last calendar year that is over: the current year − 1."""
    return (aujourdhui or date.today()).year - 1


def annees_completes(cellules_par_annee: dict[int, int], aujourdhui: date | None = None) -> list[int]:
    """The years a reader may be offered, ascending: from `PREMIERE_ANNEE` to the last year that is
    over, where France's published cells (`cellules_par_annee`: year → number of France's cells
    with `statut` ok or secret) reach `PART_ANNEE_COMPLETE` of its best year's."""
    meilleure = max(cellules_par_annee.values(), default=0)
    fin = derniere_annee_terminee(aujourdhui)
    return sorted(
        annee for annee, n in cellules_par_annee.items()
        if PREMIERE_ANNEE <= annee <= fin and n > 0 and n >= PART_ANNEE_COMPLETE * meilleure
    )


__all__ = ["PART_ANNEE_COMPLETE", "PREMIERE_ANNEE", "annees_completes", "derniere_annee_terminee"]
