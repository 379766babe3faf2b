package io.vlsuite.media;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a job document as stored.
 *
 * @param json the document (UTF-8 JSON); its schema belongs to the services, this library keeps it opaque
 * @param etag identifies this version for a conditional update
 */
public record JobDocument(String tenant, String id, byte[] json, String etag, Instant lastModified) {

    public JobDocument {
        Objects.requireNonNull(json, "json");
    }

    /** The document as a Jackson tree (a fresh copy on each call, safe to modify). */
    public JsonNode tree() {
        try {
            return JobDocumentStore.JSON.readTree(json);
        } catch (IOException e) {
            throw new MediaStoreException("job document " + tenant + "/" + id + " is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JobDocument other && tenant.equals(other.tenant) && id.equals(other.id)
                && Arrays.equals(json, other.json) && Objects.equals(etag, other.etag)
                && Objects.equals(lastModified, other.lastModified);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tenant, id, Arrays.hashCode(json), etag);
    }

    @Override
    public String toString() {
        return "JobDocument[" + tenant + "/" + id + ", etag=" + etag + ", " + json.length + " bytes]";
    }
}
