-- One row per (household, year, territory) for the household's first `Urgence` request of the year
-- (earliest date, ties broken by Département SIAO then Numéro demande), placed where that request
-- is. `primo`: no other `Urgence` request of the household dated 1 to 730 days before it.
-- EPCI: a request placed only by its Département SIAO is written for an EPCI only when the EPCI
-- contains the whole département; marts.indicateurs_parcours derives its "non localisable" rows for
-- the other EPCI touching the département from the département's own row.
with demandes as (
    -- $partiel: only the households to recompute (menages_a_recalculer, set by assets/indicateurs/menages.py)
    select * from staging.siao_demandes
    where not $partiel or hash(menage_id) in (select menage_hash from menages_a_recalculer)
),
perimetres as (
    select * from reference.perimetres
),
territoires_departements as (
    select * from intermediate.territoires_departements
),
urgences as (
    select
        departement_siao,
        numero_demande,
        menage_id,
        commune,
        cast(date_demande as date) as date_demande,
        strftime(cast(date_demande as date), '%Y') as annee_demande
    from demandes
    where type_demande = 'Urgence' and menage_id is not null and date_demande is not null
),
classees as (
    select
        *,
        row_number() over (
            partition by menage_id, annee_demande
            order by date_demande, departement_siao, numero_demande
        ) as rang
    from urgences
),
premieres as (
    select
        classees.* exclude (rang),
        not exists (
            select 1
            from urgences as anterieures
            where anterieures.menage_id = classees.menage_id
              and date_diff('day', anterieures.date_demande, classees.date_demande) between 1 and 730
        ) as primo
    from classees
    where rang = 1
),
par_commune as (
    select premieres.*, perimetres.territoire_type, perimetres.territoire_code, true as localisable
    from premieres
    inner join perimetres on perimetres.code_commune = premieres.commune
),
par_departement as (
    select premieres.*, territoires_departements.territoire_type, territoires_departements.territoire_code,
        territoires_departements.entier as localisable
    from premieres
    inner join territoires_departements on territoires_departements.code_departement = premieres.departement_siao
    where premieres.commune is null
        and (territoires_departements.entier or territoires_departements.territoire_type <> 'epci')
),
unioned as (
    select * from par_commune
    union all
    select * from par_departement
)
select * from unioned
