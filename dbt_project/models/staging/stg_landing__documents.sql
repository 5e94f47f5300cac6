with

source as (

    select * from {{ landing_relation('documents') }}

),

renamed as (

    select
        ----------  ids
        tenant_id,
        doc_id,
        provider,

        ---------- strings
        title,
        "path" as document_path,
        url,
        kind as document_kind,
        sections as sections_json,

        ---------- numerics
        coalesce(json_array_length(sections), 0) as section_count,

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
        partition by doc_id
        order by ingested_at desc, updated_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
