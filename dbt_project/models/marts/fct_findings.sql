with

lifecycle as (

    select * from {{ ref('int_findings__lifecycle') }}

)

select
    finding_key,
    tenant_id,
    pr_key,
    repository,
    pr_number,
    fingerprint,
    category,
    rule_id,
    cwe,
    severity,
    severity_rank,
    confidence,
    file_path,
    start_line,
    end_line,
    message,
    evidence,
    evidence_source,
    suggested_fix,
    status,
    first_seen_run_id,
    last_seen_run_id,
    first_seen_at,
    last_seen_at,
    is_suppressed as suppressed

from lifecycle
