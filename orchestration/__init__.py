"""Dagster wiring: the only package that imports ingestion, analysis and the warehouse together."""
