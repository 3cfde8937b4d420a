"""Reference fixtures for ShopsegEngine's DBSCAN (scikit-learn DBSCAN parity).

Writes Tests/Fixtures/engine/dbscan_<dataset>.json: one data set (n x d, flat
row-major `x`) and several runs of sklearn.cluster.DBSCAN (metric euclidean,
algorithm auto) with their exact `labels_` and `core_sample_indices_`.

Each file also has new rows (`new_x`) labelled for the first run by the rule
ShopsegEngine's DBSCANModel.predict documents (sklearn has no DBSCAN.predict):
the label of the nearest core sample within eps, else -1. That rule is computed
here independently with brute-force NumPy distances.

Data are continuous random draws (fixed seeds), so no distance equals eps
exactly and no two core samples are equally near a new row: the cases are
tie-free. Run: python3 Tests/FixtureGenerators/make_dbscan_fixtures.py
"""
import json
import os

import numpy as np
import scipy
import sklearn
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs, make_moons

OUT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "engine")


def with_noise(x, n_noise, rng, pad=1.0):
    lo, hi = x.min(axis=0) - pad, x.max(axis=0) + pad
    noise = rng.uniform(lo, hi, size=(n_noise, x.shape[1]))
    both = np.vstack([x, noise])
    return both[rng.permutation(len(both))]


def predict_rule(core_x, core_labels, eps, new_x):
    if len(core_x) == 0:
        return [-1] * len(new_x)
    d2 = ((new_x[:, None, :] - core_x[None, :, :]) ** 2).sum(axis=2)
    nearest = d2.argmin(axis=1)
    ok = d2[np.arange(len(new_x)), nearest] <= eps * eps
    return [int(core_labels[j]) if k else -1 for j, k in zip(nearest, ok)]


def case(name, x, runs, new_x):
    out_runs = []
    for eps, min_samples in runs:
        model = DBSCAN(eps=eps, min_samples=min_samples).fit(x)
        labels = model.labels_
        core = model.core_sample_indices_
        is_core = np.zeros(len(x), bool)
        is_core[core] = True
        # Border rows within eps of core samples of two or more clusters.
        d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)
        contested = 0
        for i in np.where(~is_core & (labels >= 0))[0]:
            reach = {int(labels[j]) for j in np.where((d2[i] <= eps * eps) & is_core)[0]}
            contested += len(reach) > 1
            # sklearn expands clusters in label order, so the lowest reachable wins.
            assert labels[i] == min(reach), (name, eps, min_samples, i)
        out_runs.append({
            "eps": float(eps),
            "min_samples": int(min_samples),
            "labels": [int(v) for v in labels],
            "core_sample_indices": [int(v) for v in core],
            "n_clusters": int(labels.max() + 1),
            "n_noise": int((labels == -1).sum()),
            "n_border": int((~is_core & (labels >= 0)).sum()),
            "n_contested_border": int(contested),
        })
        print(f"{name}: eps={eps} min_samples={min_samples} clusters={out_runs[-1]['n_clusters']} "
              f"core={len(core)} noise={out_runs[-1]['n_noise']} border={out_runs[-1]['n_border']} "
              f"contested={contested}")
    first = out_runs[0]
    core = np.array(first["core_sample_indices"], dtype=int)
    new_labels = predict_rule(x[core], np.array(first["labels"])[core], first["eps"], new_x)
    doc = {
        "name": name,
        "versions": {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "rows": int(x.shape[0]),
        "columns": int(x.shape[1]),
        "x": [float(v) for v in x.ravel()],
        "runs": out_runs,
        "new_rows": int(new_x.shape[0]),
        "new_x": [float(v) for v in new_x.ravel()],
        "new_labels": new_labels,
    }
    with open(os.path.join(OUT, f"dbscan_{name}.json"), "w") as f:
        # json writes floats with repr(), which round-trips exactly.
        json.dump(doc, f, separators=(",", ":"))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261129)

    x, _ = make_blobs(n_samples=240, centers=3, cluster_std=0.6, random_state=7)
    x = with_noise(x, 30, rng)
    new_x = rng.uniform(x.min(axis=0), x.max(axis=0), size=(40, 2))
    case("blobs_2d", x, [(0.5, 5), (0.3, 10), (0.8, 3), (0.01, 5), (0.4, 1)], new_x)

    x, _ = make_moons(n_samples=250, noise=0.08, random_state=3)
    x = with_noise(x, 20, rng, pad=0.3)
    new_x = rng.uniform(x.min(axis=0), x.max(axis=0), size=(40, 2))
    case("moons_2d", x, [(0.15, 5), (0.1, 4), (0.25, 8)], new_x)

    x, _ = make_blobs(n_samples=260, centers=4, n_features=3, cluster_std=0.8, random_state=11)
    x = with_noise(x, 30, rng)
    new_x = rng.uniform(x.min(axis=0), x.max(axis=0), size=(40, 3))
    case("blobs_3d", x, [(0.9, 6), (0.6, 4), (1.5, 12)], new_x)

    # Border rows between touching clusters: two dense 2-D bands bridged by a
    # sparse strip, so many non-core rows reach core samples of both clusters.
    a = rng.normal([0.0, 0.0], [0.35, 0.35], size=(90, 2))
    b = rng.normal([2.2, 0.0], [0.35, 0.35], size=(90, 2))
    bridge = np.column_stack([rng.uniform(0.6, 1.6, 14), rng.normal(0, 0.15, 14)])
    x = np.vstack([a, b, bridge])
    x = x[rng.permutation(len(x))]
    new_x = rng.uniform(x.min(axis=0), x.max(axis=0), size=(40, 2))
    case("border_2d", x, [(0.3, 10), (0.35, 12), (0.25, 7), (0.4, 20)], new_x)

    # Eight dimensions (k-d tree still) and 20 dimensions (brute force in both).
    x, _ = make_blobs(n_samples=150, centers=3, n_features=8, cluster_std=1.0, random_state=5)
    new_x = rng.uniform(x.min(axis=0), x.max(axis=0), size=(20, 8))
    case("blobs_8d", x, [(3.0, 5), (2.5, 8)], new_x)
    x, _ = make_blobs(n_samples=120, centers=3, n_features=20, cluster_std=1.0, random_state=9)
    new_x = x[:20] + rng.normal(0, 0.5, size=(20, 20))
    case("blobs_20d", x, [(5.0, 5), (4.5, 10)], new_x)


if __name__ == "__main__":
    main()
