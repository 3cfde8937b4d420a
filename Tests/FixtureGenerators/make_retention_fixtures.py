#!/usr/bin/env python3
"""Reference fixtures for the retention models (BG/NBD, Gamma-Gamma, CLV).

Input: the CDNOW 1/10 sample, /work/shared/data/cdnow/CDNOW_sample.txt (or the
path in $CDNOW_SAMPLE), taken unchanged from the MIT-licensed PyPI package
Lifetimes 0.11.3 (lifetimes/datasets/CDNOW_sample.txt; see SOURCE.md next to it).
Layout: whitespace-separated `master_id sample_id yyyymmdd number_of_cds dollars`,
no header. Customer ids are kept as strings (`sample_id`).

Per-customer summary rules (those of Fader, Hardie & Lee 2005 and of lifetimes'
`summary_data_from_transaction_data(freq="D")` followed by division by 7):
  * only purchases dated on or before the calibration end 1997-09-30 count;
  * all lines of one customer on one day are ONE purchase; its amount is the
    sum of the day's dollar values;
  * the first purchase day is not a repeat purchase;
    frequency x = number of distinct purchase days - 1;
  * recency t_x = (last purchase day - first purchase day) in days / 7;
  * age T = (calibration end - first purchase day) in days / 7;
  * mean_value = mean of the day amounts of the repeat days (first day
    excluded); 0 when x = 0.
Every customer in the sample first bought in 1997 Q1, so all 2,357 are kept.

Reference fits: our own scipy reimplementation of the two log-likelihoods
(the `lifetimes` package does not import with numpy 2), maximised with
scipy.optimize (Nelder-Mead on log-parameters, then a BFGS polish), plus the
per-customer predictions for a few customers evaluated with scipy.special.hyp2f1.

Output: Tests/Fixtures/engine/retention_cdnow.json (summary as parallel arrays).
"""
import datetime as dt
import json
import os
import platform
import sys

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln, hyp2f1

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Fixtures", "engine", "retention_cdnow.json")
SAMPLE = os.environ.get("CDNOW_SAMPLE", "/work/shared/data/cdnow/CDNOW_sample.txt")
CAL_END = dt.date(1997, 9, 30)


def summary(path):
    days = {}  # sample_id -> {date: summed amount}
    order = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            cid, ymd, amount = parts[1], parts[2], float(parts[4])
            d = dt.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            if cid not in days:
                days[cid] = {}
                order.append(cid)
            if d > CAL_END:
                continue
            days[cid][d] = days[cid].get(d, 0.0) + amount
    ids, x, tx, T, m = [], [], [], [], []
    for cid in order:
        dd = sorted(days[cid])
        if not dd:
            continue  # no purchase in the calibration period (none in this sample)
        first, last = dd[0], dd[-1]
        ids.append(cid)
        x.append(len(dd) - 1)
        tx.append((last - first).days / 7.0)
        T.append((CAL_END - first).days / 7.0)
        repeats = [days[cid][d] for d in dd[1:]]
        m.append(sum(repeats) / len(repeats) if repeats else 0.0)
    return ids, np.array(x, float), np.array(tx), np.array(T), np.array(m)


def bgnbd_ll(params, x, tx, T):
    r, alpha, a, b = params
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def gg_ll(params, x, m):
    p, q, v = params
    return (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(v)
            + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(v + m * x))


def fit(nll, x0):
    f = lambda lp: nll(np.exp(lp))
    best = minimize(f, np.log(x0), method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000, "maxfev": 40000})
    for _ in range(3):  # restarts from the optimum, as simplexes can stall
        nxt = minimize(f, best.x, method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000, "maxfev": 40000})
        if nxt.fun < best.fun:
            best = nxt
    polish = minimize(f, best.x, method="BFGS", options={"gtol": 1e-10})
    if polish.fun < best.fun:
        best = polish
    return np.exp(best.x), -best.fun


def p_alive(params, x, tx, T):
    r, alpha, a, b = params
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))


def expected(params, t, x, tx, T):
    r, alpha, a, b = params
    z = t / (alpha + T + t)
    h = hyp2f1(r + x, b + x, a + b + x - 1, z)
    num = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * h)
    den = 1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x)
    return num / den


def expected_new(params, t):
    r, alpha, a, b = params
    h = hyp2f1(r, b, a + b - 1, t / (alpha + t))
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * h)


def gg_mean(params, x, m):
    p, q, v = params
    return (v + m * x) * p / (p * x + q - 1)


def clv(bg, gg, x, tx, T, m, months=12, rate=0.01, per_month=4.345):
    value = gg_mean(gg, x, m) if x > 0 else gg[2] * gg[0] / (gg[1] - 1)
    total = 0.0
    for k in range(1, months + 1):
        i = k * per_month
        n = expected(bg, i, x, tx, T) - expected(bg, i - per_month, x, tx, T)
        total += value * n / (1 + rate) ** k
    return total


def main():
    ids, x, tx, T, m = summary(SAMPLE)
    n = len(ids)
    bg, bg_ll = fit(lambda p: -bgnbd_ll(p, x, tx, T).sum() / n, [1.0, 1.0, 1.0, 1.0])
    rep = x > 0
    # A smaller sample (first 300 customers) whose maximum is still interior.
    sub, sub_ll = fit(lambda p: -bgnbd_ll(p, x[:300], tx[:300], T[:300]).sum() / 300, [1.0, 1.0, 1.0, 1.0])
    gg, gg_ll_mean = fit(lambda p: -gg_ll(p, x[rep], m[rep]).sum() / rep.sum(), [1.0, 1.0, 1.0])
    # A few customers: first ones, one with x = 0, the largest x, one with t_x = T.
    picks = sorted(set([0, 1, 2, int(np.argmax(x)), int(np.argmin(x)),
                        int(np.argmax(np.where(rep, m, 0)))]
                       + [i for i in range(n) if x[i] > 0 and tx[i] == T[i]][:1]))
    customers = []
    for i in picks:
        c = {"index": i, "frequency": x[i], "recency": tx[i], "age": T[i], "mean_value": m[i],
             "p_alive": p_alive(bg, x[i], tx[i], T[i]),
             "expected_purchases_39": expected(bg, 39.0, x[i], tx[i], T[i]),
             "expected_purchases_52": expected(bg, 52.0, x[i], tx[i], T[i]),
             "clv_12_months": clv(bg, gg, x[i], tx[i], T[i], m[i])}
        if x[i] > 0:
            c["expected_average_value"] = gg_mean(gg, x[i], m[i])
        customers.append(c)
    # Synthetic customers for edge cases: t_x = T, x = 0, a large x, a late repeat.
    synthetic = []
    for (xs, txs, Ts, ms) in [(5.0, 30.0, 30.0, 20.0), (0.0, 0.0, 12.5, 0.0), (60.0, 38.0, 38.5, 11.0),
                              (1.0, 0.5, 38.0, 250.0), (3.0, 2.0, 39.0, 35.0)]:
        c = {"frequency": xs, "recency": txs, "age": Ts, "mean_value": ms,
             "p_alive": p_alive(bg, xs, txs, Ts),
             "expected_purchases_39": expected(bg, 39.0, xs, txs, Ts),
             "expected_purchases_52": expected(bg, 52.0, xs, txs, Ts),
             "clv_12_months": clv(bg, gg, xs, txs, Ts, ms)}
        if xs > 0:
            c["expected_average_value"] = gg_mean(gg, xs, ms)
        synthetic.append(c)
    doc = {
        "source": "CDNOW_sample.txt from PyPI Lifetimes 0.11.3 (see /work/shared/data/cdnow/SOURCE.md); "
                  "summary and fits by Tests/FixtureGenerators/make_retention_fixtures.py",
        "calibration_end": CAL_END.isoformat(), "time_unit": "week",
        "versions": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
        "customer_ids": ids,
        "frequency": [int(v) for v in x],
        "recency_days": [int(round(v * 7)) for v in tx],
        "age_days": [int(round(v * 7)) for v in T],
        "mean_value": [float(v) for v in m],
        "bgnbd": {"r": bg[0], "alpha": bg[1], "a": bg[2], "b": bg[3],
                  "log_likelihood": bg_ll * n,
                  "new_customer_t": [1.0, 39.0, 78.0],
                  "new_customer_expected_purchases": [expected_new(bg, t) for t in (1.0, 39.0, 78.0)]},
        "bgnbd_first_300": {"r": sub[0], "alpha": sub[1], "a": sub[2], "b": sub[3],
                            "log_likelihood": sub_ll * 300},
        "gamma_gamma": {"p": gg[0], "q": gg[1], "gamma": gg[2], "log_likelihood": gg_ll_mean * rep.sum(),
                        "customer_count": int(rep.sum())},
        "clv_settings": {"horizon_months": 12, "monthly_discount_rate": 0.01, "time_units_per_month": 4.345},
        "customers": customers,
        "synthetic_customers": synthetic,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("n", n, "repeaters", int(rep.sum()), "bg", bg, bg_ll * n, "gg", gg, gg_ll_mean * rep.sum())
    print("x=0 with m", int(((x > 0) & (m <= 0)).sum()), "picks", picks)


if __name__ == "__main__":
    main()
