{#- Severity ranks (info 0 .. critical 4) and risk weights, one definition for all models. -#}

{% macro severity_rank(column) -%}
    case {{ column }}
        when 'info' then 0
        when 'low' then 1
        when 'medium' then 2
        when 'high' then 3
        when 'critical' then 4
    end
{%- endmacro %}

{% macro severity_from_rank(column) -%}
    case {{ column }}
        when 0 then 'info'
        when 1 then 'low'
        when 2 then 'medium'
        when 3 then 'high'
        when 4 then 'critical'
    end
{%- endmacro %}

{% macro severity_weight(column) -%}
    case {{ column }}
        when 'info' then 0
        when 'low' then 1
        when 'medium' then 3
        when 'high' then 7
        when 'critical' then 10
    end
{%- endmacro %}
