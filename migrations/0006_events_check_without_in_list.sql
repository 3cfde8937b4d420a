-- events.event_type's CHECK as a chain of equalities instead of `in (…)`: the same five values,
-- but SQLite evaluates `in (list)` in a CHECK by building a temporary index of the list for every
-- execution of the insert, i.e. for every row the loader steps (measured at 100k users, 2,251,639
-- rows: `shopseg load events` 12.8 s of user CPU with `in (…)`, 8.0 s with this form; one
-- `insert … select` in the sqlite3 shell 3.2 s with `in (…)`, 1.9 s with this form or no CHECK).
-- SQLite cannot change a CHECK in place: the table is rebuilt (event_id and every value kept),
-- with legacy_alter_table so that the rename leaves the feature views' references to `events`
-- as they are. Instant on a new database; on an existing one it copies every event once.

pragma legacy_alter_table = on;

create table events_0006 (
    event_id     integer primary key,
    batch_id     integer not null references load_batches (batch_id),
    line_number  integer not null,
    user_id      text not null,
    event_type   text not null check (event_type = 'view' or event_type = 'cart' or event_type = 'purchase'
                                      or event_type = 'return' or event_type = 'rating'),
    occurred_at  text not null,                    -- UTC, ISO-8601
    item_id      text,
    category     text,
    order_id     text,
    quantity     real,
    unit_price   real,                             -- shop currency per unit
    amount       real,                             -- shop currency; quantity × unit_price when derived
    rating       real,
    review_text  text,
    session_id   text
);
insert into events_0006 (event_id, batch_id, line_number, user_id, event_type, occurred_at, item_id, category,
                         order_id, quantity, unit_price, amount, rating, review_text, session_id)
select event_id, batch_id, line_number, user_id, event_type, occurred_at, item_id, category,
       order_id, quantity, unit_price, amount, rating, review_text, session_id
from events order by event_id;
drop table events;
alter table events_0006 rename to events;
create index events_by_user on events (user_id, event_type, occurred_at);

pragma legacy_alter_table = off;
