/**
 * One YAML file of a pack, parsed with its source positions kept, so that every problem and every
 * provenance can name the line a staffer has to look at.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { Problem } from './problems.ts';

export type PathSegment = string | number;

export interface YamlSource {
  file: string;
  /** The plain data, or undefined when the file could not be read or parsed. */
  data: unknown;
  /** Line of the key (or list item) at `path`; the nearest existing ancestor when it is absent. */
  lineOf(path: readonly PathSegment[]): number;
}

/** Parses `text`; YAML syntax errors become problems. */
export function parseYamlSource(file: string, text: string, problems: Problem[]): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  for (const error of doc.errors) {
    problems.push({
      file,
      line: lineAt(error.pos[0]),
      key: '',
      message: `YAML syntax error: ${error.message.split('\n')[0] ?? ''}`,
      zh: `YAML 格式错误：${error.message.split('\n')[0] ?? ''}`,
    });
  }
  const data = doc.errors.length === 0 ? (doc.toJS() as unknown) : undefined;
  return { file, data, lineOf: (path) => locate(doc, path, lineAt) };
}

/** Reads and parses a file; a missing file is one problem. */
export async function readYamlSource(
  dir: string,
  file: string,
  problems: Problem[],
): Promise<YamlSource> {
  let text: string;
  try {
    text = await readFile(`${dir}/${file}`, 'utf8');
  } catch {
    problems.push({
      file,
      line: 0,
      key: '',
      message: 'file is missing',
      zh: '缺少此文件',
    });
    return { file, data: undefined, lineOf: () => 0 };
  }
  return parseYamlSource(file, text, problems);
}

function locate(
  doc: Document,
  path: readonly PathSegment[],
  lineAt: (offset: number) => number,
): number {
  let node: unknown = doc.contents;
  let line = 1;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair || !isScalar(pair.key) || !pair.key.range) break;
      line = lineAt(pair.key.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (!(isMap(item) || isSeq(item) || isScalar(item)) || !item.range) break;
      line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}
