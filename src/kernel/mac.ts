/** Base station MAC addresses: 12 hex digits, stored upper case without separators. */
const MAC = /^[0-9A-F]{12}$/;

export function normalizeMac(input: string): string | undefined {
  const hex = input.trim().toUpperCase().replace(/[-:.]/g, '');
  return MAC.test(hex) ? hex : undefined;
}

/** `0004F2A1B2C3` → `00:04:F2:A1:B2:C3`, the way status pages print it. */
export function formatMac(mac: string): string {
  return mac.match(/../g)!.join(':');
}
