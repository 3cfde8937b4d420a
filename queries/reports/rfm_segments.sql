-- RFM segments of the published run: customers, share and their mean scores.
-- sqlite3 -header -column shopseg.db < queries/reports/rfm_segments.sql

select
    rfm_segment,
    count(*) as customers,
    round(100.0 * count(*) / (select count(*) from current_user_rfm_scores), 1) as share_pct,
    round(avg(r_score), 2) as mean_r,
    round(avg(f_score), 2) as mean_f,
    round(avg(m_score), 2) as mean_m
from current_user_rfm_scores
group by rfm_segment
order by customers desc;
