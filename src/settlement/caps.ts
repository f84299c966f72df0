/** Cap room: how much a fund may still pay under a cap this year. */
import type { Fen } from '../kernel/money.ts';

/** Room left under `cap` after `paid`; null (no cap) stays null. Never negative. */
export const roomLeft = (cap: Fen | null, paid: Fen): Fen | null =>
  cap === null ? null : Math.max(0, cap - paid);

/** `amount` limited by a room; null room means unlimited. */
export const limitBy = (amount: Fen, room: Fen | null): Fen =>
  room === null || amount <= room ? amount : room;
