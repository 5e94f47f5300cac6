{#- Findings by the UTC day they were first seen; suppressed findings are not counted. -#}
with

findings as (

    select * from {{ ref('fct_findings') }}
    where not suppressed

)

select
    tenant_id,
    cast(timezone('UTC', first_seen_at) as date) as day,
    repository,
    category,
    severity,
    severity_rank,
    count(*) as new_findings,
    count(*) filter (where status = 'open') as open_findings

from findings
group by tenant_id, day, repository, category, severity, severity_rank
