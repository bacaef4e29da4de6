-- Section E (offer of places on 31/12): one row per (indicator, territory, year) before the absent rule
-- of marts.indicateurs. The offer file is national (covers every département for its year); places are
-- known by département and count in the territories containing the whole département;
-- `part_non_localisable` is the % of the places of the départements a territory touches that it does
-- not contain whole. TX_EQUIP_LA divides by the population of the territory (COG 2026).
-- EPCI: the offer, known by département, is `absent` (not 0) for every EPCI, for the years an
-- offer file covers (rows of the other years are not written).
with territoires as (
    select territoire_type, territoire_code from reference.territoires
),
periodes as (
    select periode, annee from intermediate.periodes where granularite = 'annee'
),
couverture as (
    select * from intermediate.couverture_nationale where source = 'offre'
),
populations as (
    select territoire_type, territoire_code, population from reference.populations
),
places as (
    select * from intermediate.offre_territoires
),
par_territoire as (
    select
        territoire_type,
        territoire_code,
        periode,
        coalesce(sum(places) filter (where localisable and pension_famille), 0) as places_pf,
        coalesce(sum(places) filter (where localisable and iml), 0) as places_iml,
        coalesce(sum(places) filter (where localisable and hebergement), 0) as places_heb,
        100.0 * coalesce(sum(places) filter (where not localisable), 0) / nullif(sum(places), 0) as part_nl
    from places
    group by territoire_type, territoire_code, periode
),
mesures as (
    select
        territoires.territoire_type,
        territoires.territoire_code,
        periodes.periode,
        couverture.annee is not null and territoires.territoire_type <> 'epci' as couvert,
        coalesce(par_territoire.places_pf, 0) as places_pf,
        coalesce(par_territoire.places_iml, 0) as places_iml,
        coalesce(par_territoire.places_heb, 0) as places_heb,
        coalesce(populations.population, 0) as population,
        par_territoire.part_nl
    from territoires
    cross join periodes
    left join couverture on couverture.annee = periodes.annee
    left join par_territoire using (territoire_type, territoire_code, periode)
    left join populations using (territoire_type, territoire_code)
    where territoires.territoire_type <> 'epci' or couverture.annee is not null
),
longue as (
    select 'PLACES_PF' as indicateur, territoire_type, territoire_code, periode, couvert,
        cast(places_pf as double) as valeur_calculee, cast(places_pf as double) as numerateur,
        cast(null as double) as denominateur, part_nl as part_non_localisable
    from mesures
    union all
    select 'PLACES_IML', territoire_type, territoire_code, periode, couvert, places_iml, places_iml, null, part_nl
    from mesures
    union all
    select 'PLACES_HEB', territoire_type, territoire_code, periode, couvert, places_heb, places_heb, null, part_nl
    from mesures
    union all
    select 'TX_EQUIP_LA', territoire_type, territoire_code, periode, couvert,
        1000.0 * (places_pf + places_iml) / nullif(population, 0), places_pf + places_iml, population, part_nl
    from mesures
)
select *, 'offre' as source from longue
