/** Exhaustiveness guard: a switch that forgets a member of a union fails to compile here. */
export function assertNever(value: never, what: string): never {
  throw new TypeError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
