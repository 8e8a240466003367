package dev.dripline.steps;

import dev.dripline.config.Env;
import dev.dripline.migrations.pinpoint.PinpointFile;
import dev.dripline.migrations.pinpoint.PinpointJobs;
import dev.dripline.providers.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Pinpoint export files under an S3 prefix (every object, in key order, through every page of
 * the listing), recognised by content: a gzip'd endpoints file is told by its bytes, not its name
 * or its Content-Encoding.
 */
final class S3Exports implements Function<PinpointJobs.Request, List<PinpointFile>> {

    private final S3Client s3;

    S3Exports(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * The client as the imports function builds it: the URL-connection HTTP client, the region
     * from AWS_REGION, and DRIPLINE_S3_ENDPOINT (as DRIPLINE_DYNAMODB_ENDPOINT and
     * DRIPLINE_SQS_ENDPOINT do) pointing it at an S3-compatible service, path-style, since such
     * services rarely resolve bucket sub-domains.
     */
    static S3ClientBuilder builder(Map<String, String> variables) {
        Env env = Env.of(variables);
        S3ClientBuilder builder = S3Client.builder().region(Region.of(ProviderSettings.region(env)))
                .httpClient(UrlConnectionHttpClient.create());
        env.optionalUri("DRIPLINE_S3_ENDPOINT").ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return builder;
    }

    @Override
    public List<PinpointFile> apply(PinpointJobs.Request request) {
        String bucket = request.bucket();
        List<PinpointFile> files = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(request.prefix())).contents()) {
            if (o.key().endsWith("/") && o.size() != null && o.size() == 0) {
                continue; // a "folder" the console made
            }
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(r -> r.bucket(bucket).key(o.key()))) {
                files.add(PinpointFile.recognise(o.key(), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read s3://" + bucket + "/" + o.key() + ": " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no object under s3://" + bucket + "/" + request.prefix()
                    + ": is the prefix the one CreateExportJob's S3UrlPrefix named (keys are case-sensitive)?");
        }
        return files;
    }
}
