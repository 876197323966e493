import { Stack, Token } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ZoneCandidate } from '../validation/public-certificate-rules';

/**
 * What can be known of a hosted zone at synth time: its name (undefined for a zone imported by ID
 * only, or a token) and whether it is private (only for zones created in the app).
 */
export function describeZone(zone: route53.IHostedZone): ZoneCandidate<route53.IHostedZone> {
  let zoneName: string | undefined;
  try {
    zoneName = zone.zoneName;
  } catch {
    // HostedZone.fromHostedZoneId() throws when the name is read: it is simply unknown.
    zoneName = undefined;
  }
  if (zoneName !== undefined && Token.isUnresolved(zoneName)) {
    zoneName = undefined;
  }
  return { zoneName, isPrivate: isPrivateZone(zone), zone };
}

function isPrivateZone(zone: route53.IHostedZone): boolean {
  if (zone instanceof route53.PrivateHostedZone) {
    return true;
  }
  const cfn = zone.node.defaultChild;
  if (cfn instanceof route53.CfnHostedZone) {
    const vpcs = Stack.of(zone).resolve(cfn.vpcs);
    return Array.isArray(vpcs) && vpcs.length > 0;
  }
  return false;
}
