-- publication.indicateurs (file): a copy of the warehouse's publication.indicateurs (disclosure
-- control already applied), one row per (indicator, territory, period).
-- source: entrepot.publication.indicateurs
create table publication.indicateurs as
select *
from entrepot.publication.indicateurs
order by indicateur, territoire_type, territoire_code, periode
