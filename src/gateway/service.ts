/**
 * The national gateway (国家医保接口): one entry point that reads the envelope, checks that the
 * caller is the designated institution the message names, and hands the message to its
 * transaction's handler. Every answer is `infcode 0` with the output or `infcode -1` with a
 * Chinese `err_msg` naming the field; a repeated msgid gets its first answer.
 */
import type { Actor } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import type { SettlementService } from '../settlement/index.ts';
import type { ChronicService } from '../chronic/index.ts';
import { ADMIN_HANDLERS } from './admin-handlers.ts';
import type { Call, Handler } from './call.ts';
import { answer, readEnvelope, type Answer, type Envelope } from './envelope.ts';
import { fault, faultOf } from './fault.ts';
import { FEE_HANDLERS } from './fee-handlers.ts';
import { claimMessage, findMessage, logAnswer, saveAnswer } from './repository.ts';
import { replay, SETTLE_HANDLERS } from './settle-handlers.ts';
import { VISIT_HANDLERS } from './visits.ts';

export const HANDLERS: Readonly<Record<string, Handler>> = {
  ...ADMIN_HANDLERS,
  ...VISIT_HANDLERS,
  ...FEE_HANDLERS,
  ...SETTLE_HANDLERS,
};

/** The transactions the gateway answers, in code order. */
export const SUPPORTED_INFNOS = Object.keys(HANDLERS).sort();

/** Thrown by a write handler's transaction to roll it back and answer the first answer. */
class Replayed extends Error {
  constructor(readonly answer: Answer) {
    super('replayed');
  }
}

export class GatewayService {
  constructor(
    private readonly db: Db,
    private readonly settlements: SettlementService,
    private readonly chronic: ChronicService,
  ) {}

  /** Answers one message; an error the gateway cannot explain is rethrown (the route logs it). */
  async call(actor: Actor, body: unknown): Promise<Answer> {
    const received = new Date();
    let env: Envelope;
    try {
      env = readEnvelope(body);
      const c = this.callOf(actor, env, received);
      const handler = HANDLERS[env.infno];
      if (!handler) throw fault('infno', `infno 不支持的交易编号：${env.infno}`);
      return await this.run(c, handler);
    } catch (e) {
      const f = faultOf(e, 'input');
      if (!f) throw e;
      return answer(received, null, f.errMsg);
    }
  }

  /** The caller must be a designated institution's account, and the message must be its own. */
  private callOf(actor: Actor, env: Envelope, received: Date): Call {
    const scope = actor.scope;
    if (scope.kind !== 'institution') {
      throw fault(
        'fixmedins_code',
        `fixmedins_code：登录账号不是定点医药机构账号，不能代 ${env.fixmedinsCode} 调用接口`,
      );
    }
    if (scope.fixmedinsCode !== env.fixmedinsCode) {
      throw fault(
        'fixmedins_code',
        `fixmedins_code ${env.fixmedinsCode} 与登录凭证所属机构 ${scope.fixmedinsCode} 不一致`,
      );
    }
    return {
      env,
      actor,
      fix: scope.fixmedinsCode,
      regionCode: scope.regionCode,
      received,
      db: this.db,
      settlements: this.settlements,
      chronic: this.chronic,
    };
  }

  private async run(c: Call, h: Handler): Promise<Answer> {
    const key = { fixmedinsCode: c.fix, msgid: c.env.msgid, infno: c.env.infno };
    switch (h.kind) {
      case 'own':
        return h.run(c);
      case 'read': {
        const seen = await findMessage(this.db, c.fix, c.env.msgid);
        if (seen) return replay(c, seen);
        const r = await h.run(c);
        const a = answer(c.received, r.output);
        await logAnswer(this.db, { ...key, certno: r.certno }, a);
        return a;
      }
      case 'write':
        try {
          return await this.db.transaction(async (tx) => {
            if (!(await claimMessage(tx, { ...key, certno: null }))) {
              const first = await findMessage(tx, c.fix, c.env.msgid);
              throw new Replayed(
                first
                  ? replay(c, first)
                  : answer(c.received, null, 'msgid：报文正在处理，请稍后重试'),
              );
            }
            const r = await h.run(c, tx);
            const a = answer(c.received, r.output);
            await saveAnswer(tx, c.fix, c.env.msgid, a);
            return a;
          });
        } catch (e) {
          if (e instanceof Replayed) return e.answer;
          throw e;
        }
      default: {
        const never: never = h;
        throw new Error(`unknown handler ${JSON.stringify(never)}`);
      }
    }
  }
}
