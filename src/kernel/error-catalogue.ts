/**
 * Every error code a user can meet, in one place (as fastify keeps its `lib/errors.js`): the public `code`, the
 * message (`%s` filled from the arguments, in order; `%%` is a literal `%`) and the HTTP status. A throw site reads
 * `throw new ERR_BASE_NOT_FOUND(mac)`; the error is a `SimError`, so the HTTP error handler sends
 * `{ statusCode, code, error, message }` as before.
 *
 * A code met in several places with different wording has one entry per wording (`ERR_X`, `ERR_X_2`, …), all with
 * the same public `code`. Codes are grouped by the lowest layer that throws them.
 *
 * A new error: an entry in its group, in the product's own wording, thrown as `new ERR_…(args)`. (The entries were
 * generated from the `new SimError(…)` throw sites by a codemod, which keeps the names given here when re-run.)
 */
import { createError } from './errors.ts';

// Kernel (src/kernel/)
export const ERR_LAB_WRITE_FAILED = createError('LAB_WRITE_FAILED', '%s', 507);
export const ERR_LAB_WRITE_FAILED_2 = createError('LAB_WRITE_FAILED', '%s', 503);

// Base station and its web admin (src/devices/base-station/)
export const ERR_BASE_NOT_RUNNING = createError('BASE_NOT_RUNNING', 'base %s is %s; it can %s once it is running', 409);
export const ERR_BASE_NOT_RUNNING_2 = createError('BASE_NOT_RUNNING', 'base %s is %s; it can be rebooted once it is running', 409);
export const ERR_BASE_NOT_RUNNING_3 = createError('BASE_NOT_RUNNING', 'base %s is %s; settings can be changed once it is running', 409);
export const ERR_BASE_NOT_RUNNING_4 = createError('BASE_NOT_RUNNING', 'base %s is %s; it can be reset once it is running', 409);
export const ERR_HANDSET_NOT_SUBSCRIBED = createError('HANDSET_NOT_SUBSCRIBED', 'no handset with IPEI %s is registered to base %s', 404);
export const ERR_MULTI_CELL_SECONDARY = createError(
  'MULTI_CELL_SECONDARY',
  'base %s is a secondary of multi-cell chain %s: handsets are registered on the primary base',
  409,
);
export const ERR_SLOT_INVALID = createError('SLOT_INVALID', 'slot must be a whole number from 1 to %s, got %s', 400);
export const ERR_SLOT_IN_USE = createError('SLOT_IN_USE', 'slot %s holds handset %s; deregister it first or pick a free slot', 409);

// Handset (src/devices/handset/)
export const ERR_KEYS_INVALID = createError('KEYS_INVALID', '%s', 400);
export const ERR_LANGUAGE_INVALID = createError('LANGUAGE_INVALID', 'language must be one of %s', 400);
export const ERR_SITE_INVALID = createError('SITE_INVALID', 'site must be a non-empty name', 400);
export const ERR_SITE_INVALID_2 = createError('SITE_INVALID', 'site must be a name of 1 to 64 characters', 400);

// SIP server and lines (src/sip/)
export const ERR_SIP_AUTH_USER_EXISTS = createError('SIP_AUTH_USER_EXISTS', 'authentication user "%s" is already used by extension %s', 409);
export const ERR_SIP_AUTH_USER_INVALID = createError(
  'SIP_AUTH_USER_INVALID',
  '"%s" is not an authentication user (1–32 letters, digits, . _ + -)',
  400,
);
export const ERR_SIP_EXPIRES_INVALID = createError(
  'SIP_EXPIRES_INVALID',
  'registration expiry must satisfy 0 < minExpires <= defaultExpires <= maxExpires',
  400,
);
export const ERR_SIP_EXTENSION_EXISTS = createError('SIP_EXTENSION_EXISTS', 'extension %s is already a line of this base', 409);
export const ERR_SIP_EXTENSION_EXISTS_2 = createError('SIP_EXTENSION_EXISTS', 'extension %s already has an account', 409);
export const ERR_SIP_EXTENSION_INVALID = createError(
  'SIP_EXTENSION_INVALID',
  '"%s" is not an extension (1–32 letters, digits, . _ + -; e.g. 1001)',
  400,
);
export const ERR_SIP_EXTENSION_UNKNOWN = createError('SIP_EXTENSION_UNKNOWN', 'extension %s has no account', 404);
export const ERR_SIP_FAULT_STATUS_INVALID = createError('SIP_FAULT_STATUS_INVALID', 'a SIP server fault answers 500 to 599', 400);
export const ERR_SIP_LINE_DISPOSED = createError('SIP_LINE_DISPOSED', 'line %s was disposed; create a new one', 409);
export const ERR_SIP_LINE_DISPOSED_2 = createError('SIP_LINE_DISPOSED', 'line %s is down', 409);
export const ERR_SIP_LINE_INVALID = createError('SIP_LINE_INVALID', 'sip:%s@%s is not a SIP address', 400);
export const ERR_SIP_LISTEN_NOT_LOOPBACK = createError(
  'SIP_LISTEN_NOT_LOOPBACK',
  'the embedded SIP server listens on loopback only (127.0.0.0/8 or ::1), not %s',
  400,
);
export const ERR_SIP_PASSWORD_INVALID = createError(
  'SIP_PASSWORD_INVALID',
  'the SIP password must be 1–64 printable characters without " or \\',
  400,
);
export const ERR_SIP_SERVER_LISTENING = createError('SIP_SERVER_LISTENING', 'the SIP server is already listening', 409);
export const ERR_SIP_NO_ROUTE = createError('SIP_NO_ROUTE', '%s', 503);
export const ERR_SIP_SERVER_UNREACHABLE = createError('SIP_SERVER_UNREACHABLE', 'SIP server %s is unreachable', 503);
export const ERR_SIP_TARGET_INVALID = createError('SIP_TARGET_INVALID', '"%s" is not an extension or a SIP URI', 400);

// Microsoft Teams: tenant, SIP devices, provisioning, bulk sign-in, admin center (src/cloud/teams/)
export const ERR_ACCESS_DENIED = createError('ACCESS_DENIED', '%s', 403);
export const ERR_ADMIN_NOT_FOUND = createError('ADMIN_NOT_FOUND', '%s is not an administrator of %s (%s)', 404);
export const ERR_ADMIN_ROLE_INVALID = createError('ADMIN_ROLE_INVALID', 'unknown role %s: roles are %s', 400);
export const ERR_BATCH_NOT_FOUND = createError('BATCH_NOT_FOUND', 'No bulk sign-in request with Batchid %s in this tenant.', 404);
export const ERR_BULK_CSV_INVALID = createError('BULK_CSV_INVALID', 'The device details file was refused: %s', 400);
export const ERR_BULK_CSV_INVALID_2 = createError('BULK_CSV_INVALID', 'The request has no devices.', 400);
export const ERR_BULK_SIGN_IN_DISABLED = createError(
  'BULK_SIGN_IN_DISABLED',
  'Bulk sign-in is not enabled for the tenant: BulkSignIn is Disabled in TeamsSipDevicesConfiguration (Set-CsTeamsSipDevicesConfiguration -Identity Global -BulkSignIn Enabled).',
  403,
);
export const ERR_BULK_SIGN_IN_INVALID = createError('BULK_SIGN_IN_INVALID', 'BulkSignIn must be Enabled or Disabled', 400);
export const ERR_BULK_TOO_MANY_BATCHES = createError(
  'BULK_TOO_MANY_BATCHES',
  'At most %s bulk sign-in requests per region can run at the same time: %s is running %s. Wait until one is Completed (Get-CsSdgBulkSignInRequestStatus).',
  429,
);
export const ERR_BULK_TOO_MANY_DEVICES = createError('BULK_TOO_MANY_DEVICES', 'The device details file was refused: %s', 400);
export const ERR_BULK_TOO_MANY_DEVICES_2 = createError('BULK_TOO_MANY_DEVICES', 'at most %s devices per request: this one has %s', 400);
export const ERR_CALL_REDIRECT_INVALID = createError(
  'CALL_REDIRECT_INVALID',
  'Call redirection (AllowCallRedirect) must be Enabled, Disabled or UserOverride, not "%s". Nothing was saved.',
  400,
);
export const ERR_DEVICE_NOT_FOUND = createError(
  'DEVICE_NOT_FOUND',
  'Device not found in records. (%s: add it under Teams devices → Provision devices)',
  404,
);
export const ERR_DEVICE_NOT_FOUND_2 = createError('DEVICE_NOT_FOUND', 'Device not found in records.', 404);
export const ERR_DEVICE_NOT_FOUND_3 = createError('DEVICE_NOT_FOUND', 'no base or handset "%s" in this lab', 404);
export const ERR_DEVICE_NOT_IN_INVENTORY = createError('DEVICE_NOT_IN_INVENTORY', '%s is not in the SIP devices inventory (%s)', 409);
export const ERR_DEVICE_NOT_SIGNED_IN = createError('DEVICE_NOT_SIGNED_IN', '%s has no user signed in', 409);
export const ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN = createError('DEVICE_NOT_WAITING_FOR_SIGN_IN', '%s cannot be signed in now: %s', 409);
export const ERR_DEVICE_NOT_WAITING_FOR_SIGN_IN_2 = createError('DEVICE_NOT_WAITING_FOR_SIGN_IN', '%s cannot be signed in now', 409);
export const ERR_DEVICE_NOT_WAITING_ON_ACTIVATION = createError(
  'DEVICE_NOT_WAITING_ON_ACTIVATION',
  '%s is not waiting on activation (%s); a verification code is only for devices that are not enrolled yet',
  409,
);
export const ERR_LICENCE_INVALID = createError('LICENCE_INVALID', 'licence must be one of %s, or null', 400);
export const ERR_LOCATION_INVALID = createError('LOCATION_INVALID', 'Location can have at most 128 characters', 400);
export const ERR_PASSWORD_AGE_INVALID = createError('PASSWORD_AGE_INVALID', 'minimum password age is a whole number of days, 0 to 998', 400);
export const ERR_PHONE_NUMBER_INVALID = createError('PHONE_NUMBER_INVALID', '"%s" is not a phone number in E.164 form (e.g. +14255550101)', 400);
export const ERR_POLICY_IDENTITY_INVALID = createError(
  'POLICY_IDENTITY_INVALID',
  '"%s" is not a policy name (letters, digits, space, _ . -; up to 64)',
  400,
);
export const ERR_POLICY_NOT_FOUND = createError('POLICY_NOT_FOUND', 'there is no calling policy "%s"', 404);
export const ERR_POLICY_NOT_FOUND_2 = createError('POLICY_NOT_FOUND', 'there is no IP phone policy "%s"', 404);
export const ERR_REGION_INVALID = createError(
  'REGION_INVALID',
  '"%s" is not a SIP Gateway region: use %s.',
  400,
);
export const ERR_REGION_INVALID_2 = createError('REGION_INVALID', 'region must be one of %s', 400);
export const ERR_SIGN_IN_MODE_INVALID = createError('SIGN_IN_MODE_INVALID', 'SignInMode must be one of %s', 400);
export const ERR_SITE_ID_INVALID = createError('SITE_ID_INVALID', 'a site id has 1 to 32 lower-case letters, digits and dashes', 400);
export const ERR_SITE_IP_INVALID = createError('SITE_IP_INVALID', '"%s" is not an IPv4 address', 400);
export const ERR_TENANT_EXISTS = createError('TENANT_EXISTS', 'this lab already has a tenant (%s)', 409);
export const ERR_TENANT_ID_INVALID = createError('TENANT_ID_INVALID', 'tenant id "%s" is not a GUID', 400);
export const ERR_TENANT_MISSING = createError('TENANT_MISSING', 'this lab has no Microsoft 365 tenant (it was created without the default lab)', 404);
export const ERR_TENANT_NAME_INVALID = createError('TENANT_NAME_INVALID', 'the organization name must have 1 to 64 characters', 400);
export const ERR_THROTTLE_INVALID = createError('THROTTLE_INVALID', 'throttleBatchSize is a whole number of devices, at least 1', 400);
export const ERR_TRUSTED_IP_EXISTS = createError('TRUSTED_IP_EXISTS', '%s is already a trusted IP', 409);
export const ERR_TRUSTED_IP_INVALID = createError(
  'TRUSTED_IP_INVALID',
  'not an IPv4 or IPv6 address or range: %s (e.g. 203.0.113.10, 203.0.113.0/24 or 2001:db8::/32)',
  400,
);
export const ERR_TRUSTED_IP_INVALID_2 = createError(
  'TRUSTED_IP_INVALID',
  'not an IPv4 or IPv6 address or range: %s (e.g. 203.0.113.10, -MaskBits 0 to 32; IPv6 0 to 128)',
  400,
);
export const ERR_TRUSTED_IP_NOT_FOUND = createError('TRUSTED_IP_NOT_FOUND', '%s is not a trusted IP', 404);
export const ERR_USER_EXISTS = createError('USER_EXISTS', '%s already exists in the tenant', 409);
export const ERR_USER_NAME_INVALID = createError('USER_NAME_INVALID', 'the display name must have 1 to 128 characters', 400);
export const ERR_USER_NOT_FOUND = createError('USER_NOT_FOUND', 'User not found in tenant. (%s)', 404);
export const ERR_USER_UPN_INVALID = createError('USER_UPN_INVALID', '"%s" is not a user name (UPN), e.g. someone@%s', 400);
export const ERR_USER_UPN_INVALID_2 = createError('USER_UPN_INVALID', '"%s" is not a user name (UPN)', 400);

// Lab: bases, handsets, sites (src/lab/)
export const ERR_BASE_EXISTS = createError('BASE_EXISTS', 'a base with MAC %s is already in the lab', 409);
export const ERR_BASE_MAC_INVALID = createError('BASE_MAC_INVALID', '"%s" is not a MAC address (12 hex digits, e.g. 00:04:F2:A0:00:01)', 400);
export const ERR_BASE_MODEL_INVALID = createError('BASE_MODEL_INVALID', 'model must be one of %s', 400);
export const ERR_BASE_NOT_FOUND = createError('BASE_NOT_FOUND', 'no base with MAC %s in this lab (GET /api/bases lists them)', 404);
export const ERR_BASE_NOT_FOUND_2 = createError('BASE_NOT_FOUND', 'no base with MAC %s in this lab', 404);
export const ERR_FIRMWARE_INVALID = createError('FIRMWARE_INVALID', '"%s" is not a firmware version (e.g. 8.0.3.0009)', 400);
export const ERR_HANDSET_EXISTS = createError('HANDSET_EXISTS', 'a handset with IPEI %s is already in the lab', 409);
export const ERR_HANDSET_MODEL_INVALID = createError('HANDSET_MODEL_INVALID', 'model must be one of %s', 400);
export const ERR_HANDSET_NOT_FOUND = createError('HANDSET_NOT_FOUND', 'no handset with IPEI %s in this lab (GET /api/handsets lists them)', 404);
export const ERR_HANDSET_NOT_FOUND_2 = createError('HANDSET_NOT_FOUND', 'no handset with IPEI %s in this lab', 404);
export const ERR_IPEI_INVALID = createError('IPEI_INVALID', '%s', 400);

// Live lab: faults and checkpoints (src/live/)
export const ERR_CHECKPOINT_NAME_INVALID = createError(
  'CHECKPOINT_NAME_INVALID',
  'a checkpoint name has 1 to 64 letters, digits, dots, dashes or underscores',
  400,
);
export const ERR_CHECKPOINT_NOT_FOUND = createError('CHECKPOINT_NOT_FOUND', 'no checkpoint "%s" in this lab (saved: %s)', 404);
export const ERR_CHECKPOINT_NOT_FOUND_2 = createError('CHECKPOINT_NOT_FOUND', 'no checkpoint "%s" in this lab', 404);
export const ERR_FAULT_EXISTS = createError('FAULT_EXISTS', 'a fault named "%s" is already active; clear it first', 409);
export const ERR_FAULT_NOT_AVAILABLE = createError('FAULT_NOT_AVAILABLE', '%s: %s', 501);
export const ERR_FAULT_NOT_FOUND = createError('FAULT_NOT_FOUND', 'no active fault "%s" (GET /api/faults lists them)', 404);
export const ERR_FAULT_SETTINGS_REFUSED = createError('FAULT_SETTINGS_REFUSED', '%s', 400);
export const ERR_FAULT_STATUS_INVALID = createError('FAULT_STATUS_INVALID', 'status must be 500 to 599', 400);
export const ERR_FAULT_TARGET_MISSING = createError('FAULT_TARGET_MISSING', 'site-network-loss needs a site or bases', 400);
export const ERR_FAULT_TARGET_MISSING_2 = createError('FAULT_TARGET_MISSING', 'firmware-missing needs a file (e.g. RoveB4_v8003_b0009.fwu)', 400);
export const ERR_FAULT_TARGET_MISSING_3 = createError('FAULT_TARGET_MISSING', 'no Teams site "%s" (sites: %s)', 400);
export const ERR_FAULT_TARGET_MISSING_4 = createError('FAULT_TARGET_MISSING', 'no Teams region "%s" (%s)', 400);
export const ERR_FAULT_TARGET_MISSING_5 = createError('FAULT_TARGET_MISSING', 'no SIP server "%s" in the lab (lab, teams, %s)', 400);
export const ERR_FAULT_TARGET_MISSING_6 = createError('FAULT_TARGET_MISSING', '%s is not the Teams registrar of %s', 400);
export const ERR_FAULT_TARGET_MISSING_7 = createError('FAULT_TARGET_MISSING', '%s: no base matches', 400);
export const ERR_FAULT_TARGET_MISSING_8 = createError('FAULT_TARGET_MISSING', '%s needs handsets (IPEIs)', 400);
export const ERR_FAULT_TARGET_MISSING_9 = createError('FAULT_TARGET_MISSING', 'no site "%s" in the lab%s', 400);
export const ERR_FAULT_PHASE_INVALID = createError('FAULT_PHASE_INVALID', 'during applies to base-power-loss only, and is one of: %s', 400);
export const ERR_FAULT_UNKNOWN = createError('FAULT_UNKNOWN', 'unknown fault "%s"%s (known: %s)', 400);

// Rehearsals and replay (src/rehearsal/)
export const ERR_EVENT_LOG_INVALID = createError('EVENT_LOG_INVALID', 'send the log as text/plain (the content of events.jsonl)', 415);
export const ERR_REPLAY_NO_LOG = createError('REPLAY_NO_LOG', 'No event log here: open one in the page (events.jsonl from a report directory).', 404);
export const ERR_REPLAY_PORT_IN_USE = createError('REPLAY_PORT_IN_USE', 'port %s is in use: choose another with --port N (0: any free port)', 409);

// Training: exercises and their labs (src/training/)
export const ERR_EXERCISE_LAB_NOT_READY = createError(
  'EXERCISE_LAB_NOT_READY',
  'the exercise lab did not come up: its bases did not answer within %s minutes of lab time, so its faults could not be planted',
  503,
);
export const ERR_EXERCISE_FAULT_NOT_PLANTED = createError('EXERCISE_FAULT_NOT_PLANTED', 'the exercise fault %s could not be planted: %s', 409);
export const ERR_EXERCISE_LAB_MISSING = createError('EXERCISE_LAB_MISSING', 'no lab file %s: give the lab file the trainee worked in (rove-sim start --lab FILE)', 404);
export const ERR_HINT_UNKNOWN = createError('HINT_UNKNOWN', 'task "%s" has no hint', 404);
export const ERR_ANSWER_NO_QUESTION = createError('ANSWER_NO_QUESTION', 'task "%s" asks no question (the tasks that do: %s)', 404);
export const ERR_ANSWER_INVALID = createError('ANSWER_INVALID', 'task "%s": %s; nothing was kept', 400);

// HTTP API and console (src/http/)
export const ERR_API_TOKEN_INVALID = createError('API_TOKEN_INVALID', '--api-token must be 12 to 200 printable characters without spaces', 400);
export const ERR_API_TOKEN_REQUIRED = createError(
  'API_TOKEN_REQUIRED',
  'listening on %s (not loopback) needs an access token: add --api-token <secret> (at least 12 characters)',
  400,
);
export const ERR_CLASSROOM_DIR_OTHER_EXERCISE = createError(
  'CLASSROOM_DIR_OTHER_EXERCISE',
  '%s holds a classroom of another exercise (%s): give that exercise, or another --dir for a new classroom',
  409,
);
export const ERR_CLASSROOM_LOGIN_REQUIRED = createError(
  'CLASSROOM_LOGIN_REQUIRED',
  "This is %s's lab: log in as %s on the classroom's login page (%s).",
  401,
);
export const ERR_CLASSROOM_LOGIN_WRONG = createError('CLASSROOM_LOGIN_WRONG', 'Wrong login or password.', 401);
export const ERR_CLASSROOM_ROSTER_INVALID = createError('CLASSROOM_ROSTER_INVALID', '%s', 400);
export const ERR_CLASSROOM_TRAINEE_NOT_FOUND = createError('CLASSROOM_TRAINEE_NOT_FOUND', 'no trainee "%s" in this classroom (trainees: %s)', 404);
export const ERR_CLASSROOM_INSTRUCTOR_ONLY = createError(
  'CLASSROOM_INSTRUCTOR_ONLY',
  "This page is the instructor's: log in with the instructor password on the classroom's login page (%s).",
  401,
);
export const ERR_CLASSROOM_EXTEND_INVALID = createError('CLASSROOM_EXTEND_INVALID', 'minutes must be a whole number from 1 to 600', 400);
export const ERR_CLASSROOM_LOGIN_THROTTLED = createError(
  'CLASSROOM_LOGIN_THROTTLED',
  'Too many failed logins %s: try again in %s s (at %s).',
  429,
);
export const ERR_TRAINING_FAULTS_HIDDEN = createError(
  'TRAINING_FAULTS_HIDDEN',
  "The fault board is the instructor's: in training mode a trainee cannot see or change the lab's faults. Find out what is wrong from what the devices show.",
  403,
);
export const ERR_TRAINING_CONTROL_HIDDEN = createError(
  'TRAINING_CONTROL_HIDDEN',
  "The control API and checkpoints are the instructor's: in training mode a trainee works through the devices' own pages (web admin, handsets, Teams admin center), as on real hardware. To start a task again, ask the instructor to reset your lab.",
  403,
);
export const ERR_TRAINING_HINT_NOT_FOUND = createError('TRAINING_HINT_NOT_FOUND', 'task "%s" has no hint (tasks with a hint: %s)', 404);
export const ERR_TRAINING_ANSWER_FINAL = createError(
  'TRAINING_ANSWER_FINAL',
  '"%s" is answered already (%s): an answer is final, so a question cannot be passed by trying each choice. To answer again, ask the instructor to reset your lab.',
  409,
);
export const ERR_TRAINING_HINT_UNCONFIRMED = createError(
  'TRAINING_HINT_UNCONFIRMED',
  'the hint of "%s" costs %s points: send confirm=yes to see it',
  400,
);
export const ERR_TRAINING_DIR_OTHER_EXERCISE = createError(
  'TRAINING_DIR_OTHER_EXERCISE',
  '%s is a lab of another exercise (%s): give that exercise, or another --dir',
  409,
);
export const ERR_CLOCK_ADVANCE_INVALID = createError('CLOCK_ADVANCE_INVALID', 'advanceMs must be a whole number', 400);
export const ERR_CLOCK_SPEED_INVALID = createError(
  'CLOCK_SPEED_INVALID',
  'speed must be a number from %s to 1,000,000 (1 = real time, 60 = a minute per second)',
  400,
);
export const ERR_CROSS_ORIGIN_REFUSED = createError(
  'CROSS_ORIGIN_REFUSED',
  'A page from %s may not change this lab. Use the simulator\'s own pages, or a script (curl, rove-sim).',
  403,
);
export const ERR_HOST_REFUSED = createError(
  'HOST_REFUSED',
  'This simulator listens on loopback and answers only requests to localhost or 127.0.0.1 (this one was for "%s"). Open it as http://127.0.0.1:<port>/.',
  421,
);
export const ERR_JSON_REQUIRED = createError(
  'JSON_REQUIRED',
  'The control API takes JSON: send the body with "content-type: application/json" (this one was %s).',
  415,
);
export const ERR_KEYS_FAILED = createError('KEYS_FAILED', '%s', 400);
export const ERR_POLICY_EXISTS = createError(
  'POLICY_EXISTS',
  'A calling policy with Identity "%s" already exists (use Set-CsTeamsCallingPolicy to change it).',
  409,
);
export const ERR_POLICY_EXISTS_2 = createError(
  'POLICY_EXISTS',
  'An IP phone policy with Identity "%s" already exists (use Set-CsTeamsIPPhonePolicy to change it).',
  409,
);
export const ERR_SETTINGS_INVALID = createError('SETTINGS_INVALID', '%s', 400);
export const ERR_SIP_SERVER_NOT_FOUND = createError('SIP_SERVER_NOT_FOUND', 'no SIP server "%s" (use one of %s)', 404);
export const ERR_SITE_NOT_FOUND = createError('SITE_NOT_FOUND', 'there is no lab site "%s"', 404);
export const ERR_TOKEN_REQUIRED = createError(
  'TOKEN_REQUIRED',
  'This simulator needs its access token: send "Authorization: Bearer <token>", or open the page with ?token=<token> (the token is the --api-token given to rove-sim start).',
  401,
);
export const ERR_TOKEN_WRONG = createError(
  'TOKEN_WRONG',
  'The access token sent is not this simulator\'s: use the --api-token (or ROVE_API_TOKEN) it was started with.',
  401,
);
