/**
 * A small closed-loop HTTP load generator for loopback benchmarks: C clients, each sending the
 * next request as soon as the last answered, for a fixed time. Bounded in count and time; it stops
 * by itself. Reports throughput and latency percentiles.
 */
import { Agent, request } from 'undici';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  firstError: string | null;
}

export async function closedLoop(opts: {
  url: string;
  clients: number;
  seconds: number;
  maxRequests?: number;
  headers?: Record<string, string>;
  body: (i: number) => unknown;
}): Promise<LoadResult> {
  const agent = new Agent({ connections: opts.clients, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let firstError: string | null = null;
  const max = opts.maxRequests ?? Number.MAX_SAFE_INTEGER;
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline && next < max) {
      const i = next++;
      const t0 = performance.now();
      const res = await request(opts.url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json', ...opts.headers },
        body: JSON.stringify(opts.body(i)),
      });
      const text = await res.body.text();
      latencies.push(performance.now() - t0);
      if (res.statusCode !== 200) {
        errors++;
        firstError ??= `${res.statusCode} ${text.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, client));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: pct(0.5),
    p99: pct(0.99),
    firstError,
  };
}
