package io.vlsuite.media.embedded;

import java.io.InputStream;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes {@code If-Match} PUTs atomic on S3Proxy's filesystem/in-memory stores.
 *
 * <p>S3Proxy 4.1.0 enforces {@code If-None-Match: *} inside the store (atomically, with a hard link), but
 * {@code If-Match} only by reading the current ETag in the HTTP handler before writing: two writers holding the
 * same ETag can both pass that check and the later write silently overwrites the earlier one, a lost update that
 * MinIO and S3 never allow. This wrapper re-checks {@code If-Match} and writes while holding a per-key lock, so
 * the embedded server keeps the compare-and-set guarantee the job documents rely on.
 */
final class SerializedWritesBlobStore extends ForwardingBlobStore {

    private static final int STRIPES = 64;
    private final Object[] locks = new Object[STRIPES];

    SerializedWritesBlobStore(BlobStore delegate) {
        super(delegate);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        synchronized (lockFor(request.bucket(), request.key())) {
            String ifMatch = request.ifMatch();
            if (ifMatch != null) {
                HeadObjectResponse current = delegate().blobMetadataIfPresent(request.bucket(), request.key());
                if (current == null || !("*".equals(ifMatch.trim()) || unquote(ifMatch).equals(unquote(current.eTag())))) {
                    throw S3Exceptions.fromStatusCode(412);
                }
            }
            return super.putBlob(request, content);
        }
    }

    private Object lockFor(String bucket, String key) {
        return locks[Math.floorMod((bucket + '/' + key).hashCode(), STRIPES)];
    }

    private static String unquote(String etag) {
        if (etag == null) {
            return "";
        }
        String e = etag.trim();
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}
