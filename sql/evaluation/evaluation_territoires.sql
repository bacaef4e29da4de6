-- The evaluated territories: every Logement d'abord territory with its own reference year (the
-- year before its call: 2017 for the 2018 call, 2020 for the 2021 call), and the group LDA with
-- the reference year $annee_reference_groupe (2017, the year before the first call, for the whole
-- group, territories of the 2021 call included).
-- source: reference.territoires
with territoires as (
    select
        territoire_type,
        territoire_code,
        territoire_libelle,
        annee_reference
    from reference.territoires
),

evalues as (
    select *
    from territoires
    where territoire_type = 'territoire_lda' and annee_reference is not null
    union all
    select
        territoire_type,
        territoire_code,
        territoire_libelle,
        cast($annee_reference_groupe as integer)
    from territoires
    where territoire_type = 'groupe' and territoire_code = 'LDA'
)

select *
from evalues
order by territoire_type desc, territoire_code
