{#-
    The acceptance-criterion verdicts of each PR's latest successful ('reviewed') run, one row
    per (pr_key, ticket_key, criterion). Verdicts of earlier runs are superseded, not kept:
    a criterion's state is what the latest review of the PR said about it.
-#}
with

verdicts as (

    select * from {{ ref('stg_landing__criterion_verdicts') }}

),

latest_runs as (

    select pr_key, latest_reviewed_run_id
    from {{ ref('int_review_runs__latest_per_pr') }}
    where latest_reviewed_run_id is not null

)

select
    verdicts.tenant_id,
    verdicts.pr_key || ':' || verdicts.ticket_key || ':' || left(sha256(verdicts.criterion), 16)
        as verdict_key,
    verdicts.pr_key,
    verdicts.repository,
    verdicts.pr_number,
    verdicts.ticket_key,
    verdicts.criterion,
    verdicts.verdict,
    verdicts.reason,
    array_to_string(verdicts.evidence, chr(10)) as evidence,
    verdicts.verdict_source as source,
    verdicts.run_id,
    verdicts.pr_updated_at

from verdicts
inner join latest_runs
    on verdicts.pr_key = latest_runs.pr_key
    and verdicts.run_id = latest_runs.latest_reviewed_run_id
