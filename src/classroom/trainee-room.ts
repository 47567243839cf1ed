/**
 * One trainee's room: their own lab (own lab file, own variables, own Teams gateway and SIP server — a whole `Lab`),
 * the simulator's app on it in training mode with the trainee view, and the ports a technician meets on real kit — the
 * main server (trainee view, handsets, control API), each base's web admin on a port of its own, the Teams admin
 * center and device login — every one behind the trainee's door (access-gate.ts) in a classroom, open on one's own
 * machine (`rove-sim train`, {@link TraineeRoomOptions.local}). Training mode (src/http/training-mode.ts) hides the
 * simulator's answer-revealing texts and the fault board.
 *
 * The first start builds the exercise's starting lab (exercise-lab.ts), remembers the training (training-meta.ts) and
 * saves the checkpoint `exercise-start`; a later start opens the same file and goes on (devices power-cycle, as after
 * any restart). What the classroom adds to the training (extra time) is kept in the lab file too.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildTeamsAdminCenter } from '../cloud/teams/admin-center/build-admin-center.ts';
import type { BaseStation } from '../devices/base-station/base-station.ts';
import { buildApp } from '../http/build-app.ts';
import { VirtualClock } from '../kernel/virtual-clock.ts';
import { Lab } from '../lab/lab.ts';
import { restoreFaults } from '../live/faults/fault-board.ts';
import { LabStore } from '../lab/lab-store.ts';
import { listCheckpoints, restoreCheckpoint, saveCheckpoint, saveCheckpointFrom } from '../live/checkpoints.ts';
import { parseDuration } from '../rehearsal/duration.ts';
import { type Grade, gradeLab, hintCost } from '../training/check-engine.ts';
import { answerTask } from '../training/check-conditions.ts';
import { openExerciseLab } from '../training/exercise-lab.ts';
import type { LoadedExercise } from '../training/exercise-loader.ts';
import type { Exercise, ExerciseCheckpoint } from '../training/exercise-types.ts';
import { drawVariables, resolveExercise } from '../training/exercise-variables.ts';
import { labReadouts } from '../training/lab-readouts.ts';
import { readTrainingMeta, type TrainingMeta, writeTrainingMeta } from '../training/training-meta.ts';
import { ERR_CLASSROOM_TRAINEE_NOT_FOUND, ERR_TRAINING_ANSWER_FINAL } from '../kernel/error-catalogue.ts';
import { type GateOptions, gatedRequests, gatedUpgrades } from './access-gate.ts';
import type { StoredTrainee } from './classroom-state.ts';
import type { PortCursor } from './port-cursor.ts';
import { traineeViewPlugin } from './trainee-view-plugin.ts';
import { TraineeEventLog } from './trainee-event-log.ts';
import type { TraineeUrls, TrainingSession, TrainingTiming } from './trainee-session.ts';

export type { TraineeUrls } from './trainee-session.ts';

export const START_CHECKPOINT = 'exercise-start';
const CLASSROOM_META = 'classroom';

export interface TraineeRoomOptions {
  trainee: StoredTrainee;
  loaded: LoadedExercise;
  dir: string;
  host: string;
  ports: PortCursor;
  speed: number;
  /** The classroom's login page (where the door sends a visitor without the trainee's cookie). */
  loginUrl: () => string;
  instructorSession: () => string;
  /** Open the lab's SIP server to outside tools on ephemeral ports (default: none; the lab's SIP runs inside). */
  sip?: boolean;
  /** Labs on a paused clock that moves only when stepped (tests). */
  paused?: boolean;
  /** Schema compilers shared by every room's apps (src/http/shared-schema-compilers.ts). */
  schemaController?: FastifyServerOptions['schemaController'];
  /**
   * One trainee on their own machine (`rove-sim train`): no door on the ports (nobody else's lab is there), so no
   * login. The classroom leaves it off: every port checks the trainee's cookie.
   */
  local?: boolean;
}

/** What the instructor page shows of a trainee (also in results.json). */
export interface TraineeStatus {
  login: string;
  name: string;
  seed: number;
  variables: Record<string, string>;
  score: number;
  maxScore: number;
  passed: number;
  tasks: Array<{ id: string; title: string; status: Grade['tasks'][number]['status']; earned: number; points: number; hintUsed: boolean; text: string }>;
  hintsUsed: number;
  startedAt: string;
  elapsedMs: number;
  /** Null when the exercise has no time limit. */
  remainingMs: number | null;
  timeLimitMs: number | null;
  extensionMs: number;
  devices: {
    bases: Array<{ mac: string; model: string; state: string; firmware: string }>;
    handsets: Array<{ ipei: string; model: string; state: string; registered: boolean }>;
    handsetsRegistered: number;
    signedIn: number;
    teamsDevices: number;
  };
  checkpoints: string[];
  urls: TraineeUrls;
  checkedAt: string;
}

interface ClassroomMeta {
  extensionMs: number;
}

export class TraineeRoom implements TrainingSession {
  readonly exercise: Exercise;
  readonly variables: Record<string, string>;
  readonly events: TraineeEventLog;
  readonly urls: TraineeUrls;
  private lastGrade: Grade | undefined;
  private grading: Promise<Grade> | undefined;
  private apps: Promise<{ app: FastifyInstance; teams: FastifyInstance }> | undefined;
  private built: { app: FastifyInstance; teams: FastifyInstance } | undefined;
  /** The exercise file as loaded (its directory finds a checkpoint's scenario). */
  private loaded!: LoadedExercise;

  private constructor(
    readonly trainee: StoredTrainee,
    readonly lab: Lab,
    private readonly servers: http.Server[],
    exercise: Exercise,
    variables: Record<string, string>,
    events: TraineeEventLog,
    urls: TraineeUrls,
    private readonly makeApps: () => Promise<{ app: FastifyInstance; teams: FastifyInstance }>,
  ) {
    this.exercise = exercise;
    this.variables = variables;
    this.events = events;
    this.urls = urls;
  }

  static labFile(dir: string, login: string): string {
    return path.join(dir, `${login}.db`);
  }

  /**
   * Opens the trainee's lab and listens on every port of theirs. The web apps behind the ports are built by
   * {@link build} — the classroom builds them one after another once every lab runs, and a request that comes first
   * builds its room's at once and waits for it — so a class of 30 is reachable before 30 apps are compiled.
   */
  static async open(o: TraineeRoomOptions): Promise<TraineeRoom> {
    const { trainee, loaded } = o;
    const variables = drawVariables(loaded.exercise, trainee.seed);
    const exercise = resolveExercise(loaded.exercise, variables);
    const file = TraineeRoom.labFile(o.dir, trainee.login);
    const lab = await openTraineeLab(file, loaded, exercise, trainee.seed, o.speed, o.paused ?? false);
    const servers: http.Server[] = [];
    let events: TraineeEventLog | undefined;
    try {
      const meta = readTrainingMeta(lab.store)!;
      events = new TraineeEventLog(
        lab,
        path.join(o.dir, `${trainee.login}.events.jsonl`),
        { scenario: `${exercise.title} — ${trainee.name} (${trainee.login})`, seed: trainee.seed, profile: lab.store.getMeta<string>('profile') ?? 'rove-8.0', variant: null, start: new Date(meta.startedAt).toISOString() },
        meta.startedAt,
      );
      const gate: GateOptions = { login: trainee.login, name: trainee.name, session: () => trainee.session, instructorSession: o.instructorSession, loginUrl: o.loginUrl };
      const door = (next: (req: IncomingMessage, res: ServerResponse) => void) => (o.local ? next : gatedRequests(gate, next));
      const upgradeDoor = (next: (req: IncomingMessage, socket: Duplex, head: Buffer) => void) => (o.local ? next : gatedUpgrades(gate, next));
      const origin = (port: number) => `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
      const baseUrls = new Map<string, string>();
      let room: TraineeRoom | undefined;
      // Each port hands its requests to the room's apps once they are built (at once when they are).
      const toApp = (pick: (apps: { app: FastifyInstance; teams: FastifyInstance }) => (req: IncomingMessage, res: ServerResponse) => void) => (req: IncomingMessage, res: ServerResponse) => {
        const built = room!.built;
        if (built) return pick(built)(req, res);
        room!.build().then(
          (apps) => pick(apps)(req, res),
          () => {
            res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
            res.end('This lab could not start its web pages; see the classroom log.');
          },
        );
      };
      const main = http.createServer(door(toApp(({ app }) => app.routing)));
      main.on(
        'upgrade',
        upgradeDoor((req, socket, head) => {
          room!.build().then(
            ({ app }) => app.server.emit('upgrade', req, socket, head),
            () => socket.destroy(),
          );
        }),
      );
      servers.push(main);
      const mainUrl = origin(await o.ports.listen(main));
      const serveBase = async (base: BaseStation) => {
        const server = http.createServer(
          door(
            toApp(({ app }) => (req, res) => {
              // The device's own web server: its pages at '/', shared assets where the main server has them.
              if (!req.url?.startsWith('/static/')) req.url = `/bases/${base.mac}${req.url ?? '/'}`;
              app.routing(req, res);
            }),
          ),
        );
        servers.push(server);
        baseUrls.set(base.mac, `${origin(await o.ports.listen(server))}/`);
      };
      for (const base of lab.bases.values()) await serveBase(base);
      lab.onBaseAdded((base) => void serveBase(base));
      const teamsServer = http.createServer(door(toApp(({ teams }) => teams.routing)));
      servers.push(teamsServer);
      const teamsUrl = `${origin(await o.ports.listen(teamsServer))}/`;
      if (o.sip) {
        const tlsIdentity = await lab.sipTlsIdentity();
        await lab.telephony.sip.listen({ host: '127.0.0.1', udp: 0, tcp: 0, tls: 0, ws: 0, tlsIdentity });
      }
      const urls: TraineeUrls = {
        main: `${mainUrl}/`,
        taskPanel: `${mainUrl}/training/`,
        handsets: `${mainUrl}/handsets/`,
        teams: teamsUrl,
        deviceLogin: `${teamsUrl}devicelogin`,
        get bases() {
          return [...baseUrls].map(([mac, url]) => ({ mac, url }));
        },
      };
      // The trainee view frames the device pages of the other ports: they let the main port's origin do so.
      const mainPort = new URL(mainUrl).port;
      const frameAncestors = [mainUrl, ...(isLoopback(o.host) ? [`http://localhost:${mainPort}`, `http://127.0.0.1:${mainPort}`] : [])].filter((v, i, all) => all.indexOf(v) === i);
      const makeApps = async () => {
        const app = await buildApp({
          lab,
          baseUrls,
          guard: { loopbackOnly: isLoopback(o.host) },
          training: { home: '/training/', frameAncestors },
          ...(o.schemaController ? { schemaController: o.schemaController } : {}),
        });
        try {
          await app.register(traineeViewPlugin, { prefix: '/training', session: () => room! });
          await app.ready();
          const teams = await buildTeamsAdminCenter({
            gateway: lab.teams,
            commit: () => lab.commit(),
            training: true,
            frameAncestors,
            ...(o.schemaController ? { schemaController: o.schemaController } : {}),
          });
          await teams.ready();
          return { app, teams };
        } catch (err) {
          await app.close();
          throw err;
        }
      };
      room = new TraineeRoom(trainee, lab, servers, exercise, variables, events, urls, makeApps);
      room.loaded = loaded;
      return room;
    } catch (err) {
      for (const s of servers) s.close();
      events?.close();
      await lab.close();
      throw err;
    }
  }

  /** Builds the room's web apps (once); resolves when its ports serve pages. */
  build(): Promise<{ app: FastifyInstance; teams: FastifyInstance }> {
    this.apps ??= this.makeApps().then((apps) => (this.built = apps));
    return this.apps;
  }

  get meta(): TrainingMeta {
    return readTrainingMeta(this.lab.store)!;
  }

  private get classroomMeta(): ClassroomMeta {
    return this.lab.store.getMeta<ClassroomMeta>(CLASSROOM_META) ?? { extensionMs: 0 };
  }

  get timeLimitMs(): number | null {
    const limit = this.exercise.timeLimit;
    return limit === undefined ? null : (parseDuration(limit) ?? null);
  }

  /** The task's hint, recorded as used (it costs its points from then on). */
  useHint(taskId: string): { text: string; cost: number } | undefined {
    const task = this.exercise.tasks.find((t) => t.id === taskId);
    if (!task?.hint) return undefined;
    const meta = this.meta;
    if (!meta.hintsUsed.includes(task.id)) {
      writeTrainingMeta(this.lab.store, { ...meta, hintsUsed: [...meta.hintsUsed, task.id] });
      this.events.step('Hint', `${task.title} (−${hintCost(task)} points)`);
      this.lastGrade = undefined;
    }
    return { text: task.hint.text, cost: hintCost(task) };
  }

  /**
   * The trainee's answer to a task's question, kept in the lab file and written in the event log. The first answer is
   * final (the same one again is fine): otherwise a question whose task turns green live is passed by trying each
   * choice. A reset by the instructor clears the answers.
   */
  answer(taskId: string, given: string): string {
    const kept = answerTask(this.exercise, taskId, given);
    const meta = this.meta;
    const before = meta.answers?.[taskId];
    if (before !== undefined && before !== kept) throw new ERR_TRAINING_ANSWER_FINAL(this.exercise.tasks.find((t) => t.id === taskId)!.title, before);
    writeTrainingMeta(this.lab.store, { ...meta, answers: { ...(meta.answers ?? {}), [taskId]: kept } });
    this.events.step('Answer', `${this.exercise.tasks.find((t) => t.id === taskId)!.title}: ${kept}`);
    this.lastGrade = undefined;
    return kept;
  }

  /**
   * The grade of the lab as it is now: every task checked once, without its `wait` (the task panel and the
   * instructor page look again soon; a `wait` is for `rove-sim check`, which plays the lab on). One grading at a time.
   */
  grade(): Promise<Grade> {
    this.grading ??= (async () => {
      try {
        const now: Exercise = { ...this.exercise, tasks: this.exercise.tasks.map(({ wait: _wait, ...t }) => t) };
        const grade = await gradeLab(this.lab, now, { hintsUsed: new Set(this.meta.hintsUsed), answers: this.meta.answers ?? {} });
        this.lastGrade = grade;
        return grade;
      } finally {
        this.grading = undefined;
      }
    })();
    return this.grading;
  }

  /** The trainee pressed Check: graded now, and written in their event log. */
  async check(): Promise<Grade> {
    const grade = await this.grade();
    writeTrainingMeta(this.lab.store, { ...this.meta, checkedAt: this.lab.clock.now() });
    const passed = grade.tasks.filter((t) => t.status === 'passed').length;
    this.events.step('Check', `${passed} of ${grade.tasks.length} tasks passed, score ${grade.score}/${grade.maxScore}`, grade.passed);
    return grade;
  }

  /** More time for the trainee (instructor). */
  extend(ms: number): void {
    const meta = this.classroomMeta;
    this.lab.store.setMeta(CLASSROOM_META, { ...meta, extensionMs: meta.extensionMs + ms });
    this.events.step('More time', `${Math.round(ms / 60_000)} min more (instructor)`);
  }

  /**
   * Puts the lab back to a checkpoint (instructor): every device reloaded and power-cycled; progress is regraded. An
   * exercise's own checkpoint is made the first time it is asked for (its scenario played in a lab of its own, with
   * the trainee's seed, so the devices are the trainee's), then kept in the lab file like any other.
   */
  async reset(checkpoint: string): Promise<void> {
    const defined = this.exercise.checkpoints?.find((c) => c.name === checkpoint);
    if (defined && !listCheckpoints(this.lab.store).some((c) => c.name === checkpoint)) {
      await makeExerciseCheckpoint(this.loaded, this.exercise, defined, this.trainee.seed, this.lab);
    }
    await restoreCheckpoint(this.lab, checkpoint);
    // Put back to an earlier point, the trainee answers the questions again.
    const { answers: _answers, ...meta } = this.meta;
    writeTrainingMeta(this.lab.store, meta);
    this.lab.commit();
    this.events.reattach();
    this.events.step('Reset', `lab put back to checkpoint "${checkpoint}" (instructor)`);
    this.lastGrade = undefined;
  }

  /** The lab's checkpoints, then the exercise's own not made yet. */
  checkpoints(): string[] {
    const saved = listCheckpoints(this.lab.store).map((c) => c.name);
    return [...saved, ...(this.exercise.checkpoints ?? []).map((c) => c.name).filter((n) => !saved.includes(n))];
  }

  now(): number {
    return this.lab.clock.now();
  }

  timing(): TrainingTiming {
    const { startedAt } = this.meta;
    const extensionMs = this.classroomMeta.extensionMs;
    const elapsedMs = Math.max(0, this.lab.clock.now() - startedAt);
    const limit = this.timeLimitMs;
    return { startedAt, elapsedMs, extensionMs, timeLimitMs: limit, remainingMs: limit === null ? null : limit + extensionMs - elapsedMs };
  }

  /** Everything the instructor page shows of this trainee, graded now. */
  async status(): Promise<TraineeStatus> {
    const grade = await this.grade();
    const readouts = labReadouts(this.lab);
    const bases = readouts.bases('*');
    const handsets = readouts.handsets('*');
    const teams = readouts.teamsDevices('*');
    const timing = this.timing();
    return {
      login: this.trainee.login,
      name: this.trainee.name,
      seed: this.trainee.seed,
      variables: this.variables,
      score: grade.score,
      maxScore: grade.maxScore,
      passed: grade.tasks.filter((t) => t.status === 'passed').length,
      tasks: grade.tasks.map((t) => ({ id: t.id, title: t.title, status: t.status, earned: t.earned, points: t.points, hintUsed: t.hintUsed, text: t.text })),
      hintsUsed: this.meta.hintsUsed.length,
      startedAt: new Date(timing.startedAt).toISOString(),
      elapsedMs: timing.elapsedMs,
      remainingMs: timing.remainingMs,
      timeLimitMs: timing.timeLimitMs,
      extensionMs: timing.extensionMs,
      devices: {
        bases: bases.map((b) => ({ mac: b.mac, model: b.status.model, state: b.status.state, firmware: b.status.firmware })),
        handsets: handsets.map((h) => ({ ipei: h.ipei, model: h.model, state: h.state, registered: h.baseMac !== null })),
        handsetsRegistered: handsets.filter((h) => h.baseMac !== null).length,
        signedIn: teams.filter((d) => d.userStatus === 'Signed in').length,
        teamsDevices: teams.length,
      },
      checkpoints: this.checkpoints(),
      urls: { ...this.urls, bases: this.urls.bases },
      checkedAt: new Date(this.lab.clock.now()).toISOString(),
    };
  }

  async close(): Promise<void> {
    for (const s of this.servers) {
      s.close();
      s.closeAllConnections();
    }
    const apps = this.apps ? await this.apps.catch(() => undefined) : undefined;
    for (const client of apps?.app.websocketServer?.clients ?? []) client.terminate();
    this.events.close();
    await apps?.teams.close();
    await apps?.app.close();
    await this.lab.close();
  }
}

/** The trainee's lab: the file as they left it, or the exercise's starting lab when there is none yet. */
/** Plays an exercise checkpoint's scenario in a lab file of its own and keeps its state as a checkpoint of `lab`. */
async function makeExerciseCheckpoint(loaded: LoadedExercise, exercise: Exercise, c: ExerciseCheckpoint, seed: number, lab: Lab): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rove-checkpoint-'));
  try {
    const scenario = c.scenario ?? exercise.lab?.scenario;
    const made = await openExerciseLab(loaded, { ...exercise, lab: { ...exercise.lab, ...(scenario ? { scenario } : {}), upTo: c.upTo, template: undefined } }, { file: path.join(dir, 'checkpoint.db'), seed, paused: true });
    try {
      saveCheckpointFrom(made, lab.store, c.name);
    } finally {
      await made.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function openTraineeLab(file: string, loaded: LoadedExercise, exercise: Exercise, seed: number, speed: number, paused: boolean): Promise<Lab> {
  if (existsSync(file)) {
    let clock: VirtualClock | undefined;
    if (paused) {
      const store = new LabStore(file);
      const savedNow = store.getMeta<number>('clockNow');
      store.close();
      clock = new VirtualClock({ start: savedNow ?? Date.now(), paused: true });
    }
    const lab = await Lab.open({ file, speed, seedDefaultLab: false, ...(clock ? { clock } : {}) });
    if (readTrainingMeta(lab.store)) {
      // The trainee's lab as they left it, with its faults (the exercise's planted fault, if it is still on).
      restoreFaults(lab);
      return lab;
    }
    // Killed while its starting lab was being made: made again from the start.
    await lab.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  }
  const lab = await openExerciseLab(loaded, exercise, { file, seed, speed, paused });
  saveCheckpoint(lab, START_CHECKPOINT);
  lab.commit();
  // Written last: a lab file without it is one whose making was interrupted (made again above).
  writeTrainingMeta(lab.store, { exercise: loaded.file, seed, startedAt: lab.clock.now(), hintsUsed: [] });
  return lab;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The room of a login, or `CLASSROOM_TRAINEE_NOT_FOUND`. */
export function roomOf(rooms: ReadonlyMap<string, TraineeRoom>, login: string): TraineeRoom {
  const room = rooms.get(login);
  if (!room) throw new ERR_CLASSROOM_TRAINEE_NOT_FOUND(login, [...rooms.keys()].join(', '));
  return room;
}
