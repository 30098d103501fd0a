"""cio-analytics: decision analytics for IT directors.

Sub-packages, one per decision domain:

- :mod:`cio_analytics.valuation`: cash flows to NPV, XNPV, IRR, XIRR, MIRR, payback, TCO.
- :mod:`cio_analytics.risk`: distributions, correlated sampling, Monte Carlo, risk registers, FAIR.
- :mod:`cio_analytics.staffing`: Erlang B/C/A staffing, workload FTE, hiring plans, on-call.
- :mod:`cio_analytics.portfolio`: project selection under budget and capacity (MILP), frontier.
- :mod:`cio_analytics.budget`: variances, landing forecast, probability of overrun, adjustment.
- :mod:`cio_analytics.sourcing`: vendor offer TCO, in-house vs outsourced, scoring, SLA credits.
- :mod:`cio_analytics.continuity`: service availability, downtime risk, DR and RTO/RPO options.
- :mod:`cio_analytics.performance`: team KPIs from ticket exports with control charts.
- :mod:`cio_analytics.reporting`: the papermill report pipeline, HTML reports, charts.
- :mod:`cio_analytics.io`: validated readers for the files in ``data/``.
"""

from importlib.metadata import PackageNotFoundError, version

from .exceptions import CioAnalyticsError, ConvergenceError, DataFileError, ParameterError

try:
    __version__ = version("cio-analytics")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = [
    "CioAnalyticsError",
    "ConvergenceError",
    "DataFileError",
    "ParameterError",
    "__version__",
]
