"""cio_analytics.valuation"""

__all__: list[str] = []
