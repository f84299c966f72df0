import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, wellFormed, wellFormedJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson(new Date(Date.UTC(2022, 0, 2)))).toBe('"2022-01-02T00:00:00.000Z"');
  });

  it('is stable under key order and survives a JSON round trip (what the database returns)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = canonicalJson(v);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });
});

describe('text as PostgreSQL stores it', () => {
  it('writes a lone surrogate as U+FFFD, in strings and in JSON text, and keeps pairs', () => {
    expect(wellFormed('a\ud800b\udc00c😀')).toBe('a\ufffdb\ufffdc😀');
    expect(canonicalJson({ n: 'x\udbff' })).toBe('{"n":"x\ufffd"}');
    const text = JSON.stringify(['\ud800', '\\ud800', '\\\ud800', '😀', 'e\u0301']);
    expect(wellFormedJson(text)).toBe(
      JSON.stringify(['\ufffd', '\\ud800', '\\\ufffd', '😀', 'e\u0301']),
    );
    // What a database gives back hashes as the original did.
    const stored = JSON.parse(JSON.stringify(['\ufffd'])) as string[];
    expect(wellFormedJson(JSON.stringify(stored))).toBe(wellFormedJson(JSON.stringify(['\ud800'])));
  });
});
