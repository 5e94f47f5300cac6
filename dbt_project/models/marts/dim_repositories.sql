with

pull_requests as (

    select * from {{ ref('stg_landing__pull_requests') }}

)

select
    tenant_id,
    repository,
    arg_max(provider, updated_at) as provider,
    count(*) as pull_request_count,
    min(created_at) as first_seen_at,
    max(updated_at) as last_activity_at

from pull_requests
group by tenant_id, repository
