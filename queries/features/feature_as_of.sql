-- feature_as_of: the reference instant of every feature view.
-- Grain: one row. as_of is UTC ISO-8601 text: the value `shopseg build` stored in
-- build_context (--as-of, default the latest event time); before any build, the latest event time.
-- Views never read the wall clock, so a rebuild of the same data gives the same features.

select
    coalesce(
        (select as_of from build_context where id = 1),
        (select max(occurred_at) from events)
    ) as as_of
