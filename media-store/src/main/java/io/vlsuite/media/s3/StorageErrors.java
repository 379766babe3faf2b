package io.vlsuite.media.s3;

import java.io.IOException;
import java.util.Set;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.ServerException;
import io.vlsuite.media.MediaStoreException;

/** Maps MinIO client failures to the typed {@link MediaStoreException}s; only {@code Unavailable} is retried. */
final class StorageErrors {

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchBucket", "NotFound", "NoSuchObject");
    /* 409 ConditionalRequestConflict: AWS S3's answer when two conditional writes race on one key. */
    private static final Set<String> PRECONDITION = Set.of("PreconditionFailed", "ConditionalRequestConflict");
    private static final Set<String> TRANSIENT =
            Set.of("SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout", "RequestTimeTooSkewed",
                    "XMinioServerNotInitialized");

    private StorageErrors() {
    }

    static MediaStoreException translate(String operation, String target, Throwable failure) {
        String what = operation + " " + target;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MediaStoreException mse) {
                return mse;
            }
            if (t instanceof ErrorResponseException e) {
                return fromErrorResponse(what, e);
            }
            if (t instanceof ServerException e) {
                return e.statusCode() >= 500
                        ? new MediaStoreException.Unavailable(what + ": server error " + e.statusCode(), e)
                        : new MediaStoreException(what + ": " + e.getMessage(), e);
            }
            if (t instanceof InvalidResponseException e) {
                // Not an S3 answer at all: typically a load balancer or proxy error page in front of the storage.
                return new MediaStoreException.Unavailable(what + ": unexpected response: " + e.getMessage(), e);
            }
            if (t instanceof IOException e) {
                // Connection refused/reset, timeouts (SocketTimeoutException, InterruptedIOException from callTimeout).
                return new MediaStoreException.Unavailable(what + ": " + describe(e), e);
            }
        }
        return new MediaStoreException(what + ": " + failure, failure);
    }

    private static MediaStoreException fromErrorResponse(String what, ErrorResponseException e) {
        String code = e.errorResponse() == null ? "" : String.valueOf(e.errorResponse().code());
        int status = e.response() == null ? -1 : e.response().code();
        String detail = what + ": " + code + (status > 0 ? " (HTTP " + status + ")" : "");
        if (NOT_FOUND.contains(code) || status == 404) {
            return new MediaStoreException.NotFound(detail);
        }
        if (PRECONDITION.contains(code) || status == 412) {
            return new MediaStoreException.PreconditionFailed(detail, e);
        }
        if ("NotImplemented".equals(code) || status == 501) {
            return new MediaStoreException.Unsupported(detail, e);
        }
        if (TRANSIENT.contains(code) || status >= 500 || status == 429) {
            return new MediaStoreException.Unavailable(detail, e);
        }
        return new MediaStoreException(detail + ": " + (e.errorResponse() == null ? "" : e.errorResponse().message()), e);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
