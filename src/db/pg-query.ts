/**
 * The query node-postgres runs for the adapter (postgres.ts), built so that pg does less on each
 * call of the settlement path, whose server runs on one thread that every settlement passes:
 *
 * - A query handed to pg as a config object is copied property by property
 *   (`Object.defineProperties` over `Object.getOwnPropertyDescriptors`) before it runs, many
 *   times the cost of passing text and values. This query is made from the text and values.
 * - pg asks the server to describe every execution's result and, from the description, builds each
 *   column's parser and an empty row with `Object.create(null)` (a dictionary-mode object every
 *   row is then copied from). A prepared statement's result is described the same way every
 *   time, so what pg made of it is kept per statement and used again while the description is
 *   the same.
 *
 * `npm run bench settlement-ab` shows what this saves per settlement (bench/README.md).
 * The parts of pg this relies on (`Result#addFields`, its `_parsers` and
 * `_prebuiltEmptyResultObject`, `Query#_result`, `_results` and `callback`) are checked by
 * pg-query.test.ts and pg-query.db.test.ts against the pg version the lock file installs.
 */
import pg from 'pg';

/** The column descriptions pg hands to `addFields` (pg-protocol's Field). */
interface FieldDescription {
  name: string;
  dataTypeID: number;
  format?: string;
}

/** Result's members this file uses that pg's type declarations leave out. */
interface ResultInternals {
  fields: FieldDescription[];
  _parsers: unknown[];
  _prebuiltEmptyResultObject: Record<string, null>;
}

/** What pg made of one prepared statement's row description. */
interface Described {
  fields: FieldDescription[];
  parsers: unknown[];
  emptyRow: Record<string, null>;
}

const described = new Map<string, Described>();

const sameFields = (a: readonly FieldDescription[], b: readonly FieldDescription[]): boolean =>
  a.length === b.length &&
  a.every(
    (f, i) =>
      f.name === b[i]!.name && f.dataTypeID === b[i]!.dataTypeID && f.format === b[i]!.format,
  );

/** What pg asks for a column's parser (the adapter's overrides, then pg's own). */
export interface TypeParsers {
  getTypeParser: typeof pg.types.getTypeParser;
}

/** A result that reuses what pg made of its statement's last row description. */
export class DescribedResult extends pg.Result {
  constructor(
    types: TypeParsers,
    private readonly statement: string,
  ) {
    super(undefined as unknown as string, types as typeof pg.types);
  }

  addFields(fields: FieldDescription[]): void {
    const self = this as unknown as ResultInternals;
    const known = described.get(this.statement);
    if (known && sameFields(known.fields, fields)) {
      self.fields = fields;
      self._parsers = known.parsers;
      self._prebuiltEmptyResultObject = known.emptyRow;
      return;
    }
    (pg.Result.prototype as unknown as { addFields(f: FieldDescription[]): void }).addFields.call(
      this,
      fields,
    );
    // An ordinary object literal, so that the rows copied from it are fast objects too.
    const emptyRow: Record<string, null> = {};
    for (const f of fields) emptyRow[f.name] = null;
    self._prebuiltEmptyResultObject = emptyRow;
    described.set(this.statement, { fields, parsers: self._parsers, emptyRow });
  }
}

/** Query's members this file uses that pg's type declarations leave out. */
interface QueryInternals {
  name?: string;
  callback?: (err: Error | null, res: pg.Result) => void;
  _result: pg.Result;
  _results: pg.Result;
}

/**
 * Runs `text` with `values` on the pool (which lends a connection for it) or on a client that
 * holds a transaction. `name` makes it a prepared statement, whose result description is kept.
 */
export function runQuery(
  c: pg.Pool | pg.PoolClient,
  text: string,
  values: unknown[] | undefined,
  types: TypeParsers,
  name: string | undefined,
): Promise<pg.Result> {
  const q = new pg.Query(text, values);
  const internals = q as unknown as QueryInternals;
  if (name !== undefined) {
    internals.name = name;
    const result = new DescribedResult(types, name);
    internals._result = result;
    internals._results = result;
  }
  // The pool answers a query object with a promise and releases its connection in its own
  // callback; a client runs the object as it is and answers through the object's callback.
  if (c instanceof pg.Pool) return c.query(q) as unknown as Promise<pg.Result>;
  return new Promise((resolve, reject) => {
    internals.callback = (err, res) => (err ? reject(err) : resolve(res));
    c.query(q);
  });
}
