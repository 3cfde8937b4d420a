-- Segmentation runs and their outputs, every row keyed by run_id.
-- A run is visible to readers (current_* views) only once its status is 'published'.

create table build_context (
    id     integer primary key check (id = 1),
    as_of  text not null                           -- UTC, ISO-8601: the reference instant of feature views
);

create table segmentation_runs (
    run_id        integer primary key,
    status        text not null check (status in ('running', 'published', 'failed')),
    started_at    text not null,                   -- UTC
    finished_at   text,                            -- UTC
    as_of         text not null,                   -- UTC
    feature_view  text not null,
    algorithm     text not null,
    parameters    text not null,                   -- JSON
    n_users       integer,
    n_features    integer,
    n_segments    integer,
    inertia       real,                            -- in scaled feature space
    silhouette    real,
    warnings      text,                            -- JSON array of strings
    error         text,
    tool_version  text not null
);

create table user_segments (
    run_id                integer not null references segmentation_runs (run_id),
    user_id               text not null,
    segment_id            integer not null,
    distance_to_centroid  real not null,           -- Euclidean, in scaled feature space
    primary key (run_id, user_id)
);
create index user_segments_by_segment on user_segments (run_id, segment_id);

create table segments (
    run_id      integer not null references segmentation_runs (run_id),
    segment_id  integer not null,
    size        integer not null,
    share       real not null,                     -- size / n_users, 0..1
    primary key (run_id, segment_id)
);

create table segment_profiles (
    run_id      integer not null references segmentation_runs (run_id),
    segment_id  integer not null,
    feature     text not null,
    mean        real,
    median      real,
    stddev      real,
    min         real,
    max         real,
    primary key (run_id, segment_id, feature)
);

create view current_run as
select *
from segmentation_runs
where run_id = (select max(run_id) from segmentation_runs where status = 'published');

create view current_user_segments as
select us.* from user_segments as us where us.run_id = (select run_id from current_run);

create view current_segments as
select s.* from segments as s where s.run_id = (select run_id from current_run);

create view current_segment_profiles as
select sp.* from segment_profiles as sp where sp.run_id = (select run_id from current_run);
