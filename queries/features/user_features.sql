-- user_features: the feature matrix `shopseg build` clusters.
-- Grain: one row per user_id with at least one event at or before as_of; key user_id,
-- every other column numeric (nulls are imputed by the engine; see README).
-- Add or drop columns here, or write your own view and pass `--features VIEW`.

with

rfm as (select * from user_rfm),
engagement as (select * from user_engagement),
ratings as (select * from user_ratings),

final as (
    select
        rfm.user_id,
        rfm.recency_days,
        rfm.frequency,
        rfm.monetary_total,
        rfm.avg_order_value,
        rfm.tenure_days,
        rfm.returns,
        engagement.views,
        engagement.carts,
        engagement.sessions,
        engagement.view_to_cart_rate,
        engagement.cart_to_purchase_rate,
        engagement.distinct_items,
        engagement.distinct_categories,
        engagement.active_days,
        coalesce(ratings.ratings, 0) as ratings,
        ratings.avg_rating
    from rfm
    join engagement on engagement.user_id = rfm.user_id
    left join ratings on ratings.user_id = rfm.user_id
)

select * from final
