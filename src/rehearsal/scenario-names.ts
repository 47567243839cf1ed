/**
 * The names a scenario gives its devices and sites, known from the file alone (before any lab is built): listed bases
 * and handsets (`b1`, `b1/2`, a handset's own `id`), generated ones (`b001` …, `site-01` …) and the default site.
 * build-lab.ts names what it builds with the same functions, so what the loader accepts is what the run finds.
 */
import { DEFAULT_TENANT } from '../cloud/teams/tenant/default-tenant.ts';
import type { Scenario } from './scenario-types.ts';

/** The id of the `index`-th (0-based) of `count` generated bases: `b001` … (wider when there are more than 999). */
export function generatedBaseId(index: number, count: number): string {
  const width = Math.max(3, String(count).length);
  return `b${String(index + 1).padStart(width, '0')}`;
}

/** The id of the `index`-th (0-based) generated site: `site-01` …. */
export function generatedSiteId(index: number): string {
  return `site-${String(index + 1).padStart(2, '0')}`;
}

/** Handsets on the `index`-th of `bases` generated bases sharing `total` handsets (the first bases get one more). */
export function generatedHandsetCount(index: number, bases: number, total: number): number {
  return Math.floor(total / bases) + (index < total % bases ? 1 : 0);
}

export interface NamedBaseSpec {
  model: string;
  site: string;
  handsets: number;
  /** The MAC the file gives it, normalised by the lab (upper case, no separators). */
  mac?: string;
}

export interface ScenarioNames {
  /** By scenario id, in the order the lab adds them. */
  bases: Map<string, NamedBaseSpec>;
  /** Every name a handset answers to: `b1/2` and its own `id`. */
  handsets: Set<string>;
  sites: Set<string>;
}

/** The names a scenario's lab will have. */
export function scenarioNames(s: Scenario): ScenarioNames {
  const spec = s.lab;
  const sites: string[] = (spec.sites ?? []).map((x) => x.id);
  const bases = new Map<string, NamedBaseSpec>();
  const handsets = new Set<string>();
  const g = spec.generate;
  const generatedSites = g ? Array.from({ length: g.sites ?? (sites.length > 0 ? 0 : 1) }, (_, i) => generatedSiteId(i)) : [];
  const allSites = [...sites, ...generatedSites];
  const defaultSite = allSites[0] ?? DEFAULT_TENANT.sites[0]!.id;
  for (const b of spec.bases ?? []) {
    if (bases.has(b.id)) continue;
    const count = Array.isArray(b.handsets) ? b.handsets.length : (b.handsets?.count ?? 0);
    bases.set(b.id, { model: b.model, site: b.site ?? defaultSite, handsets: count, ...(b.mac ? { mac: b.mac.toUpperCase().replace(/[-:.]/g, '') } : {}) });
    for (let i = 1; i <= count; i++) handsets.add(`${b.id}/${i}`);
    if (Array.isArray(b.handsets)) for (const h of b.handsets) if (h.id !== undefined) handsets.add(h.id);
  }
  if (g) {
    const total = g.handsets ?? g.bases * (g.handsetsPerBase ?? 0);
    for (let i = 0; i < g.bases; i++) {
      const id = generatedBaseId(i, g.bases);
      if (bases.has(id)) continue;
      const count = generatedHandsetCount(i, g.bases, total);
      bases.set(id, { model: g.model ?? 'B4', site: allSites[i % Math.max(1, allSites.length)] ?? 'default', handsets: count });
      for (let n = 1; n <= count; n++) handsets.add(`${id}/${n}`);
    }
  }
  return { bases, handsets, sites: new Set(allSites.length > 0 ? allSites : [defaultSite]) };
}
