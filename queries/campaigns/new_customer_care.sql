-- Care e-mail for new customers: a welcome, how-to and service contact after the first order.
--
-- id: new_customer_care
-- name: New customer care
-- channel: email
-- offer: Welcome guide and personal service contact
-- priority: 30
-- holdout_pct: 10
--
-- Who: customers in the RFM cell New Customers, and every customer whose first event of any
-- kind is at most 30 days before as_of and who has bought (user_rfm: frequency >= 1 and
-- tenure_days <= 30), so new buyers are reached even before RFM scores exist.
-- Why: the weeks after a first order decide whether a second one follows; care (not a
-- discount) builds the habit without teaching new customers to wait for coupons.

with

rfm_new as (
    select user_id
    from current_user_rfm_scores
    where rfm_segment = 'New Customers'
),

recent_first_buyers as (
    select user_id
    from user_rfm
    where frequency >= 1
      and tenure_days <= 30
),

targets as (
    select user_id from rfm_new
    union
    select user_id from recent_first_buyers
),

final as (
    select
        t.user_id,
        s.rfm_segment,
        r.frequency,
        r.tenure_days
    from targets as t
    left join current_user_rfm_scores as s on s.user_id = t.user_id
    left join user_rfm as r on r.user_id = t.user_id
)

select * from final
