#!/usr/bin/env python3
"""Writes the bundled sample under examples/sample/ (synthetic, deterministic).

Usage: python3 scripts/make_sample.py   (no third-party packages; same output every time)

300 shoppers of a made-up shop over 2024, drawn from five planted behaviours
(loyal, big spenders, bargain hunters, window shoppers, lapsed) so that the default
build has real structure to find. Files use shopseg's canonical column names, so they
load without a mapping file.
"""
import csv
import datetime as dt
import random

SEED = 20240101
USERS = 300
START = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
DAYS = 366
CATEGORIES = ["books", "music", "games", "garden", "kitchen", "toys"]
ITEMS = [(f"I{n:04d}", CATEGORIES[n % len(CATEGORIES)], round(4 + (n * 7.3) % 60, 2)) for n in range(120)]

# name: (share, sessions per year, views per session, P(cart | view), P(buy | cart), spend multiplier, active window as fractions of the year)
TYPES = {
    "loyal":          (0.25, 16, 3, 0.35, 0.70, 1.0, (0.0, 1.0)),
    "big_spender":    (0.10, 8, 3, 0.40, 0.80, 6.0, (0.0, 1.0)),
    "bargain_hunter": (0.25, 10, 5, 0.20, 0.50, 0.4, (0.0, 1.0)),
    "window_shopper": (0.25, 8, 6, 0.05, 0.10, 1.0, (0.0, 1.0)),
    "lapsed":         (0.15, 6, 3, 0.35, 0.60, 1.2, (0.0, 0.35)),
}


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    rng = random.Random(SEED)
    names = list(TYPES)
    weights = [TYPES[n][0] for n in names]
    events, users = [], []
    order_no = 0
    for u in range(1, USERS + 1):
        user_id = f"U{u:04d}"
        kind = rng.choices(names, weights)[0]
        _, sessions, views, p_cart, p_buy, spend, (lo, hi) = TYPES[kind]
        signup = START + dt.timedelta(days=rng.uniform(0, DAYS * lo + 5))
        users.append([user_id, iso(signup), f"{rng.randint(1950, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                      rng.choice(["GB", "FR", "DE", "NL", "ES"])])
        for s in range(max(1, int(rng.gauss(sessions, sessions / 4)))):
            t = START + dt.timedelta(days=rng.uniform(DAYS * lo, DAYS * hi), seconds=rng.randint(0, 86399))
            session_id = f"{user_id}-S{s:03d}"
            basket = []
            for _ in range(max(1, int(rng.expovariate(1 / views)))):
                item_id, category, price = rng.choice(ITEMS)
                t += dt.timedelta(seconds=rng.randint(10, 300))
                events.append([user_id, "view", iso(t), item_id, category, "", "", "", "", "", "", session_id])
                if rng.random() < p_cart:
                    t += dt.timedelta(seconds=rng.randint(5, 60))
                    events.append([user_id, "cart", iso(t), item_id, category, "", "1", f"{price:.2f}", "", "", "", session_id])
                    basket.append((item_id, category, price))
            bought = [b for b in basket if rng.random() < p_buy]
            if bought:
                order_no += 1
                order_id = f"O{order_no:05d}"
                t += dt.timedelta(seconds=rng.randint(30, 600))
                for item_id, category, price in bought:
                    quantity = max(1, int(rng.expovariate(1 / (1.5 * spend))) + 1)
                    unit_price = round(price * rng.uniform(0.8, 1.2) * (spend if spend > 1 else 1) * (0.6 if spend < 1 else 1), 2)
                    events.append([user_id, "purchase", iso(t), item_id, category, order_id, str(quantity), f"{unit_price:.2f}",
                                   f"{quantity * unit_price:.2f}", "", "", session_id])
                    if rng.random() < 0.05:
                        r = t + dt.timedelta(days=rng.randint(3, 20))
                        events.append([user_id, "return", iso(r), item_id, category, order_id, str(quantity), f"{unit_price:.2f}",
                                       f"{quantity * unit_price:.2f}", "", "", ""])
                    if rng.random() < 0.2:
                        r = t + dt.timedelta(days=rng.randint(2, 30))
                        stars = rng.choice([3, 4, 5, 5]) if kind != "bargain_hunter" else rng.choice([1, 2, 3, 4])
                        review = rng.choice(["", "", "Great, as described.", "Arrived late, but fine.", "Not what I expected, sadly."])
                        events.append([user_id, "rating", iso(r), item_id, category, order_id, "", "", "", str(stars), review, ""])
    events = [e for e in events if e[2] < "2025-01-01"]
    events.sort(key=lambda e: (e[2], e[0]))
    with open("examples/sample/events.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["user_id", "event_type", "occurred_at", "item_id", "category", "order_id", "quantity",
                    "unit_price", "amount", "rating", "review_text", "session_id"])
        w.writerows(events)
    with open("examples/sample/users.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["user_id", "signup_at", "birth_date", "country"])
        w.writerows(users)
    print(f"wrote {len(events)} events of {USERS} users")


if __name__ == "__main__":
    main()
