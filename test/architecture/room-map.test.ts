import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The room map of src/ (src/README.md) holds: every import of every file under src/ goes to its own
 * folder or to one the map allows, the arrows the architecture depends on are the map's, and the
 * eslint zones (ROOMS in .projenrc.ts) say the same as the map.
 */

const ROOT = path.join(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/** A TypeScript file under src/: its path relative to src/ (with `/`) and its text. */
interface SourceText {
  readonly file: string;
  readonly text: string;
}

/** One import that leaves its room for a room the map does not allow. */
interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly room: string;
}

function sourceTexts(dir = SRC): SourceText[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceTexts(full);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ file: path.relative(SRC, full).split(path.sep).join('/'), text: fs.readFileSync(full, 'utf8') }];
  });
}

/** The room of a path relative to src/: its first folder, or undefined for a file at the root. */
function roomOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts.length > 1 ? parts[0] : undefined;
}

/**
 * What `text` imports from src/ (`import`, `import type`, `export ... from`, `require()`, `import()`),
 * as paths relative to src/, with the specifier as written. Imports of packages are left out.
 */
function importsOf(source: SourceText): Array<{ specifier: string; target: string }> {
  return ts.preProcessFile(source.text, true, true).importedFiles
    .map((f) => f.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({ specifier, target: path.posix.normalize(path.posix.join(path.posix.dirname(source.file), specifier)) }))
    .filter(({ target }) => !target.startsWith('../'));
}

/** The rooms each imported path of `source` belongs to (`index.ts` and other root files as themselves). */
function importedRooms(source: SourceText): string[] {
  return [...new Set(importsOf(source).map(({ target }) => roomOf(target) ?? target))];
}

/** The imports of `sources` that leave their room for one `rooms` does not allow; rooms not in the map are not checked. */
function violations(sources: SourceText[], rooms: Record<string, string[]>): Violation[] {
  return sources.flatMap((source) => {
    const own = roomOf(source.file);
    if (own === undefined || rooms[own] === undefined) return [];
    return importsOf(source)
      .map(({ specifier, target }) => ({ file: source.file, specifier, room: roomOf(target) ?? target }))
      .filter(({ room }) => room !== own && !rooms[own].includes(room));
  });
}

/** The map of src/README.md: its table's rows `| \`room/\` | \`other/\`, ... or nothing | ... |`. */
function readmeRooms(): Record<string, string[]> {
  const rooms: Record<string, string[]> = {};
  for (const line of fs.readFileSync(path.join(SRC, 'README.md'), 'utf8').split('\n')) {
    const row = /^\| `([\w-]+)\/` \| ([^|]+) \|/.exec(line);
    if (row === null) continue;
    const allowed = row[2].trim() === 'nothing' ? [] : [...row[2].matchAll(/`([\w-]+)\/`/g)].map((m) => m[1]);
    rooms[row[1]] = allowed.sort();
  }
  return rooms;
}

/** The `import/no-restricted-paths` zones of .eslintrc.json (projen heads it with a `//` comment), as a room map. */
function eslintRooms(): Record<string, string[]> {
  const text = fs.readFileSync(path.join(ROOT, '.eslintrc.json'), 'utf8');
  const config = JSON.parse(text.split('\n').filter((line) => !line.startsWith('//')).join('\n'));
  const rule = config.rules['import/no-restricted-paths'];
  const rooms: Record<string, string[]> = {};
  for (const zone of rule[1].zones as Array<{ target: string; from: string; except: string[] }>) {
    expect(zone.from).toBe('./src');
    const room = zone.target.replace(/^\.\/src\//, '');
    const except = zone.except.map((e) => e.replace(/^\.\//, ''));
    expect(except).toContain(room);
    rooms[room] = except.filter((e) => e !== room).sort();
  }
  return rooms;
}

const SOURCES = sourceTexts();
const ROOMS = readmeRooms();

describe('the room map of src/', () => {
  test('src/README.md maps every folder of src/, and only those', () => {
    const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(Object.keys(ROOMS).sort()).toEqual(folders);
    for (const allowed of Object.values(ROOMS)) for (const room of allowed) expect(folders).toContain(room);
  });

  test('the root of src/ holds index.ts alone, and it exports nothing of private/ or handlers/', () => {
    expect(SOURCES.filter((s) => roomOf(s.file) === undefined).map((s) => s.file)).toEqual(['index.ts']);
    const index = SOURCES.find((s) => s.file === 'index.ts')!;
    expect(importedRooms(index).filter((room) => room === 'private' || room === 'handlers')).toEqual([]);
  });

  test('every import under src/ follows the map', () => {
    expect(violations(SOURCES, ROOMS)).toEqual([]);
  });

  test('the eslint zones (ROOMS in .projenrc.ts) are the map', () => {
    expect(eslintRooms()).toEqual(ROOMS);
  });

  test('the map keeps the arrows the architecture depends on', () => {
    expect(ROOMS.validation).toEqual([]);
    expect(ROOMS.checks).toEqual(['validation']);
    expect(ROOMS.handlers).toEqual(['validation']);
    expect(ROOMS.private).toEqual(['validation']);
    expect(ROOMS['private-ca']).not.toContain('certificates');
  });
});

describe('boundaries, read from the imports alone', () => {
  const roomsImportedBy = (room: string) => new Set(SOURCES.filter((s) => roomOf(s.file) === room).flatMap((s) => importedRooms(s)));

  test('src/validation imports nothing of src/ outside itself', () => {
    expect([...roomsImportedBy('validation')].filter((r) => r !== 'validation')).toEqual([]);
  });

  test('src/checks imports nothing of src/ but itself and src/validation (facts shared with the constructs)', () => {
    expect([...roomsImportedBy('checks')].filter((r) => r !== 'checks' && r !== 'validation')).toEqual([]);
  });

  test('src/private-ca imports nothing of src/certificates', () => {
    expect(roomsImportedBy('private-ca').has('certificates')).toBe(false);
  });

  test('src/handlers imports only src/handlers and src/validation', () => {
    expect([...roomsImportedBy('handlers')].filter((r) => r !== 'handlers' && r !== 'validation')).toEqual([]);
  });
});

describe('the checker finds what breaks the map', () => {
  const rooms = { 'validation': [], 'private-ca': ['validation'] };

  test.each([
    ['an import', "import { CaValidity } from '../private-ca/ca-validity';"],
    ['a type import', "import type { CaValidity } from '../private-ca/ca-validity';"],
    ['a re-export', "export * from '../private-ca/ca-validity';"],
    ['a multi-line import', "import {\n  CaValidity,\n  CaSubject,\n} from '../private-ca/ca-validity';"],
    ['a require', "const ca = require('../private-ca/ca-validity');"],
    ['a dynamic import', "const ca = import('../private-ca/ca-validity');"],
    ['an import of the index', "import { RootCa } from '../index';"],
  ])('%s out of src/validation', (_, text) => {
    const found = violations([{ file: 'validation/ca-rules.ts', text }], rooms);
    expect(found).toHaveLength(1);
    expect(found[0].file).toBe('validation/ca-rules.ts');
  });

  test('imports in the room, of allowed rooms, and of packages pass', () => {
    const text = [
      "import { Token } from 'aws-cdk-lib';",
      "import { quoteValue } from '../validation/errors';",
      "import { CaSubject } from './ca-subject';",
    ].join('\n');
    expect(violations([{ file: 'private-ca/ca-validity.ts', text }], rooms)).toEqual([]);
  });

  test('a folder whose name starts like another is another room', () => {
    const found = violations([{ file: 'validation/x.ts', text: "import { y } from '../validation-extra/y';" }], rooms);
    expect(found.map((v) => v.room)).toEqual(['validation-extra']);
  });
});
