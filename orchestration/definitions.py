"""Dagster entry point: loads every definition under `orchestration/defs/` ([tool.dg])."""

from pathlib import Path

import dagster as dg

PROJECT_ROOT = Path(__file__).resolve().parent.parent

defs = dg.load_from_defs_folder(path_within_project=PROJECT_ROOT)
