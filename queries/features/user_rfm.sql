-- user_rfm: recency, frequency, monetary value per user.
-- Grain: one row per user_id with at least one event at or before as_of.
-- Units: *_days in days (fractional), money in the shop's currency.
--   recency_days     as_of − last purchase; null when the user never purchased
--   frequency        distinct orders (order_id); purchases without an order_id count once per UTC day
--   monetary_total   purchase amounts − |return amounts| (net of returns; may be negative)
--   avg_order_value  purchase amounts / frequency; null when the user never purchased
--   tenure_days      as_of − first event of any type
--   returns          number of return events; return_amount = sum of |amount| over them
-- The per-user totals come from user_event_totals (one pass over events shared with
-- user_engagement); keep this a plain select from it so that user_features aggregates once.

select
    t.user_id,
    julianday((select as_of from feature_as_of)) - julianday(t.last_purchase_at) as recency_days,
    t.orders as frequency,
    t.purchase_amount - t.return_amount as monetary_total,
    case when t.orders > 0 then t.purchase_amount / t.orders end as avg_order_value,
    julianday((select as_of from feature_as_of)) - julianday(t.first_event_at) as tenure_days,
    t.returns,
    t.return_amount
from user_event_totals as t
