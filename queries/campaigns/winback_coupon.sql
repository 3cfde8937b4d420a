-- Win-back coupon for valuable customers who are slipping away.
--
-- id: winback_coupon
-- name: Win-back coupon
-- channel: email
-- offer: 15% off the next order, valid 14 days
-- priority: 20
-- holdout_pct: 10
--
-- Who: customers in the RFM cells At Risk (bought often and much, not lately) and Can't Lose
-- Them (the best customers, silent for long), plus every customer the BG/NBD model gives a
-- high churn risk (user_retention.churn_risk = 'high').
-- Why: winning back a known buyer costs less than finding a new one; a time-limited coupon
-- gives a reason to come back now. The holdout measures how many would have come back anyway.
-- Either source may be empty (no RFM scores or no retention model yet): the other still counts.

with

rfm_at_risk as (
    select user_id
    from current_user_rfm_scores
    where rfm_segment in ('At Risk', 'Can''t Lose Them')
),

high_churn_risk as (
    select user_id
    from current_user_retention
    where churn_risk = 'high'
),

targets as (
    select user_id from rfm_at_risk
    union
    select user_id from high_churn_risk
),

final as (
    select
        t.user_id,
        s.rfm_segment,
        r.churn_risk,
        r.p_alive,
        r.clv
    from targets as t
    left join current_user_rfm_scores as s on s.user_id = t.user_id
    left join current_user_retention as r on r.user_id = t.user_id
)

select * from final
