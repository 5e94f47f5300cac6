with

source as (

    select * from {{ landing_relation('criterion_verdicts') }}

),

renamed as (

    select
        ----------  ids
        run_id || ':' || ticket_key || ':' || left(sha256(criterion), 16)
            as verdict_occurrence_key,
        tenant_id,
        run_id,
        pr_key,
        repository,
        "number" as pr_number,
        head_sha,
        ticket_key,

        ---------- strings
        criterion,
        verdict,
        reason,
        coalesce(from_json(evidence, '["VARCHAR"]'), []::varchar[]) as evidence,
        source as verdict_source,

        ---------- timestamps
        pr_updated_at,

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
        partition by verdict_occurrence_key
        order by ingested_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
