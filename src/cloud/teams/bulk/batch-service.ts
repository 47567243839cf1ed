/**
 * The bulk sign-in batch service of the emulated Teams SIP Gateway [seed 003, MS]:
 *
 * - `New-CsSdgBulkSignInRequest -DeviceDetailsFilePath <csv> -Region <NOAM|EMEA|APAC>` → {@link submit}: checks who
 *   asks (role, else "Access Denied"), that `BulkSignIn` is Enabled, the file, at most 100 devices and at most 3 batches
 *   of the region still running; then returns the `BatchId` at once and works through the rows on the lab clock, one
 *   every `bulkRowProcessingMs`.
 * - `Get-CsSdgBulkSignInRequestStatus -Batchid <id>` → {@link status}: `BatchStatus` `InProgress` until every row is
 *   done, then `Completed`; one `BatchItem` per row with `UserName`, `HardwareId`, `Status` (`pending`, `success`,
 *   `failed`) and `Error`.
 * - `Get-CsSdgBulkSignInRequestsSummary` → {@link summary}: the tenant's batches of the last 30 days, newest first.
 *
 * ```text
 *   submit ──▶ InProgress ──(one row per bulkRowProcessingMs; each row: bulkRowProblems → success | failed)──▶ Completed
 * ```
 *
 * Batches are `teams-bulk-batch` documents in the lab file, written after every row, so a restart of the simulator
 * resumes a running batch where it was (rows whose time has passed run at once, in order). One lab-clock timer serves
 * all batches. A row that passes signs the device in through the gateway's own sign-in path (`bulkSignInDevice`), so
 * it gets the same check-sync (and the base its reboot) as a sign-in with a pairing code.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentStore } from '../../../kernel/document-store.ts';
import {
  ERR_ACCESS_DENIED,
  ERR_BATCH_NOT_FOUND,
  ERR_BULK_CSV_INVALID,
  ERR_BULK_CSV_INVALID_2,
  ERR_BULK_SIGN_IN_DISABLED,
  ERR_BULK_TOO_MANY_BATCHES,
  ERR_BULK_TOO_MANY_DEVICES,
  ERR_BULK_TOO_MANY_DEVICES_2,
  ERR_REGION_INVALID,
} from '../../../kernel/error-catalogue.ts';
import { Listeners } from '../../../kernel/listeners.ts';
import type { Clock } from '../../../kernel/virtual-clock.ts';
import type { TeamsDevice } from '../devices/device-machine.ts';
import type { GatewayProfile } from '../gateway-profile.ts';
import { parseRegion, type Region, REGIONS } from '../regions.ts';
import { actingAdmin, mayRunBulkSignIn, type Tenant, type TeamsUser } from '../tenant/tenant-model.ts';
import { type BulkCsvRow, describeCsvProblems, parseBulkHardwareId, parseBulkSignInCsv } from './bulk-csv.ts';
import { ACCESS_DENIED } from './bulk-errors.ts';
import { bulkRowProblems, type DeviceWhereabouts } from './bulk-checks.ts';

export const BULK_BATCH_KIND = 'teams-bulk-batch';

export type BatchStatus = 'InProgress' | 'Completed';
export type BatchItemStatus = 'pending' | 'success' | 'failed';

export interface BatchItem {
  UserName: string;
  HardwareId: string;
  Status: BatchItemStatus;
  Error: string | null;
  /**
   * Every failing check of a failed row, `Error` first (the simulator's addition, not in the service's answer: the
   * cmdlets and the API show `Error` only; rehearsal reports and pre-flights list them all).
   */
  Checks?: string[];
  /** Line of the CSV (or position in a JSON request). */
  Row: number;
  /** Lab-clock time the row was processed. */
  ProcessedTime: number | null;
}

/** The persisted batch, with the cmdlets' field names. */
export interface BulkSignInBatch {
  BatchId: string;
  Region: Region;
  TenantId: string;
  /** The administrator who submitted it. */
  SubmittedBy: string;
  /** Lab-clock times. */
  CreatedTime: number;
  CompletedTime: number | null;
  BatchStatus: BatchStatus;
  BatchItem: BatchItem[];
  /** Processing time per row when submitted (a profile change does not alter a running batch). */
  rowMs: number;
}

/** A line of `Get-CsSdgBulkSignInRequestsSummary`. */
export interface BulkSignInSummaryItem {
  BatchId: string;
  Region: Region;
  BatchStatus: BatchStatus;
  /** Batch level: `succeeded` when every device signed in, else `failed` (while running: `inprogress`) [MS]. */
  Status: 'succeeded' | 'failed' | 'inprogress';
  CreatedTime: number;
  CompletedTime: number | null;
  SubmittedBy: string;
  TotalCount: number;
  SuccessCount: number;
  FailedCount: number;
  PendingCount: number;
}

export interface BulkSubmitInput {
  region: string;
  /** The CSV file's text. */
  csv?: string;
  /** Or the rows directly (JSON API). */
  rows?: Array<{ userName: string; hardwareId: string }>;
}

/**
 * The gateway facts a batch reads and the one action it takes (the `TeamsGateway` gives them; declared here so the
 * batch service does not depend on the gateway that owns it).
 */
export interface BulkSignInGateway {
  /** The lab's tenant (throws TENANT_MISSING in a lab without one). */
  readonly tenant: Tenant;
  user(upn: string): TeamsUser | undefined;
  /** The stored record of a device (any state), by 12-hex hardware id. */
  deviceRecord(hardwareId: string): TeamsDevice | undefined;
  deviceWhereabouts(hardwareId: string): DeviceWhereabouts | undefined;
  /** Adds a line to a device's history. */
  noteDevice(hardwareId: string, text: string): void;
  /** Signs a device in for a row that passed every check (the same path as a sign-in with a pairing code). */
  bulkSignInDevice(hardwareId: string, upn: string, region: Region, batchId: string): unknown;
}

export interface BatchServiceOptions {
  gateway: BulkSignInGateway;
  store: DocumentStore;
  clock: Clock;
  profile: Readonly<GatewayProfile>;
}

export class BulkSignInService {
  private readonly batches = new Map<string, BulkSignInBatch>();
  /** A listener that throws stops the announcement and reaches the caller, as it always has. */
  private readonly listeners = new Listeners<{ change: BulkSignInBatch }>((error) => {
    throw error;
  });
  private timer: number | undefined;
  private readonly hardwareIdCounts = new WeakMap<BulkSignInBatch, Map<string, number>>();
  /** Where the search for a batch's first pending row resumes (see firstPending). */
  private readonly cursors = new WeakMap<BulkSignInBatch, number>();
  private disposed = false;

  constructor(private readonly o: BatchServiceOptions) {
    this.reload();
  }

  /** Reads the batches from the lab file (at start and on checkpoint restore). */
  reload(): void {
    this.batches.clear();
    for (const b of this.o.store.list<BulkSignInBatch>(BULK_BATCH_KIND)) if (b.BatchItem && b.rowMs !== undefined) this.batches.set(b.BatchId, b);
    this.reschedule();
  }

  /** `New-CsSdgBulkSignInRequest`. Refuses the whole request (nothing happens) or returns the running batch. */
  submit(input: BulkSubmitInput): BulkSignInBatch {
    const { gateway, profile, clock } = this.o;
    const tenant = gateway.tenant;
    this.requireRole();
    const region = parseRegion(input.region);
    if (!region) {
      throw new ERR_REGION_INVALID(input.region, REGIONS.join(', '));
    }
    if (tenant.sipDevicesConfiguration.bulkSignIn !== 'Enabled') {
      throw new ERR_BULK_SIGN_IN_DISABLED();
    }
    let rows: BulkCsvRow[];
    if (input.csv !== undefined) {
      const parsed = parseBulkSignInCsv(input.csv, { maxDevices: profile.bulkMaxDevices });
      if (!parsed.ok) {
        const tooMany = parsed.problems.some((p) => p.message.startsWith('at most'));
        throw new (tooMany ? ERR_BULK_TOO_MANY_DEVICES : ERR_BULK_CSV_INVALID)(describeCsvProblems(parsed.problems));
      }
      rows = parsed.rows;
    } else {
      rows = (input.rows ?? []).map((r, i) => ({ row: i + 1, userName: r.userName.trim(), hardwareId: r.hardwareId.trim() }));
      if (rows.length === 0) throw new ERR_BULK_CSV_INVALID_2();
      if (rows.length > profile.bulkMaxDevices) {
        throw new ERR_BULK_TOO_MANY_DEVICES_2(profile.bulkMaxDevices, rows.length);
      }
    }
    const running = [...this.batches.values()].filter((b) => b.Region === region && b.TenantId === tenant.id && b.BatchStatus !== 'Completed');
    if (running.length >= profile.bulkMaxConcurrentPerRegion) {
      throw new ERR_BULK_TOO_MANY_BATCHES(profile.bulkMaxConcurrentPerRegion, region, running.map((b) => b.BatchId).join(', '));
    }
    const batch: BulkSignInBatch = {
      BatchId: randomUUID(),
      Region: region,
      TenantId: tenant.id,
      SubmittedBy: actingAdmin(tenant)?.upn ?? '',
      CreatedTime: clock.now(),
      CompletedTime: null,
      BatchStatus: 'InProgress',
      BatchItem: rows.map((r) => ({ UserName: r.userName, HardwareId: r.hardwareId, Status: 'pending', Error: null, Row: r.row, ProcessedTime: null })),
      rowMs: profile.bulkRowProcessingMs,
    };
    this.save(batch);
    this.reschedule();
    return copyBatch(batch);
  }

  /** `Get-CsSdgBulkSignInRequestStatus -Batchid <id>`. */
  status(batchId: string): BulkSignInBatch {
    this.requireRole();
    const batch = this.batches.get(batchId.trim().toLowerCase());
    if (!batch || batch.TenantId !== this.o.gateway.tenant.id) throw new ERR_BATCH_NOT_FOUND(batchId.trim());
    return copyBatch(batch);
  }

  /**
   * Just the BatchStatus of a batch (undefined if unknown): for code that waits on batches (a rehearsal checks after
   * every lab event, and {@link status} copies the whole batch).
   */
  batchStatus(batchId: string): BulkSignInBatch['BatchStatus'] | undefined {
    return this.batches.get(batchId.trim().toLowerCase())?.BatchStatus;
  }

  /** Batches of the tenant not completed yet (what the limit on concurrent batches counts). */
  inProgressCount(): number {
    const tenantId = this.o.gateway.tenant.id;
    let n = 0;
    for (const b of this.batches.values()) if (b.TenantId === tenantId && b.BatchStatus !== 'Completed') n++;
    return n;
  }

  /** `Get-CsSdgBulkSignInRequestsSummary`: the tenant's batches of the last 30 days, newest first. */
  summary(): BulkSignInSummaryItem[] {
    this.requireRole();
    const since = this.o.clock.now() - this.o.profile.bulkSummaryMs;
    const tenantId = this.o.gateway.tenant.id;
    return [...this.batches.values()]
      .filter((b) => b.TenantId === tenantId && b.CreatedTime >= since)
      .sort((a, b) => b.CreatedTime - a.CreatedTime)
      .map((b) => {
        const count = (s: BatchItemStatus) => b.BatchItem.filter((i) => i.Status === s).length;
        const failed = count('failed');
        return {
          BatchId: b.BatchId,
          Region: b.Region,
          BatchStatus: b.BatchStatus,
          Status: b.BatchStatus !== 'Completed' ? 'inprogress' : failed > 0 ? 'failed' : 'succeeded',
          CreatedTime: b.CreatedTime,
          CompletedTime: b.CompletedTime,
          SubmittedBy: b.SubmittedBy,
          TotalCount: b.BatchItem.length,
          SuccessCount: count('success'),
          FailedCount: failed,
          PendingCount: count('pending'),
        };
      });
  }

  /** Called after every processed row (live pages), each listener with its own copy of the batch. */
  onChange(listener: (batch: BulkSignInBatch) => void): () => void {
    return this.listeners.on('change', (batch) => listener(copyBatch(batch)));
  }

  dispose(): void {
    this.disposed = true;
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** "Access Denied" unless the acting administrator has the roles bulk sign-in needs [seed 003]. */
  private requireRole(): void {
    const admin = actingAdmin(this.o.gateway.tenant);
    if (!admin || !mayRunBulkSignIn(admin.roles)) throw new ERR_ACCESS_DENIED(ACCESS_DENIED);
  }

  /** How often each hardware id occurs in a batch's file (counted once per batch, not once per row). */
  private idCounts(b: BulkSignInBatch): Map<string, number> {
    let counts = this.hardwareIdCounts.get(b);
    if (!counts) {
      counts = new Map();
      for (const item of b.BatchItem) {
        const id = parseBulkHardwareId(item.HardwareId)?.hardwareId;
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      this.hardwareIdCounts.set(b, counts);
    }
    return counts;
  }

  /**
   * Index of the batch's first pending row, or -1. A row only ever leaves `pending` (processRow), so no row before the
   * last answer can be pending again and the search resumes there: O(1) per processed row instead of a scan of the
   * batch. A batch read again from the lab file (reload) is a new object and starts from row 0.
   */
  private firstPending(b: BulkSignInBatch): number {
    const items = b.BatchItem;
    let i = this.cursors.get(b) ?? 0;
    while (i < items.length && items[i]!.Status !== 'pending') i++;
    this.cursors.set(b, i);
    return i < items.length ? i : -1;
  }

  private nextDue(b: BulkSignInBatch): number | undefined {
    const i = this.firstPending(b);
    return i < 0 ? undefined : b.CreatedTime + (i + 1) * b.rowMs;
  }

  private reschedule(): void {
    if (this.disposed) return;
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
    let next = Infinity;
    for (const b of this.batches.values()) {
      const due = b.BatchStatus === 'Completed' ? undefined : this.nextDue(b);
      if (due !== undefined) next = Math.min(next, due);
    }
    if (next === Infinity) return;
    this.timer = this.o.clock.setTimeout(() => this.run(), Math.max(0, next - this.o.clock.now()));
  }

  private run(): void {
    this.timer = undefined;
    const now = this.o.clock.now();
    // Completed batches left out before sorting (they were skipped anyway; the sort is stable, so the order is the same).
    const running = [...this.batches.values()].filter((b) => b.BatchStatus !== 'Completed');
    for (const b of running.sort((x, y) => x.CreatedTime - y.CreatedTime)) {
      if (b.BatchStatus === 'Completed') continue;
      let changed = false;
      for (let due = this.nextDue(b); due !== undefined && due <= now; due = this.nextDue(b)) {
        this.processRow(b, this.firstPending(b), due);
        changed = true;
      }
      if (this.firstPending(b) < 0) {
        b.BatchStatus = 'Completed';
        b.CompletedTime = b.CreatedTime + b.BatchItem.length * b.rowMs;
        changed = true;
      }
      if (changed) {
        this.save(b);
        this.listeners.emit('change', b);
      }
    }
    this.reschedule();
  }

  private processRow(b: BulkSignInBatch, index: number, at: number): void {
    const { gateway, profile } = this.o;
    const item = b.BatchItem[index]!;
    const parsed = parseBulkHardwareId(item.HardwareId);
    const device = parsed ? gateway.deviceRecord(parsed.hardwareId) : undefined;
    const duplicateInFile = parsed !== undefined && (this.idCounts(b).get(parsed.hardwareId) ?? 0) > 1;
    const problems = bulkRowProblems({
      tenant: gateway.tenant,
      region: b.Region,
      at,
      profile,
      hardwareIdInput: item.HardwareId,
      user: gateway.user(item.UserName),
      device,
      whereabouts: parsed ? gateway.deviceWhereabouts(parsed.hardwareId) : undefined,
      duplicateInFile,
      batchSize: b.BatchItem.length,
    });
    const verdict = problems[0];
    item.ProcessedTime = at;
    if (verdict) {
      item.Status = 'failed';
      item.Error = verdict.error;
      if (problems.length > 1) item.Checks = problems.map((p) => p.error);
      if (device) gateway.noteDevice(device.hardwareId, `Bulk sign-in of ${item.UserName} failed (batch ${b.BatchId}): ${verdict.error}`);
      return;
    }
    gateway.bulkSignInDevice(parsed!.hardwareId, item.UserName, b.Region, b.BatchId);
    item.Status = 'success';
    item.Error = null;
  }

  private save(b: BulkSignInBatch): void {
    this.batches.set(b.BatchId, b);
    this.o.store.put(BULK_BATCH_KIND, b.BatchId, b);
  }
}

/**
 * A copy of a batch that shares nothing with the stored one, as structuredClone would make it: a batch is plain data,
 * its fields and its items' fields all strings, numbers or null. By hand because structuredClone of a 100-row batch
 * costs ~170 µs (more in a large heap) and a copy goes to the listeners after every processed row.
 */
function copyBatch(b: BulkSignInBatch): BulkSignInBatch {
  return { ...b, BatchItem: b.BatchItem.map((item) => ({ ...item })) };
}
