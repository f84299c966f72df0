/**
 * The columns of an import file: how a header row maps to keys. Every import describes its own
 * columns (the registry's template, a department list, a batch, the catalogue) and reads its file
 * with the one reader (read.ts).
 */

/** One cell as a file holds it: text, a date Excel stored, or nothing. */
export type Cell = string | Date | null;

/** A column of an import file: its key, its Chinese header, whether a file must have it. */
export interface ColumnSpec<K extends string> {
  key: K;
  header: string;
  required: boolean;
}

/**
 * How a file's header row maps to column keys. The registry's template is one set; other imports
 * (e.g. batch assistance) describe their own columns and reuse the same reader.
 */
export interface ColumnSet<K extends string> {
  /** Maps a header row to column keys (null for columns the set does not know). */
  map(headers: readonly string[]): (K | null)[];
  /** The required columns a header row lacks. */
  missing(keys: readonly (K | null)[]): K[];
  headerOf(key: K): string;
}

const normalise = (h: string) => h.replace(/[\s*＊（）()]/g, '').toLowerCase();

/** Headers are matched ignoring spaces, asterisks and brackets; English keys are accepted too. */
export function columnSet<K extends string>(columns: readonly ColumnSpec<K>[]): ColumnSet<K> {
  const byHeader = new Map<string, K>(
    columns.flatMap((c) => [
      [normalise(c.header), c.key],
      [normalise(c.key), c.key],
    ]),
  );
  return {
    map: (headers) => headers.map((h) => byHeader.get(normalise(h)) ?? null),
    missing: (keys) => columns.filter((c) => c.required && !keys.includes(c.key)).map((c) => c.key),
    headerOf: (key) => columns.find((c) => c.key === key)?.header ?? key,
  };
}
