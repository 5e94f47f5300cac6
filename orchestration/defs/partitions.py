"""Tenants as a dynamic partition set, kept in step with the control plane by a sensor."""

import dagster as dg

tenant_partitions = dg.DynamicPartitionsDefinition(name="tenants")

REVIEW_TENANT_TAG = "warden/review-tenant"
ANALYTICS_TENANT_TAG = "warden/analytics-tenant"
