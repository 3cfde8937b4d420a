"""Benchmark driver of scripts/bench.sh (run with the venv's python). See README "Benchmarks".

    python bench/run.py --shopseg BIN --bench BIN --work DIR --sizes 10k,100k --runs 3 --report BENCHMARKS.md

Every measurement is a fresh child process: wall time, and peak resident set from GNU time (%M). Engine steps (k-means, DBSCAN, Ward, silhouette, preparation) report the
fit time measured inside the process on both sides (file reading and interpreter start excluded).
Medians of --runs runs. Ratio = shopseg / peer (lower is better).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PY = sys.executable


def run(cmd, cwd=None, check=True):
    """Runs cmd; returns (wall seconds, peak RSS in MiB, stdout text).

    The peak resident set comes from GNU time (`/usr/bin/time -f %M`), which forks the command from
    its own small process: ru_maxrss of a child forked straight from this driver would include the
    driver's own resident set (Linux keeps the high-water mark across exec).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rss_file:
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-q", "-f", "%M", "-o", rss_file.name] + cmd, cwd=cwd,
                           stdout=out, stderr=err)
        wall = time.perf_counter() - t
        out.seek(0); err.seek(0)
        text, etext = out.read().decode(), err.read().decode()
        rss_lines = [line for line in rss_file.read().splitlines() if line.strip().isdigit()]
    if check and p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{etext[-2000:]}")
    rss = int(rss_lines[-1]) / 1024.0 if rss_lines else float("nan")
    return wall, rss, text


def jrun(cmd):
    wall, rss, text = run(cmd)
    return wall, rss, json.loads(text.strip().splitlines()[-1])


def med(xs):
    return statistics.median(xs)


def parse_size(s):
    s = s.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(s[-1], 1)
    return int(float(s[:-1] if s[-1] in "km" else s) * mult)


def label(n):
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def log(msg):
    print(f"[{datetime.datetime.now().strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def same_partition(a, b):
    """Equal up to renaming of the labels (noise -1 must stay noise)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or not np.array_equal(a < 0, b < 0):
        return False
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len({p[0] for p in pairs}) == len({p[1] for p in pairs})


def read_labels(path):
    return np.loadtxt(path, dtype=np.int64)


class Bench:
    def __init__(self, a):
        self.a = a
        self.rows = []       # result rows: dict(section, what, data, shopseg, peer, ratio, notes, target)
        self.raw = {}

    def add(self, **kw):
        self.rows.append(kw)
        r = kw.get("ratio")
        log(f"{kw['what']} [{kw['data']}]: shopseg {kw['shopseg']} | peer {kw.get('peer', '')}"
            + (f" | ratio {r:.2f}" if isinstance(r, float) else ""))

    # ---- per size -------------------------------------------------------------------------
    def size(self, n):
        a, S = self.a, self.a.shopseg
        runs = a.runs if n < 1_000_000 else min(a.runs, a.large_runs)
        d = os.path.join(a.work, label(n))
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        ev = os.path.join(d, "events.csv")
        items, truth = os.path.join(d, "events.items.csv"), os.path.join(d, "events.truth.csv")
        data = f"{label(n)} users"

        log(f"generate {n} users")
        wall, rss, _ = run([S, "generate", "--users", str(n), "--seed", "0", "--out", ev])
        n_events = sum(1 for _ in open(ev, "rb")) - 1
        mb = os.path.getsize(ev) / 2**20
        data_ev = f"{label(n)} users, {n_events:,} events ({mb:,.0f} MiB CSV)"
        self.add(section="pipeline", what="generate --out (once)", data=data_ev, shopseg=f"{wall:.2f} s, {rss:.0f} MiB",
                 peer="", ratio=None, notes="not compared")

        # ---- load ----
        ours, peer, ours_rss, peer_rss = [], [], [], []
        for r in range(runs):
            db, idb = os.path.join(d, "load.db"), os.path.join(d, "import.db")
            for f in (db, idb):
                for suf in ("", "-wal", "-shm", ".lock"):
                    if os.path.exists(f + suf): os.remove(f + suf)
            w, m, out = run([S, "load", "events", ev, "--db", db, "--json"])
            ours.append(w); ours_rss.append(m)
            summary = json.loads(out)
            w, m, _ = run(["sqlite3", idb, ".import --csv " + ev + " events"])
            peer.append(w); peer_rss.append(m)
        _, _, cnt = run(["sqlite3", idb, "select count(*) from events"])
        loaded = summary.get("rowsLoaded", summary.get("rows_loaded"))
        self.add(section="pipeline", what="load events", data=data_ev,
                 shopseg=f"{med(ours):.2f} s, {med(ours_rss):.0f} MiB", peer=f"{med(peer):.2f} s, {med(peer_rss):.0f} MiB",
                 ratio=med(ours) / med(peer), target=1.0,
                 notes=f"`shopseg load events` (validated, typed, indexed, rejects kept) vs `sqlite3 .import --csv` "
                       f"into a plain text table; rows: {loaded} vs {cnt.strip()}")
        self.raw[f"load_{n}"] = dict(shopseg=ours, peer=peer, summary=summary)

        # ---- features ----
        run([S, "load", "items", items, "--db", db])
        # The first load deferred events_by_user to the next build/assign/init: built here once
        # (`shopseg init`) and counted in every run's time, as a first build pays it.
        index_wall, _, _ = run([S, "init", "--db", db])
        ours, peer, peer_gb = [], [], []
        for r in range(runs):
            run(["sqlite3", db, "drop table if exists bench_user_features"])
            w, _, _ = run(["sqlite3", db, "create table bench_user_features as select * from user_features"])
            ours.append(w + index_wall)
            _, _, j = jrun([PY, os.path.join(HERE, "peer_features.py"), ev, items])
            peer.append(j["seconds"]); peer_gb.append(j["groupby_seconds"])
        fcsv, pcsv = os.path.join(d, "features.csv"), os.path.join(d, "features.pandas.csv")
        with open(fcsv, "w") as f:
            subprocess.run(["sqlite3", "-csv", "-header", db, "select * from bench_user_features order by user_id"],
                           stdout=f, check=True)
        run([PY, os.path.join(HERE, "peer_features.py"), ev, items, "--out", pcsv])
        agree = self.compare_features(fcsv, pcsv)
        self.add(section="pipeline", what="features (`user_features`)", data=data_ev,
                 shopseg=f"{med(ours):.2f} s", peer=f"{med(peer):.2f} s (groupby alone {med(peer_gb):.2f} s)",
                 ratio=med(ours) / med(peer), target=1.0,
                 notes=f"`shopseg init` building the index the load deferred ({index_wall:.2f} s, once, added to every run) + "
                       "`create table as select * from user_features` on the loaded database (shopseg's own index, "
                       "nothing materialised beforehand) vs pandas `read_csv` + groupby of the same CSV; ratio vs "
                       f"groupby alone {med(ours) / med(peer_gb):.2f}; {agree}")

        # ---- k-means on a prepared matrix of issue 6's 16 columns ----
        self.kmeans16(db, d, n, runs)

        # ---- end to end ----
        # Without the shipped campaigns (queries/campaigns): the peer has none, and one of them has a
        # quadratic plan (see the campaign row); --sql-dir = migrations + feature views only.
        sqld = os.path.join(a.work, "sql-no-campaigns")
        if not getattr(self, "sql_copied", False):   # fresh from this checkout once per harness run
            shutil.rmtree(sqld, ignore_errors=True)
            self.sql_copied = True
            root = os.path.dirname(HERE)
            shutil.copytree(os.path.join(root, "migrations"), os.path.join(sqld, "migrations"))
            shutil.copytree(os.path.join(root, "queries", "features"), os.path.join(sqld, "queries", "features"))
        SQ = ["--sql-dir", sqld]
        ours, peer, ours_rss, peer_rss = [], [], [], []
        load_w, load_rss, build_w, build_rss = [], [], [], []
        for r in range(runs):
            db = os.path.join(d, "e2e.db"); pdb = os.path.join(d, "e2e_peer.db")
            for f in (db, pdb):
                for suf in ("", "-wal", "-shm", ".lock"):
                    if os.path.exists(f + suf): os.remove(f + suf)
            w1, m1, _ = run([S, "load", "items", items, "--db", db] + SQ)
            w2, m2, _ = run([S, "load", "events", ev, "--db", db] + SQ)
            w3, m3, out = run([S, "build", "--db", db, "--json"] + SQ)
            ours.append(w1 + w2 + w3); ours_rss.append(max(m1, m2, m3))
            load_w.append(w2); load_rss.append(m2); build_w.append(w3); build_rss.append(m3)
            build = json.loads(out)
            w, m, pj = jrun([PY, os.path.join(HERE, "peer_end_to_end.py"), ev, items, pdb])
            peer.append(w); peer_rss.append(m)
        k_ours = self.sql(db, "select count(*) from current_segments")
        self.add(section="pipeline", what="end to end: load + features + k-means with k chosen (silhouette, 4–10) + profiles + publish", data=data_ev,
                 shopseg=f"{med(ours):.2f} s, {med(ours_rss):.0f} MiB", peer=f"{med(peer):.2f} s, {med(peer_rss):.0f} MiB",
                 ratio=med(ours) / med(peer), target=0.33,
                 mem_ratio=med(ours_rss) / med(peer_rss), mem_target=0.5,
                 notes=f"k chosen: shopseg {k_ours}, peer {pj['k']}; memory ratio {med(ours_rss) / med(peer_rss):.2f} "
                       "(target ≤ 0.5); shopseg also computes RFM scores, retention models, stable ids; campaigns left out "
                       "(`--sql-dir` without queries/campaigns; see the campaign row)")
        self.raw[f"e2e_{n}"] = dict(shopseg=ours, peer=peer, shopseg_rss=ours_rss, peer_rss=peer_rss, build=build)
        users = int(self.sql(db, "select count(*) from current_user_segments"))
        self.add(section="pipeline", what="peak memory of the default `build` (inside end to end)", data=data_ev,
                 shopseg=f"{med(build_rss):.0f} MiB ({med(build_rss) * 1024 / users:.2f} KiB per user), {med(build_w):.1f} s",
                 peer="", ratio=None, mem_abs=med(build_rss), mem_abs_target=1536 if n >= 1_000_000 else None,
                 notes=f"`load events` in the same runs: {med(load_w):.1f} s, {med(load_rss):.0f} MiB; issue 6: a "
                       "1M-user build ≤ 1.5 GiB, memory growing with users, not with events (compare KiB per user "
                       "across sizes)")

        # ---- ARI against the planted truth ----
        t = {}
        with open(truth) as f:
            next(f)
            for line in f:
                u, s = line.rstrip("\n").split(",")
                t[u] = s
        def ari(pairs):
            from sklearn.metrics import adjusted_rand_score
            pairs = [(t[u], s) for u, s in pairs if u in t]
            return adjusted_rand_score([p[0] for p in pairs], [p[1] for p in pairs])
        seg_q = "select user_id, segment_id from current_user_segments"
        ari_default = ari(self.pairs(db, seg_q))      # the end-to-end run: the default build
        ari_peer = ari(self.pairs(pdb, "select user_id, segment_id from user_segments"))
        run([S, "build", "--db", db, "--k", "auto"] + SQ)
        ari_auto = ari(self.pairs(db, seg_q))
        k_auto = self.sql(db, "select count(*) from current_segments where segment_id >= 0")
        w7, m7, _ = run([S, "build", "--db", db, "--k", "7"] + SQ)
        ari_7 = ari(self.pairs(db, seg_q))
        self.add(section="quality", what=f"ARI vs synthetic_truth, default build (k by silhouette in 4–10: {k_ours})",
                 data=data,
                 shopseg=f"{ari_default:.3f}", peer="", ratio=None, ari=ari_default, ari_target=0.8 if n == 100_000 else None,
                 notes=f"the end-to-end runs' build; `--k auto` (2–10, k = {k_auto}): {ari_auto:.3f}; "
                       f"`--k 7`: {ari_7:.3f}; pandas+sklearn peer (k = {pj['k']}): {ari_peer:.3f}")

        # ---- the shipped campaigns, each timed alone on the published database ----
        times = []
        cdir = os.path.join(os.path.dirname(HERE), "queries", "campaigns")
        for fn in sorted(os.listdir(cdir)):
            text = "\n".join(l for l in open(os.path.join(cdir, fn)).read().splitlines() if not l.lstrip().startswith("--"))
            w, _, c = run(["sqlite3", "-readonly", db, f"select count(*) from ({text.strip().rstrip(';')})"])
            times.append((fn, w, c.strip()))
        tot = sum(t[1] for t in times)
        self.add(section="pipeline", what="campaign audiences (6 shipped, evaluated when a build publishes)",
                 data=data_ev, shopseg=f"{tot:.2f} s", peer="", ratio=None,
                 notes="each campaign's audience query alone on the published database (`sqlite3 -readonly`, "
                       "count of its rows): " + "; ".join(f"{fn[:-4]} {w:.2f} s ({c} users)" for fn, w, c in times))

        # ---- a Ward build (two-stage above 50k users) ----
        if n >= 100_000:
            w, m, out = run([S, "build", "--db", db, "--algorithm", "agglomerative", "--linkage", "ward", "--k", "8",
                             "--json"] + SQ)
            self.add(section="pipeline", what="`build --algorithm agglomerative --linkage ward --k 8`", data=data_ev,
                     shopseg=f"{w:.1f} s, {m:.0f} MiB", peer="(sklearn: O(n²) memory, not run)", ratio=None,
                     notes="the whole build (features, preparation, two-stage Ward above 50k users, profiles, RFM, "
                           "retention, publish); finishes")

    # The sixteen per-user columns of user_features before issue 6 trimmed it to eleven (the five
    # others stay in their views): issue 6 states its k-means target on a 1M × 16 matrix.
    KMEANS16_SQL = """
        select rfm.user_id, rfm.recency_days, rfm.frequency, rfm.monetary_total, rfm.avg_order_value,
               rfm.tenure_days, rfm.returns, e.views, e.carts, e.sessions, e.view_to_cart_rate,
               e.cart_to_purchase_rate, e.distinct_items, e.distinct_categories, e.active_days,
               coalesce(r.ratings, 0) as ratings, r.avg_rating
        from user_rfm as rfm join user_engagement as e on e.user_id = rfm.user_id
        left join user_ratings as r on r.user_id = rfm.user_id
        order by rfm.user_id"""

    def kmeans16(self, db, d, n, runs):
        csv16, xf = os.path.join(d, "kmeans16.csv"), os.path.join(d, "prepared16.f64")
        with open(csv16, "w") as f:
            subprocess.run(["sqlite3", "-csv", "-header", db, self.KMEANS16_SQL], stdout=f, check=True)
        _, _, prep = jrun([self.a.bench, "prepare", csv16, xf])
        cols = prep["cols"]
        self.kmeans(xf, cols, f"{label(n)} × {cols} (the 16 per-user columns of user_rfm, user_engagement and "
                              "user_ratings, prepared as a build does)", d, runs)

    def kmeans(self, xf, cols, data, d, runs):
        a = self.a
        pe = os.path.join(HERE, "peer_engine.py")
        init = os.path.join(d, "km.init.f64")
        run([PY, pe, "kmeans-init", xf, str(cols), "8", "0", init])
        base = [xf, str(cols), "8", "300", "1e-4", "0"]
        for same_init in (False, True):
            ours, peer = [], []
            extra = ["-", init] if same_init else ["-"]
            for r in range(runs):
                _, mo, jo = jrun([a.bench, "kmeans"] + base + extra)
                _, mp, jp = jrun([PY, pe, "kmeans"] + base + extra)
                ours.append(jo); peer.append(jp)
            so, sp = med([j["seconds"] for j in ours]), med([j["seconds"] for j in peer])
            io, ip = ours[0]["inertia"], peer[0]["inertia"]
            what = ("k-means (Lloyd only, same initial centres), k = 8, max_iter 300, tol 1e-4" if same_init else
                    "k-means (k-means++ + Lloyd), k = 8, n_init 1, max_iter 300, tol 1e-4")
            how = ("both start from scikit-learn's `kmeans_plusplus(random_state=0)` centres, so the runs are the same "
                   "computation" if same_init else
                   "each seeds its own k-means++ (xoshiro vs NumPy streams), so the runs differ")
            self.add(section="engine", what=what, data=data,
                     shopseg=f"{so:.3f} s (inertia {io:.8g}, {ours[0]['iterations']} it.)",
                     peer=f"{sp:.3f} s (inertia {ip:.8g}, {peer[0]['iterations']} it.)", ratio=so / sp, target=1.0,
                     inertia_ok=io <= ip * (1 + 1e-9),   # issue 6: "at equal or lower inertia", both rows
                     notes=f"sklearn `KMeans(lloyd)`; {how}; inertia ratio {io / ip:.6f}; time per iteration ratio "
                           f"{(so / ours[0]['iterations']) / (sp / peer[0]['iterations']):.2f}")

    # ---- engine, fixed sizes -----------------------------------------------------------------
    def engine(self):
        a = self.a
        d = os.path.join(a.work, "engine")
        os.makedirs(d, exist_ok=True)
        log("matrices")
        run([PY, os.path.join(HERE, "make_matrices.py"), d])
        pe = os.path.join(HERE, "peer_engine.py")

        def both(args_ours, args_peer):
            ours, peer = [], []
            for r in range(a.runs):
                w, m, j = jrun([a.bench] + args_ours); ours.append((j["seconds"], m, j))
                w, m, j = jrun([PY, pe] + args_peer); peer.append((j["seconds"], m, j))
            return ours, peer

        x = os.path.join(d, "dbscan_200k_3.f64")
        ours, peer = both(["dbscan", x, "3", "0.3", "10", os.path.join(d, "db.ours")],
                          ["dbscan", x, "3", "0.3", "10", os.path.join(d, "db.peer")])
        same = same_partition(read_labels(os.path.join(d, "db.ours")), read_labels(os.path.join(d, "db.peer")))
        self.engine_row("DBSCAN, eps 0.3, min_samples 10", "200k × 3 (8 blobs + 2% noise)", ours, peer, 1.0,
                        f"labels identical up to renaming: {'yes' if same else '**no**'} "
                        f"({ours[0][2]['clusters']} clusters, {ours[0][2]['noise']:,} noise)", equal=same)

        x = os.path.join(d, "ward_20k_8.f64")
        ours, peer = both(["ward", x, "8", "10", os.path.join(d, "w.ours")], ["ward", x, "8", "10", os.path.join(d, "w.peer")])
        same = same_partition(read_labels(os.path.join(d, "w.ours")), read_labels(os.path.join(d, "w.peer")))
        mo, mp = med([o[1] for o in ours]), med([p[1] for p in peer])
        self.engine_row("Ward, 10 clusters", "20k × 8 (10 blobs)", ours, peer, 1.0,
                        f"labels identical up to renaming: {'yes' if same else '**no**'}; memory ratio {mo / mp:.3f} "
                        f"(target ≤ 0.5; process peak RSS incl. the interpreter)", equal=same,
                        mem_ratio=mo / mp, mem_target=0.5)

        x = os.path.join(d, "silhouette_50k_8.f64")
        lab = os.path.join(d, "silhouette_50k_8.labels")
        ours, peer = both(["silhouette", x, "8", lab], ["silhouette", x, "8", lab])
        vo, vp = ours[0][2]["value"], peer[0][2]["value"]
        self.engine_row("silhouette, exact", "50k × 8, k = 8", ours, peer, 1.0,
                        f"values {vo:.12f} vs {vp:.12f} (|Δ| = {abs(vo - vp):.1e})", equal=abs(vo - vp) < 1e-9)

    def engine_row(self, what, data, ours, peer, target, notes, **kw):
        so, sp = med([o[0] for o in ours]), med([p[0] for p in peer])
        mo, mp = med([o[1] for o in ours]), med([p[1] for p in peer])
        self.add(section="engine", what=what, data=data, shopseg=f"{so:.3f} s, {mo:.0f} MiB",
                 peer=f"{sp:.3f} s, {mp:.0f} MiB", ratio=so / sp, target=target, notes=notes, **kw)

    # ---- helpers -----------------------------------------------------------------------------
    def sql(self, db, q):
        return run(["sqlite3", db, q])[2].strip()

    def pairs(self, db, q):
        out = run(["sqlite3", "-separator", "\t", db, q])[2]
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def compare_features(self, ours_csv, peer_csv):
        import pandas as pd
        o = pd.read_csv(ours_csv, index_col=0).sort_index()
        p = pd.read_csv(peer_csv, index_col=0).sort_index()
        if list(o.index) != list(p.index):
            return "**users differ from pandas**"
        bad = []
        for c in o.columns:
            if c not in p.columns:
                continue
            x, y = o[c].to_numpy(float), p[c].to_numpy(float)
            ok = np.array_equal(np.isnan(x), np.isnan(y)) and np.allclose(x[~np.isnan(x)], y[~np.isnan(y)],
                                                                            rtol=1e-9, atol=1e-6)
            if not ok:
                bad.append(c)
        return (f"all {len(o.columns)} columns equal to pandas' (1e-9)" if not bad else
                f"**columns differing from pandas: {', '.join(bad)}**")

    # ---- report ------------------------------------------------------------------------------
    def table(self):
        lines = ["| what | data | shopseg | peer | ratio | target | met |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for r in self.rows:
            ratio = f"{r['ratio']:.2f}" if isinstance(r.get("ratio"), float) else "–"
            target, met = "–", "–"
            if r.get("target") is not None:
                target = f"≤ {r['target']:g}"
                ok = r["ratio"] <= r["target"]
                if "mem_target" in r:
                    target += f", memory ≤ {r['mem_target']:g}×"
                    ok = ok and r["mem_ratio"] <= r["mem_target"]
                if "equal" in r:
                    ok = ok and r["equal"]
                if "inertia_ok" in r:
                    target += ", inertia ≤"
                    ok = ok and r["inertia_ok"]
                met = "yes" if ok else "**no**"
            if r.get("mem_abs_target") is not None:
                target = f"≤ {r['mem_abs_target'] / 1024:g} GiB"
                met = "yes" if r["mem_abs"] <= r["mem_abs_target"] else "**no**"
            if r.get("ari_target") is not None:
                target = f"ARI ≥ {r['ari_target']:g}"
                met = "yes" if r["ari"] >= r["ari_target"] else "**no**"
            lines.append(f"| {r['what']} | {r['data']} | {r['shopseg']} | {r['peer'] or '–'} | {ratio} | {target} | {met} |")
        return "\n".join(lines)

    def notes(self):
        return "\n".join(f"- **{r['what']}** ({r['data']}): {r['notes']}" for r in self.rows if r.get("notes"))


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip(); break
    mem = "unknown"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    limit = None
    for p in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        if os.path.exists(p):
            v = open(p).read().strip()
            if v.isdigit() and int(v) < 2**50:
                limit = f"{int(v) / 2**30:.1f} GiB"
    load = open("/proc/loadavg").read().split()[:3]
    return cpu, os.cpu_count(), mem, limit, load


def versions(a):
    import pandas, scipy, sklearn
    sw = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    sq = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=HERE).stdout.strip()
    return {"shopseg commit": commit, "Swift": sw[0] if sw else "?", "sqlite3 shell / libsqlite3": sq,
            "Python": platform.python_version(), "pandas": pandas.__version__, "scikit-learn": sklearn.__version__,
            "scipy": scipy.__version__, "numpy": np.__version__}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shopseg", required=True)
    p.add_argument("--bench", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--sizes", default="10k,100k")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--large-runs", type=int, default=1, help="runs at sizes of 1M users and more")
    p.add_argument("--report")
    p.add_argument("--no-engine", action="store_true")
    a = p.parse_args()
    a.shopseg, a.bench = os.path.abspath(a.shopseg), os.path.abspath(a.bench)
    os.makedirs(a.work, exist_ok=True)
    b = Bench(a)
    started = datetime.datetime.now(datetime.timezone.utc)
    cpu, ncpu, mem, limit, load0 = machine()
    if not a.no_engine:
        b.engine()
        report(a, b, started, cpu, ncpu, mem, limit, load0, partial=True)
    sizes = [parse_size(s) for s in a.sizes.split(",")]
    for i, n in enumerate(sizes):
        b.size(n)
        report(a, b, started, cpu, ncpu, mem, limit, load0, partial=i < len(sizes) - 1)


def report(a, b, started, cpu, ncpu, mem, limit, load0, partial):
    finished = datetime.datetime.now(datetime.timezone.utc)
    load1 = open("/proc/loadavg").read().split()[:3]
    table = b.table()
    if not partial:
        print(table)
    with open(os.path.join(a.work, "results.json"), "w") as f:
        json.dump({"rows": b.rows, "raw": b.raw}, f, indent=1, default=str)
    if not a.report:
        return
    v = versions(a)
    # Hand-written sections kept after the generated part: profiles, then the earlier hand-run rows.
    hand = "\n---\n\n".join(open(os.path.join(HERE, f)).read() for f in ("profile.md", "hand_run.md")
                              if os.path.exists(os.path.join(HERE, f)))
    has_1m = any(parse_size(x) >= 1_000_000 for x in a.sizes.split(","))
    not_measured = "" if has_1m else (
        "Not measured by this run: issue 6's load, features, k-means (1M × 16) and end-to-end targets, the 1M-user Ward\n"
        "build (two-stage) and \"peak resident memory of a 1M-user build ≤ 1.5 GiB\" are stated at 1M users: "
        "`scripts/bench.sh --sizes 10k,100k,1M`\n(1.6 GB CSV at 1M, a few GB of disk).\n")
    cmd = f"scripts/bench.sh --sizes {a.sizes} --runs {a.runs}" + (f" --large-runs {a.large_runs}" if has_1m else "") + (" --no-engine" if a.no_engine else "")
    md = f"""# Benchmarks

{"**Partial: the run has not finished yet.**" + chr(10) if partial else ""}Produced by `{cmd}` (the harness of issue 6; see README "Benchmarks"), {started:%Y-%m-%d %H:%M}–{finished:%H:%M} UTC.
This file is rewritten by every run of the harness; the sections after the results (profiles, hand-run rows) are\ncopied from `bench/profile.md` and `bench/hand_run.md`, written by hand, dated.

**Machine:** {cpu}, {ncpu} cores (nproc), {mem} RAM{f' (cgroup limit {limit})' if limit else ''}, Linux {platform.release()};
shared with other jobs — load average {' '.join(load0)} at the start, {' '.join(load1)} at the end, so wall
times are noisy. **Versions:** {'; '.join(f'{k} {val}' for k, val in v.items())}. shopseg and shopseg-bench are
release builds.

**How:** data from `shopseg generate --users N --seed 0 --out …` (once per size). Each measurement is a fresh process;
the value shown is the median of {a.runs} runs{f" ({a.large_runs} at 1M users)" if has_1m and a.large_runs < a.runs else ""}, interleaved shopseg / peer. "MiB" is the process's peak resident set
(GNU `/usr/bin/time -f %M`). Load, features (shopseg side) and end to end are wall times of whole processes; engine
rows (k-means, DBSCAN, Ward, silhouette) are the fit time measured inside the process on both sides
(`bench/swift` = `shopseg-bench` linking ShopsegEngine, `bench/peer_engine.py` = scikit-learn), on the same
float64 matrix file. The pandas feature time is measured inside Python (read_csv + groupby; interpreter start excluded).
Ratio = shopseg / peer; lower is better; "met" compares with the issue-6 target. Issue 6 states the load, features,
k-means and end-to-end targets for 1M users: at smaller sizes "met" only says how that size compares.

## Results

{table}

## Notes per row

{b.notes()}

{not_measured}"""
    if hand:
        md += "\n---\n\n" + hand
    with open(a.report, "w") as f:
        f.write(md)
    log(f"wrote {a.report}")


if __name__ == "__main__":
    main()
