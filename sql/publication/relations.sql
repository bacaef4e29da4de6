-- pub_relations (temporary): one row per (published total, part) of the additive hierarchies
-- the secondary suppression protects, for the same indicator: région = Σ its départements,
-- France = Σ régions, France = LDA + HORS_LDA (same period), year = Σ its months (same territory),
-- and the configured identities between indicators of one territory and period (pub_identites:
-- the ledger of section G, ACTIFS = ACTIFS_DEBUT + entrées − sorties; the signs do not matter to the
-- rule « never exactly one secret cell in a relation »); section G's stocks (pub_stocks: ACTIFS,
-- ACTIFS_DEBUT) are not Σ months but year = December's (or January's) value, and the stock at the
-- start of a month = the stock at the end of the previous one (pub_reports).
-- Read from pub_cible (id, indicateur, type_indicateur, territoire_type, territoire_code, periode):
-- pub_etat while suppressing, publication.indicateurs when checking the result.
-- Parameters: $types_secondaires (types whose numerator adds up), $suiveurs (indicators that
-- copy another's status and are left out).
-- source: pub_cible + reference.departements + pub_identites, pub_stocks, pub_reports
create or replace temp table pub_relations as
with cellules as (
    select
        id,
        indicateur,
        territoire_type,
        territoire_code,
        periode
    from pub_cible
    where list_contains($types_secondaires, type_indicateur)
      and not list_contains($suiveurs, indicateur)
),

departements as (
    select
        code_departement,
        code_region
    from reference.departements
),

region_departements as (
    select
        total.id as total_id,
        part.id as part_id,
        'région = Σ départements' as hierarchie
    from cellules as part
    inner join departements on departements.code_departement = part.territoire_code
    inner join cellules as total
        on total.indicateur = part.indicateur
        and total.periode = part.periode
        and total.territoire_type = 'region'
        and total.territoire_code = departements.code_region
    where part.territoire_type = 'departement'
),

france_regions as (
    select
        total.id as total_id,
        part.id as part_id,
        'France = Σ régions' as hierarchie
    from cellules as part
    inner join cellules as total
        on total.indicateur = part.indicateur
        and total.periode = part.periode
        and total.territoire_type = 'france'
    where part.territoire_type = 'region'
),

france_groupes as (
    select
        total.id as total_id,
        part.id as part_id,
        'France = LDA + HORS_LDA' as hierarchie
    from cellules as part
    inner join cellules as total
        on total.indicateur = part.indicateur
        and total.periode = part.periode
        and total.territoire_type = 'france'
    where part.territoire_type = 'groupe'
      and part.territoire_code in ('LDA', 'HORS_LDA')
),

annee_mois as (
    select
        total.id as total_id,
        part.id as part_id,
        'année = Σ mois' as hierarchie
    from cellules as part
    inner join cellules as total
        on total.indicateur = part.indicateur
        and total.territoire_type = part.territoire_type
        and total.territoire_code = part.territoire_code
        and total.periode = left(part.periode, 4)
    where length(part.periode) = 7
      and part.indicateur not in (select indicateur from pub_stocks)
),

annee_stock as (
    -- a stock's year is one month's value (ACTIFS: December, ACTIFS_DEBUT: January)
    select
        total.id as total_id,
        part.id as part_id,
        'année = mois ' || pub_stocks.mois as hierarchie
    from cellules as part
    inner join pub_stocks
        on pub_stocks.indicateur = part.indicateur
        and right(part.periode, 2) = pub_stocks.mois
    inner join cellules as total
        on total.indicateur = part.indicateur
        and total.territoire_type = part.territoire_type
        and total.territoire_code = part.territoire_code
        and total.periode = left(part.periode, 4)
    where length(part.periode) = 7
),

report_mois as (
    -- the stock at the start of m = the stock at the end of m − 1 when the perimeter did not change;
    -- protected for every territory and pair of months, whether or not it changed (prudent)
    select
        total.id as total_id,
        part.id as part_id,
        total.indicateur || ' = ' || part.indicateur || ' du mois précédent' as hierarchie
    from cellules as total
    inner join pub_reports on pub_reports.debut = total.indicateur
    inner join cellules as part
        on part.indicateur = pub_reports.fin
        and part.territoire_type = total.territoire_type
        and part.territoire_code = total.territoire_code
        and part.periode = strftime(try_cast(total.periode || '-01' as date) - interval 1 month, '%Y-%m')
    where length(total.periode) = 7
),

identites as (
    select
        total.id as total_id,
        part.id as part_id,
        'identité ' || total.indicateur as hierarchie
    from cellules as part
    inner join pub_identites on pub_identites.terme = part.indicateur
    inner join cellules as total
        on total.indicateur = pub_identites.total
        and total.territoire_type = part.territoire_type
        and total.territoire_code = part.territoire_code
        and total.periode = part.periode
)

select * from region_departements
union all
select * from france_regions
union all
select * from france_groupes
union all
select * from annee_mois
union all
select * from annee_stock
union all
select * from report_mois
union all
select * from identites
