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
-- The per-user totals come from user_event_totals (one pass over events shared with
-- user_rfm); keep this a plain select from it so that user_features aggregates once.

select
    t.user_id,
    t.views,
    t.carts,
    t.purchase_events,
    t.sessions,
    case when t.views > 0 then t.carts * 1.0 / t.views end as view_to_cart_rate,
    case when t.carts > 0 then t.purchase_events * 1.0 / t.carts end as cart_to_purchase_rate,
    t.distinct_items,
    t.distinct_categories,
    t.active_days
from user_event_totals as t
