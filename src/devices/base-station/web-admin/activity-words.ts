/** How the status pages name the phases of a background activity (auto firmware update, ITSP provisioning). */
import type { ActivityStatus } from '../base-machine.ts';

export const PHASE_WORDS: Record<ActivityStatus['phase'], string> = {
  disabled: 'Disabled',
  scheduled: 'Scheduled',
  checking: 'Checking',
  downloading: 'Downloading',
  installing: 'Installing',
  'up-to-date': 'Up to date',
  fetching: 'Fetching',
  applied: 'Applied',
  error: 'Error',
};
