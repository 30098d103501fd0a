"""cio_analytics.reporting: the papermill report pipeline, HTML reports, charts."""

from .record import read_records, record

__all__ = ["read_records", "record"]
