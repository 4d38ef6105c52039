"""B8, the scorecard benchmark: evaluate every project of a city for one quarter (docs/standard.md, "Speed")."""
