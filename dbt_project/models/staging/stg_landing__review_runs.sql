with

source as (

    select * from {{ landing_relation('review_runs') }}

),

renamed as (

    select
        ----------  ids
        tenant_id,
        run_id,
        review_key,
        pr_key,
        repository,
        "number" as pr_number,
        head_sha,

        ---------- strings
        "trigger",
        engine_version,
        policy_hash,
        llm_model,
        prompt_version,
        status,
        error as error_message,
        llm_status,

        ---------- numerics
        input_tokens,
        output_tokens,
        cache_read_tokens,
        llm_cost_usd,
        llm_latency_ms,
        files_reviewed,
        files_skipped,
        findings_count,
        reportable_count,
        date_diff('millisecond', started_at, finished_at) as duration_ms,

        ---------- timestamps
        pr_updated_at,
        started_at,
        finished_at,

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
        order by ingested_at desc, finished_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
