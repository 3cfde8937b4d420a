#!/usr/bin/env python3
"""scikit-learn parity fixtures for k-means, mini-batch k-means and the clustering metrics.

Writes Tests/Fixtures/engine/kmeans_*.json (relative to the package root, two
folders above this script):

  kmeans_lloyd.json       KMeans(init=<array>, n_init=1, algorithm="lloyd", max_iter, tol)
  kmeans_best_of_ten.json KMeans(n_clusters=k, n_init=10, random_state=0, algorithm="lloyd")
  kmeans_silhouette.json  sklearn.metrics.silhouette_score(x, labels, metric="euclidean")
  kmeans_metrics.json     davies_bouldin_score, calinski_harabasz_score, adjusted_rand_score
  kmeans_minibatch.json   MiniBatchKMeans(n_clusters=k, random_state=0, ...) labels and inertia

Run by hand with the pinned versions in requirements.txt (see README.md):

    python3 Tests/FixtureGenerators/make_kmeans_fixtures.py

Deterministic (fixed seeds). Cases are small and tie-free; matrices are stored as
`rows`, `columns` and a flat row-major `x`; numbers are written with repr(float).
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score,
                             davies_bouldin_score, silhouette_score)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "Fixtures", "engine")

VERSIONS = {
    "scikit_learn": sklearn.__version__,
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "python": sys.version.split()[0],
    "generator": "Tests/FixtureGenerators/make_kmeans_fixtures.py",
}


def floats(a):
    return [float(v) for v in np.ravel(a)]


def ints(a):
    return [int(v) for v in np.ravel(a)]


def matrix(x):
    return {"rows": int(x.shape[0]), "columns": int(x.shape[1]), "x": floats(x)}


def write(name, description, cases, **extra):
    path = os.path.join(OUT, f"{name}.json")
    with open(path, "w") as f:
        json.dump({"description": description, "versions": VERSIONS, **extra, "cases": cases}, f,
                  separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def nearest(x, centres):
    d = ((x[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    return d.argmin(axis=1)


def lloyd_case(name, x, init, max_iter=300, tol=1e-4):
    km = KMeans(n_clusters=len(init), init=init, n_init=1, algorithm="lloyd",
                max_iter=max_iter, tol=tol).fit(x)
    first = nearest(x, init)
    empty_at_start = [j for j in range(len(init)) if not np.any(first == j)]
    return {"name": name, **matrix(x), "k": len(init), "max_iter": max_iter, "tol": tol,
            "initial_centres": floats(init), "labels": ints(km.labels_),
            "centres": floats(km.cluster_centers_), "inertia": float(km.inertia_),
            "iteration_count": int(km.n_iter_), "empty_at_start": empty_at_start}


def best_case(name, x, k):
    km = KMeans(n_clusters=k, n_init=10, random_state=0, algorithm="lloyd").fit(x)
    return {"name": name, **matrix(x), "k": k, "inertia": float(km.inertia_)}


def silhouette_case(name, x, labels):
    return {"name": name, **matrix(x), "labels": ints(labels),
            "score": float(silhouette_score(x, labels, metric="euclidean"))}


def metrics_case(name, x, labels):
    return {"name": name, **matrix(x), "labels": ints(labels),
            "davies_bouldin": float(davies_bouldin_score(x, labels)),
            "calinski_harabasz": float(calinski_harabasz_score(x, labels)),
            "silhouette": float(silhouette_score(x, labels, metric="euclidean"))}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20240601)

    # ---- Lloyd runs from explicit centres -------------------------------------------
    lloyd = []
    # 200 × 3 blobs, 4 centres, initial centres = 4 random rows.
    blobs3, _ = make_blobs(n_samples=200, n_features=3, centers=4, cluster_std=1.5, random_state=0)
    lloyd.append(lloyd_case("blobs200x3", blobs3, blobs3[rng.choice(200, 4, replace=False)]))
    # 60 × 2 uniform noise, 5 clusters: many iterations, no structure.
    noise2 = rng.uniform(-3, 3, size=(60, 2))
    lloyd.append(lloyd_case("noise60x2", noise2, noise2[rng.choice(60, 5, replace=False)]))
    # 300 × 4 (more than one 256-row chunk), 3 clusters.
    blobs4, _ = make_blobs(n_samples=300, n_features=4, centers=3, cluster_std=2.0, random_state=1)
    lloyd.append(lloyd_case("blobs300x4", blobs4, blobs4[rng.choice(300, 3, replace=False)]))
    # Empty cluster on the first iteration: one initial centre far from all data.
    empty = rng.normal(size=(40, 2))
    init = np.vstack([empty[rng.choice(40, 2, replace=False)], [[50.0, 50.0]]])
    lloyd.append(lloyd_case("emptyCluster40x2", empty, init))
    # Relocation on three blobs: centres 1 and 2 start between blob A's points and
    # far away; centre 2 gets nothing, takes the point farthest from its centre.
    blobs_r, _ = make_blobs(n_samples=90, n_features=2, centers=[[0, 0], [8, 0], [0, 8]],
                            cluster_std=1.0, random_state=5)
    init_r = np.array([[4.0, 4.0], [-0.5, -0.2], [-40.0, 30.0]])
    lloyd.append(lloyd_case("relocation90x2", blobs_r, init_r))
    # Two empty clusters at once: they take the two farthest rows, farthest first
    # (NumPy's argpartition order, which equals descending distance here).
    init_2 = np.array([[4.0, 4.0], [60.0, -60.0], [-40.0, 30.0]])
    lloyd.append(lloyd_case("twoEmpty90x2", blobs_r, init_2))
    # Stopped by max_iter=2 (final assignment step without convergence).
    lloyd.append(lloyd_case("maxIter2noise60x2", noise2, noise2[:5], max_iter=2))
    # Stopped by a loose tolerance.
    lloyd.append(lloyd_case("looseTol200x3", blobs3, blobs3[:4], tol=0.5))
    for case in lloyd:
        if case["name"] in ("emptyCluster40x2", "relocation90x2", "twoEmpty90x2"):
            assert case["empty_at_start"], case["name"]
    write("kmeans_lloyd", "KMeans(init=initial_centres, n_init=1, algorithm='lloyd', max_iter, tol); "
          "empty_at_start lists clusters with no rows at the initial assignment (relocated)", lloyd)

    # ---- Seeded fits: best inertia over n_init=10 ---------------------------------------
    sep3, _ = make_blobs(n_samples=200, n_features=3, centers=4, cluster_std=0.5,
                         center_box=(-20, 20), random_state=3)
    sep2, _ = make_blobs(n_samples=150, n_features=2, centers=3, cluster_std=0.3,
                         center_box=(-10, 10), random_state=7)
    overlap, _ = make_blobs(n_samples=240, n_features=3, centers=6, cluster_std=2.5, random_state=11)
    write("kmeans_best_of_ten", "KMeans(n_clusters=k, n_init=10, random_state=0, algorithm='lloyd').inertia_",
          [best_case("separated200x3", sep3, 4), best_case("separated150x2", sep2, 3),
           best_case("overlapping240x3", overlap, 6)])

    # ---- Silhouette -------------------------------------------------------------------
    km_labels = KMeans(n_clusters=4, n_init=1, random_state=0).fit(blobs3).labels_
    noisy_labels = rng.randint(0, 4, size=60)
    noisy_labels[17] = 9  # a single-member cluster
    dup = np.repeat(rng.normal(size=(10, 2)), 3, axis=0)
    write("kmeans_silhouette", "silhouette_score(x, labels, metric='euclidean')",
          [silhouette_case("silhouetteBlobs200x3", blobs3, km_labels),
           silhouette_case("silhouetteNoise60x2", noise2, noisy_labels),
           silhouette_case("silhouetteDuplicates30x2", dup, np.arange(30) % 3)])

    # ---- Davies–Bouldin, Calinski–Harabasz (and silhouette) ---------------------------------
    noise_labelled = km_labels.copy()
    noise_labelled[::9] = -1  # -1 is just another label to scikit-learn
    same_centroid = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.0], [1.0, -1.0],
                              [5.0, 5.0], [6.0, 5.0], [5.5, 6.0]])
    metrics = [
        metrics_case("blobs200x3", blobs3, km_labels),
        metrics_case("noise60x2", noise2, noisy_labels),
        metrics_case("duplicates30x2", dup, np.arange(30) % 3),
        metrics_case("minusOneAsLabel200x3", blobs3, noise_labelled),
        # Clusters 0 and 1 have the same centroid (1, 0): DB divides by an inf distance.
        metrics_case("sharedCentroid7x2", same_centroid, np.array([0, 0, 1, 1, 2, 2, 2])),
    ]
    ari = []
    a = rng.randint(-1, 4, size=300)
    b = np.where(rng.uniform(size=300) < 0.7, a, rng.randint(0, 6, size=300))
    ari.append({"name": "randomWithNoise300", "a": ints(a), "b": ints(b),
                "score": float(adjusted_rand_score(a, b))})
    c = rng.randint(0, 3, size=50)
    ari.append({"name": "permutation50", "a": ints(c), "b": ints((c + 1) % 3 + 10),
                "score": float(adjusted_rand_score(c, (c + 1) % 3 + 10))})
    ari.append({"name": "singletonsVsOne8", "a": list(range(8)), "b": [0] * 8,
                "score": float(adjusted_rand_score(list(range(8)), [0] * 8))})
    ari.append({"name": "independent12", "a": [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
                "b": [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3],
                "score": float(adjusted_rand_score([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
                                                   [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]))})
    # Large n from formulas (tp·tn overflows 64 bits: n⁴ ≫ 2⁶³): a[i] = i % 3, b[i] = (i // 7) % 4 for i < n.
    n_big = 200_000
    i = np.arange(n_big)
    ari.append({"name": "formulaLarge", "n": n_big, "a": [], "b": [],
                "score": float(adjusted_rand_score(i % 3, (i // 7) % 4))})
    i_near = np.arange(n_big)
    a_near = i_near % 5
    b_near = np.where(i_near % 1000 == 0, (i_near + 1) % 5, a_near)
    ari.append({"name": "formulaLargeNear", "n": n_big, "a": [], "b": [],
                "score": float(adjusted_rand_score(a_near, b_near))})
    write("kmeans_metrics",
          "davies_bouldin_score, calinski_harabasz_score, silhouette_score (cases); adjusted_rand_score "
          "(ari). formulaLarge: a[i] = i % 3, b[i] = (i // 7) % 4; formulaLargeNear: a[i] = i % 5, "
          "b[i] = (i + 1) % 5 if i % 1000 == 0 else a[i]; for i < n",
          metrics, ari=ari)

    # ---- Mini-batch k-means -------------------------------------------------------------
    # Four well-separated blobs, values rounded to 3 decimals (exact in the file).
    mb_x, _ = make_blobs(n_samples=1600, n_features=2, centers=[[0, 0], [10, 0], [0, 10], [10, 10]],
                         cluster_std=0.8, random_state=21)
    mb_x = np.round(mb_x, 3)
    minibatch = []
    for name, params in [("default", {}), ("batch100", {"batch_size": 100}),
                         ("batch100tol", {"batch_size": 100, "tol": 1e-4})]:
        mbk = MiniBatchKMeans(n_clusters=4, random_state=0, **params).fit(mb_x)
        full = KMeans(n_clusters=4, n_init=10, random_state=0).fit(mb_x)
        minibatch.append({"name": name, "k": 4, "batch_size": params.get("batch_size", 1024),
                          "tol": params.get("tol", 0.0), "labels": ints(mbk.labels_),
                          "inertia": float(mbk.inertia_), "n_steps": int(mbk.n_steps_),
                          "iteration_count": int(mbk.n_iter_), "kmeans_inertia": float(full.inertia_)})
    write("kmeans_minibatch", "MiniBatchKMeans(n_clusters=k, random_state=0, batch_size, tol) on x; "
          "kmeans_inertia is KMeans(n_init=10, random_state=0) on the same x", minibatch, **matrix(mb_x))

if __name__ == "__main__":
    main()
