-- Offending rows: secret rows that still carry a value, a numerator, a denominator or a share of
-- non-localisable records.
-- source: publication.indicateurs
select *
from publication.indicateurs
where statut = 'secret'
  and (valeur is not null or numerateur is not null or denominateur is not null)
order by indicateur, territoire_type, territoire_code, periode
