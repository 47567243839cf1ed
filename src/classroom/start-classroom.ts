/**
 * `rove-sim classroom`: one isolated lab per trainee in one process, the classroom's login page and the instructor
 * page on `--port`, and each trainee's ports (task panel and handsets, their bases' web admins, their Teams admin
 * center) from `--port` + 1 up, each behind that trainee's login (access-gate.ts).
 *
 * The first start in a directory makes the classroom: the roster (a CSV, or N trainees with generated passwords,
 * printed once and written to DIR/trainees.csv), the instructor password (given, or generated and printed), then
 * every trainee's starting lab. A later start with the same DIR continues every lab and every trainee's progress; the
 * roster and passwords it was made with stay.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ERR_CLASSROOM_DIR_OTHER_EXERCISE } from '../kernel/error-catalogue.ts';
import { loadExerciseFile } from '../training/exercise-loader.ts';
import { buildClassroomApp } from './classroom-app.ts';
import { type ClassroomState, hashSecret, newSession, readClassroomState, writeClassroomState } from './classroom-state.ts';
import { sharedSchemaController } from '../http/shared-schema-compilers.ts';
import { PortCursor } from './port-cursor.ts';
import { generatedRoster, generatePassword, INSTRUCTOR_LOGIN, readRosterFile, type RosterEntry, rosterCsv } from './roster.ts';
import { TraineeRoom } from './trainee-room.ts';

export interface ClassroomOptions {
  exercise: string;
  dir: string;
  trainees?: number;
  roster?: string;
  host?: string;
  /** The classroom's login and instructor page; trainees' ports from port + 1 (0: every port ephemeral). */
  port: number;
  seed?: number;
  instructorPassword?: string;
  speed?: number;
  /** Open each lab's SIP server to outside tools (ephemeral ports). */
  sip?: boolean;
  /** Labs on a paused clock that moves only when stepped (tests). */
  paused?: boolean;
  /** How many trainee labs are opened side by side (default 4). */
  parallel?: number;
  log?: (line: string) => void;
}

export interface RunningClassroom {
  url: string;
  app: FastifyInstance;
  rooms: Map<string, TraineeRoom>;
  state: ClassroomState;
  /**
   * Resolves once every trainee's web pages are built (they are built one after another once every lab runs and
   * listens; a request that comes first builds its own room's at once).
   */
  ready: Promise<void>;
  /** Passwords made up by this start (a new classroom only), to be handed out. */
  generated: { instructor?: string; trainees?: RosterEntry[] };
  close(): Promise<void>;
}

export async function startClassroom(o: ClassroomOptions): Promise<RunningClassroom> {
  const log = o.log ?? ((line: string) => console.log(line));
  const host = o.host ?? '127.0.0.1';
  const loaded = loadExerciseFile(o.exercise);
  const exerciseFile = path.resolve(o.exercise);
  mkdirSync(o.dir, { recursive: true });
  const generated: RunningClassroom['generated'] = {};
  let state = readClassroomState(o.dir);
  if (state) {
    if (state.exercise !== exerciseFile) throw new ERR_CLASSROOM_DIR_OTHER_EXERCISE(o.dir, state.exercise);
    if (o.trainees !== undefined || o.roster !== undefined) log(`Continuing the classroom in ${o.dir} with its ${state.trainees.length} trainees (--trainees and --roster apply to a new classroom directory).`);
    if (o.instructorPassword !== undefined) {
      state = { ...state, instructor: { ...state.instructor, password: hashSecret(o.instructorPassword) } };
      writeClassroomState(o.dir, state);
    }
  } else {
    const roster = o.roster !== undefined ? readRosterFile(o.roster) : generatedRoster(o.trainees ?? 1);
    const instructor = o.instructorPassword ?? generatePassword();
    if (o.instructorPassword === undefined) generated.instructor = instructor;
    const seed = o.seed ?? loaded.exercise.seed ?? 1;
    state = {
      version: 1,
      exercise: exerciseFile,
      seed,
      instructor: { password: hashSecret(instructor), session: newSession() },
      trainees: roster.map((t, i) => ({ name: t.name, login: t.login, seed: seed + i, password: hashSecret(t.password), session: newSession() })),
    };
    if (o.roster === undefined) {
      generated.trainees = roster;
      writeFileSync(path.join(o.dir, 'trainees.csv'), rosterCsv(roster), { mode: 0o600 });
    }
    writeClassroomState(o.dir, state);
  }
  const classroomState = state;

  const rooms = new Map<string, TraineeRoom>();
  const schemaController = sharedSchemaController();
  const app = await buildClassroomApp({ title: loaded.exercise.title, state: classroomState, rooms, loopbackOnly: /^(127\.|localhost$|::1$)/.test(host) });
  const closeRooms = async () => {
    await Promise.all([...rooms.values()].map((r) => r.close().catch(() => undefined)));
    rooms.clear();
  };
  try {
    await app.listen({ host, port: o.port });
    const port = (app.server.address() as { port: number }).port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const ports = new PortCursor(o.port === 0 ? 0 : port + 1, host);
    const queue = [...classroomState.trainees];
    const opened = new Map<string, TraineeRoom>();
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        const room = await TraineeRoom.open({
          trainee: t,
          loaded,
          dir: o.dir,
          host,
          ports,
          speed: o.speed ?? 1,
          loginUrl: () => `${url}/`,
          instructorSession: () => classroomState.instructor.session,
          ...(o.sip ? { sip: true } : {}),
          ...(o.paused ? { paused: true } : {}),
          schemaController,
        });
        opened.set(t.login, room);
      }
    };
    try {
      // Every worker ends before a failure is reported: none may go on opening labs behind the error.
      const ends = await Promise.allSettled(Array.from({ length: Math.max(1, o.parallel ?? 4) }, worker));
      const failed = ends.find((e): e is PromiseRejectedResult => e.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      // In roster order, whatever order they opened in.
      for (const t of classroomState.trainees) {
        const room = opened.get(t.login);
        if (room) rooms.set(t.login, room);
      }
    }

    log(`Rove Simulator classroom: "${loaded.exercise.title}", ${rooms.size} trainee${rooms.size === 1 ? '' : 's'} (directory ${o.dir}, seed ${classroomState.seed})`);
    log(`  Login page:      ${url}/`);
    log(`  Instructor page: ${url}/instructor/  (login ${INSTRUCTOR_LOGIN}${generated.instructor ? `, password ${generated.instructor}` : ', the instructor password'})`);
    const passwords = new Map(generated.trainees?.map((t) => [t.login, t.password]));
    for (const room of rooms.values()) {
      const { trainee, urls } = room;
      const password = passwords.get(trainee.login);
      log(`  ${trainee.name} — login ${trainee.login}${password ? ` password ${password}` : ''}: task panel ${urls.taskPanel}, handsets ${urls.handsets}, ${urls.bases.map((b) => `base ${b.url}`).join(', ')}, Teams admin center ${urls.teams}`);
    }
    if (generated.trainees) log(`  Passwords are shown once: they are also in ${path.join(o.dir, 'trainees.csv')} (give it back as --roster for another classroom).`);
    if (existsSync(path.join(o.dir, 'trainees.csv')) && !generated.trainees) log(`  Trainee passwords: ${path.join(o.dir, 'trainees.csv')}`);
    log('Press Ctrl+C to stop; every lab and every trainee\'s progress are kept in the directory.');

    let closing: Promise<void> | undefined;
    const ready = (async () => {
      for (const room of rooms.values()) {
        if (closing) return;
        await room.build();
        // Between two rooms, what the running labs and early requests need goes first.
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    ready.catch((err: Error) => log(`A trainee's web pages could not be built: ${err.message}`));
    const close = () =>
      (closing ??= (async () => {
        app.server.closeAllConnections();
        await app.close();
        await ready.catch(() => undefined);
        await closeRooms();
      })());
    return { url, app, rooms, state: classroomState, ready, generated, close };
  } catch (err) {
    await app.close().catch(() => undefined);
    await closeRooms();
    throw err;
  }
}
