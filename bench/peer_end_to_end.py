"""pandas + scikit-learn peer of `shopseg load events` + `shopseg build` (k chosen in 4–10).

    python peer_end_to_end.py EVENTS.csv ITEMS.csv OUT.db

What it does, as a notebook would, mirroring shopseg's defaults:
  1. read the events CSV and store it in SQLite (`events`, pandas to_sql);
  2. the features of user_features (bench/peer_features.py);
  3. prepare: median imputation, drop constant columns, log1p (sign·log1p|x| with negatives)
     of columns with skewness > 1, standard scaling;
  4. k = 4..10 (shopseg's default range): KMeans(lloyd, n_init=10, random_state=0), silhouette (sample of 30,000 when
     larger, random_state=0); keep the k with the highest silhouette;
  5. PCA to 2 components for plotting coordinates;
  6. profiles: per segment and feature the mean, the population mean, z-score and lift;
  7. write user_segments, segments, segment_profiles, runs to SQLite in one transaction.
It does not compute what shopseg's build also does (RFM scores, BG/NBD and Gamma-Gamma
retention, stable segment ids, campaigns, the stored model).
Prints {"seconds", "k", "silhouette", "users"} as JSON.
"""
import json
import sqlite3
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import skew
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score

import peer_features


def prepare(f):
    x = f.astype(float)
    x = x.loc[:, x.notna().any()]
    x = x.fillna(x.median())
    x = x.loc[:, x.std(ddof=0) > 0]
    for c in x.columns:
        v = x[c].to_numpy()
        if skew(v) > 1:
            x[c] = np.sign(v) * np.log1p(np.abs(v)) if (v < 0).any() else np.log1p(v)
    v = x.to_numpy()
    return (v - v.mean(axis=0)) / v.std(axis=0)


def main(argv):
    events_csv, items_csv, out_db = argv[1], argv[2], argv[3]
    t0 = time.perf_counter()
    df = peer_features.read_events(events_csv)
    items = pd.read_csv(items_csv, dtype=str)
    con = sqlite3.connect(out_db)
    df.to_sql("events", con, if_exists="replace", index=False, chunksize=100_000)
    items.to_sql("items", con, if_exists="replace", index=False)
    con.commit()

    f = peer_features.user_features(df, items)
    x = prepare(f)
    best = None
    sample = min(len(x), 30_000)
    for k in range(4, 11):
        km = KMeans(n_clusters=k, algorithm="lloyd", n_init=10, random_state=0).fit(x)
        s = silhouette_score(x, km.labels_, sample_size=sample if sample < len(x) else None, random_state=0)
        if best is None or s > best[0] + 1e-12:
            best = (s, k, km)
    s, k, km = best
    pcs = PCA(n_components=2, random_state=0).fit_transform(x)

    labels = km.labels_
    seg = pd.DataFrame({"user_id": f.index, "segment_id": labels, "pc1": pcs[:, 0], "pc2": pcs[:, 1],
                        "distance": np.sqrt(((x - km.cluster_centers_[labels]) ** 2).sum(axis=1))})
    sizes = seg.groupby("segment_id").size()
    segments = pd.DataFrame({"segment_id": sizes.index, "users": sizes.values, "share": sizes.values / len(seg)})
    pop_mean, pop_std = f.mean(), f.std(ddof=0)
    means = f.groupby(labels).mean()
    prof = means.stack().rename("mean").reset_index()
    prof.columns = ["segment_id", "feature", "mean"]
    prof["population_mean"] = prof["feature"].map(pop_mean)
    prof["z_score"] = (prof["mean"] - prof["population_mean"]) / prof["feature"].map(pop_std)
    prof["lift"] = prof["mean"] / prof["population_mean"]

    with con:
        seg.to_sql("user_segments", con, if_exists="replace", index=False)
        segments.to_sql("segments", con, if_exists="replace", index=False)
        prof.to_sql("segment_profiles", con, if_exists="replace", index=False)
        pd.DataFrame({"k": [k], "silhouette": [s], "inertia": [km.inertia_]}).to_sql(
            "runs", con, if_exists="replace", index=False)
    con.close()
    print(json.dumps({"seconds": time.perf_counter() - t0, "k": int(k), "silhouette": float(s), "users": len(f)}))


if __name__ == "__main__":
    main(sys.argv)
