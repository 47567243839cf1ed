// The state of a replayed run at any lab time: every base and handset, the counters, and how far the event list is
// played. Moving forward applies events one by one from where the state is; moving back restores the nearest
// checkpoint (one every CHECKPOINT_EVERY events, made on the way forward) and applies from there. A frame therefore
// costs the events since the last frame, and a scrub at most CHECKPOINT_EVERY events — a 100k-event log is never
// rescanned. Plain browser JavaScript, also imported by the tests (types in replay-state.d.ts).

export const CHECKPOINT_EVERY = 2_000;

const natural = (a, b) => a.localeCompare(b, 'en', { numeric: true });

/** Index of the first event after lab time `t` (events are in time order). */
export function indexAfter(events, t) {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid].t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ReplayState {
  #checkpoints = [];
  #changedBases = new Set();
  #changedHandsets = new Set();
  #allChanged = true;

  constructor(events, options = {}) {
    this.events = events;
    this.checkpointEvery = options.checkpointEvery ?? CHECKPOINT_EVERY;
    /** Handset → base from the log's header (handsets with ids of their own); else the base a `b1/2` name names. */
    this.handsetBases = options.handsetBases ?? {};
    /** Lab time of the last event: where the replay ends. */
    this.end = events.length > 0 ? events[events.length - 1].t : 0;
    const bases = new Set();
    const handsets = new Set();
    for (const e of events) {
      if (e.kind === 'base' || e.kind === 'base-error') bases.add(e.device);
      else if (e.kind === 'handset') handsets.add(e.device);
    }
    this.baseNames = [...bases].sort(natural);
    this.handsetNames = [...handsets].sort(natural);
    this.baseIndex = new Map(this.baseNames.map((n, i) => [n, i]));
    this.handsetIndex = new Map(this.handsetNames.map((n, i) => [n, i]));
    /** Events applied so far: the state is the one after events[0 .. index - 1]. */
    this.index = 0;
    /** Lab ms since the start that the state shows. */
    this.time = 0;
    this.#reset();
    this.#checkpoints[0] = this.#snapshot();
  }

  /** Moves to lab time `t` (clamped to the run): every event at or before `t` is applied, none after. */
  seek(t) {
    const time = Math.max(0, Math.min(t, this.end));
    const target = t < 0 ? 0 : indexAfter(this.events, time);
    const k = Math.floor(target / this.checkpointEvery);
    const checkpoint = this.#checkpoints[k];
    if (target < this.index || (checkpoint && k * this.checkpointEvery > this.index)) this.#restore(checkpoint);
    while (this.index < target) {
      this.#apply(this.events[this.index]);
      this.index++;
      if (this.index % this.checkpointEvery === 0 && !this.#checkpoints[this.index / this.checkpointEvery]) {
        this.#checkpoints[this.index / this.checkpointEvery] = this.#snapshot();
      }
    }
    this.time = time;
  }

  /** The last `n` events applied, oldest first. */
  latest(n) {
    return this.events.slice(Math.max(0, this.index - n), this.index);
  }

  /** Which rows changed since the last call (`all`: redraw everything, e.g. after a jump back). */
  takeChanges() {
    const changes = { all: this.#allChanged, bases: this.#changedBases, handsets: this.#changedHandsets };
    this.#allChanged = false;
    this.#changedBases = new Set();
    this.#changedHandsets = new Set();
    return changes;
  }

  #reset() {
    this.bases = this.baseNames.map((name) => ({
      name,
      state: null,
      since: null,
      reason: null,
      reboots: 0,
      lastReboot: null,
      error: null,
      handsets: 0,
      inService: 0,
    }));
    this.handsets = this.handsetNames.map((name) => {
      const slash = name.lastIndexOf('/');
      const given = Object.hasOwn(this.handsetBases, name) ? this.handsetBases[name] : undefined;
      const base = given !== undefined && this.baseIndex.has(given) ? given : slash > 0 && this.baseIndex.has(name.slice(0, slash)) ? name.slice(0, slash) : null;
      if (base) this.bases[this.baseIndex.get(base)].handsets++;
      return { name, base, state: null, since: null, teams: null, teamsList: null, user: null, signIn: null, signInReason: null, enroll: null, enrollReason: null };
    });
    this.counters = {
      reboots: 0,
      rebootsByCause: {},
      powerCuts: 0,
      basesByState: {},
      handsetsByState: {},
      handsetsInService: 0,
      handsetsWithoutService: 0,
      signIns: { ok: 0, failed: 0 },
      enrollments: { ok: 0, failed: 0 },
      failures: 0,
      lastFailure: null,
      faults: {},
      step: null,
    };
  }

  #snapshot() {
    return structuredClone({ index: this.index, bases: this.bases, handsets: this.handsets, counters: this.counters });
  }

  #restore(checkpoint) {
    const copy = structuredClone(checkpoint);
    this.index = copy.index;
    this.bases = copy.bases;
    this.handsets = copy.handsets;
    this.counters = copy.counters;
    this.#allChanged = true;
  }

  #apply(e) {
    const c = this.counters;
    switch (e.kind) {
      case 'base': {
        const i = this.baseIndex.get(e.device);
        const b = this.bases[i];
        if (!e.state) break;
        if (b.state) c.basesByState[b.state]--;
        c.basesByState[e.state] = (c.basesByState[e.state] ?? 0) + 1;
        b.state = e.state;
        b.since = e.t;
        b.reason = e.reason ?? null;
        if (e.state === 'rebooting') {
          const cause = e.cause ?? e.reason ?? 'Reboot';
          c.reboots++;
          c.rebootsByCause[cause] = (c.rebootsByCause[cause] ?? 0) + 1;
          b.reboots++;
          b.lastReboot = e.reason ?? null;
        } else if (e.state === 'off' && e.t > 0) c.powerCuts++;
        this.#changedBases.add(i);
        break;
      }
      case 'base-error': {
        const i = this.baseIndex.get(e.device);
        this.bases[i].error = [e.state, e.detail].filter(Boolean).join(': ') || null;
        this.#changedBases.add(i);
        break;
      }
      case 'handset': {
        const i = this.handsetIndex.get(e.device);
        const h = this.handsets[i];
        if (!e.state) break;
        const was = h.state;
        if (was) {
          c.handsetsByState[was]--;
          if (was === 'in-service') c.handsetsInService--;
          else c.handsetsWithoutService--;
        }
        c.handsetsByState[e.state] = (c.handsetsByState[e.state] ?? 0) + 1;
        if (e.state === 'in-service') c.handsetsInService++;
        else c.handsetsWithoutService++;
        h.state = e.state;
        h.since = e.t;
        if (h.base && (was === 'in-service') !== (e.state === 'in-service')) {
          const b = this.baseIndex.get(h.base);
          this.bases[b].inService += e.state === 'in-service' ? 1 : -1;
          this.#changedBases.add(b);
        }
        this.#changedHandsets.add(i);
        break;
      }
      case 'teams': {
        const h = this.#handset(e.device);
        if (!h) break;
        h.teams = e.state ?? null;
        h.teamsList = e.detail ?? null;
        break;
      }
      case 'sign-in':
      case 'bulk': {
        if (e.ok === undefined) break;
        if (e.ok) c.signIns.ok++;
        else c.signIns.failed++;
        const h = this.#handset(e.device);
        if (!h) break;
        h.signIn = e.ok ? 'ok' : 'failed';
        h.signInReason = e.reason ?? null;
        if (e.detail) h.user = e.detail;
        break;
      }
      case 'enroll': {
        if (e.ok === undefined) break;
        if (e.ok) c.enrollments.ok++;
        else c.enrollments.failed++;
        const h = this.#handset(e.device);
        if (!h) break;
        h.enroll = e.ok ? 'ok' : 'failed';
        h.enrollReason = e.reason ?? null;
        break;
      }
      case 'fault': {
        // detail: "<fault id>: <summary>"
        const id = (e.detail ?? '').split(':')[0] || e.reason || 'fault';
        if (e.state === 'cleared') delete c.faults[id];
        else c.faults[id] = e.detail ?? e.reason ?? id;
        break;
      }
      case 'step':
        c.step = e.detail ?? null;
        break;
      case 'failure':
        c.failures++;
        c.lastFailure = e.detail ?? null;
        break;
    }
  }

  #handset(name) {
    const i = this.handsetIndex.get(name);
    if (i === undefined) return undefined;
    this.#changedHandsets.add(i);
    return this.handsets[i];
  }
}

/**
 * What the handset's Teams column says, and its tone: signed in (with the user), a refused sign-in or enrollment
 * (with the service's words), else the admin center list it is on.
 */
export function teamsStatus(h) {
  if (h.teams === 'signed-in') return { text: `Signed in${h.user ? ` · ${h.user}` : ''}`, tone: 'ok' };
  if (h.signIn === 'failed') return { text: `Sign-in failed${h.signInReason ? `: ${h.signInReason}` : ''}`, tone: 'error' };
  if (h.enroll === 'failed' && h.teams !== 'enrolled') return { text: `Enrollment refused${h.enrollReason ? `: ${h.enrollReason}` : ''}`, tone: 'error' };
  if (h.teamsList) return { text: h.teamsList, tone: 'wait' };
  return { text: '—', tone: 'none' };
}
