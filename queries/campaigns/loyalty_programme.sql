-- Loyalty programme invitation for the best customers.
--
-- id: loyalty_programme
-- name: Loyalty programme
-- channel: email
-- offer: Invitation to the loyalty programme: early access and free shipping
-- priority: 40
-- holdout_pct: 5
--
-- Who: customers in the RFM cell Champions (bought recently, often and for the most).
-- Why: recognition rather than discounts keeps the best customers close and turns them into
-- advocates; a small holdout (5%) still measures the programme's lift on their spending.

with

champions as (
    select user_id, rfm_cell, rfm_segment
    from current_user_rfm_scores
    where rfm_segment = 'Champions'
),

final as (
    select
        c.user_id,
        c.rfm_cell,
        r.clv
    from champions as c
    left join current_user_retention as r on r.user_id = c.user_id
)

select * from final
