/**
 * The shape of an exercise file (docs/training.md), as exercise-schema.ts checks it: the starting lab, the variables
 * drawn per trainee, and the tasks with their checks. Strings may name variables as `{{name}}`.
 */
import type { FaultRequest } from '../live/faults/fault-board.ts';
import type { NumberMatch } from '../rehearsal/scenario-types.ts';

export type { NumberMatch } from '../rehearsal/scenario-types.ts';

export interface Exercise {
  title: string;
  /** Markdown, shown before the first task. */
  briefing: string;
  /** Default seed of the variables (`--seed` overrides; default 1). */
  seed?: number;
  /** How long the trainee has (a duration; shown as a timer, not enforced by `check`). */
  timeLimit?: string | number;
  lab?: ExerciseLab;
  /**
   * Points of the exercise an instructor can put a trainee's lab at (a trainee who fell behind goes on from there):
   * the scenario (default `lab.scenario`, so the devices are the same) played up to and including step `upTo`.
   */
  checkpoints?: ExerciseCheckpoint[];
  /** Each variable takes one of its values per trainee, drawn from the seed. */
  variables?: Record<string, { oneOf: VariableValue[] }>;
  tasks: Task[];
}

export interface ExerciseCheckpoint {
  /** Its name in the lab's checkpoints (letters, digits, `.`, `_`, `-`). */
  name: string;
  /** What the lab is like there, for the instructor's list. */
  title?: string;
  scenario?: string;
  upTo: string;
}

/**
 * One value of a variable: a string or number (`{{name}}`), or a record of them whose fields are used as
 * `{{name.field}}` — for values that go together (a base's MAC and the place its handsets are).
 */
export type VariableValue = string | number | Record<string, string | number>;

export interface ExerciseLab {
  /** A new lab from a lab template (default `factory`; src/lab/lab-template.ts). */
  template?: 'factory' | 'calls-demo';
  /** Or a scenario file (relative to the exercise file) played on the lab clock ... */
  scenario?: string;
  /** ... up to and including the step of this name (default: every step). */
  upTo?: string;
  /** Faults of the fault catalogue planted once the bases answer (src/live/faults/). */
  faults?: FaultSpec[];
}

/**
 * A fault to plant: a fault API request (fault-board.ts), with `*` for every base or handset and the duration written
 * as in scenario files.
 */
export type FaultSpec = Omit<FaultRequest, 'bases' | 'handsets' | 'durationMs'> & {
  /** Base MACs, or `*` for every base. */
  bases?: string[] | string;
  handsets?: string[] | string;
  duration?: string | number;
};

export interface Task {
  id: string;
  title: string;
  /** What to do (Markdown). */
  text?: string;
  /** Points when passed (default 10). */
  points?: number;
  /** Shown on request; using it costs `cost` points of this task (default half its points). */
  hint?: { text: string; cost?: number };
  /** Retry the checks until they pass or this much lab time has passed. */
  wait?: string | number;
  /** Later tasks are not checked while this one fails (netlab's `stop_on_error`). */
  barrier?: boolean;
  pass?: string;
  fail?: string;
  /** Checks on the lab (a task has checks, a question, or both). */
  checks?: Check[];
  /** A question the trainee answers (`rove-sim check --answer ID=VALUE`, the task panel). */
  question?: Question;
}

/**
 * A question the trainee answers, graded against the file: one of `choices` (the right one is `answer`), or a number
 * within `number`. The answer is what the trainee says; the lab is not read.
 */
export type Question = ChoiceQuestion | NumberQuestion;

export interface ChoiceQuestion {
  /** What is asked (Markdown). */
  text: string;
  choices: string[];
  /** The right choice, as written in `choices`. */
  answer: string;
  /** Said when the answer is wrong or missing. */
  fail?: string;
}

export interface NumberQuestion {
  text: string;
  /** The answers taken as right: from `min` to `max`, both included. */
  number: { min?: number; max?: number };
  /** What the number counts (`seconds`), shown with the question. */
  unit?: string;
  fail?: string;
}

interface CheckCommon {
  /** Said when this check fails (besides the task's `fail`). */
  fail?: string;
  /** How many of the selected devices must match (default: all). */
  count?: NumberMatch;
}

/** `*` (every one) or one device: a base MAC, a handset IPEI. */
export type Selector = string;

export interface BaseCheck extends CheckCommon {
  base: Selector;
  state?: string;
  firmware?: string;
  passwordChanged?: boolean;
  /** Web admin parameters by key (src/devices/base-station/parameters.ts): the value the page shows. */
  settings?: Record<string, string>;
  reboots?: NumberMatch;
  rebootsFor?: { reason: string; count: NumberMatch };
  handsetsRegistered?: NumberMatch;
  pendingProvisioningReboots?: NumberMatch;
  errorCode?: string;
}

export interface HandsetCheck extends CheckCommon {
  handset: Selector;
  state?: string;
  registered?: boolean;
  firmware?: string;
  screen?: string;
  display?: string;
  lineState?: string;
}

export interface TeamsCheck extends CheckCommon {
  /** Devices of the Teams admin center: `*`, or a handset's IPEI or `00`+IPEI. */
  teams: Selector;
  /** The admin center list, or one of several (a later list also shows an earlier step was done). */
  list?: string | string[];
  userStatus?: string | null;
  user?: string;
}

export interface BulkSignInCheck extends CheckCommon {
  /** The latest bulk sign-in batch, as Get-CsSdgBulkSignInRequestStatus shows it. */
  bulkSignIn: { status?: 'succeeded' | 'failed' | 'inprogress'; succeeded?: NumberMatch; failed?: NumberMatch; errors?: Record<string, NumberMatch> };
}

export type Check = BaseCheck | HandsetCheck | TeamsCheck | BulkSignInCheck;
