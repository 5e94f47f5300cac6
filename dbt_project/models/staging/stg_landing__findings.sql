with

source as (

    select * from {{ landing_relation('findings') }}

),

renamed as (

    select
        ----------  ids
        run_id || ':' || fingerprint as finding_occurrence_key,
        tenant_id,
        run_id,
        pr_key,
        repository,
        "number" as pr_number,
        head_sha,
        fingerprint,

        ---------- strings
        category,
        rule_id,
        cwe,
        severity,
        file_path,
        message,
        evidence,
        evidence_source,
        suggested_fix,

        ---------- numerics
        {{ severity_rank('severity') }} as severity_rank,
        confidence,
        start_line,
        end_line,

        ---------- booleans
        suppressed as is_suppressed,

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
        partition by finding_occurrence_key
        order by ingested_at desc, batch_id desc
    ) = 1

)

select * from deduplicated
