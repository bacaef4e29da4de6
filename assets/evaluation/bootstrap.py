"""Section F of the catalogue: the difference in differences of the Logement d'abord territories
against the rest of France, with a bootstrap 95 % interval over départements (numpy/polars, no
Dagster: the asset reads its inputs from DuckDB, calls `evaluer` and writes the result back).

For an indicator that is a ratio (numerator / denominator × factor), a territory T with reference
year r and a later year y:

    evolution_territoire   = T(y) − T(r)
    evolution_reste_france = C(y) − C(r)            C = the group HORS_LDA (rest of France)
    did                    = evolution_territoire − evolution_reste_france

Bootstrap (B replicates, seeded): the départements wholly in the rest of France are drawn with
replacement (a B × départements matrix of multinomial weights, the same draw for every territory,
year and indicator); in each replicate the rest of France's change is recomputed as a ratio of
sums (Σ numerators / Σ denominators of the drawn départements, never a mean of rates). When the
treated side has resampling units of its own (a territory made of several whole départements: its
départements; the group LDA: its disjoint Logement d'abord territories, see
`sql/evaluation/evaluation_unites.sql`), they are drawn too, independently; otherwise the
territory's own change is kept fixed. Each replicate's deviation from the full-sample change of
the same units is added to the published point estimate (the units — whole départements — do not
cover exactly the communes of HORS_LDA shared with a partly-LDA département), and the interval is
the 2.5 and 97.5 percentiles of the B replicated DiD. A year enters a pair (r, y) only through the
units with data in both years (`n_departements_controle` counts the control départements used).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import polars as pl

INDICATEURS = ("TX_ATTR_SD", "ATTR_SD_100K")
CONTROLE = ("groupe", "HORS_LDA")
GROUPE_LDA = ("groupe", "LDA")

SCHEMA = {
    "indicateur": pl.String,
    "territoire_type": pl.String,
    "territoire_code": pl.String,
    "territoire_libelle": pl.String,
    "annee_reference": pl.Int32,
    "periode": pl.String,
    "valeur_reference": pl.Float64,
    "valeur": pl.Float64,
    "evolution_territoire": pl.Float64,
    "evolution_reste_france": pl.Float64,
    "did": pl.Float64,
    "ic_bas": pl.Float64,
    "ic_haut": pl.Float64,
    "n_departements_controle": pl.Int32,
    "methode": pl.String,
}

LIBELLES = {
    "TX_ATTR_SD": "de la part des attributions de logements sociaux faites aux ménages sans domicile (en points)",
    "ATTR_SD_100K": "du nombre d'attributions de logements sociaux aux ménages sans domicile pour 100 000 habitants",
}


@dataclass(frozen=True)
class Parametres:
    n_bootstrap: int = 999
    graine: int = 2026
    annee_reference_groupe: int = 2017


@dataclass
class _Unites:
    """Numerators and denominators of a side's units (units × years, NaN where absent)."""

    codes: list[str]
    num: np.ndarray
    den: np.ndarray


def _matrice(series: pl.DataFrame, codes: list[str], annees: list[str]) -> tuple[np.ndarray, np.ndarray]:
    num = np.full((len(codes), len(annees)), np.nan)
    den = np.full((len(codes), len(annees)), np.nan)
    ligne = {c: i for i, c in enumerate(codes)}
    colonne = {a: j for j, a in enumerate(annees)}
    for code, periode, n, d in series.select("territoire_code", "periode", "numerateur", "denominateur").iter_rows():
        if code in ligne and periode in colonne and n is not None and d is not None:
            num[ligne[code], colonne[periode]] = n
            den[ligne[code], colonne[periode]] = d
    return num, den


def _evolutions(poids: np.ndarray, unites: _Unites, r: int, y: int, facteur: float) -> tuple[np.ndarray, float, int]:
    """Change of the ratio of sums between years r and y in each replicate (a vector of B), the same
    change on the full sample of units, and the number of units with data in both years."""
    present = np.isfinite(unites.num[:, r]) & np.isfinite(unites.num[:, y]) & np.isfinite(unites.den[:, r]) \
        & np.isfinite(unites.den[:, y])
    if not present.any():
        return np.full(poids.shape[0], np.nan), np.nan, 0
    num = np.where(present[:, None], unites.num[:, [r, y]], 0.0)
    den = np.where(present[:, None], unites.den[:, [r, y]], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        taux = (poids @ num) / (poids @ den) * facteur  # B × 2
        plein = num.sum(axis=0) / den.sum(axis=0) * facteur
    return taux[:, 1] - taux[:, 0], float(plein[1] - plein[0]), int(present.sum())


def _poids(n_unites: int, parametres: Parametres, cle: str) -> np.ndarray:
    """B × n multinomial weights (draws with replacement of n units among n), seeded by the key."""
    rng = np.random.default_rng([parametres.graine, zlib.crc32(cle.encode("utf-8"))])
    return rng.multinomial(n_unites, np.full(n_unites, 1.0 / n_unites), size=parametres.n_bootstrap).astype(float)


def _methode(libelle: str, indicateur: str, annee_ref: int, periode: str, n_controle: int, cote_traite: str,
             parametres: Parametres, groupe: bool) -> str:
    texte = (
        f"Différence de différences, descriptive et non causale : évolution {LIBELLES[indicateur]} "
        f"entre {annee_ref} et {periode} pour « {libelle} », moins la même évolution dans le reste de la "
        f"France (communes hors territoires Logement d'abord) ; intervalle à 95 % par bootstrap "
        f"({parametres.n_bootstrap} tirages avec remise de {n_controle} départements entièrement hors "
        f"Logement d'abord, {cote_traite}, percentiles 2,5 et 97,5)."
    )
    if groupe:
        texte += (
            f" Année de référence {annee_ref} (celle de l'appel à manifestation d'intérêt de 2018) pour tout "
            "le groupe, y compris les territoires de l'appel de 2021."
        )
    return texte


def evaluer(series: pl.DataFrame, territoires: pl.DataFrame, unites: pl.DataFrame,
            parametres: Parametres | None = None) -> pl.DataFrame:
    """One row per (indicateur, evaluated territory, year after its reference year) with data.

    `series`: indicateur, territoire_type, territoire_code, periode, numerateur, denominateur,
    facteur (sql/evaluation/evaluation_series.sql); `territoires`: territoire_type,
    territoire_code, territoire_libelle, annee_reference (evaluation_territoires.sql); `unites`:
    territoire_type, territoire_code, unite_type, unite_code (evaluation_unites.sql)."""
    parametres = parametres or Parametres()
    lignes: list[dict] = []
    if series.is_empty():
        return pl.DataFrame(lignes, schema=SCHEMA)
    annees = sorted(series["periode"].unique().to_list())
    index = {a: j for j, a in enumerate(annees)}

    def units_of(ttype: str, code: str) -> tuple[str, list[str]] | None:
        u = unites.filter((pl.col("territoire_type") == ttype) & (pl.col("territoire_code") == code))
        if u.height == 0:
            return None
        types = u["unite_type"].unique().to_list()
        assert len(types) == 1, (ttype, code, types)
        return types[0], sorted(u["unite_code"].to_list())

    controle = units_of(*CONTROLE)
    codes_controle = controle[1] if controle else []
    poids_controle = _poids(len(codes_controle), parametres, "HORS_LDA") if codes_controle else None
    traites = {
        (t["territoire_type"], t["territoire_code"]): units_of(t["territoire_type"], t["territoire_code"])
        for t in territoires.iter_rows(named=True)
    }
    poids_traites = {
        cle: _poids(len(u[1]), parametres, f"{cle[0]}:{cle[1]}") for cle, u in traites.items() if u and len(u[1]) >= 2
    }

    for indicateur in INDICATEURS:
        s = series.filter(pl.col("indicateur") == indicateur)
        if s.is_empty():
            continue
        facteur = float(s["facteur"][0])
        by_type = {k[0]: g for k, g in s.partition_by("territoire_type", as_dict=True).items()}

        def point(ttype: str, code: str) -> np.ndarray:
            frame = by_type.get(ttype)
            if frame is None:
                return np.full(len(annees), np.nan)
            num, den = _matrice(frame, [code], annees)
            with np.errstate(divide="ignore", invalid="ignore"):
                v = num[0] / den[0] * facteur
            return np.where(den[0] > 0, v, np.nan)

        def units_data(u: tuple[str, list[str]]) -> _Unites:
            num, den = _matrice(by_type.get(u[0], s.clear()), u[1], annees)
            return _Unites(u[1], num, den)

        controle_valeurs = point(*CONTROLE)
        controle_unites = units_data(controle) if controle else None
        cache_controle: dict[tuple[int, int], tuple[np.ndarray, float, int]] = {}

        for t in territoires.iter_rows(named=True):
            cle = (t["territoire_type"], t["territoire_code"])
            ref = str(t["annee_reference"])
            if ref not in index:
                continue
            r = index[ref]
            valeurs = point(*cle)
            u = traites[cle]
            traite_unites = units_data(u) if cle in poids_traites else None
            if cle in poids_traites:
                cote = (f"{len(u[1])} départements du territoire rééchantillonnés aussi" if u[0] == "departement"
                        else f"{len(u[1])} territoires Logement d'abord disjoints du groupe rééchantillonnés aussi")
            else:
                cote = "évolution du territoire tenue fixe"
            for y in range(r + 1, len(annees)):
                if not all(np.isfinite([valeurs[r], valeurs[y], controle_valeurs[r], controle_valeurs[y]])):
                    continue
                evo_t = valeurs[y] - valeurs[r]
                evo_c = controle_valeurs[y] - controle_valeurs[r]
                did = evo_t - evo_c
                ic_bas = ic_haut = None
                n_controle = 0
                if controle_unites is not None:
                    if (r, y) not in cache_controle:
                        cache_controle[(r, y)] = _evolutions(poids_controle, controle_unites, r, y, facteur)
                    evo_c_b, evo_c_plein, n_controle = cache_controle[(r, y)]
                    repliques = did - (evo_c_b - evo_c_plein)
                    if traite_unites is not None:
                        evo_t_b, evo_t_plein, n_traite = _evolutions(poids_traites[cle], traite_unites, r, y, facteur)
                        if n_traite:
                            repliques = repliques + (evo_t_b - evo_t_plein)
                    if n_controle and np.isfinite(repliques).any():
                        ic_bas, ic_haut = (float(v) for v in np.nanpercentile(repliques, [2.5, 97.5]))
                lignes.append({
                    "indicateur": indicateur,
                    "territoire_type": cle[0],
                    "territoire_code": cle[1],
                    "territoire_libelle": t["territoire_libelle"],
                    "annee_reference": int(t["annee_reference"]),
                    "periode": annees[y],
                    "valeur_reference": float(valeurs[r]),
                    "valeur": float(valeurs[y]),
                    "evolution_territoire": float(evo_t),
                    "evolution_reste_france": float(evo_c),
                    "did": float(did),
                    "ic_bas": ic_bas,
                    "ic_haut": ic_haut,
                    "n_departements_controle": n_controle,
                    "methode": _methode(t["territoire_libelle"] or cle[1], indicateur, int(ref), annees[y], n_controle,
                                        cote, parametres, cle == GROUPE_LDA),
                })
    return pl.DataFrame(lignes, schema=SCHEMA).sort("indicateur", "territoire_type", "territoire_code", "periode")


METHODE = """Évaluation des territoires Logement d'abord : une comparaison descriptive, pas une mesure d'effet causal.

Pour deux indicateurs — la part des attributions de logements sociaux faites à des ménages sans domicile (TX_ATTR_SD, en %) et le nombre de ces attributions pour 100 000 habitants (ATTR_SD_100K, population légale d'un seul millésime pour toutes les années) —, on calcule pour chaque territoire Logement d'abord son évolution entre son année de référence (l'année précédant son appel à manifestation d'intérêt : 2017 pour l'appel de 2018, 2020 pour celui de 2021) et chaque année suivante, puis on en retranche la même évolution dans le reste de la France (toutes les communes hors territoires Logement d'abord). C'est une « différence de différences ». Pour l'ensemble des territoires Logement d'abord (groupe LDA), l'année de référence est 2017 pour tous, y compris les territoires entrés en 2021.

L'intervalle à 95 % est obtenu par bootstrap : on tire avec remise, un grand nombre de fois (999 par défaut, tirage reproductible), les départements entièrement situés hors des territoires Logement d'abord, et l'on recalcule à chaque tirage l'évolution du reste de la France comme un rapport de sommes (somme des attributions aux ménages sans domicile sur somme des attributions, ou sur somme des populations), jamais comme une moyenne de taux. Un territoire formé de plusieurs départements entiers voit aussi ses départements tirés ; l'ensemble des territoires Logement d'abord voit ses territoires tirés ; l'évolution d'un territoire infra-départemental (EPCI, commune) est tenue fixe. L'écart de chaque tirage à l'évolution calculée sur tous les départements (ou territoires) tirables est reporté autour de la différence de différences publiée, et l'intervalle est formé des percentiles 2,5 et 97,5 des valeurs obtenues. Il ne mesure que la variabilité entre départements (et entre territoires) : il ne couvre ni les erreurs de mesure des sources ni les limites ci-dessous.

Ces chiffres sont descriptifs et ne permettent pas de conclure que la politique du Logement d'abord a causé l'écart observé :
- les territoires n'ont pas été tirés au sort : ils se sont portés candidats et ont été retenus, souvent parce qu'ils étaient déjà engagés ou avaient des besoins particuliers ; leurs tendances auraient pu différer de celles du reste de la France même sans le plan ;
- d'autres politiques et événements ont joué en même temps et de façon inégale selon les territoires (crise sanitaire de 2020, évolutions de l'offre de logements sociaux, de l'hébergement, de la demande d'asile, politiques locales) ;
- le reste de la France bénéficie lui aussi du plan national Logement d'abord, ce qui réduit l'écart mesurable ;
- les petits territoires ont peu d'attributions chaque année : leurs taux varient fortement d'une année à l'autre, et un écart, même hors de l'intervalle, peut tenir au hasard des petits nombres ;
- le choix de l'année de référence pèse sur le résultat : une année de référence atypique déplace tous les écarts qui en partent.
"""
