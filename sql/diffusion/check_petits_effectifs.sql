-- Offending rows of the published file: an `ok` row of publication.indicateurs whose published
-- count lies between 1 and $seuil − 1 — a count (its numerateur, else its valeur), the numerator
-- of a rate or ratio, or its denominator unless it is a population of inhabitants
-- ($denominateur_population: NDLS_TAUX, TX_EQUIP_LA), the number of cases of a median.
-- Types from publication.catalogue. And a cell of publication.parcours_siao between 1 and $seuil − 1.
with publie as (
    select indicateurs.*, catalogue.type as type_indicateur
    from publication.indicateurs as indicateurs
    left join publication.catalogue as catalogue on catalogue.code = indicateurs.indicateur
    where indicateurs.statut = 'ok'
)
select indicateur, type_indicateur, territoire_type, territoire_code, periode, valeur, numerateur, denominateur
from publie
where case
    when type_indicateur = 'median' then numerateur >= 1 and numerateur < $seuil
    when type_indicateur in ('rate', 'ratio') then
        (numerateur >= 1 and numerateur < $seuil)
        or (not list_contains($denominateur_population, indicateur) and denominateur >= 1 and denominateur < $seuil)
    else coalesce(numerateur, valeur) >= 1 and coalesce(numerateur, valeur) < $seuil
end
union all
-- a published cell of the SIAO pathway (a count of requests)
select 'PARCOURS|' || etape || '|' || origine || '|' || destination, 'count', territoire_type, territoire_code,
    periode, n, n, null
from publication.parcours_siao
where statut = 'ok' and n >= 1 and n < $seuil
order by indicateur, territoire_type, territoire_code, periode
