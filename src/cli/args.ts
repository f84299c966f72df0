/**
 * A small argument parser on top of node:util parseArgs, so that every command reports unknown
 * or malformed options the same way.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { invalid } from '../kernel/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw invalid('cli.bad_arguments', null, `命令参数有误：${msg}`, `bad arguments: ${msg}`);
  }
}
