with

review_runs as (

    select * from {{ ref('stg_landing__review_runs') }}

)

select
    tenant_id,
    run_id,
    pr_key,
    repository,
    pr_number,
    head_sha,
    "trigger",
    engine_version,
    policy_hash,
    llm_model,
    status,
    findings_count,
    reportable_count,
    input_tokens,
    output_tokens,
    cache_read_tokens,
    llm_cost_usd,
    llm_latency_ms,
    llm_status,
    prompt_version,
    files_reviewed,
    files_skipped,
    pr_updated_at,
    started_at,
    finished_at,
    duration_ms

from review_runs
