{#- The tenant a build is for, validated. Every model filters or carries this tenant_id. -#}

{% macro tenant_id() -%}
    {%- set value = var('tenant_id', '') -%}
    {%- if execute and not modules.re.fullmatch('[a-z0-9][a-z0-9-]{1,39}', value | string) -%}
        {{ exceptions.raise_compiler_error(
            "var('tenant_id') must be a tenant slug (pass --vars from TenantScope), got '"
            ~ value ~ "'") }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}

{% macro tenant_id_literal() -%}
    '{{ tenant_id() }}'
{%- endmacro %}

{#- The tenant's landing directory: absolute, and `.../<tenant_id>/landing` of this tenant. -#}
{% macro landing_root() -%}
    {%- set root = (var('landing_root', '') | string).rstrip('/') -%}
    {%- if execute -%}
        {%- set expected_tail = '/' ~ tenant_id() ~ '/landing' -%}
        {%- if not root.startswith('/') or not root.endswith(expected_tail) -%}
            {{ exceptions.raise_compiler_error(
                "var('landing_root') must be the absolute landing dir of tenant '"
                ~ tenant_id() ~ "' (TenantScope.landing_dir), got '" ~ root ~ "'") }}
        {%- endif -%}
        {%- if "'" in root or '*' in root or '?' in root or '[' in root -%}
            {{ exceptions.raise_compiler_error("var('landing_root') holds unsafe characters") }}
        {%- endif -%}
    {%- endif -%}
    {{- return(root) -}}
{%- endmacro %}
