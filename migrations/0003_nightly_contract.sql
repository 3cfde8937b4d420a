-- The nightly contract and the engine's outputs.
--  * runs may be 'abandoned' (left 'running' by a killed process; marked by the next build);
--  * an explicit published pointer (published_run) that every current_* view follows;
--  * stable segment ids: segment_lineage and segment_transitions;
--  * the stored model (model_columns, model_points, pca_*) that `assign` uses;
--  * quality metrics on the run, k_selection, segment_linkage.
-- Every run-keyed table is filtered by run_id first; BI queries filter by run_id, user_id, segment_id.

drop view current_run;
drop view current_user_segments;
drop view current_segments;
drop view current_segment_profiles;

create table segmentation_runs_new (
    run_id              integer primary key,
    status              text not null check (status in ('running', 'published', 'failed', 'abandoned')),
    started_at          text not null,               -- UTC
    finished_at         text,                        -- UTC
    as_of               text not null,               -- UTC
    feature_view        text not null,
    algorithm           text not null,               -- kmeans | minibatch-kmeans | dbscan | agglomerative
    parameters          text not null,               -- JSON, every setting the run used
    n_users             integer,
    n_features          integer,                     -- columns clustered (after drops / reduction)
    n_segments          integer,                     -- segments with at least one user, noise excluded
    n_noise             integer,                     -- users labelled noise (DBSCAN), else 0
    inertia             real,                        -- sum of squared distances to centroids, model space
    silhouette          real,                        -- NULL when undefined (see silhouette_note)
    silhouette_sampled  integer check (silhouette_sampled in (0, 1)),
    silhouette_note     text,                        -- why silhouette is NULL, or the sample size used
    davies_bouldin      real,
    calinski_harabasz   real,
    previous_run_id     integer,                     -- the published run this one was matched to
    ari_previous        real,                        -- adjusted Rand index vs previous_run_id on the users of both
    pid                 integer,                     -- process id of the build (diagnostics)
    warnings            text,                        -- JSON array of strings
    error               text,
    tool_version        text not null
);
insert into segmentation_runs_new (run_id, status, started_at, finished_at, as_of, feature_view, algorithm, parameters,
                                   n_users, n_features, n_segments, inertia, silhouette, warnings, error, tool_version)
select run_id, status, started_at, finished_at, as_of, feature_view, algorithm, parameters,
       n_users, n_features, n_segments, inertia, silhouette, warnings, error, tool_version
from segmentation_runs;

create table user_segments_new (
    run_id                integer not null references segmentation_runs (run_id),
    user_id               text not null,
    segment_id            integer not null,          -- stable across runs; -1 = noise (DBSCAN)
    distance_to_centroid  real,                      -- Euclidean, model space; NULL for noise
    pc1                   real,                      -- first principal component score (for plotting)
    pc2                   real,                      -- second principal component score
    assignment            text not null default 'clustered' check (assignment in ('clustered', 'assigned')),
    assigned_at           text,                      -- UTC, set for rows written by `shopseg assign`
    primary key (run_id, user_id)
);
insert into user_segments_new (run_id, user_id, segment_id, distance_to_centroid)
select run_id, user_id, segment_id, distance_to_centroid from user_segments;

drop table user_segments;
drop table segmentation_runs;
alter table segmentation_runs_new rename to segmentation_runs;
alter table user_segments_new rename to user_segments;
create index user_segments_by_segment on user_segments (run_id, segment_id);
create index user_segments_by_user on user_segments (user_id, run_id);
create index segmentation_runs_by_status on segmentation_runs (status, run_id);

-- The published pointer: one row, moved in the same transaction that publishes a run.
create table published_run (
    id            integer primary key check (id = 1),
    run_id        integer not null references segmentation_runs (run_id),
    published_at  text not null,                     -- UTC
    last_batch_id integer,                           -- newest load batch when it was published
    last_event_id integer                            -- newest event row when it was published (`assign` starts after it)
);
insert into published_run (id, run_id, published_at, last_batch_id, last_event_id)
select 1, run_id, coalesce(finished_at, started_at), (select max(batch_id) from load_batches), (select max(event_id) from events)
from segmentation_runs where status = 'published' order by run_id desc limit 1;

-- How each segment of a run relates to the previous published run's (matched on shared users;
-- 'noise' is DBSCAN's segment -1, never matched).
create table segment_lineage (
    run_id            integer not null references segmentation_runs (run_id),
    segment_id        integer not null,
    previous_run_id   integer,                       -- NULL for a first run
    status            text not null check (status in ('kept', 'new', 'vanished', 'noise')),
    shared_users      integer not null,              -- users in this segment in both runs (0 for new / vanished)
    primary key (run_id, segment_id)
);

-- Who moved where between two consecutive published runs. from_segment_id NULL: users new in
-- to_run; to_segment_id NULL: users no longer present.
create table segment_transitions (
    from_run_id      integer not null,
    to_run_id        integer not null references segmentation_runs (run_id),
    from_segment_id  integer,
    to_segment_id    integer,
    users            integer not null check (users > 0)
);
create unique index segment_transitions_key
    on segment_transitions (to_run_id, coalesce(from_segment_id, -2), coalesce(to_segment_id, -2));

-- The stored model: how a raw feature row becomes a point in model space.
-- prepared = (transform(clip(impute(raw))) - center) / scale, in column order.
create table model_columns (
    run_id        integer not null references segmentation_runs (run_id),
    position      integer not null,                  -- 0-based column order in model space input
    feature       text not null,                     -- feature view column
    impute_value  real not null,                     -- replaces NULL (raw units)
    clip_low      real,                              -- winsorising bounds (raw units), NULL = none
    clip_high     real,
    transform     text not null,                     -- none | log1p | signed_log1p
    center        real not null,                     -- subtracted after the transform
    scale         real not null,                     -- divided by, > 0
    pca_mean      real,                              -- PCA centring (prepared units) when the run reduced with PCA
    primary key (run_id, position)
);

-- How model space is made and how a new user is placed in it.
create table model_settings (
    run_id          integer primary key references segmentation_runs (run_id),
    pca_components  integer,                          -- model space = first N PCA scores; NULL = prepared columns
    assign_rule     text not null check (assign_rule in ('nearest_point', 'nearest_point_within_eps')),
    eps             real                              -- DBSCAN eps (model space) for nearest_point_within_eps
);

-- Points that define segments in model space. role 'centroid': the segment's centroid
-- (k-means) or the mean of its members (DBSCAN, agglomerative); distances are measured to it.
-- role 'core': a DBSCAN core sample; a new user joins the segment of the nearest core sample
-- within eps. vector is a JSON array of model-space coordinates.
create table model_points (
    run_id      integer not null references segmentation_runs (run_id),
    point_id    integer not null,
    segment_id  integer not null,
    role        text not null check (role in ('centroid', 'core')),
    vector      text not null,
    primary key (run_id, point_id)
);

create table pca_components (
    run_id     integer not null references segmentation_runs (run_id),
    component  integer not null,                     -- 1-based
    feature    text not null,
    loading    real not null,
    primary key (run_id, component, feature)
);

create table pca_variance (
    run_id                    integer not null references segmentation_runs (run_id),
    component                 integer not null,      -- 1-based
    explained_variance        real not null,         -- prepared units squared
    explained_variance_ratio  real not null,         -- 0..1
    primary key (run_id, component)
);

create table k_selection (
    run_id             integer not null references segmentation_runs (run_id),
    k                  integer not null,
    inertia            real not null,
    silhouette         real,
    davies_bouldin     real,
    calinski_harabasz  real,
    is_chosen          integer not null check (is_chosen in (0, 1)),
    primary key (run_id, k)
);

-- The agglomerative merge tree in scipy's linkage convention: step i merges clusters left and
-- right (ids < n are observations — or micro-clusters in two-stage mode — and n + i is the
-- cluster made at step i) at distance, giving a cluster of size members.
create table segment_linkage (
    run_id    integer not null references segmentation_runs (run_id),
    step      integer not null,
    "left"    integer not null,
    "right"   integer not null,
    distance  real not null,
    size      integer not null,
    primary key (run_id, step)
);

create view current_run as
select r.* from segmentation_runs as r join published_run as p on p.run_id = r.run_id;

create view current_user_segments as
select us.* from user_segments as us where us.run_id = (select run_id from published_run);

create view current_segments as
select s.* from segments as s where s.run_id = (select run_id from published_run);

create view current_segment_profiles as
select sp.* from segment_profiles as sp where sp.run_id = (select run_id from published_run);

create view current_segment_transitions as
select t.* from segment_transitions as t where t.to_run_id = (select run_id from published_run);

create view current_segment_lineage as
select l.* from segment_lineage as l where l.run_id = (select run_id from published_run);
