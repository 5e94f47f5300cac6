with

pull_requests as (

    select * from {{ ref('stg_landing__pull_requests') }}

),

linked_tickets as (

    select * from {{ ref('int_pull_requests__linked_tickets') }}

)

select
    pull_requests.tenant_id,
    pull_requests.pr_key,
    pull_requests.repository,
    pull_requests.pr_number,
    pull_requests.title,
    pull_requests.author,
    pull_requests.state,
    pull_requests.is_merged,
    pull_requests.url,
    pull_requests.base_ref,
    pull_requests.head_ref,
    pull_requests.head_sha,
    pull_requests.created_at,
    pull_requests.updated_at,
    pull_requests.merged_at,
    coalesce(linked_tickets.linked_ticket_keys, '') as linked_ticket_keys

from pull_requests
left join linked_tickets on pull_requests.pr_key = linked_tickets.pr_key
