// The real prompter. @inquirer/prompts is imported on first use, so commands that never
// ask (and --help) do not load it. Prompts go to stderr so --json stdout stays clean.
import type { Choice, Prompter } from '../core/io.js';

const context = { output: process.stderr, clearPromptOnDone: false };

// Where no evidence picks a branch there is no default: the cursor rests on this line, and
// Enter on it asks again, so a tired engineer moves to an answer on purpose.
const UNCHOSEN = '\u0000unchosen';

export class InquirerPrompter implements Prompter {
  async choose<T extends string>(request: { message: string; choices: Choice<T>[]; defaultValue?: T }): Promise<T> {
    const { select } = await import('@inquirer/prompts');
    const choices = request.choices.map((c) => ({ value: c.value as string, name: c.name, description: c.description }));
    const rest = request.defaultValue === undefined ? [{ value: UNCHOSEN, name: '(move to an answer with ↑↓, then Enter)', description: undefined }] : [];
    for (;;) {
      const answer = await select<string>({ message: request.message, choices: [...rest, ...choices], default: request.defaultValue, loop: false }, context);
      if (answer !== UNCHOSEN) return answer as T;
    }
  }

  async confirm(request: { message: string; defaultValue: boolean }): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message: request.message, default: request.defaultValue }, context);
  }

  async input(request: { message: string; defaultValue?: string }): Promise<string> {
    const { input } = await import('@inquirer/prompts');
    return input({ message: request.message, default: request.defaultValue }, context);
  }
}
