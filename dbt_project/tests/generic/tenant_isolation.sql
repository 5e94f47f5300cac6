{#- Isolation guard: fails when any row carries a tenant_id other than the build's tenant. -#}
{% test tenant_isolation(model, column_name='tenant_id') %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is distinct from {{ tenant_id_literal() }}

{% endtest %}
