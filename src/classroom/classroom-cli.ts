/**
 * `rove-sim classroom --exercise FILE (--trainees N | --roster roster.csv)` and `rove-sim train EXERCISE` (one lab on
 * one's own machine, no login): registered on the main program by src/cli/main.ts; each loads what it needs when it
 * runs.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';

function whole(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return Number(value);
  };
}

export function registerClassroomCommand(program: Command): void {
  program
    .command('classroom')
    .description('one isolated lab per trainee, each behind their own login, with an instructor page (docs/training.md)')
    .requiredOption('--exercise <file>', 'exercise file (YAML; fixtures/exercises/)')
    .addOption(new Option('--trainees <n>', 'number of trainees (logins trainee01…, generated passwords printed once and written to DIR/trainees.csv)').argParser(whole(1, 60)).conflicts('roster'))
    .option('--roster <file>', 'roster CSV: a header line name,login,password, then one line per trainee')
    .option('--dir <dir>', "the classroom's directory: one lab file per trainee, their event logs, the classroom's logins", './classroom')
    .addOption(new Option('--port <n>', 'login and instructor page; trainees get the ports after it (0: any free ports)').argParser(whole(0, 65535)).default(8080))
    .option('--host <address>', 'address to listen on (trainees on other machines: this machine\'s address on the classroom network)', '127.0.0.1')
    .addOption(new Option('--seed <n>', "seed of the exercise's variables: trainee k (from 0) gets seed + k (default: the exercise's seed, else 1)").argParser(whole(0, 4294967295)))
    .addOption(new Option('--instructor-password <secret>', 'the instructor page password (default: generated and printed)').env('ROVE_INSTRUCTOR_PASSWORD'))
    .option('--sip', "open each trainee lab's SIP server to outside SIP tools (ephemeral ports)", false)
    .action(async (o: { exercise: string; trainees?: number; roster?: string; dir: string; port: number; host: string; seed?: number; instructorPassword?: string; sip: boolean }) => {
      const { existsSync } = await import('node:fs');
      const path = await import('node:path');
      if (o.trainees === undefined && o.roster === undefined && !existsSync(path.join(o.dir, 'classroom.json'))) {
        process.stderr.write(`error: a new classroom needs --trainees N or --roster FILE (${o.dir} holds no classroom yet)\n`);
        process.exitCode = 2;
        return;
      }
      if (o.instructorPassword !== undefined && o.instructorPassword.length < 8) {
        process.stderr.write('error: --instructor-password needs at least 8 characters\n');
        process.exitCode = 2;
        return;
      }
      const { startClassroom } = await import('./start-classroom.ts');
      const { ExerciseError } = await import('../training/exercise-loader.ts');
      let classroom;
      try {
        classroom = await startClassroom({
          exercise: o.exercise,
          dir: o.dir,
          ...(o.trainees !== undefined ? { trainees: o.trainees } : {}),
          ...(o.roster !== undefined ? { roster: o.roster } : {}),
          port: o.port,
          host: o.host,
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.instructorPassword !== undefined ? { instructorPassword: o.instructorPassword } : {}),
          sip: o.sip,
        });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (err instanceof ExerciseError || code === 'CLASSROOM_ROSTER_INVALID' || code === 'CLASSROOM_DIR_OTHER_EXERCISE') {
          process.stderr.write(`${(err as Error).message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      const started = performance.now();
      void classroom.ready.then(() => console.log(`Every trainee's pages are ready (${((performance.now() - started) / 1000).toFixed(1)} s more).`));
      const stop = () => void classroom.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description("one exercise's lab on this machine, no login: the trainee view (tasks, Check, hints, timer, score) beside the device pages (docs/training.md)")
    .argument('<exercise>', 'exercise file (YAML; fixtures/exercises/)')
    .option('--dir <dir>', 'where the lab file (<exercise>.db) and event log are kept; a later start continues them', './training')
    .addOption(new Option('--seed <n>', "seed of the exercise's variables for a new lab (default: the exercise's seed, else 1)").argParser(whole(0, 4294967295)))
    .addOption(new Option('--port <n>', 'the trainee view; the web admins and the Teams admin center get the ports after it (0: any free ports)').argParser(whole(0, 65535)).default(8080))
    .action(async (exercise: string, o: { dir: string; seed?: number; port: number }) => {
      const { startTraining } = await import('./start-training.ts');
      const { ExerciseError } = await import('../training/exercise-loader.ts');
      let training;
      try {
        training = await startTraining({ exercise, dir: o.dir, port: o.port, ...(o.seed !== undefined ? { seed: o.seed } : {}) });
      } catch (err) {
        if (err instanceof ExerciseError || (err as { code?: string }).code === 'TRAINING_DIR_OTHER_EXERCISE') {
          process.stderr.write(`${(err as Error).message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
      const stop = () => void training.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
