-- Every TokenUpdate batch reads, by id, each device's write_version (did the device authenticate
-- after this TokenUpdate?). With write_version in an index the read is an index-only scan, so the
-- devices heap is no longer part of the TokenUpdate's working set: at 10M devices the heap is 2 GB
-- and the index 0.5 GB, and pgbench ran the batched upsert at 74-77k rows/s with it, 40-65k without
-- (BENCHMARKS.md).
-- The price is paid by Authenticate, once per enrollment: changing write_version makes its update of
-- the device row non-HOT, so it maintains the device's index entries.
-- A plain CREATE INDEX: while it builds (about 4 s per 10M devices) writes to devices (Authenticate,
-- bootstrap token escrow) wait; check-ins that only read devices, TokenUpdates among them, do not.
CREATE INDEX devices_id_write_version_idx ON devices (id) INCLUDE (write_version);
