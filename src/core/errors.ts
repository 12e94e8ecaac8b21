// Typed errors carry their exit code, so that main() is the one place that turns a failure
// into a number and a one-line message. Codes: 0 ok, 1 failure or findings, 2 usage,
// 3 needs a human answer (a non-interactive walk met a question it cannot answer).
export const EXIT = { ok: 0, failure: 1, usage: 2, needsHuman: 3 } as const;

export class MangaopsError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
    /** What the user should do next, printed on its own line. */
    readonly hint?: string,
    /** The service's own error this one explains, kept so a card can still classify it. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Wrong arguments, unknown ids, invalid parameters: exit 2. */
export class UsageError extends MangaopsError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** A question only a human can answer, met without a TTY or an --answer: exit 3. */
export class NeedsHumanError extends MangaopsError {
  constructor(
    message: string,
    hint?: string,
    /** Under --json the result object on stdout already says where the walk stopped: no second object. */
    readonly inResult = false,
  ) {
    super(message, EXIT.needsHuman, hint);
  }
}
