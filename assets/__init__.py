"""Dagster assets of the observatory, one sub-package per layer/subject."""
