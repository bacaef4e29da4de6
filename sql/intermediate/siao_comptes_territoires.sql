-- Additive counts of the SIAO requests, per (Département SIAO, territory, base, period): the
-- contributions of each département to the section B indicators (marts.indicateurs_siao sums them
-- over the départements, then applies its formulas). `base`: 'demande' (year of the request),
-- 'mois' (month of an Urgence request), 'admission' (year of admission), 'sortie' (year of exit);
-- the columns of another base are null. Built partition by partition (`departement_siao`): a
-- département's rows come from its own requests only. Source: intermediate.siao_demandes_territoires.
with demandes as (
    select * from intermediate.siao_demandes_territoires
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
