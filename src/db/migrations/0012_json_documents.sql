-- The documents of the settlement path become `json`, not `jsonb` (bench/settlement):
-- a settlement's bill lines, explanation and accumulator delta, and the accumulator's state, are
-- written whole and read back whole by the service; no statement looks inside them. `jsonb`
-- parses every value into its binary form on the way in, a large part of PostgreSQL's work per
-- settlement for documents of several kilobytes; `json` only checks the text, and keeps it as
-- written.
-- What cannot be done with `json`: equality, DISTINCT, GROUP BY or UNION over these columns;
-- nothing does.
ALTER TABLE settlement ALTER COLUMN lines TYPE json USING lines::json,
                       ALTER COLUMN explain TYPE json USING explain::json,
                       ALTER COLUMN delta TYPE json USING delta::json;
ALTER TABLE accumulator ALTER COLUMN state TYPE json USING state::json;

-- The type change resets a column's compression to the default (checked on PostgreSQL 15): set
-- lz4 again where the server has it, as 0010 did.
DO $$
BEGIN
  ALTER TABLE settlement ALTER COLUMN explain SET COMPRESSION lz4,
                         ALTER COLUMN lines SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 not available here: values stay pglz-compressed';
END
$$;
