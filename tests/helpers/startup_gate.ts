/**
 * Holds a launch in its early phase: the user's config file is a named
 * pipe, so nanocode waits reading it (after `main.ts` drew its early
 * prompt, before the session takes the keyboard) until the test opens the
 * gate. Keys typed, signals sent and resizes made meanwhile all land in
 * the early phase, however fast the machine is.
 *
 * @module
 */

/** A closed gate in front of a launch's start-up. */
export interface StartupGate extends AsyncDisposable {
  /** Lets start-up go on, reading `text` as the user's config. */
  open(text?: string): Promise<void>;
}

/**
 * Makes `home`'s `~/.config/nanocode/config.json` a named pipe.
 *
 * @example
 * ```ts ignore
 * await using gate = await startupGate(home.path);
 * // ... start nanocode with HOME=home.path, type at its early prompt ...
 * await gate.open();
 * ```
 */
export async function startupGate(home: string): Promise<StartupGate> {
  const dir = `${home}/.config/nanocode`;
  const path = `${dir}/config.json`;
  const pipe = `${home}/.startup-gate-${crypto.randomUUID()}`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.remove(path).catch(() => {}); // a gate opened before
  const made = await new Deno.Command("mkfifo", { args: [pipe] }).output();
  if (!made.success) throw new Error("mkfifo failed");
  await Deno.link(pipe, path);
  let writing: Promise<void> | null = null;
  return {
    async open(text = "{}") {
      if (writing) return;
      // Later reads find a plain file; a read already waiting on the pipe
      // gets the same text through it, once (the write waits for it).
      await Deno.writeTextFile(`${path}.new`, text);
      await Deno.rename(`${path}.new`, path);
      writing = Deno.writeTextFile(pipe, text);
    },
    async [Symbol.asyncDispose]() {
      if (!writing) return;
      // Nobody was waiting on the pipe: take the write (opening a pipe for
      // reading and writing does not wait).
      const own = await Deno.open(pipe, { read: true, write: true });
      await writing.catch(() => {});
      own.close();
    },
  };
}
