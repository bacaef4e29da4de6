-- Offending rows: published (statut ok) rows that the primary rule would suppress — a count
-- between 1 and $seuil − 1, a rate or ratio whose numerator is between 1 and $seuil − 1 or whose
-- (record-count) denominator is below $seuil, a median on fewer than $seuil cases; and absent rows
-- that show a non-zero numerator or denominator.
-- source: pub_publie
select
    indicateur,
    type_indicateur,
    territoire_type,
    territoire_code,
    periode,
    valeur,
    numerateur,
    denominateur
from pub_publie
where (
    statut = 'absent'
    and (coalesce(numerateur, 0) <> 0 or coalesce(denominateur, 0) <> 0)
)
or statut = 'ok'
  and coalesce(
      case
          when type_indicateur = 'median' then numerateur < $seuil
          when type_indicateur in ('rate', 'ratio') then
              (numerateur >= 1 and numerateur < $seuil)
              or (not list_contains($denominateur_population, indicateur) and denominateur < $seuil)
          else cellule >= 1 and cellule < $seuil
      end,
      true
  )
order by indicateur, territoire_type, territoire_code, periode
