{#-
    One row per PR that has at least one review run. "Latest" orders runs by the event time
    of the reviewed revision (pr_updated_at), then started_at, then run_id. Only runs with
    status 'reviewed' decide which findings are open: an errored run says nothing about them.
-#}
with

review_runs as (

    select * from {{ ref('stg_landing__review_runs') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by pr_key
            order by pr_updated_at desc, started_at desc, run_id desc
        ) as recency_among_all,
        row_number() over (
            partition by pr_key, (status = 'reviewed')
            order by pr_updated_at desc, started_at desc, run_id desc
        ) as recency_within_status_group

    from review_runs

),

latest_any as (

    select
        tenant_id,
        pr_key,
        run_id as latest_run_id,
        status as latest_run_status,
        head_sha as latest_head_sha

    from ranked
    where recency_among_all = 1

),

latest_reviewed as (

    select
        pr_key,
        run_id as latest_reviewed_run_id,
        head_sha as latest_reviewed_head_sha,
        pr_updated_at as latest_reviewed_pr_updated_at,
        finished_at as last_reviewed_at

    from ranked
    where status = 'reviewed' and recency_within_status_group = 1

),

run_counts as (

    select
        pr_key,
        count(*) as review_runs_count,
        count(*) filter (where status = 'reviewed') as reviewed_runs_count

    from review_runs
    group by pr_key

)

select
    latest_any.tenant_id,
    latest_any.pr_key,
    latest_any.latest_run_id,
    latest_any.latest_run_status,
    latest_any.latest_head_sha,
    latest_reviewed.latest_reviewed_run_id,
    latest_reviewed.latest_reviewed_head_sha,
    run_counts.review_runs_count,
    run_counts.reviewed_runs_count,
    latest_reviewed.latest_reviewed_pr_updated_at,
    latest_reviewed.last_reviewed_at

from latest_any
inner join run_counts on latest_any.pr_key = run_counts.pr_key
left join latest_reviewed on latest_any.pr_key = latest_reviewed.pr_key
