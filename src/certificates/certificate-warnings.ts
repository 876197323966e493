import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Warns on a public certificate whose Certificate Transparency logging is off. Internal (not
 * exported from the package index); shared by the public-certificate constructs.
 */
export function warnIfTransparencyLoggingOff(scope: IConstruct, transparencyLogging: boolean | undefined): void {
  if (transparencyLogging !== false) {
    return;
  }
  Annotations.of(scope).addWarningV2(
    'cdk-pki:transparency-logging-disabled',
    'Certificate Transparency logging is off: Chrome, Safari and other browsers distrust public certificates that are not logged, ' +
      'and ACM no longer honours the opt-out for new public certificates. Leave transparencyLogging on unless every client is under your control.',
  );
}

/**
 * The CT logging preference to render: `ENABLED` for `true`, `DISABLED` for `false`, nothing when not given
 * (ACM's default, logged), as aws-cdk-lib's `acm.Certificate` renders `transparencyLoggingEnabled`.
 */
export function renderTransparencyLogging(transparencyLogging: boolean | undefined): 'ENABLED' | 'DISABLED' | undefined {
  if (transparencyLogging === undefined) {
    return undefined;
  }
  return transparencyLogging ? 'ENABLED' : 'DISABLED';
}
