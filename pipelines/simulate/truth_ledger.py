"""Section G of the ground truth (the monthly ledger, episodes and returns), from the generator's own
records, written from the catalogue's definitions (indicators.md, section G) and not from the SQL.

The household's events come from the latest state of each of its requests (what the pipeline accepts:
the quirks' bad rows are extra rows with fresh identifiers, never part of these records): an activity
on each `Date de la demande`, `Date d'orientation` (filled for `Pourvue` requests) and `Date
d'admission`; a housing exit on each `Date de sortie` to one of SORTIES_LOG's destinations and on each
`date_attribution` of an SNE attribution linked to the household by its NUR (section C linkage).

Days are integers (days since 1970-01-01); months are integers (months since 1970-01). The rules:

* ending exit: the household is active at the end of h − 1 or has an activity on day h. With `a` its
  latest activity on or before h, every exit in [a, h) lies on an activity day or at most 90 days after
  `a` with no exit before it since `a`, so the earliest of them is ending and the household is not active
  at h − 1: h is ending exactly when h − a ≤ 90 and no housing exit lies in [a, h);
* active at the end of D: `a` (latest activity ≤ D) has D − a < 90 and no ending exit lies in [a, D]; so
  activity `a` keeps the household active on the days [a, min(a + 89, h − 1, next activity − 1)] where h
  is the first ending exit on or after `a`; the place is the request carrying `a` (ties on the day: the
  greatest (Département SIAO, Numéro demande) as text);
* month m: D0 = last day of m − 1, D1 = last day of m; perimeter: the places whose département has a
  file for m and for m − 1 (a département-only place counts in the territories containing the whole
  département).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.simulate import records as R

INACTIVITY = 90  # days: active at the end of D when D − a < INACTIVITY
NEW_WINDOW = 730  # ENTREES_NOUVEAUX: no activity in (D0 − 730, D0]
LONG_DAYS = 365  # LONGUE_DUREE: episode started before 31/12 − 365
TRANSFER_DAYS = 14  # an activity within 14 days of a housing exit is a transfer, not a return
RETURN_WINDOWS = {"RETOUR_0_6M": (14, 180), "RETOUR_6_12M": (180, 365), "RETOUR_12_24M": (365, 730)}
KEYS = ["territoire_type", "territoire_code"]
FLOWS = ["ENTREES_NOUVEAUX", "ENTREES_RETOUR_LOGEMENT", "ENTREES_RETOUR_INACTIVITE", "TRANSFERTS_ENTRANTS",
         "SORTIES_LOGEMENT", "SORTIES_INACTIVITE", "TRANSFERTS_SORTANTS"]
STOCKS = ["ACTIFS", "ACTIFS_DEBUT"]
_K = 1 << 17  # household × _K + day: one sortable key (days < 131 072, i.e. before the year 2328)
_TYPES = ("departement", "region", "france", "territoire_lda", "groupe", "epci")


def _month(days) -> np.ndarray:
    return R.month_index(np.asarray(days, dtype=np.int64))


def _label(months: pl.Expr) -> pl.Expr:
    """Month index → 'AAAA-MM'."""
    return pl.concat_str([(months // 12 + 1970).cast(pl.String),
                          (months % 12 + 1).cast(pl.String).str.zfill(2)], separator="-")


def _latest(left: pl.DataFrame, day: str, right: pl.DataFrame, right_day: str, cols: dict[str, str],
            strategy: str = "backward") -> pl.DataFrame:
    """For each row of `left`, the row of `right` of the same household with the greatest `right_day`
    ≤ left[day] (backward) or the smallest ≥ left[day] (forward); its columns renamed by `cols`
    (null when there is none)."""
    lk = left.with_columns((pl.col("menage") * _K + pl.col(day)).alias("_key")).sort("_key")
    rk = right.select((pl.col("menage") * _K + pl.col(right_day)).alias("_key"), pl.col("menage").alias("_m"),
                      *[pl.col(c).alias(n) for c, n in cols.items()]).sort("_key")
    joined = lk.join_asof(rk, on="_key", strategy=strategy)
    same = pl.col("_m") == pl.col("menage")
    return joined.with_columns([pl.when(same).then(pl.col(n)).alias(n) for n in cols.values()]).drop("_key", "_m")


class _Events:
    """The households' activities (one row per household and day: the winning request's place), their
    housing exits (every event, with the exits' tie-break columns) and the ending exits."""

    def __init__(self, ref, siao: pl.DataFrame, attributions: pl.DataFrame):
        commune_dep = ref.communes.select(pl.col("code_commune").alias("commune"),
                                          pl.col("code_departement").alias("place_dep"))
        req = siao.select(
            "menage", pl.col("departement").cast(pl.String).alias("dep_siao"), pl.col("numero_demande").alias("numero"),
            pl.when(pl.col("commune").cast(pl.String) != "").then(pl.col("commune").cast(pl.String)).alias("commune"),
            pl.col("date_demande").cast(pl.Int64), pl.col("d_dec").cast(pl.Int64), pl.col("d_adm").cast(pl.Int64),
            pl.col("d_exit").cast(pl.Int64), "status", "dest",
        ).join(commune_dep, on="commune", how="left")
        req = req.with_columns(pl.coalesce("place_dep", "dep_siao").alias("place_dep"))
        who = ["menage", "dep_siao", "numero", "commune", "place_dep"]
        # one activity per household and day, placed by the greatest (Département SIAO, Numéro demande) as
        # text: the départements by their rank in text order, the numbers as integers (they have the same
        # width within a département); places as categoricals (tens of millions of rows at scale 1)
        rank = {d: i for i, d in enumerate(sorted(set(req["dep_siao"].unique().to_list())))}
        compact = req.select("menage", pl.col("dep_siao").replace_strict(rank, return_dtype=pl.Int16).alias("rank"),
                             "numero", pl.col("commune").cast(pl.Categorical), pl.col("place_dep").cast(pl.Categorical),
                             "date_demande", "d_dec", "d_adm", "status")
        acts = pl.concat([
            compact.select(pl.exclude("date_demande", "d_dec", "d_adm", "status"), pl.col("date_demande").alias("day")),
            compact.filter((pl.col("status") == 0) & (pl.col("d_dec") >= 0)).select(
                pl.exclude("date_demande", "d_dec", "d_adm", "status"), pl.col("d_dec").alias("day")),
            compact.filter(pl.col("d_adm") >= 0).select(
                pl.exclude("date_demande", "d_dec", "d_adm", "status"), pl.col("d_adm").alias("day")),
        ])
        del compact
        self.activities = (acts.sort(["menage", "day", "rank", "numero"])
                           .group_by(["menage", "day"], maintain_order=True).last()
                           .select("menage", "day", "commune", "place_dep"))
        del acts
        logement = [R.DESTINATIONS.index(x) for x in ("Logement social", "Logement privé", "Pension de famille",
                                                       "Résidence sociale / FJT", "Intermédiation locative")]
        siao_exits = req.filter((pl.col("d_exit") >= 0) & pl.col("dest").is_in(logement)).select(
            *who, pl.col("d_exit").alias("day"), pl.lit(0, pl.Int8).alias("kind"))
        nur_hh = siao.filter(pl.col("nur").cast(pl.String) != "").select(
            pl.col("nur").cast(pl.String), "menage").unique()
        linked = attributions.select("numero_unique", pl.col("date_attribution").cast(pl.Int64).alias("day"),
                                     pl.col("commune").cast(pl.String)).join(
            nur_hh, left_on="numero_unique", right_on="nur").join(commune_dep, on="commune", how="left")
        attr_exits = linked.select("menage", pl.lit(None, pl.String).alias("dep_siao"),
                                   pl.lit(None, req["numero"].dtype).alias("numero"), "commune", "place_dep", "day",
                                   pl.lit(1, pl.Int8).alias("kind"))
        self.exits = pl.concat([siao_exits, attr_exits])
        exit_days = self.exits.select("menage", "day").unique().sort(["menage", "day"])
        # ending exits: h − a ≤ 90 for the latest activity a ≤ h, and no exit in [a, h)
        e = exit_days.with_columns(pl.col("day").shift(1).over("menage").alias("prev_exit"))
        e = _latest(e, "day", self.activities, "day", {"day": "last_act"})
        self.exit_days = exit_days
        self.ending = e.filter(pl.col("last_act").is_not_null() & (pl.col("day") - pl.col("last_act") <= INACTIVITY)
                               & (pl.col("prev_exit").is_null() | (pl.col("prev_exit") < pl.col("last_act")))
                               ).select("menage", "day", "last_act").sort(["menage", "day"])
        # episode starts: the first activity, one more than 90 days after the previous one, and the first
        # activity strictly after an ending exit (an ending exit h with previous activity ≤ h < activity)
        a = self.activities.select("menage", "day").sort(["menage", "day"]).with_columns(
            pl.col("day").shift(1).over("menage").alias("prev"))
        a = _latest(a.with_columns(pl.col("prev").fill_null(-1).alias("_from")), "_from", self.ending, "day",
                    {"day": "h_after_prev"}, strategy="forward")
        self.starts = a.filter(pl.col("prev").is_null() | (pl.col("day") - pl.col("prev") > INACTIVITY)
                               | (pl.col("h_after_prev") < pl.col("day"))).select("menage", "day").sort(["menage", "day"])

    def active_month_ends(self) -> pl.DataFrame:
        """(household, month m, place) for every month end D1 at which the household is active."""
        a = self.activities.sort(["menage", "day"]).with_columns(pl.col("day").shift(-1).over("menage").alias("next"))
        a = _latest(a, "day", self.ending, "day", {"day": "h"}, strategy="forward")
        a = a.with_columns(pl.min_horizontal(
            pl.col("day") + INACTIVITY - 1,
            pl.col("h").fill_null(1 << 40) - 1,
            pl.col("next").fill_null(1 << 40) - 1,
        ).alias("last_active")).filter(pl.col("last_active") >= pl.col("day"))
        m0 = _month(a["day"].to_numpy())
        frames = []
        for k in range(5):  # at most 90 days: 4 month ends
            m = m0 + k
            d1 = R.month_end(m)
            keep = d1 <= a["last_active"].to_numpy()
            frames.append(a.filter(pl.Series(keep)).select(
                "menage", pl.Series("m", m[keep], dtype=pl.Int64), "commune", "place_dep"))
        return pl.concat(frames)


def _perimeter(coverage: list[tuple[str, str]]) -> tuple[pl.DataFrame, dict[str, dict[int, int]]]:
    """(département, month) with a file for m and m − 1; and for each département, each covered month →
    the last month of the run of consecutive covered months containing it."""
    months: dict[str, set[int]] = {}
    for dep, label in coverage:
        y, mm = label.split("-")
        months.setdefault(dep, set()).add((int(y) - 1970) * 12 + int(mm) - 1)
    rows, runs = [], {}
    for dep, ms in months.items():
        run = {}
        end = None
        for m in sorted(ms, reverse=True):
            end = m if (end is None or m + 1 not in ms) else end
            run[m] = end
            if m - 1 in ms:
                rows.append((dep, m))
        runs[dep] = run
    return pl.DataFrame(rows, schema={"place_dep": pl.String, "m": pl.Int64}, orient="row"), runs


def _in_territories(terr, df: pl.DataFrame, ttype: str) -> pl.DataFrame:
    """Rows of `df` (with `commune`, `place_dep`) × the territories of type `ttype` containing the place."""
    bc = terr.by_commune.filter(pl.col("territoire_type") == ttype).drop("territoire_type")
    bd = terr.by_departement.filter(pl.col("territoire_type") == ttype).drop("territoire_type")
    return pl.concat([
        df.filter(pl.col("commune").is_not_null()).join(bc, left_on="commune", right_on="code_commune"),
        df.filter(pl.col("commune").is_null()).join(bd, left_on="place_dep", right_on="code_departement"),
    ], how="diagonal_relaxed")


def _lower_median(col: str) -> pl.Expr:
    return pl.col(col).sort().get((pl.len() - 1) // 2)


def _out(df: pl.DataFrame, code: str, ttype: str, value: str) -> pl.DataFrame:
    return df.select(pl.lit(code).alias("indicateur"), pl.lit(ttype).alias("territoire_type"), "territoire_code",
                     pl.col("periode").cast(pl.String), pl.col(value).cast(pl.Float64).alias("valeur"))


def ledger_truth(terr, ref, siao: pl.DataFrame, attributions: pl.DataFrame, coverage: list[tuple[str, str]],
                 years: tuple[int, int]) -> pl.DataFrame:
    first, last = years
    ev = _Events(ref, siao, attributions)
    perim, runs = _perimeter(coverage)
    months = sorted(set(perim["m"].to_list()))
    ends = ev.active_month_ends()
    # coverage grid: T covered in m when one of the départements it touches is in the perimeter of m
    touched = terr.departements_touched.rename({"code_departement": "place_dep"})
    grid = touched.join(perim, on="place_dep").select(*KEYS, "m").unique()
    year_of = (pl.col("m") // 12 + 1970)
    grid = grid.filter(year_of.is_between(first, last))
    counts: dict[str, list[pl.DataFrame]] = {t: [] for t in _TYPES}
    for year in range(first, last + 1):  # one year at a time: bounded memory at scale 1
        in_year = [m for m in months if 1970 + m // 12 == year]
        if in_year:
            for ttype, c in _month_counts(terr, ev, ends, perim, in_year).items():
                counts[ttype].append(c)
    out = []
    for ttype in _TYPES:
        g = grid.filter(pl.col("territoire_type") == ttype).select("territoire_code", "m")
        c = pl.concat(counts[ttype]) if counts[ttype] else pl.DataFrame(
            schema={"territoire_code": pl.String, "m": pl.Int64, **{k: pl.Int64 for k in STOCKS + FLOWS}})
        monthly = g.join(c, on=["territoire_code", "m"], how="left").with_columns(
            [pl.col(k).fill_null(0) for k in STOCKS + FLOWS]).with_columns(
            (pl.col("ACTIFS") - pl.col("ACTIFS_DEBUT")).alias("SOLDE_ACTIFS"), year_of.cast(pl.String).alias("annee"),
            (pl.col("m") % 12 + 1).alias("mois"))
        if ttype != "epci":
            mo = monthly.with_columns(_label(pl.col("m")).alias("periode"))
            out += [_out(mo, code, ttype, code) for code in STOCKS + FLOWS + ["SOLDE_ACTIFS"]]
        yearly = monthly.group_by("territoire_code", "annee").agg(
            *[pl.col(k).sum() for k in FLOWS + ["SOLDE_ACTIFS"]]).rename({"annee": "periode"})
        out += [_out(yearly, code, ttype, code) for code in FLOWS + ["SOLDE_ACTIFS"]]
        dec = monthly.filter(pl.col("mois") == 12).rename({"annee": "periode"})
        jan = monthly.filter(pl.col("mois") == 1).rename({"annee": "periode"})
        out += [_out(dec, "ACTIFS", ttype, "ACTIFS"), _out(jan, "ACTIFS_DEBUT", ttype, "ACTIFS_DEBUT")]
    out.append(_episodes(terr, ev, ends, perim, runs, grid, first, last))
    return pl.concat(out)


def _month_counts(terr, ev: _Events, ends: pl.DataFrame, perim: pl.DataFrame, months: list[int]) -> dict:
    """Stocks and flows per territory type, territory and month, for the months `months` (non-zero only)."""
    places_as_text = [pl.col("commune").cast(pl.String), pl.col("place_dep").cast(pl.String)]
    fin = ends.filter(pl.col("m").is_in(months)).with_columns(places_as_text)
    debut = ends.with_columns(pl.col("m") + 1).filter(pl.col("m").is_in(months)).with_columns(places_as_text)
    hm = fin.join(debut, on=["menage", "m"], how="full", coalesce=True, suffix="_0").rename(
        {"commune": "commune_1", "place_dep": "place_dep_1"})
    hm = hm.with_columns(pl.col("place_dep_0").is_not_null().alias("act0"),
                         pl.col("place_dep_1").is_not_null().alias("act1"),
                         pl.Series("d0", R.month_end(hm["m"].to_numpy() - 1)),
                         pl.Series("d1", R.month_end(hm["m"].to_numpy())))
    # entries: latest activity and latest housing exit (ending or not) on or before D0
    hm = _latest(hm, "d0", ev.activities, "day", {"day": "la"})
    hm = _latest(hm, "d0", ev.exit_days, "day", {"day": "le"})
    hm = _latest(hm.with_columns((pl.col("d0") + 1).alias("_after")), "_after", ev.ending, "day", {"day": "h_next"},
                 strategy="forward")
    kind = (pl.when(pl.col("la").is_null() | (pl.col("la") <= pl.col("d0") - NEW_WINDOW)).then(pl.lit("N"))
            .when(pl.col("le").is_not_null() & (pl.col("le") >= pl.col("la"))).then(pl.lit("L"))
            .otherwise(pl.lit("I")))
    hm = hm.with_columns(kind.alias("entree"),
                         (pl.col("h_next").is_not_null() & (pl.col("h_next") <= pl.col("d1"))).alias("sortie_log"))
    hm = hm.with_row_index("row").select("row", "menage", "m", "act0", "act1", "entree", "sortie_log",
                                         "commune_0", "place_dep_0", "commune_1", "place_dep_1")
    places = pl.concat([
        hm.select("row", "m", pl.lit(0).alias("moment"), pl.col("commune_0").alias("commune"),
                  pl.col("place_dep_0").alias("place_dep")),
        hm.select("row", "m", pl.lit(1).alias("moment"), pl.col("commune_1").alias("commune"),
                  pl.col("place_dep_1").alias("place_dep")),
    ]).filter(pl.col("place_dep").is_not_null()).join(perim, on=["place_dep", "m"], how="semi")
    flags = hm.select("row", "act0", "act1", "entree", "sortie_log")
    result = {}
    for ttype in _TYPES:
        presence = _in_territories(terr, places, ttype).group_by("row", "territoire_code").agg(
            (pl.col("moment") == 0).any().alias("t0"), (pl.col("moment") == 1).any().alias("t1"), pl.col("m").first())
        p = presence.join(flags, on="row")
        t0, t1, a0, a1 = pl.col("t0"), pl.col("t1"), pl.col("act0"), pl.col("act1")
        result[ttype] = p.group_by("territoire_code", "m").agg(
            t1.sum().alias("ACTIFS"), t0.sum().alias("ACTIFS_DEBUT"),
            (t1 & ~a0 & (pl.col("entree") == "N")).sum().alias("ENTREES_NOUVEAUX"),
            (t1 & ~a0 & (pl.col("entree") == "L")).sum().alias("ENTREES_RETOUR_LOGEMENT"),
            (t1 & ~a0 & (pl.col("entree") == "I")).sum().alias("ENTREES_RETOUR_INACTIVITE"),
            (t1 & a0 & ~t0).sum().alias("TRANSFERTS_ENTRANTS"),
            (t0 & ~a1 & pl.col("sortie_log")).sum().alias("SORTIES_LOGEMENT"),
            (t0 & ~a1 & ~pl.col("sortie_log")).sum().alias("SORTIES_INACTIVITE"),
            (t0 & a1 & ~t1).sum().alias("TRANSFERTS_SORTANTS"),
        ).with_columns(pl.col(STOCKS + FLOWS).cast(pl.Int64))
    return result


def _episodes(terr, ev: _Events, ends, perim, runs, grid, first: int, last: int) -> pl.DataFrame:
    file_years = {(dep, 1970 + m // 12) for dep, run in runs.items() for m in run}
    covered_year = pl.DataFrame(sorted(file_years), schema={"place_dep": pl.String, "annee": pl.Int64}, orient="row")
    out = []
    # DUREE_EPISODE: each ending exit day h ends one episode, started at the latest start on or before h;
    # placed at the household's place on day h (its latest activity on or before h)
    ep = _latest(ev.ending, "day", ev.starts, "day", {"day": "start"})
    ep = ep.join(ev.activities.rename({"day": "last_act"}), on=["menage", "last_act"]).with_columns(
        pl.col("commune").cast(pl.String), pl.col("place_dep").cast(pl.String),
        pl.from_epoch("day", time_unit="d").dt.year().cast(pl.Int64).alias("annee"),
        (pl.col("day") - pl.col("start")).alias("jours"))
    ep = ep.filter(pl.col("annee").is_between(first, last)).join(covered_year, on=["place_dep", "annee"], how="semi")
    # LONGUE_DUREE: in T at 31/12 (December's perimeter), current episode started before 31/12 − 365
    dec = ends.filter(pl.col("m") % 12 == 11).with_columns(
        pl.col("commune").cast(pl.String), pl.col("place_dep").cast(pl.String)).join(perim, on=["place_dep", "m"], how="semi")
    dec = dec.with_columns(pl.Series("d", R.month_end(dec["m"].to_numpy())))
    dec = _latest(dec, "d", ev.starts, "day", {"day": "start"}).with_columns(
        (pl.col("m") // 12 + 1970).alias("annee"), (pl.col("start") < pl.col("d") - LONG_DAYS).alias("long"))
    dec = dec.filter(pl.col("annee").is_between(first, last))
    # RETOUR_*: the household's first housing exit of the year (ties: a SIAO exit before an attribution,
    # then the greatest (Département SIAO, Numéro demande), between attributions the greatest commune)
    ex = ev.exits.with_columns(pl.from_epoch("day", time_unit="d").dt.year().cast(pl.Int64).alias("annee"))
    ex = ex.filter(pl.col("annee").is_between(first, last)).sort(
        ["menage", "annee", "day", "kind", "dep_siao", "numero", "commune"],
        descending=[False, False, False, False, True, True, True], nulls_last=True)
    cohort = ex.group_by(["menage", "annee"], maintain_order=True).first()
    cohort = _latest(cohort.with_columns((pl.col("day") + TRANSFER_DAYS + 1).alias("_after")), "_after",
                     ev.activities, "day", {"day": "back"}, strategy="forward")
    cohort = cohort.with_columns((pl.col("back") - pl.col("day")).alias("delai"))
    h = cohort["day"].to_numpy()
    deps = cohort["place_dep"].to_list()
    mh = _month(h)
    for code, (_, upto) in RETURN_WINDOWS.items():
        mw = _month(h + upto)
        ok = [runs.get(d, {}).get(int(a), -1) >= int(b) for d, a, b in zip(deps, mh, mw)]
        cohort = cohort.with_columns(pl.Series(f"ok_{code}", ok, dtype=pl.Boolean))
    year_grid = grid.filter(pl.col("m") % 12 == 11).select(*KEYS, (pl.col("m") // 12 + 1970).alias("annee"))
    for ttype in _TYPES:
        e = _in_territories(terr, ep, ttype).group_by("territoire_code", "annee").agg(
            _lower_median("jours").alias("v")).rename({"annee": "periode"})
        out.append(_out(e, "DUREE_EPISODE", ttype, "v"))
        g = year_grid.filter(pl.col("territoire_type") == ttype).select("territoire_code", "annee")
        d = _in_territories(terr, dec, ttype).group_by("territoire_code", "annee").agg(pl.col("long").sum().alias("n"))
        d = g.join(d, on=["territoire_code", "annee"], how="left").with_columns(pl.col("n").fill_null(0))
        out.append(_out(d.rename({"annee": "periode"}), "LONGUE_DUREE", ttype, "n"))
        c = _in_territories(terr, cohort, ttype)
        for code, (lo, hi) in RETURN_WINDOWS.items():
            r = c.filter(pl.col(f"ok_{code}")).group_by("territoire_code", "annee").agg(
                pl.len().alias("den"),
                (pl.col("delai").is_not_null() & (pl.col("delai") > lo) & (pl.col("delai") <= hi)).sum().alias("num"),
            ).with_columns((pl.col("num") / pl.col("den") * 100).alias("v")).rename({"annee": "periode"})
            out.append(_out(r, code, ttype, "v"))
    return pl.concat(out)
