"""Deterministic detectors; each one is a Reviewer (see analysis.reviewers.base)."""
