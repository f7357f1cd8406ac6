import { Command, CommanderError } from 'commander';
import { quarryVersion } from '../version.js';
import { QuarryError, errorMessage } from '../errors.js';
import type { CliIo } from './output.js';
import { CliFailure } from './failure.js';
import { registerHuntCommands } from './commands/hunts.js';
import { registerRunCommands } from './commands/runs.js';
import { registerLogCommands } from './commands/logs.js';
import { registerConnectionCommands } from './commands/connections.js';
import { registerScheduleCommands } from './commands/schedule.js';
import { registerDaemonCommands } from './commands/daemon.js';
import { registerFindingCommands } from './commands/findings.js';
import { registerDeliveryCommands } from './commands/deliveries.js';
import { registerSinkCommands } from './commands/sinks.js';
import { registerExportCommands } from './commands/export.js';
import { registerEnrichCommands } from './commands/enrich.js';

/** Exit codes: 0 success, 1 the command failed (bad input, unknown hunt, failed query), 2 bad usage. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const program = new Command('quarry')
    .description('Quarry: threat hunting over Log Analytics, SQL Server and offline logs')
    .version(quarryVersion)
    .option('--data-dir <dir>', 'data directory (default: $QUARRY_DATA_DIR or the OS app-data folder)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError();
  registerHuntCommands(program, io);
  registerRunCommands(program, io);
  registerLogCommands(program, io);
  registerConnectionCommands(program, io);
  registerScheduleCommands(program, io);
  registerDaemonCommands(program, io);
  registerFindingCommands(program, io);
  registerDeliveryCommands(program, io);
  registerSinkCommands(program, io);
  registerExportCommands(program, io);
  registerEnrichCommands(program, io);

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : 2;
    }
    if (err instanceof CliFailure) {
      if (!err.reported) io.stderr.write(`quarry: ${err.message}\n`);
      return 1;
    }
    io.stderr.write(`quarry: ${err instanceof QuarryError ? err.message : `unexpected error: ${errorMessage(err)}`}\n`);
    return 1;
  }
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, isTTY: Boolean(process.stdin.isTTY) };
}
