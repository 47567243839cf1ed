/**
 * The rows a `teams: { bulkSignIn: … }` step sends without a `csv:` (one per selected handset with a user, in batches
 * of `batchSize`), with its planted `mistakes` — one place for the rehearsal (bulk-sign-in.ts) and the pre-flight
 * (`rove-sim plan check`), so that both see the same rows, the same planted mistakes at the same positions.
 */
import { formatHardwareId, hardwareIdForIpei } from '../../../cloud/teams/devices/hardware-id.ts';
import type { LabDirectory } from '../../build-lab.ts';
import type { BulkSignInSpec } from '../../scenario-types.ts';
import { SeededRandom } from '../../seeded-random.ts';

export type PlantedMistake = keyof NonNullable<BulkSignInSpec['mistakes']>;

export interface BulkRow {
  userName: string;
  hardwareId: string;
  /** The handset the row was made for (before any planted mistake). */
  device?: string;
  /** The mistake planted in this row, if any. */
  mistake?: PlantedMistake;
}

/**
 * The randomness of a run's steps (the planted mistakes are its only use): seeded from the run's seed, consumed by
 * each bulk sign-in step of the run in order.
 */
export function stepsRandom(seed: number): SeededRandom {
  return new SeededRandom(seed ^ 0xb01c);
}

/**
 * The text of a step's own file (`csv:`) as it is sent: each `{hw:NAME}` written out as that handset's hardware id
 * (the names are checked at load; one that names no handset is left as written, and the service refuses it).
 */
export function bulkCsvText(csv: string, directory: LabDirectory): string {
  return csv.replace(/\{hw:([^}]+)\}/g, (whole, name: string) => {
    let h;
    try {
      h = directory.selectHandsets(name)[0];
    } catch {
      return whole;
    }
    return h ? formatHardwareId(hardwareIdForIpei(h.ipei)) : whole;
  });
}

/** The batches of rows of a step without `csv:`; consumes `random` for the planted mistakes as the rehearsal does. */
export function bulkBatches(spec: BulkSignInSpec, directory: LabDirectory, random: SeededRandom): BulkRow[][] {
  const rows: BulkRow[] = directory
    .selectHandsets(spec.handsets ?? '*')
    .filter((h) => h.user)
    .map((h) => ({ userName: h.user!, hardwareId: formatHardwareId(hardwareIdForIpei(h.ipei)), device: h.id }));
  plantMistakes(rows, spec.mistakes ?? {}, random);
  const size = spec.batchSize ?? 100;
  const batches: BulkRow[][] = [];
  for (let i = 0; i < rows.length; i += size) batches.push(rows.slice(i, i + size));
  return batches;
}

/**
 * Replaces rows with the kinds of mistakes people make in these CSVs, at positions chosen from the seed. A duplicate
 * copies the next row's hardware id: both rows then fail ("Duplicate devices found for bulk sign-in.").
 */
function plantMistakes(rows: BulkRow[], mistakes: NonNullable<BulkSignInSpec['mistakes']>, random: SeededRandom): void {
  const total = (mistakes.wrongFormat ?? 0) + (mistakes.duplicate ?? 0) + (mistakes.unknownUser ?? 0) + (mistakes.unknownDevice ?? 0);
  const picks = random.sample(rows.length, total);
  let k = 0;
  for (let i = 0; i < (mistakes.wrongFormat ?? 0) && k < picks.length; i++, k++) {
    const r = rows[picks[k]!]!;
    r.hardwareId = r.hardwareId.replace(/-/g, '');
    r.mistake = 'wrongFormat';
  }
  for (let i = 0; i < (mistakes.duplicate ?? 0) && k < picks.length; i++, k++) {
    const at = picks[k]!;
    const other = rows[(at + 1) % rows.length]!;
    rows[at]!.hardwareId = other.hardwareId;
    rows[at]!.mistake = 'duplicate';
  }
  for (let i = 0; i < (mistakes.unknownUser ?? 0) && k < picks.length; i++, k++) {
    rows[picks[k]!]!.userName = `nobody${i + 1}@contoso.com`;
    rows[picks[k]!]!.mistake = 'unknownUser';
  }
  for (let i = 0; i < (mistakes.unknownDevice ?? 0) && k < picks.length; i++, k++) {
    rows[picks[k]!]!.hardwareId = `00-00-0F-FF-FF-${String(i + 1).padStart(2, '0')}`;
    rows[picks[k]!]!.mistake = 'unknownDevice';
  }
}
