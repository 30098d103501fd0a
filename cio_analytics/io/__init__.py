"""Validated readers for everything in ``data/`` (CSV, XLSX, YAML).

Each reader returns a validated DataFrame or spec object; a broken file raises
:class:`~cio_analytics.exceptions.DataFileError` naming the file, row and column.
"""

from .paths import file_sha256, project_root, resolve_data_path

__all__ = ["file_sha256", "project_root", "resolve_data_path"]
