"""Dagster definitions, loaded by `orchestration.definitions` with `dg.load_defs`."""
