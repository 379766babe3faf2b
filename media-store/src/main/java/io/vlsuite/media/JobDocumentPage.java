package io.vlsuite.media;

import java.time.Instant;
import java.util.List;

/**
 * One page of a tenant's job documents, in id order.
 *
 * @param nextAfterId pass as {@code afterId} to get the next page; {@code null} on the last page
 */
public record JobDocumentPage(List<Entry> items, String nextAfterId) {

    public JobDocumentPage {
        items = List.copyOf(items);
    }

    /** A listed document (listing does not return bodies). */
    public record Entry(String tenant, String id, String etag, long size, Instant lastModified) {
    }
}
