-- One row per (NdlS count row, territory). Sector rows of every sector file (covered or not, as the
-- file says) are placed by their `code_commune` (else the city of the file); an edition without a
-- sector file contributes its published total (intermediate.ndls_totaux_publies) as one row placed in
-- its city, with `type_lieu` null. `periode` = year of `date_nuit`; `commune_ville` is the city
-- whose population NDLS_TAUX uses.
with secteurs as (
    select * from staging.ndls_secteurs
),
totaux as (
    select * from intermediate.ndls_totaux_publies
),
perimetres as (
    select * from reference.perimetres
),
editions_fichiers as (
    select distinct commune_ville, edition from secteurs
),
lignes as (
    select
        'secteurs' as origine,
        commune_ville,
        edition,
        strftime(cast(date_nuit as date), '%Y') as periode,
        coalesce(commune, commune_ville) as commune,
        secteur,
        secteur_couvert,
        type_lieu,
        personnes
    from secteurs
    union all
    select
        'total_publie',
        totaux.commune_ville,
        totaux.edition,
        strftime(totaux.date_nuit, '%Y'),
        totaux.commune_ville,
        cast(null as varchar),
        cast(null as boolean),
        cast(null as varchar),
        totaux.personnes
    from totaux
    anti join editions_fichiers using (commune_ville, edition)
)
select lignes.*, perimetres.territoire_type, perimetres.territoire_code
from lignes
inner join perimetres on perimetres.code_commune = lignes.commune
