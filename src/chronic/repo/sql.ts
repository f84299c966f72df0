/** Pieces of SQL the chronic repositories share: the database toolbox's. */
export { limitOffset, param, scoped, ts, type Page } from '../../db/sql-parts.ts';
