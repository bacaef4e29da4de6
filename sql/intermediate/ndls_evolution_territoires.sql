-- One row per (NdlS sector at constant perimeter, territory): a sector is (city, `secteur`) whatever
-- code its rows carry; it is at constant perimeter for edition N when it is covered
-- (`secteur_couvert` true on all its rows) both in N and in the city's previous edition with a
-- sector file. `personnes` = its count in N, `personnes_precedente` = in the previous edition.
-- Placed by the sector's commune in N (else the city); `periode` = year of the night of edition N.
with secteurs as (
    select * from staging.ndls_secteurs
),
perimetres as (
    select * from reference.perimetres
),
par_secteur as (
    select
        commune_ville,
        edition,
        secteur,
        strftime(min(cast(date_nuit as date)), '%Y') as periode,
        min(coalesce(commune, commune_ville)) as commune,
        bool_and(coalesce(secteur_couvert, false)) as couvert,
        sum(personnes) as personnes
    from secteurs
    group by commune_ville, edition, secteur
),
editions as (
    select
        commune_ville,
        edition,
        lag(edition) over (partition by commune_ville order by edition) as edition_precedente
    from (select distinct commune_ville, edition from secteurs)
),
constants as (
    select
        courant.commune_ville,
        courant.edition,
        courant.periode,
        editions.edition_precedente,
        courant.secteur,
        courant.commune,
        courant.personnes,
        precedent.personnes as personnes_precedente
    from par_secteur as courant
    inner join editions using (commune_ville, edition)
    inner join par_secteur as precedent
        on precedent.commune_ville = courant.commune_ville
        and precedent.edition = editions.edition_precedente
        and precedent.secteur = courant.secteur
    where courant.couvert and precedent.couvert
)
select constants.*, perimetres.territoire_type, perimetres.territoire_code
from constants
inner join perimetres on perimetres.code_commune = constants.commune
