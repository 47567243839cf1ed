/**
 * The handset's menu tree and how the navigation keys move through it. Pure data and functions: the machine keeps the
 * position (`MenuPosition`) in its context, the screen shows it.
 *
 * ```text
 * Menu
 * ├─ Contacts            the base's central directory: search as you type, green calls (handset-directory.ts)
 * ├─ Call log            (no entries yet)
 * └─ Settings
 *    ├─ Language ─ English / Deutsch / Français / Español / Português / 日本語
 *    ├─ Connectivity
 *    │  ├─ Register                       [seed 000] Settings → Connectivity → Register
 *    │  └─ Registration
 *    │     └─ Deregister                  [RTX] Settings → Connectivity → Registration → Deregister
 *    └─ Handset info     (IPEI, firmware, base)
 * ```
 *
 * [inferred] The order and the items other than the guide's path are a modelling choice (docs/fidelity.md).
 */
import { LANGUAGES, type Language } from './handset-record.ts';
import { LANGUAGE_NAMES, type TextKey } from './handset-text.ts';

export type MenuAction =
  | { kind: 'register' }
  | { kind: 'directory' }
  | { kind: 'deregister' }
  | { kind: 'handset-info' }
  | { kind: 'language'; language: Language }
  | { kind: 'empty-list' };

export interface MenuNode {
  id: string;
  /** A text key (translated) or a fixed label (language names are written in their own language). */
  label: { key: TextKey } | { fixed: string };
  children?: readonly MenuNode[];
  action?: MenuAction;
}

export const MAIN_MENU: MenuNode = {
  id: 'menu',
  label: { key: 'menu' },
  children: [
    { id: 'contacts', label: { key: 'contacts' }, action: { kind: 'directory' } },
    { id: 'call-log', label: { key: 'callLog' }, action: { kind: 'empty-list' } },
    {
      id: 'settings',
      label: { key: 'settings' },
      children: [
        {
          id: 'language',
          label: { key: 'language' },
          children: LANGUAGES.map((language) => ({
            id: `language-${language}`,
            label: { fixed: LANGUAGE_NAMES[language] },
            action: { kind: 'language', language } as const,
          })),
        },
        {
          id: 'connectivity',
          label: { key: 'connectivity' },
          children: [
            { id: 'register', label: { key: 'register' }, action: { kind: 'register' } },
            {
              id: 'registration',
              label: { key: 'registration' },
              children: [{ id: 'deregister', label: { key: 'deregister' }, action: { kind: 'deregister' } }],
            },
          ],
        },
        { id: 'handset-info', label: { key: 'handsetInfo' }, action: { kind: 'handset-info' } },
      ],
    },
  ],
};

/** Where the user is: the child indexes of the open menus from the top, and the highlighted item. */
export interface MenuPosition {
  path: readonly number[];
  cursor: number;
}

export const MENU_TOP: MenuPosition = { path: [], cursor: 0 };

/** The menu that is open at `position`. */
export function openMenu(position: MenuPosition): MenuNode {
  let node = MAIN_MENU;
  for (const i of position.path) node = node.children?.[i] ?? node;
  return node;
}

/** The highlighted item. */
export function highlighted(position: MenuPosition): MenuNode | undefined {
  return openMenu(position).children?.[position.cursor];
}

export function moveCursor(position: MenuPosition, by: 1 | -1): MenuPosition {
  const count = openMenu(position).children?.length ?? 0;
  if (count === 0) return position;
  return { path: position.path, cursor: (position.cursor + by + count) % count };
}

/** Opens the highlighted submenu (unchanged if the item has none). */
export function enter(position: MenuPosition): MenuPosition {
  const item = highlighted(position);
  return item?.children ? { path: [...position.path, position.cursor], cursor: 0 } : position;
}

/** Closes the open menu, highlighting the item it was opened from. */
export function leave(position: MenuPosition): MenuPosition {
  if (position.path.length === 0) return position;
  return { path: position.path.slice(0, -1), cursor: position.path[position.path.length - 1]! };
}

/** Position of the menu with `id` (for tests and scenario shortcuts), or undefined. */
export function positionOf(id: string): MenuPosition | undefined {
  const walk = (node: MenuNode, path: number[]): MenuPosition | undefined => {
    const children = node.children ?? [];
    for (let i = 0; i < children.length; i++) {
      if (children[i]!.id === id) return { path, cursor: i };
      const found = walk(children[i]!, [...path, i]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(MAIN_MENU, []);
}
