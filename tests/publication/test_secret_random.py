"""Random consistent tables (DEM_URG by département, région, France, group, year and month): the
published result is verified by an independent Python reading of the rules — no published count
of 1 to 10, no published total with exactly one secret part, a total equal to its only non-zero
part has its status."""

from __future__ import annotations

import random

import duckdb
import pytest

from assets.publication.secret import SecretConfig, publish
from tests.publication.conftest import DEPARTEMENTS, row

SEUIL = 11
MONTHS = ["2024-01", "2024-02", "2024-03"]


def random_rows(rng: random.Random) -> list[tuple]:
    values: dict[tuple[str, str, str], int] = {}
    for code, _ in DEPARTEMENTS:
        for month in MONTHS:
            values[("departement", code, month)] = rng.choice([0, 0, 1, 3, 7, 12, 20, 35, 80])
    regions = sorted({r for _, r in DEPARTEMENTS})
    for month in MONTHS:
        for region in regions:
            values[("region", region, month)] = sum(
                values[("departement", d, month)] for d, r in DEPARTEMENTS if r == region
            )
        values[("france", "FR", month)] = sum(values[("region", r, month)] for r in regions)
        lda = rng.randint(0, values[("france", "FR", month)])
        values[("groupe", "LDA", month)] = lda
        values[("groupe", "HORS_LDA", month)] = values[("france", "FR", month)] - lda
    for (kind, code, month) in list(values):
        values[(kind, code, "2024")] = values.get((kind, code, "2024"), 0) + values[(kind, code, month)]
    return [row("DEM_URG", (kind, code), periode, valeur=v) for (kind, code, periode), v in values.items()]


def relations(table):
    """(total key, [part keys]) of the hierarchies, from the keys of the table."""
    out = []
    periods = ["2024"] + MONTHS
    for periode in periods:
        for region in sorted({r for _, r in DEPARTEMENTS}):
            out.append(
                (("region", region, periode), [("departement", d, periode) for d, r in DEPARTEMENTS if r == region])
            )
        out.append((("france", "FR", periode), [("region", r, periode) for r in sorted({r for _, r in DEPARTEMENTS})]))
        out.append((("france", "FR", periode), [("groupe", "LDA", periode), ("groupe", "HORS_LDA", periode)]))
    for kind, code, periode in table:
        if periode == "2024":
            out.append(((kind, code, "2024"), [(kind, code, m) for m in MONTHS]))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_random_tables(warehouse, seed):
    rng = random.Random(seed)
    path = warehouse(random_rows(rng), name=f"r{seed}.duckdb")
    with duckdb.connect(str(path)) as conn:
        publish(conn, SecretConfig.load())
        published = conn.sql(
            "select territoire_type, territoire_code, periode, statut, valeur, numerateur from publication.indicateurs"
        ).fetchall()
        exact = dict(
            ((t, c, p), v) for t, c, p, v in conn.sql(
                "select territoire_type, territoire_code, periode, valeur from marts.indicateurs"
            ).fetchall()
        )
    table = {(t, c, p): (s, v, n) for t, c, p, s, v, n in published}
    secret = {k for k, (s, _, _) in table.items() if s == "secret"}
    for key, (statut, valeur, numerateur) in table.items():
        if statut == "secret":
            assert valeur is None and numerateur is None, key
        else:
            assert valeur == exact[key] and not (1 <= valeur < SEUIL), key
    for total, parts in relations(table):
        if total in secret:
            continue
        n_secret = sum(part in secret for part in parts)
        assert n_secret != 1, (total, parts)
        bearing = [p for p in parts if p in secret or exact[p] != 0]
        if len(bearing) == 1:
            assert bearing[0] not in secret, (total, bearing)
