"""Measurement (e): the query time of each page of the app, on a publication file.

Calls the query functions of `observatory_app/data.py` (the only place the app queries the
publication file) with the arguments each page uses: each function itself (uncached: it opens the
file read-only, runs its SQL, returns polars), and through `st.cache_data` with the cache cleared
before every call (a first visit). `PAGES` below is the one list
to extend when a page or a query is added; functions of `data.py` that no page here uses are
listed at the end so a new one is not forgotten.

    python benchmarks/pages.py PUBLICATION_FILE [--repeat 5] [--json OUT]
"""

from __future__ import annotations

import argparse
import inspect
import json
import logging
import statistics
import sys
import time
from pathlib import Path

logging.getLogger("streamlit").setLevel(logging.ERROR)

import streamlit as st  # noqa: E402

from observatory_app import data  # noqa: E402


def pages(chemin: str) -> dict[str, list[tuple[str, tuple]]]:
    """Page → the (function, arguments) it calls on a first visit with its default choices."""
    v = data.version(chemin)
    annee = data.derniere_annee_complete(chemin, "FR", v) or 2024
    an, prec = str(annee), str(annee - 1)
    try:  # arguments that depend on the file (functions added by the app later than some files)
        pairs = tuple(data.pairs(chemin, "departement", "75", v)["territoire_code"].to_list())
        annee_parcours = (data.annees_parcours(chemin, "departement", "75", v) or [an])[0]
    except Exception:  # noqa: BLE001
        pairs, annee_parcours = (), an
    return {
        "Vue nationale": [
            ("derniere_annee_complete", (chemin, "FR", v)),
            ("valeurs_annee", (chemin, "france", "FR", (prec, an), v)),
            ("catalogue", (chemin, v)),
            ("serie", (chemin, "TX_ATTR_SD", (("groupe", "LDA"), ("groupe", "HORS_LDA")), v)),
            ("evaluation", (chemin, "groupe", "LDA", v)),
            ("evaluation_methode", (chemin, v)),
            ("annees", (chemin, v)),
            ("valeurs_departements", (chemin, "TX_ATTR_SD", an, v)),
            ("series_publiees", (chemin, "BAROMETRE_LDA_PERSONNES", "france", "FR", v)),
            ("serie", (chemin, "ATTR_SD_PERS", (("france", "FR"),), v)),
        ],
        "Fiche territoire": [
            ("territoires", (chemin, v)),
            ("derniere_annee_complete", (chemin, "FR", v)),
            ("valeurs_annee", (chemin, "departement", "75", (prec, an), v)),
            ("catalogue", (chemin, v)),
            ("serie", (chemin, "TX_ATTR_SD", (("departement", "75"), ("france", "FR")), v)),
            ("pairs", (chemin, "departement", "75", v)),
            ("serie_pairs", (chemin, "TX_ATTR_SD", "departement", pairs, v)),
            ("donnees_territoire", (chemin, "departement", "75", v)),
            ("annees_parcours", (chemin, "departement", "75", v)),
            ("parcours", (chemin, "departement", "75", annee_parcours, v)),
        ],
        "Classement": [
            ("catalogue", (chemin, v)),
            ("derniere_annee_complete", (chemin, "FR", v)),
            ("classement", (chemin, "TX_ATTR_SD", an, v)),
            ("trajectoires", (chemin, "TX_ATTR_SD", an, v)),
        ],
        "Nuits de la Solidarité": [("ndls", (chemin, v))],
        "Qualité": [
            ("a_propos", (chemin, v)),
            ("fraicheur", (chemin, v)),
            ("qualite_par_source", (chemin, v)),
            ("qualite_par_regle", (chemin, v)),
            ("controles", (chemin, v)),
        ],
        "Méthodologie": [("catalogue", (chemin, v))],
    }


def _call(name: str, args: tuple, through_cache: bool = False) -> float:
    """Seconds of one call: the query function itself (`__wrapped__`: open the file read-only, run the
    SQL, return polars), or through `st.cache_data` with the cache cleared (a first visit: the same,
    plus hashing the arguments and storing the result)."""
    function = getattr(data, name)
    if through_cache:
        st.cache_data.clear()
    else:
        function = getattr(function, "__wrapped__", function)
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("publication", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    chemin = str(args.publication)
    plan = pages(chemin)
    used = {name for calls in plan.values() for name, _ in calls}
    failing: dict[str, str] = {}
    for calls in plan.values():
        for name, call_args in calls:
            try:
                _call(name, call_args)
            except Exception as exc:  # noqa: BLE001 (a table this file does not have yet)
                failing[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    for name, error in failing.items():
        print(f"non mesurée, en échec sur ce fichier : {name} ({error})")
    plan = {page: [(n, a) for n, a in calls if n not in failing] for page, calls in plan.items()}
    results: dict[str, dict] = {}
    for page, calls in plan.items():
        totals, cached_totals = [], []
        per_query: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            total = 0.0
            for i, (name, call_args) in enumerate(calls):
                seconds = _call(name, call_args)
                per_query.setdefault(f"{i}:{name}", []).append(seconds)
                total += seconds
            totals.append(total)
            cached_totals.append(sum(_call(name, call_args, through_cache=True) for name, call_args in calls))
        slowest = max(per_query.items(), key=lambda kv: statistics.median(kv[1]))
        results[page] = {
            "queries": [name for name, _ in calls],
            "median_ms": round(statistics.median(totals) * 1000, 1),
            "max_ms": round(max(totals) * 1000, 1),
            "via_cache_median_ms": round(statistics.median(cached_totals) * 1000, 1),
            "slowest_query": slowest[0].split(":", 1)[1],
            "slowest_query_median_ms": round(statistics.median(slowest[1]) * 1000, 1),
        }
        print(f"{page}: {results[page]['median_ms']} ms (médiane de {args.repeat}, max {results[page]['max_ms']} ms ; "
              f"requête la plus lente {results[page]['slowest_query']} {results[page]['slowest_query_median_ms']} ms)",
              flush=True)
    cached = {n for n, f in vars(data).items() if hasattr(f, "clear") and not n.startswith("_") and not inspect.isclass(f)}
    missing = sorted(cached - used)
    if missing:
        print(f"fonctions de data.py non mesurées (à ajouter dans PAGES) : {', '.join(missing)}")
    if args.json:
        args.json.write_text(json.dumps({"pages": results, "not_measured": missing, "failing": failing},
                                        ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
