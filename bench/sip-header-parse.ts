/**
 * `npm run bench:sip-headers`: µs per parse of SIP header values that change in every message (so the memory of
 * src/sip/speed/fast-grammar.ts always misses), through sip.js's generated grammar and through the hand-written fast paths
 * (src/sip/speed/fast-headers.ts). Not a test: it only measures (their equality is tested in test/sip/fast-headers.test.ts).
 */
import { Grammar } from 'sip.js';
import { installFastSipGrammar, useFastHeaders } from '../src/sip/speed/fast-grammar.ts';

if (!installFastSipGrammar().installed) throw new Error('the decode-once grammar is not installed');
const hex = (n: number) => n.toString(16).padStart(12, '0');
const values: Record<string, (i: number) => string> = {
  Via: (i) => `SIP/2.0/WS 0004f2a00001.rove.invalid;branch=z9hG4bK${4_269_572 + i}`,
  From: (i) => `"onboarding-000328ddc87c" <sip:onboarding-000328ddc87c@emea.sip.sdg.teams.microsoft.com>;tag=${hex(i).slice(2)}`,
  To: (i) => `<sip:+14251000000@emea.sip.sdg.teams.microsoft.com>;tag=${hex(i)}`,
  Contact: (i) => `<sip:onboarding-${hex(i)}-0004f2a00001@0004f2a00001.rove.invalid;transport=ws>;expires=3600`,
  WWW_Authenticate: (i) =>
    `Digest realm="emea.sip.sdg.teams.microsoft.com", nonce="1a19b8397d8.${hex(i)}9ec684f5", algorithm=MD5, qop="auth"`,
  SIP_URI: (i) => `sip:onboarding-${hex(i)}@emea.sip.sdg.teams.microsoft.com`,
  uuid: (i) => `9ef9bba6-e3d3-476d-abdb-${hex(i)}`,
};
const rows: Record<string, { grammarUs: number; fastUs: number; speedup: number }> = {};
let offset = 1_000_000 * Math.floor(Math.random() * 1000); // values no earlier run left in the memory
const timeUs = (rule: string, make: (i: number) => string, n: number) => {
  const inputs = Array.from({ length: n }, (_, i) => make(offset + i));
  offset += n;
  const start = performance.now();
  for (const input of inputs) Grammar.parse(input, rule);
  return ((performance.now() - start) * 1000) / n;
};
for (const [rule, make] of Object.entries(values)) {
  useFastHeaders(false);
  timeUs(rule, make, 300); // warm-up
  const grammarUs = timeUs(rule, make, 3000);
  useFastHeaders(true);
  timeUs(rule, make, 3000);
  const fastUs = timeUs(rule, make, 30_000);
  rows[rule] = { grammarUs: +grammarUs.toFixed(1), fastUs: +fastUs.toFixed(2), speedup: Math.round(grammarUs / fastUs) };
}
console.table(rows);
