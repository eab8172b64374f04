-- Seeds the gateway's tables with :devices enrolled devices, ids :'prefix' || 9 digits from :first on,
-- the ids bench/tokenupdate.lua (BENCH-, from 1) and the load tester (LOADTEST-, from 0) send: one devices row and one
-- 'Device' enrollment each, shaped like rows an Authenticate + TokenUpdate leave behind (V1__init.sql).
-- Versions are microseconds since the epoch, older than any request the runs send: devices an hour
-- older than their enrollments, so TokenUpdates are neither superseded nor stale.
--   psql -v devices=10000 -v first=1 -v prefix=BENCH- -f scripts/bench/seed.sql
\set ON_ERROR_STOP on
\timing on
SET synchronous_commit = off;   -- the seed is one transaction per table; nothing to wait for twice
SET maintenance_work_mem = '256MB';
SELECT (extract(epoch FROM now()) * 1000000)::bigint - 7200000000 AS device_version,
       (extract(epoch FROM now()) * 1000000)::bigint - 3600000000 AS enrollment_version \gset

TRUNCATE enrollments, devices, device_certificates;
\set tables '''devices'', ''enrollments'''
\ir indexes-drop.sql

INSERT INTO devices (id, organization_id, serial_number, model, model_name, product_name, device_name,
                     os_version, build_version, topic, authenticated_at, write_version, created_at, updated_at)
SELECT :'prefix' || lpad(n::text, 9, '0'), 'default', 'BN' || lpad(n::text, 10, '0'),
       'iPhone14,5', 'iPhone', 'iPhone14,5', 'Bench iPhone ' || n, '17.5.1', '21F90',
       'com.apple.mgmt.External.bench', now() - interval '2 hours', :device_version,
       now() - interval '2 hours', now() - interval '2 hours'
FROM generate_series(:first, :first + :devices - 1) AS n;

-- token: 32 bytes (a SHA-256, cheap to make); unlock_token: 96 bytes as bench/tokenupdate.lua sends (the same for every device:
-- only its size matters here); push_magic: a UUID-shaped string.
INSERT INTO enrollments (id, device_id, user_id, type, organization_id, topic, push_magic, token,
                         unlock_token, unlock_version, awaiting_configuration, enabled, token_update_count,
                         last_seen_at, enrolled_at, write_version, created_at, updated_at)
SELECT id, id, NULL, 'Device', 'default', 'com.apple.mgmt.External.bench',
       upper(h::uuid::text), sha256(convert_to(id, 'UTF8')),
       decode(repeat('000102030405060708090a0b0c0d0e0f', 6), 'hex'), :enrollment_version,
       false, true, 1, now() - interval '1 hour', now() - interval '1 hour', :enrollment_version,
       now() - interval '1 hour', now() - interval '1 hour'
FROM (SELECT :'prefix' || lpad(n::text, 9, '0') AS id, md5(n::text) AS h
      FROM generate_series(:first, :first + :devices - 1) AS n) AS s;

\ir indexes-create.sql
