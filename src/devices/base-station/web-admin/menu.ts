/**
 * The left menu, grouped as the guide names the paths ("System Management → Auto provisioning", "System
 * Management → WAN settings", "DECT Summary", "Specific Handsets"; seed 000; Multi-cell and DECT chain follow RTX). Every href is relative, because the same
 * pages are served at `/bases/<MAC>/` and at `/` of the base's own port.
 */
export type PageId =
  | 'status'
  | 'auto-provisioning'
  | 'wan-settings'
  | 'configuration'
  | 'change-password'
  | 'reboot'
  | 'dect-summary'
  | 'specific-handsets'
  | 'multi-cell'
  | 'dect-chain'
  | 'sip-servers'
  | 'sip-extensions'
  | 'central-directory'
  | 'local-directory';

export interface MenuItem {
  id: PageId;
  label: string;
  /** Relative to the base's web admin root. */
  href: string;
}

export interface MenuGroup {
  title: string | null;
  items: MenuItem[];
}

export const MENU: readonly MenuGroup[] = [
  { title: null, items: [{ id: 'status', label: 'Home/Status', href: './' }] },
  {
    title: 'System Management',
    items: [
      { id: 'auto-provisioning', label: 'Auto provisioning', href: 'auto-provisioning' },
      { id: 'wan-settings', label: 'WAN settings', href: 'wan-settings' },
      { id: 'configuration', label: 'Configuration', href: 'configuration' },
      { id: 'change-password', label: 'Password', href: 'change-password' },
      { id: 'reboot', label: 'Reboot', href: 'reboot' },
    ],
  },
  {
    title: 'DECT',
    items: [
      { id: 'dect-summary', label: 'DECT Summary', href: 'dect-summary' },
      { id: 'specific-handsets', label: 'Specific Handsets', href: 'specific-handsets' },
      { id: 'multi-cell', label: 'Multi-cell', href: 'multi-cell' },
      { id: 'dect-chain', label: 'DECT chain', href: 'dect-chain' },
    ],
  },
  {
    title: 'SIP',
    items: [
      { id: 'sip-servers', label: 'Servers', href: 'sip-servers' },
      { id: 'sip-extensions', label: 'Extensions', href: 'sip-extensions' },
    ],
  },
  {
    title: 'Directory',
    items: [
      { id: 'central-directory', label: 'Central Directory', href: 'central-directory' },
      { id: 'local-directory', label: 'Local Directory', href: 'local-directory' },
    ],
  },
];

/** `System Management → Auto provisioning`: the page's place in the menu, as the guide writes it. */
export function menuPath(id: PageId): string {
  for (const group of MENU) {
    const item = group.items.find((i) => i.id === id);
    if (item) return group.title ? `${group.title} → ${item.label}` : item.label;
  }
  return id;
}
