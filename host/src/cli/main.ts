// The `golem-exec` command line: `run` (a file or -e code, output live, exit status of the program), `info`, and the
// service commands. Usage errors print one line and exit 2; no stack traces for anything the user got wrong.
import { Command, CommanderError } from 'commander';
import { Executor } from '../index.js';
import { libraryVersion } from '../api/info.js';
import { limitFlags, runCommand, UsageError, type RunFlags } from './run-command.js';
import { LANGUAGE_NAME_LIST, LANGUAGE_OF_EXTENSION } from '../api/languages.js';
import { registerServiceCommands } from './service-commands.js';

export const USAGE_EXIT = 2;

function collect(value: string, previous: string[] = []) {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('golem-exec')
    .description('Run untrusted JavaScript and Python in WebAssembly sandboxes (golem:exec components).')
    .version(libraryVersion())
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') });

  const run = program.command('run')
    .description(`run a program: language from the file extension (${Object.keys(LANGUAGE_OF_EXTENSION).join(' ')}), output streamed live`)
    .argument('[file]', 'entry file (omit with --eval)')
    .argument('[args...]', 'arguments for the program')
    .option('-e, --eval <code>', 'run CODE instead of a file (needs --lang)')
    .option('--lang <language>', `${LANGUAGE_NAME_LIST.join(', ')} (overrides the extension)`)
    .option('--stdin <file|->', "the program's stdin from a file or all of this process's stdin (default: interactive)")
    .option('--env <K=V>', 'environment variable for the program (repeatable; nothing else is inherited)', collect)
    .option('--file <path>', "extra file, uploaded by its path relative to the entry's directory (repeatable)", collect)
  for (const { flag, unit, help } of limitFlags()) run.option(`${flag} <${unit}>`, help);
  run
    .option('--mount <host:guest[:rw]>', 'host directory visible to the program at GUEST, read-only unless :rw (repeatable)', collect)
    .option('--json', 'print the result (exec-result or error) as JSON instead of streaming output')
    .passThroughOptions()
    .action(async (file: string | undefined, args: string[], flags: RunFlags) => {
      process.exitCode = await runCommand(file, args, flags);
    });

  program.command('info')
    .description('component and engine versions, languages and how each limit is enforced (JSON)')
    .action(() => {
      const executor = new Executor({ poolSize: 1 });
      process.stdout.write(JSON.stringify(executor.info(), null, 2) + '\n');
    });

  registerServiceCommands(program);
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      process.exitCode = error.exitCode === 0 ? 0 : USAGE_EXIT;
    } else if (error instanceof UsageError) {
      process.stderr.write(`golem-exec: ${error.message}\n`);
      process.exitCode = USAGE_EXIT;
    } else {
      process.stderr.write(`golem-exec: ${(error as Error)?.message ?? error}\n`);
      process.exitCode = 1;
    }
  }
}

// Run as a program (node build/host/cli/main.js ...), not when imported by the bin script or a test.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
