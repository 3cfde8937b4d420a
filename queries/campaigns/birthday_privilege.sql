-- Birthday privilege: a gift voucher in the week of a customer's birthday.
--
-- id: birthday_privilege
-- name: Birthday privilege
-- channel: email
-- offer: Birthday gift voucher, valid 30 days
-- priority: 10
-- holdout_pct: 10
--
-- Who: registered users (the users table, from `shopseg load users`) whose birthday falls in
-- the seven days starting on as_of's day (feature_as_of: the run's as_of, never the wall
-- clock); a 29 February birthday counts on 28 February in common years. Only users with a
-- valid yyyy-MM-dd birth_date: none at all when users were not loaded.
-- Why: a personal, date-bound message is welcome and well opened; it runs first on e-mail
-- so that a customer's birthday week is not spent on another offer. Nightly runs pick the
-- same users for seven nights with the same holdout, so the gift goes out once per week
-- window whichever night the marketing system reads it.

with recursive

as_of as (
    select date(as_of) as as_of_day from feature_as_of
),

day_offsets as (
    select 0 as n
    union all
    select n + 1 from day_offsets where n < 6
),

window_days as (
    select
        date(a.as_of_day, '+' || d.n || ' days') as day,
        strftime('%m-%d', a.as_of_day, '+' || d.n || ' days') as month_day,
        -- true on 28 February of a common year, when 29 February birthdays are celebrated
        strftime('%m-%d', a.as_of_day, '+' || (d.n + 1) || ' days') = '03-01'
            and strftime('%m-%d', a.as_of_day, '+' || d.n || ' days') = '02-28' as is_common_year_feb_28
    from as_of as a
    cross join day_offsets as d
),

birthdays as (
    select
        u.user_id,
        u.birth_date,
        substr(u.birth_date, 6, 5) as month_day
    from users as u
    where u.birth_date glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
),

final as (
    select
        b.user_id,
        b.birth_date,
        min(w.day) as celebrated_on
    from birthdays as b
    join window_days as w
        on w.month_day = b.month_day
        or (b.month_day = '02-29' and w.is_common_year_feb_28)
    group by b.user_id, b.birth_date
)

select * from final
