// The narrow prompt port. The engine and commands ask through this; the real one wraps
// @inquirer/prompts (src/ui/inquirer-prompter.ts), tests script answers and fail on any
// question they did not expect (test/helpers/scripted-prompter.ts).
export interface Choice<T extends string = string> {
  value: T;
  name: string;
  description?: string;
}

export interface Prompter {
  /** Pick one of several; `defaultValue` is what Enter picks. */
  choose<T extends string>(request: { id: string; message: string; choices: Choice<T>[]; defaultValue?: T }): Promise<T>;
  /** Yes / no; `defaultValue` is what Enter gives (mutations default to false). */
  confirm(request: { id: string; message: string; defaultValue: boolean }): Promise<boolean>;
  /** Free text. */
  input(request: { id: string; message: string; defaultValue?: string }): Promise<string>;
}
