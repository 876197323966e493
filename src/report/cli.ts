#!/usr/bin/env node
import { ReportInputError } from './assembly';
import { writeReport } from './report';

/**
 * `npx cdk-pki report [cloud-assembly] [--out <folder>]`: writes the estate report of a synthesized
 * app. Exit code 0 when the report is written, 1 for bad input (with a one-line message naming the
 * path and the fix).
 *
 * Internal (the package's `bin`, not exported from the package index).
 */

export const USAGE = [
  'Usage: cdk-pki report [cloud-assembly] [--out <folder>]',
  '',
  '  Reads a synthesized cloud assembly (default: cdk.out) and writes pki-report.html (a self-contained',
  '  page with a picture of the PKI) and pki-report.md, into the assembly folder or --out <folder>.',
].join('\n');

/** Where the CLI writes. */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

/** Runs the CLI with `args` (without `node` and the script); returns the exit code. */
export function main(args: readonly string[], output: CliOutput = { log: (l) => console.log(l), error: (l) => console.error(l) }): number {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    output.log(USAGE);
    return 0;
  }
  if (command !== 'report') {
    output.error(`cdk-pki: ${command === undefined ? 'no command' : `unknown command ${JSON.stringify(command)}`}: run "cdk-pki report [cdk.out]"`);
    return 1;
  }
  let assembly: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--help' || arg === '-h') {
      output.log(USAGE);
      return 0;
    } else if (arg === '--out' || arg === '-o') {
      out = rest[++i];
      if (out === undefined) {
        output.error('cdk-pki report: --out needs a folder: cdk-pki report cdk.out --out reports');
        return 1;
      }
    } else if (arg.startsWith('--out=')) {
      out = arg.slice('--out='.length);
    } else if (arg.startsWith('-')) {
      output.error(`cdk-pki report: unknown option ${JSON.stringify(arg)}: the only option is --out <folder>`);
      return 1;
    } else if (assembly === undefined) {
      assembly = arg;
    } else {
      output.error(`cdk-pki report: one cloud assembly at a time, got ${JSON.stringify(assembly)} and ${JSON.stringify(arg)}`);
      return 1;
    }
  }
  try {
    const written = writeReport(assembly ?? 'cdk.out', out);
    const { cas, certificates, stacks } = written.estate;
    output.log(`Estate report: ${written.html}`);
    output.log(`         and: ${written.markdown}`);
    output.log(stacks.length === 0
      ? '  (the cloud assembly has no stacks)'
      : `  ${stacks.length} stack(s), ${cas.filter((c) => c.role !== 'external').length} CA(s), ${certificates.length} certificate(s)`);
    return 0;
  } catch (e) {
    if (e instanceof ReportInputError) {
      output.error(`cdk-pki report: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
