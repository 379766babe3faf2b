package io.vlsuite.media.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.vlsuite.media.MediaStoreException;
import io.vlsuite.media.s3.ListedObject;
import io.vlsuite.media.s3.ObjectPage;
import io.vlsuite.media.s3.S3ObjectStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-side stand-in for bucket lifecycle on servers that lack it (S3Proxy in the standalone mode): lists each
 * rule's prefix and deletes objects older than the rule's days. Like server-side lifecycle it is eventual (runs
 * periodically) and decides by last-modified time. Not used against MinIO or S3, which expire objects themselves.
 */
public final class ExpirySweeper {

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);
    private static final int PAGE = 500;

    private final S3ObjectStorage storage;
    private final LifecyclePlan plan;
    private final Clock clock;

    public ExpirySweeper(S3ObjectStorage storage, LifecyclePlan plan, Clock clock) {
        this.storage = storage;
        this.plan = plan;
        this.clock = clock;
    }

    /** Sweeps the given buckets once. @return number of objects deleted */
    public int sweep(Iterable<String> buckets) {
        int deleted = 0;
        Instant now = clock.instant();
        for (String bucket : buckets) {
            for (ExpiryRule rule : plan.rules(bucket)) {
                if (rule.expireDays() != null) {
                    deleted += sweepPrefix(bucket, rule.prefix(), now.minus(Duration.ofDays(rule.expireDays())));
                }
            }
        }
        return deleted;
    }

    /** Sweeps every bucket whose lifecycle state says the server does not expire objects itself. */
    public int sweepUnsupported(Map<String, LifecycleState> states) {
        List<String> buckets = states.entrySet().stream()
                .filter(e -> e.getValue().outcome() == LifecycleState.Outcome.UNSUPPORTED)
                .map(Map.Entry::getKey).toList();
        return buckets.isEmpty() ? 0 : sweep(buckets);
    }

    private int sweepPrefix(String bucket, String prefix, Instant cutoff) {
        int deleted = 0;
        String after = null;
        do {
            ObjectPage page = storage.list(bucket, prefix, after, PAGE);
            for (ListedObject o : page.objects()) {
                if (o.lastModified() != null && o.lastModified().isBefore(cutoff)) {
                    try {
                        storage.delete(bucket, o.key());
                        deleted++;
                    } catch (MediaStoreException.NotFound e) {
                        // Someone else removed it meanwhile.
                    }
                }
            }
            after = page.nextStartAfter();
        } while (after != null);
        if (deleted > 0) {
            log.info("expired {} object(s) under {}/{} older than {}", deleted, bucket, prefix, cutoff);
        }
        return deleted;
    }
}
