-- One row per (SIAO request in its latest state, territory it belongs to or is "non localisable" for).
-- A request is placed by `Commune de la demande` (even in another département), else by its
-- `Département SIAO` in the territories containing that whole département; it is non localisable
-- for the other territories touching that département. Periods: year and month of the request,
-- year of admission, year of exit. Delays are whole days. The street situations, the orientations and
-- the destinations towards housing are the lists of reference.situations_logement and
-- reference.categories (data/config).
-- EPCI: a request placed only by its Département SIAO is written for an EPCI only when the EPCI
-- contains that whole département (it is localisable there); its "non localisable" rows for the
-- other EPCI touching the département (about twelve per département) are not written: the
-- contributions (siao_comptes_territoires) derive them from the département's own row.
with demandes as (
    select * from staging.siao_demandes
),
perimetres as (
    select * from reference.perimetres
),
territoires_departements as (
    select * from intermediate.territoires_departements
),
enriched as (
    select
        departement_siao,
        numero_demande,
        menage_id,
        commune,
        type_demande,
        statut,
        motif_non_attribution,
        situation,
        type_orientation,
        destination,
        cast(date_demande as date) as date_demande,
        cast(date_admission as date) as date_admission,
        cast(date_sortie as date) as date_sortie,
        strftime(cast(date_demande as date), '%Y') as annee_demande,
        strftime(cast(date_demande as date), '%Y-%m') as mois_demande,
        strftime(cast(date_admission as date), '%Y') as annee_admission,
        strftime(cast(date_sortie as date), '%Y') as annee_sortie,
        date_diff('day', cast(date_demande as date), cast(date_admission as date)) as delai_admission,
        coalesce(
            situation in (
                select situation from reference.situations_logement where source = 'siao' and categorie = 'rue'
            )
            and type_orientation in (
                select valeur from reference.categories where liste = 'siao_orientation_logement'
            ),
            false
        ) as acces_direct,
        coalesce(
            destination in (select valeur from reference.categories where liste = 'siao_destination_logement'),
            false
        ) as sortie_logement,
        coalesce(destination <> '' and destination <> 'Inconnue', false) as destination_connue
    from demandes
),
par_commune as (
    select enriched.*, perimetres.territoire_type, perimetres.territoire_code, true as localisable
    from enriched
    inner join perimetres on perimetres.code_commune = enriched.commune
),
par_departement as (
    select enriched.*, territoires_departements.territoire_type, territoires_departements.territoire_code,
        territoires_departements.entier as localisable
    from enriched
    inner join territoires_departements on territoires_departements.code_departement = enriched.departement_siao
    where enriched.commune is null
        and (territoires_departements.entier or territoires_departements.territoire_type <> 'epci')
),
unioned as (
    select * from par_commune
    union all
    select * from par_departement
)
select * from unioned
