/**
 * `/model`: lists the models the server offers, and switches the main model
 * only to a name the server knows.
 *
 * @module
 */

import { apiBaseFor, subLmFor } from "../agent/model_base.ts";
import { listModels, modelIdOf, type ModelList } from "../lm/list_models.ts";
import { Activity } from "../ui/activity.ts";
import { PROVIDERS } from "../lm/models.ts";
import { fuzzyFilter } from "../ui/fuzzy.ts";
import { plural } from "../ui/plural.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Session } from "./session_state.ts";

/** Models listed by `/model` at most. */
const LISTED = 40;

/** A name with the current model's provider prefix when it has none. */
/**
 * Asks the server for its models as the session's current work: a spinner
 * shows, and Ctrl-C or Esc stops the wait (`null` then).
 */
async function askModels(
  session: Session,
  model: string,
  options: { apiBase?: string; env: (name: string) => string | undefined },
): Promise<ModelList | null> {
  const controller = new AbortController();
  const activity = new Activity(session.ui.region, session.ui.style);
  session.current = controller;
  activity.start("Asking the server for its models");
  try {
    return await listModels(model, options, undefined, controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return null;
    throw error;
  } finally {
    activity.stop();
    session.current = null;
  }
}

function qualified(name: string, current: string): string {
  const prefix = name.split("/")[0];
  if (name.includes("/") && prefix in PROVIDERS) return name;
  const provider = current.split("/")[0];
  return provider in PROVIDERS ? `${provider}/${name}` : name;
}

/**
 * Runs `/model [NAME]`.
 *
 * @example
 * ```ts ignore
 * await modelCommand(session, "openai/gpt-4o");
 * ```
 */
export async function modelCommand(
  session: Session,
  args: string,
): Promise<void> {
  const { style } = session.ui;
  const { config, env } = session;
  const options = (model: string) => ({
    apiBase: apiBaseFor(config, model),
    env,
  });
  if (!args) {
    session.say(
      `Model: ${sanitize(config.lm)} · sub-model: ${
        sanitize(subLmFor(config))
      }`,
      style.cyan,
    );
    try {
      const list = await askModels(session, config.lm, options(config.lm));
      if (!list) return session.say("Interrupted.", style.yellow);
      const { ids, baseURL } = list;
      const current = modelIdOf(config.lm, options(config.lm));
      const shown = ids.slice(0, LISTED).map((id) =>
        id === current
          ? style.cyan(`  ❯ ${sanitize(id)}`)
          : `    ${sanitize(id)}`
      );
      session.ui.print(
        [
          style.dim(
            `  ${plural(ids.length, "model")} on ${sanitize(baseURL)}:`,
          ),
          ...shown,
          ...(ids.length > LISTED
            ? [style.dim(`    … ${ids.length - LISTED} more`)]
            : []),
          style.dim("  /model NAME switches the main model."),
        ].join("\n"),
      );
    } catch (error) {
      session.say(sanitize((error as Error).message), style.yellow);
    }
    return;
  }
  const name = qualified(args.trim(), config.lm);
  let id: string;
  try {
    id = modelIdOf(name, options(name));
  } catch (error) {
    session.say(
      `Cannot use model ${sanitize(name)}: ${(error as Error).message}`,
      style.red,
    );
    return;
  }
  let checked = true;
  try {
    const list = await askModels(session, name, options(name));
    if (!list) {
      session.say(
        `Interrupted. The model stays ${sanitize(config.lm)}.`,
        style.yellow,
      );
      return;
    }
    const { ids, baseURL } = list;
    if (!ids.includes(id)) {
      const close = fuzzyFilter(id, ids, 5);
      session.say(
        `Unknown model ${sanitize(id)}: ${sanitize(baseURL)} does not list it${
          close.length
            ? `; did you mean ${close.map(sanitize).join(", ")}?`
            : "."
        } The model stays ${sanitize(config.lm)}; /model lists the models.`,
        style.yellow,
      );
      return;
    }
  } catch {
    checked = false;
  }
  const agent = await session.agent();
  const previous = config.lm;
  agent.config.lm = name;
  config.lm = name;
  try {
    agent.reloadLms();
  } catch (error) {
    agent.config.lm = previous;
    config.lm = previous;
    agent.reloadLms();
    session.say(
      `Cannot use model ${sanitize(name)}: ${(error as Error).message}`,
      style.red,
    );
    return;
  }
  session.log.append({ type: "model", lm: name });
  session.knownWindow = undefined;
  session.contextTokens = undefined;
  session.refreshFooter();
  session.say(
    `Model: ${sanitize(name)}${
      checked
        ? ""
        : " (the server's model list could not be read to check the name)"
    }`,
  );
}
