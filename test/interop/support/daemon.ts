/**
 * A real server from Debian's packages run in the foreground for a test: started, waited for until it accepts TCP on
 * its port (bounded), its stderr kept, and stopped with SIGTERM (SIGKILL after 5 s). Its own temporary folder goes with
 * it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { connectable, waitFor } from './net.ts';

export interface RunningDaemon {
  pid: number;
  /** The last 200 KB of what it wrote to stderr. */
  log(): string;
  stop(): Promise<void>;
}

export async function startDaemon(options: {
  /** For messages: `kamailio`, `slapd`. */
  name: string;
  command: string;
  args: string[];
  /** The TCP port it is up on once it accepts connections. */
  port: number;
  /** Removed when it stops (or fails to start). */
  dir: string;
  /** What to do when the command cannot be run at all. */
  installHint: string;
}): Promise<RunningDaemon> {
  let stderr = '';
  const child: ChildProcess = spawn(options.command, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-200_000);
  });
  child.stdout?.resume();
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
      if (!done && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }
    rmSync(options.dir, { recursive: true, force: true });
  };
  const up = await waitFor(() => spawnError !== undefined || (child.exitCode === null && connectable(options.port)), {
    attempts: 100,
    intervalMs: 100,
  });
  if (!up || spawnError || child.exitCode !== null || child.pid === undefined) {
    await stop();
    const why = spawnError ? `cannot run ${options.name} (${options.installHint}): ${spawnError.message}` : stderr.slice(-4000);
    throw new Error(`${options.name} did not start on 127.0.0.1:${options.port}:\n${why}`);
  }
  return { pid: child.pid, log: () => stderr, stop };
}
