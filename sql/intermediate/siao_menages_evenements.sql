-- One row per event of a SIAO household (section G of the indicator catalogue): the pseudonymised
-- household (`menage_id`), the day (`jour`), the kind (`nature`) and the place.
--   nature = 'activite'        : each filled `Date de la demande`, `Date d'orientation`, `Date d'admission`
--                                of the latest state of each of its requests (any type, status or
--                                département, whatever the coverage of the month);
--   nature = 'sortie_siao'     : each `Date de sortie` whose destination is one of SORTIES_LOG's;
--   nature = 'attribution'     : each `date_attribution` of an SNE attribution linked to the household
--                                (section C linkage: a request of the household carries the same NUR;
--                                every attribution, wherever the dwelling is).
-- Other exits are not events. Place of a SIAO event: `Commune de la demande`, else `Département SIAO`
-- (`commune` null); `departement` is the place's département (the commune's when a commune is given).
-- Place of an attribution: the dwelling's commune (`departement_siao`, `numero_demande` null).
-- Dates written with a time are days. A household-level model: rebuilt only for the households of the
-- Départements SIAO whose requests changed (assets/indicateurs/menages.py).
with demandes as (
    -- $partiel: only the households to recompute (menages_a_recalculer, set by assets/indicateurs/menages.py)
    select * from staging.siao_demandes
    where menage_id is not null
        and (not $partiel or hash(menage_id) in (select menage_hash from menages_a_recalculer))
),
communes as (
    select code_commune, code_departement from reference.communes
),
placees as (
    select
        demandes.*,
        coalesce(communes.code_departement, demandes.departement_siao) as departement_lieu
    from demandes
    left join communes on communes.code_commune = demandes.commune
),
activites as (
    select menage_id, cast(date_demande as date) as jour, 'activite' as nature, departement_siao, numero_demande,
        commune, departement_lieu as departement
    from placees where date_demande is not null
    union all
    select menage_id, cast(date_orientation as date), 'activite', departement_siao, numero_demande,
        commune, departement_lieu
    from placees where date_orientation is not null
    union all
    select menage_id, cast(date_admission as date), 'activite', departement_siao, numero_demande,
        commune, departement_lieu
    from placees where date_admission is not null
),
sorties as (
    select menage_id, cast(date_sortie as date) as jour, 'sortie_siao' as nature, departement_siao, numero_demande,
        commune, departement_lieu as departement
    from placees
    where date_sortie is not null
        and destination in (select valeur from reference.categories where liste = 'siao_destination_logement')
),
liens as (
    select distinct nur_id, menage_id from demandes where nur_id is not null
),
attributions as (
    select liens.menage_id, cast(a.date_attribution as date) as jour, 'attribution' as nature,
        cast(null as varchar) as departement_siao, cast(null as varchar) as numero_demande,
        a.commune, communes.code_departement as departement
    from staging.sne_attributions as a
    inner join liens using (nur_id)
    left join communes on communes.code_commune = a.commune
    where a.date_attribution is not null
)
select * from activites
union all
select * from sorties
union all
select * from attributions
order by menage_id, jour, nature, departement_siao, numero_demande
