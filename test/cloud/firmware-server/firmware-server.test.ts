import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildFirmwareServer } from '../../../src/cloud/firmware-server/firmware-server.ts';

describe('firmware server', () => {
  let root: string;
  let app: FastifyInstance;
  const file = '/voice/dect-ip-phones/Rove/RoveB4_v8003_b0009.fwu';

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'fw-'));
    mkdirSync(path.join(root, 'voice/dect-ip-phones/Rove'), { recursive: true });
    writeFileSync(path.join(root, file), 'first image');
    app = buildFirmwareServer({ root, hidden: new Set(['/voice/dect-ip-phones/Rove/hidden.fwu']) });
  });
  afterEach(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves a file with its length, and the same file again', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'GET', url: file });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/octet-stream');
      expect(res.headers['content-length']).toBe('11');
      expect(res.body).toBe('first image');
    }
  });

  it('serves a changed file fresh, even at the same size and mtime', async () => {
    const target = path.join(root, file);
    utimesSync(target, 1_700_000_000, 1_700_000_000);
    expect((await app.inject({ method: 'GET', url: file })).body).toBe('first image');
    writeFileSync(target, 'other image');
    utimesSync(target, 1_700_000_000, 1_700_000_000);
    expect((await app.inject({ method: 'GET', url: file })).body).toBe('other image');
    // Replaced by rename (a new inode), as a deploy would.
    writeFileSync(`${target}.new`, 'third image');
    utimesSync(`${target}.new`, 1_700_000_000, 1_700_000_000);
    renameSync(`${target}.new`, target);
    expect((await app.inject({ method: 'GET', url: file })).body).toBe('third image');
  });

  it('answers encoded, dotted and plain paths alike', async () => {
    const plain = await app.inject({ method: 'GET', url: file });
    const encoded = await app.inject({ method: 'GET', url: file.replace('Rove/', 'Rov%65/') });
    const dotted = await app.inject({ method: 'GET', url: `/voice/x/..${file.slice('/voice'.length)}` });
    expect(encoded.body).toBe(plain.body);
    expect(dotted.body).toBe(plain.body);
    expect((await app.inject({ method: 'GET', url: '/voice/dect-ip-phones/Rove/hidden.fwu' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/voice/dect-ip-phones/Rove/missing.fwu' })).statusCode).toBe(404);
    const dir = await app.inject({ method: 'GET', url: '/voice/dect-ip-phones/Rove' });
    expect(dir.statusCode).toBe(301);
    expect(dir.headers.location).toBe('/voice/dect-ip-phones/Rove/');
    expect((await app.inject({ method: 'GET', url: '/voice/dect-ip-phones/Rove/' })).body).toContain('RoveB4_v8003_b0009.fwu');
  });
});

describe('firmware server root', () => {
  it('never serves a sibling folder whose name starts with the root folder name', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'fw-parent-'));
    mkdirSync(path.join(parent, 'firmware'));
    mkdirSync(path.join(parent, 'firmware-private'));
    writeFileSync(path.join(parent, 'firmware', 'ok.fwu'), 'public');
    writeFileSync(path.join(parent, 'firmware-private', 'secret.txt'), 'secret');
    const app = buildFirmwareServer({ root: path.join(parent, 'firmware') });
    expect((await app.inject('/ok.fwu')).body).toBe('public');
    for (const url of ['/../firmware-private/secret.txt', '/%2e%2e/firmware-private/secret.txt']) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('secret');
    }
    await app.close();
    rmSync(parent, { recursive: true, force: true });
  });
});
