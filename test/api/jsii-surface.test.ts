import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/*
 * The public surface as jsii sees it (the `.jsii` assembly that `npx projen compile` writes at the repository root)
 * and as TypeScript sees it (`src/index.ts`): the two must list the same types, no library-internal helper may leak
 * into either, and nothing reaches other languages as a union or a string standing for a closed set of values.
 */

const ROOT = path.join(__dirname, '..', '..');
const ASSEMBLY = path.join(ROOT, '.jsii');

interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly union?: { readonly types: TypeRef[] };
  readonly intersection?: { readonly types: TypeRef[] };
  readonly collection?: { readonly kind: string; readonly elementtype: TypeRef };
}
interface Parameter { readonly name: string; readonly type: TypeRef }
interface Callable {
  readonly name?: string;
  readonly static?: boolean;
  readonly parameters?: Parameter[];
  readonly returns?: { readonly type: TypeRef };
}
interface Property { readonly name: string; readonly type: TypeRef; readonly static?: boolean }
interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly abstract?: boolean;
  readonly locationInModule?: { readonly filename: string };
  readonly initializer?: Callable;
  readonly methods?: Callable[];
  readonly properties?: Property[];
}

function loadAssembly(): { types: Record<string, JsiiType> } {
  if (!existsSync(ASSEMBLY)) {
    throw new Error(`${ASSEMBLY} is missing: run \`CI=true npx projen compile\` first (the build compiles before it tests)`);
  }
  return JSON.parse(readFileSync(ASSEMBLY, 'utf8'));
}

const assembly = loadAssembly();
const types = Object.values(assembly.types);
const jsiiNames = new Set(types.map((t) => t.name));

/** Helpers that modules export for the library's own use; none may be public. */
const INTERNAL_HELPERS = [
  'halfOf',
  'DEFAULT_ROOT_VALIDITY_DAYS',
  'revocationFacts',
  'renderRevocation',
  'generalizedTime',
  'importCertificateArn',
  'importCertificateAuthorityArn',
  'applyCertificateRequest',
  'PkiValidationError',
  'throwIfProblems',
  'SingletonProvider',
  'CertificateExportShared',
  'NagRules',
  'acknowledgeNag',
];

/** Every member of the surface that carries a type, named `Type.member` / `Type.member(param)`. */
function typedMembers(): Array<{ where: string; type: TypeRef; owner: JsiiType; member: string; parameter?: string }> {
  const out: Array<{ where: string; type: TypeRef; owner: JsiiType; member: string; parameter?: string }> = [];
  for (const t of types) {
    const callables: Array<[string, Callable]> = [
      ...(t.initializer ? [['constructor', t.initializer] as [string, Callable]] : []),
      ...(t.methods ?? []).map((m) => [m.name!, m] as [string, Callable]),
    ];
    for (const [name, c] of callables) {
      for (const p of c.parameters ?? []) {
        out.push({ where: `${t.name}.${name}(${p.name})`, type: p.type, owner: t, member: name, parameter: p.name });
      }
      if (c.returns) out.push({ where: `${t.name}.${name}() returns`, type: c.returns.type, owner: t, member: name });
    }
    for (const p of t.properties ?? []) {
      out.push({ where: `${t.name}.${p.name}`, type: p.type, owner: t, member: p.name });
    }
  }
  return out;
}

function hasUnion(t: TypeRef): boolean {
  if (t.union || t.intersection) return true;
  return t.collection ? hasUnion(t.collection.elementtype) : false;
}

/** The source declaration of a member: a property / method / constructor of the class or interface named `owner`. */
function declarationOf(owner: JsiiType, member: string): ts.Node | undefined {
  const file = owner.locationInModule?.filename;
  if (!file) return undefined;
  const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if ((ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) && node.name?.text === owner.name) {
      for (const m of node.members) {
        const name = m.name && ts.isIdentifier(m.name) ? m.name.text : undefined;
        if ((member === 'constructor' && ts.isConstructorDeclaration(m)) || name === member) found ??= m;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Whether a declared type is a string literal, or a union of them (after `| undefined`): a stringly-typed enum. */
function isStringLiteralSet(type: ts.TypeNode | undefined, source: ts.SourceFile): boolean {
  if (type === undefined) return false;
  if (ts.isLiteralTypeNode(type)) return ts.isStringLiteral(type.literal);
  if (ts.isParenthesizedTypeNode(type)) return isStringLiteralSet(type.type, source);
  if (ts.isUnionTypeNode(type)) {
    const isNullish = (m: ts.TypeNode) =>
      m.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(m) && m.literal.kind === ts.SyntaxKind.NullKeyword);
    const members = type.types.filter((m) => !isNullish(m));
    return members.length > 0 && members.every((m) => isStringLiteralSet(m, source));
  }
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) {
    const name = type.typeName.text;
    const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
    return alias !== undefined && isStringLiteralSet(alias.type, source);
  }
  return false;
}

/** The names `src/index.ts` exports, read from its syntax (it only re-exports). */
function indexExports(): { names: string[]; exportStar: string[] } {
  const file = path.join(ROOT, 'src', 'index.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const exportStar: string[] = [];
  for (const s of source.statements) {
    if (!ts.isExportDeclaration(s)) continue;
    if (s.exportClause === undefined || !ts.isNamedExports(s.exportClause)) {
      exportStar.push(s.getText());
      continue;
    }
    names.push(...s.exportClause.elements.map((e) => e.name.text));
  }
  return { names, exportStar };
}

describe('the public surface', () => {
  test('src/index.ts names its exports (no export *), and they are exactly the types of the jsii assembly', () => {
    const { names, exportStar } = indexExports();
    expect(exportStar).toEqual([]);
    expect([...names].sort()).toEqual([...jsiiNames].sort());
  });

  test('what the package exports at run time is part of the jsii assembly', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = Object.keys(require('../../src'));
    expect(runtime.filter((name) => !jsiiNames.has(name))).toEqual([]);
  });

  test.each(INTERNAL_HELPERS)('the internal helper %s is not exported', (name) => {
    expect(indexExports().names).not.toContain(name);
    expect(jsiiNames.has(name)).toBe(false);
  });

  test('no parameter, property or return type is a union', () => {
    expect(typedMembers().filter((m) => hasUnion(m.type)).map((m) => m.where)).toEqual([]);
  });

  test('no string parameter or property is a string-literal union (a discriminator other languages see as `string`)', () => {
    const stringly: string[] = [];
    for (const m of typedMembers()) {
      if (m.type.primitive !== 'string' || m.where.endsWith('returns')) continue;
      const decl = declarationOf(m.owner, m.member);
      if (decl === undefined) continue;
      const source = decl.getSourceFile();
      let typeNode: ts.TypeNode | undefined;
      if (m.parameter !== undefined && (ts.isConstructorDeclaration(decl) || ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl))) {
        typeNode = decl.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === m.parameter)?.type;
      } else if (ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl) || ts.isGetAccessorDeclaration(decl)) {
        typeNode = decl.type;
      }
      if (isStringLiteralSet(typeNode, source)) stringly.push(`${m.where}: ${typeNode!.getText()}`);
    }
    expect(stringly).toEqual([]);
  });

  test('the check above finds a string-literal union where there is one', () => {
    const source = ts.createSourceFile('x.ts', "type Kind = 'A' | 'B'; let a: 'ROOT' | 'SUBORDINATE' | undefined; let b: Kind; let c: string;",
      ts.ScriptTarget.Latest, true);
    const declared = source.statements.filter(ts.isVariableStatement).map((s) => s.declarationList.declarations[0].type);
    expect(declared.map((t) => isStringLiteralSet(t, source))).toEqual([true, true, false]);
  });

  test('each certificate class has its own fromCertificateArn, each CA class its own fromCertificateAuthorityArn; the bases none', () => {
    const owners = (method: string) => types.filter((t) => (t.methods ?? []).some((m) => m.name === method && m.static)).map((t) => t.name).sort();
    expect(owners('fromCertificateArn')).toEqual(['DnsValidatedCertificate', 'ImportedCertificate', 'PrivateCertificate', 'PublicCertificate']);
    expect(owners('fromCertificateAuthorityArn')).toEqual(['RootCa', 'SubordinateCa']);
    const returns = (owner: string, method: string) => assembly.types[`cdk-pki.${owner}`].methods!.find((m) => m.name === method)!.returns!.type.fqn;
    expect(returns('PrivateCertificate', 'fromCertificateArn')).toBe('cdk-pki.IPkiCertificate');
    expect(returns('SubordinateCa', 'fromCertificateAuthorityArn')).toBe('cdk-pki.IPkiCertificateAuthority');
  });

  test('public methods return constructs or interfaces of their own, not aws-cdk-lib L1 classes', () => {
    const l1 = typedMembers().filter((m) => m.where.endsWith('returns') && /\.Cfn[A-Z]\w*$/.test(m.type.fqn ?? ''));
    expect(l1.map((m) => `${m.where} ${m.type.fqn}`)).toEqual([]);
  });
});
