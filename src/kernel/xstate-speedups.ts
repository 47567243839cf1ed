/**
 * The XState speed-ups: nine edits of XState's own CommonJS build (node_modules/xstate/dist), applied by `npm ci` /
 * `npm install` (package.json `postinstall`), that make its interpreter allocate and recompute less per event and
 * change nothing it does.
 *
 * Why: in a full-scale rehearsal (254 bases, 1,000 handsets) XState's interpreter is the largest single cost — about a
 * fifth of the CPU and most of the 4.7 GB the run allocates (docs/performance.md, *Session 12*). Most of that is work
 * that gives the same answer each time: the state value and tags of a snapshot rebuilt from its active state nodes
 * at every `assign` (the nodes have not changed), the sets an event's transition builds to exit and enter states when
 * the transition has no target (it exits and enters none), the eventless (`always`) transitions looked for with new
 * arrays and sets after every step even when none is enabled. The functions that do it are private to XState's
 * bundle (not exported, called directly inside it), so they cannot be replaced at run time the way the sip.js
 * speed-ups are (src/sip/speed/); they are edited in the installed files instead, each edit anchored on the exact text
 * of XState 5.33.3 (package.json pins it).
 *
 * The edits (same results, fewer objects):
 * 1. `cloneMachineSnapshot`: a clone with the same array of active state nodes (`_nodes`) — every clone `assign`
 *    makes — takes over its parent's `value` and `tags` instead of working them out again. Both are read-only in
 *    XState (nothing writes to them).
 * 2. `cloneMachineSnapshot`: the clone reads the seven fields a snapshot is made of, instead of spreading the whole
 *    snapshot (16 properties) and the changes into an intermediate object first.
 * 3. `removeConflictingTransitions`: zero or one transition cannot conflict; they are returned as they are (a copy).
 * 4. `microstep`: a step whose transitions all lack a target (actions only, e.g. `KEY.DOWN` in a menu) exits and
 *    enters no state; it runs the transitions' actions, as before, without building the exit and entry sets.
 * 5. `selectEventlessTransitions`: walks each atomic node's ancestors in place (no arrays), and returns at once when
 *    no eventless transition is enabled (no set of the active nodes built for nothing).
 * 6. `StateNode.next`: the candidate transitions of a node for an event type are kept in a `Map` on the node (was a
 *    template-string key into a dictionary per call), and the actions list it filled and never used is gone.
 * 7. `createMachineSnapshot`: the value and tags of a list of active state nodes are worked out once per machine and
 *    list (keyed by the nodes' order numbers, in the list's order) and shared by the snapshots that have that list —
 *    read-only, as in edit 1. A machine keeps at most 4,096 lists; past that, they are worked out as before.
 * 8. `enterStates`: the states a single transition enters (sorted in entry order) and those it enters by default are
 *    worked out once per transition when the machine has no history (they depend on the transition alone then).
 * 9. `getTransitionDomain`: a transition's domain, likewise once per transition when there is no history.
 *
 * Off: `ROVE_XSTATE_SPEEDUPS=off` in the environment of the process (read when XState loads) runs XState's own code
 * paths, which the edited files keep unchanged next to the new ones. test/kernel/xstate-speedups.test.ts checks that
 * the installed XState carries the edits and that rehearsals come out byte for byte the same with them off.
 * `node --import tsx src/kernel/xstate-speedups.ts --revert` puts the original files back.
 *
 * If the installed XState is another version, or one of the anchors is not found, nothing is edited: the install
 * prints why, and the simulator runs on XState as shipped — correct, slower.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable that switches the speed-ups off (`off`), read by the edited XState when it loads. */
export const XSTATE_SPEEDUPS_ENV = 'ROVE_XSTATE_SPEEDUPS';
/** The XState release the anchors were taken from. */
export const XSTATE_VERSION = '5.33.3';
const MARK = '/* rove-sim: XState speed-ups (src/kernel/xstate-speedups.ts) */';
const ON = `const ROVE_XS_FAST = typeof process === 'undefined' || String(process.env?.${XSTATE_SPEEDUPS_ENV} ?? '').trim().toLowerCase() !== 'off';`;

interface Edit {
  /** What the edit is, for the message when its anchor is missing. */
  name: string;
  find: string;
  replace: string;
}

const USE_STRICT = `'use strict';\n`;

/** Edits of `raise-<hash>[.development].cjs.js`, the bundle's interpreter. */
const RAISE_EDITS: Edit[] = [
  {
    name: 'prelude',
    find: USE_STRICT,
    replace: `${USE_STRICT}${MARK}
${ON}
/** A clone with the same active state nodes has the same value and tags: they are taken over (edit 1). */
function roveClone(snapshot, config) {
  const status = 'status' in config ? config.status : snapshot.status;
  const output = 'output' in config ? config.output : snapshot.output;
  const error = 'error' in config ? config.error : snapshot.error;
  const context = 'context' in config ? config.context : snapshot.context;
  const nodes = '_nodes' in config ? config._nodes : snapshot._nodes;
  const children = 'children' in config ? config.children : snapshot.children;
  const historyValue = 'historyValue' in config ? config.historyValue : snapshot.historyValue;
  if (nodes !== snapshot._nodes || !(snapshot.tags instanceof Set)) {
    return createMachineSnapshot({ status, output, error, context, _nodes: nodes, children, historyValue }, snapshot.machine);
  }
  return {
    status,
    output,
    error,
    machine: snapshot.machine,
    context,
    _nodes: nodes,
    value: snapshot.value,
    tags: snapshot.tags,
    children,
    historyValue: historyValue || {},
    matches: machineSnapshotMatches,
    hasTag: machineSnapshotHasTag,
    can: machineSnapshotCan,
    getMeta: machineSnapshotGetMeta,
    toJSON: machineSnapshotToJSON
  };
}
function roveHasNoTarget(transition) {
  return !transition.target || transition.target.length === 0;
}
/** A microstep whose transitions all lack a target: no state exits or enters (edit 4). */
function roveMicrostepWithoutTargets(transitions, currentSnapshot, actorScope, event, internalQueue, actions) {
  const filteredTransitions = transitions.length < 2 ? transitions.slice() : removeConflictingTransitions(transitions, new Set(currentSnapshot._nodes), currentSnapshot.historyValue);
  let nextState = resolveActionsAndContext(currentSnapshot, event, actorScope, filteredTransitions.flatMap(t => t.actions), internalQueue, undefined);
  if (nextState.status === 'done') {
    nextState = resolveActionsAndContext(nextState, event, actorScope, [...currentSnapshot._nodes].sort((a, b) => b.order - a.order).flatMap(state => state.exit), internalQueue, undefined);
  }
  return [nextState, actions];
}
/** Eventless transitions without arrays, and nothing built when none is enabled (edit 5). */
function roveSelectEventlessTransitions(nextState, event) {
  let enabled;
  for (const stateNode of nextState._nodes) {
    if (!isAtomicStateNode(stateNode)) {
      continue;
    }
    loop: for (let s = stateNode; s; s = s.parent) {
      if (!s.always) {
        continue;
      }
      for (const transition of s.always) {
        if (transition.guard === undefined || evaluateGuard(transition.guard, nextState.context, event, nextState)) {
          (enabled ??= new Set()).add(transition);
          break loop;
        }
      }
    }
  }
  if (enabled === undefined) {
    return [];
  }
  return removeConflictingTransitions(Array.from(enabled), new Set(nextState._nodes), nextState.historyValue);
}
/** True for the history value of a machine that has entered no history state (an object without keys). */
function roveNoHistory(historyValue) {
  for (const _ in historyValue) {
    return false;
  }
  return true;
}
/** Per machine (its root node), the value and tags of each list of active state nodes, by the nodes' order (edit 7). */
const ROVE_CONFIGURATIONS = new WeakMap();
/** Enough for every configuration our machines reach; past it, the value and tags are worked out as before. */
const ROVE_CONFIGURATIONS_MAX = 4096;
function roveValueAndTags(machine, nodes) {
  let byKey = ROVE_CONFIGURATIONS.get(machine.root);
  if (byKey === undefined) {
    ROVE_CONFIGURATIONS.set(machine.root, byKey = new Map());
  }
  let key = '';
  for (const node of nodes) {
    key += node.order + ',';
  }
  let known = byKey.get(key);
  if (known === undefined) {
    known = {
      value: getStateValue(machine.root, nodes),
      tags: new Set(nodes.flatMap(sn => sn.tags))
    };
    if (byKey.size < ROVE_CONFIGURATIONS_MAX) {
      byKey.set(key, known);
    }
  }
  return known;
}
/** Per transition, the states it enters in entry order and those entered by default, without history (edit 8). */
const ROVE_ENTRY_SETS = new WeakMap();
function roveEntrySet(transition, historyValue) {
  let known = ROVE_ENTRY_SETS.get(transition);
  if (known === undefined) {
    const statesToEnter = new Set();
    const statesForDefaultEntry = new Set();
    computeEntrySet([transition], historyValue, statesForDefaultEntry, statesToEnter);
    known = {
      toEnter: [...statesToEnter].sort((a, b) => a.order - b.order),
      forDefaultEntry: statesForDefaultEntry
    };
    ROVE_ENTRY_SETS.set(transition, known);
  }
  return known;
}
/** Per transition, its domain, without history (edit 9). */
const ROVE_DOMAINS = new WeakMap();
`,
  },
  {
    name: 'cloneMachineSnapshot (edits 1, 2)',
    find: `function cloneMachineSnapshot(snapshot, config = {}) {
  return createMachineSnapshot({`,
    replace: `function cloneMachineSnapshot(snapshot, config = {}) {
  if (ROVE_XS_FAST) {
    return roveClone(snapshot, config);
  }
  return createMachineSnapshot({`,
  },
  {
    name: 'removeConflictingTransitions (edit 3)',
    find: `function removeConflictingTransitions(enabledTransitions, stateNodeSet, historyValue) {
`,
    replace: `function removeConflictingTransitions(enabledTransitions, stateNodeSet, historyValue) {
  if (ROVE_XS_FAST && enabledTransitions.length < 2) {
    return enabledTransitions.slice();
  }
`,
  },
  {
    name: 'microstep (edit 4)',
    find: `  try {
    const mutStateNodeSet = new Set(currentSnapshot._nodes);`,
    replace: `  try {
    if (ROVE_XS_FAST && !isInitial && transitions.every(roveHasNoTarget)) {
      return roveMicrostepWithoutTargets(transitions, currentSnapshot, actorScope, event, internalQueue, actions);
    }
    const mutStateNodeSet = new Set(currentSnapshot._nodes);`,
  },
  {
    name: 'createMachineSnapshot (edit 7)',
    find: `    value: getStateValue(machine.root, config._nodes),
    tags: new Set(config._nodes.flatMap(sn => sn.tags)),`,
    replace: `    ...(ROVE_XS_FAST ? roveValueAndTags(machine, config._nodes) : {
      value: getStateValue(machine.root, config._nodes),
      tags: new Set(config._nodes.flatMap(sn => sn.tags))
    }),`,
  },
  {
    name: 'enterStates (edit 8)',
    find: `  let nextSnapshot = currentSnapshot;
  const statesToEnter = new Set();
  // those are states that were directly targeted or indirectly targeted by the explicit target
  // in other words, those are states for which initial actions should be executed
  // when we target \`#deep_child\` initial actions of its ancestors shouldn't be executed
  const statesForDefaultEntry = new Set();
  computeEntrySet(filteredTransitions, historyValue, statesForDefaultEntry, statesToEnter);

  // In the initial state, the root state node is "entered".
  if (isInitial) {
    statesForDefaultEntry.add(currentSnapshot.machine.root);
  }
  const completedNodes = new Set();
  for (const stateNodeToEnter of [...statesToEnter].sort((a, b) => a.order - b.order)) {`,
    replace: `  let nextSnapshot = currentSnapshot;
  let statesForDefaultEntry;
  let roveStatesToEnter;
  if (ROVE_XS_FAST && !isInitial && filteredTransitions.length === 1 && roveNoHistory(historyValue)) {
    const known = roveEntrySet(filteredTransitions[0], historyValue);
    roveStatesToEnter = known.toEnter;
    statesForDefaultEntry = known.forDefaultEntry;
  } else {
  const statesToEnter = new Set();
  // those are states that were directly targeted or indirectly targeted by the explicit target
  // in other words, those are states for which initial actions should be executed
  // when we target \`#deep_child\` initial actions of its ancestors shouldn't be executed
  statesForDefaultEntry = new Set();
  computeEntrySet(filteredTransitions, historyValue, statesForDefaultEntry, statesToEnter);

  // In the initial state, the root state node is "entered".
  if (isInitial) {
    statesForDefaultEntry.add(currentSnapshot.machine.root);
  }
  roveStatesToEnter = [...statesToEnter].sort((a, b) => a.order - b.order);
  }
  const completedNodes = new Set();
  for (const stateNodeToEnter of roveStatesToEnter) {`,
  },
  {
    name: 'getTransitionDomain (edit 9)',
    find: `function getTransitionDomain(transition, historyValue) {
  const targetStates = getEffectiveTargetStates(transition, historyValue);`,
    replace: `function getTransitionDomain(transition, historyValue) {
  if (ROVE_XS_FAST && roveNoHistory(historyValue)) {
    let known = ROVE_DOMAINS.get(transition);
    if (known === undefined) {
      ROVE_DOMAINS.set(transition, known = {
        domain: roveTransitionDomain(transition, historyValue)
      });
    }
    return known.domain;
  }
  return roveTransitionDomain(transition, historyValue);
}
function roveTransitionDomain(transition, historyValue) {
  const targetStates = getEffectiveTargetStates(transition, historyValue);`,
  },
  {
    name: 'selectEventlessTransitions (edit 5)',
    find: `function selectEventlessTransitions(nextState, event) {
`,
    replace: `function selectEventlessTransitions(nextState, event) {
  if (ROVE_XS_FAST) {
    return roveSelectEventlessTransitions(nextState, event);
  }
`,
  },
];

/** Edits of `StateMachine-<hash>[.development].cjs.js`, where `StateNode` is. */
const STATE_MACHINE_EDITS: Edit[] = [
  { name: 'prelude', find: USE_STRICT, replace: `${USE_STRICT}${MARK}\n${ON}\n` },
  {
    name: 'StateNode field (edit 6)',
    find: `    this.always = void 0;
`,
    replace: `    this.always = void 0;
    this.roveCandidates = undefined;
`,
  },
  {
    name: 'StateNode.next (edit 6)',
    find: `  next(snapshot, event) {
    const eventType = event.type;
    const actions = [];`,
    replace: `  next(snapshot, event) {
    if (ROVE_XS_FAST) {
      return this.roveNext(snapshot, event);
    }
    const eventType = event.type;
    const actions = [];`,
  },
  {
    name: 'StateNode.roveNext (edit 6)',
    find: `  /** All the event types accepted by this state node and its descendants. */
`,
    replace: `  /** \`next\` with the candidates per event type in a Map on the node, and no unused actions list (rove-sim edit 6). */
  roveNext(snapshot, event) {
    const eventType = event.type;
    const byType = this.roveCandidates ??= new Map();
    let candidates = byType.get(eventType);
    if (candidates === undefined) {
      candidates = memo(this, \`candidates-\${eventType}\`, () => dist_xstateGuards.getCandidates(this, eventType));
      byType.set(eventType, candidates);
    }
    for (const candidate of candidates) {
      const {
        guard
      } = candidate;
      let guardPassed = false;
      try {
        guardPassed = !guard || dist_xstateGuards.evaluateGuard(guard, snapshot.context, event, snapshot);
      } catch (err) {
        const guardType = typeof guard === 'string' ? guard : typeof guard === 'object' ? guard.type : undefined;
        throw new Error(\`Unable to evaluate guard \${guardType ? \`'\${guardType}' \` : ''}in transition for event '\${eventType}' in state node '\${this.id}':\\n\${err.message}\`);
      }
      if (guardPassed) {
        return [candidate];
      }
    }
    return undefined;
  }

  /** All the event types accepted by this state node and its descendants. */
`,
  },
];

const TARGETS: Array<{ pattern: RegExp; edits: Edit[] }> = [
  { pattern: /^raise-[0-9a-f]+(\.development)?\.cjs\.js$/, edits: RAISE_EDITS },
  { pattern: /^StateMachine-[0-9a-f]+(\.development)?\.cjs\.js$/, edits: STATE_MACHINE_EDITS },
];
/** Each target is a production and a development build. */
const TARGET_FILES = TARGETS.length * 2;

export interface XstateSpeedupsStatus {
  /** True when every file the edits concern carries them. */
  applied: boolean;
  version: string | undefined;
  /** The edited (or to-be-edited) files, relative to the package. */
  files: string[];
  /** Why they are not applied, when they are not. */
  reason?: string;
}

/** The installed XState package's directory, as this project resolves it. */
export function xstatePackageDir(): string {
  return path.resolve(fileURLToPath(new URL('../../node_modules/xstate', import.meta.url)));
}

function targetFiles(pkgDir: string): Array<{ file: string; edits: Edit[] }> {
  const dist = path.join(pkgDir, 'dist');
  if (!existsSync(dist)) return [];
  const out: Array<{ file: string; edits: Edit[] }> = [];
  for (const name of readdirSync(dist).sort()) {
    const target = TARGETS.find((t) => t.pattern.test(name));
    if (target) out.push({ file: path.join(dist, name), edits: target.edits });
  }
  return out;
}

function versionOf(pkgDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Whether the XState in `pkgDir` carries the speed-ups. */
export function xstateSpeedupsStatus(pkgDir = xstatePackageDir()): XstateSpeedupsStatus {
  const version = versionOf(pkgDir);
  const targets = targetFiles(pkgDir);
  const files = targets.map((t) => path.relative(pkgDir, t.file));
  if (targets.length !== TARGET_FILES) return { applied: false, version, files, reason: `expected ${TARGET_FILES} files to edit in ${pkgDir}/dist, found ${targets.length}` };
  const missing = targets.filter((t) => !readFileSync(t.file, 'utf8').includes(MARK)).map((t) => path.relative(pkgDir, t.file));
  return missing.length === 0 ? { applied: true, version, files } : { applied: false, version, files, reason: `not edited: ${missing.join(', ')}` };
}

function occurrences(text: string, part: string): number {
  let n = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) n++;
  return n;
}

/**
 * Edits the installed XState. Idempotent: files already edited are left as they are. Nothing is written unless every
 * anchor of every file is found exactly once (all files or none).
 */
export function applyXstateSpeedups(pkgDir = xstatePackageDir()): XstateSpeedupsStatus {
  const version = versionOf(pkgDir);
  const targets = targetFiles(pkgDir);
  const files = targets.map((t) => path.relative(pkgDir, t.file));
  if (version !== XSTATE_VERSION) return { applied: false, version, files, reason: `XState ${version ?? '(not found)'} is installed; the speed-ups are written for ${XSTATE_VERSION}` };
  if (targets.length !== TARGET_FILES) return { applied: false, version, files, reason: `expected ${TARGET_FILES} files to edit in ${pkgDir}/dist, found ${targets.length}` };
  const writes: Array<{ file: string; text: string }> = [];
  for (const { file, edits } of targets) {
    let text = readFileSync(file, 'utf8');
    if (text.includes(MARK)) continue;
    for (const edit of edits) {
      // The prelude's anchor is the file's first line; the others must be unique in the file.
      const count = edit.find === USE_STRICT ? (text.startsWith(USE_STRICT) ? 1 : 0) : occurrences(text, edit.find);
      if (count !== 1) return { applied: false, version, files, reason: `${path.relative(pkgDir, file)}: ${edit.name}: anchor found ${count} times, expected once` };
      text = edit.find === USE_STRICT ? edit.replace + text.slice(USE_STRICT.length) : text.replace(edit.find, () => edit.replace);
    }
    writes.push({ file, text });
  }
  for (const { file, text } of writes) {
    // Written next to the file and renamed over it: an interrupted install leaves the old file or the new one.
    writeFileSync(`${file}.rove-tmp`, text);
    renameSync(`${file}.rove-tmp`, file);
  }
  return xstateSpeedupsStatus(pkgDir);
}

/** Puts XState's own files back (each edit undone in reverse order). Idempotent. */
export function revertXstateSpeedups(pkgDir = xstatePackageDir()): XstateSpeedupsStatus {
  for (const { file, edits } of targetFiles(pkgDir)) {
    let text = readFileSync(file, 'utf8');
    if (!text.includes(MARK)) continue;
    for (const edit of [...edits].reverse()) {
      if (edit.find === USE_STRICT) {
        if (!text.startsWith(edit.replace)) throw new Error(`${file}: cannot undo ${edit.name}: the edited text was changed`);
        text = USE_STRICT + text.slice(edit.replace.length);
      } else {
        if (occurrences(text, edit.replace) !== 1) throw new Error(`${file}: cannot undo ${edit.name}: the edited text was changed`);
        text = text.replace(edit.replace, () => edit.find);
      }
    }
    writeFileSync(`${file}.rove-tmp`, text);
    renameSync(`${file}.rove-tmp`, file);
  }
  return xstateSpeedupsStatus(pkgDir);
}

// `node --import tsx src/kernel/xstate-speedups.ts [--revert]` (package.json `postinstall` runs it without options).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const revert = process.argv.includes('--revert');
  const status = revert ? revertXstateSpeedups() : applyXstateSpeedups();
  if (revert) console.log(status.applied ? 'XState speed-ups: still applied?' : 'XState speed-ups: removed, XState runs as shipped');
  else if (status.applied) console.log(`XState speed-ups: applied to XState ${status.version} (${status.files.length} files; ${XSTATE_SPEEDUPS_ENV}=off runs XState's own code)`);
  else console.warn(`XState speed-ups not applied (${status.reason}); the simulator runs on XState as shipped: correct, slower`);
}
