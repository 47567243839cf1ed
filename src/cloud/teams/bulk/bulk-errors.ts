/**
 * What bulk sign-in answers, verbatim [seed 003, MS "SIP Gateway bulk sign-in" error table], keyed by a stable code.
 * The cause the simulator checks for each is in `bulk-checks.ts` and docs/bulk-sign-in.md.
 */
export const BULK_ERRORS = {
  USER_NOT_FOUND: 'User not found in tenant.',
  NO_PHONE_NUMBER: 'User missing phone number assignment.',
  NO_SIP_CALLING_POLICY: 'User missing AllowSIPDevicesCalling policy assignment',
  NO_CAP_POLICY: 'User missing CAP policy assignment.',
  DEVICE_NOT_FOUND: 'Device not found in records.',
  TAG_MISSING: 'BulkSignIn Tag missing for the device',
  DEVICE_OFFLINE: 'Device is offline.',
  IP_NOT_TRUSTED: 'Public IP not configured as Trusted IP.',
  DEADLINE_EXPIRED: 'Bulk Sign-in deadline expired.',
  DUPLICATE_DEVICES: 'Duplicate devices found for bulk sign-in.',
  HARDWARE_ID_FORMAT: 'Input hardware-ID is of wrong format',
  ON_PREM_AD_CONFIGURATION: 'On-premises AD configuration failure.',
  ON_PREM_AD_THROTTLING: 'On-premises AD throttling detected',
  PASSWORD_WRITEBACK: "The Password writeback service failed to set a password on the tenant's local directory.",
  // Not in Microsoft's table: the simulator's words for prerequisites the sources name without an error text.
  NO_LICENCE: 'User has no licence that includes Teams Phone.',
  MFA_ENABLED: 'Multifactor authentication is enabled for the user.',
  ALREADY_SIGNED_IN: 'Device is already signed in.',
} as const;

export type BulkErrorCode = keyof typeof BULK_ERRORS;

/**
 * The trusted-IP error as seed 003's author saw it "when you try to sign in the device" from a public IP the tenant
 * does not (yet) trust, verbatim, with the device's addresses filled in: "Public IP IPv4 - <IP>, IPv6 -  for the
 * device is not trusted. Please whitelist the public IP in TAC…". The seed ends the quotation with "…"; what follows
 * is not known, so the ellipsis stays. The lab has no IPv6: that part is empty, as in the seed.
 */
export function untrustedPublicIpMessage(ipv4: string, ipv6 = ''): string {
  return `Public IP IPv4 - ${ipv4}, IPv6 - ${ipv6} for the device is not trusted. Please whitelist the public IP in TAC…`;
}

/** Request-level refusals (the whole request, nothing is processed). */
export const ACCESS_DENIED = 'Access Denied';
