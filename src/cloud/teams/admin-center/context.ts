import type { TeamsGateway } from '../gateway.ts';
import { sipGatewayEnabled } from '../tenant/tenant-model.ts';
import { page, type PageOptions } from './layout.ts';

/** Options every admin center plugin gets. */
export interface AdminCenterPluginOptions {
  gateway: TeamsGateway;
  /**
   * Training mode: the simulator's notes that give a trainee the answer (the "00" + IPEI rule, a user's trainer note)
   * are left out.
   */
  training?: boolean;
}

/** Renders a page with the tenant's name and whether the SIP devices tab shows. */
export function tenantPage(gateway: TeamsGateway, o: Omit<PageOptions, 'organizationName' | 'sipTab'>): string {
  return page({ ...o, organizationName: gateway.tenant.organizationName, sipTab: sipGatewayEnabled(gateway.tenant) });
}
