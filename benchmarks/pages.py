"""Measurement (e): the query time of each page of the app, on a publication file.

Calls the query functions of `observatory_app/data.py` (the only place the app queries the
publication file) with the arguments each page uses, cache cleared before every call, so each
call opens the file read-only and runs its SQL like a first visit. `PAGES` below is the one list
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
    return {
        "Vue nationale": [
            ("derniere_annee_complete", (chemin, "FR", v)),
            ("valeurs_annee", (chemin, "france", "FR", (prec, an), v)),
            ("catalogue", (chemin, v)),
            ("serie", (chemin, "TX_ATTR_SD", (("groupe", "LDA"), ("groupe", "HORS_LDA")), v)),
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
            ("donnees_territoire", (chemin, "departement", "75", v)),
        ],
        "Classement": [
            ("catalogue", (chemin, v)),
            ("derniere_annee_complete", (chemin, "FR", v)),
            ("classement", (chemin, "TX_ATTR_SD", an, v)),
        ],
        "Nuits de la Solidarité": [("ndls", (chemin, v))],
        "Qualité": [
            ("a_propos", (chemin, v)),
            ("qualite_par_source", (chemin, v)),
            ("qualite_par_regle", (chemin, v)),
            ("controles", (chemin, v)),
        ],
        "Méthodologie": [("catalogue", (chemin, v))],
    }


def _call(name: str, args: tuple) -> float:
    st.cache_data.clear()
    started = time.perf_counter()
    getattr(data, name)(*args)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("publication", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    chemin = str(args.publication)
    plan = pages(chemin)
    results: dict[str, dict] = {}
    for page, calls in plan.items():
        totals = []
        per_query: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            total = 0.0
            for i, (name, call_args) in enumerate(calls):
                seconds = _call(name, call_args)
                per_query.setdefault(f"{i}:{name}", []).append(seconds)
                total += seconds
            totals.append(total)
        slowest = max(per_query.items(), key=lambda kv: statistics.median(kv[1]))
        results[page] = {
            "queries": [name for name, _ in calls],
            "median_ms": round(statistics.median(totals) * 1000, 1),
            "max_ms": round(max(totals) * 1000, 1),
            "slowest_query": slowest[0].split(":", 1)[1],
            "slowest_query_median_ms": round(statistics.median(slowest[1]) * 1000, 1),
        }
        print(f"{page}: {results[page]['median_ms']} ms (médiane de {args.repeat}, max {results[page]['max_ms']} ms ; "
              f"requête la plus lente {results[page]['slowest_query']} {results[page]['slowest_query_median_ms']} ms)",
              flush=True)
    used = {name for calls in plan.values() for name, _ in calls}
    cached = {n for n, f in vars(data).items() if hasattr(f, "clear") and not n.startswith("_") and not inspect.isclass(f)}
    missing = sorted(cached - used)
    if missing:
        print(f"fonctions de data.py non mesurées (à ajouter dans PAGES) : {', '.join(missing)}")
    if args.json:
        args.json.write_text(json.dumps({"pages": results, "not_measured": missing}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
