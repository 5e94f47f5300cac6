with

source as (

    select * from {{ landing_relation('posted_comments') }}

),

renamed as (

    select
        ----------  ids
        tenant_id,
        run_id,
        pr_key,
        repository,
        "number" as pr_number,
        head_sha,
        provider,
        comment_id,

        ---------- strings
        action as comment_action,
        url as comment_url,
        body_sha256,
        coalesce(from_json(open_fingerprints, '["VARCHAR"]'), []::varchar[]) as open_fingerprints,
        coalesce(from_json(resolved_fingerprints, '["VARCHAR"]'), []::varchar[]) as resolved_fingerprints,
        coalesce(from_json(inline_fingerprints, '["VARCHAR"]'), []::varchar[]) as inline_fingerprints,

        ---------- timestamps
        posted_at,

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
        partition by run_id
        order by ingested_at desc, posted_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
