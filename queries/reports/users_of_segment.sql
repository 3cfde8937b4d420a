-- The users of one segment with their RFM features, closest to the centroid first.
-- Change the segment id in the where clause.

select
    us.user_id,
    us.segment_id,
    round(us.distance_to_centroid, 3) as distance_to_centroid,
    round(r.recency_days, 1) as recency_days,
    r.frequency,
    round(r.monetary_total, 2) as monetary_total
from current_user_segments as us
join user_rfm as r on r.user_id = us.user_id
where us.segment_id = 0
order by us.distance_to_centroid;
