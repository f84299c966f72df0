/**
 * The CPU a running server spends, split in two: its own processes (the server and any workers it
 * started) and the PostgreSQL backends that serve it, which its pool marks with an
 * application_name. Machine-wide figures (cpu.ts) cannot tell these apart, nor two servers
 * running at once (bench/settlement-ab).
 */
import { readdirSync } from 'node:fs';
import { procStat, processCpuMs } from './cpu.ts';
import { queryOnce } from './scratch-db.ts';

export interface CpuSplit {
  /** Milliseconds of CPU over the interval: the server's processes, and its PostgreSQL backends. */
  serverMs: number;
  postgresMs: number;
}

/** The URL with `application_name` set, so that the server's connections can be found. */
export function withApplicationName(url: string, name: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
}

/** `pid` and every process below it (a server's workers), from /proc. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (!stat) continue;
    const ppid = Number(stat[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

async function backends(dbUrl: string, name: string): Promise<number[]> {
  const rows = await queryOnce<{ pid: number }>(
    dbUrl,
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [name],
  );
  return rows.map((x) => x.pid);
}

const cpuOf = (pids: readonly number[]) => new Map(pids.map((p) => [p, processCpuMs(p) ?? 0]));

/**
 * Starts measuring; the function it returns ends the interval. A process or backend that starts
 * during it is charged from zero; one that ends during it is lost (the pool keeps its connections
 * while they are busy). `dbUrl`: any connection to the server's database.
 */
export async function startCpuSplit(
  dbUrl: string,
  applicationName: string,
  serverPid: number,
): Promise<() => Promise<CpuSplit>> {
  const server = cpuOf(processTree(serverPid));
  const postgres = cpuOf(await backends(dbUrl, applicationName));
  const spent = (from: Map<number, number>, pids: readonly number[]) =>
    pids.reduce((a, p) => a + (processCpuMs(p) ?? from.get(p) ?? 0) - (from.get(p) ?? 0), 0);
  return async () => {
    // Backends first: reading the server's tree takes a moment, and the load has stopped anyway.
    const pgPids = [...new Set([...postgres.keys(), ...(await backends(dbUrl, applicationName))])];
    return {
      postgresMs: spent(postgres, pgPids),
      serverMs: spent(server, [...new Set([...server.keys(), ...processTree(serverPid)])]),
    };
  };
}
