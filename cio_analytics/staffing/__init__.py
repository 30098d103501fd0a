"""cio_analytics.staffing"""

__all__: list[str] = []
