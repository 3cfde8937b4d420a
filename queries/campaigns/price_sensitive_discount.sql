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

engagement as (
    select user_id, views, carts
    from user_engagement
    where views + carts > 0
),

rfm as (
    select user_id, frequency, avg_order_value
    from user_rfm
),

activity_rank as (
    select
        user_id,
        views,
        carts,
        cume_dist() over (order by views + carts) as activity_cume_dist
    from engagement
),

order_value_rank as (
    select
        user_id,
        cume_dist() over (order by avg_order_value) as order_value_cume_dist
    from rfm
    where frequency > 0
      and avg_order_value is not null
),

final as (
    select
        a.user_id,
        a.views,
        a.carts,
        r.frequency,
        r.avg_order_value
    from activity_rank as a
    join rfm as r on r.user_id = a.user_id
    left join order_value_rank as o on o.user_id = a.user_id
    where a.activity_cume_dist > 0.5
      and a.carts > 0
      and (r.frequency = 0 or o.order_value_cume_dist <= 0.25)
)

select * from final
