/**
 * The layering of src/, checked on the import graph (type-only imports, re-exports and dynamic imports count):
 *
 *   kernel  ←  air, devices  ←  cloud  ←  lab  ←  live, rehearsal  ←  training  ←  http, classroom, cli
 *
 * - no import cycles;
 * - src/kernel/ imports nothing outside itself (node: built-ins aside, and the web framework for the request hooks every
 *   app shares: commit before reply, page security headers);
 * - src/devices/ and src/air/ import nothing of src/cloud/, src/lab/, src/http/, src/rehearsal/, src/live/;
 * - src/cloud/ imports nothing of src/lab/, src/http/, nor of src/devices/ except the pure shared formats below;
 * - no domain module imports a page or HTTP module;
 * - src/training/ is imported only by HTTP, the classroom (servers of its own) and the command line, imports nothing of them, and reads devices and the
 *   cloud only through the read-outs the UI and API use (TRAINING_READOUTS): a check never peeks at internals.
 *
 * What breaks a rule today and is being fixed is listed in KNOWN_VIOLATIONS with the reason; an entry that no longer
 * occurs must be removed (the last test says so), so the list only shrinks.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Device-side files the Teams cloud may read: formats both sides of the wire share, with no imports of their own. */
const SHARED_DEVICE_FORMATS = [
  // The Rove configuration file format: the provisioning service writes what the base parses.
  'src/devices/base-station/config-file.ts',
  // Dotted firmware versions and the 8.0.3 minimum: the gateway reads the version a device's User-Agent names.
  'src/devices/base-station/firmware-version.ts',
];

/**
 * What src/training/ may import of src/devices/ and src/cloud/: the read-outs the web admin, handset pages, admin
 * center and API show (and the web admin's parameter table, for its labels), nothing of the machines behind them.
 */
const TRAINING_READOUTS = [
  'src/devices/base-station/base-station.ts', // base.status(): Home/Status, GET /api/bases/:mac
  'src/devices/base-station/parameters.ts', // the web admin's parameters, their keys and labels
  'src/devices/handset/handset.ts', // handset.view(): the handset page, GET /api/handsets
  'src/cloud/teams/devices/device-view.ts', // the admin center's device list, GET /api/teams/devices
  'src/cloud/teams/devices/hardware-id.ts', // "00" + IPEI, as the admin center lists MAC addresses
];

/** Packages the kernel may use: the web framework, for the hooks every app registers (kernel/commit-before-reply.ts…). */
const KERNEL_PACKAGES = ['fastify', 'fastify-plugin'];

type Rule = 'cycle' | 'kernel' | 'devices-air' | 'cloud' | 'domain-page' | 'training';
type Violation = { rule: 'cycle'; files: string[] } | { rule: Exclude<Rule, 'cycle'>; from: string; to: string };
type KnownViolation = Violation & { reason: string };

/** Violations allowed for now, each with its reason (none: keep it that way). */
const KNOWN_VIOLATIONS: KnownViolation[] = [];

// ---------------------------------------------------------------------------------------------------------------
// The import graph of src/

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

function resolveImport(from: string, spec: string): string | undefined {
  const target = path.resolve(path.dirname(from), spec);
  const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, path.join(target, 'index.ts')];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

interface Graph {
  /** file → files it imports (repo-relative) */
  edges: Map<string, string[]>;
  /** file → bare specifiers it imports (packages, node: built-ins) */
  packages: Map<string, string[]>;
  unresolved: string[];
}

function importGraph(): Graph {
  const edges = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    // preProcessFile sees `import type`, `export … from`, `import()` and `require()`, and skips comments and strings.
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const local: string[] = [];
    const bare: string[] = [];
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) {
        bare.push(fileName);
        continue;
      }
      const target = resolveImport(file, fileName);
      if (target) local.push(rel(target));
      else unresolved.push(`${rel(file)} → ${fileName}`);
    }
    edges.set(rel(file), [...new Set(local)]);
    packages.set(rel(file), [...new Set(bare)]);
  }
  return { edges, packages, unresolved };
}

/** Strongly connected components with more than one file (or a file importing itself): the import cycles. */
function cycles(edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

const under = (file: string, ...dirs: string[]) => dirs.some((d) => file.startsWith(`src/${d}/`));

/** Pages: what a browser is served. */
function isPage(file: string): boolean {
  return /\/web-admin\/pages\//.test(file) || under(file, 'http/pages', 'cloud/teams/admin-center');
}

/** HTTP modules: the servers, plugins and pages (allowed to import pages and each other). */
function isHttpModule(file: string): boolean {
  return (
    under(file, 'http', 'classroom', 'cli', 'cloud/teams/admin-center') || /\/web-admin\//.test(file) || /-(plugin|page|pages|app)\.ts$/.test(file)
  );
}

function edgeViolations(graph: Graph): Violation[] {
  const out: Violation[] = [];
  for (const [from, targets] of graph.edges) {
    for (const to of targets) {
      if (under(from, 'kernel') && !under(to, 'kernel')) out.push({ rule: 'kernel', from, to });
      if (under(from, 'devices', 'air') && under(to, 'cloud', 'lab', 'http', 'rehearsal', 'live')) out.push({ rule: 'devices-air', from, to });
      if (under(from, 'cloud') && (under(to, 'lab', 'http') || (under(to, 'devices') && !SHARED_DEVICE_FORMATS.includes(to)))) {
        out.push({ rule: 'cloud', from, to });
      }
      if (!isHttpModule(from) && (isPage(to) || under(to, 'http'))) out.push({ rule: 'domain-page', from, to });
      if (under(to, 'training') && !under(from, 'training', 'http', 'classroom', 'cli')) out.push({ rule: 'training', from, to });
      if (under(from, 'training') && (under(to, 'http', 'cli') || (under(to, 'devices', 'cloud') && !TRAINING_READOUTS.includes(to)))) {
        out.push({ rule: 'training', from, to });
      }
    }
  }
  for (const [from, specs] of graph.packages) {
    for (const spec of specs) if (under(from, 'kernel') && !spec.startsWith('node:') && !KERNEL_PACKAGES.includes(spec)) out.push({ rule: 'kernel', from, to: spec });
  }
  return out;
}

const keyOf = (v: Violation) => (v.rule === 'cycle' ? `cycle: ${v.files.join(' ↔ ')}` : `${v.rule}: ${v.from} → ${v.to}`);
const known = new Map(KNOWN_VIOLATIONS.map((v) => [keyOf(v), v.reason]));

const graph = importGraph();
const found: Violation[] = [...cycles(graph.edges).map((files): Violation => ({ rule: 'cycle', files })), ...edgeViolations(graph)];
const unexpected = (rule: Rule) => found.filter((v) => v.rule === rule && !known.has(keyOf(v))).map(keyOf);

describe('the layering of src/', () => {
  test('the import graph is read whole: every relative import resolves to a file', () => {
    expect(graph.edges.size).toBeGreaterThan(100);
    expect(graph.unresolved).toEqual([]);
  });

  test('no import cycles (type-only imports included)', () => {
    expect(unexpected('cycle')).toEqual([]);
  });

  test('src/kernel/ imports nothing outside the kernel', () => {
    expect(unexpected('kernel')).toEqual([]);
  });

  test('devices and the air do not import the cloud, the lab, HTTP, rehearsals or the live lab', () => {
    expect(unexpected('devices-air')).toEqual([]);
  });

  test('the cloud does not import the lab, HTTP, or devices beyond the shared formats', () => {
    expect(unexpected('cloud')).toEqual([]);
    for (const file of SHARED_DEVICE_FORMATS) expect(graph.edges.get(file), `${file} is a pure format`).toEqual([]);
  });

  test('no domain module imports a page or an HTTP module', () => {
    expect(unexpected('domain-page')).toEqual([]);
  });

  test('training is used only by HTTP and the command line, and sees devices and the cloud only through their read-outs', () => {
    expect(unexpected('training')).toEqual([]);
    expect([...graph.edges.keys()].some((f) => under(f, 'training')), 'src/training/ exists').toBe(true);
  });

  test('every known violation still occurs (remove the ones that were fixed) and says why it is allowed', () => {
    const now = new Set(found.map(keyOf));
    expect([...known.keys()].filter((k) => !now.has(k))).toEqual([]);
    for (const v of KNOWN_VIOLATIONS) expect(v.reason.length, keyOf(v)).toBeGreaterThan(10);
  });
});
