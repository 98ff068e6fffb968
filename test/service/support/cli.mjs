// Stand-in for build/host/cli/main.js while that module is not built: the same commander program shape with only the
// service commands registered. The tests prefer the real CLI when it exists.
import { Command } from 'commander';
import { registerServiceCommands } from '../../../build/host/cli/service-commands.js';

const program = new Command('golem-exec');
registerServiceCommands(program);
await program.parseAsync(process.argv);
