"""The content of the annual report, built from `DonneesRapport`: every number already formatted in
French (« 12 345 », « 12,3 % », « s » for a secret cell, « — » for an absent one) and the plotly
figures, so that the template only lays them out.

Pure functions of the published data: no file is read or written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import plotly.graph_objects as go
import polars as pl

from assets.rapport import graphiques as gr
from assets.rapport.donnees import DonneesRapport
from observatoire_commun.presentation import (  # one wording with the app  # noqa: F401
    ANNEE_REFERENCE_GROUPE, CHIFFRES_CLES, EVALUATION_INDICATEURS, SECTIONS, annee_reference, libelle_regle,
)
from observatoire_commun.presentation import libelle_suite
from observatoire_commun import format as fr
from observatoire_commun import ledger

#: The key indicators of a Logement d'abord territory's page.
INDICATEURS_TERRITOIRE = [
    "ATTR_TOT", "ATTR_SD", "TX_ATTR_SD", "DELAI_ATTR_SD", "DEM_URG", "MEN_URG", "TX_NON_POURVUES",
    "TX_SORTIES_LOG", "ACCES_DIRECT", "NDLS_PERS", "PLACES_PF", "TX_EQUIP_LA",
]
#: Nuits de la Solidarité (indicators.md §D): the change of the count is the published change at
#: constant perimeter (sectors covered in both editions), never the change of two raw totals; the
#: other NdlS figures have no constant-perimeter change (« n.c. »).
NDLS_PERS, NDLS_EVOL_PC = "NDLS_PERS", "NDLS_EVOL_PC"
NON_COMPARABLE = "n.c."
LIBELLE_PERIMETRE_CONSTANT = "évolution à périmètre constant"
NATURES = {
    "epci": "intercommunalité (EPCI)",
    "departement": "département",
    "commune": "commune",
    "candidature conjointe": "candidature conjointe (EPCI et département)",
}
SOURCES_DESCRIPTION = {
    "sne": ("Système national d'enregistrement (SNE) de la demande de logement social",
            "Attributions de logements sociaux de l'année et demandes actives au 31 décembre "
            "(fichiers sne_attributions_AAAA.csv et sne_demandes_AAAA.csv)."),
    "siao": ("SI-SIAO, système d'information des services intégrés d'accueil et d'orientation",
             "Demandes d'hébergement d'urgence (115) et d'insertion, une extraction mensuelle par département "
             "(siao_DEP_AAAA-MM.csv) ; l'état d'une demande est celui de sa dernière extraction."),
    "sne+siao": ("SNE et SI-SIAO reliés",
                 "Parcours des ménages : attributions reliées aux demandes SIAO par le numéro unique (NUR) "
                 "pseudonymisé."),
    "ndls": ("Nuits de la Solidarité",
             "Décomptes de personnes sans abri par secteur et par édition (ndls_COMMUNE_AAAA.csv) ; totaux "
             "publiés (Ville de Paris, Apur) pour les éditions sans fichier par secteur."),
    "offre": ("Offre d'hébergement et de logement adapté",
              "Places ouvertes au 31 décembre par département et type de structure (offre_AAAA.csv)."),
}


def cellule_texte(valeur: float | None, statut: str, unite: str | None) -> str:
    """One published cell in French: « s » when secret (never 0), « — » when absent."""
    return fr.valeur(valeur, statut, unite)


def evolution_texte(actuelle: tuple[float | None, str], precedente: tuple[float | None, str], unite: str | None) -> str:
    """The change between two cells: « s » when either is secret (it would reveal it), « — » when
    either is absent or the change is undefined."""
    (v1, s1), (v0, s0) = actuelle, precedente
    if "secret" in (s1, s0):
        return fr.SECRET
    if s1 != "ok" or s0 != "ok" or v1 is None or v0 is None:
        return fr.ABSENT
    texte = fr.evolution(v1, v0, unite) or fr.ABSENT
    return sans_moins_zero(texte)


def sans_moins_zero(texte: str) -> str:
    """« -0,0 pt » (a change rounded to zero) → « 0,0 pt »."""
    if texte.startswith("-") and not any(ch in "123456789" for ch in texte):
        return texte[1:]
    return texte


def signe(valeur: float | None, decimales: int = 1, suffixe: str = "") -> str:
    if valeur is None:
        return fr.ABSENT
    texte = sans_moins_zero(("+" if valeur >= 0 else "-") + fr.nombre(abs(valeur), decimales))
    return f"{texte}\u00a0{suffixe}" if suffixe else texte


def majuscule(texte: str) -> str:
    return texte[:1].upper() + texte[1:]


def date_francaise(iso: str | None) -> str:
    mois = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
            "novembre", "décembre"]
    if not iso:
        return fr.ABSENT
    try:
        d = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {mois[d.month - 1]} {d.year}"


@dataclass
class Contenu:
    """Everything the template shows, and the figures to render (referenced by index)."""

    contexte: dict
    figures: list[go.Figure] = field(default_factory=list)

    def figure(self, fig: go.Figure) -> int:
        self.figures.append(fig)
        return len(self.figures) - 1


# --- evaluation (section F) -------------------------------------------------------------------


@dataclass
class LigneEvaluation:
    indicateur: str
    annee_reference: int
    valeur_reference: str
    valeur: str
    evolution_territoire: str
    evolution_reste: str
    did: str
    intervalle: str
    did_valeur: float | None = None


def _valeur_100k(d: DonneesRapport, ttype: str, code: str, annee: int) -> tuple[float | None, str]:
    v, s = d.cellule("ATTR_SD", ttype, code, annee)
    pop = d.territoires.filter((pl.col("territoire_type") == ttype) & (pl.col("territoire_code") == code))["population"]
    if s != "ok" or v is None or not pop.len() or not pop[0]:
        return None, s
    return v / pop[0] * 100_000, "ok"


def _valeur_eval(d: DonneesRapport, indicateur: str, ttype: str, code: str, annee: int) -> tuple[float | None, str]:
    if indicateur == "ATTR_SD_100K":
        return _valeur_100k(d, ttype, code, annee)
    return d.cellule(indicateur, ttype, code, annee)


def evaluation(d: DonneesRapport, indicateur: str, ttype: str, code: str, reference: int, annee: int) -> LigneEvaluation:
    """The difference in differences of one territory for `annee` against `reference`, read from
    `publication.evaluation_lda` (with its bootstrap interval); « — » when the file has no such row."""
    suffixe = "pt" if indicateur == "TX_ATTR_SD" else ""
    unite = "%" if indicateur == "TX_ATTR_SD" else "pour 100 000 habitants"
    if d.evaluation is not None and d.evaluation.height:
        ligne = d.evaluation.filter(
            (pl.col("indicateur") == indicateur) & (pl.col("territoire_type") == ttype)
            & (pl.col("territoire_code") == code) & (pl.col("periode") == str(annee))
        )
        if ligne.height:
            r = ligne.row(0, named=True)
            if r.get("statut") == "secret":  # the territory's published cell is secret: so is its change
                s_ = fr.SECRET
                return LigneEvaluation(indicateur, int(r["annee_reference"]), s_, s_, s_,
                                       signe(r["evolution_reste_france"], 1, suffixe), s_, s_)
            ic = (f"[{signe(r['ic_bas'], 1)} ; {signe(r['ic_haut'], 1)}]"
                  if r.get("ic_bas") is not None and r.get("ic_haut") is not None else fr.ABSENT)
            return LigneEvaluation(
                indicateur, int(r["annee_reference"]), fr.valeur(r["valeur_reference"], "ok", unite),
                fr.valeur(r["valeur"], "ok", unite), signe(r["evolution_territoire"], 1, suffixe),
                signe(r["evolution_reste_france"], 1, suffixe), signe(r["did"], 1, suffixe), ic, r["did"],
            )
    # The difference in differences is computed once, by the evaluation asset (marts.evaluation_lda):
    # without its published row the report shows « — », never a figure of its own.
    ref_txt, val_txt = (fr.valeur(*_valeur_eval(d, indicateur, ttype, code, a), unite) for a in (reference, annee))
    a = fr.ABSENT
    return LigneEvaluation(indicateur, reference, ref_txt, val_txt, a, a, a, a)


# --- sections ---------------------------------------------------------------------------------


def evolution_indicateur(d: DonneesRapport, code: str, ttype: str, tcode: str, annee: int) -> str:
    """The change shown beside a cell: NdlS counts take the published `NDLS_EVOL_PC` (constant
    perimeter), the other NdlS figures are not comparable between editions (« n.c. »); every other
    indicator compares its two published cells."""
    if code == NDLS_PERS:
        return _evolution_pc(d.cellule(NDLS_EVOL_PC, ttype, tcode, annee))
    if code.startswith("NDLS_"):
        return NON_COMPARABLE
    unite = d.unite(code)
    return evolution_texte(d.cellule(code, ttype, tcode, annee), d.cellule(code, ttype, tcode, annee - 1), unite)


def libelle_ligne(d: DonneesRapport, code: str, ttype: str, avec_evolution: bool = True) -> str:
    """The indicator's label; an NdlS figure of France or a group says it is the sum of the cities
    counted; the NdlS count says which change is shown beside it."""
    libelle = d.libelle(code)
    if code.startswith("NDLS_") and code != NDLS_EVOL_PC and ttype in ("france", "groupe"):
        libelle += " (somme des villes décomptées)"
    if code == NDLS_PERS and avec_evolution:
        libelle += f" — {LIBELLE_PERIMETRE_CONSTANT}"
    return libelle


def _ligne_indicateur(d: DonneesRapport, code: str, ttype: str, tcode: str, annee: int,
                      comparaisons: list[tuple[str, str]] = (), avec_evolution: bool = True) -> dict:
    unite = d.unite(code)
    n, n_1 = d.cellule(code, ttype, tcode, annee), d.cellule(code, ttype, tcode, annee - 1)
    return {
        "code": code,
        "libelle": libelle_ligne(d, code, ttype, avec_evolution),
        "n": cellule_texte(*n, unite),
        "n_1": cellule_texte(*n_1, unite),
        "evolution": evolution_indicateur(d, code, ttype, tcode, annee),
        "comparaisons": [cellule_texte(*d.cellule(code, t, c, annee), unite) for t, c in comparaisons],
        "valeur": n[0],
        "statut": n[1],
    }


def _annees_texte(d: DonneesRapport) -> list[str]:
    return [str(a) for a in d.annees if a <= d.annee]


def avertissement_couverture(d: DonneesRapport) -> str:
    """The cover's warning on synthetic data: the publication's sentence, which says « Données
    synthétiques de démonstration » once (the mention is added only when the sentence lacks it)."""
    texte = d.a_propos.get("avertissement", "").strip()
    if not d.synthetique or gr.MENTION_SYNTHETIQUE.lower() in texte.lower():
        return texte
    return f"{gr.MENTION_SYNTHETIQUE}. {texte}".strip()


def echelle_demo(d: DonneesRapport) -> str:
    """The demo's scale, from `a_propos.generateur_scale` (written by the publication when the data
    are the generator's): « » when the data are real or the scale is unknown."""
    if not d.synthetique:
        return ""
    try:
        echelle = float(d.a_propos.get("generateur_scale", ""))
    except ValueError:
        return ""
    pourcent = fr.nombre(100 * echelle, 0 if (100 * echelle).is_integer() else 1)
    return (f"Échelle de la démonstration : {pourcent} % des volumes nationaux pour les demandes SIAO et le SNE "
            "(attributions, demandes) ; les Nuits de la Solidarité et l'offre de places gardent leurs ordres "
            "de grandeur réels. Les effectifs sont donc bien plus petits que les vrais, et davantage de cases "
            "sont couvertes par le secret statistique.")


def couverture(d: DonneesRapport) -> dict:
    return {
        "titre": f"Rapport annuel {d.annee}",
        "date_construction": fr.horodatage_iso(d.a_propos.get("date_construction")) + " (heure de Paris)",
        "avertissement": avertissement_couverture(d),
        "echelle": echelle_demo(d),
        "n_territoires": d.territoires_lda().height,
    }


def synthese(d: DonneesRapport, c: Contenu) -> dict:
    annee = d.annee
    cartes = []
    for code in CHIFFRES_CLES:
        carte = _ligne_indicateur(d, code, "france", "FR", annee, avec_evolution=False)
        carte["evolution_libelle"] = LIBELLE_PERIMETRE_CONSTANT if code == NDLS_PERS else "évolution"
        cartes.append(carte)
    sections = []
    for section, titre in SECTIONS.items():
        codes = d.catalogue.filter(pl.col("section") == section)["code"].to_list()
        lignes = [_ligne_indicateur(d, code, "france", "FR", annee) for code in codes]
        if lignes:
            sections.append({"titre": f"{section}. {titre}", "lignes": lignes})
    annees = _annees_texte(d)
    serie = d.serie("ATTR_SD", "france", "FR")
    cellules = {p: (v, s) for p, v, s in serie.select("periode", "valeur", "statut").iter_rows()}
    valeurs = [cellules.get(a, (None, "absent")) for a in annees]
    fig = gr.barres(
        annees, [v if s == "ok" else None for v, s in valeurs],
        f"{d.libelle('ATTR_SD')}, France", "attributions",
        gr.note("sne", gr.periode([a for a, (_, s) in zip(annees, valeurs) if s == "ok"]), d.synthetique),
    )
    return {"cartes": cartes, "sections": sections, "figure": c.figure(fig), "perimetre_ndls": perimetre_ndls(d, annee),
            "objectif": phrase_objectif(d, "france", "FR")}


def phrases_objectifs(d: DonneesRapport, ttype: str, code: str, serie: str | None = None) -> list[str]:
    """The target sentences of a territory (observatoire_commun.objectifs, the app's wording): the
    Baromètre's IND-295 target first, then its local targets; only `serie`'s when given."""
    from observatoire_commun import objectifs as obj

    if d.objectifs.is_empty():
        return []
    lignes = d.objectifs.filter((pl.col("territoire_type") == ttype) & (pl.col("territoire_code") == code))
    if serie is not None:
        lignes = lignes.filter(pl.col("serie") == serie)
    numerateurs = (dict(zip(d.catalogue["code"], d.catalogue["numerateur"], strict=True))
                   if "numerateur" in d.catalogue.columns else {})
    unites = dict(zip(d.catalogue["code"], d.catalogue["unite"], strict=True)) if "unite" in d.catalogue.columns else {}
    phrases = []
    for o in sorted(lignes.iter_rows(named=True), key=lambda o: (o["serie"] != obj.SERIE_CIBLE, o["serie"])):
        indicateur = o.get("indicateur") or obj.INDICATEUR_SUIVI
        rows = list(d.serie(indicateur, ttype, code).select("periode", "valeur", "statut").iter_rows())
        phrases.append(obj.phrase_ligne(o, rows, numerateurs.get(indicateur), unites.get(indicateur)))
    return phrases


def phrase_objectif(d: DonneesRapport, ttype: str, code: str) -> str | None:
    """The Baromètre's target sentence (target, the observatory's cumul since 2023, pace needed), or None."""
    from observatoire_commun.objectifs import SERIE_CIBLE

    return next(iter(phrases_objectifs(d, ttype, code, SERIE_CIBLE)), None)


def comparaison_groupes(d: DonneesRapport, c: Contenu) -> dict:
    annee = d.annee
    comparaisons = [("groupe", "LDA"), ("groupe", "HORS_LDA"), ("france", "FR")]
    lignes = [_ligne_indicateur(d, code, "groupe", "LDA", annee, comparaisons, avec_evolution=False)
              for code in INDICATEURS_TERRITOIRE]
    annees = _annees_texte(d)
    fig = gr.tendances(
        [(libelle_territoire(d, t, code), d.serie("TX_ATTR_SD", t, code)) for t, code in comparaisons],
        d.libelle("TX_ATTR_SD"), "%", "sne", d.synthetique, annees, str(ANNEE_REFERENCE_GROUPE),
    )
    groupe = []
    for a in range(ANNEE_REFERENCE_GROUPE + 1, annee + 1):
        if str(a) not in annees:
            continue
        for code, libelle, _ in EVALUATION_INDICATEURS:
            ligne = evaluation(d, code, "groupe", "LDA", ANNEE_REFERENCE_GROUPE, a)
            groupe.append({"annee": a, "libelle": libelle, "ligne": ligne})
    territoires = []
    for t in d.territoires_lda().iter_rows(named=True):
        reference = annee_reference(t["ami"])
        lignes_t = {code: evaluation(d, code, "territoire_lda", t["territoire_code"], reference, annee)
                    for code, _, _ in EVALUATION_INDICATEURS} if annee > reference else {}
        territoires.append({"libelle": t["territoire_libelle"], "ami": t["ami"], "reference": reference,
                            "lignes": lignes_t})
    return {
        "libelles": [libelle_territoire(d, t, code) for t, code in comparaisons],
        "lignes": lignes,
        "figure": c.figure(fig),
        "groupe": groupe,
        "territoires": territoires,
        "intervalle_publie": d.evaluation is not None and d.evaluation.height > 0,
        "methode": d.evaluation_methode or methode_evaluation(),
        "reference_groupe": ANNEE_REFERENCE_GROUPE,
    }


def methode_evaluation() -> str:
    """The method note of section F (the text of `marts.evaluation_methode`)."""
    from assets.evaluation.bootstrap import METHODE

    return METHODE


def libelle_territoire(d: DonneesRapport, ttype: str, code: str) -> str:
    ligne = d.territoires.filter((pl.col("territoire_type") == ttype) & (pl.col("territoire_code") == code))
    return ligne["territoire_libelle"][0] if ligne.height else code


def fiches(d: DonneesRapport, c: Contenu) -> list[dict]:
    """One page per Logement d'abord territory."""
    annee = d.annee
    annees = _annees_texte(d)
    comparaisons = [("groupe", "LDA"), ("france", "FR")]
    pages = []
    for t in d.territoires_lda().iter_rows(named=True):
        code = t["territoire_code"]
        reference = annee_reference(t["ami"])
        lignes = [_ligne_indicateur(d, i, "territoire_lda", code, annee, comparaisons) for i in INDICATEURS_TERRITOIRE]
        fig = gr.tendances(
            [(gr.coupe(t["territoire_libelle"]), d.serie("TX_ATTR_SD", "territoire_lda", code)),
             (libelle_territoire(d, "groupe", "LDA"), d.serie("TX_ATTR_SD", "groupe", "LDA")),
             (libelle_territoire(d, "groupe", "HORS_LDA"), d.serie("TX_ATTR_SD", "groupe", "HORS_LDA"))],
            d.libelle("TX_ATTR_SD"), "%", "sne", d.synthetique, annees, str(reference),
        )
        gr.legende_deux_colonnes(fig, 270 if not d.flux else 240)  # the year's ledger takes the rest of the page
        evals = ({k: evaluation(d, k, "territoire_lda", code, reference, annee) for k, _, _ in EVALUATION_INDICATEURS}
                 if annee > reference else {})
        pages.append({
            "code": code,
            "libelle": t["territoire_libelle"],
            "nature": majuscule(NATURES.get(t["nature"] or "", t["nature"] or "")),
            "ami": t["ami"],
            "reference": reference,
            "population": fr.nombre(t["population"]),
            "lignes": lignes,
            "figure": c.figure(fig),
            "evaluations": evals,
            "comparaisons": [libelle_territoire(d, ty, co) for ty, co in comparaisons],
            "objectifs": phrases_objectifs(d, "territoire_lda", code),  # local targets (data/config/objectifs.csv)
            "flux": bilan_flux(d, "territoire_lda", code, annee) if d.flux else None,
        })
    return pages


# --- section G: the monthly ledger of homeless households -------------------------------------

#: The section's title when `observatoire_commun.presentation.SECTIONS` has none.
TITRE_FLUX = "Flux des ménages sans domicile (SI-SIAO)"
#: The flows page: France, the Logement d'abord group and the rest of France.
TERRITOIRES_FLUX = [("france", "FR"), ("groupe", "LDA"), ("groupe", "HORS_LDA")]
#: Yearly codes shown with the previous year: returns after housing, then episodes.
ANNUELS_FLUX = [*ledger.RETOURS, *ledger.EPISODES]
MOIS_COURTS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def sections_rapport() -> dict[str, str]:
    """The catalogue's sections shown by the methodology: A–F, and G (the ledger)."""
    return {**SECTIONS, "G": SECTIONS.get("G", TITRE_FLUX)}


def mois_annee(annee: int) -> list[str]:
    return [f"{annee}-{m:02d}" for m in range(1, 13)]


def enumeration(mots: list[str]) -> str:
    """« mars », « mars et avril », « mars, avril et juin »."""
    return mots[0] if len(mots) == 1 else f"{', '.join(mots[:-1])} et {mots[-1]}"


def minuscule_initiale(texte: str) -> str:
    return texte[:1].lower() + texte[1:]


def mois_absents(d: DonneesRapport, ttype: str, tcode: str, annee: int) -> list[int]:
    """The months (1–12) when the territory is absent from the ledger: no département of its
    perimeter has an accepted SIAO file for the month and the one before (every code of the month
    is then absent; ACTIFS is read)."""
    return [i + 1 for i, m in enumerate(mois_annee(annee)) if d.cellule(ledger.STOCK, ttype, tcode, m)[1] == "absent"]


def note_mois_absents(d: DonneesRapport, ttype: str, tcode: str, annee: int) -> str | None:
    """A French note when the territory has months without coverage; None when every month is covered."""
    absents = mois_absents(d, ttype, tcode, annee)
    if not absents:
        return None
    condition = "aucun de ses départements n'a de fichier SIAO accepté pour le mois et pour le précédent"
    if len(absents) == 12:
        return (f"Aucun mois de {annee} n'est couvert pour ce territoire ({condition}) : ses flux de l'année sont "
                f"« {fr.ABSENT} ».")
    texte = (f"Mois non couverts en {annee} ({condition}) : {enumeration([fr.MOIS[m - 1] for m in absents])}, "
             f"« {fr.ABSENT} ». Les entrées et sorties de l'année additionnent les {12 - len(absents)} mois couverts")
    bornes = [(1, "de début d'année (janvier)"), (12, "de fin d'année (décembre)")]
    manquants = [texte_borne for m, texte_borne in bornes if m in absents]
    if manquants:
        texte += f" ; les ménages actifs {' et '.join(manquants)} sont « {fr.ABSENT} »"
    return texte + "."


def zero_fonctionnel_mois(d: DonneesRapport, ttype: str, tcode: str, annee: int) -> list[bool | None]:
    """The « zéro fonctionnel » reading of each month (`observatoire_commun.ledger.zero_fonctionnel`):
    True, False, or None when a term is secret or absent (unknown, never guessed)."""
    lectures = []
    for m in mois_annee(annee):
        valeurs = {}
        for code in (ledger.SORTIE_LOGEMENT, *ledger.ENTREES):
            v, s = d.cellule(code, ttype, tcode, m)
            valeurs[code] = v if s == "ok" else None
        lectures.append(ledger.zero_fonctionnel(valeurs))
    return lectures


def phrase_zero_fonctionnel(d: DonneesRapport, ttype: str, tcode: str, annee: int) -> str:
    """« Zéro fonctionnel » in one French sentence: the months reached, out of the known ones, and the
    unknown months said as unknown."""
    lectures = zero_fonctionnel_mois(d, ttype, tcode, annee)
    atteints = [fr.MOIS[i] for i, z in enumerate(lectures) if z is True]
    connus = sum(z is not None for z in lectures)
    inconnus = [fr.MOIS[i] for i, z in enumerate(lectures) if z is None]
    debut = (f"Zéro fonctionnel (mois où les {minuscule_initiale(d.libelle(ledger.SORTIE_LOGEMENT))} ont dépassé "
             f"l'ensemble des entrées) : ")
    if not connus:
        return debut + f"inconnu pour chacun des 12 mois de {annee} (valeurs secrètes ou sans source)."
    if atteints:
        texte = (f"atteint en {enumeration(atteints)} {annee}, soit {len(atteints)} mois sur les {connus} dont "
                 f"le résultat est connu")
    else:
        texte = (f"jamais atteint en {annee} ({connus} mois connus)" if connus > 1
                 else f"non atteint en {annee} (1 mois connu)")
    if inconnus:
        texte += f" ; inconnu en {enumeration(inconnus)} (valeur secrète ou sans source)"
    return debut + texte + "."


def _cellules_texte(d: DonneesRapport, codes: list[str], ttype: str, tcode: str, periode: str) -> list[str]:
    return [cellule_texte(*d.cellule(code, ttype, tcode, periode), d.unite(code)) for code in codes]


#: The ledger's columns in the report's tables: stock at the start, inflows, outflows, stock at the end.
COLONNES_FLUX = [ledger.STOCK_DEBUT, *ledger.ENTREES, *ledger.SORTIES, ledger.STOCK]


def bilan_flux(d: DonneesRapport, ttype: str, tcode: str, annee: int) -> dict:
    """The year's ledger of one territory (the published yearly codes: January's start, the sums of
    the covered months, December's end), its returns and episodes with the previous year, and the
    note on months without coverage."""
    return {
        "colonnes": [{"code": c, "libelle": d.libelle(c)} for c in COLONNES_FLUX],
        "n_entrees": len(ledger.ENTREES),
        "n_sorties": len(ledger.SORTIES),
        "annee": _cellules_texte(d, COLONNES_FLUX, ttype, tcode, str(annee)),
        "annuels": [_ligne_indicateur(d, code, ttype, tcode, annee) for code in ANNUELS_FLUX],
        "note_absents": note_mois_absents(d, ttype, tcode, annee),
    }


def flux_territoire(d: DonneesRapport, c: Contenu, ttype: str, tcode: str, annee: int) -> dict:
    """One territory of the flows page: the monthly chart, the 12 months' table with the year's
    row, the returns and episodes, the « zéro fonctionnel » sentence."""
    periodes = mois_annee(annee)
    mois = [{"mois": majuscule(fr.MOIS[i]), "periode": p,
             "cellules": _cellules_texte(d, COLONNES_FLUX, ttype, tcode, p)} for i, p in enumerate(periodes)]

    def serie(code: str) -> tuple[str, list[float | None]]:
        cellules = [d.cellule(code, ttype, tcode, p) for p in periodes]
        return d.libelle(code), [v if s == "ok" else None for v, s in cellules]

    libelle = libelle_territoire(d, ttype, tcode)
    couverts = [MOIS_COURTS[i] for i in range(12) if d.cellule(ledger.STOCK, ttype, tcode, periodes[i])[1] != "absent"]
    texte_note = gr.note("siao", f"{annee}" if couverts else fr.ABSENT, d.synthetique)
    fig = gr.flux(list(MOIS_COURTS), [serie(code) for code in ledger.ENTREES], [serie(code) for code in ledger.SORTIES],
                  serie(ledger.STOCK), f"Flux mensuels des ménages sans domicile, {libelle}, {annee}", texte_note)
    return {
        "code": tcode,
        "libelle": libelle,
        "mois": mois,
        "figure": c.figure(fig),
        "zero_fonctionnel": phrase_zero_fonctionnel(d, ttype, tcode, annee),
        **bilan_flux(d, ttype, tcode, annee),
    }


def flux(d: DonneesRapport, c: Contenu) -> list[dict]:
    """The flows page (France, the Logement d'abord group, the rest of France); empty when the
    publication file has no section G (an older file)."""
    if not d.flux:
        return []
    return [flux_territoire(d, c, ttype, tcode, d.annee) for ttype, tcode in TERRITOIRES_FLUX]


def definition_stock(d: DonneesRapport) -> str:
    """« Ménages actifs en fin de mois » and its definition, as the catalogue writes them (the
    inactivity threshold is stated there, not here)."""
    ligne = d.catalogue.filter(pl.col("code") == ledger.STOCK)
    definition = ligne["definition"][0] if ligne.height and "definition" in ligne.columns else ""
    return f"{d.libelle(ledger.STOCK)} : {minuscule_initiale(definition)}" if definition else d.libelle(ledger.STOCK)


def perimetre_ndls(d: DonneesRapport, annee: int) -> str:
    """What France's NdlS figure adds up in `annee`: the cities counted, by département."""
    departements = d.ndls_departements.get(str(annee), [])
    if not departements:
        return "France : somme des villes décomptées (aucune Nuit de la Solidarité publiée cette année)."
    pluriel = "s" if len(departements) > 1 else ""
    return (f"« France » n'est pas la France entière : c'est la somme des villes qui ont tenu une Nuit de la "
            f"Solidarité en {annee}, dans {len(departements)} département{pluriel} ({', '.join(departements)}).")


def ndls(d: DonneesRapport, c: Contenu) -> dict:
    annee = d.annee
    territoires = [("france", "FR", "France (somme des villes décomptées)")] + [
        ("territoire_lda", r["territoire_code"], r["territoire_libelle"]) for r in d.territoires_lda().iter_rows(named=True)
    ]
    lignes = []
    for ttype, code, libelle in territoires:
        n, n_1 = d.cellule("NDLS_PERS", ttype, code, annee), d.cellule("NDLS_PERS", ttype, code, annee - 1)
        if n[1] == "absent" and n_1[1] == "absent":
            continue
        lignes.append({
            "libelle": libelle,
            "n_1": cellule_texte(*n_1, "nombre"),
            "n": cellule_texte(*n, "nombre"),
            "rue": cellule_texte(*d.cellule("NDLS_PERS_RUE", ttype, code, annee), "nombre"),
            "taux": cellule_texte(*d.cellule("NDLS_TAUX", ttype, code, annee), "pour 10 000 habitants"),
            "evolution": _evolution_pc(d.cellule("NDLS_EVOL_PC", ttype, code, annee)),
            "valeur": n[0] if n[1] == "ok" else None,
            "france": ttype == "france",
        })
    barres = [l for l in lignes if not l["france"] and l["valeur"] is not None]
    figure = None
    if barres:
        fig = gr.barres(
            [l["libelle"] for l in barres], [l["valeur"] for l in barres],
            f"{d.libelle('NDLS_PERS')}, édition {annee}", "personnes", gr.note("ndls", str(annee), d.synthetique),
            horizontal=True, hauteur=max(260, 24 * len(barres) + 130), couleur=gr.COULEURS[1],
        )
        figure = c.figure(fig)
    return {"lignes": lignes, "figure": figure, "perimetre": perimetre_ndls(d, annee)}


def _evolution_pc(cellule: tuple[float | None, str]) -> str:
    v, s = cellule
    if s != "ok" or v is None:
        return cellule_texte(v, s, "%")
    return signe(v, 1, "%")


def qualite(d: DonneesRapport) -> dict:
    """Every file: loaded ones by source (read = accepted + quarantined + skipped), refused ones with
    their reason; refused lines by rule (French labels); every check, failed ones first; times in
    Paris time."""
    sources = []
    regles = []
    refuses = []
    if d.qualite.height:
        q = d.qualite
        ignorees_publiees = "rows_skipped" in q.columns  # an older publication file: unknown, not 0
        if not ignorees_publiees:
            q = q.with_columns(pl.lit(0, pl.Int64).alias("rows_skipped"))
        if "statut" in q.columns:
            for r in (q.filter(pl.col("statut") == "refuse").unique(["source", "file_name"])
                      .sort("source", "file_name").iter_rows(named=True)):
                motif = r.get("motif") or ""
                refuses.append({"source": majuscule(gr.libelle_source(r["source"])), "fichier": r["file_name"],
                                "motif": motif.split(" : ", 1)[-1] if motif else fr.ABSENT})
            q = q.filter(pl.col("statut") != "refuse")
        fichiers = q.unique(["source", "file_name"], keep="first")
        dernier = (pl.col("ingested_at").max() if "ingested_at" in fichiers.columns
                   else pl.lit(None)).alias("dernier")
        for r in fichiers.group_by("source").agg(
            pl.len().alias("fichiers"), pl.col("rows_read").sum(), pl.col("rows_accepted").sum(),
            pl.col("rows_quarantined").sum(), pl.col("rows_skipped").sum(), dernier,
        ).sort("source").iter_rows(named=True):
            part = 100 * r["rows_quarantined"] / r["rows_read"] if r["rows_read"] else None
            sources.append({
                "source": majuscule(gr.libelle_source(r["source"])), "fichiers": fr.nombre(r["fichiers"]),
                "lues": fr.nombre(r["rows_read"]), "acceptees": fr.nombre(r["rows_accepted"]),
                "quarantaine": fr.nombre(r["rows_quarantined"]), "ignorees": fr.nombre(r["rows_skipped"]) if ignorees_publiees else fr.ABSENT,
                "part": fr.pourcentage(part, 2),
                "dernier": fr.horodatage(r["dernier"]) if r["dernier"] is not None else fr.ABSENT,
                "equilibre": r["rows_read"] == r["rows_accepted"] + r["rows_quarantined"] + r["rows_skipped"],
            })
        for r in (q.filter(pl.col("rule").is_not_null()).group_by("source", "rule")
                  .agg(pl.col("n").sum()).sort("n", descending=True).iter_rows(named=True)):
            regles.append({"source": majuscule(gr.libelle_source(r["source"])), "regle": libelle_regle(r["rule"]),
                           "n": fr.nombre(r["n"])})
    controles = []
    for r in d.qualite_controles.iter_rows(named=True) if d.qualite_controles.height else []:
        controles.append({"suite": libelle_suite(r["suite"]), "expectation": r["expectation"],
                          "resultat": "réussi" if r["success"] else "en échec", "ok": bool(r["success"]),
                          "observe": r.get("observed") or ""})
    controles.sort(key=lambda r: r["ok"])  # failed ones first
    couverture = []
    annee = str(d.annee)
    lda = d.indicateurs.filter((pl.col("periode") == annee) & (pl.col("territoire_type") == "territoire_lda"))
    for r in lda.group_by("source").agg(
        (pl.col("statut") == "ok").sum().alias("ok"), (pl.col("statut") == "secret").sum().alias("secret"),
        (pl.col("statut") == "absent").sum().alias("absent"), pl.len().alias("total"),
    ).sort("source").iter_rows(named=True):
        couverture.append({"source": majuscule(gr.libelle_source(r["source"])),
                           **{k: fr.nombre(r[k]) for k in ("ok", "secret", "absent", "total")}})
    n_ok = sum(1 for r in controles if r["ok"])
    n_echec = len(controles) - n_ok
    resume = (f"{n_echec} en échec, " if n_echec else "") + (
        f"{n_ok} contrôle{'s' if n_ok > 1 else ''} réussi{'s' if n_ok > 1 else ''} sur {len(controles)}")
    return {"sources": sources, "regles": regles, "refuses": refuses, "controles": controles,
            "couverture": couverture, "controles_resume": resume}


def methodologie(d: DonneesRapport) -> dict:
    sections = []
    for section, titre in sections_rapport().items():
        lignes = []
        for r in d.catalogue.filter(pl.col("section") == section).iter_rows(named=True):
            lignes.append({**r, "source_libelle": gr.libelle_source(r["source"])})
        if lignes:
            sections.append({"titre": f"{section}. {titre}", "lignes": lignes})
    seuil = d.seuil
    return {"sections": sections, "seuil": seuil, "seuil_moins_un": seuil - 1}


def sources(d: DonneesRapport) -> dict:
    utilisees = d.catalogue.group_by("source").agg(pl.col("code").sort()).sort("source")
    lignes = []
    for source, codes in utilisees.iter_rows():
        nom, description = SOURCES_DESCRIPTION.get(source, (gr.libelle_source(source), ""))
        lignes.append({"nom": nom, "description": description, "indicateurs": ", ".join(codes)})
    tables = []
    if d.dictionnaire.height:
        for r in d.dictionnaire.filter(pl.col("column_name").is_null()).iter_rows(named=True):
            tables.append({"table": f"publication.{r['table_name']}", "libelle": r["libelle"],
                           "source": r.get("source") or ""})
    a_propos = [{"cle": k, "valeur": v} for k, v in d.a_propos.items()]
    return {"lignes": lignes, "tables": tables, "a_propos": a_propos}


def construire(d: DonneesRapport) -> Contenu:
    """The whole report's content (the figures are listed in `Contenu.figures`)."""
    c = Contenu({})
    c.contexte = {
        "annee": d.annee,
        "annee_precedente": d.annee - 1,
        "synthetique": d.synthetique,
        "mention_synthetique": gr.MENTION_SYNTHETIQUE,
        "fichier": d.chemin.name,
        "couverture": couverture(d),
        "synthese": synthese(d, c),
        "comparaison": comparaison_groupes(d, c),
        "flux": flux(d, c),
        "definition_stock": definition_stock(d) if d.flux else "",
        "fiches": fiches(d, c),
        "ndls": ndls(d, c),
        "qualite": qualite(d),
        "methodologie": methodologie(d),
        "sources": sources(d),
        "secret": fr.SECRET,
        "absent": fr.ABSENT,
        "non_comparable": NON_COMPARABLE,
        "seuil": d.seuil,
    }
    return c
