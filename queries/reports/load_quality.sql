-- Load quality: every batch with its reject rate, and the most common reject reasons.

select batch_id, target, file_path, started_at, rows_read, rows_loaded, rows_rejected,
       round(100.0 * rows_rejected / rows_read, 2) as reject_pct
from load_batches
order by batch_id;

select batch_id, reason, count(*) as rows
from load_rejects
group by batch_id, reason
order by rows desc
limit 20;
