-- events_by_user as (user_id, occurred_at, event_type) instead of (user_id, event_type, occurred_at):
-- the same columns, so every query it served still finds them in the index, but a user's entries
-- now follow time. A log written per user in time order (as many exports and `shopseg generate`
-- are) holds its rows in that same order, so the feature views' scan of the index reaches each
-- event's row by stepping to the next one instead of searching the table for it. Measured at
-- 100k users (2.25M events), user_features, CPU: 2.15 s → 1.83 s (the old views: 3.3 s → 2.9 s);
-- on the same events stored in global time order (users interleaved) 3.0 s → 2.8 s. The index
-- builds faster after a first load (0.75 s instead of 0.97 s of CPU at 100k: its input is then
-- nearly sorted) and has the same size.
-- On an existing database the index is built again once: about 2 s per million events (38 s at
-- 22.5M events, 1M users).

drop index if exists events_by_user;
create index events_by_user on events (user_id, occurred_at, event_type);
