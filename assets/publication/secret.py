"""Disclosure control (*secret statistique*) of the indicators: from `marts.indicateurs` (exact
values) to `publication.indicateurs` (suppressed cells), in the DuckDB connection given.

The rules are data (`data/config/secret_statistique.yaml`); the SQL is in `sql/publication/`:

1. `cellules.sql` — primary suppression, row by row, by catalogue type (count, rate, median, ratio);
2. `relations.sql` — the additive hierarchies (région = Σ départements, France = Σ régions,
   France = LDA + HORS_LDA, year = Σ months) as (total, part) pairs; `relations_lda.sql` adds
   LDA = Σ Logement d'abord territories (those not nested in another) when they tile the group;
   `relations_epci.sql` the containments territory ⊇ Σ EPCI inside it (`restes_epci.sql`: those
   whose remainder is a small count);
   `equivalences.sql` — territories with the same communes (same numbers, same status);
3. then, until nothing changes: `liens.sql` (followers, rates of a secret count, equivalent
   territories) and `secondaire.sql` (one round of secondary suppression);
   then the audit-driven suppression (`protection.py`): the cells an attacker could still pin by
   combining the relations (linear programming, as `observatoire audit`) get one more suppressed
   cell each, and the rounds run again, until the audit of the touched components finds nothing;
4. `indicateurs.sql` — writes `publication.indicateurs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import yaml

from assets.publication.protection import protect
from pipelines.config import CONFIG_DIR, SQL_DIR

SQL_FOLDER = SQL_DIR / "publication"
CONFIG_PATH = CONFIG_DIR / "secret_statistique.yaml"
CATALOGUE_PATH = CONFIG_DIR / "indicateurs.csv"

#: A guard against a loop that would not converge (each round only adds secret cells, so it ends).
MAX_ROUNDS = 1000


@dataclass(frozen=True)
class SecretConfig:
    """The disclosure rules read from `data/config/secret_statistique.yaml`."""

    seuil: int = 11
    denominateur_population: tuple[str, ...] = ()
    suit: dict[str, str] = field(default_factory=dict)
    composantes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Identities between indicators of one territory and period (total → its terms), protected
    #: like an additive relation: the ledger of section G (ACTIFS = ACTIFS_DEBUT + entries − exits).
    identites: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Stocks whose year is one month's value (section G: ACTIFS → "12", ACTIFS_DEBUT → "01"), not
    #: the sum of the months; and a stock at the start of month m equal to another's at the end of
    #: m − 1 (ACTIFS_DEBUT → ACTIFS), protected as published equalities.
    stocks_annee: dict[str, str] = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)
    types_secondaires: tuple[str, ...] = ("count", "rate", "median", "ratio")
    territoires_equivalents: bool = True
    #: The audit-driven suppression (`protection.py`) after the SQL rounds, and the narrowest
    #: interval it tolerates on a secret cell (the audit's `largeur`).
    audit_reparation: bool = True
    audit_largeur: float = 2.0

    @classmethod
    def load(cls, path: Path | str = CONFIG_PATH) -> "SecretConfig":
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        seuil = raw.get("seuil", 11)
        if not isinstance(seuil, int) or isinstance(seuil, bool) or seuil < 1:
            raise ValueError(f"{path}: `seuil` doit être un entier ≥ 1 (lu : {seuil!r})")
        return cls(
            seuil=seuil,
            denominateur_population=tuple(raw.get("denominateur_population") or ()),
            suit={str(k): str(v) for k, v in (raw.get("suit") or {}).items()},
            composantes={str(k): tuple(v) for k, v in (raw.get("composantes") or {}).items()},
            identites={str(k): tuple(v) for k, v in (raw.get("identites") or {}).items()},
            stocks_annee={str(k): str(v) for k, v in (raw.get("stocks_annee") or {}).items()},
            reports={str(k): str(v) for k, v in (raw.get("reports") or {}).items()},
            types_secondaires=tuple(raw.get("types_secondaires") or ()),
            territoires_equivalents=bool(raw.get("territoires_equivalents", True)),
            audit_reparation=bool(raw.get("audit_reparation", True)),
            audit_largeur=float(raw.get("audit_largeur", 2.0)),
        )


@dataclass
class SecretReport:
    """What the suppression did: rows per reason and the number of rounds."""

    rows: int = 0
    primaire: int = 0
    secondaire: int = 0
    liens: int = 0
    rounds: int = 0
    par_motif: dict[str, int] = field(default_factory=dict)
    #: The audit-driven suppression: cells added, tours, exposed cells found by the first audit,
    #: seconds (whole step and its audits).
    audit: int = 0
    audit_tours: int = 0
    audit_exposes: int = 0
    audit_non_resolus: list[str] = field(default_factory=list)
    audit_secondes: float = 0.0
    audit_secondes_lp: float = 0.0
    audit_infaisables: int = 0

    @property
    def secret(self) -> int:
        return self.primaire + self.secondaire + self.liens + self.audit


def read_sql(name: str) -> str:
    return (SQL_FOLDER / f"{name}.sql").read_text(encoding="utf-8")


def run_sql(conn: duckdb.DuckDBPyConnection, name: str, params: dict[str, object] | None = None) -> None:
    """Run `sql/publication/<name>.sql` with its `$name` parameters, fetching the result whole."""
    conn.execute(read_sql(name), params or {}).fetchall()


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    rows = conn.sql(
        "select count(*) from information_schema.tables where table_schema = $schema and table_name = $table",
        params={"schema": schema, "table": table},
    ).fetchall()
    return rows[0][0] > 0


def column_names(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = conn.sql(
        "select column_name from information_schema.columns where table_schema = $schema and table_name = $table "
        "order by ordinal_position",
        params={"schema": schema, "table": table},
    ).fetchall()
    return [row[0] for row in rows]


def load_links(conn: duckdb.DuckDBPyConnection, config: SecretConfig) -> None:
    """The configured links as temporary tables pub_suit, pub_composantes, pub_identites, pub_stocks
    and pub_reports."""
    conn.execute("create or replace temp table pub_suit (indicateur varchar, reference varchar)").fetchall()
    conn.execute("create or replace temp table pub_composantes (indicateur varchar, composante varchar)").fetchall()
    conn.execute("create or replace temp table pub_identites (total varchar, terme varchar)").fetchall()
    for total, termes in config.identites.items():
        for terme in termes:
            conn.execute("insert into pub_identites values ($t, $p)", {"t": total, "p": terme}).fetchall()
    conn.execute("create or replace temp table pub_stocks (indicateur varchar, mois varchar)").fetchall()
    conn.execute("create or replace temp table pub_reports (debut varchar, fin varchar)").fetchall()
    for indicateur, mois in config.stocks_annee.items():
        conn.execute("insert into pub_stocks values ($i, $m)", {"i": indicateur, "m": mois}).fetchall()
    for debut, fin in config.reports.items():
        conn.execute("insert into pub_reports values ($d, $f)", {"d": debut, "f": fin}).fetchall()
    for indicateur, reference in config.suit.items():
        conn.execute("insert into pub_suit values ($i, $r)", {"i": indicateur, "r": reference}).fetchall()
    for indicateur, composantes in config.composantes.items():
        for composante in composantes:
            conn.execute(
                "insert into pub_composantes values ($i, $c)", {"i": indicateur, "c": composante}
            ).fetchall()


def build_relations(conn: duckdb.DuckDBPyConnection, config: SecretConfig) -> None:
    """pub_relations (and pub_equivalences) over the temporary view pub_cible."""
    params = {"types_secondaires": list(config.types_secondaires), "suiveurs": list(config.suit)}
    run_sql(conn, "relations", params)
    has_perimetres = table_exists(conn, "reference", "perimetres")
    if has_perimetres:
        run_sql(conn, "relations_lda", params)
        run_sql(conn, "relations_epci", params)
    if config.territoires_equivalents and has_perimetres:
        run_sql(conn, "equivalences")
    else:
        conn.execute("create or replace temp table pub_equivalences (id_a bigint, id_b bigint)").fetchall()


def unknown_indicators(conn: duckdb.DuckDBPyConnection) -> list[str]:
    rows = conn.sql("select distinct indicateur from pub_etat where type_indicateur is null order by 1").fetchall()
    return [row[0] for row in rows]


def mark(conn: duckdb.DuckDBPyConnection, choice_table: str, motif: str) -> int:
    """Mark the rows listed in `choice_table` (id, …) secret; the number of rows marked."""
    count = conn.sql(f"select count(*) from {choice_table}").fetchall()[0][0]
    if count:
        conn.execute(
            f"update pub_etat set secret = true, motif = $motif "
            f"where id in (select id from {choice_table}) and not secret",
            {"motif": motif},
        ).fetchall()
    return int(count)


def secondary_rounds(conn: duckdb.DuckDBPyConnection, report: SecretReport) -> None:
    """The linked and secondary rounds (`liens.sql`, `secondaire.sql`) until nothing changes."""
    for _ in range(MAX_ROUNDS):
        run_sql(conn, "liens")
        linked = mark(conn, "pub_liens_choix", "lien")
        run_sql(conn, "secondaire")
        secondary = mark(conn, "pub_choix", "secondaire")
        report.liens += linked
        report.secondaire += secondary
        report.rounds += 1
        if not linked and not secondary:
            return
    raise RuntimeError(f"le secret secondaire ne converge pas en {MAX_ROUNDS} tours")  # pragma: no cover


def suppress(
    conn: duckdb.DuckDBPyConnection,
    config: SecretConfig,
    catalogue: Path | str = CATALOGUE_PATH,
    source: str = "marts.indicateurs",
    extra: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> SecretReport:
    """Compute pub_etat (`source`, by default marts.indicateurs, with a final `secret` flag) in `conn`.

    `source` is any table or view with the columns of marts.indicateurs (the SIAO pathway cells use
    it); `extra(conn)` runs once pub_etat, pub_relations and pub_equivalences exist, before the
    rounds, to add relations, equivalences or forced secrets of its own."""
    conn.execute(f"create or replace temp view pub_source as select * from {source}").fetchall()
    conn.execute(
        read_sql("cellules"),
        {
            "seuil": config.seuil,
            "catalogue": str(catalogue),
            "denominateur_population": list(config.denominateur_population),
        },
    ).fetchall()
    unknown = unknown_indicators(conn)
    if unknown:
        raise ValueError(
            "indicateurs absents du catalogue data/config/indicateurs.csv (type inconnu, secret non "
            f"applicable) : {', '.join(unknown)}"
        )
    conn.execute(
        "create or replace temp view pub_cible as "
        "select id, indicateur, type_indicateur, territoire_type, territoire_code, periode from pub_etat"
    ).fetchall()
    load_links(conn, config)  # before the relations: they read pub_identites
    build_relations(conn, config)
    run_sql(conn, "restes_epci", {"seuil": config.seuil})
    if extra is not None:
        extra(conn)

    report = SecretReport()
    report.rows = conn.sql("select count(*) from pub_etat").fetchall()[0][0]
    report.primaire = conn.sql("select count(*) from pub_etat where secret_primaire").fetchall()[0][0]
    secondary_rounds(conn, report)
    if config.audit_reparation:
        protection = protect(conn, lambda: secondary_rounds(conn, report), config.seuil, config.audit_largeur)
        report.audit = protection.ajoutes
        report.audit_tours = protection.tours
        report.audit_exposes = protection.exposes_initiaux
        report.audit_non_resolus = protection.non_resolus
        report.audit_secondes = protection.secondes
        report.audit_secondes_lp = protection.secondes_audit
        report.audit_infaisables = protection.composantes_infaisables
    report.par_motif = {
        motif: int(n)
        for motif, n in conn.sql(
            "select motif, count(*) from pub_etat where secret group by motif order by motif"
        ).fetchall()
    }
    return report


def publish(conn: duckdb.DuckDBPyConnection, config: SecretConfig, catalogue: Path | str = CATALOGUE_PATH) -> SecretReport:
    """Write publication.indicateurs from marts.indicateurs under the disclosure rules."""
    report = suppress(conn, config, catalogue)
    conn.execute("create schema if not exists publication").fetchall()
    run_sql(conn, "indicateurs")
    conn.execute(read_sql("commentaires")).fetchall()
    if "part_non_localisable" in column_names(conn, "publication", "indicateurs"):
        conn.execute(
            "update publication.indicateurs set part_non_localisable = null where statut = 'secret'"
        ).fetchall()
        conn.execute(
            "comment on column publication.indicateurs.part_non_localisable is "
            "'Part (%) des enregistrements non localisables dans le territoire (nulle si secret)'"
        ).fetchall()
    return report
