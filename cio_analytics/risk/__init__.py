"""cio_analytics.risk"""

__all__: list[str] = []
