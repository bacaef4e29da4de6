-- publication.evaluation_lda (file): the difference in differences of section F (marts.evaluation_lda)
-- with a `statut`. A row is secret (its territory's values, changes, DiD and interval null) when the
-- territory's published cell it rests on is secret in publication.indicateurs, at the reference year
-- or at the year compared (TX_ATTR_SD for TX_ATTR_SD, ATTR_SD for ATTR_SD_100K): the values would
-- otherwise give the suppressed number back. The rest of France's change stays (HORS_LDA is published).
-- source: entrepot.marts.evaluation_lda, entrepot.publication.indicateurs
create table publication.evaluation_lda as
with evaluation as (
    select *, case indicateur when 'ATTR_SD_100K' then 'ATTR_SD' else indicateur end as indicateur_base
    from entrepot.marts.evaluation_lda
),
secrets as (
    select indicateur, territoire_type, territoire_code, periode
    from entrepot.publication.indicateurs
    where statut = 'secret'
),
marque as (
    select
        evaluation.*,
        exists (
            select 1 from secrets
            where secrets.indicateur = evaluation.indicateur_base
              and secrets.territoire_type = evaluation.territoire_type
              and secrets.territoire_code = evaluation.territoire_code
              and (secrets.periode = evaluation.periode
                   or secrets.periode = cast(evaluation.annee_reference as varchar))
        ) as secret
    from evaluation
)
select
    indicateur, territoire_type, territoire_code, territoire_libelle, annee_reference, periode,
    case when secret then null else valeur_reference end as valeur_reference,
    case when secret then null else valeur end as valeur,
    case when secret then null else evolution_territoire end as evolution_territoire,
    evolution_reste_france,
    case when secret then null else did end as did,
    case when secret then null else ic_bas end as ic_bas,
    case when secret then null else ic_haut end as ic_haut,
    n_departements_controle,
    case when secret then 'secret' else 'ok' end as statut,
    methode
from marque
order by indicateur, territoire_type, territoire_code, periode
