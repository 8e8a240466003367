package dev.dripline.audience;

import dev.dripline.config.Env;
import dev.dripline.config.Secret;
import java.util.Optional;

/**
 * Contacts at scale: erasure, imports.
 *
 * @param suppressionSalt  DRIPLINE_SUPPRESSION_SALT: the secret key of the HMAC-SHA256 that
 *                         keeps an erased number only as a hash on the suppression list; absent,
 *                         erasure is refused (409) and nothing is ever found suppressed
 * @param importsQueueUrl  DRIPLINE_IMPORTS_QUEUE_URL: where CSV imports are queued in chunks of rows
 * @param importMaxBytes   DRIPLINE_IMPORT_MAX_BYTES: the largest CSV body accepted (default 50 MB)
 * @param requestMaxBytes  DRIPLINE_REQUEST_MAX_BYTES: the largest body of every other route (default 64 KB)
 */
public record AudienceSettings(Optional<Secret> suppressionSalt, String importsQueueUrl, long importMaxBytes, long requestMaxBytes) {

    public static final long DEFAULT_IMPORT_MAX_BYTES = 50L * 1024 * 1024;
    public static final long DEFAULT_REQUEST_MAX_BYTES = 64L * 1024;

    public static AudienceSettings from(Env env) {
        return new AudienceSettings(env.secret("DRIPLINE_SUPPRESSION_SALT"),
                env.string("DRIPLINE_IMPORTS_QUEUE_URL", ""),
                env.integer("DRIPLINE_IMPORT_MAX_BYTES", (int) DEFAULT_IMPORT_MAX_BYTES, 1, Integer.MAX_VALUE),
                env.integer("DRIPLINE_REQUEST_MAX_BYTES", (int) DEFAULT_REQUEST_MAX_BYTES, 1, Integer.MAX_VALUE));
    }

    /** The salt's value, where the HMAC is computed. */
    public Optional<String> salt() {
        return suppressionSalt.map(Secret::reveal);
    }
}
