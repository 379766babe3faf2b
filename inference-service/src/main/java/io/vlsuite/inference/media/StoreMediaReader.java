package io.vlsuite.inference.media;

import io.vlsuite.inference.engine.InferenceException;
import io.vlsuite.media.MediaStore;
import io.vlsuite.media.MediaStoreException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads media through {@link MediaStore}. Only the two key shapes preprocess-service writes are accepted, so a job
 * record can never make a worker read an arbitrary object.
 */
public final class StoreMediaReader implements MediaReader {

    private static final Pattern IMAGE = Pattern.compile("media/([0-9a-f]{64})\\.png");
    private static final Pattern FRAME = Pattern.compile("video/([0-9a-f]{64})/frame-(\\d{5})\\.png");

    private final MediaStore store;

    public StoreMediaReader(MediaStore store) {
        this.store = store;
    }

    @Override
    public byte[] read(String key) {
        try {
            Matcher image = IMAGE.matcher(key == null ? "" : key);
            if (image.matches()) {
                return store.getImage(image.group(1));
            }
            Matcher frame = FRAME.matcher(key == null ? "" : key);
            if (frame.matches()) {
                return store.getFrame(frame.group(1), Integer.parseInt(frame.group(2)));
            }
        } catch (MediaStoreException.NotFound e) {
            throw new InferenceException("media_not_found", "stored media " + key + " does not exist (expired?)", false, e);
        } catch (MediaStoreException e) {
            throw new InferenceException("storage_unavailable", "cannot read media " + key + ": " + e.getMessage(), true, e);
        }
        throw new InferenceException("invalid_media_key", "not a stored image or video frame key: " + key, false);
    }
}
