/**
 * The bundle a large rehearsal's sized node runs (src/rehearsal/rehearsal-bundle.ts): one file of the simulator's
 * sources, in node_modules/.cache/rove-sim, where each module still finds what lies next to it, made once per version
 * of the sources, and not made at all with ROVE_SIM_BUNDLE=off.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLE_DIR, rehearsalBundle } from '../../src/rehearsal/rehearsal-bundle.ts';

describe('The rehearsal bundle', () => {
  afterEach(() => {
    delete process.env['ROVE_SIM_BUNDLE'];
  });

  it('is one file in node_modules/.cache/rove-sim whose modules keep their own location', { timeout: 60_000 }, async () => {
    const skipped: string[] = [];
    const file = await rehearsalBundle((reason) => skipped.push(reason));
    expect(skipped).toEqual([]);
    expect(file).toBeDefined();
    expect(path.dirname(file!)).toBe(BUNDLE_DIR);
    const code = readFileSync(file!, 'utf8');
    // Every module's import.meta.url is its own file: the firmware server still serves fixtures/firmware.
    expect(code).not.toContain('import.meta.url');
    expect(code).toContain(JSON.stringify(pathToFileURL(path.resolve('src/cloud/firmware-server/firmware-server.ts')).href));
    // Packages stay in node_modules (xstate with its speed-ups), and stack traces name the TypeScript files.
    expect(code).toMatch(/from "xstate"/);
    expect(code).toMatch(/\/\/# sourceMappingURL=rehearsal-[0-9a-f]{16}\.mjs\.map\n$/);
    expect(JSON.parse(readFileSync(`${file}.map`, 'utf8')).sources.some((s: string) => s.endsWith('src/sip/line/line.ts'))).toBe(true);
  });

  it('is made once per version of the sources', { timeout: 60_000 }, async () => {
    const first = await rehearsalBundle();
    const written = statSync(first!).mtimeMs;
    const again = await rehearsalBundle();
    expect(again).toBe(first);
    expect(statSync(again!).mtimeMs).toBe(written);
  });

  it('is not made with ROVE_SIM_BUNDLE=off (the sized node then runs the TypeScript sources)', async () => {
    process.env['ROVE_SIM_BUNDLE'] = 'off';
    expect(await rehearsalBundle()).toBeUndefined();
  });
});
