-- Campaign audience sizes of the published run: who each campaign's SELECT returned, how many
-- were assigned after channel exclusivity and max_users, and the treated / holdout split.
-- sqlite3 -header -column shopseg.db < queries/reports/campaign_audiences.sql

select
    campaign_id,
    channel,
    priority,
    audience,
    assigned,
    treated,
    holdout,
    round(100.0 * holdout / nullif(assigned, 0), 1) as holdout_pct_actual
from current_campaign_summary
order by priority, campaign_id;
