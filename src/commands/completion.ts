// `mangaops completion bash|zsh|fish`: the script that hooks the shell to `mangaops __complete`
// (src/cli/complete.ts), which reads the candidates off the command tree.
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { CommonOptions } from './context.js';

export async function completion(options: CommonOptions & { shell: string }, io: Io): Promise<number> {
  if (options.shell !== 'bash' && options.shell !== 'zsh' && options.shell !== 'fish') {
    throw new UsageError(`no completion for '${options.shell}'`, 'mangaops completion bash, zsh or fish');
  }
  io.stdout.write(completionScript(options.shell));
  return 0;
}

/** The script a shell sources: it hands the words to `mangaops __complete` and offers what comes back. */
export function completionScript(shell: 'bash' | 'zsh' | 'fish'): string {
  switch (shell) {
    case 'bash':
      return [
        '# mangaops completion for bash: source it, or put it in ~/.local/share/bash-completion/completions/mangaops',
        '_mangaops() {',
        '  local IFS=$\'\\n\'',
        '  COMPREPLY=($(mangaops __complete "$((COMP_CWORD - 1))" "${COMP_WORDS[@]:1}" 2>/dev/null))',
        '}',
        'complete -o default -F _mangaops mangaops',
        '',
      ].join('\n');
    case 'zsh':
      return [
        '#compdef mangaops',
        '# mangaops completion for zsh: put it on your $fpath as _mangaops',
        '_mangaops() {',
        '  local -a candidates',
        '  candidates=("${(@f)$(mangaops __complete $((CURRENT - 2)) "${(@)words[2,-1]}" 2>/dev/null)}")',
        '  compadd -a candidates',
        '}',
        'compdef _mangaops mangaops',
        '',
      ].join('\n');
    case 'fish':
      return [
        '# mangaops completion for fish: put it in ~/.config/fish/completions/mangaops.fish',
        'function __mangaops_complete',
        '    set -l tokens (commandline -opc) (commandline -ct)',
        '    mangaops __complete (math (count $tokens) - 2) $tokens[2..-1] 2>/dev/null',
        'end',
        "complete -c mangaops -f -a '(__mangaops_complete)'",
        '',
      ].join('\n');
  }
}
