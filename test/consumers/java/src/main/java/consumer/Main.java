package consumer;

import io.github.cdkpki.CaRevocationOptions;
import io.github.cdkpki.CaSubject;
import io.github.cdkpki.CertificateKeyAlgorithm;
import io.github.cdkpki.PrivateCertificate;
import io.github.cdkpki.PublicCertificate;
import io.github.cdkpki.PublicCertificateValidation;
import io.github.cdkpki.RootCa;
import java.util.List;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.route53.PublicHostedZone;

/** Synthesizes a stack with a PublicCertificate, a RootCa and a PrivateCertificate into the directory given as the first argument. */
public final class Main {
  public static void main(final String[] args) {
    App app = new App(AppProps.builder().outdir(args[0]).build());
    Stack stack = new Stack(app, "JavaConsumer");
    PublicHostedZone zone = PublicHostedZone.Builder.create(stack, "Zone").zoneName("example.com").build();
    PublicCertificate.Builder.create(stack, "Cert")
        .domainName("www.example.com")
        .subjectAlternativeNames(List.of("example.com"))
        .validation(PublicCertificateValidation.fromDns(zone))
        .keyAlgorithm(CertificateKeyAlgorithm.EC_PRIME256_V1)
        .build();
    RootCa root = RootCa.Builder.create(stack, "Root")
        .subject(CaSubject.builder().commonName("Java Root").build())
        .revocation(CaRevocationOptions.builder().ocsp(true).build())
        .build();
    PrivateCertificate.Builder.create(stack, "Private")
        .domainName("api.internal")
        .certificateAuthority(root)
        .build();
    app.synth();
  }
}
