/**
 * Settlement load through the HTTP API, for crash tests: clients that settle bills for random
 * people and cancel some of what they settled, remembering only what the server acknowledged
 * (answered 200). A request the server never answered is neither acknowledged nor counted lost.
 */
export interface Acknowledged {
  /** Settlement ids answered 200 to a settle. */
  settled: number[];
  /** Ids of settlements whose cancel was answered 200. */
  cancelled: number[];
  /** Answers other than 200 (a 4xx for a refused bill is fine; a 5xx is not). */
  refused: { status: number; body: string }[];
  /** Requests that got no answer (the server went away). */
  unanswered: number;
}

export interface LoadOptions {
  base: string;
  headers: Record<string, string>;
  certnos: readonly string[];
  clients: number;
  /** Share of turns that cancel an acknowledged settlement of the client's (0..1). */
  cancelShare: number;
  /** Unique per run: msgids are `${tag}-${client}-${n}`. */
  tag: string;
  /** Each client stops when this says so, or after its first unanswered request. */
  stop: () => boolean;
}

const bill = (n: number) => ({
  date: `2022-${String((n % 12) + 1).padStart(2, '0')}-15`,
  visitType: n % 3 === 0 ? 'inpatient' : 'general_outpatient',
  hospitalLevel: 2,
  diagnosis: 'K35.8',
  lines: [
    { amount: 300 + (n % 7) * 450, class: 'A' },
    { amount: 80 + (n % 5) * 40, class: 'B' },
    { amount: 20, class: 'C' },
  ],
});

export async function runLoad(o: LoadOptions): Promise<Acknowledged> {
  const ack: Acknowledged = { settled: [], cancelled: [], refused: [], unanswered: 0 };
  const post = async (path: string, body: unknown) => {
    try {
      const r = await fetch(`${o.base}${path}`, {
        method: 'POST',
        headers: { ...o.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await r.text();
      return { status: r.status, text };
    } catch {
      return null;
    }
  };
  const client = async (c: number) => {
    const mine: number[] = [];
    let seed = c * 7919 + 17;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; !o.stop(); n++) {
      const msgid = `${o.tag}-${c}-${n}`;
      const cancel = mine.length > 0 && rand() < o.cancelShare;
      const r = cancel
        ? await post(`/api/v1/settlements/${mine[mine.length - 1]}/cancel`, {
            msgid,
            reason: 'crash test',
          })
        : await post('/api/v1/settlements', {
            msgid,
            certno: o.certnos[Math.floor(rand() * o.certnos.length)],
            // The demo county's hospital (level 2, the bills' level): a bill names its institution.
            fixmedinsCode: 'H37089900001',
            bill: bill(n + c),
          });
      if (r === null) {
        ack.unanswered++;
        return;
      }
      if (r.status !== 200) {
        ack.refused.push({ status: r.status, body: r.text.slice(0, 300) });
        continue;
      }
      if (cancel) {
        ack.cancelled.push(mine.pop()!);
      } else {
        const id = (JSON.parse(r.text) as { settlementId: number }).settlementId;
        ack.settled.push(id);
        mine.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  return ack;
}
