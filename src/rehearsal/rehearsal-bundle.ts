/**
 * The simulator's sources as one JavaScript file, for the node a large rehearsal runs in (rehearsal-heap.ts).
 *
 * Why: `bin/rove-sim.js` runs the TypeScript sources through tsx, which loads them in a second JavaScript engine of
 * its own (the module loader's thread) and wraps every function it compiles to keep its name. For a full-scale
 * rehearsal that costs ≈ 20–30 MB of the 300 MB it may use and ≈ 5 % of its CPU time (docs/performance.md, session
 * 15). The same sources bundled by esbuild — the compiler tsx itself uses, with the same tsconfig — run without either,
 * so the sized node gets that memory as heap instead.
 *
 * What stays the same: every module's own `import.meta.url` is written into the bundle as that module's file URL, so
 * what a module finds next to it (fixtures/firmware, web/, the worker entries of run-in-worker.ts) is found as before;
 * packages (xstate with its speed-ups, sip.js, fastify…) are not bundled but loaded from node_modules as usual. The
 * bundle has a source map, and source maps are on in it, so a stack trace names the TypeScript files as under tsx.
 *
 * The file goes to `node_modules/.cache/rove-sim/`, named by a hash of its contents (a changed source gives a new
 * file; older ones are removed after a day). Where that cannot be written, or with `ROVE_SIM_BUNDLE=off`, the sized
 * node runs the TypeScript sources through tsx as before.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUNDLE_DIR = path.join(ROOT, 'node_modules', '.cache', 'rove-sim');
const SWITCH = 'ROVE_SIM_BUNDLE';
/** Bundles of older sources are removed once this old (a rehearsal started from one a moment ago still reads it). */
const STALE_MS = 24 * 3_600_000;

/** The entry: what bin/rove-sim.js does, without tsx (source maps on, as tsx turns them on). */
const ENTRY = `process.setSourceMapsEnabled(true);\nimport { main } from './main.ts';\nawait main(process.argv);\n`;

/**
 * Builds the bundle (or finds it built) and returns its path; undefined when it is switched off or cannot be built or
 * written, with the reason in `onSkip` (the caller then runs the TypeScript sources).
 */
export async function rehearsalBundle(onSkip: (reason: string) => void = () => {}): Promise<string | undefined> {
  if (process.env[SWITCH] === 'off') return undefined;
  let stop: (() => Promise<void> | void) | undefined;
  try {
    const esbuild = await import('esbuild');
    stop = esbuild.stop;
    const result = await esbuild.build({
      stdin: { contents: ENTRY, resolveDir: path.join(ROOT, 'src', 'cli'), sourcefile: 'rehearsal-entry.ts', loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      sourcemap: 'external',
      sourcesContent: false,
      write: false,
      outfile: path.join(BUNDLE_DIR, 'rehearsal.mjs'),
      logLevel: 'silent',
      plugins: [
        {
          name: 'own-import-meta-url',
          setup(b) {
            b.onLoad({ filter: /\.ts$/ }, (args) => ({
              contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
              loader: 'ts',
            }));
          },
        },
      ],
    });
    const code = result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text;
    const map = result.outputFiles.find((f) => f.path.endsWith('.map'))!.text;
    const hash = createHash('sha256').update(code).update(map).digest('hex').slice(0, 16);
    const file = path.join(BUNDLE_DIR, `rehearsal-${hash}.mjs`);
    mkdirSync(BUNDLE_DIR, { recursive: true });
    if (!existsSync(file)) {
      // The map first and each file by rename: a node started from a bundle never reads half of one.
      writeAtomically(`${file}.map`, map);
      writeAtomically(file, `${code.replace(/\/\/# sourceMappingURL=\S+\s*$/, '')}//# sourceMappingURL=${path.basename(file)}.map\n`);
    }
    removeStale(file);
    return file;
  } catch (err) {
    onSkip((err as Error).message.split('\n')[0] ?? String(err));
    return undefined;
  } finally {
    // esbuild's service process is not needed while the sized node runs (it would hold its memory meanwhile).
    await stop?.();
  }
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Removes bundles (and maps, and leftovers of a killed write) a day old, except `keep`. */
function removeStale(keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(BUNDLE_DIR)) {
    const file = path.join(BUNDLE_DIR, name);
    if (!name.startsWith('rehearsal-') || file === keep || file === `${keep}.map`) continue;
    try {
      if (now - statSync(file).mtimeMs > STALE_MS) rmSync(file, { force: true });
    } catch {
      // removed by another rehearsal meanwhile
    }
  }
}
