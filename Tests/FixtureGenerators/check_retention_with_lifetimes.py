#!/usr/bin/env python3
"""Independent cross-check of the retention fixtures with the `lifetimes` package.

Not in requirements.txt (lifetimes is unmaintained); run in its own venv:

    python3 -m venv /tmp/retention-venv
    /tmp/retention-venv/bin/pip install lifetimes==0.11.3   # pulled numpy 2.4.6, pandas 3.1.1, scipy 1.17.1
    /tmp/retention-venv/bin/python Tests/FixtureGenerators/check_retention_with_lifetimes.py

It rebuilds the per-customer summary with lifetimes'
`summary_data_from_transaction_data(freq="D", observation_period_end="1997-09-30")`
(recency and T divided by 7 for weeks), checks that it equals the summary in
retention_cdnow.json, fits `BetaGeoFitter` and `GammaGammaFitter` (defaults, no
penalizer) and writes Tests/Fixtures/engine/retention_lifetimes.json with the
parameters and the predictions for the first five customers.
"""
import json
import os

import lifetimes
import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Fixtures", "engine")
SAMPLE = os.environ.get("CDNOW_SAMPLE", "/work/shared/data/cdnow/CDNOW_sample.txt")

rows = []
with open(SAMPLE) as f:
    for line in f:
        p = line.split()
        if p:
            rows.append((p[1], pd.Timestamp(p[2]), float(p[4])))
df = pd.DataFrame(rows, columns=["id", "date", "value"])
s = summary_data_from_transaction_data(df, "id", "date", monetary_value_col="value",
                                       observation_period_end="1997-09-30", freq="D")
s[["recency", "T"]] /= 7
fx = json.load(open(os.path.join(FIXTURES, "retention_cdnow.json")))
s = s.loc[fx["customer_ids"]]
assert (s["frequency"].values == np.array(fx["frequency"])).all()
assert np.abs(s["recency"].values * 7 - np.array(fx["recency_days"])).max() < 1e-9
assert np.abs(s["T"].values * 7 - np.array(fx["age_days"])).max() < 1e-9
assert np.abs(s["monetary_value"].values - np.array(fx["mean_value"])).max() < 1e-9

bg = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
rep = s[s["frequency"] > 0]
gg = GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
c = s.iloc[:5]
out = {
    "versions": {"lifetimes": lifetimes.__version__, "numpy": np.__version__, "pandas": pd.__version__},
    "bgnbd": {k: float(v) for k, v in bg.params_.items()},
    "gamma_gamma": {"p": float(gg.params_["p"]), "q": float(gg.params_["q"]), "gamma": float(gg.params_["v"])},
    "frequency": [int(v) for v in c["frequency"]],
    "recency": [float(v) for v in c["recency"]],
    "age": [float(v) for v in c["T"]],
    "mean_value": [float(v) for v in c["monetary_value"]],
    "p_alive": [float(v) for v in bg.conditional_probability_alive(c["frequency"], c["recency"], c["T"])],
    "expected_purchases_39": [float(v) for v in bg.conditional_expected_number_of_purchases_up_to_time(
        39, c["frequency"], c["recency"], c["T"])],
    "expected_average_value": [float(v) for v in gg.conditional_expected_average_profit(
        c["frequency"], c["monetary_value"])],
    "clv_12_months": [float(v) for v in gg.customer_lifetime_value(
        bg, c["frequency"], c["recency"], c["T"], c["monetary_value"], time=12, discount_rate=0.01, freq="W")],
}
with open(os.path.join(FIXTURES, "retention_lifetimes.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print(json.dumps(out["bgnbd"]), json.dumps(out["gamma_gamma"]))
