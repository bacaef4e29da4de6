"""Clean synthetic records, generated département by département with vectorised numpy.

One call per département returns the SIAO requests (final state and extraction history) and
the SNE attributions and demand stocks placed in that département. Random streams are seeded
by (seed, département, purpose), so a département's records do not depend on the others having been
generated (the households moving in from the previous département are drawn again from its stream).
Dates are integers: days since 1970-01-01.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.simulate.calibration import (
    NATIONAL_SIAO_REQUESTS,
    Reference,
    national_attributions,
    national_sne_stock,
)

EPOCH = np.datetime64("1970-01-01", "D")

# --- value lists (sources.md) -------------------------------------------------------------
COMPOSITIONS = ["Personne seule", "Couple sans enfant", "Couple avec enfant(s)", "Famille monoparentale", "Groupe d'adultes"]
COMPOSITION_P = [0.55, 0.07, 0.12, 0.20, 0.06]
SIAO_SITUATIONS = [
    "Rue / abri de fortune", "Squat / bidonville", "Hébergé chez un tiers", "Hébergement d'urgence", "Hôtel",
    "Hébergement d'insertion (CHRS)", "Logement ordinaire", "Sortie d'institution", "",
]
SIAO_SITUATION_P = [0.24, 0.05, 0.20, 0.15, 0.10, 0.06, 0.08, 0.04, 0.08]
MOTIFS = ["Absence de place", "Place inadaptée", "Refus du ménage", "Autre"]
MOTIF_P = [0.70, 0.10, 0.12, 0.08]
ORIENT_URG = ["CHU", "Hôtel", "CHRS", "Autre"]
ORIENT_URG_P = [0.55, 0.35, 0.05, 0.05]
ORIENT_INS = ["CHRS", "Pension de famille", "Résidence sociale", "Intermédiation locative", "Logement ordinaire", "Autre"]
ORIENT_INS_P = [0.35, 0.12, 0.15, 0.15, 0.08, 0.15]
DESTINATIONS = [
    "Logement social", "Logement privé", "Pension de famille", "Résidence sociale / FJT", "Intermédiation locative",
    "Autre hébergement", "Hébergé chez un tiers", "Rue", "Institution", "Inconnue", "",
]
HOUSING_DESTINATIONS = [DESTINATIONS.index(x) for x in (  # SORTIES_LOG's destinations
    "Logement social", "Logement privé", "Pension de famille", "Résidence sociale / FJT", "Intermédiation locative")]
DEST_URG_P = [0.05, 0.03, 0.02, 0.03, 0.03, 0.33, 0.10, 0.15, 0.04, 0.17, 0.05]
DEST_INS_P = [0.30, 0.08, 0.05, 0.10, 0.07, 0.11, 0.06, 0.03, 0.02, 0.15, 0.03]
URG_STATUS = ["Pourvue", "Non pourvue", "Annulée", "En attente"]
URG_STATUS_P = [0.50, 0.42, 0.05, 0.03]
INS_STATUS_P = [0.55, 0.12, 0.08, 0.25]

RESERVATAIRES = ["Etat", "Action Logement", "Collectivité", "Bailleur", "Autre"]
RESERVATAIRE_P = np.array([0.25, 0.30, 0.15, 0.28, 0.02])
RESERVATAIRE_SD_MULT = np.array([2.0, 0.5, 1.0, 0.9, 1.0])
SNE_SD_SITUATIONS = ["Structure d'hébergement", "Hôtel", "Sans abri ou habitat de fortune", "Squat"]
SNE_SD_P = [0.60, 0.12, 0.18, 0.10]
SNE_OTHER_SITUATIONS = [
    "Locataire parc social", "Locataire parc privé", "Chez parents ou enfants", "Chez un particulier", "Propriétaire",
    "Logement de fonction", "Camping / caravane", "Résidence sociale, foyer, pension de famille", "Autre",
]
SNE_OTHER_P = np.array([0.25, 0.25, 0.18, 0.10, 0.02, 0.01, 0.01, 0.06, 0.07])
SNE_OTHER_P = SNE_OTHER_P / SNE_OTHER_P.sum()

# Share of SNE attributions to sans-domicile situations that go to asylum-seeking households
# (excluded from ATTR_SD by definition), relative to ATTR_SD.
ASYLUM_SD_RATIO = 0.10
# Logement d'abord effect injected: relative rise per year after the territory's reference year
# of the probability that an attribution placed in its perimeter goes to a homeless household.
LDA_EFFECT_PER_YEAR = 0.05
# Share of sans-domicile attributions whose household is known to the SIAO (linked by NUR).
LINK_SHARE_SD = 0.6
LINK_SHARE_OTHER = 0.03
RETURN_SHARE = 0.08  # linked households who come back to the 115 within a year
# Section G pathways: households back after a SIAO exit to housing, with the delay of their new request
# ((first day, last day, probability): a transfer under 14 days, weeks, months, one to two years), and
# households of a département who move to the next one (a later request there).
RETURN_AFTER_HOUSING_SHARE = 0.25
RETURN_DELAYS = [(1, 13, 0.20), (15, 90, 0.25), (91, 365, 0.30), (366, 730, 0.25)]
MOVE_SHARE = 0.04


def day(year: int, month: int = 1, dom: int = 1) -> int:
    return int((np.datetime64(f"{year:04d}-{month:02d}-{dom:02d}", "D") - EPOCH).astype(int))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Identifiers `prefix + zero-padded number`, built in one vectorised step."""
    series = prefix + pl.Series(numbers.astype(np.int64)).cast(pl.String).str.zfill(width)
    return series.to_numpy().astype(object)


def rng_for(seed: int, dep: str, purpose: int) -> np.random.Generator:
    key = int.from_bytes(dep.encode().ljust(4, b"_"), "big")
    return np.random.default_rng([seed, key, purpose])


def month_index(days: np.ndarray) -> np.ndarray:
    """Days since epoch → months since 1970-01 (int)."""
    d = days.astype("datetime64[D]")
    return d.astype("datetime64[M]").astype(int)


def month_end(month_idx: np.ndarray) -> np.ndarray:
    m = np.asarray(month_idx).astype("datetime64[M]")
    return ((m + 1).astype("datetime64[D]") - 1 - EPOCH).astype(int)


def year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970


@dataclass
class DepartementRecords:
    siao_final: pl.DataFrame  # one row per request (its latest extraction)
    siao_rows: pl.DataFrame  # one row per (request, extraction month): what the files hold
    attributions: pl.DataFrame
    demandes: pl.DataFrame
    siao_months: list[int]  # months (since 1970-01) with an extraction file for this département


class Generator:
    """Generates the clean records of the whole country, one département at a time."""

    def __init__(self, reference: Reference, *, scale: float, seed: int, years: tuple[int, int]):
        self.ref = reference
        self.scale = scale
        self.seed = seed
        self.first_year, self.last_year = years
        self.start = day(self.first_year)
        self.end = day(self.last_year, 12, 31)
        pops = reference.dep_population
        total = sum(pops.values())
        self.weight = {d: pops[d] / total for d in reference.departements}
        self.dep_index = {d: i for i, d in enumerate(reference.departements)}
        lda_ref = reference.lda_reference_year
        communes = reference.communes
        self.communes_by_dep: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        for dep, sub in communes.group_by("code_departement"):
            codes = sub["code_commune"].to_numpy()
            pop = sub["population"].to_numpy().astype(float) + 1.0
            ref_year = np.array([lda_ref.get(c, 9999) for c in codes])
            self.communes_by_dep[dep[0]] = (codes, pop / pop.sum(), ref_year)
        # Mobile households: a national pool that several SIAO see (distinct counts above
        # the département must count them once).
        self.n_mobile = max(5, int(2_000 * scale))
        rng = np.random.default_rng([seed, 7])
        self.mobile_start = rng.integers(self.start - 200, self.end, self.n_mobile)

    # SIAO coverage: Mayotte's SIAO exports start in 2019 (the others cover every month).
    def siao_first_year(self, dep: str) -> int:
        return max(self.first_year, 2019) if dep == "976" else self.first_year

    # ------------------------------------------------------------------------------------
    def departement(self, dep: str) -> DepartementRecords:
        requests, households = self._siao_requests(dep)
        attributions, requests = self._attributions(dep, requests, households)
        requests = self._returns_after_housing(dep, requests, households)
        requests = self._movers_in(dep, requests)
        demandes = self._demandes(dep)
        rows, final, months = self._history(dep, requests)
        return DepartementRecords(final, rows, attributions, demandes, months)

    # ------------------------------------------------------------------------------------
    def _siao_requests(self, dep: str) -> tuple[dict, dict]:
        rng = rng_for(self.seed, dep, 1)
        first = day(self.siao_first_year(dep))
        households, n_req = self._households(dep, rng)
        hh_id, hh_start, n_hh = households["id"], households["start"], len(households["id"])
        # requests: a household among the local pool (98 %) or the national mobile pool (2 %)
        pick = rng.integers(0, n_hh, n_req)
        mobile = rng.random(n_req) < 0.02
        mob_pick = rng.integers(0, self.n_mobile, n_req)
        hh = np.where(mobile, mob_pick, hh_id[pick])
        start = np.where(mobile, self.mobile_start[mob_pick], hh_start[pick])
        d0 = start + rng.exponential(150, n_req).astype(np.int64)
        keep = (d0 >= first) & (d0 <= self.end)
        req = {
            "hh": hh[keep], "d0": d0[keep], "mobile": mobile[keep], "pick": pick[keep],
        }
        return self._request_fields(dep, rng, req, households), households

    def _households(self, dep: str, rng: np.random.Generator) -> tuple[dict, int]:
        """The département's households (the first draws of its stream `rng_for(seed, dep, 1)`, so that
        the next département can draw them again for the households that move there) and its number of
        requests."""
        first = day(self.siao_first_year(dep))
        n_years = self.last_year - self.siao_first_year(dep) + 1
        n_req = rng.poisson(NATIONAL_SIAO_REQUESTS * self.scale * self.weight[dep] * n_years)
        n_hh = max(3, n_req // 4)
        hh_start = rng.integers(first - 200, self.end, n_hh)
        # household attributes
        comp = rng.choice(len(COMPOSITIONS), n_hh, p=COMPOSITION_P)
        n_pers = np.ones(n_hh, dtype=np.int64)
        n_enf = np.zeros(n_hh, dtype=np.int64)
        n_pers[comp == 1] = 2
        k = comp == 2
        n_pers[k] = rng.integers(3, 7, k.sum())
        n_enf[k] = n_pers[k] - 2
        k = comp == 3
        n_pers[k] = rng.integers(2, 6, k.sum())
        n_enf[k] = n_pers[k] - 1
        k = comp == 4
        n_pers[k] = rng.integers(2, 5, k.sum())
        sexe = rng.choice(np.array(["F", "M", ""]), n_hh, p=[0.40, 0.57, 0.03])
        age0 = np.clip(rng.normal(38, 13, n_hh), 16, 85).astype(int)
        birth = year_of(hh_start) - age0
        has_birth = rng.random(n_hh) > 0.05
        dep_i = self.dep_index[dep]
        hh_id = (dep_i + 1) * 10_000_000 + np.arange(n_hh)
        households = {
            "id": hh_id, "start": hh_start, "comp": comp, "n_pers": n_pers, "n_enf": n_enf, "sexe": sexe,
            "birth": np.where(has_birth, birth, 0), "nur": np.full(n_hh, "", dtype=object),
        }
        return households, n_req

    def _request_fields(
        self, dep: str, rng: np.random.Generator, req: dict, households: dict, urgence: bool = False
    ) -> dict:
        n = len(req["d0"])
        pick, mobile = req["pick"], req["mobile"]
        # household attributes for local households; mobile households get drawn ones
        comp = np.where(mobile, rng.choice(len(COMPOSITIONS), n, p=COMPOSITION_P), households["comp"][pick])
        n_pers = np.where(mobile, np.where(comp == 0, 1, 2), households["n_pers"][pick])
        n_enf = np.where(mobile, np.where(comp == 3, 1, 0), households["n_enf"][pick])
        n_pers = np.where(mobile & (comp >= 2), 3, n_pers)
        n_enf = np.where(mobile & (comp == 1), 0, n_enf)
        n_enf = np.where(mobile & (comp == 4), 0, n_enf)
        req["comp"] = comp
        req["n_pers"] = n_pers
        req["n_enf"] = n_enf
        req["sexe"] = np.where(mobile, "M", households["sexe"][pick])
        req["birth"] = np.where(mobile, 0, households["birth"][pick])
        req["type_urg"] = (rng.random(n) < 0.75) | urgence
        req["situation"] = rng.choice(len(SIAO_SITUATIONS), n, p=SIAO_SITUATION_P)
        # place: a commune of the département weighted by population (75 %), a commune of
        # another département (2 %), or no commune (23 %, the département code is used).
        codes, weights, _ = self.communes_by_dep[dep]
        commune = codes[rng.choice(len(codes), n, p=weights)].astype(object)
        u = rng.random(n)
        commune[u < 0.23] = ""
        elsewhere = (u >= 0.23) & (u < 0.25) & (dep not in ("971", "972", "973", "974", "976"))
        if elsewhere.any():
            other = self._neighbour(dep)
            ocodes, oweights, _ = self.communes_by_dep[other]
            commune[elsewhere] = ocodes[rng.choice(len(ocodes), elsewhere.sum(), p=oweights)]
        req["commune"] = commune
        self._outcomes(rng, req)
        return req

    def _neighbour(self, dep: str) -> str:
        deps = [d for d in self.ref.departements if len(d) == 2]
        i = deps.index(dep)
        return deps[(i + 1) % len(deps)]

    def _outcomes(self, rng: np.random.Generator, req: dict) -> None:
        n = len(req["d0"])
        urg = req["type_urg"]
        status = np.where(
            urg, rng.choice(4, n, p=URG_STATUS_P), rng.choice(4, n, p=INS_STATUS_P)
        )  # 0 Pourvue, 1 Non pourvue, 2 Annulée, 3 En attente
        dec_delay = np.where(
            urg,
            rng.choice([0, 1, 2, 5], n, p=[0.7, 0.2, 0.05, 0.05]),
            np.minimum(rng.lognormal(np.log(60), 0.8, n), 900).astype(np.int64),
        )
        d_dec = np.where(status == 3, -1, req["d0"] + dec_delay)
        admitted = (status == 0) & (rng.random(n) < np.where(urg, 0.92, 0.85))
        d_adm = np.where(admitted, d_dec + np.where(urg, rng.choice([0, 1, 3], n, p=[0.8, 0.15, 0.05]), rng.integers(0, 31, n)), -1)
        exited = admitted & (rng.random(n) < np.where(urg, 0.8, 0.6))
        stay = np.where(urg, rng.geometric(1 / 20, n), np.minimum(rng.lognormal(np.log(300), 0.7, n), 2500).astype(np.int64))
        d_exit = np.where(exited, d_adm + stay, -1)
        # events after the end of the simulation have not happened yet
        d_dec = np.where(d_dec > self.end, -1, d_dec)
        status = np.where(d_dec < 0, 3, status)
        d_adm = np.where((d_adm > self.end) | (d_dec < 0), -1, d_adm)
        d_exit = np.where((d_exit > self.end) | (d_adm < 0), -1, d_exit)
        req["status"] = status
        req["motif"] = np.where(status == 1, rng.choice(len(MOTIFS), n, p=MOTIF_P), -1)
        orient = np.where(urg, rng.choice(len(ORIENT_URG), n, p=ORIENT_URG_P), rng.choice(len(ORIENT_INS), n, p=ORIENT_INS_P))
        req["orient"] = np.where(status == 0, orient, -1)
        req["d_dec"], req["d_adm"], req["d_exit"] = d_dec, d_adm, d_exit
        dest = np.where(urg, rng.choice(len(DESTINATIONS), n, p=DEST_URG_P), rng.choice(len(DESTINATIONS), n, p=DEST_INS_P))
        req["dest"] = np.where(d_exit >= 0, dest, -1)
        # a later extraction corrects the request date of some requests (1 to 5 days earlier)
        req["d0_orig"] = req["d0"].copy()
        nxt = np.where(d_dec >= 0, d_dec, self.end)
        corr = (rng.random(n) < 0.005) & (nxt - req["d0"] >= 5) & (req["d0"] - 5 >= day(self.first_year))
        shift = rng.integers(1, 6, n)
        req["d0"] = np.where(corr, req["d0"] - shift, req["d0"])
        req["corrected"] = corr

    # ------------------------------------------------------------------------------------
    def _attributions(self, dep: str, req: dict, households: dict) -> tuple[pl.DataFrame, dict]:
        rng = rng_for(self.seed, dep, 2)
        codes, weights, ref_year = self.communes_by_dep[dep]
        frames = []
        hh_start = households["start"]
        hh_ids = households["id"]
        used = np.zeros(len(hh_ids), dtype=bool)
        hh_attr_date = np.full(len(hh_ids), -1, dtype=np.int64)
        extra = {k: [] for k in ("hh", "d0")}
        nur_seq = 0
        for year in range(self.first_year, self.last_year + 1):
            n = rng.poisson(national_attributions(year) * self.scale * self.weight[dep])
            target = self.ref.attributions_sd_target[(dep, year)] * self.scale
            ci = rng.choice(len(codes), n, p=weights)
            res = rng.choice(len(RESERVATAIRES), n, p=RESERVATAIRE_P)
            res_mult = RESERVATAIRE_SD_MULT[res] / (RESERVATAIRE_SD_MULT * RESERVATAIRE_P).sum()
            lda_mult = 1 + LDA_EFFECT_PER_YEAR * np.clip(year - ref_year[ci], 0, None)
            p_base = np.clip(target / max(n, 1) * res_mult, 0, 0.9)
            u = rng.random(n)
            sd = u < np.clip(p_base * lda_mult, 0, 0.95)
            sd_counterfactual = u < p_base
            asylum_sd = (~sd) & (rng.random(n) < ASYLUM_SD_RATIO * target / max(n, 1))
            start, stop = day(year), day(year, 12, 31)
            d_attr = rng.integers(start, stop + 1, n)
            delay = np.where(sd, rng.lognormal(np.log(330), 0.8, n), rng.lognormal(np.log(500), 0.9, n)).astype(np.int64)
            d_depot = d_attr - np.minimum(delay, 5000)
            d_depot = np.where(rng.random(n) < 0.01, -1, d_depot)
            situation = np.where(
                sd | asylum_sd,
                np.array(SNE_SD_SITUATIONS, dtype=object)[rng.choice(4, n, p=SNE_SD_P)],
                np.array(SNE_OTHER_SITUATIONS, dtype=object)[rng.choice(len(SNE_OTHER_SITUATIONS), n, p=SNE_OTHER_P)],
            )
            asylum = asylum_sd | ((~sd) & (~asylum_sd) & (rng.random(n) < 0.005))
            comp = rng.choice(len(COMPOSITIONS), n, p=COMPOSITION_P)
            n_pers = np.where(comp == 0, 1, np.where(comp == 1, 2, rng.integers(2, 6, n)))
            dalo = rng.random(n) < np.where(sd, 0.2, 0.05)
            nur = _ids(f"{self.dep_index[dep] + 1:03d}{year % 100:02d}A", np.arange(nur_seq, nur_seq + n), 8)
            nur_seq += n
            # link some attributions to a SIAO household of this département known before
            link = rng.random(n) < np.where(sd, LINK_SHARE_SD, LINK_SHARE_OTHER)
            linked_hh = np.full(n, -1, dtype=np.int64)
            for i in np.flatnonzero(link):
                cand = rng.integers(0, len(hh_ids), 16)
                ok = cand[(~used[cand]) & (hh_start[cand] < d_attr[i] - 30) & (hh_start[cand] > d_attr[i] - 1500)]
                if len(ok):
                    used[ok[0]] = True
                    hh_attr_date[ok[0]] = d_attr[i]
                    linked_hh[i] = ok[0]
                    households["nur"][ok[0]] = nur[i]
                    # the household sometimes comes back to the 115 within the year
                    if rng.random() < RETURN_SHARE:
                        extra["hh"].append(hh_ids[ok[0]])
                        extra["d0"].append(int(d_attr[i] + rng.integers(1, 366)))
            frames.append(
                pl.DataFrame(
                    {
                        "numero_unique": nur,
                        "date_depot": d_depot,
                        "date_attribution": d_attr,
                        "commune": codes[ci],
                        "reservataire": np.array(RESERVATAIRES, dtype=object)[res],
                        "situation_logement": situation,
                        "composition": np.array(COMPOSITIONS, dtype=object)[comp],
                        "nb_personnes": n_pers,
                        "prioritaire_dalo": np.where(dalo, "Oui", "Non"),
                        "demandeur_asile": np.where(asylum, "Oui", "Non"),
                        "sans_domicile": sd,
                        "sans_domicile_sans_effet": sd_counterfactual,
                        "departement": dep,
                        "linked": linked_hh >= 0,
                    },
                    strict=False,
                )
            )
        attributions = pl.concat(frames, how="vertical_relaxed")
        # once housed, a household stops asking the 115 (except the returns added below)
        local = ~req["mobile"]
        housed_on = np.where(local, hh_attr_date[req["pick"]], -1)
        keep = (housed_on < 0) | (req["d0"] <= housed_on)
        req = {k: v[keep] for k, v in req.items()}
        local = ~req["mobile"]
        # requests carry the household's NUR (set above for linked households)
        nur_req = np.full(len(req["d0"]), "", dtype=object)
        nur_req[local] = households["nur"][req["pick"][local]]
        # a few unlinked households have a NUR of a demand that is not in the attributions
        other_nur = (nur_req == "") & local & (rng.random(len(nur_req)) < 0.05)
        nur_req[other_nur] = _ids(f"{self.dep_index[dep] + 1:03d}00B", req["hh"][other_nur] % 100_000_000, 8)
        req["nur"] = nur_req
        if extra["hh"]:
            req = self._add_returns(dep, req, households, np.array(extra["hh"]), np.array(extra["d0"]))
        return attributions, req

    def _returns_after_housing(self, dep: str, req: dict, households: dict) -> dict:
        """Households back at the SIAO after a SIAO exit to housing (section G's returns): a share of
        them make a new request after a few days (under 14: a transfer, not a return), weeks, months or
        one to two years. Their own stream, so the other records do not change."""
        rng = rng_for(self.seed, dep, 5)
        # households housed by a linked SNE attribution come back as before (RETURN_SHARE, section C)
        linked = ~req["mobile"] & (households["nur"][req["pick"]] != "")
        housed = np.flatnonzero((req["d_exit"] >= 0) & np.isin(req["dest"], HOUSING_DESTINATIONS) & ~linked)
        back = housed[rng.random(len(housed)) < RETURN_AFTER_HOUSING_SHARE]
        n = len(back)
        band = rng.choice(len(RETURN_DELAYS), n, p=[p for _, _, p in RETURN_DELAYS])
        low = np.array([lo for lo, _, _ in RETURN_DELAYS])[band]
        high = np.array([hi for _, hi, _ in RETURN_DELAYS])[band]
        d0 = req["d_exit"][back] + rng.integers(low, high + 1)
        keep = d0 <= self.end
        back, d0 = back[keep], d0[keep]
        if len(back) == 0:
            return req
        new = {"hh": req["hh"][back], "d0": d0, "mobile": req["mobile"][back], "pick": req["pick"][back]}
        new = self._request_fields(dep, rng, new, households)
        new["nur"] = req["nur"][back]
        return {key: np.concatenate([req[key], new[key]]) for key in req}

    def _movers_in(self, dep: str, req: dict) -> dict:
        """Households of the previous département (in the order of `_neighbour`) who move here: a later
        request in this département (section G's transfers). The previous département's households are
        drawn again from its own stream, so each département is still generated alone."""
        deps = [d for d in self.ref.departements if len(d) == 2]
        if dep not in deps:
            return req
        origin = deps[deps.index(dep) - 1]
        households, _ = self._households(origin, rng_for(self.seed, origin, 1))
        rng = rng_for(self.seed, dep, 6)
        n_hh = len(households["id"])
        movers = np.flatnonzero(rng.random(n_hh) < MOVE_SHARE)
        # the move comes after the household's first months in its département; one or two requests here
        moved_on = households["start"][movers] + 30 + rng.exponential(150, len(movers)).astype(np.int64)
        second = rng.random(len(movers)) < 0.4
        pick = np.concatenate([movers, movers[second]])
        d0 = np.concatenate([moved_on, moved_on[second] + 1 + rng.exponential(60, second.sum()).astype(np.int64)])
        keep = (d0 >= day(self.siao_first_year(dep))) & (d0 <= self.end)
        pick, d0 = pick[keep], d0[keep]
        if len(pick) == 0:
            return req
        new = {"hh": households["id"][pick], "d0": d0, "mobile": np.zeros(len(pick), dtype=bool), "pick": pick}
        new = self._request_fields(dep, rng, new, households)
        new["nur"] = np.full(len(pick), "", dtype=object)
        return {key: np.concatenate([req[key], new[key]]) for key in req}

    def _add_returns(self, dep, req, households, hh, d0):
        keep = d0 <= self.end
        hh, d0 = hh[keep], d0[keep]
        if len(hh) == 0:
            return req
        rng = rng_for(self.seed, dep, 3)
        pick = (hh % 10_000_000).astype(np.int64)
        new = {"hh": hh, "d0": d0, "mobile": np.zeros(len(hh), dtype=bool), "pick": pick}
        new = self._request_fields(dep, rng, new, households, urgence=True)
        new["nur"] = households["nur"][pick]
        for key in req:
            req[key] = np.concatenate([req[key], new[key]])
        return req

    def _demandes(self, dep: str) -> pl.DataFrame:
        rng = rng_for(self.seed, dep, 4)
        codes, weights, _ = self.communes_by_dep[dep]
        frames = []
        for year in range(self.first_year, self.last_year + 1):
            n = rng.poisson(national_sne_stock(year) * self.scale * self.weight[dep])
            n_attr = max(1.0, national_attributions(year) * self.scale * self.weight[dep])
            share_sd = min(0.5, 0.6 * self.ref.attributions_sd_target[(dep, year)] * self.scale / n_attr)
            sd = rng.random(n) < share_sd
            situation = np.where(
                sd,
                np.array(SNE_SD_SITUATIONS, dtype=object)[rng.choice(4, n, p=SNE_SD_P)],
                np.array(SNE_OTHER_SITUATIONS, dtype=object)[rng.choice(len(SNE_OTHER_SITUATIONS), n, p=SNE_OTHER_P)],
            )
            asylum = rng.random(n) < 0.03
            comp = rng.choice(len(COMPOSITIONS), n, p=COMPOSITION_P)
            d_depot = day(year, 12, 31) - np.minimum(rng.exponential(600, n), 4000).astype(np.int64)
            frames.append(
                pl.DataFrame(
                    {
                        "numero_unique": _ids(f"{self.dep_index[dep] + 1:03d}{year % 100:02d}D", np.arange(n), 8),
                        "date_depot": d_depot,
                        "commune": codes[rng.choice(len(codes), n, p=weights)],
                        "situation_logement": situation,
                        "composition": np.array(COMPOSITIONS, dtype=object)[comp],
                        "nb_personnes": np.where(comp == 0, 1, np.where(comp == 1, 2, rng.integers(2, 6, n))),
                        "prioritaire_dalo": np.where(rng.random(n) < 0.04, "Oui", "Non"),
                        "demandeur_asile": np.where(asylum, "Oui", "Non"),
                        "sans_domicile": sd & ~asylum,
                        "annee": year,
                        "departement": dep,
                    },
                    strict=False,
                )
            )
        return pl.concat(frames, how="vertical_relaxed")

    # ------------------------------------------------------------------------------------
    def _history(self, dep: str, req: dict) -> tuple[pl.DataFrame, pl.DataFrame, list[int]]:
        """Explode each request into the monthly extractions where it appears."""
        n = len(req["d0"])
        first_month = int(month_index(np.array([day(self.siao_first_year(dep))]))[0])
        last_month = int(month_index(np.array([self.end]))[0])
        d0m = month_index(req["d0_orig"])
        ev = [d0m]
        for key in ("d_dec", "d_adm", "d_exit"):
            ev.append(np.where(req[key] >= 0, month_index(np.maximum(req[key], 0)), -1))
        corr_m = np.where(req["corrected"], np.minimum(d0m + 1, last_month), -1)
        ev.append(corr_m)
        ev_mat = np.stack(ev, axis=1)
        idx = pl.Series(np.arange(n, dtype=np.int64))
        final = pl.DataFrame(
            {
                "departement": dep,
                "numero_demande": (f"{dep}-" + idx.cast(pl.String).str.zfill(7)),
                "menage": ("MEN" + pl.Series(req["hh"].astype(np.int64)).cast(pl.String).str.zfill(10)),
                "date_demande": req["d0"],
                "type_urgence": req["type_urg"],
                "commune": pl.Series(req["commune"].astype(str)),
                "composition": req["comp"],
                "n_pers": req["n_pers"],
                "n_enf": req["n_enf"],
                "sexe": pl.Series(req["sexe"].astype(str)),
                "birth": req["birth"],
                "situation": req["situation"],
                "status": req["status"],
                "motif": req["motif"],
                "orient": req["orient"],
                "d_dec": req["d_dec"],
                "d_adm": req["d_adm"],
                "d_exit": req["d_exit"],
                "dest": req["dest"],
                "nur": pl.Series(req["nur"].astype(str)),
                "d0_orig": req["d0_orig"],
                "corr_month": corr_m,
                "last_month": ev_mat.max(axis=1),
            },
            strict=False,
        )
        # fixed types, also for a département-year without any request (empty arrays)
        final = final.cast({
            "type_urgence": pl.Boolean, "commune": pl.String, "sexe": pl.String, "nur": pl.String,
            "departement": pl.String, "numero_demande": pl.String, "menage": pl.String,
            **{c: pl.Int64 for c in ("date_demande", "composition", "n_pers", "n_enf", "birth", "situation", "status",
                                     "motif", "orient", "d_dec", "d_adm", "d_exit", "dest", "d0_orig", "corr_month",
                                     "last_month")},
        })
        rid = np.repeat(np.arange(n, dtype=np.int64), ev_mat.shape[1])
        mon = ev_mat.ravel()
        ok = (mon >= 0) & (mon <= last_month)
        pairs = np.unique(np.stack([rid[ok], mon[ok]], axis=1), axis=0) if ok.any() else np.zeros((0, 2), np.int64)
        rows = final[pairs[:, 0]].with_columns(pl.Series("month", pairs[:, 1]))
        months = list(range(first_month, last_month + 1))
        return rows, final, months
