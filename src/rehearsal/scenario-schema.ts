/**
 * The JSON Schema of scenario files (draft-07, validated with ajv). The same shape as scenario-types.ts; the loader
 * turns ajv's errors into line-numbered messages (scenario-loader.ts).
 */
const duration = { anyOf: [{ type: 'string', format: 'duration' }, { type: 'number', minimum: 0 }] } as const;
const selector = { anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }] } as const;
const numberMatch = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'object', properties: { min: { type: 'number' }, max: { type: 'number' } }, additionalProperties: false, minProperties: 1 },
  ],
} as const;
const overrides = { type: 'object', additionalProperties: { type: ['number', 'boolean'] } } as const;
const share = { anyOf: [{ type: 'string', pattern: '^\\d+(\\.\\d+)?%$' }, { type: 'integer', minimum: 0 }] } as const;
const baseModel = { enum: ['B2', 'B4'] } as const;
const handsetModel = { enum: ['Rove 30', 'Rove 40'] } as const;
const region = { enum: ['NOAM', 'EMEA', 'APAC'] } as const;
const firmware = { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+\\.\\d{4}$' } as const;

const handset = {
  type: 'object',
  required: ['model'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z][\\w.-]*$' },
    ipei: { type: 'string', minLength: 1 },
    model: handsetModel,
    firmware,
    user: { type: 'string' },
    name: { type: 'string' },
  },
} as const;

const conditionCommon = { count: numberMatch } as const;

// Which keys a condition may have depends on what it names (a base, a handset, …): scenario-references.ts checks
// them, so that a key gets the nearest key of its own kind.
const condition = {
  type: 'object',
  minProperties: 1,
  properties: {
    ...conditionCommon,
    base: selector,
    handset: selector,
    teams: selector,
    bulkSignIn: {
      type: 'object',
      additionalProperties: false,
      properties: { succeeded: numberMatch, failed: numberMatch, errors: { type: 'object', additionalProperties: numberMatch } },
    },
    state: { type: 'string' },
    firmware: { type: 'string' },
    reboots: numberMatch,
    rebootsFor: {
      type: 'object',
      required: ['reason', 'count'],
      additionalProperties: false,
      properties: { reason: { type: 'string' }, count: numberMatch },
    },
    firmwareUpdate: { type: 'string' },
    provisioning: { type: 'string' },
    errorCode: { type: 'string' },
    pendingProvisioningReboots: numberMatch,
    handsetsRegistered: numberMatch,
    dectSync: { enum: ['Locked', 'Free running', 'Assisted lock', 'Searching', 'Sync lost', 'Unknown', 'none'] },
    chainLevel: numberMatch,
    cell: { type: 'string', minLength: 1 },
    display: { type: 'string' },
    screen: { type: 'string' },
    registered: { type: 'boolean' },
    lineState: { enum: ['OK', 'Error', 'Registering', 'Idle', 'Stopped', 'none'] },
    lineReason: { type: 'string' },
    list: { type: 'string' },
    userStatus: { type: ['string', 'null'] },
    line: { type: 'string' },
  },
} as const;

const conditions = { anyOf: [condition, { type: 'array', items: condition, minItems: 1 }] } as const;

const teamsAction = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    provision: selector,
    location: { type: 'string' },
    generateCode: selector,
    enroll: selector,
    code: { type: 'string' },
    signIn: selector,
    user: { type: 'string' },
    spacing: duration,
    signOut: selector,
    restart: selector,
    bulkSignIn: {
      type: 'object',
      additionalProperties: false,
      properties: {
        csv: { type: 'string' },
        handsets: selector,
        batchSize: { type: 'integer', minimum: 1, maximum: 100 },
        region,
        mistakes: {
          type: 'object',
          additionalProperties: false,
          properties: {
            wrongFormat: { type: 'integer', minimum: 0 },
            duplicate: { type: 'integer', minimum: 0 },
            unknownUser: { type: 'integer', minimum: 0 },
            unknownDevice: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    trustedIps: { type: 'array', items: { type: 'string' } },
    setBulkSignIn: { enum: ['Enabled', 'Disabled'] },
    updateUser: {
      type: 'object',
      required: ['upn'],
      additionalProperties: false,
      properties: {
        upn: { type: 'string' },
        phoneNumber: { type: ['string', 'null'] },
        licence: { type: ['string', 'null'] },
        callingPolicy: { type: ['string', 'null'] },
      },
    },
  },
} as const;

const fault = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', pattern: '^[\\w.-]+$' },
    type: { type: 'string' },
    bases: selector,
    handsets: selector,
    site: { type: 'string' },
    mode: { enum: ['error', 'timeout'] },
    status: { type: 'integer', minimum: 500, maximum: 599 },
    server: { type: 'string', minLength: 1 },
    region,
    file: { type: 'string' },
    configUrl: { type: 'string' },
    publicIp: { type: 'string' },
    during: { enum: ['download', 'install'] },
    duration,
  },
} as const;

/** Keys of a step that name its action; a step has exactly one, and steps/step-kinds.ts has the handler of each. */
export const STEP_ACTIONS = [
  'settings',
  'press',
  'register',
  'teams',
  'wait',
  'waitUntil',
  'power',
  'reboot',
  'fault',
  'clearFault',
  'expect',
  'checkpoint',
  'restore',
] as const;

const step = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    at: duration,
    timeout: duration,
    run: { enum: ['main', 'compare'] },
    settings: {
      type: 'object',
      required: ['bases', 'values'],
      additionalProperties: false,
      properties: { bases: selector, values: { type: 'object', additionalProperties: { type: ['string', 'number'] } } },
    },
    press: {
      type: 'object',
      required: ['handsets', 'keys'],
      additionalProperties: false,
      properties: { handsets: selector, keys: { type: 'string' } },
    },
    register: {
      type: 'object',
      required: ['handsets'],
      additionalProperties: false,
      properties: { handsets: selector, via: { enum: ['keys'] } },
    },
    teams: teamsAction,
    wait: duration,
    waitUntil: conditions,
    power: {
      type: 'object',
      required: ['on'],
      additionalProperties: false,
      properties: { bases: selector, handsets: selector, on: { type: 'boolean' } },
    },
    reboot: {
      type: 'object',
      required: ['bases'],
      additionalProperties: false,
      properties: { bases: selector, forced: { type: 'boolean' } },
    },
    fault,
    clearFault: { type: 'string' },
    expect: conditions,
    checkpoint: { type: 'string' },
    restore: { type: 'string' },
  },
} as const;

const compare = {
  type: 'object',
  additionalProperties: false,
  properties: {
    label: { type: 'string' },
    profile: { type: 'string' },
    profileOverrides: overrides,
    handsetProfile: { type: 'string' },
    handsetProfileOverrides: overrides,
    plan: { type: 'string', minLength: 1 },
    steps: { type: 'array', items: step },
  },
} as const;

export const SCENARIO_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://rove-simulator.invalid/scenario.schema.json',
  title: 'Rove Simulator scenario',
  type: 'object',
  required: ['name', 'lab', 'steps'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
    start: { type: 'string', format: 'date-time' },
    profile: { type: 'string' },
    profileOverrides: overrides,
    handsetProfile: { type: 'string' },
    handsetProfileOverrides: overrides,
    teamsProfile: overrides,
    compare,
    helpdesk: {
      type: 'object',
      additionalProperties: false,
      properties: {
        timeZone: { type: 'string', minLength: 1 },
        workingHours: {
          type: 'object',
          additionalProperties: false,
          properties: {
            days: { type: 'array', uniqueItems: true, items: { enum: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] } },
            from: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
            to: { type: 'string', pattern: '^([01]\\d|2[0-4]):[0-5]\\d$' },
          },
        },
      },
    },
    lab: {
      type: 'object',
      additionalProperties: false,
      properties: {
        tenant: { enum: ['default', 'empty'] },
        region,
        trustedIps: { type: 'array', items: { type: 'string' } },
        bulkSignIn: { enum: ['Enabled', 'Disabled'] },
        sites: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'publicIp'],
            additionalProperties: false,
            properties: { id: { type: 'string' }, name: { type: 'string' }, publicIp: { type: 'string', format: 'ipv4' } },
          },
        },
        bases: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'model'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', pattern: '^[A-Za-z][\\w.-]*$' },
              model: baseModel,
              firmware,
              site: { type: 'string' },
              mac: { type: 'string' },
              powered: { type: 'boolean' },
              handsets: {
                anyOf: [
                  { type: 'array', items: handset },
                  {
                    type: 'object',
                    required: ['count'],
                    additionalProperties: false,
                    properties: { count: { type: 'integer', minimum: 0, maximum: 30 }, model: handsetModel, firmware },
                  },
                ],
              },
            },
          },
        },
        users: {
          type: 'array',
          items: {
            type: 'object',
            required: ['upn'],
            additionalProperties: false,
            properties: {
              upn: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
              displayName: { type: 'string' },
              phoneNumber: { type: ['string', 'null'] },
              licence: { type: ['string', 'null'] },
              callingPolicy: { type: ['string', 'null'] },
              ipPhonePolicy: { type: ['string', 'null'] },
              mfa: { type: 'boolean' },
              mustChangePassword: { type: 'boolean' },
            },
          },
        },
        chains: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'bases', 'primary'],
            additionalProperties: false,
            properties: {
              id: { type: 'integer', minimum: 1, maximum: 65535 },
              bases: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
              primary: { type: 'string', minLength: 1 },
              dataSync: { enum: ['Multicast', 'Peer-to-Peer'] },
              systemCombination: { enum: ['50 bases/3 repeaters', '127 bases/1 repeater', '254 bases/0 repeaters'] },
            },
          },
        },
        generate: {
          type: 'object',
          required: ['bases'],
          additionalProperties: false,
          properties: {
            bases: { type: 'integer', minimum: 1, maximum: 4096 },
            model: baseModel,
            firmware,
            handsetsPerBase: { type: 'integer', minimum: 0, maximum: 30 },
            handsets: { type: 'integer', minimum: 0, maximum: 100000 },
            handsetModels: { type: 'array', items: handsetModel, minItems: 1 },
            handsetFirmware: firmware,
            sites: { type: 'integer', minimum: 1, maximum: 250 },
            users: { type: 'boolean' },
            accountsMissingNumber: share,
            accountsUnlicensed: share,
          },
        },
      },
    },
    steps: { type: 'array', items: step },
  },
} as const;
