-- Reference for the tests: marts.parcours_siao as it was computed directly from the request rows
-- (intermediate.siao_demandes_territoires) before it summed the départements' contributions.
-- The SIAO pathway of the requests dated in each year (year of `Date de la demande`, both types,
-- every status: the population of DEM_URG + DEM_INS), per territory where they are placed (as the
-- section B indicators; only years covered by an accepted SIAO file of the territory). Two steps of
-- a Sankey diagram: `situation_orientation` (situation at the request → type of orientation) and
-- `orientation_sortie` (type of orientation → exit destination), the categories grouped by
-- data/config/parcours_categories.csv. Margins are rows too: `destination = 'Ensemble'` (the
-- origin's total), `origine = 'Ensemble'` (the destination's total), both (all the year's requests).
-- Zero cells are not written (a missing cell of a covered year is 0).
-- Parameters: $categories (path of the CSV). Source: intermediate.siao_demandes_territoires.
with categories as (
    select etape, coalesce(valeur, '') as valeur, categorie, cast(ordre as integer) as ordre
    from read_csv($categories, header = true, all_varchar = true)
),
couverture as (
    select territoire_type, territoire_code, periode
    from intermediate.couverture_siao
    where length(periode) = 4
),
demandes as (
    select
        demandes.territoire_type,
        demandes.territoire_code,
        demandes.annee_demande as periode,
        coalesce(demandes.situation, '') as situation,
        coalesce(demandes.type_orientation, '') as orientation,
        case
            when coalesce(demandes.destination, '') <> '' then demandes.destination
            when demandes.date_sortie is not null then 'Inconnue'
            else ''
        end as sortie
    from intermediate.siao_demandes_territoires as demandes
    inner join couverture
        on couverture.territoire_type = demandes.territoire_type
        and couverture.territoire_code = demandes.territoire_code
        and couverture.periode = demandes.annee_demande
    where demandes.localisable
),
grouped as (
    select
        demandes.territoire_type,
        demandes.territoire_code,
        demandes.periode,
        coalesce(s.categorie, demandes.situation) as situation,
        coalesce(s.ordre, 99) as situation_ordre,
        coalesce(o.categorie, demandes.orientation) as orientation,
        coalesce(o.ordre, 99) as orientation_ordre,
        coalesce(x.categorie, demandes.sortie) as sortie,
        coalesce(x.ordre, 99) as sortie_ordre
    from demandes
    left join categories as s on s.etape = 'situation' and s.valeur = demandes.situation
    left join categories as o on o.etape = 'orientation' and o.valeur = demandes.orientation
    left join categories as x on x.etape = 'sortie' and x.valeur = demandes.sortie
),
etape_1 as (
    select
        territoire_type, territoire_code, periode,
        'situation_orientation' as etape,
        case when grouping(situation) = 1 then 'Ensemble' else situation end as origine,
        case when grouping(situation) = 1 then 0 else min(situation_ordre) end as origine_ordre,
        case when grouping(orientation) = 1 then 'Ensemble' else orientation end as destination,
        case when grouping(orientation) = 1 then 0 else min(orientation_ordre) end as destination_ordre,
        count(*) as n
    from grouped
    group by grouping sets (
        (territoire_type, territoire_code, periode, situation, orientation),
        (territoire_type, territoire_code, periode, situation),
        (territoire_type, territoire_code, periode, orientation),
        (territoire_type, territoire_code, periode)
    )
),
etape_2 as (
    select
        territoire_type, territoire_code, periode,
        'orientation_sortie' as etape,
        case when grouping(orientation) = 1 then 'Ensemble' else orientation end as origine,
        case when grouping(orientation) = 1 then 0 else min(orientation_ordre) end as origine_ordre,
        case when grouping(sortie) = 1 then 'Ensemble' else sortie end as destination,
        case when grouping(sortie) = 1 then 0 else min(sortie_ordre) end as destination_ordre,
        count(*) as n
    from grouped
    group by grouping sets (
        (territoire_type, territoire_code, periode, orientation, sortie),
        (territoire_type, territoire_code, periode, orientation),
        (territoire_type, territoire_code, periode, sortie),
        (territoire_type, territoire_code, periode)
    )
)
select * from etape_1
union all
select * from etape_2
order by territoire_type, territoire_code, periode, etape, origine_ordre, origine, destination_ordre, destination
