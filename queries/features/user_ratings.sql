-- user_ratings: what users rate and review.
-- Grain: one row per user_id with at least one rating event at or before as_of.
--   ratings     number of rating events with a rating value
--   avg_rating  mean rating value (the shop's scale, e.g. 1–5)
--   reviews     rating events with non-empty review_text

with

as_of as (
    select as_of from feature_as_of
),

final as (
    select
        e.user_id,
        count(e.rating) as ratings,
        avg(e.rating) as avg_rating,
        sum(case when length(trim(coalesce(e.review_text, ''))) > 0 then 1 else 0 end) as reviews
    from events as e
    where e.event_type = 'rating'
      and e.occurred_at <= (select as_of from as_of)
    group by e.user_id
)

select * from final
