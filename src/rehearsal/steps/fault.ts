/**
 * `fault: { type, … }`: injects the fault on the lab's fault board (src/live/faults/), its targets named as in the
 * scenario (bases and handsets by selector) and its duration parsed; `clearFault` removes it.
 */
import { faultsOf } from '../../live/faults/fault-board.ts';
import { parseDuration } from '../duration.ts';
import { substitute } from './step-context.ts';
import type { StepKind } from './step-kind.ts';

export const faultStep: StepKind<'fault'> = {
  run(step, { lab, directory }) {
    const f = step.fault;
    faultsOf(lab).inject({
      type: f.type,
      ...(f.id ? { id: f.id } : {}),
      ...(f.bases ? { bases: directory.selectBases(f.bases).map((b) => b.mac) } : {}),
      ...(f.handsets ? { handsets: directory.selectHandsets(f.handsets).map((h) => h.ipei) } : {}),
      ...(f.site ? { site: f.site } : {}),
      ...(f.mode ? { mode: f.mode } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.server ? { server: f.server } : {}),
      ...(f.region ? { region: f.region } : {}),
      ...(f.file ? { file: f.file } : {}),
      ...(f.configUrl ? { configUrl: substitute(f.configUrl, lab) } : {}),
      ...(f.publicIp ? { publicIp: f.publicIp } : {}),
      ...(f.during ? { during: f.during } : {}),
      ...(f.duration !== undefined ? { durationMs: parseDuration(f.duration)! } : {}),
    });
  },
};
