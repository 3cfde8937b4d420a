-- The users of one segment with their RFM features, closest to the centroid first.
-- By default the largest segment of the published run; to pick one, set a parameter:
--   sqlite3 shopseg.db -cmd ".param set :segment_id 3" < queries/reports/users_of_segment.sql

select
    us.user_id,
    us.segment_id,
    s.name as segment_name,
    round(us.distance_to_centroid, 3) as distance_to_centroid,
    round(r.recency_days, 1) as recency_days,
    r.frequency,
    round(r.monetary_total, 2) as monetary_total
from current_user_segments as us
join current_segments as s on s.segment_id = us.segment_id
join user_rfm as r on r.user_id = us.user_id
where us.segment_id = coalesce(:segment_id, (select segment_id from current_segments order by size desc limit 1))
order by us.distance_to_centroid;
