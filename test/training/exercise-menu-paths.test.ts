/**
 * The web admin paths the shipped exercises tell a trainee to follow (`*System Management → Reboot*`) are the web
 * admin's own menu: a path that is not there sends the trainee looking for a page that does not exist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MENU, menuPath } from '../../src/devices/base-station/web-admin/menu.ts';
import { EXERCISES } from './exercise-world.ts';

/** Every page's place in the menu, as the guide writes it; and the words a web admin path starts with. */
const PATHS = new Set(MENU.flatMap((g) => g.items.map((i) => menuPath(i.id))));
const FIRST_WORDS = new Set(MENU.flatMap((g) => (g.title ? [g.title] : g.items.map((i) => i.label))));

/** The emphasized `A → B` paths of a file whose first step is the web admin's. */
function webAdminPaths(text: string): string[] {
  return [...text.matchAll(/\*([^*\n]+→[^*\n]+)\*/g)].map((m) => m[1]!.trim()).filter((p) => FIRST_WORDS.has(p.split('→')[0]!.trim()));
}

describe('The exercises name web admin pages by their place in the menu', () => {
  const files = readdirSync(EXERCISES).filter((f) => f.endsWith('.yaml'));

  it('finds the paths it checks (one per file that has any)', () => {
    expect(webAdminPaths('go to *System Management → Reboot* and *Teams devices → Phones*')).toEqual(['System Management → Reboot']);
    expect(files.flatMap((f) => webAdminPaths(readFileSync(path.join(EXERCISES, f), 'utf8'))).length).toBeGreaterThan(3);
  });

  it.each(files)('%s', (file) => {
    for (const p of webAdminPaths(readFileSync(path.join(EXERCISES, file), 'utf8'))) expect(PATHS, p).toContain(p);
  });
});
