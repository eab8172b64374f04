-- Bulk-load helper: drops the indexes of :tables (current schema), remembering their definitions
-- for indexes-create.sql: plain indexes, and primary-key/unique constraints that no foreign key
-- depends on. Building an index once after the load is several times faster than maintaining it
-- row by row; the definitions are read from the catalog, so they are always the migrations' own.
--   \set tables '''devices'', ''enrollments'''   then   \ir indexes-drop.sql
CREATE TEMP TABLE IF NOT EXISTS seed_constraints (tbl text, conname text, condef text);
CREATE TEMP TABLE IF NOT EXISTS seed_indexes (indexname text, indexdef text);
INSERT INTO seed_constraints
SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
WHERE c.connamespace = current_schema()::regnamespace AND r.relname IN (:tables) AND c.contype IN ('p', 'u')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid);
INSERT INTO seed_indexes
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = current_schema() AND i.tablename IN (:tables)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace);
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, conname) FROM seed_constraints \gexec
SELECT format('DROP INDEX %I.%I', current_schema(), indexname) FROM seed_indexes \gexec
