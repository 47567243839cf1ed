/**
 * `rove-sim train EXERCISE`: one trainee's lab on their own machine — the classroom's {@link TraineeRoom} without its
 * door (no login: nobody else's lab is there) — and its URLs, the trainee view first. The lab file is
 * `DIR/<exercise>.db` (default DIR `./training`): the first start makes the exercise's starting lab, a later one
 * continues it with the trainee's progress (hints, time, last Check); a file of another exercise is refused. It listens
 * on loopback only: trainees on other machines get a classroom, behind their logins.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ERR_TRAINING_DIR_OTHER_EXERCISE } from '../kernel/error-catalogue.ts';
import { LabStore } from '../lab/lab-store.ts';
import { loadExerciseFile } from '../training/exercise-loader.ts';
import { readTrainingMeta } from '../training/training-meta.ts';
import { newSession } from './classroom-state.ts';
import { PortCursor } from './port-cursor.ts';
import { TraineeRoom } from './trainee-room.ts';

export interface TrainingOptions {
  exercise: string;
  /** Where the lab file and event log go (default `./training`). */
  dir?: string;
  /** Seed of the exercise's variables for a new lab (default: the exercise's seed, else 1). */
  seed?: number;
  /** The trainee view's port; the bases' web admins and the Teams admin center take the ports after it (0: any). */
  port: number;
  speed?: number;
  /** A lab on a paused clock that moves only when stepped (tests). */
  paused?: boolean;
  log?: (line: string) => void;
}

export interface RunningTraining {
  room: TraineeRoom;
  /** The trainee view. */
  url: string;
  close(): Promise<void>;
}

/** The lab file's name: the exercise file's, as a login-like word (`first-login-and-firmware`). */
export function trainingName(exerciseFile: string): string {
  return (
    path
      .basename(exerciseFile)
      .replace(/\.(ya?ml|json)$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'exercise'
  );
}

export async function startTraining(o: TrainingOptions): Promise<RunningTraining> {
  const log = o.log ?? ((line: string) => console.log(line));
  // Loopback only: without a door, a lab on another address would be open to anyone (rove-sim classroom is for that).
  const host = '127.0.0.1';
  const dir = o.dir ?? './training';
  const loaded = loadExerciseFile(o.exercise);
  mkdirSync(dir, { recursive: true });
  const login = trainingName(o.exercise);
  const file = TraineeRoom.labFile(dir, login);
  let seed = o.seed ?? loaded.exercise.seed ?? 1;
  if (existsSync(file)) {
    const store = new LabStore(file);
    const meta = readTrainingMeta(store);
    store.close();
    if (meta && meta.exercise !== loaded.file) throw new ERR_TRAINING_DIR_OTHER_EXERCISE(file, meta.exercise);
    if (meta && o.seed !== undefined && o.seed !== meta.seed) log(`${file} was started with seed ${meta.seed}: it keeps it (another --dir starts the exercise again with seed ${o.seed}).`);
    if (meta) seed = meta.seed;
  }
  // No door on a lab of one's own: the sessions below open nothing (TraineeRoomOptions.local).
  const unused = newSession();
  const room = await TraineeRoom.open({
    trainee: { name: 'Trainee', login, seed, password: { salt: '', hash: '' }, session: unused },
    loaded,
    dir,
    host,
    ports: new PortCursor(o.port, host),
    speed: o.speed ?? 1,
    local: true,
    loginUrl: () => '',
    instructorSession: () => unused,
    ...(o.paused ? { paused: true } : {}),
  });
  try {
    await room.build();
  } catch (err) {
    await room.close();
    throw err;
  }
  const { urls } = room;
  log(`Rove Simulator training: "${loaded.exercise.title}" (lab ${file}, seed ${seed})`);
  log(`  Trainee view:       ${urls.taskPanel}`);
  for (const b of urls.bases) log(`  Base ${b.mac} web admin: ${b.url}`);
  log(`  Handsets:           ${urls.handsets}`);
  log(`  Teams admin center: ${urls.teams}`);
  log(`  Device login:       ${urls.deviceLogin}`);
  log(`Press Ctrl+C to stop; the lab and your progress are kept in ${file} (rove-sim check ${o.exercise} --lab ${file} grades it).`);
  let closing: Promise<void> | undefined;
  return { room, url: urls.taskPanel, close: () => (closing ??= room.close()) };
}
