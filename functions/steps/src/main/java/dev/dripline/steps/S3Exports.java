package dev.dripline.steps;

import dev.dripline.migrations.pinpoint.PinpointFile;
import dev.dripline.migrations.pinpoint.PinpointJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The Pinpoint export files under an S3 prefix (every object, in key order), recognised by content. */
final class S3Exports implements Function<PinpointJobs.Request, List<PinpointFile>> {

    private final S3Client s3;

    S3Exports(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public List<PinpointFile> apply(PinpointJobs.Request request) {
        List<PinpointFile> files = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(request.bucket()).prefix(request.prefix())).contents()) {
            if (o.key().endsWith("/")) {
                continue;
            }
            byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(request.bucket()).key(o.key())).asByteArray();
            files.add(PinpointFile.recognise(o.key(), bytes));
        }
        return files;
    }
}
