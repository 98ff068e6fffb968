// `golem-exec serve` and `golem-exec mcp`: registered on the CLI's commander program.
import type { Command } from 'commander';

export function registerServiceCommands(_program: Command): void {}
