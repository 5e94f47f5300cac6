with

source as (

    select * from {{ landing_relation('tickets') }}

),

renamed as (

    select
        ----------  ids
        tenant_id,
        ticket_key,
        provider,

        ---------- strings
        title,
        description,
        status,
        url,
        acceptance_criteria as acceptance_criteria_json,

        ---------- numerics
        coalesce(json_array_length(acceptance_criteria), 0) as acceptance_criteria_count,

        ---------- timestamps
        updated_at,

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
        partition by ticket_key
        order by ingested_at desc, updated_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
