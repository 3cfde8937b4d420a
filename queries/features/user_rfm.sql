-- user_rfm: recency, frequency, monetary value per user.
-- Grain: one row per user_id with at least one event at or before as_of.
-- Units: *_days in days (fractional), money in the shop's currency.
--   recency_days     as_of − last purchase; null when the user never purchased
--   frequency        distinct orders (order_id); purchases without an order_id count once per UTC day
--   monetary_total   purchase amounts − |return amounts| (net of returns; may be negative)
--   avg_order_value  purchase amounts / frequency; null when the user never purchased
--   tenure_days      as_of − first event of any type
--   returns          number of return events; return_amount = sum of |amount| over them

with

as_of as (
    select as_of from feature_as_of
),

events_until_as_of as (
    select e.user_id, e.event_type, e.occurred_at, e.order_id, e.amount
    from events as e
    where e.occurred_at <= (select as_of from as_of)
),

per_user as (
    select
        user_id,
        min(occurred_at) as first_event_at,
        max(case when event_type = 'purchase' then occurred_at end) as last_purchase_at,
        count(distinct case when event_type = 'purchase'
                            then coalesce('order:' || order_id, 'day:' || substr(occurred_at, 1, 10)) end) as frequency,
        sum(case when event_type = 'purchase' then coalesce(amount, 0) else 0 end) as purchase_amount,
        sum(case when event_type = 'return' then 1 else 0 end) as returns,
        sum(case when event_type = 'return' then abs(coalesce(amount, 0)) else 0 end) as return_amount
    from events_until_as_of
    group by user_id
),

final as (
    select
        p.user_id,
        julianday((select as_of from as_of)) - julianday(p.last_purchase_at) as recency_days,
        p.frequency,
        p.purchase_amount - p.return_amount as monetary_total,
        case when p.frequency > 0 then p.purchase_amount / p.frequency end as avg_order_value,
        julianday((select as_of from as_of)) - julianday(p.first_event_at) as tenure_days,
        p.returns,
        p.return_amount
    from per_user as p
)

select * from final
