/**
 * What interactive widgets (menus, dialogs, the pager) draw on and listen
 * to: the output, its live region, the key router and the style.
 *
 * @module
 */

import type { KeyRouter } from "./key_router.ts";
import type { LiveRegion } from "./live_region.ts";
import type { Style } from "./style.ts";
import type { Output } from "./terminal.ts";

/**
 * The terminal as the interactive session holds it.
 *
 * @example
 * ```ts ignore
 * const ui: ScreenUi = { out, region: new LiveRegion(out), keys: new KeyRouter(input), style };
 * ```
 */
export interface ScreenUi {
  out: Output;
  region: LiveRegion;
  keys: KeyRouter;
  style: Style;
}
