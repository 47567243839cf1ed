/**
 * The JSON Schema of exercise files (draft-07, checked with the scenario files' ajv: src/rehearsal/schema-file.ts).
 * The same shape as exercise-types.ts; exercise-loader.ts adds the rules a schema cannot say and the line numbers.
 */
import { FAULT_TYPES } from '../live/faults/fault-types.ts';
import { LAB_TEMPLATES } from '../lab/lab-template.ts';

const duration = { anyOf: [{ type: 'string', format: 'duration' }, { type: 'number', minimum: 0 }] } as const;
const numberMatch = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'object', properties: { min: { type: 'number' }, max: { type: 'number' } }, additionalProperties: false, minProperties: 1 },
  ],
} as const;
const selector = { type: 'string', minLength: 1 } as const;
const list = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] } as const;
const common = { fail: { type: 'string' }, count: numberMatch } as const;

/** The subjects a check may have: exactly one per check. */
export const CHECK_SUBJECTS = ['base', 'handset', 'teams', 'bulkSignIn'] as const;

const baseCheck = {
  type: 'object',
  required: ['base'],
  additionalProperties: false,
  properties: {
    ...common,
    base: selector,
    state: { enum: ['off', 'booting', 'running', 'rebooting'] },
    firmware: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d{4}$' },
    passwordChanged: { type: 'boolean' },
    settings: { type: 'object', minProperties: 1, additionalProperties: { type: 'string' } },
    reboots: numberMatch,
    rebootsFor: {
      type: 'object',
      required: ['reason', 'count'],
      additionalProperties: false,
      properties: { reason: { type: 'string', minLength: 1 }, count: numberMatch },
    },
    handsetsRegistered: numberMatch,
    pendingProvisioningReboots: numberMatch,
    errorCode: { type: 'string' },
  },
} as const;

const handsetCheck = {
  type: 'object',
  required: ['handset'],
  additionalProperties: false,
  properties: {
    ...common,
    handset: selector,
    state: { enum: ['off', 'starting', 'stopping', 'installing-firmware', 'unregistered', 'searching', 'out-of-range', 'in-service'] },
    registered: { type: 'boolean' },
    firmware: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d{4}$' },
    screen: { type: 'string' },
    display: { type: 'string', minLength: 1 },
    lineState: { enum: ['OK', 'Error', 'Registering', 'Idle', 'Stopped', 'none'] },
  },
} as const;

const teamsCheck = {
  type: 'object',
  required: ['teams'],
  additionalProperties: false,
  properties: {
    ...common,
    teams: selector,
    list: {
      anyOf: [
        { enum: ['Waiting on activation', 'Waiting for sign in', 'SIP devices', 'Offboarded'] },
        { type: 'array', minItems: 1, items: { enum: ['Waiting on activation', 'Waiting for sign in', 'SIP devices', 'Offboarded'] } },
      ],
    },
    userStatus: { enum: ['Signed in', 'Signed out', null] },
    user: { type: 'string', minLength: 1 },
  },
} as const;

const bulkCheck = {
  type: 'object',
  required: ['bulkSignIn'],
  additionalProperties: false,
  properties: {
    fail: { type: 'string' },
    bulkSignIn: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        status: { enum: ['succeeded', 'failed', 'inprogress'] },
        succeeded: numberMatch,
        failed: numberMatch,
        errors: { type: 'object', additionalProperties: numberMatch },
      },
    },
  },
} as const;

// A question with `choices` is a choice; any other is a number question (the loader's messages follow the branch).
const question = {
  type: 'object',
  required: ['text'],
  if: { required: ['choices'] },
  then: {
    required: ['choices', 'answer'],
    additionalProperties: false,
    properties: {
      text: { type: 'string', minLength: 1 },
      fail: { type: 'string' },
      choices: { type: 'array', minItems: 2, items: { type: 'string', minLength: 1 } },
      answer: { type: 'string', minLength: 1 },
    },
  },
  else: {
    required: ['number'],
    additionalProperties: false,
    properties: {
      text: { type: 'string', minLength: 1 },
      fail: { type: 'string' },
      number: { type: 'object', properties: { min: { type: 'number' }, max: { type: 'number' } }, additionalProperties: false, minProperties: 1 },
      unit: { type: 'string', minLength: 1 },
    },
  },
} as const;

const task = {
  type: 'object',
  // checks, a question or both: the loader says when a task has neither.
  required: ['id', 'title'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    title: { type: 'string', minLength: 1 },
    text: { type: 'string' },
    points: { type: 'integer', minimum: 0 },
    hint: {
      type: 'object',
      required: ['text'],
      additionalProperties: false,
      properties: { text: { type: 'string', minLength: 1 }, cost: { type: 'integer', minimum: 0 } },
    },
    wait: duration,
    barrier: { type: 'boolean' },
    pass: { type: 'string' },
    fail: { type: 'string' },
    question,
    // The subject key picks the kind of check (the loader says when none is there); each kind is closed.
    checks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        allOf: [
          { if: { required: ['base'] }, then: baseCheck },
          { if: { required: ['handset'] }, then: handsetCheck },
          { if: { required: ['teams'] }, then: teamsCheck },
          { if: { required: ['bulkSignIn'] }, then: bulkCheck },
        ],
      },
    },
  },
} as const;

const fault = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { enum: [...FAULT_TYPES] },
    id: { type: 'string', minLength: 1 },
    bases: list,
    handsets: list,
    site: { type: 'string' },
    mode: { enum: ['error', 'timeout'] },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    file: { type: 'string' },
    configUrl: { type: 'string' },
    publicIp: { type: 'string' },
    server: { type: 'string' },
    region: { enum: ['NOAM', 'EMEA', 'APAC'] },
    duration,
  },
} as const;

export const EXERCISE_SCHEMA = {
  type: 'object',
  required: ['title', 'briefing', 'tasks'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1 },
    briefing: { type: 'string', minLength: 1 },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    timeLimit: duration,
    lab: {
      type: 'object',
      additionalProperties: false,
      properties: {
        template: { enum: [...LAB_TEMPLATES] },
        scenario: { type: 'string', minLength: 1 },
        upTo: { type: 'string', minLength: 1 },
        faults: { type: 'array', items: fault },
      },
    },
    checkpoints: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'upTo'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^[\\w.-]{1,64}$' },
          title: { type: 'string', minLength: 1 },
          scenario: { type: 'string', minLength: 1 },
          upTo: { type: 'string', minLength: 1 },
        },
      },
    },
    variables: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
      additionalProperties: {
        type: 'object',
        required: ['oneOf'],
        additionalProperties: false,
        properties: {
          oneOf: {
            type: 'array',
            minItems: 1,
            items: {
              anyOf: [
                { type: ['string', 'number'] },
                {
                  type: 'object',
                  minProperties: 1,
                  propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_]*$' },
                  additionalProperties: { type: ['string', 'number'] },
                },
              ],
            },
          },
        },
      },
    },
    tasks: { type: 'array', minItems: 1, items: task },
  },
} as const;
