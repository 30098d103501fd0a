"""HTML reports from executed notebooks: in-process nbconvert, code and prompts hidden.

One :class:`nbconvert.HTMLExporter` per process (per thread under Dask) renders every report of
that worker: no subprocess per file. The template extends nbconvert's ``lab`` template so that
every chart carries alt text (the lab template drops it, and nbconvert then warns "Alternative
text is missing"): the output's own ``alt`` metadata, else the cell's ``alt`` metadata, else a
generic description. Report kernels attach alt text built from each figure's titles and labels
(:mod:`cio_analytics.pipeline._kernel_setup`). A failed report opens with the error and the
failing cell's code; every report ends with its run details (parameters, inputs).
"""

from __future__ import annotations

import copy
import html
import logging
import re
import threading
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

__all__ = ["export_html", "failure_details", "report_noise"]

_NOISE = re.compile(
    r"Traceback \(most recent call last\)|\b\w*Warning\b:?|without encryption"
    r"|data-mime-type=\"application/vnd\.jupyter\.stderr\"|Alternative text is missing"
)


def report_noise(page: str) -> list[str]:
    """Warnings, tracebacks and stderr output visible in a report page (styles and scripts
    excluded); an empty list for a clean report.

    Examples
    --------
    >>> report_noise("<style>.x{}</style><p>UserWarning: deprecated</p>")
    ['UserWarning:']
    >>> report_noise("<p>all good</p>")
    []
    """
    body = re.sub(r"(?is)<(style|script)\b.*?</\1>", "", page)
    return sorted({m.group(0) for m in _NOISE.finditer(body)})


_ALT = (
    "{%- set alt = (output | get_metadata('alt', MIME)) or (cell | get_metadata('alt'))"
    " or 'Chart (no description given)' -%}"
)
_IMG_BLOCK = """
{% block BLOCK scoped %}
ALT
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:MIME;base64,{{ DATA | escape_html }}" alt="{{ alt | escape_html }}"
{%- set width=output | get_metadata('width', 'MIME') -%}
{%- if width is not none %} width={{ width | escape_html }}{%- endif %}
{%- set height=output | get_metadata('height', 'MIME') -%}
{%- if height is not none %} height={{ height | escape_html }}{%- endif %}>
</div>
{%- endblock BLOCK %}
"""
_TEMPLATE = "{%- extends 'index.html.j2' -%}\n" + "".join(
    _IMG_BLOCK.replace("ALT", _ALT.replace("MIME", f"'{mime}'"))
    .replace("BLOCK", block)
    .replace("MIME", mime)
    .replace("DATA", data)
    for block, mime, data in (
        ("data_png", "image/png", "output.data['image/png']"),
        ("data_jpg", "image/jpeg", "output.data['image/jpeg']"),
        ("data_svg", "image/svg+xml", "output.data['image/svg+xml'] | text_base64"),
    )
)
# Self-contained reports: no script from the internet (require.js and MathJax come from a CDN in
# the lab template; a reader offline or behind a proxy got console errors and a slow page).
# Reports carry no widgets; LaTeX in markdown shows as typed, and a "$" stays a dollar sign.
_TEMPLATE += (
    "{% block html_head_js_requirejs %}{% endblock html_head_js_requirejs %}\n"
    "{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}\n"
)
# Cells with code hidden and no output (the parameters, the parameter check, imports) still
# take their padding: five of them left a blank band above the title of every report.
# Print (a browser's print and the PDF, :mod:`.pdf`): A4; a heading never ends a page (a text
# cell with a heading stays on the page of what follows it: its chart or table); a chart, a key-number band or
# a short table is never split, a long table breaks between rows and repeats its header; the
# provenance shows open; no code, prompt or collapse arrow; images fit the page width.
PRINT_CSS = (
    "@media print{"
    "@page{size:A4;margin:14mm 13mm 16mm 13mm}"
    "body,.jp-Notebook{margin:0;padding:0;font-size:10pt}"
    "h1,h2,h3,h4,h5,h6{break-after:avoid;page-break-after:avoid;break-inside:avoid}"
    ".jp-MarkdownCell:has(h1,h2,h3,h4){break-after:avoid;page-break-after:avoid}"
    ".jp-RenderedImage,figure,img,.cioa-summary,.cioa-kpis,.cioa-decision,tr,blockquote"
    "{break-inside:avoid;page-break-inside:avoid}"
    "table{break-inside:auto}thead{display:table-header-group}"
    ".jp-OutputArea-output table:not(:has(tr:nth-child(25))){break-inside:avoid}"
    # the lab theme keeps every output whole in print: a table longer than a page then left
    # its heading alone on a page and started on the next one
    ".jp-OutputArea-child:has(tr:nth-child(25)){break-inside:auto!important}"
    "img{max-width:100%!important;height:auto!important}"
    ".jp-OutputArea-output,.jp-RenderedHTMLCommon{overflow:visible!important}"
    "table{max-width:100%;font-size:8.5pt}td,th{white-space:normal!important}"
    # a table of many columns fits the page width: smaller type, headers wrap anywhere
    "table:has(tr>*:nth-child(9)){font-size:7.5pt}"
    "table:has(tr>*:nth-child(9)) :is(td,th){padding:2px 3px!important}"
    "table:has(tr>*:nth-child(12)){font-size:7pt}"
    ".jp-CodeCell .jp-Cell-inputWrapper,.jp-InputPrompt,.jp-OutputPrompt,.jp-Collapser,a.anchor-link"
    "{display:none!important}"
    "details>summary{list-style:none}details>summary::marker{content:''}"
    "details::details-content{content-visibility:visible;display:block}"
    "a{color:inherit;text-decoration:none}"
    "}"
)
_TEMPLATE += (
    "{% block extra_css %}<style>.jp-Cell.jp-mod-noOutputs.jp-mod-noInput{display:none}"
    + PRINT_CSS
    + "</style>{% endblock extra_css %}\n"
)

_local = threading.local()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "nbconvert" in record.pathname:  # not the GC notices of other Jupyter objects
            self.messages.append(record.getMessage())


def _exporter() -> HTMLExporter:
    exporter = getattr(_local, "exporter", None)
    if exporter is None:
        exporter = HTMLExporter(
            template_name="lab",
            extra_loaders=[DictLoader({"cio_report.html.j2": _TEMPLATE})],
            template_file="cio_report.html.j2",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
        _local.exporter = exporter
    return exporter


def failure_details(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    """The first error in an executed notebook: cell number, code, error name and message."""
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return {
                    "cell": number,
                    "cell_id": cell.get("id"),
                    "source": cell.source,
                    "ename": out.get("ename", ""),
                    "evalue": out.get("evalue", ""),
                }
    return None


def _md(text: str, cell_id: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell.id = cell_id
    return cell


def _banner(status: str, error: dict[str, Any] | None, message: str) -> str:
    lines = [f"<div class='cioa-failed'><h2>This report {html.escape(status)}</h2>"]
    if message:
        lines.append(f"<p>{html.escape(message)}</p>")
    if error:
        lines.append(
            f"<p>Code cell {error['cell']} (id {html.escape(str(error['cell_id']))}) raised <b>{html.escape(error['ename'])}</b>: "
            f"{html.escape(str(error['evalue']))}</p>"
            f"<pre>{html.escape(error['source'])}</pre>"
        )
    lines.append("<p>The full traceback is below, under the failing cell's output.</p></div>")
    return "\n".join(lines)


def _value_text(value: Any) -> str:
    """A run parameter as a reader sees it (no Python repr: no None, quotes or True).

    Examples
    --------
    >>> [_value_text(v) for v in (None, "", "data/x.csv", True, 0.12, 10000, [1, 2])]
    ['not set', 'not set', 'data/x.csv', 'yes', '0.12', '10000', '1, 2']
    """
    if value is None or value == "":
        return "not set"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(v) for v in value)
    return str(value)


def _details(parameters: dict[str, Any], inputs: dict[str, str], extra: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(_value_text(v))}</td></tr>"
        for k, v in parameters.items()
    )
    files = "".join(
        f"<li>{html.escape(k)}: <code>{html.escape(v)}</code></li>" for k, v in inputs.items()
    )
    meta = " · ".join(f"{html.escape(k)}: {html.escape(str(v))}" for k, v in extra.items())
    return (
        "<details class='cioa-run'><summary>Run details</summary>"
        f"<p>{meta}</p><table><tr><th>Parameter (as the notebook names it)</th><th>Value</th></tr>"
        f"{rows}</table>"
        + (f"<p>Input files (SHA-256):</p><ul>{files}</ul>" if files else "")
        + "</details>"
    )


def export_html(
    nb: nbformat.NotebookNode,
    path: str | Path,
    *,
    title: str,
    status: str = "ok",
    error: dict[str, Any] | None = None,
    message: str = "",
    parameters: dict[str, Any] | None = None,
    inputs: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> list[str]:
    """Write ``nb`` as a management HTML report (no code, no prompts) to ``path``.

    Returns the warnings nbconvert logged while rendering (empty for a clean report).
    """
    nb = copy.deepcopy(nb)
    if status != "ok":
        nb.cells.insert(0, _md(_banner(status, error, message), "cioa-failure"))
    if parameters is not None:
        nb.cells.append(_md(_details(parameters, inputs or {}, extra or {}), "cioa-run-details"))
    exporter = _exporter()
    handler = _Collect()
    logger = exporter.log
    logger.addHandler(handler)
    try:
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    finally:
        logger.removeHandler(handler)
    Path(path).write_text(body, encoding="utf-8")
    return handler.messages
