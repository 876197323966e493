module consumer

go 1.25

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.258.0
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk-pki/cdk-pki-go/cdkpki v0.0.0
)

replace github.com/cdk-pki/cdk-pki-go/cdkpki => ../../../dist/go/cdkpki
