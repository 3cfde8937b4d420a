"""Reference fixtures for Agglomerative (hierarchical) clustering.

Writes Tests/Fixtures/engine/agglomerative_<linkage>.json (one per linkage) and
agglomerative_threshold.json. Each case records:
  - x (rows x columns, row-major), tie-free (all pairwise distances distinct,
    all merge heights distinct), blobs with fixed seeds;
  - labels of sklearn AgglomerativeClustering(n_clusters=k, linkage=...) (or
    distance_threshold=t with n_clusters=None) and its n_clusters_;
  - linkage_matrix: scipy.cluster.hierarchy.linkage(x, method=...), flat
    (rows-1) x 4 row-major: left, right, distance, size.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import pdist
from sklearn.cluster import AgglomerativeClustering
from sklearn.datasets import make_blobs

OUT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "engine")
VERSIONS = {"scikit-learn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}


def blobs(n, d, centers, seed):
    x, _ = make_blobs(n_samples=n, n_features=d, centers=centers, cluster_std=1.0, random_state=seed)
    x = np.round(x, 6)
    dist = pdist(x)
    assert len(np.unique(dist)) == len(dist), "tied pairwise distances"
    return x


def case(name, x, method, n_clusters=None, distance_threshold=None):
    z = linkage(x, method=method)
    assert len(np.unique(z[:, 2])) == len(z), f"{name}: tied merge heights"
    model = AgglomerativeClustering(n_clusters=n_clusters, linkage=method,
                                    distance_threshold=distance_threshold).fit(x)
    return {
        "name": name,
        "linkage": method,
        "rows": int(x.shape[0]),
        "columns": int(x.shape[1]),
        "x": [float(v) for v in x.ravel()],
        "n_clusters": n_clusters,
        "distance_threshold": distance_threshold,
        "labels": [int(v) for v in model.labels_],
        "n_clusters_fitted": int(model.n_clusters_),
        "linkage_matrix": [float(v) for v in z.ravel()],
    }


def write(name, cases):
    path = os.path.join(OUT, f"{name}.json")
    with open(path, "w") as f:
        json.dump({"library_versions": VERSIONS, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(path, os.path.getsize(path), "bytes")


def main():
    small = blobs(60, 2, 3, seed=11)
    large = blobs(120, 5, 4, seed=12)
    for method in ("ward", "complete", "average", "single"):
        write(f"agglomerative_{method}", [
            case(f"{method}_60x2_k3", small, method, n_clusters=3),
            case(f"{method}_120x5_k4", large, method, n_clusters=4),
        ])
    # Thresholds halfway between two merge heights, so the cut is unambiguous.
    x = blobs(80, 3, 5, seed=13)
    cases = []
    for method, merges_left in (("ward", 4), ("average", 6), ("single", 3)):
        heights = linkage(x, method=method)[:, 2]
        t = float((heights[-merges_left] + heights[-merges_left - 1]) / 2)
        cases.append(case(f"{method}_80x3_threshold", x, method, distance_threshold=t))
    write("agglomerative_threshold", cases)

    # Ties: small integer grids with many equal distances and duplicate points.
    # SciPy's tie rules (chain start at the lowest id, ties to the previous chain
    # element then the lowest id; Prim from point 0, ties to the lowest index;
    # stable sort) fix the tree; complete, average and single must match it exactly.
    # (Ward is left out: its centroid formula and SciPy's Lance-Williams update
    # can differ in the last bit, which breaks exact ties differently.)
    rng = np.random.default_rng(14)
    cases = []
    for i, (n, d) in enumerate([(12, 1), (25, 2), (30, 2)]):
        x = rng.integers(0, 4, size=(n, d)).astype(float)
        for method in ("complete", "average", "single"):
            z = linkage(x, method=method)
            cases.append({
                "name": f"{method}_ties_{n}x{d}",
                "linkage": method,
                "rows": n,
                "columns": d,
                "x": [float(v) for v in x.ravel()],
                "linkage_matrix": [float(v) for v in z.ravel()],
            })
    write("agglomerative_ties", cases)


if __name__ == "__main__":
    main()
