"""k-means++ + Lloyd with each side's own seeding, over several seeds (by hand; not part of run.py).

    python bench/kmeans_seeds.py SHOPSEG_BENCH MATRIX.f64 COLS [SEEDS]

With one init the final inertia depends on the random k-means++ draw, on both sides; one seed
compares two draws, not two implementations. This runs `shopseg-bench kmeans` and
`peer_engine.py kmeans` (scikit-learn `KMeans(lloyd)`, n_init 1) for seeds 0..SEEDS-1 (default 10),
k = 8, max_iter 300, tol 1e-4, one fresh process each, and prints per seed and the medians.
"""
import json, os, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fit(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv):
    bench, matrix, cols = argv[1], argv[2], argv[3]
    seeds = int(argv[4]) if len(argv) > 4 else 10
    ours, peer = [], []
    print("| seed | shopseg inertia | sklearn inertia | ratio | shopseg s | sklearn s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for seed in range(seeds):
        base = [matrix, cols, "8", "300", "1e-4", str(seed), "-"]
        o = fit([bench, "kmeans"] + base)
        p = fit([sys.executable, os.path.join(HERE, "peer_engine.py"), "kmeans"] + base)
        ours.append(o); peer.append(p)
        print(f"| {seed} | {o['inertia']:.8g} | {p['inertia']:.8g} | {o['inertia'] / p['inertia']:.4f} | "
              f"{o['seconds']:.3f} | {p['seconds']:.3f} |", flush=True)
    mo = statistics.median(j["inertia"] for j in ours)
    mp = statistics.median(j["inertia"] for j in peer)
    so = statistics.median(j["seconds"] for j in ours)
    sp = statistics.median(j["seconds"] for j in peer)
    lower = sum(o["inertia"] <= p["inertia"] * (1 + 1e-9) for o, p in zip(ours, peer))
    print(f"\nmedian inertia: shopseg {mo:.8g}, sklearn {mp:.8g} (ratio {mo / mp:.4f}); best: shopseg "
          f"{min(j['inertia'] for j in ours):.8g}, sklearn {min(j['inertia'] for j in peer):.8g}; "
          f"seeds where shopseg's is equal or lower: {lower} of {seeds}")
    print(f"median time: shopseg {so:.3f} s, sklearn {sp:.3f} s (ratio {so / sp:.2f})")


if __name__ == "__main__":
    main(sys.argv)
