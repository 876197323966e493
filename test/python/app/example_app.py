"""The example app of examples/app.ts written in Python against the cdk_pki wheel.

Three stacks, the same construct ids and props as the TypeScript app, so both synthesize the same
templates: WebCertificates (public certificates, grants, expiry alarms, event rules and a
CertificateMonitor), InternalPki (root -> policy -> two issuing CAs with a CRL bucket served
through CloudFront, a PrivateCertificate, a CertificateExport and CRL bucket alarms) and
EdgeDelivery (a DnsValidatedCertificate in us-east-1 for a CloudFront distribution, validated in
two zones, one of them in another account).

Run it as a CDK app: `python -m app.example_app OUTDIR` from test/python.
"""
import sys
from typing import Optional

import aws_cdk as cdk
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from constructs import Construct

import cdk_pki


class WebCertificatesStack(cdk.Stack):
    """The certificates of a small web platform (WebCertificatesStack in examples/app.ts)."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        zone = route53.PublicHostedZone(self, "ExampleZone", zone_name="example.com")
        api_zone = route53.PublicHostedZone(self, "ApiZone", zone_name="api.example.com")

        site = cdk_pki.PublicCertificate(
            self,
            "SiteCertificate",
            domain_name="example.com",
            subject_alternative_names=["*.example.com"],
            validation=cdk_pki.PublicCertificateValidation.from_dns(zone),
        )

        cdk_pki.PublicCertificate(
            self,
            "ApiCertificate",
            domain_name="api.example.com",
            subject_alternative_names=["v1.api.example.com", "status.example.com"],
            validation=cdk_pki.PublicCertificateValidation.from_dns_multi_zone([zone, api_zone]),
            key_algorithm=cdk_pki.CertificateKeyAlgorithm.EC_PRIME256_V1,
        )

        edge = cdk_pki.PublicCertificate(
            self,
            "EdgeHostCertificate",
            domain_name="edge.example.com",
            validation=cdk_pki.PublicCertificateValidation.from_dns(zone),
            allow_export=True,
        )
        exporter = iam.Role(self, "ExporterRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        edge.grant_export(exporter)
        site.grant_read(exporter)

        legacy = cdk_pki.PublicCertificate.from_certificate_arn(
            self,
            "LegacyCertificate",
            "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012",
        )
        cloudwatch.Alarm(
            self,
            "LegacyExpiryAlarm",
            metric=legacy.metric_days_to_expiry(),
            threshold=30,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )
        legacy.on_approaching_expiration("LegacyApproachingExpiration", description="Legacy certificate expires soon")
        site.on_renewal_action_required("SiteRenewalActionRequired")

        cdk_pki.CertificateMonitor(self, "CertificateMonitor", certificates=[site, edge, legacy])

        cdk_pki.PublicCertificate(
            self,
            "MailCertificate",
            domain_name="mail.example.org",
            validation=cdk_pki.PublicCertificateValidation.from_email({"mail.example.org": "example.org"}),
            max_names=10,
        )


class InternalPkiStack(cdk.Stack):
    """A private PKI for internal services (InternalPkiStack in examples/app.ts)."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        pki = cdk_pki.PrivateCaHierarchy(
            self,
            "Pki",
            root=cdk_pki.HierarchyCaOptions(
                id="Root",
                subject=cdk_pki.CaSubject(common_name="Example Corp Root CA", organization="Example Corp", country="US"),
                key_algorithm=cdk_pki.CaKeyAlgorithm.RSA_4096,
            ),
            intermediates=[
                cdk_pki.HierarchyCaOptions(
                    id="Policy",
                    subject=cdk_pki.CaSubject(common_name="Example Corp Policy CA", organization="Example Corp"),
                )
            ],
            issuing=[
                cdk_pki.HierarchyCaOptions(
                    id="ServicesCa",
                    subject=cdk_pki.CaSubject(common_name="Example Corp Services CA", organization="Example Corp"),
                ),
                cdk_pki.HierarchyCaOptions(
                    id="DevicesCa",
                    subject=cdk_pki.CaSubject(common_name="Example Corp Devices CA", organization="Example Corp"),
                    key_algorithm=cdk_pki.CaKeyAlgorithm.EC_PRIME256_V1,
                ),
            ],
            crl_bucket_props=cdk_pki.CrlBucketProps(public_distribution=True),
            tags={"cost-center": "platform"},
        )

        enrollment = iam.Role(self, "DeviceEnrollmentRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
        devices = pki.issuing_cas[1]
        devices.grant_issue_certificate(enrollment, [cdk_pki.CertificateTemplate.END_ENTITY_CLIENT_AUTH])
        devices.grant_get_certificate(enrollment)

        internal_api = cdk_pki.PrivateCertificate(
            self,
            "InternalApiCertificate",
            domain_name="api.internal.example.com",
            certificate_authority=pki.issuing_cas[0],
        )

        exported = cdk_pki.CertificateExport(self, "InternalApiExport", certificate=internal_api)
        exported.grant_read(iam.Role(self, "ApiServerRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com")))

        # The alarm options (CaAlarmOptions) are all optional, so Python leaves them out like TypeScript.
        for ca in [pki.root, *pki.intermediates, *pki.issuing_cas]:
            ca.alarm_misconfigured_crl_bucket("CrlBucketAlarm")


class EdgeDeliveryStack(cdk.Stack):
    """A site served by CloudFront from a stack in eu-west-1 (EdgeDeliveryStack in examples/app.ts)."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)

        zone = route53.HostedZone.from_hosted_zone_attributes(
            self, "Zone", hosted_zone_id="Z0123456789ABCDEFGHIJ", zone_name="example.com"
        )
        partner_zone = route53.HostedZone.from_hosted_zone_attributes(
            self, "PartnerZone", hosted_zone_id="Z0987654321ABCDEFGHIJ", zone_name="example.org"
        )

        certificate = cdk_pki.DnsValidatedCertificate(
            self,
            "CdnCertificate",
            domain_name="www.example.com",
            subject_alternative_names=["www.example.org"],
            region="us-east-1",
            hosted_zones=[
                cdk_pki.DnsValidationZone(hosted_zone=zone),
                cdk_pki.DnsValidationZone(
                    hosted_zone=partner_zone,
                    account="222222222222",
                    role=iam.Role.from_role_arn(self, "PartnerDnsRole", "arn:aws:iam::222222222222:role/dns-validation"),
                    external_id="cdk-pki-example",
                ),
            ],
            validation_timeout=cdk.Duration.minutes(30),
        )

        cloudfront.Distribution(
            self,
            "Cdn",
            default_behavior=cloudfront.BehaviorOptions(origin=origins.HttpOrigin("origin.example.com")),
            domain_names=["www.example.com", "www.example.org"],
            certificate=certificate,
        )


def build_app(outdir: Optional[str] = None) -> cdk.App:
    """Builds the app with the same context, stack ids and environments as buildExampleApp."""
    app = cdk.App(outdir=outdir, context={"aws:cdk:disable-creation-stack-traces": True})
    WebCertificatesStack(app, "WebCertificates", env=cdk.Environment(account="111111111111", region="us-east-1"))
    InternalPkiStack(app, "InternalPki", env=cdk.Environment(account="111111111111", region="eu-west-1"))
    EdgeDeliveryStack(app, "EdgeDelivery", env=cdk.Environment(account="111111111111", region="eu-west-1"))
    return app


if __name__ == "__main__":
    build_app(sys.argv[1] if len(sys.argv) > 1 else None).synth()
