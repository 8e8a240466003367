package dev.dripline.webhooks;

import dev.dripline.config.Env;
import dev.dripline.config.Secret;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Provider webhook credentials. Each is optional: a provider whose credential is absent has its
 * webhooks refused (403), never accepted unverified.
 *
 * @param twilioAuthToken        DRIPLINE_TWILIO_AUTH_TOKEN (X-Twilio-Signature, HMAC-SHA1)
 * @param plivoAuthToken         DRIPLINE_PLIVO_AUTH_TOKEN (X-Plivo-Signature-V3, HMAC-SHA256)
 * @param telnyxPublicKey        DRIPLINE_TELNYX_PUBLIC_KEY (base64 Ed25519 public key; not a secret)
 * @param vonageSignatureSecret  DRIPLINE_VONAGE_SIGNATURE_SECRET (signed webhooks)
 * @param vonageSignatureMethod  DRIPLINE_VONAGE_SIGNATURE_METHOD: md5hash (default), md5, sha1, sha256, sha512
 * @param awsTopicArns           DRIPLINE_AWS_SNS_TOPIC_ARNS: the SNS topics whose deliveries are accepted
 */
public record WebhookSecrets(Optional<Secret> twilioAuthToken, Optional<Secret> plivoAuthToken, Optional<String> telnyxPublicKey,
                             Optional<Secret> vonageSignatureSecret, String vonageSignatureMethod, List<String> awsTopicArns) {

    public static WebhookSecrets from(Env env) {
        return new WebhookSecrets(env.secret("DRIPLINE_TWILIO_AUTH_TOKEN"), env.secret("DRIPLINE_PLIVO_AUTH_TOKEN"),
                env.optional("DRIPLINE_TELNYX_PUBLIC_KEY"), env.secret("DRIPLINE_VONAGE_SIGNATURE_SECRET"),
                env.string("DRIPLINE_VONAGE_SIGNATURE_METHOD", "md5hash").trim().toLowerCase(Locale.ROOT),
                env.list("DRIPLINE_AWS_SNS_TOPIC_ARNS", ""));
    }
}
