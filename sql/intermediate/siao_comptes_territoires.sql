-- Additive counts of the SIAO requests, per (Département SIAO, territory, base, period): the
-- contributions of each département to the section B indicators (marts.indicateurs_siao sums them
-- over the départements, then applies its formulas). `base`: 'demande' (year of the request),
-- 'mois' (month of an Urgence request), 'admission' (year of admission), 'sortie' (year of exit);
-- the columns of another base are null. Built partition by partition (`departement_siao`): a
-- département's rows come from its own requests only. Source: intermediate.siao_demandes_territoires,
-- intermediate.territoires_departements.
-- EPCI: the requests placed only by their Département SIAO are non localisable for each EPCI touching
-- that département without containing it whole; siao_demandes_territoires does not write these rows,
-- they are derived here from the département's own row (same counts as if they were written).
-- `demandes` is read four times (DuckDB materialises it): a partial rebuild passes the départements
-- to recompute as $partitions (NULL: all), so that only their requests are read.
with placees as (
    select * from intermediate.siao_demandes_territoires
    where cast($partitions as varchar[]) is null
        or list_contains($partitions, cast(departement_siao as varchar))
),
non_localisables_epci as (
    select placees.* replace (
        territoires_departements.territoire_type as territoire_type,
        territoires_departements.territoire_code as territoire_code,
        false as localisable
    )
    from placees
    inner join intermediate.territoires_departements as territoires_departements
        on territoires_departements.code_departement = placees.departement_siao
        and territoires_departements.territoire_type = 'epci'
        and not territoires_departements.entier
    where placees.commune is null
        and placees.territoire_type = 'departement'
        and placees.territoire_code = placees.departement_siao
),
demandes as (
    select * from placees
    union all
    select * from non_localisables_epci
),
par_demande as (
    select
        departement_siao,
        territoire_type,
        territoire_code,
        'demande' as base,
        annee_demande as periode,
        count(*) filter (where localisable and type_demande = 'Urgence') as dem_urg,
        count(*) filter (where localisable and type_demande = 'Insertion') as dem_ins,
        count(*) filter (
            where localisable and type_demande = 'Urgence' and statut in ('Pourvue', 'Non pourvue')
        ) as statut_final,
        count(*) filter (where localisable and type_demande = 'Urgence' and statut = 'Non pourvue') as non_pourvues,
        count(*) filter (
            where localisable and type_demande = 'Urgence' and statut = 'Non pourvue'
            and motif_non_attribution = 'Absence de place'
        ) as np_absence_place,
        count(*) filter (where not localisable and type_demande = 'Urgence') as nl_urgence,
        count(*) filter (where type_demande = 'Urgence') as urgence,
        count(*) filter (where not localisable and type_demande = 'Insertion') as nl_insertion,
        count(*) filter (where type_demande = 'Insertion') as insertion
    from demandes
    where annee_demande is not null
    group by departement_siao, territoire_type, territoire_code, annee_demande
),
par_mois as (
    select
        departement_siao,
        territoire_type,
        territoire_code,
        'mois' as base,
        mois_demande as periode,
        count(*) filter (where localisable) as dem_urg,
        count(*) filter (where not localisable) as non_localisables,
        count(*) as total
    from demandes
    where type_demande = 'Urgence' and mois_demande is not null
    group by departement_siao, territoire_type, territoire_code, mois_demande
),
par_admission as (
    select
        departement_siao,
        territoire_type,
        territoire_code,
        'admission' as base,
        annee_admission as periode,
        count(delai_admission) filter (where localisable and type_demande = 'Insertion') as delai_cas,
        count(*) filter (where localisable and acces_direct) as acces_direct,
        count(*) filter (where not localisable) as non_localisables,
        count(*) as total
    from demandes
    where annee_admission is not null
    group by departement_siao, territoire_type, territoire_code, annee_admission
),
par_sortie as (
    select
        departement_siao,
        territoire_type,
        territoire_code,
        'sortie' as base,
        annee_sortie as periode,
        count(*) filter (where localisable and sortie_logement) as sorties_logement,
        count(*) filter (where localisable and destination_connue) as sorties_connues,
        count(*) filter (where not localisable) as non_localisables,
        count(*) as total
    from demandes
    where annee_sortie is not null
    group by departement_siao, territoire_type, territoire_code, annee_sortie
)
select * from par_demande
union all by name
select * from par_mois
union all by name
select * from par_admission
union all by name
select * from par_sortie
