{#- One row per PR with at least one linked ticket: the distinct keys, sorted, comma-separated. -#}
with

links as (

    select * from {{ ref('stg_landing__pr_ticket_links') }}

)

select
    tenant_id,
    pr_key,
    string_agg(distinct ticket_key, ',' order by ticket_key) as linked_ticket_keys,
    count(distinct ticket_key) as linked_ticket_count

from links
group by tenant_id, pr_key
