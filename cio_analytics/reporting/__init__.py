"""cio_analytics.reporting"""

__all__: list[str] = []
