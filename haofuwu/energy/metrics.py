"""Metrics of the energy app that the standard's indicators read (registered with haofuwu.core.metrics)."""
