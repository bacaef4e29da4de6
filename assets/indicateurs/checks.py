"""Asset checks of `marts.indicateurs` (blocking: a failure would publish a wrong number). Each check
is one property; failures list the offending rows as Markdown metadata."""

from __future__ import annotations

import dagster as dg

from assets.indicateurs.assets import INDICATEURS_KEY, markdown_table
from pipelines.resources import WarehouseResource

SAMPLE = 20


def _result(conn, sql: str, what: str) -> dg.AssetCheckResult:
    rows = conn.sql(sql).pl()
    return dg.AssetCheckResult(
        passed=rows.height == 0,
        metadata={"lignes en erreur": dg.MetadataValue.int(rows.height),
                  "détail": dg.MetadataValue.md(markdown_table(rows, SAMPLE) if rows.height else f"aucune ({what})")},
    )


@dg.asset_check(asset=INDICATEURS_KEY, blocking=True,
                additional_deps=[dg.AssetKey(["marts", "catalogue_indicateurs"])])
def codes_du_catalogue(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every indicator code of marts.indicateurs is in the catalogue, and every code of the catalogue
    has rows in marts.indicateurs."""
    sql = """
        with codes as (select distinct indicateur as code from marts.indicateurs),
        catalogue as (select code from marts.catalogue_indicateurs)
        select code, 'absent du catalogue' as probleme from codes anti join catalogue using (code)
        union all
        select code, 'absent de marts.indicateurs' from catalogue anti join codes using (code)
        order by code
    """
    with warehouse.connect() as conn:
        return _result(conn, sql, "catalogue et table concordent")


@dg.asset_check(asset=INDICATEURS_KEY, blocking=True)
def cle_unique(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No two rows share (indicateur, territoire_type, territoire_code, periode)."""
    sql = """
        select indicateur, territoire_type, territoire_code, periode, count(*) as n
        from marts.indicateurs
        group by all
        having count(*) > 1
        order by all
    """
    with warehouse.connect() as conn:
        return _result(conn, sql, "pas de doublon")


@dg.asset_check(asset=INDICATEURS_KEY, blocking=True,
                additional_deps=[dg.AssetKey(["marts", "catalogue_indicateurs"])])
def taux_entre_0_et_100(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every rate in % (catalogue type `rate`, unit `%`) lies in [0, 100]."""
    sql = """
        select indicateurs.indicateur, territoire_type, territoire_code, periode, valeur
        from marts.indicateurs as indicateurs
        inner join marts.catalogue_indicateurs as catalogue on catalogue.code = indicateurs.indicateur
        where catalogue.type = 'rate' and catalogue.unite = '%'
          and valeur is not null and (valeur < 0 or valeur > 100)
        order by all
    """
    with warehouse.connect() as conn:
        return _result(conn, sql, "tous les taux dans [0, 100]")


@dg.asset_check(asset=INDICATEURS_KEY, blocking=True)
def valeur_nulle_ssi_absent(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """`valeur` is null exactly when `statut` = 'absent' (and statut ∈ ok, absent)."""
    sql = """
        select indicateur, territoire_type, territoire_code, periode, valeur, statut
        from marts.indicateurs
        where (valeur is null) <> (statut = 'absent') or statut not in ('ok', 'absent') or statut is null
        order by all
    """
    with warehouse.connect() as conn:
        return _result(conn, sql, "valeur nulle si et seulement si absent")


#: Section G: the flows of the monthly ledger, with their sign in its identity.
LEDGER_FLUX = {"ENTREES_NOUVEAUX": 1, "ENTREES_RETOUR_LOGEMENT": 1, "ENTREES_RETOUR_INACTIVITE": 1,
               "TRANSFERTS_ENTRANTS": 1, "SORTIES_LOGEMENT": -1, "SORTIES_INACTIVITE": -1, "TRANSFERTS_SORTANTS": -1}


@dg.asset_check(asset=INDICATEURS_KEY, blocking=True)
def ledger_identite(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Section G: for every territory and month, ACTIFS = ACTIFS_DEBUT + the entries and transfers in − the
    exits and transfers out, exactly, and SOLDE_ACTIFS = ACTIFS − ACTIFS_DEBUT; a month's ten codes are all
    present with one status (all `ok`, or all `absent`)."""
    somme = " + ".join(f"{sign} * coalesce(\"{code}\", 0)" for code, sign in LEDGER_FLUX.items())
    codes = ", ".join(f"'{c}'" for c in ["ACTIFS", "ACTIFS_DEBUT", "SOLDE_ACTIFS", *LEDGER_FLUX])
    sql = f"""
        with mois as (
            select indicateur, territoire_type, territoire_code, periode, valeur, statut
            from marts.indicateurs
            where indicateur in ({codes}) and length(periode) = 7
        ),
        statuts as (
            select territoire_type, territoire_code, periode, count(*) as codes, count(distinct statut) as statuts
            from mois group by all
        ),
        valeurs as (
            pivot (select indicateur, territoire_type, territoire_code, periode, valeur from mois)
            on indicateur in ({codes}) using first(valeur)
        )
        select v.territoire_type, v.territoire_code, v.periode, "ACTIFS", "ACTIFS_DEBUT",
            "ACTIFS_DEBUT" + {somme} as actifs_selon_flux, "SOLDE_ACTIFS", s.codes, s.statuts
        from valeurs as v
        inner join statuts as s using (territoire_type, territoire_code, periode)
        where s.codes <> {len(LEDGER_FLUX) + 3} or s.statuts <> 1
            or ("ACTIFS" is not null and ("ACTIFS" is distinct from "ACTIFS_DEBUT" + {somme}
                                          or "SOLDE_ACTIFS" is distinct from "ACTIFS" - "ACTIFS_DEBUT"))
        order by all
    """
    with warehouse.connect() as conn:
        return _result(conn, sql, "l'identité du registre mensuel est exacte partout")


@dg.asset_check(asset=INDICATEURS_KEY, blocking=True)
def ledger_stock_positif(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Section G: the stocks (ACTIFS, ACTIFS_DEBUT) and the flows are never negative (months and years)."""
    codes = ", ".join(f"'{c}'" for c in ["ACTIFS", "ACTIFS_DEBUT", *LEDGER_FLUX])
    sql = f"""
        select indicateur, territoire_type, territoire_code, periode, valeur
        from marts.indicateurs
        where indicateur in ({codes}) and valeur < 0
        order by all
    """
    with warehouse.connect() as conn:
        return _result(conn, sql, "aucun stock ni flux négatif")


CHECKS = [codes_du_catalogue, cle_unique, taux_entre_0_et_100, valeur_nulle_ssi_absent, ledger_identite,
          ledger_stock_positif]
