-- Raw tables: what came in (load_batches), what was refused (load_rejects), and the
-- canonical events, users and items. Append-only for events; users and items are upserted.
-- Times are ISO-8601 text in UTC ('1997-01-01T00:00:00Z'); money in the shop's currency.

create table load_batches (
    batch_id        integer primary key,
    target          text not null check (target in ('events', 'users', 'items')),
    file_path       text not null,
    content_sha256  text not null,                 -- hex SHA-256 of the file's bytes
    mapping_path    text,                          -- null: canonical header, no mapping file
    started_at      text not null,                 -- UTC
    finished_at     text not null,                 -- UTC
    duration_ms     integer not null,
    rows_read       integer not null,
    rows_loaded     integer not null,
    rows_rejected   integer not null,
    check (rows_read = rows_loaded + rows_rejected)
);
create index load_batches_by_hash on load_batches (target, content_sha256);

create table load_rejects (
    batch_id     integer not null references load_batches (batch_id),
    line_number  integer not null,                 -- 1-based physical line where the record starts
    raw_text     text not null,
    reason       text not null,
    primary key (batch_id, line_number)
);

create table events (
    event_id     integer primary key,
    batch_id     integer not null references load_batches (batch_id),
    line_number  integer not null,
    user_id      text not null,
    event_type   text not null check (event_type in ('view', 'cart', 'purchase', 'return', 'rating')),
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
create index events_by_user on events (user_id, event_type, occurred_at);

create table users (
    user_id      text primary key,
    batch_id     integer not null references load_batches (batch_id),
    signup_at    text,                             -- UTC, ISO-8601
    birth_date   text,                             -- yyyy-MM-dd
    country      text,
    city         text,
    gender       text
);

create table items (
    item_id      text primary key,
    batch_id     integer not null references load_batches (batch_id),
    name         text,
    category     text,
    price        real,                             -- shop currency per unit
    brand        text
);
