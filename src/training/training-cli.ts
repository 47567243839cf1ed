/**
 * The training commands of `rove-sim`: `check` (grade a lab file against an exercise). Registered on the main program
 * by src/cli/main.ts; each loads what it needs when it runs.
 */
import { type Command, InvalidArgumentError } from 'commander';

function seedArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 4294967295) throw new InvalidArgumentError('must be a whole number from 0 to 4294967295');
  return Number(value);
}

export function registerTrainingCommands(program: Command): void {
  program
    .command('check')
    .description('grade a lab file against an exercise (exit 0: every task passed, 1: a task failed, 2: invalid exercise or answer, 3: the lab could not be opened)')
    .argument('<exercise>', 'exercise file (YAML; docs/training.md)')
    .requiredOption('--lab <file>', 'the lab file to grade (it is not changed: a copy is graded)')
    .option('--seed <n>', "seed of the exercise's variables (default: the one the lab was started with, else the exercise's)", seedArg)
    .option('--json', 'print the grade as JSON')
    .option('--answer <task=answer>', "the trainee's answer to a task's question (a choice's number or words, or a number); repeat for each", (v: string, all: string[] = []) => [...all, v])
    .action(async (exercise: string, o: { lab: string; seed?: number; json?: boolean; answer?: string[] }) => {
      const { checkLabFile } = await import('./check-command.ts');
      const options = { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.json ? { json: true } : {}), ...(o.answer ? { answers: o.answer } : {}) };
      const outcome = await checkLabFile(exercise, o.lab, options, {
        out: (l) => console.log(l),
        err: (l) => process.stderr.write(`${l}\n`),
      });
      process.exitCode = outcome.exitCode;
    });
}
