import * as http from 'http';
import { AddressInfo } from 'net';
import { validateTemplateFilesHere } from './cfn-validate';

/**
 * An HTTP server on 127.0.0.1 in the jest main process that validates template files with one
 * `@aws/cloudformation-validate` engine for the whole run: POST `{"files": [...]}`, get the
 * findings as JSON. Starting an engine takes seconds; the workers would otherwise start one per
 * test file.
 */
export function startValidateServer(): Promise<{ server: http.Server; endpoint: string }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const { files } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { files: string[] };
        res.writeHead(200, { 'Content-Type': 'application/json', 'Connection': 'close' }).end(JSON.stringify(validateTemplateFilesHere(files)));
      } catch (e) {
        res.writeHead(500, { Connection: 'close' }).end(String((e as Error).stack ?? e));
      }
    });
  });
  // One connection per request: a request waits while the engine validates another worker's
  // templates, and a kept-alive socket closed by the server under a new request fails the fetch.
  server.keepAliveTimeout = 0;
  server.requestTimeout = 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      resolve({ server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}
