"""Reviewers: anything that turns a ReviewContext into findings (detectors, later the LLM)."""
