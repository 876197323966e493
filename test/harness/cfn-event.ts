import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** A pre-signed response URL that must never be logged; tests grep logs for its token. */
export const SECRET_RESPONSE_URL = 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/SECRET-PRESIGNED-TOKEN';

/** What differs between the custom-resource events of the handler tests. */
export interface CfnEventOptions {
  readonly resourceType: string;
  readonly logicalId: string;
  readonly props: Record<string, unknown>;
  readonly physicalId?: string;
  /** Old properties of an Update. @default {} */
  readonly oldProps?: Record<string, unknown>;
}

/** A CloudFormation custom-resource event as the Provider framework hands it to our handlers. */
export function cfnEvent(requestType: 'Create' | 'Update' | 'Delete', o: CfnEventOptions): CloudFormationCustomResourceEvent {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    ResponseURL: SECRET_RESPONSE_URL,
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
    RequestId: 'req-1',
    LogicalResourceId: o.logicalId,
    ResourceType: o.resourceType,
    ResourceProperties: { ServiceToken: 'x', ...o.props },
    ...(o.physicalId === undefined ? {} : { PhysicalResourceId: o.physicalId }),
    ...(requestType === 'Update' ? { OldResourceProperties: o.oldProps ?? {} } : {}),
  } as CloudFormationCustomResourceEvent;
}
