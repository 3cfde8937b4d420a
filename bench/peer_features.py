"""pandas peer of shopseg's feature views (queries/features/user_features.sql and the views it
reads): the same 11 columns per user, from the same events CSV.

    python peer_features.py EVENTS.csv [ITEMS.csv] [--out FEATURES.csv]

Prints {"read_seconds", "groupby_seconds", "seconds", "users"} as JSON; seconds = read + groupby.
as_of = the latest event time (what the views use before any build).
"""
import json
import sys
import time

import numpy as np
import pandas as pd

COLUMNS = ["recency_days", "frequency", "monetary_total", "avg_order_value", "tenure_days",
           "views", "carts", "sessions", "distinct_items", "distinct_categories", "active_days"]


def read_events(path):
    return pd.read_csv(
        path,
        usecols=["user_id", "event_type", "occurred_at", "item_id", "category", "order_id",
                 "amount", "rating", "session_id"],
        dtype={"user_id": str, "event_type": "category", "occurred_at": str, "item_id": str,
               "category": str, "order_id": str, "amount": float, "rating": float, "session_id": str})


def user_features(df, items=None):
    t = pd.to_datetime(df["occurred_at"], format="%Y-%m-%dT%H:%M:%SZ")
    as_of = t.max()
    day = df["occurred_at"].str.slice(0, 10)
    et = df["event_type"]
    is_view, is_cart = et.eq("view"), et.eq("cart")
    is_purchase, is_return = et.eq("purchase"), et.eq("return")
    amount = df["amount"].fillna(0.0)
    category = df["category"]
    if items is not None:
        category = category.fillna(df["item_id"].map(items.set_index("item_id")["category"]))

    w = pd.DataFrame({
        "user_id": df["user_id"], "t": t,
        "tp": t.where(is_purchase),
        "purchase_amount": amount.where(is_purchase, 0.0),
        "returns": is_return.astype(np.int64),
        "return_amount": amount.abs().where(is_return, 0.0),
        "views": is_view.astype(np.int64), "carts": is_cart.astype(np.int64),
        "purchase_events": is_purchase.astype(np.int64),
    })
    g = w.groupby("user_id", sort=True)
    per = g.agg(first_t=("t", "min"), last_purchase=("tp", "max"), purchase_amount=("purchase_amount", "sum"),
                returns=("returns", "sum"), return_amount=("return_amount", "sum"), views=("views", "sum"),
                carts=("carts", "sum"), purchase_events=("purchase_events", "sum"))

    # distinct counts
    order_key = df["order_id"].fillna("day:" + day)
    per["frequency"] = (pd.DataFrame({"user_id": df["user_id"][is_purchase], "k": order_key[is_purchase]})
                        .groupby("user_id")["k"].nunique()).reindex(per.index, fill_value=0)
    distinct = pd.DataFrame({"user_id": df["user_id"], "sessions": df["session_id"], "distinct_items": df["item_id"],
                             "distinct_categories": category, "active_days": day}).groupby("user_id").nunique()
    per = per.join(distinct)

    day_s = pd.Timedelta(days=1)
    out = pd.DataFrame(index=per.index)
    out["recency_days"] = (as_of - per["last_purchase"]) / day_s
    out["frequency"] = per["frequency"]
    out["monetary_total"] = per["purchase_amount"] - per["return_amount"]
    out["avg_order_value"] = (per["purchase_amount"] / per["frequency"]).where(per["frequency"] > 0)
    out["tenure_days"] = (as_of - per["first_t"]) / day_s
    out["views"] = per["views"]
    out["carts"] = per["carts"]
    out["sessions"] = per["sessions"]
    for c in ["distinct_items", "distinct_categories", "active_days"]:
        out[c] = per[c]
    return out


def main(argv):
    out_path = None
    if "--out" in argv:
        i = argv.index("--out"); out_path = argv[i + 1]; argv = argv[:i] + argv[i + 2:]
    t0 = time.perf_counter()
    df = read_events(argv[1])
    items = pd.read_csv(argv[2], dtype=str) if len(argv) > 2 else None
    t1 = time.perf_counter()
    f = user_features(df, items)
    t2 = time.perf_counter()
    if out_path:
        f.to_csv(out_path)
    print(json.dumps({"read_seconds": t1 - t0, "groupby_seconds": t2 - t1, "seconds": t2 - t0, "users": len(f)}))


if __name__ == "__main__":
    main(sys.argv)
