"""Reference fixtures for feature preparation options and PCA.

Writes Tests/Fixtures/engine/prep_<case>.json and pca_<case>.json with
scikit-learn / numpy / scipy results. Deterministic (fixed seeds).

Preparation reference pipeline (what shopseg's FeaturePreparation claims to match):
SimpleImputer(strategy) -> optional np.clip to np.quantile(column, [lo, hi])
(method "linear", on the imputed column) -> optional log1p / signed log1p chosen
per column -> StandardScaler | RobustScaler | MinMaxScaler | nothing.
No case has a constant column (shopseg drops those; scikit-learn keeps them).

PCA reference: sklearn.decomposition.PCA(svd_solver="full").
"""
import json
import math
import os

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.decomposition import PCA
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

OUT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "engine")
VERSIONS = {"scikit_learn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def flat(a):
    """Row-major list of floats; NaN written as the string "nan" (the Swift decoder maps it back)."""
    return ["nan" if math.isnan(v) else float(v) for v in np.asarray(a, dtype=float).ravel()]


def write(name, payload):
    payload = {"name": name, "versions": VERSIONS, **payload}
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(payload, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


# ---------------------------------------------------------------- preparation

def signed_log1p(v):
    return np.sign(v) * np.log1p(np.abs(v))


def prep_reference(X, impute, winsor, transform, scaler, skew_threshold=1.0):
    imputer = SimpleImputer(strategy=impute).fit(X)
    steps = {"imputed": imputer.statistics_}

    def forward(A, fitting):
        A = imputer.transform(A)
        if winsor is not None:
            if fitting:
                steps["clip_low"] = np.quantile(A, winsor[0], axis=0)
                steps["clip_high"] = np.quantile(A, winsor[1], axis=0)
            A = np.clip(A, steps["clip_low"], steps["clip_high"])
        if fitting:
            kinds = []
            for j in range(A.shape[1]):
                col = A[:, j]
                log_kind = "log1p" if col.min() >= 0 else "signedLog1p"
                if transform == "none":
                    kinds.append("none")
                elif transform == "log1p":
                    kinds.append(log_kind)
                else:
                    kinds.append(log_kind if scipy.stats.skew(col) > skew_threshold else "none")
            steps["transforms"] = kinds
        A = A.copy()
        for j, kind in enumerate(steps["transforms"]):
            if kind == "log1p":
                A[:, j] = np.log1p(A[:, j])
            elif kind == "signedLog1p":
                A[:, j] = signed_log1p(A[:, j])
        return A

    T = forward(X, True)
    assert all(np.ptp(T[:, j]) > 0 for j in range(T.shape[1])), "no constant columns in fixtures"
    if scaler == "standard":
        s = StandardScaler().fit(T)
        centre, scale = s.mean_, s.scale_
    elif scaler == "robust":
        s = RobustScaler().fit(T)
        centre, scale = s.center_, s.scale_
    elif scaler == "minmax":
        s = MinMaxScaler().fit(T)
        centre, scale = s.data_min_, s.data_range_
    else:
        s = None
        centre, scale = np.zeros(T.shape[1]), np.ones(T.shape[1])

    def finish(A):
        return s.transform(A) if s is not None else A

    return steps, centre, scale, finish(T), lambda A: finish(forward(A, False))


def prep_data(seed, n):
    rng = np.random.default_rng(seed)
    spend = rng.lognormal(mean=3.0, sigma=1.2, size=n)                 # heavy right tail, >= 0
    tenure = rng.normal(loc=0.0, scale=4.0, size=n)                    # symmetric, negatives
    balance = rng.lognormal(mean=1.0, sigma=1.0, size=n) - 3.0         # skewed, some negatives
    returns = np.where(rng.random(n) < 0.8, 0.0, rng.integers(1, 6, size=n).astype(float))  # IQR 0
    X = np.column_stack([spend, tenure, balance, returns])
    mask = rng.random(X.shape) < 0.1
    X[mask] = np.nan
    return X


PREP_CASES = [
    # name, impute, winsorize, transform, scaler
    ("prep_standard_median", "median", None, "none", "standard"),
    ("prep_robust_mean", "mean", None, "none", "robust"),
    ("prep_minmax_winsor", "median", (0.05, 0.95), "none", "minmax"),
    ("prep_auto_robust", "median", None, "auto", "robust"),
    ("prep_log1p_standard_winsor", "mean", (0.01, 0.99), "log1p", "standard"),
    ("prep_none_none", "mean", None, "none", "none"),
]


def make_prep():
    names = ["spend", "tenure", "balance", "returns"]
    for i, (name, impute, winsor, transform, scaler) in enumerate(PREP_CASES):
        X = prep_data(100 + i, 61)
        X_new = prep_data(200 + i, 6)
        steps, centre, scale, out, apply_new = prep_reference(X, impute, winsor, transform, scaler)
        d = X.shape[1]
        write(name, {
            "rows": X.shape[0], "columns": d, "column_names": names,
            "impute": impute, "winsorize": list(winsor) if winsor else None,
            "transform": transform, "scaler": scaler, "skew_threshold": 1.0,
            "x": flat(X),
            "imputed_values": flat(steps["imputed"]),
            "clip_lows": flat(steps["clip_low"]) if winsor else None,
            "clip_highs": flat(steps["clip_high"]) if winsor else None,
            "transforms": steps["transforms"],
            "centres": flat(centre), "scales": flat(scale),
            "prepared": flat(out),
            "new_rows": X_new.shape[0], "x_new": flat(X_new), "prepared_new": flat(apply_new(X_new)),
        })


# ---------------------------------------------------------------- PCA

def sign_rule_is_stable(components, rows):
    """The svd_flip decision must not hinge on rounding: top two |entries| well apart."""
    for r in components[:rows]:
        a = np.sort(np.abs(r))[::-1]
        if len(a) > 1 and a[0] - a[1] < 1e-6:
            return False
    return True


def make_pca_case(name, X, n_components, X_new, compare=None):
    pca = PCA(n_components=n_components, svd_solver="full").fit(X)
    k = pca.n_components_
    compare = k if compare is None else min(compare, k)
    assert sign_rule_is_stable(pca.components_, compare), name
    write(name, {
        "rows": X.shape[0], "columns": X.shape[1],
        "n_components": n_components if isinstance(n_components, int) else None,
        "fraction": n_components if isinstance(n_components, float) else None,
        "x": flat(X),
        "n_components_fitted": int(k),
        "compare_components": int(compare),
        "mean": flat(pca.mean_),
        "components": flat(pca.components_),
        "explained_variance": flat(pca.explained_variance_),
        "explained_variance_ratio": flat(pca.explained_variance_ratio_),
        "singular_values": flat(pca.singular_values_),
        "scores": flat(pca.transform(X)),
        "new_rows": X_new.shape[0], "x_new": flat(X_new), "scores_new": flat(pca.transform(X_new)),
    })


def make_pca():
    rng = np.random.default_rng(7)
    mix = rng.normal(size=(5, 5))
    X = rng.normal(size=(40, 5)) * np.array([3.0, 2.0, 1.0, 0.5, 0.2]) @ mix + 10.0
    make_pca_case("pca_count", X, 3, rng.normal(size=(4, 5)) * 3 + 10)

    rng = np.random.default_rng(8)
    mix = rng.normal(size=(6, 6))
    X = rng.normal(size=(50, 6)) * np.array([4.0, 2.5, 1.5, 0.6, 0.3, 0.1]) @ mix
    make_pca_case("pca_fraction", X, 0.9, rng.normal(size=(3, 6)))

    rng = np.random.default_rng(9)
    B = rng.normal(size=(30, 3)) * np.array([2.0, 1.0, 0.5])
    X = np.column_stack([B[:, 0], B[:, 1], B[:, 2], B[:, 0] + 2.0 * B[:, 1]])   # rank 3
    make_pca_case("pca_rank_deficient", X, None, rng.normal(size=(3, 4)))

    rng = np.random.default_rng(10)
    X = rng.normal(loc=5.0, scale=2.0, size=(20, 1))
    make_pca_case("pca_d1", X, None, np.array([[0.0], [5.0], [12.5]]))

    rng = np.random.default_rng(11)
    X = rng.normal(size=(4, 6))
    # n < d: only n − 1 = 3 directions have variance; the 4th component is any unit
    # vector of a 3-dimensional null space, so only 3 are compared.
    make_pca_case("pca_wide", X, None, rng.normal(size=(2, 6)), compare=3)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    make_prep()
    make_pca()
