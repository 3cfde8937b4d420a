-- From segments to action: readable profiles and names, RFM scores, retention models and
-- campaign assignments, every row keyed by run_id and published with its run.

-- Profiles against the population (all users of the run), per feature:
--   population_mean  mean over every user of the run (raw units)
--   z_score          (segment mean - population mean) / population standard deviation (n - 1)
--   lift             segment mean / population mean (NULL when the population mean is 0)
alter table segment_profiles add column population_mean real;
alter table segment_profiles add column z_score real;
alter table segment_profiles add column lift real;

-- A short human-readable name (unique within a run) and a one-line description.
alter table segments add column name text;
alter table segments add column description text;

-- RFM quintile scores per user (5 = best: most recent, most frequent, highest spend).
create table user_rfm_scores (
    run_id       integer not null references segmentation_runs (run_id),
    user_id      text not null,
    r_score      integer not null check (r_score between 1 and 5),
    f_score      integer not null check (f_score between 1 and 5),
    m_score      integer not null check (m_score between 1 and 5),
    rfm_cell     text not null,                     -- e.g. '545'
    rfm_segment  text not null,                     -- Champions, Loyal Customers, …
    primary key (run_id, user_id)
);

-- Fitted retention models: one row per parameter.
create table retention_model (
    run_id           integer not null references segmentation_runs (run_id),
    model            text not null check (model in ('bg_nbd', 'gamma_gamma')),
    parameter        text not null,                 -- r, alpha, a, b | p, q, gamma
    value            real not null,
    time_unit        text not null,                 -- 'week'
    calibration_end  text not null,                 -- UTC: the run's as_of
    log_likelihood   real not null,
    customers        integer not null,              -- customers the model was fitted on
    primary key (run_id, model, parameter)
);

-- Per user: the BG/NBD and Gamma–Gamma summary and predictions (see README "Retention").
create table user_retention (
    run_id                    integer not null references segmentation_runs (run_id),
    user_id                   text not null,
    frequency                 integer not null,    -- repeat purchase days (purchase days - 1)
    recency                   real not null,       -- weeks from first to last purchase day
    T                         real not null,       -- weeks from first purchase day to as_of
    p_alive                   real,                -- 0..1
    expected_purchases_30d    real,                -- purchase days expected in the next 30 days
    expected_purchases_90d    real,
    expected_avg_order_value  real,                -- shop currency per purchase day
    clv                       real,                -- shop currency, discounted, over the horizon
    churn_risk                text check (churn_risk in ('low', 'medium', 'high', 'one_time')),
    primary key (run_id, user_id)
);

-- The campaigns a run evaluated (queries/campaigns/*.sql) and who each one reached.
create table campaigns (
    run_id        integer not null references segmentation_runs (run_id),
    campaign_id   text not null,
    name          text not null,
    channel       text not null,
    offer         text not null,
    priority      integer not null,                -- lower runs first
    holdout_pct   real not null,                   -- 0..100
    max_users     integer,
    file          text not null,
    sql_sha256    text not null,                   -- hex SHA-256 of the file as evaluated
    audience      integer not null,                -- users the query returned
    assigned      integer not null,                -- after channel exclusivity and max_users
    primary key (run_id, campaign_id)
);

create table campaign_assignments (
    run_id       integer not null references segmentation_runs (run_id),
    user_id      text not null,
    campaign_id  text not null,
    channel      text not null,
    offer        text not null,
    is_holdout   integer not null check (is_holdout in (0, 1)),
    priority     integer not null,
    primary key (run_id, user_id, channel)
);
create index campaign_assignments_by_campaign on campaign_assignments (run_id, campaign_id);

create view current_user_rfm_scores as
select s.* from user_rfm_scores as s where s.run_id = (select run_id from published_run);

create view current_retention_model as
select m.* from retention_model as m where m.run_id = (select run_id from published_run);

create view current_user_retention as
select r.* from user_retention as r where r.run_id = (select run_id from published_run);

create view current_campaign_assignments as
select a.* from campaign_assignments as a where a.run_id = (select run_id from published_run);

-- Per campaign of the published run: audience, treated and holdout users.
create view current_campaign_summary as
select
    c.run_id,
    c.campaign_id,
    c.name,
    c.channel,
    c.offer,
    c.priority,
    c.holdout_pct,
    c.max_users,
    c.file,
    c.sql_sha256,
    c.audience,
    c.assigned,
    coalesce(sum(case when a.is_holdout = 0 then 1 else 0 end), 0) as treated,
    coalesce(sum(case when a.is_holdout = 1 then 1 else 0 end), 0) as holdout
from campaigns as c
left join campaign_assignments as a on a.run_id = c.run_id and a.campaign_id = c.campaign_id
where c.run_id = (select run_id from published_run)
group by c.run_id, c.campaign_id, c.name, c.channel, c.offer, c.priority, c.holdout_pct, c.max_users, c.file,
         c.sql_sha256, c.audience, c.assigned;
