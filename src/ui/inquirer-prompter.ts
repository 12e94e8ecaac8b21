// The real prompter. @inquirer/prompts is imported on first use, so commands that never
// ask (and --help) do not load it. Prompts go to stderr so --json stdout stays clean.
import type { Choice, Prompter } from '../core/io.js';

const context = { output: process.stderr, clearPromptOnDone: false };

export class InquirerPrompter implements Prompter {
  async choose<T extends string>(request: { message: string; choices: Choice<T>[]; defaultValue?: T }): Promise<T> {
    const { select } = await import('@inquirer/prompts');
    return select<T>(
      { message: request.message, choices: request.choices.map((c) => ({ value: c.value, name: c.name, description: c.description })), default: request.defaultValue, loop: false },
      context,
    );
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
