import { App, Aspects, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ram from 'aws-cdk-lib/aws-ram';
import { PrivateCertificate } from '../../src/certificates/private-certificate';
import { PublicCertificate } from '../../src/certificates/public-certificate';
import { PkiCostEstimate } from '../../src/common/pki-cost-estimate';
import { CaUsageMode } from '../../src/private-ca/ca-algorithms';
import { PrivateCaHierarchy } from '../../src/private-ca/private-ca-hierarchy';
import { RootCa } from '../../src/private-ca/root-ca';
import { SubordinateCa } from '../../src/private-ca/subordinate-ca';
import {
  costEstimateMessage,
  EXPORTABLE_PUBLIC_FQDN,
  EXPORTABLE_PUBLIC_WILDCARD,
  formatUsd,
  GENERAL_PURPOSE_CA_MONTHLY,
  PRIVATE_CERTIFICATE_TIERS,
  SHORT_LIVED_CA_MONTHLY,
  SHORT_LIVED_CERTIFICATE,
} from '../../src/validation/prices';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function infos(app: App, stackName: string): Array<{ path: string; text: string }> {
  return app.synth().getStackByName(stackName).messages.filter((m) => m.level === 'info').map((m) => ({ path: m.id, text: String(m.entry.data) }));
}

function estimates(app: App, stackName: string): string[] {
  return infos(app, stackName).filter((m) => m.text.startsWith('cdk-pki cost estimate')).map((m) => m.text);
}

function hints(app: App, stackName: string): string[] {
  return infos(app, stackName).filter((m) => m.text.startsWith('cdk-pki cost hint')).map((m) => m.path);
}

function l1Ca(stack: Stack, id: string, usageMode?: string): acmpca.CfnCertificateAuthority {
  return new acmpca.CfnCertificateAuthority(stack, id, {
    type: 'ROOT', keyAlgorithm: 'RSA_2048', signingAlgorithm: 'SHA256WITHRSA', subject: { commonName: id }, usageMode,
  });
}

describe('prices (one table, dated and sourced)', () => {
  test('every price has a source and the date it was read', () => {
    const prices = [GENERAL_PURPOSE_CA_MONTHLY, SHORT_LIVED_CA_MONTHLY, SHORT_LIVED_CERTIFICATE, EXPORTABLE_PUBLIC_FQDN, EXPORTABLE_PUBLIC_WILDCARD];
    for (const p of [...prices, ...PRIVATE_CERTIFICATE_TIERS]) {
      expect(p.source).toMatch(/https:\/\/|AWS Price List/);
      expect(p.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.usd).toBeGreaterThan(0);
    }
  });

  test('formatUsd and the message: 3 general-purpose CAs and 1 short-lived CA are about $1,250 a month', () => {
    expect([formatUsd(1250), formatUsd(0.75), formatUsd(0.058), formatUsd(7)]).toEqual(['$1,250', '$0.75', '$0.058', '$7']);
    const none = { generalPurposeCas: 0, shortLivedCas: 0, exportableCertificates: 0, exportableFqdnNames: 0, exportableWildcardNames: 0 };
    const text = costEstimateMessage({ ...none, generalPurposeCas: 3, shortLivedCas: 1 })!;
    expect(text).toContain('this stack creates 3 general-purpose CAs and 1 short-lived CA: about '
      + `${formatUsd(3 * GENERAL_PURPOSE_CA_MONTHLY.usd + SHORT_LIVED_CA_MONTHLY.usd)} per month before per-certificate charges`);
    expect(text).toContain(`as read on ${GENERAL_PURPOSE_CA_MONTHLY.readOn}`);
    expect(costEstimateMessage(none)).toBeUndefined();
  });
});

describe('PkiCostEstimate: one info annotation per stack', () => {
  const app = new App();
  const pki = new Stack(app, 'Pki', { env: ENV });
  const root = new RootCa(pki, 'Root', { subject: { commonName: 'Root' } });
  new SubordinateCa(pki, 'Issuing', { parent: root, subject: { commonName: 'Issuing' }, usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE });
  l1Ca(pki, 'HandMadeGeneral');
  l1Ca(pki, 'HandMadeShortLived', 'SHORT_LIVED_CERTIFICATE');
  const handOnly = new Stack(app, 'HandOnly', { env: ENV });
  l1Ca(handOnly, 'Ca');
  const web = new Stack(app, 'Web', { env: ENV });
  new PublicCertificate(web, 'Exportable', { domainName: 'a.example.com', subjectAlternativeNames: ['*.example.com', 'b.example.com'], allowExport: true });
  new PublicCertificate(web, 'Plain', { domainName: 'c.example.com' });
  new acm.CfnCertificate(web, 'HandMadeExportable', { domainName: 'd.example.com', certificateExport: 'ENABLED' });
  const nothing = new Stack(app, 'Nothing', { env: ENV });
  new PublicCertificate(nothing, 'Plain', { domainName: 'e.example.com' });
  // Added by hand too: each stack still gets one annotation, and stacks with none of our constructs get one.
  Aspects.of(app).add(new PkiCostEstimate());

  test('CAs of the library and made by hand with L1s are counted by mode, once', () => {
    expect(estimates(app, 'Pki')).toEqual([expect.stringContaining(
      `this stack creates 2 general-purpose CAs and 2 short-lived CAs: about ${formatUsd(2 * 400 + 2 * 50)} per month before per-certificate charges`)]);
    expect(estimates(app, 'HandOnly')).toEqual([expect.stringContaining('this stack creates 1 general-purpose CA: about $400 per month')]);
  });

  test('exportable public certificates: per name, wildcard names at their own price; private and non-exportable ones are free', () => {
    const cost = 3 * EXPORTABLE_PUBLIC_FQDN.usd + EXPORTABLE_PUBLIC_WILDCARD.usd;
    expect(estimates(app, 'Web')).toEqual([expect.stringContaining(
      `this stack requests 2 exportable public certificates (4 names): about ${formatUsd(cost)} at issuance and again at each renewal`)]);
    expect(estimates(app, 'Nothing')).toEqual([]);
  });
});

describe('the short-lived hint', () => {
  function hierarchyApp(configure: (stack: Stack, pki: PrivateCaHierarchy) => void): App {
    const app = new App();
    const stack = new Stack(app, 'Pki', { env: ENV });
    const pki = new PrivateCaHierarchy(stack, 'Pki', {
      root: { id: 'Root', subject: { commonName: 'Root' } },
      issuing: [{ id: 'Servers', subject: { commonName: 'Servers' } }, { id: 'Devices', subject: { commonName: 'Devices' } }],
    });
    configure(stack, pki);
    return app;
  }

  test('a general-purpose issuing CA no ACM certificate comes from gets it; the root and the CA ACM issues from do not', () => {
    const app = hierarchyApp((stack, pki) => {
      const other = new Stack(stack.node.scope!, 'Apps', { env: ENV });
      new PrivateCertificate(other, 'Api', { domainName: 'api.internal', certificateAuthority: pki.issuingCas[0] });
    });
    expect(hints(app, 'Pki')).toEqual(['/Pki/Pki/Devices']);
    expect(infos(app, 'Pki').find((m) => m.path === '/Pki/Pki/Devices')!.text).toContain('usageMode: CaUsageMode.SHORT_LIVED_CERTIFICATE costs about $50 per month');
  });

  test('quiet when an ACM certificate names a CA that cannot be traced, or when the stack shares CAs', () => {
    const untraced = hierarchyApp((stack) => {
      new acm.PrivateCertificate(stack, 'External', {
        domainName: 'x.internal',
        certificateAuthority: acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ext',
          'arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/11111111-2222-3333-4444-555555555555'),
      });
    });
    expect(hints(untraced, 'Pki')).toEqual([]);
    const shared = hierarchyApp((stack, pki) => {
      new ram.CfnResourceShare(stack, 'Share', { name: 'pki', resourceArns: [pki.issuingCas[1].certificateAuthorityArn], principals: ['222222222222'] });
    });
    expect(hints(shared, 'Pki')).toEqual([]);
  });
});
