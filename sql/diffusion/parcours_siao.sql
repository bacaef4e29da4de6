-- publication.parcours_siao (file): a copy of the warehouse's publication.parcours_siao (the SIAO
-- pathway of the Sankey diagram, disclosure control already applied).
-- source: entrepot.publication.parcours_siao
create table publication.parcours_siao as
select *
from entrepot.publication.parcours_siao
order by territoire_type, territoire_code, periode, etape, origine_ordre, origine, destination_ordre, destination
