with

source as (

    select * from {{ landing_relation('changed_files') }}

),

renamed as (

    select
        ----------  ids
        pr_key || '@' || head_sha || ':' || "path" as changed_file_key,
        tenant_id,
        pr_key,
        repository,
        "number" as pr_number,
        head_sha,

        ---------- strings
        "path" as file_path,
        previous_path,
        status as change_type,
        patch,
        content,

        ---------- numerics
        additions,
        deletions,

        ---------- booleans
        (patch is null) as is_patch_missing,

        ---------- lineage
        normaliser_version,
        ingested_at,
        batch_id

    from source
    where tenant_id = {{ tenant_id_literal() }}

),

deduplicated as (

    select * from renamed
    qualify row_number() over (
        partition by changed_file_key
        order by ingested_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
