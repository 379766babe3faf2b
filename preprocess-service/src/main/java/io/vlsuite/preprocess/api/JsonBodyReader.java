package io.vlsuite.preprocess.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.problem.ApiException;
import io.vlsuite.preprocess.problem.ErrorCodes;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a JSON request body with a byte cap that holds for chunked bodies too (a gateway's size filter only sees
 * {@code Content-Length}), and turns every parse failure into a 400 instead of a 500.
 */
@Component
public class JsonBodyReader {

    private final long maxBytes;

    public JsonBodyReader(PreprocessProperties properties) {
        this.maxBytes = properties.limits().maxBodyBytes();
    }

    /** The raw body bytes (for fingerprints) and the parsed tree. */
    public record Body(byte[] bytes, JsonNode json) {
    }

    public Body read(HttpServletRequest request) {
        requireJson(request.getContentType());
        if (request.getContentLengthLong() > maxBytes) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = readCapped(in);
        } catch (IOException e) {
            throw new ApiException(400, ErrorCodes.INVALID_REQUEST, "could not read the request body");
        }
        try {
            return new Body(bytes, Json.API.readTree(bytes));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ApiException(400, ErrorCodes.INVALID_REQUEST, "the body is not valid JSON" + where);
        } catch (IOException e) {
            throw new ApiException(400, ErrorCodes.INVALID_REQUEST, "the body is not valid JSON");
        }
    }

    private byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int read; (read = in.read(buffer)) != -1; ) {
            total += read;
            if (total > maxBytes) {
                throw tooLarge();
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private ApiException tooLarge() {
        return new ApiException(413, ErrorCodes.REQUEST_TOO_LARGE, "the request body exceeds " + maxBytes + " bytes");
    }

    private static void requireJson(String contentType) {
        if (contentType == null) {
            return;   // curl --data-binary and some SDKs omit it; the body still has to parse as JSON
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (RuntimeException e) {
            throw unsupported(contentType);
        }
        boolean json = "application".equals(type.getType())
                && ("json".equals(type.getSubtype()) || type.getSubtype().endsWith("+json"));
        if (!json) {
            throw unsupported(contentType);
        }
    }

    private static ApiException unsupported(String contentType) {
        return new ApiException(415, ErrorCodes.UNSUPPORTED_CONTENT_TYPE, "Content-Type '"
                + (contentType.length() > 80 ? contentType.substring(0, 80) : contentType)
                + "' is not supported; send application/json");
    }
}
