-- One row per (offer row: département, type of place, year; territory touching the département).
-- The offer is known by département only: it belongs to the territories containing the whole
-- département (`localisable`) and is non localisable for the other territories touching it. The place
-- types of each indicator are the lists `offre_*` of reference.categories (data/config/categories.csv).
with places as (
    select * from staging.offre_places
),
territoires_departements as (
    select * from intermediate.territoires_departements
)
select
    cast(places.annee as varchar) as periode,
    places.departement,
    places.type_place,
    places.places,
    places.type_place in (select valeur from reference.categories where liste = 'offre_pension_famille')
        as pension_famille,
    places.type_place in (select valeur from reference.categories where liste = 'offre_iml') as iml,
    places.type_place in (select valeur from reference.categories where liste = 'offre_hebergement') as hebergement,
    territoires_departements.territoire_type,
    territoires_departements.territoire_code,
    territoires_departements.entier as localisable
from places
inner join territoires_departements on territoires_departements.code_departement = places.departement
