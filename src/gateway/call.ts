/** What every transaction handler gets: the message, the caller, the services underneath. */
import type { Actor } from '../kernel/access/actor.ts';
import type { Db, Queryable } from '../db/db.ts';
import type { SettlementService } from '../settlement/index.ts';
import type { ChronicService } from '../chronic/index.ts';
import type { Answer, Envelope } from './envelope.ts';
import type { Json } from './fields.ts';

export interface Call {
  env: Envelope;
  actor: Actor;
  /** The caller's institution (it equals the envelope's fixmedins_code). */
  fix: string;
  /** The region the institution serves: people it may look up by ID card. */
  regionCode: string;
  received: Date;
  db: Db;
  settlements: SettlementService;
  /** 2503/2504 make and cancel applications and two-diseases filings through it. */
  chronic: ChronicService;
}

export interface Result {
  output: Json;
  /** The person the message was about, when there is one (the log's key). */
  certno: string | null;
}

export type Handler =
  /** Changes gateway state: one transaction that claims the msgid first. */
  | { kind: 'write'; run(c: Call, tx: Queryable): Promise<Result> }
  /** Reads only: the answer is logged after. */
  | { kind: 'read'; run(c: Call): Promise<Result> }
  /** Settles or cancels through the settlement service, which is idempotent by msgid itself. */
  | { kind: 'own'; run(c: Call): Promise<Answer> };
