-- Recreates what indexes-drop.sql dropped: the constraints (with their indexes), then the indexes.
SET max_parallel_maintenance_workers = 2;
SET maintenance_work_mem = '512MB';
SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, conname, condef) FROM seed_constraints \gexec
SELECT indexdef FROM seed_indexes \gexec
TRUNCATE seed_constraints, seed_indexes;
