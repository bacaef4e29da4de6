"""Audit of a publication file as an attacker reads it (`observatoire audit`).

Every additive relation between the published counts becomes a linear equation whose unknowns are
the suppressed cells (≥ 0; `primaires`, cells known to be primary secrets, ≥ 1): for each count
indicator of `publication.indicateurs` (catalogue type `count`) and each SIAO pathway cell
(`publication.parcours_siao`), région = Σ its départements, France = Σ régions, France = LDA +
HORS_LDA, year = Σ months, and for the pathway each origin's and destination's total = Σ its flows
and the grand total = Σ origins = Σ destinations. A département contains the Logement d'abord
territories that lie wholly inside it: département = Σ those territories + an *implicit cell*
(≥ 0), which must not be a published small count either.

Each suppressed cell is minimised and maximised by linear programming (HiGHS, through
`scipy.optimize.linprog`), one connected component of unknowns at a time (memory bounded by the
largest component). A cell is *pinned* when its interval is a single value, *narrow* when it holds
fewer than `largeur` + 1 integer values; an implicit cell is *disclosed* when it is fully known
and between 1 and seuil − 1.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import highspy
import numpy as np
from scipy.sparse import csr_matrix

from observatoire_commun.ledger import ENTREES, SOLDE, SORTIES, STOCK, STOCK_DEBUT

#: Section G's stocks: a year's value is one month's, not the sum of the months.
STOCKS_MOIS = {STOCK: "12", STOCK_DEBUT: "01"}
#: Series whose secret cells may be negative (no lower bound 0; nor a remainder ≥ 0).
LIBRES = {SOLDE}
#: Section G's transfers are not additive over territories (a move between two départements of a
#: région is a transfer of each, not of the région): no territorial relation, only year = Σ months.
NON_ADDITIFS = {"TRANSFERTS_ENTRANTS", "TRANSFERTS_SORTANTS"}

#: Interval width below which a suppressed cell counts as narrow (fewer than 3 possible values).
LARGEUR_MIN = 2

#: LPs on the sum of the open cells of a component before the cell-by-cell LPs.
SOMMES_MAX = 8


@dataclass
class AuditReport:
    cellules: int = 0
    secrets: int = 0
    composantes: int = 0
    plus_grande_composante: int = 0
    epingles: list[tuple[str, float]] = field(default_factory=list)
    etroits: list[tuple[str, float, float]] = field(default_factory=list)
    implicites: list[tuple[str, float]] = field(default_factory=list)
    secondes: float = 0.0
    programmes: int = 0
    auditees: int = 0
    #: Components whose equations have no solution ≥ 0 (a relation read wrongly): not audited.
    infaisables: int = 0

    @property
    def echec(self) -> bool:
        return bool(self.epingles or self.implicites)


def _cells(conn: duckdb.DuckDBPyConnection) -> dict[tuple, float | None]:
    """(series, territory type, code, period) → published value, None when secret."""
    cells: dict[tuple, float | None] = {}
    rows = conn.sql(
        "select i.indicateur, i.territoire_type, i.territoire_code, i.periode, i.numerateur, i.statut "
        "from publication.indicateurs as i inner join publication.catalogue as c on c.code = i.indicateur "
        "where c.type = 'count' and i.statut in ('ok', 'secret') order by 1, 2, 3, 4"
    ).fetchall()
    for ind, ttype, code, periode, num, statut in rows:
        cells[(ind, ttype, code, periode)] = None if statut == "secret" else float(num)
    rows = conn.sql(
        "select etape, origine, destination, territoire_type, territoire_code, periode, n, statut "
        "from publication.parcours_siao order by 1, 2, 3, 4, 5, 6"
    ).fetchall()
    for etape, origine, destination, ttype, code, periode, n, statut in rows:
        cells[(f"PARCOURS|{etape}|{origine}|{destination}", ttype, code, periode)] = (
            None if statut == "secret" else float(n)
        )
    return cells


def _ledger_relations(cells: dict[tuple, float | None]) -> list[tuple]:
    """Section G's published relations for one territory and month (the ledger's identity
    ACTIFS = ACTIFS_DEBUT + entries − exits, SOLDE_ACTIFS = ACTIFS − ACTIFS_DEBUT) and, for a
    département, ACTIFS_DEBUT of m = ACTIFS of m − 1 when both months are published: its perimeter
    is then the whole département both months (section G's perimeter is the départements with a
    file for m and m − 1; a département without one is absent). For a territory of several
    départements the perimeter may change from one month to the next: not used (see
    docs/secret-statistique.md). Signed relations: (total, parts, False, coefficients of the parts)."""
    relations: list[tuple] = []
    for key in cells:
        series, ttype, code, periode = key
        if len(periode) != 7:
            continue
        if series == STOCK:
            terms = [(STOCK_DEBUT, -1.0)] + [(e, -1.0) for e in ENTREES] + [(s, 1.0) for s in SORTIES]
            parts = [(t, ttype, code, periode) for t, _ in terms]
            if all(p in cells for p in parts):
                relations.append((key, parts, False, [c for _, c in terms]))
        elif series == SOLDE:
            parts = [(STOCK, ttype, code, periode), (STOCK_DEBUT, ttype, code, periode)]
            if all(p in cells for p in parts):
                relations.append((key, parts, False, [-1.0, 1.0]))
        elif series == STOCK_DEBUT and ttype == "departement":
            year, month = int(periode[:4]), int(periode[5:])
            previous = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
            part = (STOCK, ttype, code, previous)
            if part in cells:
                relations.append((key, [part], False))
    return relations


def _relations(
    cells: dict[tuple, float | None],
    regions: dict[str, str],
    inclusions: dict[str, list[str]],
    epci: dict[tuple[str, str], list[str]] | None = None,
) -> list[tuple[tuple, list[tuple], bool]]:
    """(total, parts, with an implicit remainder) for every relation an attacker can read."""
    index: dict[tuple, list[tuple]] = defaultdict(list)
    for key in cells:
        series, ttype, code, periode = key
        index[(series, periode, ttype)].append(key)
    relations: list[tuple] = []
    for (series, periode, ttype), keys in list(index.items()):
        territorial = series not in NON_ADDITIFS
        if epci and ttype != "epci" and territorial and series not in LIBRES:
            members = {k[2]: k for k in index.get((series, periode, "epci"), [])}
            if members:
                for total in keys:
                    parts = [members[c] for c in epci.get((ttype, total[2]), []) if c in members]
                    if parts:
                        relations.append((total, parts, True))
        if ttype == "france" and territorial:
            for total in keys:
                regs = index.get((series, periode, "region"), [])
                if regs:
                    relations.append((total, regs, False))
                # France ⊇ LDA + HORS_LDA: a record placed only by its département counts in neither
                # group when the département is split between them (a remainder ≥ 0, as for the EPCI)
                groups = [k for k in index.get((series, periode, "groupe"), []) if k[2] in ("LDA", "HORS_LDA")]
                if len(groups) == 2 and series not in LIBRES:
                    relations.append((total, groups, True))
        if ttype == "region" and territorial:
            parts_by_region: dict[str, list[tuple]] = defaultdict(list)
            for part in index.get((series, periode, "departement"), []):
                if part[2] in regions:
                    parts_by_region[regions[part[2]]].append(part)
            for total in keys:
                if parts_by_region.get(total[2]):
                    relations.append((total, parts_by_region[total[2]], False))
        if ttype == "departement" and territorial and series not in LIBRES:
            ldas = {k[2]: k for k in index.get((series, periode, "territoire_lda"), [])}
            for total in keys:
                parts = [ldas[c] for c in inclusions.get(total[2], []) if c in ldas]
                if parts:
                    relations.append((total, parts, True))
        if len(periode) == 4 and series in STOCKS_MOIS:
            # section G: a year's stock is one month's (ACTIFS December's, ACTIFS_DEBUT January's)
            for total in keys:
                month = (series, ttype, total[2], f"{periode}-{STOCKS_MOIS[series]}")
                if month in cells:
                    relations.append((total, [month], False))
        elif len(periode) == 4:
            for total in keys:
                months = [(series, ttype, total[2], f"{periode}-{m:02d}") for m in range(1, 13)]
                months = [m for m in months if m in cells]
                if months:
                    relations.append((total, months, False))
    relations.extend(_ledger_relations(cells))
    # The pathway's margins: origin total = Σ flows, destination total = Σ flows, grand total.
    by_table: dict[tuple, list[tuple]] = defaultdict(list)
    for key in cells:
        if key[0].startswith("PARCOURS|"):
            _, etape, _, _ = key[0].split("|")
            by_table[(etape, key[1], key[2], key[3])].append(key)
    for (etape, ttype, code, periode), keys in by_table.items():
        split = {k: k[0].split("|") for k in keys}
        for k in keys:
            _, _, o, d = split[k]
            if d == "Ensemble" and o != "Ensemble":
                parts = [p for p in keys if split[p][2] == o and split[p][3] != "Ensemble"]
            elif o == "Ensemble" and d != "Ensemble":
                parts = [p for p in keys if split[p][3] == d and split[p][2] != "Ensemble"]
            elif o == "Ensemble" and d == "Ensemble":
                for margin in (2, 3):
                    other = 3 if margin == 2 else 2
                    parts = [p for p in keys if split[p][margin] != "Ensemble" and split[p][other] == "Ensemble"]
                    if parts:
                        relations.append((k, parts, False))
                continue
            else:
                continue
            if parts:
                relations.append((k, parts, False))
    return relations



def _model(a_eq, rhs: np.ndarray, lower: np.ndarray) -> highspy.Highs:
    """One HiGHS model of a component (A x = rhs, x ≥ lower), reused for every cell: only the
    objective changes, and the simplex restarts from the previous basis."""
    lp = highspy.HighsLp()
    lp.num_col_ = a_eq.shape[1]
    lp.num_row_ = a_eq.shape[0]
    lp.col_cost_ = np.zeros(a_eq.shape[1])
    lp.col_lower_ = lower
    lp.col_upper_ = np.full(a_eq.shape[1], highspy.kHighsInf)
    lp.row_lower_ = rhs
    lp.row_upper_ = rhs
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a_eq.indptr
    lp.a_matrix_.index_ = a_eq.indices
    lp.a_matrix_.value_ = a_eq.data
    model = highspy.Highs()
    model.setOptionValue("output_flag", False)
    model.passModel(lp)
    return model


def _solve(model: highspy.Highs) -> tuple[float | None, np.ndarray | None]:
    """The optimum and the solution, or (None, None) when infeasible or unbounded."""
    model.run()
    if model.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None, None
    return model.getInfo().objective_function_value, np.asarray(model.getSolution().col_value)


@dataclass
class Systeme:
    """The attacker's linear system: unknowns (the secret cells, then one implicit remainder per
    relation that has one), equations Σ coef·unknown = constant (with the relation each comes from),
    and the connected components of unknowns through the equations."""

    cells: dict[tuple, float | None]
    relations: list[tuple]
    names: list[tuple]
    index: dict[tuple, int]
    equations: list[tuple[dict[int, float], float, int]]
    members: dict[int, list[int]]
    eq_by_root: dict[int, list[int]]
    root_of: list[int]


def terms(relation: tuple) -> list[tuple[tuple, float]]:
    """(cell, coefficient) of a relation: total − Σ parts = implicit remainder (or 0), the parts'
    coefficients −1 unless the relation gives its own (section G's signed identities)."""
    total, parts = relation[0], relation[1]
    coefficients = relation[3] if len(relation) > 3 else [-1.0] * len(parts)
    return [(total, 1.0)] + list(zip(parts, coefficients))


def systeme(cells: dict[tuple, float | None], relations: list[tuple]) -> Systeme:
    unknowns: dict[tuple, int] = {k: i for i, k in enumerate(k for k, v in cells.items() if v is None)}
    equations: list[tuple[dict[int, float], float, int]] = []
    for number, relation in enumerate(relations):
        total, parts, implicit = relation[:3]
        coefs: dict[int, float] = defaultdict(float)
        constant = 0.0  # Σ coef·unknown = constant
        for key, sign in terms(relation):
            value = cells[key]
            if value is None:
                coefs[unknowns[key]] += sign
            else:
                constant -= sign * value
        if implicit:
            if parts[0][1] == "epci":
                name = ("IMPLICITE", total[0], f"{total[1]} {total[2]} − EPCI inclus", total[3])
            elif parts[0][1] == "groupe":
                name = ("IMPLICITE", total[0], f"{total[2]} − LDA − HORS_LDA", total[3])
            else:
                name = ("IMPLICITE", total[0], f"{total[2]} − territoires LDA", total[3])
            unknowns[name] = len(unknowns)
            coefs[unknowns[name]] -= 1.0
        if not coefs:
            continue
        equations.append((dict(coefs), constant, number))
    # Connected components of unknowns through the equations (union-find).
    parent = list(range(len(unknowns)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for coefs, _, _ in equations:
        ids = list(coefs)
        for j in ids[1:]:
            parent[find(j)] = find(ids[0])
    names = [k for k, _ in sorted(unknowns.items(), key=lambda item: item[1])]
    root_of = [find(i) for i in range(len(unknowns))]
    members: dict[int, list[int]] = defaultdict(list)
    for i, root in enumerate(root_of):
        members[root].append(i)
    eq_by_root: dict[int, list[int]] = defaultdict(list)
    for e, (coefs, _, _) in enumerate(equations):
        eq_by_root[root_of[next(iter(coefs))]].append(e)
    return Systeme(cells, relations, names, unknowns, equations, dict(members), dict(eq_by_root), root_of)


def component_model(
    sys_: Systeme, ids: list[int], primaires: set[tuple]
) -> tuple[highspy.Highs, dict[int, int], np.ndarray]:
    """The HiGHS model of one component: (model, unknown → column, lower bounds)."""
    local = {g: j for j, g in enumerate(ids)}
    eqs = sys_.eq_by_root.get(sys_.root_of[ids[0]], [])
    rows, cols, data, rhs = [], [], [], []
    for r, e in enumerate(eqs):
        coefs, constant, _ = sys_.equations[e]
        for g, c in coefs.items():
            rows.append(r)
            cols.append(local[g])
            data.append(c)
        rhs.append(constant)
    a_eq = csr_matrix((data, (rows, cols)), shape=(len(eqs), len(ids))).tocsc()
    lower = np.array([1.0 if sys_.names[g] in primaires else -np.inf if sys_.names[g][0] in LIBRES else 0.0
                      for g in ids])
    return _model(a_eq, np.asarray(rhs, dtype=float), lower), local, lower


def audit_component(
    sys_: Systeme,
    ids: list[int],
    primaires: set[tuple],
    seuil: int,
    largeur: float,
    report: AuditReport,
) -> list[tuple[int, str, float, float]]:
    """The exposed unknowns of one component: (unknown, kind, low, high), kind « epingle »
    (pinned), « etroit » (narrow) or « implicite » (an implicit remainder known exactly in 1..seuil−1)."""
    exposed: list[tuple[int, str, float, float]] = []
    if not sys_.eq_by_root.get(sys_.root_of[ids[0]]):
        return exposed  # a cell in no relation is unbounded above: nothing to learn
    names = sys_.names
    model, local, lower = component_model(sys_, ids, primaires)
    implicit_ids = {g for g in ids if names[g][0] == "IMPLICITE"}
    # Values seen in the solutions found so far: a cell already seen at two values at least
    # `largeur` apart (or 0.5 for an implicit cell, only reported when exact) needs no LP.
    seen_lo = np.full(len(ids), np.inf)
    seen_hi = np.full(len(ids), -np.inf)
    enough = np.array([0.5 if names[g][0] == "IMPLICITE" else largeur for g in ids])
    # First, a few LPs on the sum of the cells not yet seen wide (alternately maximised and
    # minimised): one vertex moves many cells at once, most are shown wide without their own LP.
    columns = np.arange(len(ids), dtype=np.int32)
    for round_number in range(SOMMES_MAX):
        open_cells = np.flatnonzero(seen_hi - seen_lo < enough)
        if not open_cells.size:
            break
        costs = np.zeros(len(ids))
        costs[open_cells] = 1.0
        model.changeColsCost(len(ids), columns, costs)
        sense = highspy.ObjSense.kMaximize if round_number % 2 == 0 else highspy.ObjSense.kMinimize
        model.changeObjectiveSense(sense)
        value, x = _solve(model)
        report.programmes += 1
        if x is None:
            if model.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
                report.infaisables += 1
                return exposed  # infeasible component (overlapping relations): not audited
            continue
        seen_lo, seen_hi = np.minimum(seen_lo, x), np.maximum(seen_hi, x)
        if round_number >= 1 and np.count_nonzero(seen_hi - seen_lo < enough) > 0.95 * open_cells.size:
            break
    model.changeColsCost(len(ids), columns, np.zeros(len(ids)))
    # Then one LP per bound still needed, cell by cell: the minimum is the lower bound when a
    # solution already reached it; the maximum is not needed when a solution is already far enough.
    previous = None
    for g in ids:
        j = local[g]
        if seen_hi[j] - seen_lo[j] >= enough[j]:
            continue
        if previous is not None:
            model.changeColCost(previous, 0.0)
        model.changeColCost(j, 1.0)
        previous = j
        if seen_lo[j] <= lower[j] + 1e-9:
            lo = float(lower[j])
        else:
            model.changeObjectiveSense(highspy.ObjSense.kMinimize)
            lo, x = _solve(model)
            report.programmes += 1
            if lo is None:
                break
            seen_lo, seen_hi = np.minimum(seen_lo, x), np.maximum(seen_hi, x)
        if seen_hi[j] - lo >= enough[j]:
            continue
        model.changeObjectiveSense(highspy.ObjSense.kMaximize)
        hi, x = _solve(model)
        report.programmes += 1
        if hi is None:
            hi = float("inf")
        else:
            seen_lo, seen_hi = np.minimum(seen_lo, x), np.maximum(seen_hi, x)
        if g in implicit_ids:
            if hi - lo < 0.5 and 1 <= round(lo) < seuil:
                exposed.append((g, "implicite", lo, hi))
        elif hi - lo < 0.5:
            exposed.append((g, "epingle", lo, hi))
        elif hi - lo < largeur:
            exposed.append((g, "etroit", lo, hi))
    return exposed


def record(report: AuditReport, sys_: Systeme, exposed: list[tuple[int, str, float, float]]) -> None:
    for g, kind, lo, hi in exposed:
        label = "|".join(str(x) for x in sys_.names[g])
        if kind == "implicite":
            report.implicites.append((label, round(lo)))
        elif kind == "epingle":
            report.epingles.append((label, round(lo)))
        else:
            report.etroits.append((label, lo, hi))


def audit_cells(
    cells: dict[tuple, float | None],
    regions: dict[str, str],
    inclusions: dict[str, list[str]] | None = None,
    primaires: set[tuple] | None = None,
    seuil: int = 11,
    largeur: float = LARGEUR_MIN,
    epci: dict[tuple[str, str], list[str]] | None = None,
    touched: set[tuple] | None = None,
) -> tuple[AuditReport, Systeme, list[tuple[int, str, float, float]]]:
    """Audit of the cells given ((series, territory type, code, period) → value, None when
    secret); with `touched`, only the components holding one of those secret cells are audited."""
    started = time.perf_counter()
    relations = _relations(cells, regions, inclusions or {}, epci)
    sys_ = systeme(cells, relations)
    report = AuditReport(cellules=len(cells), secrets=sum(v is None for v in cells.values()))
    report.composantes = len(sys_.members)
    report.plus_grande_composante = max((len(m) for m in sys_.members.values()), default=0)
    roots = None
    if touched is not None:
        roots = {sys_.root_of[sys_.index[k]] for k in touched if k in sys_.index}
    exposed: list[tuple[int, str, float, float]] = []
    for root, ids in sys_.members.items():
        if roots is not None and root not in roots:
            continue
        report.auditees += 1
        exposed.extend(audit_component(sys_, ids, primaires or set(), seuil, largeur, report))
    record(report, sys_, exposed)
    report.secondes = time.perf_counter() - started
    return report, sys_, exposed


def audit_connection(
    conn: duckdb.DuckDBPyConnection,
    regions: dict[str, str],
    inclusions: dict[str, list[str]] | None = None,
    primaires: set[tuple] | None = None,
    seuil: int = 11,
    largeur: float = LARGEUR_MIN,
    epci: dict[tuple[str, str], list[str]] | None = None,
) -> AuditReport:
    """`epci`: (territory type, code) → the EPCI all of whose communes lie in that territory."""
    started = time.perf_counter()
    report, _, _ = audit_cells(_cells(conn), regions, inclusions, primaires, seuil, largeur, epci)
    report.secondes = time.perf_counter() - started
    return report


def _has_table(conn: duckdb.DuckDBPyConnection, table: str) -> bool:
    return conn.sql("select count(*) from duckdb_tables() where schema_name = 'reference' "
                    "and table_name = $t", params={"t": table}).fetchall()[0][0] > 0


def geography_connection(conn: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Département → région, and département → the Logement d'abord territories wholly inside it,
    from the `reference` schema of the connection (public geography: COG and the LDA perimeters)."""
    regions: dict[str, str] = {}
    if _has_table(conn, "departements"):
        regions = dict(conn.sql("select code_departement, code_region from reference.departements "
                                "order by 1").fetchall())
    inclusions: dict[str, list[str]] = defaultdict(list)
    if _has_table(conn, "perimetres_departements"):
        for code, dep in conn.sql(
            "select territoire_code, any_value(code_departement) from reference.perimetres_departements "
            "where territoire_type = 'territoire_lda' group by territoire_code "
            "having count(distinct code_departement) = 1 order by 1"
        ).fetchall():
            inclusions[dep].append(code)
    return regions, dict(inclusions)


def epci_geography_connection(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    """(territory type, code) → the EPCI all of whose communes lie in that territory (département,
    région, France, Logement d'abord territory), from `reference.perimetres`."""
    if not _has_table(conn, "perimetres"):
        return {}
    rows = conn.sql(
        "with epci as (select territoire_code as epci, code_commune from reference.perimetres "
        "where territoire_type = 'epci'), "
        "tailles as (select epci, count(*) as n from epci group by epci) "
        "select p.territoire_type, p.territoire_code, epci.epci from epci "
        "inner join reference.perimetres as p using (code_commune) inner join tailles using (epci) "
        "where p.territoire_type in ('departement', 'region', 'france', 'territoire_lda') "
        "group by p.territoire_type, p.territoire_code, epci.epci "
        "having count(*) = any_value(tailles.n) order by 1, 2, 3"
    ).fetchall()
    containers: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ttype, code, epci in rows:
        containers[(ttype, code)].append(epci)
    return dict(containers)


def geography(warehouse: Path | str | None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """`geography_connection` of a warehouse file (nothing when there is none)."""
    if warehouse is None or not Path(warehouse).exists():
        return {}, {}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return geography_connection(conn)


def epci_geography(warehouse: Path | str | None) -> dict[tuple[str, str], list[str]]:
    """`epci_geography_connection` of a warehouse file (nothing when there is none)."""
    if warehouse is None or not Path(warehouse).exists():
        return {}
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        return epci_geography_connection(conn)


def audit_file(publication: Path | str, warehouse: Path | str | None = None, **kwargs) -> AuditReport:
    regions, inclusions = geography(warehouse)
    epci = epci_geography(warehouse)
    with duckdb.connect(str(publication), read_only=True) as conn:
        return audit_connection(conn, regions, inclusions, epci=epci, **kwargs)
