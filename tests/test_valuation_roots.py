"""Several rates of return: the root rule, the exhaustive cascade and what a report shows.

Known answers: the two-root project (-100, 230, -132: 10 % and 20 %) of Brealey, Myers and
Allen, *Principles of Corporate Finance*, "Pitfall 2: multiple rates of return"; a
three-root polynomial built from its roots.
"""

from __future__ import annotations

import numpy as np
import pytest

from cio_analytics.exceptions import ParameterError
from cio_analytics.valuation import SEVERAL_RATES_LABEL, irr, xirr


def flows_with_rates(*rates: float) -> list[float]:
    """Cash flows whose NPV is zero exactly at ``rates``: prod (1 - (1 + r) x) in x = 1/(1+r)
    expanded, coefficients of x^j being the flow of period j."""
    poly = np.array([1.0])
    for r in rates:
        poly = np.convolve(poly, [1.0, -(1.0 + r)])
    return list(poly)


def test_root_rules_on_the_textbook_two_root_project():
    """Brealey-Myers-Allen: -100, 230, -132 has IRRs of 10 % and 20 %. nearest (Excel, the
    default) follows the guess; smallest takes 10 %; all returns both."""
    flows = [-100, 230, -132]
    assert irr(flows) == pytest.approx(0.10, abs=1e-12)
    assert irr(flows, guess=0.3) == pytest.approx(0.20, abs=1e-12)
    assert irr(flows, guess=0.3, root="smallest") == pytest.approx(0.10, abs=1e-12)
    np.testing.assert_allclose(irr(flows, root="all"), [0.1, 0.2], atol=1e-12)
    np.testing.assert_allclose(irr(flows, root="all"), irr(flows, all_roots=True))


def test_three_roots_found_exactly():
    """A row with three sign changes and rates -20 %, 5 % and 40 % gets all three."""
    flows = flows_with_rates(-0.2, 0.05, 0.4)
    assert np.count_nonzero(np.diff(np.sign(flows))) == 3
    np.testing.assert_allclose(irr(flows, root="all"), [-0.2, 0.05, 0.4], atol=1e-10)
    res = irr(flows, full_output=True)
    assert res.status == "several roots" and res.n_roots == 3


def test_cascade_matches_an_independent_search_on_many_rows():
    """Rows built from 1 to 4 known rates (in -50 %..300 %) get exactly those rates, periodic
    and dated (dates 365 days apart under ACT/365F are whole years, so the rates agree)."""
    rng = np.random.default_rng(11)
    rows, expected = [], []
    for _ in range(300):
        k = int(rng.integers(1, 5))
        rates = np.sort(rng.uniform(-0.5, 3.0, k))
        if k > 1 and np.diff(rates).min() < 0.02:
            continue
        rows.append(np.pad(flows_with_rates(*rates), (0, 5 - k)))
        expected.append(np.pad(rates, (0, 4 - k), constant_values=np.nan))
    v, want = np.array(rows), np.array(expected)
    got = irr(v, root="all")
    np.testing.assert_allclose(got[:, :4], want, rtol=1e-8, atol=1e-10)
    days = np.datetime64("2001-01-01") + 365 * np.arange(v.shape[1])
    dated = xirr(v, days, root="all")
    np.testing.assert_allclose(dated[:, :4], want, rtol=1e-8, atol=1e-10)


def test_report_fields_for_several_rates():
    """full_output tells a report which rows to show as 'several rates (see MIRR)'."""
    v = [[-100, 230, -132], [-100, 60, 60]]
    res = irr(v, full_output=True)
    assert list(res.several) == [True, False]
    assert np.isnan(res.unique_rate[0]) and res.unique_rate[1] == pytest.approx(res.rate[1])
    assert SEVERAL_RATES_LABEL == "several rates (see MIRR)"
    assert "MIRR" in res.summary().set_index("status").loc["several roots", "reason"]
    assert res.root == "nearest"


def test_root_rule_checked():
    """An unknown rule names the choices."""
    with pytest.raises(ParameterError, match="`root` must be one of 'nearest', 'smallest'"):
        irr([-100, 230, -132], root="largest")
