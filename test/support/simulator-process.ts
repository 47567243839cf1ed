/**
 * A real `rove-sim start` in a child process on a lab file (ephemeral ports, ×60 clock), for tests and benches that
 * kill it the way a crash would. Resolves once it printed its lab overview URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/rove-sim.js');

export interface SimulatorProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:PORT` of the main server. */
  url: string;
  exited: Promise<void>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
}

export async function startSimulatorProcess(file: string, speed = 60): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--lab', file, '--port', '0', '--base-port', '0', '--speed', String(speed)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${out}`)), 30_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Lab overview: +(http:\/\/\S+?)\/\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', () => reject(new Error(`simulator exited:\n${out}`)));
  });
  return {
    child,
    url,
    exited,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
