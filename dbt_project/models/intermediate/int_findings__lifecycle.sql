{#-
    One row per (pr_key, fingerprint) seen in any 'reviewed' run of the PR.
    first/last seen = the runs (ordered like int_review_runs__latest_per_pr) in which the
    fingerprint first/last appeared, timed by the run's pr_updated_at (event time).
    status = 'open' when the fingerprint is in the PR's latest reviewed run, else 'resolved'.
    Descriptive columns come from the latest occurrence. Findings of errored runs, or of runs
    not landed yet, are not counted.
-#}
with

findings as (

    select * from {{ ref('stg_landing__findings') }}

),

review_runs as (

    select * from {{ ref('stg_landing__review_runs') }}
    where status = 'reviewed'

),

latest_runs as (

    select * from {{ ref('int_review_runs__latest_per_pr') }}

),

occurrences as (

    select
        findings.*,
        review_runs.pr_updated_at as seen_at,
        row_number() over (
            partition by findings.pr_key, findings.fingerprint
            order by review_runs.pr_updated_at, review_runs.started_at, review_runs.run_id
        ) as occurrence_from_first,
        row_number() over (
            partition by findings.pr_key, findings.fingerprint
            order by
                review_runs.pr_updated_at desc,
                review_runs.started_at desc,
                review_runs.run_id desc
        ) as occurrence_from_last,
        count(*) over (partition by findings.pr_key, findings.fingerprint) as seen_in_runs

    from findings
    inner join review_runs
        on findings.run_id = review_runs.run_id
        and findings.pr_key = review_runs.pr_key

),

first_seen as (

    select
        pr_key,
        fingerprint,
        run_id as first_seen_run_id,
        seen_at as first_seen_at

    from occurrences
    where occurrence_from_first = 1

),

last_seen as (

    select * from occurrences
    where occurrence_from_last = 1

)

select
    ----------  ids
    last_seen.pr_key || ':' || last_seen.fingerprint as finding_key,
    last_seen.tenant_id,
    last_seen.pr_key,
    last_seen.repository,
    last_seen.pr_number,
    last_seen.fingerprint,
    first_seen.first_seen_run_id,
    last_seen.run_id as last_seen_run_id,

    ---------- strings
    last_seen.category,
    last_seen.rule_id,
    last_seen.cwe,
    last_seen.severity,
    last_seen.file_path,
    last_seen.message,
    last_seen.evidence,
    last_seen.evidence_source,
    last_seen.suggested_fix,
    case
        when last_seen.run_id = latest_runs.latest_reviewed_run_id then 'open'
        else 'resolved'
    end as status,

    ---------- numerics
    last_seen.severity_rank,
    last_seen.confidence,
    last_seen.start_line,
    last_seen.end_line,
    last_seen.seen_in_runs,

    ---------- booleans
    last_seen.is_suppressed,

    ---------- timestamps
    first_seen.first_seen_at,
    last_seen.seen_at as last_seen_at

from last_seen
inner join first_seen
    on last_seen.pr_key = first_seen.pr_key
    and last_seen.fingerprint = first_seen.fingerprint
left join latest_runs
    on last_seen.pr_key = latest_runs.pr_key
