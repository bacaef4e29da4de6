"""The generator's ground truth: every indicator it can know, from its own clean records.

Written independently of the pipeline (polars here, SQL there) from the catalogue's
definitions and precisions (indicators.md), so that comparing the two is a real test.
Values are exact and unsuppressed. A (indicator, territory, period) is written only when the
source covers it (no `absent` rows) and, for rates and medians, when it is defined.

Territories: départements, régions, France (`FR`), each Logement d'abord territory, the
groups `LDA` / `HORS_LDA` and each EPCI (SIREN of its communes in the COG file). A record with a
commune goes to the territories containing that commune; a record with only a département code
goes to the territories containing the whole département. The offer of places (known by
département only) is written for territories made of whole départements (départements, régions,
France, département-type LDA territories), never for an EPCI (absent there). Monthly values are
not written for the EPCI (the pipeline publishes their years only). Section G (the monthly ledger,
episodes and returns) is computed in truth_ledger.py from the same records.
"""

from __future__ import annotations

import polars as pl

from pipelines.simulate import records as R
from pipelines.simulate.calibration import PERSONS_PER_HOUSEHOLD, Reference
from pipelines.simulate.truth_ledger import ledger_truth

OUT_SCHEMA = {"indicateur": pl.String, "territoire_type": pl.String, "territoire_code": pl.String,
              "periode": pl.String, "valeur": pl.Float64}
LOGEMENT_DESTINATIONS = {"Logement social", "Logement privé", "Pension de famille", "Résidence sociale / FJT",
                         "Intermédiation locative"}
RESERVATAIRE_CODES = {"Etat": "ETAT", "Action Logement": "AL", "Collectivité": "COLL", "Bailleur": "BAILLEUR", "Autre": "AUTRE"}
KEYS = ["territoire_type", "territoire_code"]


class Territories:
    """Commune → territories, and whole-département → territories, built from the reference files."""

    def __init__(self, ref: Reference):
        communes = ref.communes.select("code_commune", "code_departement", "code_region")
        lda_rows = [(t["code"], c) for t in ref.lda_territories for c in t["communes"]]
        lda = pl.DataFrame(lda_rows, schema=["territoire_code", "code_commune"], orient="row")
        lda_union = set(lda["code_commune"].to_list())
        parts = [
            communes.select("code_commune", pl.lit("departement").alias("territoire_type"),
                            pl.col("code_departement").alias("territoire_code")),
            communes.select("code_commune", pl.lit("region").alias("territoire_type"),
                            pl.col("code_region").alias("territoire_code")),
            communes.select("code_commune", pl.lit("france").alias("territoire_type"), pl.lit("FR").alias("territoire_code")),
            lda.select("code_commune", pl.lit("territoire_lda").alias("territoire_type"), "territoire_code"),
            communes.select("code_commune", pl.lit("groupe").alias("territoire_type"),
                            pl.when(pl.col("code_commune").is_in(list(lda_union))).then(pl.lit("LDA"))
                            .otherwise(pl.lit("HORS_LDA")).alias("territoire_code")),
            communes.join(ref.communes.select("code_commune", "siren_epci"), on="code_commune")
            .filter(pl.col("siren_epci").is_not_null() & (pl.col("siren_epci") != ""))
            .select("code_commune", pl.lit("epci").alias("territoire_type"), pl.col("siren_epci").alias("territoire_code")),
        ]
        self.by_commune = pl.concat(parts)
        # whole départements: a territory contains département d when all d's communes are in it
        n_dep = communes.group_by("code_departement").agg(pl.len().alias("n"))
        inside = (
            self.by_commune.join(communes.select("code_commune", "code_departement"), on="code_commune")
            .group_by(KEYS + ["code_departement"]).agg(pl.len().alias("k"))
            .join(n_dep, on="code_departement")
        )
        self.by_departement = inside.filter(pl.col("k") == pl.col("n")).select("code_departement", *KEYS)
        self.departements_touched = inside.select(*KEYS, "code_departement")
        self.whole_departement_territories = (
            inside.group_by(KEYS).agg((pl.col("k") == pl.col("n")).all().alias("whole")).filter("whole").select(KEYS)
        )
        pop = ref.communes.select("code_commune", "population")
        self.population = self.by_commune.join(pop, on="code_commune").group_by(KEYS).agg(pl.col("population").sum())
        self.all = self.by_commune.select(KEYS).unique()

    def agg(self, df: pl.DataFrame, by: list[str], aggs: list[pl.Expr]) -> pl.DataFrame:
        """`assign` then group by territory and `by`, one territory type at a time (bounded memory
        on tens of millions of records)."""
        df = df.with_columns(pl.col("commune").cast(pl.String), pl.col("departement").cast(pl.String))
        has_c = (pl.col("commune").is_not_null() & (pl.col("commune") != "")).alias("_has_c")
        df = df.with_columns(has_c)
        out = []
        for ttype in ("departement", "region", "france", "territoire_lda", "groupe", "epci"):
            bc = self.by_commune.filter(pl.col("territoire_type") == ttype)
            bd = self.by_departement.filter(pl.col("territoire_type") == ttype)
            joined = pl.concat([
                df.filter("_has_c").join(bc, left_on="commune", right_on="code_commune"),
                df.filter(~pl.col("_has_c")).join(bd, left_on="departement", right_on="code_departement"),
            ], how="diagonal_relaxed")
            out.append(joined.group_by(KEYS + by).agg(aggs))
            del joined
        return pl.concat(out, how="vertical_relaxed")

    def assign(self, df: pl.DataFrame, commune: str = "commune", departement: str = "departement") -> pl.DataFrame:
        """One row per (record, territory containing it)."""
        df = df.with_columns(pl.col(commune).cast(pl.String), pl.col(departement).cast(pl.String))
        with_c = df.filter(pl.col(commune).is_not_null() & (pl.col(commune) != ""))
        without = df.filter(pl.col(commune).is_null() | (pl.col(commune) == ""))
        a = with_c.join(self.by_commune, left_on=commune, right_on="code_commune", how="inner")
        b = without.join(self.by_departement, left_on=departement, right_on="code_departement", how="inner")
        return pl.concat([a, b], how="diagonal_relaxed")


def _rows(df: pl.DataFrame, code: str, value: str = "valeur") -> pl.DataFrame:
    return df.select(pl.lit(code).alias("indicateur"), *KEYS, pl.col("periode").cast(pl.String),
                     pl.col(value).cast(pl.Float64).alias("valeur"))


def _lower_median(col: str) -> pl.Expr:
    return pl.col(col).sort().get((pl.len() - 1) // 2)


def _year(col: str) -> pl.Expr:
    return pl.from_epoch(pl.col(col), time_unit="d").dt.year().cast(pl.String)


def _month(col: str) -> pl.Expr:
    return pl.from_epoch(pl.col(col), time_unit="d").dt.strftime("%Y-%m")


def _fill(counts: pl.DataFrame, grid: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    out = grid.join(counts, on=KEYS + ["periode"], how="left")
    return out.with_columns([pl.col(c).fill_null(0) for c in cols])


def _rate(df: pl.DataFrame, code: str, num: str, den: str, factor: float = 100.0) -> pl.DataFrame:
    ok = df.filter(pl.col(den) > 0).with_columns((pl.col(num) / pl.col(den) * factor).alias("valeur"))
    return _rows(ok, code)


def ground_truth(ref, siao_final, attributions, demandes, ndls, offre, coverage, years) -> tuple[pl.DataFrame, pl.DataFrame]:
    terr = Territories(ref)
    first, last = years
    year_list = [str(y) for y in range(first, last + 1)]
    sne_grid = terr.all.join(pl.DataFrame({"periode": year_list}), how="cross")
    out = [_sne(terr, attributions, demandes, sne_grid)]
    cov = pl.DataFrame(coverage, schema=["code_departement", "periode"], orient="row")
    out.append(_siao(terr, siao_final, cov))
    out.append(_parcours(terr, siao_final, attributions, cov, sne_grid, years))
    out.append(_ndls(terr, ref, ndls))
    out.append(_offre(terr, offre))
    out.append(ledger_truth(terr, ref, siao_final, attributions, coverage, years))
    result = pl.concat([o.select(list(OUT_SCHEMA)) for o in out]).sort(["indicateur", *KEYS, "periode"])
    return result, _effect(terr, attributions, ref, years)


# ---------------------------------------------------------------- A. SNE
def _sne(terr: Territories, att: pl.DataFrame, dem: pl.DataFrame, grid: pl.DataFrame) -> pl.DataFrame:
    a = terr.assign(att.with_columns(_year("date_attribution").alias("periode")))
    counts = a.group_by(KEYS + ["periode"]).agg(
        pl.len().alias("tot"), pl.col("sans_domicile").sum().alias("sd"),
    )
    c = _fill(counts, grid, ["tot", "sd"])
    res = [
        _rows(c, "ATTR_TOT", "tot"),
        _rows(c, "ATTR_SD", "sd"),
        _rows(c.with_columns((pl.col("sd") * PERSONS_PER_HOUSEHOLD).alias("p")), "ATTR_SD_PERS", "p"),
        _rate(c, "TX_ATTR_SD", "sd", "tot"),
    ]
    for label, code in RESERVATAIRE_CODES.items():
        sub = a.filter(pl.col("reservataire") == label).group_by(KEYS + ["periode"]).agg(
            pl.len().alias("tot"), pl.col("sans_domicile").sum().alias("sd"))
        res.append(_rate(sub, f"TX_ATTR_SD_RES_{code}", "sd", "tot"))
    delay = (
        a.filter(pl.col("sans_domicile") & (pl.col("date_depot") >= 0))
        .with_columns((pl.col("date_attribution") - pl.col("date_depot")).alias("d"))
        .group_by(KEYS + ["periode"]).agg(_lower_median("d").alias("valeur"))
    )
    res.append(_rows(delay, "DELAI_ATTR_SD"))
    d = terr.assign(dem.with_columns(pl.col("annee").cast(pl.String).alias("periode")))
    stock = d.group_by(KEYS + ["periode"]).agg(pl.col("n_sd").sum().alias("stock"))
    p = _fill(stock, grid, ["stock"]).join(c, on=KEYS + ["periode"])
    res.append(_rate(p, "PRESSION_SD", "stock", "sd", factor=1.0))
    return pl.concat(res)


# ---------------------------------------------------------------- B. SIAO
def _flags(siao: pl.DataFrame) -> pl.DataFrame:
    """Only the columns the section B indicators read, with their categories as booleans."""
    rue = [R.SIAO_SITUATIONS.index(x) for x in ("Rue / abri de fortune", "Squat / bidonville")]
    direct_ins = [R.ORIENT_INS.index(x) for x in ("Logement ordinaire", "Pension de famille", "Intermédiation locative")]
    direct_urg = [R.ORIENT_URG.index(x) for x in ("Logement ordinaire", "Pension de famille", "Intermédiation locative")
                  if x in R.ORIENT_URG]
    logement = [R.DESTINATIONS.index(x) for x in LOGEMENT_DESTINATIONS]
    unknown = [R.DESTINATIONS.index(x) for x in ("Inconnue", "")]
    return siao.select(
        "departement", "commune", "menage", "date_demande", "type_urgence", "status", "motif", "d_adm", "d_exit",
        (pl.col("situation").is_in(rue) & pl.when(pl.col("type_urgence")).then(pl.col("orient").is_in(direct_urg))
         .otherwise(pl.col("orient").is_in(direct_ins))).alias("direct"),
        pl.col("dest").is_in(logement).alias("dest_logement"),
        ((pl.col("dest") >= 0) & ~pl.col("dest").is_in(unknown)).alias("dest_connue"),
    )


def _coverage_grid(terr: Territories, cov: pl.DataFrame, monthly: bool) -> pl.DataFrame:
    c = cov if monthly else cov.with_columns(pl.col("periode").str.slice(0, 4)).unique()
    return terr.departements_touched.join(c, on="code_departement").select(KEYS + ["periode"]).unique()


def _siao(terr: Territories, siao: pl.DataFrame, cov: pl.DataFrame) -> pl.DataFrame:
    s = _flags(siao)
    year_grid = _coverage_grid(terr, cov, monthly=False)
    month_grid = _coverage_grid(terr, cov, monthly=True).filter(pl.col("territoire_type") != "epci")
    urg = pl.col("type_urgence")
    by_req = s.with_columns(_year("date_demande").alias("periode"))
    counts = terr.agg(by_req, ["periode"], [
        urg.sum().alias("dem_urg"),
        (~urg).sum().alias("dem_ins"),
        pl.col("menage").filter(urg).n_unique().alias("men_urg"),
        (urg & pl.col("status").is_in([0, 1])).sum().alias("final"),
        (urg & (pl.col("status") == 1)).sum().alias("np"),
        (urg & (pl.col("status") == 1) & (pl.col("motif") == 0)).sum().alias("np_place"),
    ])
    c = _fill(counts, year_grid, ["dem_urg", "dem_ins", "men_urg", "final", "np", "np_place"])
    monthly = terr.agg(s.filter(urg).with_columns(_month("date_demande").alias("periode")), ["periode"],
                       [pl.len().alias("n")])
    m = _fill(monthly, month_grid, ["n"])
    res = [
        _rows(c, "DEM_URG", "dem_urg"), _rows(m, "DEM_URG", "n"), _rows(c, "DEM_INS", "dem_ins"),
        _rows(c, "MEN_URG", "men_urg"), _rate(c, "TX_NON_POURVUES", "np", "final"),
        _rate(c, "TX_NP_ABS_PLACE", "np_place", "final"),
    ]
    adm = s.filter(pl.col("d_adm") >= 0).with_columns(_year("d_adm").alias("periode"))
    delay = terr.agg(
        adm.filter(~urg).with_columns((pl.col("d_adm") - pl.col("date_demande")).alias("d")), ["periode"],
        [_lower_median("d").alias("valeur")],
    ).join(year_grid, on=KEYS + ["periode"], how="semi")
    res.append(_rows(delay, "DELAI_ORIENT_INS"))
    direct = terr.agg(adm.filter("direct"), ["periode"], [pl.len().alias("n")])
    res.append(_rows(_fill(direct, year_grid, ["n"]), "ACCES_DIRECT", "n"))
    ex = s.filter(pl.col("d_exit") >= 0).with_columns(_year("d_exit").alias("periode"))
    exits = terr.agg(ex, ["periode"], [pl.col("dest_logement").sum().alias("log"), pl.col("dest_connue").sum().alias("known")])
    e = _fill(exits, year_grid, ["log", "known"])
    res += [_rows(e, "SORTIES_LOG", "log"), _rate(e, "TX_SORTIES_LOG", "log", "known")]
    return pl.concat(res)


# ---------------------------------------------------------------- C. Parcours
def _parcours(terr, siao, att, cov, sne_grid, years) -> pl.DataFrame:
    first, last = years
    hh_first = siao.group_by("menage").agg(pl.col("date_demande").min().alias("first"))
    nur_hh = siao.filter(pl.col("nur") != "").select(pl.col("nur").cast(pl.String), "menage").unique()
    linked = att.join(nur_hh, left_on="numero_unique", right_on="nur", how="inner").with_columns(
        _year("date_attribution").alias("periode"))
    res = []
    # DUREE_RUE_LOGEMENT
    dur = linked.join(hh_first, on="menage").filter(pl.col("first") <= pl.col("date_attribution")).with_columns(
        (pl.col("date_attribution") - pl.col("first")).alias("d"))
    dur_t = terr.assign(dur).group_by(KEYS + ["periode"]).agg(_lower_median("d").alias("valeur"))
    res.append(_rows(dur_t, "DUREE_RUE_LOGEMENT"))
    # RETOUR_RUE_12M for period N: attributions of N-1
    urg = siao.filter(pl.col("type_urgence")).select("menage", pl.col("date_demande").alias("d"))
    back = (
        linked.select("numero_unique", "menage", "date_attribution").join(urg, on="menage")
        .filter(((pl.col("d") - pl.col("date_attribution")) > 0) & ((pl.col("d") - pl.col("date_attribution")) <= 365))
        .select("numero_unique").unique().with_columns(pl.lit(True).alias("back"))
    )
    ret = linked.join(back, on="numero_unique", how="left").with_columns(
        pl.col("back").fill_null(False), (pl.col("periode").cast(pl.Int64) + 1).cast(pl.String).alias("periode"))
    siao_years = {p[:4] for p in cov["periode"].to_list()}
    ret = ret.filter(pl.col("periode").is_in(sorted(siao_years)))
    ret_t = terr.assign(ret).group_by(KEYS + ["periode"]).agg(pl.len().alias("den"), pl.col("back").sum().alias("num"))
    res.append(_rate(ret_t, "RETOUR_RUE_12M", "num", "den"))
    # PRIMO_DEMANDEURS
    u = siao.filter(pl.col("type_urgence")).with_columns(_year("date_demande").alias("periode"))
    dates = u.select("menage", pl.col("date_demande").alias("d")).unique().sort(["menage", "d"]).with_columns(
        pl.col("d").shift(1).over("menage").alias("prev"))
    firsts = (
        u.with_columns(pl.col("departement").cast(pl.String).alias("_dep"))
        .sort(["menage", "date_demande", "_dep", "numero_demande"])
        .group_by(["menage", "periode"], maintain_order=True).first()
        .join(dates, left_on=["menage", "date_demande"], right_on=["menage", "d"], how="left")
        .filter(pl.col("prev").is_null() | ((pl.col("date_demande") - pl.col("prev")) > 730))
    )
    year_grid = _coverage_grid(terr, cov, monthly=False)
    primo = terr.agg(firsts.select("departement", "commune", "periode"), ["periode"], [pl.len().alias("n")])
    res.append(_rows(_fill(primo, year_grid, ["n"]), "PRIMO_DEMANDEURS", "n"))
    return pl.concat(res)


# ---------------------------------------------------------------- D. Nuits de la Solidarité
def _ndls(terr: Territories, ref: Reference, ndls: dict) -> pl.DataFrame:
    if not ndls:
        return pl.DataFrame(schema=OUT_SCHEMA)
    pop = dict(zip(ref.communes["code_commune"], ref.communes["population"]))
    editions = []
    sectors = []
    for (city, year), df in ndls.items():
        editions.append((city, str(year), int(df["personnes"].sum()),
                         int(df.filter(pl.col("type_lieu") == "Rue")["personnes"].sum()), pop[city]))
        sec = df.group_by("secteur").agg(pl.col("personnes").sum(), (pl.col("secteur_couvert") == "Oui").all().alias("cov"))
        sectors.append(sec.with_columns(pl.lit(city).alias("city"), pl.lit(year).alias("year")))
    ed = pl.DataFrame(editions, schema=["city", "periode", "pers", "rue", "pop"], orient="row")
    et = ed.join(terr.by_commune, left_on="city", right_on="code_commune").group_by(KEYS + ["periode"]).agg(
        pl.col("pers").sum(), pl.col("rue").sum(), pl.col("pop").sum())
    res = [_rows(et, "NDLS_PERS", "pers"), _rows(et, "NDLS_PERS_RUE", "rue"),
           _rate(et, "NDLS_TAUX", "pers", "pop", factor=10_000.0)]
    sec = pl.concat(sectors)
    years_by_city = sec.select("city", "year").unique().sort(["city", "year"]).with_columns(
        pl.col("year").shift(1).over("city").alias("prev"))
    cur = sec.join(years_by_city, on=["city", "year"]).filter(pl.col("prev").is_not_null() & pl.col("cov"))
    prev = sec.filter(pl.col("cov")).select("city", pl.col("year").alias("prev"), "secteur",
                                             pl.col("personnes").alias("p_prev"))
    both = cur.join(prev, on=["city", "prev", "secteur"], how="inner")
    city_sums = both.group_by(["city", "year"]).agg(pl.col("personnes").sum().alias("n"), pl.col("p_prev").sum().alias("p"))
    ct = city_sums.join(terr.by_commune, left_on="city", right_on="code_commune").with_columns(
        pl.col("year").cast(pl.String).alias("periode")).group_by(KEYS + ["periode"]).agg(pl.col("n").sum(), pl.col("p").sum())
    ok = ct.filter(pl.col("p") > 0).with_columns(((pl.col("n") - pl.col("p")) / pl.col("p") * 100).alias("valeur"))
    res.append(_rows(ok, "NDLS_EVOL_PC"))
    return pl.concat(res)


# ---------------------------------------------------------------- E. Offre
def _offre(terr: Territories, offre: dict) -> pl.DataFrame:
    frames = [df.with_columns(pl.lit(str(y)).alias("periode")) for y, df in offre.items()]
    o = pl.concat(frames).with_columns(
        pl.col("type_place").is_in(["Pension de famille", "Résidence accueil"]).alias("pf"),
        pl.col("type_place").is_in(["IML mandat de gestion", "IML location / sous-location"]).alias("iml"),
        pl.col("type_place").is_in(["CHU", "CHRS", "Hôtel"]).alias("heb"),
    )
    whole = terr.by_departement.join(terr.whole_departement_territories, on=KEYS, how="semi").filter(
        pl.col("territoire_type") != "epci")
    t = o.join(whole, left_on="departement", right_on="code_departement").group_by(KEYS + ["periode"]).agg(
        pl.col("places").filter("pf").sum().alias("pf"), pl.col("places").filter("iml").sum().alias("iml"),
        pl.col("places").filter("heb").sum().alias("heb"),
    ).join(terr.population, on=KEYS)
    t = t.with_columns((pl.col("pf") + pl.col("iml")).alias("la"))
    return pl.concat([_rows(t, "PLACES_PF", "pf"), _rows(t, "PLACES_IML", "iml"), _rows(t, "PLACES_HEB", "heb"),
                      _rate(t, "TX_EQUIP_LA", "la", "population", factor=1000.0)])


# ---------------------------------------------------------------- F. the effect injected
def _effect(terr: Territories, att: pl.DataFrame, ref: Reference, years) -> pl.DataFrame:
    """TX_ATTR_SD with and without the Logement d'abord effect, per LDA territory/group and year."""
    a = terr.assign(att.with_columns(_year("date_attribution").alias("periode"))).filter(
        pl.col("territoire_type").is_in(["territoire_lda", "groupe"]))
    g = a.group_by(KEYS + ["periode"]).agg(
        pl.len().alias("tot"), pl.col("sans_domicile").sum().alias("sd"),
        pl.col("sans_domicile_sans_effet").sum().alias("sd0"))
    g = g.filter(pl.col("tot") > 0).with_columns(
        (pl.col("sd") / pl.col("tot") * 100).alias("tx_attr_sd"),
        (pl.col("sd0") / pl.col("tot") * 100).alias("tx_attr_sd_sans_effet"),
    ).with_columns((pl.col("tx_attr_sd") - pl.col("tx_attr_sd_sans_effet")).alias("effet_pp"))
    return g.select(*KEYS, "periode", "tot", "sd", "sd0", "tx_attr_sd", "tx_attr_sd_sans_effet", "effet_pp").sort(
        KEYS + ["periode"])


