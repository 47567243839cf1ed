/**
 * Teams SIP user ↔ hardware id, per region: REGISTER and INVITE name the SIP user (the onboarding account, then the
 * signed-in user's line), the gateway wants the device. Kept equal to the accounts of the region's SIP server.
 */
import type { SipServer } from '../../../sip/server/sip-server.ts';
import type { Region } from '../regions.ts';

export class TeamsSipUsers {
  private readonly deviceOfUser = new Map<Region, Map<string, string>>();
  private readonly userOfDevice = new Map<Region, Map<string, string>>();

  deviceOf(region: Region, user: string): string | undefined {
    return this.deviceOfUser.get(region)?.get(user);
  }

  userOf(region: Region, hardwareId: string): string | undefined {
    return this.userOfDevice.get(region)?.get(hardwareId);
  }

  /** The device's account is now `account` (none: the gateway has none for it): maps and the server's accounts follow. */
  sync(server: SipServer, region: Region, hardwareId: string, account: { user: string; password: string } | undefined): void {
    const users = this.mapOf(this.deviceOfUser, region);
    const userOf = this.mapOf(this.userOfDevice, region);
    const previous = userOf.get(hardwareId);
    if (previous !== undefined && previous !== account?.user) {
      users.delete(previous);
      userOf.delete(hardwareId);
      server.accounts.remove(previous);
    }
    if (!account) return;
    const before = users.get(account.user);
    if (before !== undefined && before !== hardwareId) userOf.delete(before);
    users.set(account.user, hardwareId);
    userOf.set(hardwareId, account.user);
    try {
      // Every reconcile of a base asks for each of its Teams lines: an account already holding this password is left
      // as it is (an update would only rebuild the same account).
      const existing = server.accounts.get(account.user);
      if (existing) {
        if (existing.password !== account.password) server.accounts.update(account.user, { password: account.password });
      } else server.accounts.add({ extension: account.user, password: account.password });
    } catch {
      // Not a valid SIP user name: the line shows the registrar's 404.
    }
  }

  private mapOf(maps: Map<Region, Map<string, string>>, region: Region): Map<string, string> {
    let map = maps.get(region);
    if (!map) maps.set(region, (map = new Map()));
    return map;
  }
}
