/**
 * Rove firmware versions.
 *
 * The web admin names a version as two 4-digit fields, `BaseFWVersion` `8003` and `BaseFwBranch` `0009`, while the
 * status page and Microsoft's lists name it dotted, `8.0.3.0009` (seed 000, rove.md). Both forms are the same number:
 * version digits `8 0 0 3` → `8.0.3`, branch `0009`.
 */
export interface FirmwareVersion {
  /** 4 digits, e.g. `8003`. */
  version: string;
  /** 4 digits, e.g. `0009`. */
  branch: string;
}

const DOTTED = /^(\d)\.(\d)\.(\d{1,2})\.(\d{4})$/;

export function parseDotted(dotted: string): FirmwareVersion {
  const m = DOTTED.exec(dotted.trim());
  if (!m) throw new RangeError(`not a Rove firmware version (expected e.g. 8.0.3.0009): ${dotted}`);
  const [, major, minor, patch, branch] = m as unknown as [string, string, string, string, string];
  return { version: `${major}${minor}${patch.padStart(2, '0')}`, branch };
}

export function isDotted(value: string): boolean {
  return DOTTED.test(value.trim());
}

export function toDotted(v: FirmwareVersion): string {
  const d = v.version;
  return `${d[0]}.${d[1]}.${Number(d.slice(2))}.${v.branch}`;
}

/** Numeric comparison of two dotted versions: negative, 0 or positive. */
export function compareDotted(a: string, b: string): number {
  const pa = parseDotted(a);
  const pb = parseDotted(b);
  return Number(pa.version) - Number(pb.version) || Number(pa.branch) - Number(pb.branch);
}

/** Teams needs base and handset firmware 8.0.3 or later (seed 000). */
export const TEAMS_MINIMUM_FIRMWARE = '8.0.3.0000';

export function meetsTeamsMinimum(dotted: string): boolean {
  return compareDotted(dotted, TEAMS_MINIMUM_FIRMWARE) >= 0;
}
