"""Metrics of the feedback app that the standard's indicators read (registered with haofuwu.core.metrics)."""
