package io.vlsuite.gateway.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.vlsuite.gateway.config.RateLimitProperties;
import io.vlsuite.gateway.config.RateLimitProperties.TenantLimits;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Token buckets in Redis, shared by all gateway instances: one Lua script reads, refills and takes atomically,
 * with Redis' own clock so instances with skewed clocks agree. Lettuce is used directly (not Spring Data Redis,
 * whose Boot auto-configuration would reach into the other services of a standalone JVM).
 * <p>
 * This class never waits for Redis: while it is not connected, or a call fails or takes longer than the timeout,
 * the returned Mono fails fast and {@link FallbackRateLimiter} decides. Connecting is retried in the background
 * at most every {@code reconnect-backoff}.
 */
public class RedisRateLimiter implements RateLimiter, AutoCloseable {

    private static final String SCRIPT = loadScript();

    private final RateLimitProperties.Redis config;
    private final RedisClient client;
    private final String scriptSha;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile long nextConnectAttempt;

    public RedisRateLimiter(RateLimitProperties.Redis config) {
        this.config = config;
        this.client = RedisClient.create(RedisURI.create(config.uri()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while disconnected instead of queueing: the fallback answers in the meantime.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
                .build());
        this.scriptSha = sha1Hex(SCRIPT);
        this.nextConnectAttempt = System.nanoTime();
        connectInBackground();
    }

    @Override
    public Mono<RateLimitDecision> tryConsume(String tenant, TenantLimits limits) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            connectInBackground();
            return Mono.error(new RedisUnavailableException("not connected to Redis"));
        }
        String[] keys = {config.keyPrefix() + "{" + tenant + "}"};
        String[] args = {Double.toString(limits.requestsPerSecond()), Integer.toString(limits.burst())};
        return Mono.fromCompletionStage(() -> c.async().<List<Object>>evalsha(scriptSha, ScriptOutputType.MULTI, keys, args))
                .onErrorResume(RedisNoScriptException.class,
                        e -> Mono.fromCompletionStage(() -> c.async().<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args)))
                .timeout(config.timeout())
                .map(reply -> RateLimitDecision.of(((Long) reply.get(0)) == 1L,
                        Double.parseDouble(String.valueOf(reply.get(1))), limits.requestsPerSecond(), limits.burst()));
    }

    private void connectInBackground() {
        long now = System.nanoTime();
        if (now - nextConnectAttempt < 0 || !connecting.compareAndSet(false, true)) {
            return;
        }
        nextConnectAttempt = now + config.reconnectBackoff().toNanos();
        client.connectAsync(StringCodec.UTF8, RedisURI.create(config.uri())).whenComplete((c, error) -> {
            if (error == null) {
                connection = c;
            }
            connecting.set(false);
        });
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** Thrown while no connection to Redis is established. */
    public static class RedisUnavailableException extends RuntimeException {
        RedisUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    private static String loadScript() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("token_bucket.lua")) {
            if (in == null) {
                throw new IllegalStateException("token_bucket.lua missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
