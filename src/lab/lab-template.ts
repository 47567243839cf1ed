/**
 * What a new lab file is made from (`rove-sim start --lab-template NAME`; the name is kept in the file). Its own module,
 * free of imports, so the command line can list the names without loading the lab.
 * - `factory` (the default): the default lab as it comes out of the box — the base at factory defaults, no SIP server,
 *   no extensions, nothing configured: what the guide starts from.
 * - `calls-demo`: the same devices, and the base already pointed at the lab's own SIP server with extensions 1001–1004
 *   for the four handsets, so two registered handsets can call each other (and 9999, the echo test) without Teams.
 */
export const LAB_TEMPLATES = ['factory', 'calls-demo'] as const;
export type LabTemplate = (typeof LAB_TEMPLATES)[number];

export function isLabTemplate(name: string): name is LabTemplate {
  return (LAB_TEMPLATES as readonly string[]).includes(name);
}
