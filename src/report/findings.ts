import { CloudAssembly } from './assembly';
import { Finding, EstateNode } from './model';
import { AssemblyIndex } from './stack-index';

/**
 * Puts each finding on the CA or certificate it is about: the violations of the validation plugins
 * (`PkiChecks` and any other, from `validation-report.json`) and the warnings and errors the
 * constructs wrote into the metadata at synth time (and their infos, such as a CA's cost hint). A finding belongs to the node whose construct
 * path is the finding's path or a parent of it.
 *
 * Internal to the report (not exported from the package index).
 */

const ACK_ID = /\s*\[ack: ([^\]]+)\]\s*$/;

/**
 * Attaches findings to `nodes` and returns the PkiChecks findings that are on none of them (e.g. an
 * IAM policy that allows `acm-pca:IssueCertificate` without a template condition).
 */
export function attachFindings(assembly: CloudAssembly, index: AssemblyIndex, nodes: readonly EstateNode[]): Finding[] {
  const byPath = [...nodes].filter((n) => n.stack !== '').sort((a, b) => b.id.length - a.id.length);
  const owner = (path: string) => byPath.find((n) => path === n.id || path.startsWith(`${n.id}/`));
  const other: Finding[] = [];

  for (const v of assembly.validationFindings ?? []) {
    const finding: Finding = {
      id: v.ruleName,
      level: v.severity,
      message: v.description,
      path: v.constructPath,
      source: 'PkiChecks',
      acknowledged: v.acknowledged,
    };
    const node = owner(v.constructPath);
    if (node) {
      node.findings.push(finding);
    } else if (v.ruleName.startsWith('PKI-')) {
      other.push(finding);
    }
  }

  for (const stack of index.stacks) {
    for (const [metadataPath, entries] of Object.entries(stack.stack.metadata)) {
      const path = metadataPath.replace(/^\//, '');
      const node = owner(path);
      if (!node) continue;
      for (const entry of entries) {
        const level = entry.type.replace('aws:cdk:', '');
        if (level !== 'warning' && level !== 'error' && level !== 'info') continue;
        const text = String(entry.data);
        const ack = ACK_ID.exec(text);
        const hint = /^cdk-pki ([\w ]+?):/.exec(text);
        node.findings.push({
          id: ack ? ack[1] : hint ? hint[1].replace(/ /g, '-') : level,
          level,
          message: text.replace(ACK_ID, ''),
          path,
          source: 'synth',
        });
      }
    }
  }
  return other;
}
