import { Finding, may, must } from '../harness';

/*
 * Tag rules from acm-digest.md §1.2 (Tag.Key 1-128, Tag.Value 0-256, pattern [\p{L}\p{Z}\p{N}_.:/=+\-@]*, 1-50 tags,
 * no "aws:" prefix: InvalidTagException) and private-ca-digest.md CA-09, independently of src/validation.
 */

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const chars = (s: string): number => [...s].length;

/** The problems of a tag map with at most `maxTags` tags. */
export function tagFindings(tags: Record<string, unknown>, maxTags = 50): Finding[] {
  const out: Finding[] = [];
  const entries = Object.entries(tags);
  for (const [key, value] of entries) {
    if (chars(key) < 1 || chars(key) > 128) out.push(must('Tag.Key 1-128 characters', key));
    // UG25 says 127 at most: the 128th character is disputed.
    else if (chars(key) === 128) out.push(may('Tag.Key of 128 (UG25 says 127)', key));
    if (!TAG_TEXT.test(key)) out.push(must('Tag.Key pattern', key));
    if (key.startsWith('aws:')) out.push(must('Tag.Key "aws:" prefix', key));
    else if (/^aws:/i.test(key)) out.push(may('Tag.Key "AWS:" prefix in another case', key));
    if (typeof value !== 'string') {
      out.push(must('Tag.Value a string', value));
      continue;
    }
    if (chars(value) > 256) out.push(must('Tag.Value 0-256 characters', value));
    else if (chars(value) === 256) out.push(may('Tag.Value of 256 (UG25 says 255)', value));
    if (!TAG_TEXT.test(value)) out.push(must('Tag.Value pattern', value));
    // Lengths counted in UTF-16 units by some tools: astral characters make the count disputed.
    if ([...key, ...value].some((c) => c.length > 1)) out.push(may('astral characters in a tag', key));
  }
  if (entries.length > maxTags) out.push(must(`at most ${maxTags} tags`, entries.length));
  return out;
}

/** A certificate's `Name` given twice, as `certificateName` and as `tags.Name` (issue 14 (7): one would silently win). */
export function nameTagFindings(certificateName: string | undefined, tags: Record<string, unknown> | undefined): Finding[] {
  return certificateName !== undefined && tags !== undefined && Object.prototype.hasOwnProperty.call(tags, 'Name')
    ? [must('the Name tag given once, as certificateName or tags.Name', certificateName)]
    : [];
}

/** The template-level check of a resource's `Tags` list. */
export function checkTagList(tags: unknown, maxTags = 50): string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) return [`Tags is not a list: ${JSON.stringify(tags)}`];
  const map: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const t of tags) {
    if (typeof t?.Key !== 'string') {
      problems.push(`tag without a string key: ${JSON.stringify(t)}`);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(map, t.Key)) problems.push(`tag key ${JSON.stringify(t.Key)} twice`);
    map[t.Key] = t.Value;
  }
  return [...problems, ...tagFindings(map, maxTags).filter((f) => f.severity === 'must').map((f) => `${f.rule}: ${JSON.stringify(f.value)}`)];
}
