"""haofuwu (好服务): the smart property-service platform for the Jinan Good Service standard."""

__version__ = "0.1.0"
