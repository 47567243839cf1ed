/** What to do about an error a rehearsal reports, by its code or words (the product's and Teams' errors verbatim). */
import { INTERRUPTED_UPDATE } from './recorder.ts';

const FIXES: Array<[RegExp, string]> = [
  // The state a base ends in (report.ts): what to do first, before any error it also has.
  [/^base is off$/, 'Power the base back on (mains or PoE): it is off at the end, and its handsets have no service.'],
  [/^base is (booting|rebooting)$/, 'The base was still starting when the rehearsal ended: let it finish (about 1.5 min), or end the plan with a wait.'],
  [
    new RegExp(`${INTERRUPTED_UPDATE} \\(power off while downloading`),
    'Keep the base powered while it updates its firmware (status "Downloading …", then "Installing … — do not power off the base"); once it runs again it downloads and installs the image at its next firmware check (or reboot it to check 60 s after the boot).',
  ],
  [
    new RegExp(INTERRUPTED_UPDATE),
    'Keep the base powered while it installs firmware (status "Installing … — do not power off the base"); once it runs again it downloads and installs the image at its next firmware check (or reboot it to check 60 s after the boot).',
  ],
  [/FWU-01|PRV-01/, 'The host name does not resolve: check FirmwareServer / ConfigURL spelling and DNS.'],
  [/FWU-02|PRV-02/, 'The server does not answer: check the site\'s network, firewall and the server.'],
  [/FWU-03/, 'The firmware file is not on the server: check FirmwarePath and the version/branch fields.'],
  [/PRV-03/, 'The provisioning file is not there: check the ConfigURL (host, path, ${IPEI} placeholder).'],
  [/FWU-0[4-7]|PRV-0[45]/, 'The server answered with an error or a wrong file: check the server and the URL.'],
  [/Device not found in records/, "Add the handset's hardware id (00 + IPEI) under Teams devices → Provision devices, in the region the base uses."],
  [/BulkSignIn Tag missing/, "Put /tenantid/<tenant id>/ in the ConfigURL, and let the base fetch the handset's file after the device was added (next ITSP interval) before bulk sign-in."],
  [/Device is offline/, "The base must have fetched the handset's file (ConfigURL) within 2 hours before bulk sign-in: wait for its next ITSP fetch."],
  [/Trusted IP/, "Add the site's public IP to Trusted IPs (Locations → Network topology)."],
  [/deadline expired/, 'Bulk sign-in works within 72 h of adding the device; sign this one in interactively.'],
  [/Duplicate devices/, 'Remove the duplicate hardware id from the CSV.'],
  [/wrong format/, 'Write HardwareId as 00-00-xx-xx-xx-xx (00 + IPEI, with dashes).'],
  [/User not found/, 'Check the Username (UPN): the account must exist in the tenant.'],
  [/phone number/i, 'Assign a phone number to the user (Voice → Phone numbers).'],
  [/licence/i, 'Assign a licence that includes Teams Phone.'],
  [/AllowSIPDevicesCalling/, 'Assign a calling policy with AllowSIPDevicesCalling (SIP devices can be used for calls).'],
  [/CAP policy/, 'Assign an IP phone policy with SignInMode CommonAreaPhoneSignIn.'],
  [/Multifactor/, 'Bulk sign-in needs an account without MFA.'],
  [/[Pp]assword/, "Fix the account's password options (no change at next login, minimum age 0)."],
  [/expired/, 'Generate a new verification code and enter it within 24 hours.'],
  [/not registered/, 'Register the handset: Specific Handsets → Register on the base, then Settings → Connectivity → Register with the access code.'],
  [/below 8\.0\.3/, 'Set the Rove 30/40 firmware version and branch on the base (Auto provisioning) so the handset updates over the air.'],
  [/no service|out-of-range|searching/, 'Check the base is running and the handset is in range of it.'],
];

export function fixFor(error: string): string | null {
  return FIXES.find(([re]) => re.test(error))?.[1] ?? null;
}

