// A prompter that answers from a script keyed by request id and fails the test on any
// question it did not expect — so a test proves exactly which questions the user sees.
import type { Choice, Prompter } from '../../src/core/io.js';

export type Script = Record<string, string | boolean | (string | boolean)[]>;

export interface AskedQuestion {
  kind: 'choose' | 'confirm' | 'input';
  id: string;
  message: string;
  choices?: string[];
  defaultValue?: unknown;
  answer: unknown;
}

export class ScriptedPrompter implements Prompter {
  readonly asked: AskedQuestion[] = [];
  private readonly script: Record<string, (string | boolean)[]>;

  constructor(script: Script = {}) {
    this.script = Object.fromEntries(Object.entries(script).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]));
  }

  /** A key ending in `*` answers every id with that prefix ('choose:*'); an exact key wins. */
  private next(kind: AskedQuestion['kind'], id: string, message: string): string | boolean {
    const wildcard = Object.keys(this.script).find((k) => k.endsWith('*') && id.startsWith(k.slice(0, -1)));
    const queue = this.script[id] ?? (wildcard ? this.script[wildcard] : undefined);
    if (!queue || queue.length === 0) throw new Error(`unexpected ${kind} prompt '${id}': ${message}`);
    return queue.length > 1 ? queue.shift()! : queue[0]!;
  }

  /** ENTER takes the default: script the value '\n' for that. */
  async choose<T extends string>(request: { id: string; message: string; choices: Choice<T>[]; defaultValue?: T }): Promise<T> {
    const raw = this.next('choose', request.id, request.message);
    const answer = raw === '\n' ? request.defaultValue : (raw as T);
    if (answer === undefined || !request.choices.some((c) => c.value === answer)) {
      throw new Error(`scripted answer "${String(raw)}" is not a choice of '${request.id}': ${request.choices.map((c) => c.value).join(', ')}`);
    }
    this.asked.push({ kind: 'choose', id: request.id, message: request.message, choices: request.choices.map((c) => c.value), defaultValue: request.defaultValue, answer });
    return answer;
  }

  async confirm(request: { id: string; message: string; defaultValue: boolean }): Promise<boolean> {
    const raw = this.next('confirm', request.id, request.message);
    const answer = raw === '\n' ? request.defaultValue : Boolean(raw);
    this.asked.push({ kind: 'confirm', id: request.id, message: request.message, defaultValue: request.defaultValue, answer });
    return answer;
  }

  async input(request: { id: string; message: string; defaultValue?: string }): Promise<string> {
    const raw = this.next('input', request.id, request.message);
    const answer = raw === '\n' ? request.defaultValue ?? '' : String(raw);
    this.asked.push({ kind: 'input', id: request.id, message: request.message, defaultValue: request.defaultValue, answer });
    return answer;
  }
}

/** Throws, like inquirer does, when the user presses Ctrl-C. */
export class InterruptingPrompter extends ScriptedPrompter {
  constructor(script: Script, private readonly interruptAt: string) {
    super(script);
  }
  override async choose<T extends string>(request: { id: string; message: string; choices: Choice<T>[]; defaultValue?: T }): Promise<T> {
    if (request.id === this.interruptAt) throw Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    return super.choose(request);
  }
}
