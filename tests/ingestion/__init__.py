"""Tests of the ingestion package."""
