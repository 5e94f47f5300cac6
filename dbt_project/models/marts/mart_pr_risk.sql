{#- Formula and tie-breaks: see the model description in _marts__models.yml. -#}
with

latest_runs as (

    select * from {{ ref('int_review_runs__latest_per_pr') }}

),

pull_requests as (

    select * from {{ ref('dim_pull_requests') }}

),

findings as (

    select * from {{ ref('fct_findings') }}
    where not suppressed

),

posted_comments as (

    select * from {{ ref('stg_landing__posted_comments') }}

),

finding_totals as (

    select
        pr_key,
        count(*) filter (where status = 'open') as open_findings,
        count(*) filter (where status = 'resolved') as resolved_findings,
        count(*) filter (
            where status = 'open' and category = 'security'
        ) as open_security_findings,
        max(severity_rank) filter (where status = 'open') as max_open_severity_rank,
        sum({{ severity_weight('severity') }} * confidence)
            filter (where status = 'open') as open_weight,
        sum({{ severity_weight('severity') }} * confidence)
            filter (where status = 'resolved') as resolved_weight

    from findings
    group by pr_key

),

last_comments as (

    select
        pr_key,
        comment_url as last_comment_url

    from posted_comments
    where comment_url is not null
    qualify row_number() over (
        partition by pr_key order by posted_at desc, run_id desc
    ) = 1

),

scored as (

    select
        latest_runs.tenant_id,
        latest_runs.pr_key,
        pull_requests.repository,
        pull_requests.pr_number,
        pull_requests.title,
        pull_requests.author,
        pull_requests.state,
        pull_requests.is_merged,
        pull_requests.url,
        coalesce(finding_totals.open_findings, 0) as open_findings,
        coalesce(finding_totals.resolved_findings, 0) as resolved_findings,
        coalesce(finding_totals.open_security_findings, 0) as open_security_findings,
        coalesce(finding_totals.max_open_severity_rank, -1) as max_open_severity_rank,
        round(
            coalesce(finding_totals.open_weight, 0)
            * case
                when pull_requests.is_merged and finding_totals.open_security_findings > 0
                    then 1.5
                else 1.0
            end
            + 0.1 * coalesce(finding_totals.resolved_weight, 0),
            6
        )::double as risk_score,
        latest_runs.last_reviewed_at,
        latest_runs.latest_head_sha,
        last_comments.last_comment_url

    from latest_runs
    inner join pull_requests on latest_runs.pr_key = pull_requests.pr_key
    left join finding_totals on latest_runs.pr_key = finding_totals.pr_key
    left join last_comments on latest_runs.pr_key = last_comments.pr_key

)

select
    tenant_id,
    pr_key,
    repository,
    pr_number,
    title,
    author,
    state,
    is_merged,
    url,
    open_findings,
    resolved_findings,
    open_security_findings,
    {{ severity_from_rank('max_open_severity_rank') }} as max_open_severity,
    max_open_severity_rank,
    risk_score,
    row_number() over (
        order by risk_score desc, max_open_severity_rank desc, open_findings desc, pr_key
    ) as risk_rank,
    last_reviewed_at,
    latest_head_sha,
    last_comment_url

from scored
