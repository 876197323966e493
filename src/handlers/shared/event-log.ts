import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * What is safe to log about any CloudFormation custom-resource event: its type and resource IDs plus the CA it
 * names, never the ResponseURL or the whole event. Handlers add their own safe fields.
 */
export function describeCfnEvent(event: CloudFormationCustomResourceEvent): Record<string, unknown> {
  return {
    requestType: event.RequestType,
    logicalResourceId: event.LogicalResourceId,
    physicalResourceId: 'PhysicalResourceId' in event ? event.PhysicalResourceId : undefined,
    certificateAuthorityArn: event.ResourceProperties?.CertificateAuthorityArn,
  };
}
