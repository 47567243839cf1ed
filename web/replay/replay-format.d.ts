// Types of replay-format.js (plain browser JavaScript, imported by the tests and checked against the TypeScript).
import type { ReplayEvent } from './replay-state.js';

export function formatDuration(ms: number): string;
export function formatLabTime(ms: number): string;
export function formatEvent(e: ReplayEvent): string;
