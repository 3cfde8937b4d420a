-- The planted customer type of each user of a synthetic shop (`shopseg generate --db`), so a
-- build's segments can be scored against the truth (adjusted Rand index).
-- Grain: one row per user_id; empty unless the database was filled by the generator.

create table synthetic_truth (
    user_id          text primary key,
    planted_segment  text not null           -- champions | loyal | bargain_hunters | window_shoppers | at_risk | new | one_off_buyers
);
