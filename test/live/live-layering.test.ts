/**
 * The live lab's tools (faults, checkpoints) are used by the rehearsal, the pages and the control API, and use none
 * of them: a rehearsal module or a page imported here would make the two depend on each other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const LIVE = path.resolve(import.meta.dirname, '../../src/live');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : /\.ts$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)].map((m) =>
    path.relative(path.resolve(import.meta.dirname, '../..'), path.resolve(path.dirname(file), m[1] ?? m[2]!)),
  );
}

describe('src/live', () => {
  it('imports nothing from the rehearsal, the HTTP layer or a web-admin page', () => {
    const files = sources(LIVE);
    expect(files.length).toBeGreaterThan(0);
    const wrong = files.flatMap((f) =>
      importsOf(f)
        .filter((target) => /^src\/(rehearsal|http)\//.test(target) || target.includes('/web-admin/pages/'))
        .map((target) => `${path.relative(LIVE, f)} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });
});
