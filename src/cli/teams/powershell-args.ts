/**
 * PowerShell-style named parameters for the Teams cmdlets on the command line:
 *
 *     -DeviceDetailsFilePath ./phones.csv -Region EMEA
 *     -identity global -bulksignin Enabled            names are case-insensitive
 *     -AllowSIPDevicesCalling $true                   $true/$false (also true/false); quote them in bash: '$true'
 *     -AllowSIPDevicesCalling:$false                  the colon form binds a value to a switch
 *     -Batch 1b2c...                                  a unique prefix of a name is enough, as in PowerShell
 *
 * Errors use PowerShell's own wording so that what a rehearsal prints is what the real shell would.
 */

export type ParamType = 'string' | 'bool' | 'int' | 'switch';

export interface ParamSpec {
  name: string;
  type: ParamType;
  mandatory?: boolean;
  /** Allowed values (ValidateSet), matched without regard to case; the canonical spelling is returned. */
  values?: readonly string[];
  /** `$null` is allowed (e.g. `Grant-... -PolicyName $null`). */
  nullable?: boolean;
}

export type ParamValue = string | boolean | number | null;

export class PowerShellArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PowerShellArgsError';
  }
}

function parseBool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === '$true' || v === 'true' || v === '1') return true;
  if (v === '$false' || v === 'false' || v === '0') return false;
  throw new PowerShellArgsError(
    `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${raw}" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
  );
}

/** Binds `args` to the parameters of one cmdlet. */
export function parsePowerShellArgs(args: readonly string[], specs: readonly ParamSpec[]): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const find = (typed: string): ParamSpec => {
    const lower = typed.toLowerCase();
    const exact = specs.find((s) => s.name.toLowerCase() === lower);
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
    if (!m) throw new PowerShellArgsError(`A positional parameter cannot be found that accepts argument '${token}'.`);
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
  const missing = specs.filter((s) => s.mandatory && !Object.hasOwn(out, s.name)).map((s) => s.name);
  if (missing.length) throw new PowerShellArgsError(`Cannot process command because of one or more missing mandatory parameters: ${missing.join(' ')}.`);
  return out;
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
  return value;
}
