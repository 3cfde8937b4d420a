-- retention_summary: the per-customer summary the BG/NBD and Gamma–Gamma models are fitted on
-- (Fader, Hardie & Lee 2005): repeat purchases counted per distinct UTC day.
-- Grain: one row per user_id with at least one purchase at or before as_of.
-- Units: weeks (whole UTC days / 7); money in the shop's currency.
--   frequency          repeat purchase days: distinct UTC days with a purchase, minus 1
--   recency_weeks      last purchase day − first purchase day
--   t_weeks            as_of's UTC day − first purchase day (the customer's age, "T")
--   mean_repeat_value  mean over the repeat purchase days of each day's purchase amounts;
--                      null when frequency = 0

with

as_of as (
    select as_of, date(as_of) as as_of_day from feature_as_of
),

purchase_days as (
    select
        e.user_id,
        substr(e.occurred_at, 1, 10) as purchase_day,
        sum(coalesce(e.amount, 0)) as amount
    from events as e
    where e.event_type = 'purchase'
      and e.occurred_at <= (select as_of from as_of)
    group by e.user_id, substr(e.occurred_at, 1, 10)
),

per_user as (
    select
        user_id,
        min(purchase_day) as first_day,
        max(purchase_day) as last_day,
        count(*) as days
    from purchase_days
    group by user_id
),

repeat_value as (
    select d.user_id, avg(d.amount) as mean_repeat_value
    from purchase_days as d
    join per_user as p on p.user_id = d.user_id and d.purchase_day > p.first_day
    group by d.user_id
),

final as (
    select
        p.user_id,
        p.days - 1 as frequency,
        (julianday(p.last_day) - julianday(p.first_day)) / 7.0 as recency_weeks,
        (julianday((select as_of_day from as_of)) - julianday(p.first_day)) / 7.0 as t_weeks,
        r.mean_repeat_value
    from per_user as p
    left join repeat_value as r on r.user_id = p.user_id
)

select * from final
