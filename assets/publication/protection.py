"""Audit-driven secondary suppression: after the SQL rounds of `secret.suppress`, the cells an
attacker could still pin (or narrow, or an implicit remainder « territory − the territories inside
it » of 1..seuil−1) by combining every published relation are protected by suppressing more cells.

The loop, until the audit of the components touched finds nothing:

1. audit `pub_etat` as `observatoire audit` reads the published file (`audit.audit_cells`: the same
   cells, relations and linear programmes; the first time every component, then only the
   components holding a cell suppressed since the previous audit — the others did not change);
2. for each exposed cell, the relations the linear programme used to bound it are those with a
   non-zero dual value in its minimisation or maximisation; among the published cells of those
   relations, the one whose suppression moves the bound (non-zero net coefficient in the dual
   combination, i.e. a non-zero reduced cost once it becomes an unknown) and costs least is
   suppressed: non-zero before zero, then the smallest count, then one that moves both bounds,
   then the cell's key (series, territory type, code, period) — a total order, so that the same
   inputs always give the same cells. Exposed cells are taken in key order, and one whose bound a
   cell already chosen in this tour moves gets none (one suppression often protects several);
3. the SQL rounds (linked cells, « never one secret cell in a relation ») run again on the new
   secret cells.

Each tour adds at least one secret cell, so the loop ends; `MAX_TOURS` guards it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

import duckdb
import highspy
import numpy as np

from assets.publication.audit import (
    LARGEUR_MIN,
    Systeme,
    audit_cells,
    component_model,
    epci_geography_connection,
    geography_connection,
    terms,
)

#: A guard against a loop that would not converge (each tour adds at least one secret cell).
MAX_TOURS = 100

#: Dual values below this are zero.
EPSILON = 1e-7


@dataclass
class ProtectionReport:
    """What the audit-driven suppression did."""

    exposes_initiaux: int = 0
    ajoutes: int = 0
    tours: int = 0
    composantes_auditees: int = 0
    composantes_infaisables: int = 0
    non_resolus: list[str] = field(default_factory=list)
    secondes: float = 0.0
    secondes_audit: float = 0.0


def etat_cells(conn: duckdb.DuckDBPyConnection) -> tuple[dict[tuple, float | None], dict[tuple, int], dict[tuple, float]]:
    """The cells of pub_etat as the audit reads them in the published file (counts published or
    secret: value, None when secret), their row ids and their exact values."""
    rows = conn.sql(
        "select indicateur, territoire_type, territoire_code, periode, cellule, secret, id from pub_etat "
        "where type_indicateur = 'count' and (secret or statut = 'ok') order by 1, 2, 3, 4"
    ).fetchall()
    cells: dict[tuple, float | None] = {}
    ids: dict[tuple, int] = {}
    exact: dict[tuple, float] = {}
    for ind, ttype, code, periode, cellule, secret, row_id in rows:
        key = (ind, ttype, code, periode)
        cells[key] = None if secret or cellule is None else float(cellule)
        ids[key] = int(row_id)
        exact[key] = float(cellule) if cellule is not None else 0.0
    return cells, ids, exact


def _duals(model: highspy.Highs, column: int, sense) -> np.ndarray | None:
    model.changeObjectiveSense(sense)
    model.changeColCost(column, 1.0)
    model.run()
    duals = None
    if model.getModelStatus() == highspy.HighsModelStatus.kOptimal:
        duals = np.asarray(model.getSolution().row_dual)
    model.changeColCost(column, 0.0)
    return duals


def choose(sys_: Systeme, exposed: list[tuple[int, str, float, float]]) -> tuple[set[tuple], list[str]]:
    """For each exposed unknown (in key order), the published cell to suppress (see the module's
    docstring), unless a cell already chosen in this tour moves one of its bounds (one suppression
    often protects several exposed cells of a component). Also the labels of exposed unknowns for
    which no published cell can move a bound."""
    chosen: set[tuple] = set()
    unresolved: list[str] = []
    by_root: dict[int, list[int]] = defaultdict(list)
    for g, _, _, _ in exposed:
        by_root[sys_.root_of[g]].append(g)
    for root in sorted(by_root, key=lambda r: sys_.names[sys_.members[r][0]]):
        ids = sys_.members[root]
        eqs = sys_.eq_by_root[root]
        model, local, _ = component_model(sys_, ids, set())
        for g in sorted(by_root[root], key=lambda u: sys_.names[u]):
            nets = []
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                duals = _duals(model, local[g], sense)
                net: dict[tuple, float] = defaultdict(float)
                if duals is not None:
                    for r, e in enumerate(eqs):
                        if abs(duals[r]) < EPSILON:
                            continue
                        for key, coef in terms(sys_.relations[sys_.equations[e][2]]):
                            if sys_.cells[key] is not None:
                                net[key] += duals[r] * coef
                nets.append({k for k, v in net.items() if abs(v) > EPSILON})
            candidates = nets[0] | nets[1]
            if not candidates:
                unresolved.append("|".join(str(x) for x in sys_.names[g]))
                continue
            if candidates & chosen:
                continue  # a cell chosen for an earlier exposed cell already moves one of its bounds
            best = min(
                candidates,
                key=lambda k: (sys_.cells[k] == 0, abs(sys_.cells[k]), k not in nets[0] or k not in nets[1], k),
            )
            chosen.add(best)
    return chosen, unresolved


def protect(
    conn: duckdb.DuckDBPyConnection,
    rounds: Callable[[], None],
    seuil: int = 11,
    largeur: float = LARGEUR_MIN,
) -> ProtectionReport:
    """Suppress cells of pub_etat until the audit finds no exposed cell; `rounds()` runs the SQL
    rounds of the secondary suppression after each addition. Rows added get motif 'audit'."""
    started = time.perf_counter()
    report = ProtectionReport()
    regions, inclusions = geography_connection(conn)
    epci = epci_geography_connection(conn)
    cells, row_ids, _ = etat_cells(conn)
    touched: set[tuple] | None = None
    for tour in range(1, MAX_TOURS + 1):
        audit, sys_, exposed = audit_cells(
            cells, regions, inclusions, seuil=seuil, largeur=largeur, epci=epci, touched=touched
        )
        report.secondes_audit += audit.secondes
        report.composantes_auditees += audit.auditees
        report.composantes_infaisables += audit.infaisables
        if touched is None:
            report.exposes_initiaux = len(exposed)
        report.tours = tour
        if not exposed:
            break
        chosen, unresolved = choose(sys_, exposed)
        report.non_resolus.extend(unresolved)
        if not chosen:
            break
        conn.execute("create or replace temp table pub_audit_choix (id bigint)").fetchall()
        conn.executemany("insert into pub_audit_choix values (?)", [[row_ids[k]] for k in sorted(chosen)])
        conn.execute(
            "update pub_etat set secret = true, motif = 'audit' "
            "where id in (select id from pub_audit_choix) and not secret"
        ).fetchall()
        report.ajoutes += len(chosen)
        rounds()
        new_cells, row_ids, _ = etat_cells(conn)
        touched = {k for k, v in new_cells.items() if v is None and cells.get(k) is not None}
        cells = new_cells
    else:  # pragma: no cover - each tour adds at least one secret cell of a finite table
        raise RuntimeError(f"le secret piloté par l'audit ne converge pas en {MAX_TOURS} tours")
    report.secondes = time.perf_counter() - started
    return report
