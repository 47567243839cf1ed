/**
 * The guide's Teams admin center steps in a browser tab, written once: Teams devices → Phones → Actions → Provision
 * devices → Add ("00" + IPEI, a location) → Apply, then select it → Generate verification code.
 */
import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';

/** Adds the device and generates its verification code; returns the tab (on Waiting on activation) and the code. */
export async function provisionWithCode(context: BrowserContext, tacOrigin: string, mac: string, hw: string, location: string) {
  const tac = await context.newPage();
  await tac.goto(`${tacOrigin}/devices/phones`);
  await tac.locator('summary', { hasText: 'Actions' }).click();
  await tac.getByRole('menuitem', { name: 'Provision devices' }).click();
  await tac.getByRole('link', { name: 'Add', exact: true }).click();
  await tac.getByLabel('MAC address', { exact: true }).fill(mac);
  await tac.getByLabel('Location', { exact: true }).fill(location);
  await tac.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => tac.locator('[data-count="activation"]').textContent()).not.toBe('0');
  await tac.getByRole('checkbox', { name: `Select ${mac}` }).check();
  await tac.getByRole('button', { name: 'Generate verification code' }).click();
  expect(await tac.locator('body').innerText()).toContain('The verification code is valid for 24 hours.');
  const code = (await tac.locator(`[data-code="${hw}"]`).textContent())!.trim();
  expect(code).toMatch(/^\d{6}$/);
  return { tac, code };
}
