/**
 * The machine's CPU time over a measured run, from /proc/stat: what the run cost beside what it
 * did. On a shared 2-core machine the same code's throughput moves with what else runs (steal
 * time shows that); CPU milliseconds per operation move much less, so the benchmarks print them
 * beside the rates to compare a change or a baseline by.
 */
import { readFileSync } from 'node:fs';

export interface CpuSample {
  /** user + nice + system + irq + softirq, in clock ticks. */
  busy: number;
  /** idle + iowait. */
  idle: number;
  /** Time the hypervisor gave this machine's CPUs to someone else. */
  steal: number;
}

/** Clock ticks per second of /proc/stat (USER_HZ; 100 on Linux for x86 and arm). */
const TICKS_PER_SECOND = 100;

/** A sample of the whole machine's CPU counters; null where there is no /proc/stat. */
export function cpuSample(): CpuSample | null {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const f = text.split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal };
}

export interface CpuUse {
  /** CPU milliseconds the machine spent per operation (all processes). */
  msPerOp: number;
  /** Share of the machine's CPU time that was busy, idle and stolen. */
  busyShare: number;
  idleShare: number;
  stealShare: number;
}

export function cpuUse(from: CpuSample | null, to: CpuSample | null, ops: number): CpuUse | null {
  if (!from || !to || ops <= 0) return null;
  const busy = to.busy - from.busy;
  const idle = to.idle - from.idle;
  const steal = to.steal - from.steal;
  const all = busy + idle + steal;
  if (all <= 0) return null;
  return {
    msPerOp: (busy * 1000) / TICKS_PER_SECOND / ops,
    busyShare: busy / all,
    idleShare: idle / all,
    stealShare: steal / all,
  };
}

export const formatCpu = (u: CpuUse | null): string =>
  u === null
    ? 'CPU: not measured (no /proc/stat)'
    : `CPU ${u.msPerOp.toFixed(3)} ms each (machine busy ${(100 * u.busyShare).toFixed(0)} %, idle ${(100 * u.idleShare).toFixed(0)} %, stolen ${(100 * u.stealShare).toFixed(0)} %)`;

/**
 * CPU time a process has used so far (all its threads, user + system), in milliseconds; null when
 * it is gone or there is no /proc. bench/settlement-ab reads the server and its PostgreSQL backends
 * this way, so that two servers running at once are each charged for their own work.
 */
export function processCpuMs(pid: number): number | null {
  const f = procStat(pid);
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND : null;
}

/**
 * The fields of /proc/PID/stat after the command name, from field 3 (state) on; null when the
 * process is gone. The name (field 2) may hold spaces; what follows its closing parenthesis doesn't.
 */
export function procStat(pid: number): string[] | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}
