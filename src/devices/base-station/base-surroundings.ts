/**
 * What a base's firmware sees of the system around it, beyond its own flash: the time, the other bases of its
 * multi-cell chain (over the DECT/LAN sync), where its handsets are (the DECT radio), and the state of its SIP lines.
 * The web admin shows these; the lab provides them (src/http/build-app.ts builds the view from the lab), so the
 * device's pages depend on this interface and not on the lab.
 */
import type { BaseStation } from './base-station.ts';
import type { HandsetModel } from '../handset/handset-record.ts';
import type { ChainRow } from './multi-cell.ts';

/** One subscription of DECT Summary, with what the system knows of the handset now. */
export interface DectSummaryRow {
  slot: number;
  ipei: string;
  model: HandsetModel;
  firmware: string | null;
  firmwareUpdate: { to: string; percent: number; error?: { code: string; message: string } } | null;
  state: string;
}

/** A line as the base's Home/Status lists it: `ext@base (server) OK/Error`. */
export interface BaseLineStatus {
  extension: string;
  ipei: string;
  server: string;
  kind: 'extension' | 'teams';
  state: string;
  reason: string | null;
}

export interface BaseSurroundings {
  readonly clock: { now(): number };
  getBase(mac: string): BaseStation | undefined;
  /** The multi-cell chain the base belongs to, as its DECT chain page lists it (empty: no chain). */
  chain(mac: string): ChainRow[];
  /** The base a handset is in service on now (multi-cell: possibly another base of the chain). */
  cellOf(ipei: string): string | undefined;
  dectSummary(mac: string): DectSummaryRow[];
  lineStatuses(mac: string): BaseLineStatus[];
}
