"""Plain functions the Dagster assets call: each step testable without Dagster."""
