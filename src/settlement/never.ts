/**
 * Exhaustiveness guard for switches over unions: adding a member to the union makes every switch
 * that forgot it fail to compile here, instead of silently falling through at run time.
 */
export function assertNever(value: never, what: string): never {
  throw new TypeError(`unexpected ${what}: ${String(value)}`);
}
