/**
 * Is a route schema strict, i.e. does it refuse unknown fields? Used by the route test so that
 * every module's body, querystring and params schemas keep to the rule (z.strictObject or
 * `.strict()`). Wrappers (optional, default, nullable, pipe) and unions are looked through.
 */
import { z } from 'zod';

export function looseObjectPath(schema: unknown, path = '$'): string | null {
  if (!(schema instanceof z.ZodType)) return null;
  const def = schema.def;
  switch (def.type) {
    case 'object': {
      const o = schema as z.ZodObject;
      if (o.def.catchall?._zod.def.type !== 'never') return path;
      for (const [k, v] of Object.entries(o.shape)) {
        const inner = looseObjectPath(v, `${path}.${k}`);
        if (inner) return inner;
      }
      return null;
    }
    case 'union': {
      for (const [i, option] of (schema as z.ZodUnion).def.options.entries()) {
        const inner = looseObjectPath(option, `${path}|${i}`);
        if (inner) return inner;
      }
      return null;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return looseObjectPath((schema as z.ZodOptional).def.innerType, path);
    case 'array':
      return looseObjectPath((schema as z.ZodArray).def.element, `${path}[]`);
    case 'pipe':
      return looseObjectPath((schema as z.ZodPipe).def.in, path);
    default:
      return null;
  }
}
