"""Smoke test of the Python package built by jsii-pacmak: install the wheel with aws-cdk-lib in a
venv, synthesize a stack with a PublicCertificate and assert on the template."""
import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_route53 as route53

import cdk_pki


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Smoke", env=cdk.Environment(account="111111111111", region="us-east-1"))


def test_public_certificate_synthesizes_from_python():
    stack = _stack()
    zone = route53.PublicHostedZone(stack, "Zone", zone_name="example.com")
    cdk_pki.PublicCertificate(
        stack,
        "Cert",
        domain_name="www.example.com",
        subject_alternative_names=["example.com"],
        validation=cdk_pki.PublicCertificateValidation.from_dns(zone),
        key_algorithm=cdk_pki.CertificateKeyAlgorithm.EC_PRIME256_V1,
    )
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::CertificateManager::Certificate", 1)
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "www.example.com",
            "SubjectAlternativeNames": ["example.com"],
            "ValidationMethod": "DNS",
            "KeyAlgorithm": "EC_prime256v1",
            "DomainValidationOptions": [
                {"DomainName": "www.example.com", "HostedZoneId": {"Ref": assertions.Match.string_like_regexp("^Zone")}},
                {"DomainName": "example.com", "HostedZoneId": {"Ref": assertions.Match.string_like_regexp("^Zone")}},
            ],
        },
    )


def test_bad_input_raises_an_error_that_names_the_value():
    stack = _stack()
    with pytest.raises(Exception) as info:
        cdk_pki.PublicCertificate(stack, "Cert", domain_name="bad..example.com")
    assert "bad..example.com" in str(info.value)
    assert "Smoke/Cert" in str(info.value)


def test_metrics_and_grants_cross_the_language_boundary():
    stack = _stack()
    cert = cdk_pki.PublicCertificate.from_certificate_arn(
        stack, "Imported", "arn:aws:acm:eu-west-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
    )
    metric = cert.metric_days_to_expiry()
    assert metric.region == "eu-west-1"
    assert metric.metric_name == "DaysToExpiry"


def test_private_ca_hierarchy_synthesizes_from_python():
    stack = _stack()
    pki = cdk_pki.PrivateCaHierarchy(
        stack,
        "Pki",
        root=cdk_pki.HierarchyCaOptions(id="Root", subject=cdk_pki.CaSubject(common_name="Python Root")),
        issuing=[
            cdk_pki.HierarchyCaOptions(
                id="Issuing",
                subject=cdk_pki.CaSubject(common_name="Python Issuing"),
                key_algorithm=cdk_pki.CaKeyAlgorithm.EC_PRIME256_V1,
            )
        ],
    )
    cdk_pki.PrivateCertificate(stack, "Cert", domain_name="api.internal", certificate_authority=pki.issuing_cas[0])
    template = assertions.Template.from_stack(stack)
    template.resource_count_is("AWS::ACMPCA::CertificateAuthorityActivation", 2)
    template.resource_count_is("AWS::ACMPCA::Permission", 1)
    template.has_resource_properties("AWS::CertificateManager::Certificate", {"KeyAlgorithm": "EC_prime256v1"})
    assert pki.issuing_cas[0].path_length == 0


def test_ca_imports_and_sharing_cross_the_language_boundary():
    stack = _stack()
    arn = "arn:aws:acm-pca:eu-west-1:111111111111:certificate-authority/12345678-1234-1234-1234-123456789012"
    imported = cdk_pki.SubordinateCa.from_certificate_authority_arn(stack, "Imported", arn)
    assert imported.certificate_authority_arn == arn
    cdk_pki.PrivateCertificate.from_certificate_arn(
        stack, "Cert", "arn:aws:acm:eu-west-1:111111111111:certificate/12345678-1234-1234-1234-123456789012"
    )
    root = cdk_pki.RootCa(stack, "Root", subject=cdk_pki.CaSubject(common_name="Root"))
    share = root.share_with(
        "Share",
        [
            cdk_pki.CaSharePrincipal.account("222222222222"),
            cdk_pki.CaSharePrincipal.organization("arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"),
        ],
    )
    assert share.resource_share.node.path == "Smoke/Root/Share"
    root.allow_acm_renewal().node.add_dependency(share.resource_share)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::RAM::ResourceShare",
        {
            "Principals": ["222222222222", "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5"],
            "AllowExternalPrincipals": True,
        },
    )
    with pytest.raises(Exception) as info:
        root.share_with("Bad", [cdk_pki.CaSharePrincipal.organization("o-a1b2c3d4e5")])
    assert "by its ID: AWS RAM names an organization by its ARN" in str(info.value)


def test_private_ca_errors_cross_the_language_boundary():
    stack = _stack()
    with pytest.raises(Exception) as info:
        cdk_pki.RootCa(
            stack,
            "Root",
            subject=cdk_pki.CaSubject(common_name="Root"),
            key_algorithm=cdk_pki.CaKeyAlgorithm.EC_PRIME256_V1,
            signing_algorithm=cdk_pki.CaSigningAlgorithm.SHA256_WITH_RSA,
        )
    assert "Smoke/Root" in str(info.value)
    assert "SHA256WITHRSA" in str(info.value)
