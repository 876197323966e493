"""The Python example app (app/example_app.py) against the cdk_pki wheel: it synthesizes the same
templates and the same warnings as the TypeScript example app (examples/app.ts), and the templates
hold the PKI the example describes.

The TypeScript side is synthesized by `examples/run.ts` (ts-node, from the repository) into a
temporary directory, or read from CDK_PKI_TS_EXAMPLE_OUT when that names a synthesized one."""
import json
import os
import pathlib
import subprocess
from collections import Counter

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

import cdk_pki
from app.example_app import build_app

REPO = pathlib.Path(__file__).resolve().parents[2]
STACKS = ["WebCertificates", "InternalPki", "EdgeDelivery"]


@pytest.fixture(scope="module")
def python_out(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("python-example")
    build_app(str(out)).synth()
    return out


@pytest.fixture(scope="module")
def typescript_out(tmp_path_factory) -> pathlib.Path:
    given = os.environ.get("CDK_PKI_TS_EXAMPLE_OUT")
    if given and all((pathlib.Path(given) / f"{s}.template.json").is_file() for s in STACKS):
        return pathlib.Path(given)
    out = tmp_path_factory.mktemp("typescript-example")
    subprocess.run(
        ["npx", "ts-node", "--project", "test/tsconfig.json", "examples/run.ts"],
        cwd=REPO,
        env={**os.environ, "CDK_PKI_EXAMPLE_OUT": str(out)},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def _template(out: pathlib.Path, stack: str) -> dict:
    return json.loads((out / f"{stack}.template.json").read_text())


def _findings(out: pathlib.Path, stack: str) -> list:
    """The warnings and errors the constructs reported, by construct path (no stack traces)."""
    metadata = json.loads((out / f"{stack}.metadata.json").read_text())
    return sorted(
        (path, entry["type"], entry["data"])
        for path, entries in metadata.items()
        for entry in entries
        if entry["type"] in ("aws:cdk:warning", "aws:cdk:error")
    )


def _types(template: dict) -> Counter:
    return Counter(r["Type"] for r in template["Resources"].values())


@pytest.mark.parametrize("stack", STACKS)
def test_python_app_synthesizes_the_same_template_as_the_typescript_example(python_out, typescript_out, stack):
    python, typescript = _template(python_out, stack), _template(typescript_out, stack)
    assert _types(python) == _types(typescript)
    differing = sorted(
        k
        for k in set(python["Resources"]) | set(typescript["Resources"])
        if python["Resources"].get(k) != typescript["Resources"].get(k)
    )
    # Asset hashes differ too when assets/ was bundled again after the wheel was built.
    assert differing == [], f"resources that differ from the TypeScript example: {differing}"
    assert python == typescript


@pytest.mark.parametrize("stack", STACKS)
def test_python_app_reports_the_same_findings_as_the_typescript_example(python_out, typescript_out, stack):
    assert _findings(python_out, stack) == _findings(typescript_out, stack)


def test_web_certificates_stack(python_out):
    template = assertions.Template.from_json(_template(python_out, "WebCertificates"))
    counts = _types(_template(python_out, "WebCertificates"))
    assert counts["AWS::CertificateManager::Certificate"] == 4
    assert counts["AWS::Route53::HostedZone"] == 2
    assert counts["AWS::SNS::Topic"] == 1
    # The names of ApiCertificate go to the zone with the longest matching suffix.
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": "api.example.com",
            "KeyAlgorithm": "EC_prime256v1",
            "DomainValidationOptions": [
                {"DomainName": "api.example.com", "HostedZoneId": {"Ref": assertions.Match.string_like_regexp("^ApiZone")}},
                {"DomainName": "v1.api.example.com", "HostedZoneId": {"Ref": assertions.Match.string_like_regexp("^ApiZone")}},
                {"DomainName": "status.example.com", "HostedZoneId": {"Ref": assertions.Match.string_like_regexp("^ExampleZone")}},
            ],
        },
    )
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate", {"DomainName": "edge.example.com", "CertificateExport": "ENABLED"}
    )
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate", {"DomainName": "mail.example.org", "ValidationMethod": "EMAIL"}
    )
    # CertificateMonitor: one DaysToExpiry alarm per monitored certificate, sent to its KMS-encrypted topic.
    monitor_alarms = template.find_resources(
        "AWS::CloudWatch::Alarm",
        {"Properties": {"MetricName": "DaysToExpiry", "AlarmActions": [{"Ref": assertions.Match.string_like_regexp("^CertificateMonitorTopic")}]}},
    )
    assert len(monitor_alarms) == 3
    template.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": assertions.Match.any_value()})


def test_internal_pki_stack(python_out):
    raw = _template(python_out, "InternalPki")
    template = assertions.Template.from_json(raw)
    counts = _types(raw)
    assert counts["AWS::ACMPCA::CertificateAuthority"] == 4
    assert counts["AWS::ACMPCA::CertificateAuthorityActivation"] == 4
    assert counts["AWS::ACMPCA::Certificate"] == 4
    assert counts["AWS::CertificateManager::Certificate"] == 1
    assert counts["Custom::CdkPkiCertificateExport"] == 1
    assert counts["AWS::S3::Bucket"] == 1
    assert counts["AWS::CloudFront::Distribution"] == 1
    assert counts["AWS::ACMPCA::Permission"] >= 1

    cas = {r["Properties"]["Subject"]["CommonName"]: r["Properties"] for r in raw["Resources"].values() if r["Type"] == "AWS::ACMPCA::CertificateAuthority"}
    assert cas["Example Corp Root CA"]["Type"] == "ROOT"
    assert cas["Example Corp Root CA"]["KeyAlgorithm"] == "RSA_4096"
    assert cas["Example Corp Devices CA"]["KeyAlgorithm"] == "EC_prime256v1"
    for name, props in cas.items():
        assert props["Type"] == ("ROOT" if name == "Example Corp Root CA" else "SUBORDINATE")
        # Every CA publishes its CRL to the hierarchy's bucket, served through CloudFront.
        crl = props["RevocationConfiguration"]["CrlConfiguration"]
        assert crl["Enabled"] is True
        assert crl["S3BucketName"]["Ref"].startswith("PkiCrlBucket")
        assert {"Key": "cost-center", "Value": "platform"} in props["Tags"]

    # The chain: each activation of a subordinate carries its parent's chain.
    activations = {k: v["Properties"] for k, v in raw["Resources"].items() if v["Type"] == "AWS::ACMPCA::CertificateAuthorityActivation"}
    chains = {k: p.get("CertificateChain", {}).get("Fn::GetAtt", [None])[0] for k, p in activations.items()}
    assert chains[next(k for k in chains if k.startswith("PkiRootActivation"))] is None
    assert chains[next(k for k in chains if k.startswith("PkiPolicyActivation"))].startswith("PkiRootActivation")
    assert chains[next(k for k in chains if k.startswith("PkiServicesCaActivation"))].startswith("PkiPolicyActivation")
    assert chains[next(k for k in chains if k.startswith("PkiDevicesCaActivation"))].startswith("PkiPolicyActivation")

    # The private certificate is issued by the services CA once it is active, and exported.
    template.has_resource_properties(
        "AWS::CertificateManager::Certificate",
        {"DomainName": "api.internal.example.com", "CertificateAuthorityArn": {"Ref": assertions.Match.string_like_regexp("^PkiServicesCaActivation")}},
    )
    template.has_resource_properties(
        "Custom::CdkPkiCertificateExport", {"CertificateArn": {"Ref": assertions.Match.string_like_regexp("^InternalApiCertificate")}}
    )
    # One MisconfiguredCRLBucket alarm per CA.
    assert len(template.find_resources("AWS::CloudWatch::Alarm", {"Properties": {"MetricName": "MisconfiguredCRLBucket"}})) == 4


def test_edge_delivery_stack(python_out):
    template = assertions.Template.from_json(_template(python_out, "EdgeDelivery"))
    # The certificate is requested in CloudFront's region from a stack in eu-west-1, and its names
    # are validated in two zones, the second through a role of the DNS account.
    template.resource_count_is("Custom::CdkPkiDnsValidatedCertificate", 1)
    template.has_resource_properties(
        "Custom::CdkPkiDnsValidatedCertificate",
        {
            "DomainName": "www.example.com",
            "SubjectAlternativeNames": ["www.example.org"],
            "Region": "us-east-1",
            "Validation": [
                {"DomainName": "www.example.com", "HostedZoneId": "Z0123456789ABCDEFGHIJ"},
                {
                    "DomainName": "www.example.org",
                    "HostedZoneId": "Z0987654321ABCDEFGHIJ",
                    "RoleArn": "arn:aws:iam::222222222222:role/dns-validation",
                    "ExternalId": "cdk-pki-example",
                },
            ],
            "ValidationTimeoutSeconds": "1800",
        },
    )
    template.has_resource_properties(
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": {
                "Aliases": ["www.example.com", "www.example.org"],
                "ViewerCertificate": {"AcmCertificateArn": {"Ref": assertions.Match.string_like_regexp("^CdnCertificate")}},
            }
        },
    )


def test_crl_bucket_alarm_options_are_optional_from_python():
    """TypeScript callers may leave out the options of alarmMisconfiguredCrlBucket; Python callers
    must be able to as well (a jsii struct parameter with required fields makes them required)."""
    stack = cdk.Stack(cdk.App(), "Alarm")
    ca = cdk_pki.RootCa(stack, "Root", subject=cdk_pki.CaSubject(common_name="Alarm Root"))
    ca.alarm_misconfigured_crl_bucket("CrlBucketAlarm")
    # Any single option may be given on its own as a keyword; the others keep their defaults.
    ca.alarm_misconfigured_crl_bucket("StrictAlarm", evaluation_periods=3)
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm", {"MetricName": "MisconfiguredCRLBucket", "Threshold": 1, "EvaluationPeriods": 1}
    )
    template.has_resource_properties(
        "AWS::CloudWatch::Alarm", {"MetricName": "MisconfiguredCRLBucket", "Threshold": 1, "EvaluationPeriods": 3}
    )
