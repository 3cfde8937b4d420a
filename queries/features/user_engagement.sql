-- user_engagement: browsing and conversion per user.
-- Grain: one row per user_id with at least one event at or before as_of.
-- Zero-safe: a rate whose denominator is 0 is null (a log of purchases only gives
-- views = carts = 0 and null rates, never a division error).
--   views, carts, purchase_events   event counts
--   sessions                        distinct session_id (0 when the log has none)
--   view_to_cart_rate               carts / views
--   cart_to_purchase_rate           purchase_events / carts (above 1 when purchases skip the cart)
--   distinct_items                  distinct item_id over all events
--   distinct_categories             distinct category (the event's, else the item's from items)
--   active_days                     distinct UTC days with any event

with

as_of as (
    select as_of from feature_as_of
),

events_until_as_of as (
    select e.user_id, e.event_type, e.occurred_at, e.item_id, e.session_id,
           coalesce(e.category, i.category) as category
    from events as e
    left join items as i on i.item_id = e.item_id
    where e.occurred_at <= (select as_of from as_of)
),

per_user as (
    select
        user_id,
        sum(case when event_type = 'view' then 1 else 0 end) as views,
        sum(case when event_type = 'cart' then 1 else 0 end) as carts,
        sum(case when event_type = 'purchase' then 1 else 0 end) as purchase_events,
        count(distinct session_id) as sessions,
        count(distinct item_id) as distinct_items,
        count(distinct category) as distinct_categories,
        count(distinct substr(occurred_at, 1, 10)) as active_days
    from events_until_as_of
    group by user_id
),

final as (
    select
        user_id,
        views,
        carts,
        purchase_events,
        sessions,
        case when views > 0 then carts * 1.0 / views end as view_to_cart_rate,
        case when carts > 0 then purchase_events * 1.0 / carts end as cart_to_purchase_rate,
        distinct_items,
        distinct_categories,
        active_days
    from per_user
)

select * from final
