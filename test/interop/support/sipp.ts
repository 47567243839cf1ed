/**
 * Runs SIPp 3.6 (Debian `sip-tester`) once against a loopback target, with every wait bounded: SIPp's own global
 * timeout, and a kill (by PID) if it outlives that.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.ts';

export interface SippRun {
  /** 0: every call succeeded; 1: some failed (see `errors`). */
  code: number | null;
  output: string;
  errors: string;
}

export interface SippOptions {
  /** A scenario file, or `uas` for SIPp's built-in answering scenario (`-sn uas`). */
  scenario: string;
  /** SIPp's own port (default: a free one). */
  localPort?: number;
  /** More SIPp arguments (e.g. `-key name value`). */
  extraArgs?: string[];
  target: { host: string; port: number };
  transport: 'udp' | 'tcp';
  service?: string;
  user?: string;
  password?: string;
  timeoutS?: number;
}

/** A UDP port free on loopback right now. */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

export async function runSipp(options: SippOptions): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'rove-sipp-'));
  const errorFile = join(dir, 'errors.log');
  const localPort = options.localPort ?? (options.transport === 'udp' ? await freeUdpPort() : await freePort());
  const timeoutS = options.timeoutS ?? 15;
  const args = [
    `${options.target.host}:${options.target.port}`,
    ...(options.scenario === 'uas' ? ['-sn', 'uas'] : ['-sf', options.scenario]),
    '-t', options.transport === 'udp' ? 'u1' : 't1',
    '-i', '127.0.0.1',
    '-p', String(localPort),
    '-m', '1',
    '-nostdin',
    '-timeout', `${timeoutS}s`,
    '-trace_err', '-error_file', errorFile,
  ];
  if (options.service) args.push('-s', options.service);
  if (options.user) args.push('-au', options.user);
  if (options.password) args.push('-ap', options.password);
  if (options.extraArgs) args.push(...options.extraArgs);
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-50_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-50_000)));
  const code = await new Promise<number | null>((resolve) => {
    const killer = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    }, (timeoutS + 10) * 1000);
    child.once('exit', (exitCode) => {
      clearTimeout(killer);
      resolve(exitCode);
    });
    child.once('error', (error) => {
      clearTimeout(killer);
      output += `\ncannot run sipp (install sip-tester; .ci/run does): ${error.message}`;
      resolve(null);
    });
  });
  let errors = '';
  try {
    errors = readFileSync(errorFile, 'utf8');
  } catch {
    errors = '';
  }
  rmSync(dir, { recursive: true, force: true });
  return { code, output, errors };
}
