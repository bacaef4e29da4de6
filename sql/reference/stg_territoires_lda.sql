-- stg_territoires_lda (temporary, lives only in the connection of the asset that builds the
-- Logement d'abord tables): one row per territory of the user-editable list, its code
-- LDA-<ami>-<code> and its perimeter parsed into components {type, code}.
-- <code> = the first `epci:` component's SIREN, else the first `departement:` code, else the
-- first `commune:` code.
-- source: data/config/territoires_lda.csv ($path)
create or replace temp table stg_territoires_lda as
with source as (
    select *
    from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
),

renamed as (
    select
        cast(trim(ami) as integer) as ami,
        trim(territoire_libelle) as territoire_libelle,
        trim(nature) as nature,
        trim(perimetre) as perimetre,
        trim(region) as region,
        trim(departement) as departement,
        trim(source_url) as source_url,
        list_transform(
            list_filter(string_split(trim(perimetre), '|'), lambda c: trim(c) <> ''),
            lambda c: {
                'type': lower(trim(split_part(c, ':', 1))),
                'code': trim(split_part(c, ':', 2))
            }
        ) as composantes
    from source
    where nullif(trim(ami), '') is not null
),

coded as (
    select
        'LDA-' || cast(ami as varchar) || '-' || coalesce(
            list_filter(composantes, lambda c: c.type = 'epci')[1].code,
            list_filter(composantes, lambda c: c.type = 'departement')[1].code,
            list_filter(composantes, lambda c: c.type = 'commune')[1].code
        ) as territoire_code,
        *
    from renamed
)

select * from coded
