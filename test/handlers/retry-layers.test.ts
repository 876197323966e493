import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

/**
 * Issue 13 (6): retries are never stacked on the SDK's own. Every handler retries each call itself
 * (src/handlers/shared/retry.ts: full jitter, the Lambda's deadline, a named error), so every SDK
 * client a handler builds makes one attempt (`SINGLE_ATTEMPT`). This guard reads the handler sources:
 * a new client built with the SDK's default (3 attempts) or adaptive retries fails here. The
 * behaviour itself (one SDK attempt per handler retry) is tested per handler against moto.
 */

const HANDLERS = path.join(__dirname, '..', '..', 'src', 'handlers');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory()
    ? sources(path.join(dir, e.name))
    : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

const withClients = sources(HANDLERS)
  .map((file) => ({ file: path.relative(HANDLERS, file), text: readFileSync(file, 'utf8') }))
  .filter(({ text }) => /new [\w.]*Client\(/.test(text));

test('the guard finds the SDK clients of all eight handlers', () => {
  expect(withClients.map((c) => c.file.split(path.sep)[0]).sort()).toEqual(
    ['audit-report', 'ca-bundle', 'ca-expiry', 'ca-policy', 'certificate-export', 'crl-sync', 'dns-validated-certificate', 'imported-certificate']);
});

test.each(withClients.map((c) => [c.file, c.text]))('issue 13 (6): %s builds its SDK clients with SINGLE_ATTEMPT and no SDK retry mode', (_file, text) => {
  expect(text).toContain('SINGLE_ATTEMPT');
  expect(text).not.toMatch(/retryMode|maxAttempts/);
  for (const construction of text.match(/new [\w.]*Client\(.*/g) ?? []) {
    // Each client gets SINGLE_ATTEMPT directly or through a local options constant built from it.
    const argument = construction.replace(/^new [\w.]*Client\(/, '');
    const constant = argument.match(/\b(options|clientOptions)\b/)?.[1];
    if (constant !== undefined) {
      expect(text).toMatch(new RegExp(`const ${constant} = (\\{ \\.\\.\\.SINGLE_ATTEMPT|SINGLE_ATTEMPT)`));
    } else {
      expect(argument).toContain('SINGLE_ATTEMPT');
    }
  }
});
