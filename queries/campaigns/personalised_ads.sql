-- Personalised ads for active browsers who are still likely to buy.
--
-- id: personalised_ads
-- name: Personalised ads
-- channel: ads
-- offer: Retargeting ads with the items they viewed
-- priority: 60
-- holdout_pct: 10
-- max_users: 50000
--
-- Who: repeat customers (one-time buyers get P(alive) = 1 by the model's construction, so they
-- are left out) the BG/NBD model gives P(alive) above 0.7 (user_retention.p_alive) whose
-- view count is in the top quarter of users with views (user_engagement.views). At most
-- 50,000 users (the audience the ad budget buys), chosen deterministically.
-- Why: they are still customers and are looking right now; showing them what they looked at
-- brings them back to the basket. Needs a retention model and view events.

with

alive as (
    select user_id, p_alive
    from current_user_retention
    where p_alive > 0.7
      and frequency > 0
),

view_rank as (
    select
        user_id,
        views,
        cume_dist() over (order by views) as views_cume_dist
    from user_engagement
    where views > 0
),

final as (
    select
        a.user_id,
        a.p_alive,
        v.views
    from alive as a
    join view_rank as v on v.user_id = a.user_id
    where v.views_cume_dist > 0.75
)

select * from final
