/**
 * The trial's pack source: the packs of `policies/`, read through the policy module. A trial
 * names its pack, and that pack applies to every bill whatever its date (the resolver clamps a
 * date outside the pack's validity into it). The pack is read on every trial, not cached, so an
 * edited pack is what the next trial uses, without a restart.
 */
import { isTriguardError, TriguardError } from '../kernel/errors.ts';
import { loadPack, resolveBill, type LoadOptions } from '../policy/index.ts';
import type { PackSource } from './trial.ts';

export function policyPackSource(opts: LoadOptions = {}): PackSource {
  return {
    async packFor(name) {
      try {
        const pack = await loadPack(name, opts);
        return {
          resolve: (ctx) => resolveBill(pack, ctx),
          diseases: pack.diseases.map((d) => d.code),
        };
      } catch (e) {
        // A pack the document names but that does not exist is a broken rule of the document
        // (422, field `pack`); a pack that exists but fails its checks stays the pack's error.
        if (
          isTriguardError(e) &&
          (e.code === 'policy.pack_not_found' || e.code === 'policy.bad_pack_name')
        ) {
          throw new TriguardError('unprocessable', e.code, 'pack', e.messages);
        }
        throw e;
      }
    },
  };
}

export const policyPacks: PackSource = policyPackSource();
