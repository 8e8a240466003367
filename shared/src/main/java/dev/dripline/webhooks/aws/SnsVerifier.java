package dev.dripline.webhooks.aws;

import dev.dripline.errors.Refused;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * SNS message signatures: SignatureVersion 1 (SHA1withRSA) or 2 (SHA256withRSA) over the
 * canonical string, checked with the certificate at SigningCertURL, which must be https on an
 * SNS host ({@code sns.<region>.amazonaws.com[.cn]}); only topics we were told to trust. The
 * certificate is trusted because it came over TLS from AWS's own host; it is cached by URL.
 */
public final class SnsVerifier {

    static final Pattern SNS_HOST = Pattern.compile("^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$");

    private final List<String> topicArns;
    private final CertificateFetcher fetcher;
    private final Map<URI, X509Certificate> certificates = new ConcurrentHashMap<>();

    public SnsVerifier(List<String> topicArns, CertificateFetcher fetcher) {
        this.topicArns = List.copyOf(topicArns);
        this.fetcher = fetcher;
    }

    /** True for an https URL on an SNS host, with no user info and the default port. */
    public static boolean isSnsUrl(String url) {
        if (url == null) {
            return false;
        }
        try {
            URI u = new URI(url);
            return "https".equals(u.getScheme()) && u.getHost() != null && u.getRawUserInfo() == null
                    && (u.getPort() == -1 || u.getPort() == 443) && SNS_HOST.matcher(u.getHost()).matches();
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** The envelope, if it is from an accepted topic and signed by SNS; else {@link Refused}. */
    public SnsEnvelope verified(String body) {
        if (topicArns.isEmpty()) {
            throw new Refused("AWS SNS webhooks are not configured (DRIPLINE_AWS_SNS_TOPIC_ARNS)");
        }
        SnsEnvelope envelope;
        try {
            envelope = SnsEnvelope.parse(body);
        } catch (RuntimeException malformed) {
            throw new Refused("not an SNS message");
        }
        if (envelope.topicArn() == null || !topicArns.contains(envelope.topicArn())) {
            throw new Refused("SNS topic not accepted (DRIPLINE_AWS_SNS_TOPIC_ARNS)");
        }
        String type = envelope.type();
        if (!SnsEnvelope.NOTIFICATION.equals(type) && !SnsEnvelope.SUBSCRIPTION_CONFIRMATION.equals(type)
                && !SnsEnvelope.UNSUBSCRIBE_CONFIRMATION.equals(type)) {
            throw new Refused("unknown SNS message type");
        }
        String algorithm = "1".equals(envelope.signatureVersion()) ? "SHA1withRSA"
                : "2".equals(envelope.signatureVersion()) ? "SHA256withRSA" : null;
        if (algorithm == null || envelope.signature() == null) {
            throw new Refused("missing or unknown SNS SignatureVersion");
        }
        if (!isSnsUrl(envelope.signingCertUrl())) {
            throw new Refused("SigningCertURL is not an https SNS URL");
        }
        try {
            X509Certificate certificate = certificate(URI.create(envelope.signingCertUrl()));
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(envelope.canonical().getBytes(StandardCharsets.UTF_8));
            if (!verifier.verify(Base64.getDecoder().decode(envelope.signature()))) {
                throw new Refused("wrong SNS signature");
            }
        } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
            throw new Refused("SNS signature could not be verified");
        }
        return envelope;
    }

    private X509Certificate certificate(URI url) throws IOException, GeneralSecurityException {
        X509Certificate cached = certificates.get(url);
        if (cached != null) {
            cached.checkValidity();
            return cached;
        }
        byte[] pem = fetcher.get(url);
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
        certificate.checkValidity();
        certificates.put(url, certificate);
        return certificate;
    }

    /** Confirms a verified subscription by GETting its SubscribeURL (https, an SNS host). */
    public void confirm(SnsEnvelope envelope) {
        if (!isSnsUrl(envelope.subscribeUrl())) {
            throw new Refused("SubscribeURL is not an https SNS URL");
        }
        try {
            fetcher.get(URI.create(envelope.subscribeUrl()));
        } catch (IOException e) {
            // SNS resends the confirmation: answering 5xx lets it try again.
            throw new IllegalStateException("confirming the SNS subscription failed: " + e.getMessage(), e);
        }
    }
}
