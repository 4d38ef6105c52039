"""Models of the standard app."""
