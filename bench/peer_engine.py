"""scikit-learn peer of bench/swift (shopseg-bench): same commands, same files, same JSON.

    python peer_engine.py kmeans     X.f64 COLS K MAX_ITER TOL SEED [LABELS_OUT|-] [INIT.f64]
    python peer_engine.py kmeans-init X.f64 COLS K SEED INIT_OUT   (sklearn's k-means++ centres, float64)
    python peer_engine.py dbscan     X.f64 COLS EPS MIN_SAMPLES [LABELS_OUT]
    python peer_engine.py ward       X.f64 COLS K [LABELS_OUT]
    python peer_engine.py silhouette X.f64 COLS LABELS_IN

Only the fit / score is timed (not imports or file reading), as in shopseg-bench.
"""
import json
import sys
import time

import numpy as np


def matrix(path, cols):
    return np.fromfile(path, dtype="<f8").reshape(-1, int(cols))


def labels_out(labels, path):
    if path:
        np.savetxt(path, np.asarray(labels, dtype=np.int64), fmt="%d")


def main(argv):
    cmd = argv[1]
    if cmd == "kmeans":
        from sklearn.cluster import KMeans
        x = matrix(argv[2], argv[3])
        init = matrix(argv[9], argv[3]) if len(argv) > 9 else "k-means++"
        km = KMeans(n_clusters=int(argv[4]), algorithm="lloyd", n_init=1, max_iter=int(argv[5]),
                    tol=float(argv[6]), random_state=int(argv[7]), init=init)
        t = time.perf_counter(); km.fit(x); s = time.perf_counter() - t
        labels_out(km.labels_, argv[8] if len(argv) > 8 and argv[8] != "-" else None)
        out = {"seconds": s, "inertia": float(km.inertia_), "iterations": int(km.n_iter_), "rows": x.shape[0]}
    elif cmd == "kmeans-init":
        from sklearn.cluster import kmeans_plusplus
        x = matrix(argv[2], argv[3])
        centres, _ = kmeans_plusplus(x, n_clusters=int(argv[4]), random_state=int(argv[5]))
        np.ascontiguousarray(centres, dtype="<f8").tofile(argv[6])
        out = {"rows": x.shape[0]}
    elif cmd == "dbscan":
        from sklearn.cluster import DBSCAN
        x = matrix(argv[2], argv[3])
        db = DBSCAN(eps=float(argv[4]), min_samples=int(argv[5]))
        t = time.perf_counter(); db.fit(x); s = time.perf_counter() - t
        labels_out(db.labels_, argv[6] if len(argv) > 6 else None)
        lab = db.labels_
        out = {"seconds": s, "clusters": int(lab.max() + 1), "noise": int((lab < 0).sum()), "rows": x.shape[0]}
    elif cmd == "ward":
        from sklearn.cluster import AgglomerativeClustering
        x = matrix(argv[2], argv[3])
        ag = AgglomerativeClustering(n_clusters=int(argv[4]), linkage="ward")
        t = time.perf_counter(); ag.fit(x); s = time.perf_counter() - t
        labels_out(ag.labels_, argv[5] if len(argv) > 5 else None)
        out = {"seconds": s, "clusters": int(ag.n_clusters_), "rows": x.shape[0]}
    elif cmd == "silhouette":
        from sklearn.metrics import silhouette_score
        x = matrix(argv[2], argv[3])
        labels = np.loadtxt(argv[4], dtype=np.int64)
        t = time.perf_counter(); v = silhouette_score(x, labels); s = time.perf_counter() - t
        out = {"seconds": s, "value": float(v), "rows": x.shape[0]}
    else:
        sys.exit(f"unknown command {cmd}")
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv)
