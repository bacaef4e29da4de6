-- Histogram of the delays from request to admission (whole days) of the localisable Insertion
-- requests, per (Département SIAO, territory, year of admission, delay): the contributions of each
-- département to the median of DELAI_ORIENT_INS (marts.indicateurs_siao sums the histograms over
-- the départements and takes the lower median). Built partition by partition (`departement_siao`).
-- Source: intermediate.siao_demandes_territoires.
select
    departement_siao,
    territoire_type,
    territoire_code,
    annee_admission as periode,
    delai_admission,
    count(*) as n
from intermediate.siao_demandes_territoires
where annee_admission is not null
    and localisable and type_demande = 'Insertion' and delai_admission is not null
group by departement_siao, territoire_type, territoire_code, annee_admission, delai_admission
