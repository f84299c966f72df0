/**
 * Who applies or files, from the caller's roles and scope (docs/chronic.md §7, §11): the channel
 * an application came through, and the institution a two-diseases filing is made at. Pure.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { unprocessable } from '../../kernel/errors.ts';
import type { Channel } from './model.ts';

/** Bureau staff accept applications for any channel (a township's paper forms, a hospital's). */
export const isBureau = (actor: Actor) =>
  actor.scope.kind === 'system' ||
  actor.roles.includes('bureau_admin') ||
  actor.roles.includes('bureau_staff');

export function ownChannel(actor: Actor): Channel {
  if (isBureau(actor)) return 'window';
  if (actor.scope.kind === 'institution' || actor.roles.includes('designated_institution'))
    return 'hospital';
  if (actor.roles.includes('family_doctor')) return 'doctor';
  return 'township';
}

/** The channel an application is recorded under: the caller's own unless bureau staff say. */
export function channelFor(actor: Actor, given: Channel | undefined): Channel {
  const own = ownChannel(actor);
  if (given === undefined || given === own) return own;
  if (given === 'gateway') {
    throw unprocessable(
      'chronic.channel',
      'channel',
      '国家接口渠道的申请只能由 2503 慢特病备案产生',
      'gateway applications come only from a national 2503 filing',
    );
  }
  if (!isBureau(actor)) {
    throw unprocessable(
      'chronic.channel',
      'channel',
      `您的账号只能以 ${own} 渠道受理申请`,
      `your account accepts applications through ${own} only`,
    );
  }
  return given;
}

/** The township a family doctor works in: the first nine digits of their region. */
export const townshipOf = (regionCode: string) => regionCode.slice(0, 9);
