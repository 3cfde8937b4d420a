-- Discount for price-sensitive shoppers: they browse and fill carts but spend little.
--
-- id: price_sensitive_discount
-- name: Price-sensitive discount
-- channel: push
-- offer: 10% off the items in the cart, valid 48 hours
-- priority: 50
-- holdout_pct: 10
--
-- Who: users with more browsing activity (views + carts) than half of the users who browse,
-- at least one cart event, and either no purchase at all or an average order value
-- (user_rfm.avg_order_value) in the lowest quarter of the buyers'. Needs view and cart events:
-- a purchases-only log (CDNOW, say) gives no audience.
-- Why: interest without purchase, or purchases of the cheapest baskets, suggest price is what
-- holds them back; a short-lived discount on what they already chose converts at little cost.

with

-- One row per user with both views' columns, joined once; every rank below is a window over
-- this single CTE (joining several materialised CTEs made SQLite scan them pairwise).
per_user as (
    select
        e.user_id,
        e.views,
        e.carts,
        r.frequency,
        r.avg_order_value,
        e.views + e.carts > 0 as is_browsing,
        r.frequency > 0 and r.avg_order_value is not null as is_buyer
    from user_engagement as e
    join user_rfm as r on r.user_id = e.user_id
),

ranked as (
    select
        *,
        cume_dist() over (partition by is_browsing order by views + carts) as activity_cume_dist,
        cume_dist() over (partition by is_buyer order by avg_order_value) as order_value_cume_dist
    from per_user
),

final as (
    select user_id, views, carts, frequency, avg_order_value
    from ranked
    where is_browsing
      and activity_cume_dist > 0.5
      and carts > 0
      and (frequency = 0 or (is_buyer and order_value_cume_dist <= 0.25))
)

select * from final
