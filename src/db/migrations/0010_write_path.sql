-- The settlement write path, made lighter (bench/settlement):
--
-- 1. The explanation and the bill lines of a settlement, and the audit entry's before/after, are
--    the large values of each write; PostgreSQL compresses them on every insert. lz4 compresses
--    several times faster than the default pglz. A server built without lz4 (PGlite) keeps pglz.
-- 2. The audit log's time index becomes a BRIN index: entries are appended in time order, so a
--    block-range summary answers "from … to …" as well, and costs almost nothing per insert,
--    where the B-tree was one more index write for every audited change.
-- 3. An accumulator row is rewritten by every settlement of its person: room left on its page lets
--    the new version stay there (a HOT update, no index write), and the page's dead versions are
--    pruned as it is read.
DO $$
BEGIN
  ALTER TABLE settlement ALTER COLUMN explain SET COMPRESSION lz4,
                         ALTER COLUMN lines SET COMPRESSION lz4;
  ALTER TABLE audit_log ALTER COLUMN before_json SET COMPRESSION lz4,
                        ALTER COLUMN after_json SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 not available here: values stay pglz-compressed';
END
$$;

DROP INDEX audit_log_at_idx;
CREATE INDEX audit_log_at_brin ON audit_log USING brin (at);

ALTER TABLE accumulator SET (fillfactor = 70);
