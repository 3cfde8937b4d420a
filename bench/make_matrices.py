"""Synthetic matrices for the engine benchmarks (raw little-endian float64, row-major).

    python make_matrices.py OUT_DIR

dbscan_200k_3.f64   196,000 points in 8 Gaussian blobs (σ 0.5) + 4,000 uniform noise, 3 columns
ward_20k_8.f64      20,000 points in 10 blobs, 8 columns
silhouette_50k_8.f64 + silhouette_50k_8.labels   50,000 points in 8 blobs, 8 columns, blob labels
Seeded (numpy / scikit-learn random_state=0): the same bytes every time.
"""
import os
import sys

import numpy as np
from sklearn.datasets import make_blobs


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    x, _ = make_blobs(n_samples=196_000, n_features=3, centers=8, cluster_std=0.5, center_box=(-10, 10),
                      random_state=0)
    noise = rng.uniform(x.min(axis=0), x.max(axis=0), size=(4_000, 3))
    x = np.vstack([x, noise])
    x = x[rng.permutation(len(x))]
    np.ascontiguousarray(x, dtype="<f8").tofile(os.path.join(out, "dbscan_200k_3.f64"))

    x, _ = make_blobs(n_samples=20_000, n_features=8, centers=10, random_state=0)
    np.ascontiguousarray(x, dtype="<f8").tofile(os.path.join(out, "ward_20k_8.f64"))

    x, y = make_blobs(n_samples=50_000, n_features=8, centers=8, cluster_std=2.0, random_state=0)
    np.ascontiguousarray(x, dtype="<f8").tofile(os.path.join(out, "silhouette_50k_8.f64"))
    np.savetxt(os.path.join(out, "silhouette_50k_8.labels"), y, fmt="%d")


if __name__ == "__main__":
    main(sys.argv[1])
