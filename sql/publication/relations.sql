-- pub_relations (temporary): one row per (published total, part) of the additive hierarchies
-- the secondary suppression protects, for the same indicator: région = Σ its départements,
-- France = Σ régions, France = LDA + HORS_LDA (same period), year = Σ its months (same territory),
-- and the configured identities between indicators of one territory and period (pub_identites:
-- the ledger of section G, ACTIFS = ACTIFS_DEBUT + entrées − sorties; the signs do not matter to the
-- rule « never exactly one secret cell in a relation »).
-- Read from pub_cible (id, indicateur, type_indicateur, territoire_type, territoire_code, periode):
-- pub_etat while suppressing, publication.indicateurs when checking the result.
-- Parameters: $types_secondaires (types whose numerator adds up), $suiveurs (indicators that
-- copy another's status and are left out).
-- source: pub_cible + reference.departements + pub_identites
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
select * from identites
