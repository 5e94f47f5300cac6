with

source as (

    select * from {{ landing_relation('pull_requests') }}

),

renamed as (

    select
        ----------  ids
        tenant_id,
        pr_key,
        provider,
        repository,
        "number" as pr_number,
        head_sha,
        base_sha,

        ---------- strings
        title,
        body,
        author,
        state,
        base_ref,
        head_ref,
        url,

        ---------- numerics
        additions,
        deletions,
        changed_files as changed_files_count,

        ---------- booleans
        draft as is_draft,
        (state = 'merged' or merged_at is not null) as is_merged,

        ---------- timestamps
        created_at,
        updated_at,
        merged_at,

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
        partition by pr_key
        order by ingested_at desc, updated_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
