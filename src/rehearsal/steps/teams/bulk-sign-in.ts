/**
 * `teams: { bulkSignIn: … }`: `New-CsSdgBulkSignInRequest` per batch of rows; at most as many batches run at once as
 * the service allows (the next is submitted when one completes); the step ends when every batch has completed, and
 * each row's outcome is tallied and recorded.
 */
import { parseBulkHardwareId } from '../../../cloud/teams/bulk/bulk-csv.ts';
import { ipeiOf } from '../../../cloud/teams/devices/hardware-id.ts';
import type { BulkSignInSpec } from '../../scenario-types.ts';
import { bulkBatches, bulkCsvText } from './bulk-rows.ts';
import { runOne, type StepContext } from '../step-context.ts';

export async function bulkSignIn(spec: BulkSignInSpec, ctx: StepContext): Promise<void> {
  const { directory, lab, recorder, driver } = ctx;
  const service = lab.teams.bulk;
  const region = spec.region ?? ctx.region;
  const requests: Array<{ csv?: string; rows?: Array<{ userName: string; hardwareId: string; device?: string }> }> = [];
  if (spec.csv !== undefined) {
    requests.push({ csv: bulkCsvText(spec.csv, directory) });
  } else {
    // Without the planted-mistake marks: the service gets what a CSV would hold.
    for (const batch of bulkBatches(spec, directory, ctx.random)) requests.push({ rows: batch.map(({ userName, hardwareId, device }) => ({ userName, hardwareId, ...(device !== undefined ? { device } : {}) })) });
  }
  const submitted: Array<{ id: string; rows?: Array<{ device?: string }> }> = [];
  await runOne(driver, async () => {
    for (const [n, request] of requests.entries()) {
      for (;;) {
        try {
          const batch = service.submit({ region, ...(request.csv !== undefined ? { csv: request.csv } : { rows: request.rows! }) });
          submitted.push({ id: batch.BatchId, ...(request.rows ? { rows: request.rows } : {}) });
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'BULK_TOO_MANY_BATCHES') {
            ctx.fail(`bulk sign-in batch ${n + 1} is accepted`, (err as Error).message);
            break;
          }
          const running = () => service.inProgressCount();
          const before = running();
          await driver.until(() => running() < before, 24 * 3_600_000);
        }
      }
    }
    await driver.until(() => submitted.every((b) => service.batchStatus(b.id) === 'Completed'), 24 * 3_600_000);
  });
  for (const { id, rows } of submitted) {
    service.status(id).BatchItem.forEach((item, j) => {
      if (item.Status === 'pending') return;
      const ok = item.Status === 'success';
      recorder.tallyBulk(ok ? 'Success' : 'Failed', item.Error);
      const parsed = parseBulkHardwareId(item.HardwareId);
      const device = rows?.[j]?.device ?? (parsed ? directory.nameOf(ipeiOf(parsed.hardwareId) ?? parsed.hardwareId) : item.HardwareId);
      recorder.add({ kind: 'bulk', device, ok, detail: item.UserName, ...(item.Error ? { reason: item.Error } : {}) });
      recorder.bulkRegions.set(device, region);
      if (item.ProcessedTime !== null) recorder.bulkTimes.set(device, item.ProcessedTime);
      if (item.Checks) recorder.bulkChecks.set(device, item.Checks);
      else recorder.bulkChecks.delete(device);
    });
  }
}
