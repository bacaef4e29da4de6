-- Section D (Nuits de la Solidarité): one row per (indicator, territory, year) before the absent rule
-- of marts.indicateurs. A territory-year is covered when a Nuit counted in it (a sector file, or a
-- published total for an edition without one); NDLS_PERS_RUE needs sector rows. NDLS_TAUX divides by
-- the population of the cities counted in the territory; NDLS_EVOL_PC adds the cities'
-- constant-perimeter sums before the ratio.
-- EPCI: only the years a Nuit counted in the EPCI (no absent row).
with territoires as (
    select territoire_type, territoire_code from reference.territoires
),
periodes as (
    select periode from intermediate.periodes where granularite = 'annee'
),
lignes as (
    select * from intermediate.ndls_territoires
),
evolution as (
    select * from intermediate.ndls_evolution_territoires
),
communes as (
    select code_commune, population from reference.communes
),
villes as (
    select distinct lignes.territoire_type, lignes.territoire_code, lignes.periode, lignes.commune_ville
    from lignes
),
population_villes as (
    select villes.territoire_type, villes.territoire_code, villes.periode, sum(communes.population) as population
    from villes
    inner join communes on communes.code_commune = villes.commune_ville
    group by villes.territoire_type, villes.territoire_code, villes.periode
),
par_territoire as (
    select
        territoire_type,
        territoire_code,
        periode,
        sum(personnes) as personnes,
        sum(personnes) filter (where type_lieu = 'Rue') as personnes_rue,
        count(*) filter (where origine = 'secteurs') > 0 as avec_secteurs
    from lignes
    group by territoire_type, territoire_code, periode
),
par_evolution as (
    select
        territoire_type,
        territoire_code,
        periode,
        sum(personnes) as personnes,
        sum(personnes_precedente) as personnes_precedente
    from evolution
    group by territoire_type, territoire_code, periode
),
mesures as (
    select
        territoires.territoire_type,
        territoires.territoire_code,
        periodes.periode,
        par_territoire.periode is not null as couvert,
        coalesce(par_territoire.avec_secteurs, false) as couvert_secteurs,
        coalesce(par_territoire.personnes, 0) as personnes,
        coalesce(par_territoire.personnes_rue, 0) as personnes_rue,
        coalesce(population_villes.population, 0) as population,
        coalesce(par_evolution.personnes, 0) as evol_n,
        coalesce(par_evolution.personnes_precedente, 0) as evol_precedente
    from territoires
    cross join periodes
    left join par_territoire using (territoire_type, territoire_code, periode)
    left join population_villes using (territoire_type, territoire_code, periode)
    left join par_evolution using (territoire_type, territoire_code, periode)
    where territoires.territoire_type <> 'epci' or par_territoire.periode is not null
),
longue as (
    select 'NDLS_PERS' as indicateur, territoire_type, territoire_code, periode, couvert,
        cast(personnes as double) as valeur_calculee, cast(personnes as double) as numerateur,
        cast(null as double) as denominateur, cast(null as double) as part_non_localisable
    from mesures
    union all
    select 'NDLS_PERS_RUE', territoire_type, territoire_code, periode, couvert_secteurs,
        personnes_rue, personnes_rue, null, null
    from mesures
    union all
    select 'NDLS_TAUX', territoire_type, territoire_code, periode, couvert,
        10000.0 * personnes / nullif(population, 0), personnes, population, null
    from mesures
    union all
    select 'NDLS_EVOL_PC', territoire_type, territoire_code, periode, couvert,
        100.0 * (evol_n - evol_precedente) / nullif(evol_precedente, 0), evol_n, evol_precedente, null
    from mesures
)
select *, 'ndls' as source from longue
