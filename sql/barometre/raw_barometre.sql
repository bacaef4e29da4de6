-- raw.barometre: one row per line kept from a Baromètre file (the Logement d'abord indicator only),
-- in long format, as published: monthly cumulative values, plus for IND-295 its baseline and target rows.
-- Written file by file by assets/barometre/loader.py (a file's rows are replaced when its bytes change).
create table if not exists raw.barometre (
    layout varchar not null,            -- '2017-2022' (etalab files) | 'IND-295' (DITP files, 2023–)
    file_name varchar not null,         -- landing file the row comes from
    line_number bigint not null,        -- physical line in that file (header = 1)
    indicateur varchar not null,        -- 'logement-sans-domicile-hebergement-urgence' | 'IND-295'
    territoire_type varchar not null,   -- 'departement' | 'region' | 'france'
    territoire_code varchar not null,   -- '01'…'95', '2A', '2B', '971'…'976' | '01'…'94' | 'FR'
    code_source varchar,                -- the territory as written in the file ('D75', 'R11', 'national', …)
    date date not null,                 -- the month (its first day; the 2017–2022 files date month ends)
    nature varchar not null,            -- 'cumul' (monthly cumulative value) | 'valeur_initiale' | 'cible'
    valeur double,                      -- 2017–2022: valeur; IND-295: indic_va; null where empty
    indic_vi double,                    -- IND-295 initial value (the 2022-12 baseline row, 0)
    indic_vc double,                    -- IND-295 target value (the 2026-12 row)
    indic_ta double,                    -- IND-295 progress rate (%), latest month only
    unite varchar                       -- 2017–2022: "personnes dans l'année*"; IND-295: null
)
