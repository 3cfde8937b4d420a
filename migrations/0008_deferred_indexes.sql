-- Indexes a first load dropped and has not built yet. A first load into an empty table
-- (`events`: most of a warehouse's rows) drops its secondary indexes and records their
-- definitions here, in the batch's transaction; the next `build`, `assign` or `init` builds
-- them (one sorted pass over every row loaded meanwhile) and deletes the rows. Until then
-- queries are right, only slower (the feature views sort the events instead of reading
-- them in index order). `shopseg status` lists what is deferred.

create table deferred_indexes (
    name         text primary key,
    table_name   text not null,
    sql          text not null,                  -- the `create index` statement, as sqlite_master held it
    deferred_at  text not null                   -- UTC, ISO-8601
);
