-- Segment overview of the published run: size, share and the RFM means, one row per segment.
-- sqlite3 -header -column shopseg.db < queries/reports/segment_overview.sql

select
    s.segment_id,
    s.size,
    round(s.share * 100, 1) as share_pct,
    round(max(case when p.feature = 'recency_days' then p.mean end), 1) as mean_recency_days,
    round(max(case when p.feature = 'frequency' then p.mean end), 2) as mean_frequency,
    round(max(case when p.feature = 'monetary_total' then p.mean end), 2) as mean_monetary_total
from current_segments as s
left join current_segment_profiles as p on p.segment_id = s.segment_id
group by s.segment_id, s.size, s.share
order by s.segment_id;
