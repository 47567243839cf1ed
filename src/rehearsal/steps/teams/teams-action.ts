/** The keys that name a Teams action in a `teams` step, and the action of each key (teams.ts dispatches on them). */
import type { TeamsAction } from '../../scenario-types.ts';

/** In the order they are looked for; the other keys of an action are its options (`location`, `code`, `user`, …). */
export const TEAMS_ACTIONS = ['provision', 'generateCode', 'enroll', 'signIn', 'signOut', 'restart', 'bulkSignIn', 'trustedIps', 'setBulkSignIn', 'updateUser'] as const;

export type TeamsKey = (typeof TEAMS_ACTIONS)[number];

export type TeamsActionOf<K extends TeamsKey> = Extract<TeamsAction, Record<K, unknown>>;

// Every Teams action of scenario-types.ts has its key in TEAMS_ACTIONS: one without would never be played.
type Covered = TeamsKey extends infer K ? (K extends TeamsKey ? TeamsActionOf<K> : never) : never;
const allCovered: [Exclude<TeamsAction, Covered>] extends [never] ? true : false = true;
void allCovered;
