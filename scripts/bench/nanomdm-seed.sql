-- Seeds NanoMDM's tables (nanomdm-schema.sql) with the same :devices devices and ids as seed.sql,
-- as NanoMDM leaves them after each device's Authenticate and first TokenUpdate: the raw
-- Authenticate and TokenUpdate plists in devices (NanoMDM stores both verbatim), the UnlockToken,
-- one 'Device' enrollment, and one certificate association (id, hex SHA-256). The device's
-- identity_cert (PEM, ~1.3 KB) is left NULL: smaller rows can only make NanoMDM faster here, so
-- the bound stays an upper bound. The fake certificate hash is sha256(id), which
-- nanomdm-tokenupdate.pgbench computes the same way.
\set ON_ERROR_STOP on
\timing on
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
SET search_path = nanomdm;

TRUNCATE cert_auth_associations, enrollments, users, devices;
-- The rows are consistent by construction: skip the foreign-key triggers (a look-up in devices per
-- enrollment) while loading, and build the secondary indexes afterwards.
SET session_replication_role = replica;
\set tables '''devices'', ''enrollments'', ''cert_auth_associations'''
\ir indexes-drop.sql

INSERT INTO devices (id, serial_number, unlock_token, unlock_token_at, authenticate, authenticate_at,
                     token_update, token_update_at, created_at, updated_at)
SELECT id, 'BN' || lpad(n::text, 10, '0'),
       'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8=',
       now() - interval '1 hour',
       '<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>BuildVersion</key>
	<string>21F90</string>
	<key>DeviceName</key>
	<string>Bench iPhone ' || n || '</string>
	<key>MessageType</key>
	<string>Authenticate</string>
	<key>Model</key>
	<string>iPhone14,5</string>
	<key>OSVersion</key>
	<string>17.5.1</string>
	<key>ProductName</key>
	<string>iPhone14,5</string>
	<key>SerialNumber</key>
	<string>BN' || lpad(n::text, 10, '0') || '</string>
	<key>Topic</key>
	<string>com.apple.mgmt.External.bench</string>
	<key>UDID</key>
	<string>' || id || '</string>
</dict>
</plist>
', now() - interval '2 hours',
       replace(:'token_update', '@UDID@', id), now() - interval '1 hour',
       now() - interval '2 hours', now() - interval '1 hour'
FROM (SELECT n, :'prefix' || lpad(n::text, 9, '0') AS id FROM generate_series(:first, :first + :devices - 1) AS n) AS s;

INSERT INTO enrollments (id, device_id, user_id, type, topic, push_magic, token_hex, enabled,
                         token_update_tally, last_seen_at, created_at, updated_at)
SELECT id, id, NULL, 'Device', 'com.apple.mgmt.External.bench', upper(md5(id || 'magic')),
       md5(id) || md5(md5(id)), true, 1, now() - interval '1 hour', now() - interval '2 hours', now() - interval '1 hour'
FROM (SELECT :'prefix' || lpad(n::text, 9, '0') AS id FROM generate_series(:first, :first + :devices - 1) AS n) AS s;

INSERT INTO cert_auth_associations (id, sha256, created_at, updated_at)
SELECT id, encode(sha256(convert_to(id, 'UTF8')), 'hex'), now() - interval '2 hours', now() - interval '2 hours'
FROM (SELECT :'prefix' || lpad(n::text, 9, '0') AS id FROM generate_series(:first, :first + :devices - 1) AS n) AS s;

RESET session_replication_role;
\ir indexes-create.sql
