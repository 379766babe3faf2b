package io.vlsuite.qwen2vl.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request's events as a {@link Flow.Publisher} (Reactor: {@code JdkFlowAdapter.flowPublisherToFlux}). The
 * engine thread only enqueues, never blocks on a slow subscriber: events are buffered (a request produces at most
 * {@code max_tokens + 1} of them) and delivered as the subscriber requests them, on whichever thread requested or
 * produced last. Cancelling the subscription cancels the request, so a client that disconnects frees its KV
 * blocks within one step. One subscriber; {@link EngineEvent.Finished} is followed by {@code onComplete}.
 */
public final class EventStream implements EngineListener, Flow.Publisher<EngineEvent> {

    private final ConcurrentLinkedQueue<EngineEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile Flow.Subscriber<? super EngineEvent> subscriber;
    private volatile boolean cancelled;
    private volatile boolean terminated;
    private volatile Runnable cancelRequest = () -> {
    };

    /** What cancelling the subscription does (normally {@link RequestHandle#cancel()}). */
    void onCancel(Runnable action) {
        this.cancelRequest = action;
    }

    @Override
    public void onEvent(EngineEvent event) {
        if (!cancelled) {
            queue.add(event);
            drain();
        }
    }

    @Override
    public void subscribe(Flow.Subscriber<? super EngineEvent> s) {
        if (!subscribed.compareAndSet(false, true)) {
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("an engine event stream takes one subscriber"));
            return;
        }
        subscriber = s;
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    cancelled = true;
                    terminated = true;
                    cancelRequest.run();
                    s.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                    return;
                }
                requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
                drain();
            }

            @Override
            public void cancel() {
                if (!cancelled) {
                    cancelled = true;
                    queue.clear();
                    if (!terminated) {
                        cancelRequest.run();
                    }
                }
            }
        });
        drain();
    }

    /** Delivers queued events while there is demand; one thread at a time, the others leave work for it. */
    private void drain() {
        if (drainers.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            Flow.Subscriber<? super EngineEvent> s = subscriber;
            if (s != null) {
                while (!cancelled && !terminated && requested.get() > 0) {
                    EngineEvent event = queue.poll();
                    if (event == null) {
                        break;
                    }
                    requested.decrementAndGet();
                    s.onNext(event);
                    if (event instanceof EngineEvent.Finished) {
                        terminated = true;
                        s.onComplete();
                    }
                }
            }
            missed = drainers.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }
}
