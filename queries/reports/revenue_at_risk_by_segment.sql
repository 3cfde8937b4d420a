-- Revenue at risk by segment (published run): the customer value (CLV, next 12 months,
-- discounted, shop currency) held by customers whose churn risk is high, per segment.
-- sqlite3 -header -column shopseg.db < queries/reports/revenue_at_risk_by_segment.sql

select
    s.segment_id,
    s.name,
    s.size,
    count(r.user_id) as customers_scored,
    sum(case when r.churn_risk = 'high' then 1 else 0 end) as high_risk_customers,
    round(sum(case when r.churn_risk = 'high' then r.clv else 0 end), 2) as clv_at_risk,
    round(sum(r.clv), 2) as clv_total,
    -- one-time buyers have P(alive) = 1 by construction: average over repeat customers only
    round(avg(case when r.frequency > 0 then r.p_alive end), 3) as mean_p_alive_repeat
from current_segments as s
left join current_user_segments as us on us.segment_id = s.segment_id
left join current_user_retention as r on r.user_id = us.user_id
group by s.segment_id, s.name, s.size
order by clv_at_risk desc;
