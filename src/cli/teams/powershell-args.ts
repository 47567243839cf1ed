/**
 * PowerShell-style parameters for the Teams cmdlets on the command line, bound as PowerShell binds them:
 *
 *     -DeviceDetailsFilePath ./phones.csv -Region EMEA
 *     -identity global -bulksignin Enabled            names are case-insensitive
 *     -AllowSIPDevicesCalling $true                   $true/$false (also true/false); quote them in bash: '$true'
 *     -AllowSIPDevicesCalling:$false                  the colon form binds a value to a switch
 *     -Batch 1b2c...                                  a unique prefix of a name is enough
 *     -PhoneNumber +1... -PhoneNumberType ...         aliases (Microsoft's pages list them: TelephoneNumber, NumberType)
 *     Grant-CsTeamsCallingPolicy lobby@contoso.com SIPDevices    positional parameters ([-Identity] [-PolicyName])
 *     -Verbose, -ErrorAction Stop, -WhatIf ...        the common parameters every cmdlet takes (accepted, no effect)
 *
 * Parameter sets (e.g. Remove-CsPhoneNumberAssignment's RemoveSome / RemoveAll) are resolved from the parameters
 * given, as PowerShell does. A parameter takes any string unless Microsoft's page documents a fixed set: values the
 * service refuses are refused by the service (the control API), not here. Errors use PowerShell's own wording.
 */

export type ParamType = 'string' | 'bool' | 'int' | 'switch';

export interface ParamSpec {
  name: string;
  type: ParamType;
  /** Other names that bind it exactly (Microsoft's "Aliases:"). */
  aliases?: readonly string[];
  /** Position for an argument given without a name (Microsoft's `[[-Identity] <String>]`: 0). */
  position?: number;
  /** Mandatory in every set it belongs to (true), or only in these sets. */
  mandatory?: boolean | readonly string[];
  /** The parameter sets it belongs to; none: all. */
  sets?: readonly string[];
  /** A documented ValidateSet: other values are refused, matched without regard to case (canonical spelling returned). */
  values?: readonly string[];
  /** Known spellings: a value matching one without regard to case is sent in that spelling; others are sent as typed. */
  canonical?: readonly string[];
  /** `$null` is allowed (e.g. `Grant-... -PolicyName $null`). */
  nullable?: boolean;
}

/** What a cmdlet declares: its parameters and, if it has several, its parameter sets (the first is the default). */
export interface CmdletSignature {
  params: readonly ParamSpec[];
  parameterSets?: readonly string[];
}

export type ParamValue = string | boolean | number | null;

export interface BoundArgs {
  values: Record<string, ParamValue>;
  /** The parameter set PowerShell resolved (undefined: the cmdlet has only one). */
  parameterSet: string | undefined;
}

export class PowerShellArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PowerShellArgsError';
  }
}

const ACTION_PREFERENCES = ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend', 'Break'];

/** about_CommonParameters: every cmdlet takes them; here they are accepted and have no effect. */
export const COMMON_PARAMETERS: readonly ParamSpec[] = [
  { name: 'Debug', type: 'switch', aliases: ['db'] },
  { name: 'ErrorAction', type: 'string', aliases: ['ea'], values: ACTION_PREFERENCES },
  { name: 'ErrorVariable', type: 'string', aliases: ['ev'] },
  { name: 'InformationAction', type: 'string', aliases: ['infa'], values: ACTION_PREFERENCES },
  { name: 'InformationVariable', type: 'string', aliases: ['iv'] },
  { name: 'OutBuffer', type: 'int', aliases: ['ob'] },
  { name: 'OutVariable', type: 'string', aliases: ['ov'] },
  { name: 'PipelineVariable', type: 'string', aliases: ['pv'] },
  { name: 'ProgressAction', type: 'string', aliases: ['proga'], values: ACTION_PREFERENCES },
  { name: 'Verbose', type: 'switch', aliases: ['vb'] },
  { name: 'WarningAction', type: 'string', aliases: ['wa'], values: ACTION_PREFERENCES },
  { name: 'WarningVariable', type: 'string', aliases: ['wv'] },
];

function parseBool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === '$true' || v === 'true' || v === '1') return true;
  if (v === '$false' || v === 'false' || v === '0') return false;
  throw new PowerShellArgsError(
    `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${raw}" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
  );
}

const NO_SET = 'Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.';

/** Binds `args` to the parameters of one cmdlet (a bare list of specs: a cmdlet with one parameter set). */
export function bindPowerShellArgs(args: readonly string[], signature: CmdletSignature | readonly ParamSpec[]): BoundArgs {
  const sig: CmdletSignature = Array.isArray(signature) ? { params: signature as readonly ParamSpec[] } : (signature as CmdletSignature);
  const own = sig.params;
  const specs = [...own, ...COMMON_PARAMETERS.filter((c) => !own.some((s) => s.name.toLowerCase() === c.name.toLowerCase()))];
  const out: Record<string, ParamValue> = {};
  const positional: string[] = [];
  const find = (typed: string): ParamSpec => {
    const lower = typed.toLowerCase();
    const exact = specs.find((s) => s.name.toLowerCase() === lower || s.aliases?.some((a) => a.toLowerCase() === lower));
    if (exact) return exact;
    const prefixed = specs.filter((s) => s.name.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0]!;
    if (prefixed.length > 1) {
      throw new PowerShellArgsError(`Parameter cannot be processed because the parameter name '${typed}' is ambiguous. Possible matches include: ${prefixed.map((s) => `-${s.name}`).join(' ')}.`);
    }
    throw new PowerShellArgsError(`A parameter cannot be found that matches parameter name '${typed}'.`);
  };
  for (let i = 0; i < args.length; i++) {
    const token = args[i]!;
    const m = /^-([A-Za-z][A-Za-z0-9]*)(?::(.*))?$/s.exec(token);
    if (!m) {
      positional.push(token);
      continue;
    }
    const spec = find(m[1]!);
    if (Object.hasOwn(out, spec.name)) throw new PowerShellArgsError(`Cannot bind parameter because parameter '${spec.name}' is specified more than once.`);
    let raw: string | undefined = m[2];
    if (raw === undefined && spec.type !== 'switch') {
      const next = args[i + 1];
      if (next === undefined || (/^-[A-Za-z]/.test(next) && spec.type !== 'int')) {
        throw new PowerShellArgsError(`Missing an argument for parameter '${spec.name}'. Specify a parameter of type '${typeName(spec.type)}' and try again.`);
      }
      raw = next;
      i++;
    }
    out[spec.name] = convert(spec, raw);
  }
  const sets = sig.parameterSets ?? [];
  // Positional arguments go to the unbound positional parameters, in order of position.
  const byPosition = own.filter((s) => s.position !== undefined && !Object.hasOwn(out, s.name)).sort((a, b) => a.position! - b.position!);
  for (const token of positional) {
    const spec = byPosition.shift();
    if (!spec) throw new PowerShellArgsError(`A positional parameter cannot be found that accepts argument '${token}'.`);
    out[spec.name] = convert(spec, token);
  }
  const set = resolveSet(sets, own, out);
  const inSet = (s: ParamSpec) => set === undefined || !s.sets || s.sets.includes(set);
  const isMandatory = (s: ParamSpec) => (Array.isArray(s.mandatory) ? set !== undefined && s.mandatory.includes(set) : s.mandatory === true) && inSet(s);
  const missing = own.filter((s) => isMandatory(s) && !Object.hasOwn(out, s.name)).map((s) => s.name);
  if (missing.length) throw new PowerShellArgsError(`Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`);
  return { values: out, parameterSet: set };
}

/** Binds `args` and returns the values only (a cmdlet with one parameter set). */
export function parsePowerShellArgs(args: readonly string[], specs: readonly ParamSpec[] | CmdletSignature): Record<string, ParamValue> {
  return bindPowerShellArgs(args, specs).values;
}

/**
 * The parameter set the bound parameters select: the sets every bound parameter belongs to; of several, the one whose
 * mandatory parameters are all given, else the default (first) set if it is still possible.
 */
function resolveSet(sets: readonly string[], specs: readonly ParamSpec[], bound: Record<string, ParamValue>): string | undefined {
  if (sets.length === 0) return undefined;
  const given = specs.filter((s) => Object.hasOwn(bound, s.name));
  const possible = sets.filter((set) => given.every((s) => !s.sets || s.sets.includes(set)));
  if (possible.length === 0) throw new PowerShellArgsError(NO_SET);
  if (possible.length === 1) return possible[0];
  const complete = possible.filter((set) =>
    specs.every((s) => !(Array.isArray(s.mandatory) ? s.mandatory.includes(set) : s.mandatory === true && (!s.sets || s.sets.includes(set))) || Object.hasOwn(bound, s.name)),
  );
  if (complete.length === 1) return complete[0];
  const fallback = complete.length > 1 ? complete : possible;
  if (fallback.includes(sets[0]!)) return sets[0];
  if (fallback.length === 1) return fallback[0];
  throw new PowerShellArgsError(NO_SET);
}

function typeName(t: ParamType): string {
  return t === 'bool' ? 'System.Boolean' : t === 'int' ? 'System.Int32' : 'System.String';
}

function convert(spec: ParamSpec, raw: string | undefined): ParamValue {
  if (spec.type === 'switch') return raw === undefined ? true : parseBool(spec.name, raw);
  const value = raw!;
  if (spec.nullable && value.trim().toLowerCase() === '$null') return null;
  if (spec.type === 'bool') return parseBool(spec.name, value);
  if (spec.type === 'int') {
    if (!/^-?\d+$/.test(value.trim())) {
      throw new PowerShellArgsError(`Cannot process argument transformation on parameter '${spec.name}'. Cannot convert value "${value}" to type "System.Int32". Error: "Input string was not in a correct format."`);
    }
    return Number(value.trim());
  }
  if (spec.values) {
    const hit = spec.values.find((v) => v.toLowerCase() === value.trim().toLowerCase());
    if (!hit) {
      throw new PowerShellArgsError(
        `Cannot validate argument on parameter '${spec.name}'. The argument "${value}" does not belong to the set "${spec.values.join(',')}" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.`,
      );
    }
    return hit;
  }
  if (spec.canonical) return spec.canonical.find((v) => v.toLowerCase() === value.trim().toLowerCase()) ?? value;
  return value;
}
