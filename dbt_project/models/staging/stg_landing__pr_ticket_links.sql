with

source as (

    select * from {{ landing_relation('pr_ticket_links') }}

),

renamed as (

    select
        ----------  ids
        pr_key || '|' || ticket_key || '|' || source as link_key,
        tenant_id,
        pr_key,
        repository,
        "number" as pr_number,
        ticket_key,

        ---------- strings
        source as link_source,

        ---------- lineage
        normaliser_version,
        ingested_at,
        batch_id

    from source
    where tenant_id = {{ tenant_id_literal() }}

),

deduplicated as (

    select * from renamed
    qualify row_number() over (
        partition by link_key
        order by ingested_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
