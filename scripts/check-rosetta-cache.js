#!/usr/bin/env node
// Checks that the committed jsii-rosetta cache (rosetta/cache.tabl.json) is up to date.
// Usage: check-rosetta-cache.js COMMITTED FRESH, where FRESH is the tablet that
// `jsii-rosetta extract --strict --cache-from COMMITTED --cache-to FRESH` just wrote. That run
// reused the committed translation of every README example whose source and referenced types
// did not change, and compiled (strictly) every other one. The cache is stale when it lacks one of
// the fresh snippets, holds it with another fingerprint of the types it references, or holds one
// that no longer exists: then `npx projen rosetta:update` rewrites it (commit the result).
const fs = require('fs');

const [committedFile, freshFile] = process.argv.slice(2);
const read = (f) => JSON.parse(fs.readFileSync(f, 'utf8')).snippets;
const committed = read(committedFile);
const fresh = read(freshFile);

const problems = [];
for (const [key, snippet] of Object.entries(fresh)) {
  const where = `README.md line ${snippet.location?.field?.line ?? '?'}`;
  if (!snippet.didCompile) problems.push(`${where}: the example does not compile`);
  const cached = committed[key];
  if (!cached) problems.push(`${where}: new or changed example, not in ${committedFile}`);
  else if (cached.fqnsFingerprint !== snippet.fqnsFingerprint) problems.push(`${where}: the types it uses changed since ${committedFile} was written`);
}
for (const [key, snippet] of Object.entries(committed)) {
  if (!fresh[key]) problems.push(`${committedFile} holds an example that is gone (was at line ${snippet.location?.field?.line ?? '?'})`);
}

const total = Object.keys(fresh).length;
if (problems.length > 0) {
  console.error(`${problems.length} problem(s) with the README examples' rosetta cache:\n  ${problems.join('\n  ')}`);
  console.error('Run `npx projen rosetta:update` (compiles the changed examples in strict mode) and commit rosetta/cache.tabl.json.');
  process.exit(1);
}
console.log(`${total} README examples: all compiled in strict mode, ${committedFile} is up to date`);
