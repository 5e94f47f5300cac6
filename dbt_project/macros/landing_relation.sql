{#-
    A landing entity as a relation with the columns (and types) declared in
    models/staging/_landing__sources.yml:
      - when `<landing_root>/<entity>/date=*/*.parquet` matches files (checked with DuckDB's
        glob() when the model runs), the parquet files cast to those types;
      - otherwise a typed empty relation with the same columns, so a tenant with no
        comments (or no landing at all) still builds.
    Calling source() registers the lineage edge source -> staging model.
-#}
{% macro landing_relation(entity) -%}
    {%- set lineage = source('landing', entity) -%}
    {%- if not execute -%}
        (select 1 as placeholder)
    {%- else -%}
        {%- set columns = landing_columns(entity) -%}
        {%- set location = landing_root() ~ '/' ~ entity ~ '/date=*/*.parquet' -%}
        {%- if landing_files_exist(location) -%}
        (
            select
            {%- for name, data_type in columns %}
                cast({{ adapter.quote(name) }} as {{ data_type }}) as {{ adapter.quote(name) }}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
            from read_parquet('{{ location }}', union_by_name = true, hive_partitioning = false)
        )
        {%- else -%}
        (
            select
            {%- for name, data_type in columns %}
                cast(null as {{ data_type }}) as {{ adapter.quote(name) }}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
            where false
        )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- [(column, data_type), ...] of a landing source, in declaration order. -#}
{% macro landing_columns(entity) -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.landing.' ~ entity) -%}
    {%- if node is none or not node.columns -%}
        {{ exceptions.raise_compiler_error("landing source '" ~ entity ~ "' declares no columns") }}
    {%- endif -%}
    {%- set pairs = [] -%}
    {%- for column in node.columns.values() -%}
        {%- if not column.data_type -%}
            {{ exceptions.raise_compiler_error(
                "landing." ~ entity ~ "." ~ column.name ~ " has no data_type") }}
        {%- endif -%}
        {%- do pairs.append((column.name, column.data_type)) -%}
    {%- endfor -%}
    {{- return(pairs) -}}
{%- endmacro %}

{% macro landing_files_exist(location) -%}
    {%- set result = run_query("select count(*) from glob('" ~ location ~ "')") -%}
    {{- return(result.columns[0].values()[0] > 0) -}}
{%- endmacro %}
