package io.vlsuite.media.s3;

import java.util.List;

/**
 * One page of a listing in key order.
 *
 * @param nextStartAfter key to pass as {@code startAfter} for the next page; {@code null} when this is the last page
 */
public record ObjectPage(List<ListedObject> objects, String nextStartAfter) {

    public ObjectPage {
        objects = List.copyOf(objects);
    }
}
