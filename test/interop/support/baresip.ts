/**
 * baresip 1.0 (Debian `baresip`) as a real softphone for the interop suite: headless, with its own config folder
 * (`-f dir`), no audio device (a sine as the microphone, audio played into a file), the `ctrl_tcp` JSON interface on a
 * loopback port for commands (`dial`, `hangup`), and a deadline (`-t`) as well as a kill by PID in `stop()`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectable, freePort, waitFor } from './net.ts';
import { startTool, type RunningTool } from './run-tool.ts';

export interface BaresipOptions {
  /** The account line (baresip's `accounts` file), e.g. `<sip:1004@sip.lab.test;transport=udp>;auth_pass=…`. */
  account: string;
  /** A CA certificate (PEM) baresip trusts for TLS (`sip_cafile`). */
  caCertificate?: string;
  /** baresip quits by itself after this long (`-t`). */
  timeoutS?: number;
}

export interface RunningBaresip {
  output(): string;
  /** Sends a ctrl_tcp command (`{"command": …, "params": …}` as a netstring) and returns its answer. */
  command(command: string, params?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Where Debian's baresip-core puts its modules. */
const MODULE_PATH = '/usr/lib/baresip/modules';

export async function startBaresip(options: BaresipOptions): Promise<RunningBaresip> {
  const dir = mkdtempSync(join(tmpdir(), 'rove-baresip-'));
  const ctrlPort = await freePort();
  const sipPort = await freePort();
  const caFile = join(dir, 'ca.pem');
  if (options.caCertificate) writeFileSync(caFile, options.caCertificate);
  writeFileSync(
    join(dir, 'config'),
    [
      `sip_listen 127.0.0.1:${sipPort}`,
      ...(options.caCertificate ? [`sip_cafile ${caFile}`] : []),
      'audio_player aufile,' + join(dir, 'heard.wav'),
      'audio_source ausine,440',
      'audio_alert aufile,' + join(dir, 'alert.wav'),
      'rtp_ports 30000-30100',
      `module_path ${MODULE_PATH}`,
      'module g711.so',
      'module ausine.so',
      'module aufile.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'accounts'), `${options.account}\n`);
  writeFileSync(join(dir, 'contacts'), '');
  const tool: RunningTool = startTool('baresip', ['-f', dir, '-s', '-t', String(options.timeoutS ?? 40)], { timeoutS: (options.timeoutS ?? 40) + 5 });
  const stop = async () => {
    await tool.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const up = await waitFor(() => connectable(ctrlPort), { attempts: 50, intervalMs: 100 });
  if (!up) {
    await stop();
    throw new Error(`baresip did not open its ctrl_tcp port:\n${tool.output().slice(-3000)}`);
  }
  const command = (name: string, params?: string) =>
    new Promise<string>((resolve, reject) => {
      const json = JSON.stringify({ command: name, ...(params !== undefined ? { params } : {}), token: name });
      const socket = connect(ctrlPort, '127.0.0.1', () => socket.write(`${Buffer.byteLength(json)}:${json},`));
      let answer = '';
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(answer);
      }, 2000);
      socket.on('data', (d) => {
        answer += d.toString('utf8');
        if (/"response"\s*:\s*true/.test(answer)) {
          clearTimeout(timer);
          socket.destroy();
          resolve(answer);
        }
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  return { output: tool.output, command, stop };
}
