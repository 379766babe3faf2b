package io.vlsuite.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vlsuite.gateway.support.Downstream;
import io.vlsuite.gateway.support.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Authentication end to end: the gateway on loopback with configured keys (plaintext, SHA-256, revoked), a
 * mounted key file, and JWTs checked against a JWKS served by a loopback server with a freshly generated RSA key.
 */
class AuthenticationTest {

    static final String PLAIN_KEY = "sk-plain-0123456789abcdef0123";
    static final String HASHED_KEY = "sk-hashed-0123456789abcdef0123";
    static final String REVOKED_KEY = "sk-revoked-0123456789abcdef01";
    static final String FILE_KEY = "sk-file-0123456789abcdef012345";
    static final String FILE_KEY_2 = "sk-file2-0123456789abcdef01234";
    static final String ISSUER = "https://issuer.example.com";
    static final String AUDIENCE = "vlsuite-api";

    @TempDir
    static Path dir;
    static Path keyFile;
    static Downstream downstream;
    static Downstream jwksServer;
    static final AtomicInteger jwksFetches = new AtomicInteger();
    static RSAKey signingKey;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        String jwks = new JWKSet(signingKey.toPublicJWK()).toString();
        jwksServer = Downstream.start().on("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            Downstream.respond(exchange, 200, "application/json", jwks);
        });
        keyFile = dir.resolve("keys.yaml");
        Files.writeString(keyFile, "api-keys:\n  - id: file-key\n    key-sha256: " + sha256(FILE_KEY) + "\n    tenant: filetenant\n");

        downstream = Downstream.start();
        gateway = TestGateway.start(downstream.uri(),
                "vlsuite.gateway.api-keys[0].key=" + PLAIN_KEY,
                "vlsuite.gateway.api-keys[0].tenant=default",
                "vlsuite.gateway.api-keys[1].key-sha256=" + sha256(HASHED_KEY).toUpperCase(),
                "vlsuite.gateway.api-keys[1].tenant=acme",
                "vlsuite.gateway.api-keys[2].key=" + REVOKED_KEY,
                "vlsuite.gateway.api-keys[2].tenant=acme",
                "vlsuite.gateway.api-keys[2].revoked=true",
                "vlsuite.gateway.api-keys-file=" + keyFile,
                "vlsuite.gateway.api-keys-file-check-interval=100ms",
                "vlsuite.gateway.jwt.jwk-set-uri=" + jwksServer.uri() + "/jwks",
                "vlsuite.gateway.jwt.issuer=" + ISSUER,
                "vlsuite.gateway.jwt.audiences=" + AUDIENCE,
                "vlsuite.gateway.jwt.tenant-claim=org",
                "vlsuite.gateway.rate-limit.enabled=false");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        downstream.close();
        jwksServer.close();
    }

    // --- API keys ---

    @Test
    void acceptsAPlaintextConfiguredKeyAsBearerAndPassesTheTenantDownstream() {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + PLAIN_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        Downstream.Received seen = downstream.last();
        assertThat(seen.header("X-Vlsuite-Tenant")).isEqualTo("default");
        // The secret stays at the edge.
        assertThat(seen.hasHeader("Authorization")).isFalse();
    }

    @Test
    void acceptsAKeyConfiguredAsSha256ViaXApiKey() {
        var response = gateway.get("/v1/models", "X-API-Key", HASHED_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(downstream.last().header("X-Vlsuite-Tenant")).isEqualTo("acme");
        assertThat(downstream.last().hasHeader("X-API-Key")).isFalse();
    }

    @Test
    void ignoresAForgedTenantHeader() {
        int before = downstream.received().size();
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + PLAIN_KEY, "X-Vlsuite-Tenant", "acme",
                "x-vlsuite-tenant", "acme2", "X-Vlsuite-Principal", "admin");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(downstream.received()).hasSize(before + 1);
        assertThat(downstream.last().headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("X-Vlsuite-Tenant")).findFirst().orElseThrow().getValue())
                .containsExactly("default");
        assertThat(downstream.last().hasHeader("X-Vlsuite-Principal")).isFalse();
    }

    @Test
    void stripsAForgedTenantHeaderOnPublicRoutesToo() {
        var response = gateway.get("/v3/api-docs", "X-Vlsuite-Tenant", "acme");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(downstream.last().path()).isEqualTo("/v3/api-docs");
        assertThat(downstream.last().hasHeader("X-Vlsuite-Tenant")).isFalse();
    }

    @Test
    void missingCredentialsAre401WithABearerChallenge() {
        int before = downstream.received().size();
        var response = gateway.get("/v1/chat/completions");
        assertUnauthorized(response, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"vlsuite\"");
        assertThat(downstream.received()).hasSize(before);
    }

    @Test
    void unknownKeyIsInvalidApiKey() {
        var response = gateway.get("/v1/models", "Authorization", "Bearer sk-nobody-knows-this-key");
        assertUnauthorized(response, "invalid_api_key");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(gateway.metrics()).contains("vlsuite_gateway_problems_total{code=\"invalid_api_key\",status=\"401\"}");
    }

    @Test
    void revokedKeyIsRefused() {
        assertUnauthorized(gateway.get("/v1/models", "Authorization", "Bearer " + REVOKED_KEY), "api_key_revoked");
    }

    @Test
    void basicAuthIsNotAccepted() {
        assertUnauthorized(gateway.get("/v1/models", "Authorization", "Basic dXNlcjpwYXNz"), "unauthorized");
    }

    @Test
    void keyFileIsLoadedAtStartAndReloadedWhenItChanges() throws Exception {
        var first = gateway.get("/v1/models", "Authorization", "Bearer " + FILE_KEY);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(downstream.last().header("X-Vlsuite-Tenant")).isEqualTo("filetenant");

        // Rotate: revoke the first key, add a second (JSON this time).
        Path next = dir.resolve("keys.json.tmp");
        Files.writeString(next, """
                [{"id": "file-key", "key-sha256": "%s", "tenant": "filetenant", "revoked": true},
                 {"key-sha256": "%s", "tenant": "other"}]
                """.formatted(sha256(FILE_KEY), sha256(FILE_KEY_2)));
        Files.move(next, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        long deadline = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> afterRotation;
        do {
            Thread.sleep(50);
            afterRotation = gateway.get("/v1/models", "Authorization", "Bearer " + FILE_KEY);
        } while (afterRotation.statusCode() == 200 && System.nanoTime() < deadline);
        assertUnauthorized(afterRotation, "api_key_revoked");
        assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + FILE_KEY_2).statusCode()).isEqualTo(200);
        assertThat(downstream.last().header("X-Vlsuite-Tenant")).isEqualTo("other");
        // Configured keys are untouched by the file.
        assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + PLAIN_KEY).statusCode()).isEqualTo(200);

        // A broken file keeps the last good keys.
        Files.writeString(keyFile, "api-keys: [ {tenant: ");
        Thread.sleep(400);
        assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + FILE_KEY_2).statusCode()).isEqualTo(200);
    }

    // --- JWT ---

    @Test
    void validJwtAuthenticatesAsTheTenantInItsClaim() throws Exception {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey, claims().build()),
                "X-Vlsuite-Tenant", "default");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(downstream.last().header("X-Vlsuite-Tenant")).isEqualTo("tenant-from-jwt");
        assertThat(downstream.last().hasHeader("Authorization")).isFalse();
    }

    @Test
    void jwksIsCachedAcrossRequests() throws Exception {
        gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey, claims().build()));
        int fetches = jwksFetches.get();
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey, claims().build()))
                    .statusCode()).isEqualTo(200);
        }
        assertThat(jwksFetches.get()).isEqualTo(fetches);
    }

    @Test
    void expiredJwtIsInvalid() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey,
                claims().issueTime(java.util.Date.from(past.minusSeconds(60))).expirationTime(java.util.Date.from(past)).build()));
        assertUnauthorized(response, "invalid_token");
        assertThat(TestGateway.json(response.body()).get("detail").asString()).isEqualTo("token expired");
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"invalid_token\"").contains("token expired");
    }

    @Test
    void jwtForAnotherAudienceIsInvalid() throws Exception {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey, claims().audience("other-api").build()));
        assertUnauthorized(response, "invalid_token");
        assertThat(TestGateway.json(response.body()).get("detail").asString()).isEqualTo("audience not accepted");
    }

    @Test
    void jwtWithoutAudienceIsInvalid() throws Exception {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey, claims().audience((String) null).build()));
        assertUnauthorized(response, "invalid_token");
    }

    @Test
    void jwtFromAnotherIssuerIsInvalid() throws Exception {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey, claims().issuer("https://evil.example").build()));
        assertUnauthorized(response, "invalid_token");
    }

    @Test
    void jwtSignedWithAnUnknownKeyIdIsInvalid() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k-unknown").generate();
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt(stranger, claims().build()));
        assertUnauthorized(response, "invalid_token");
    }

    @Test
    void jwtWithTheRightKeyIdButAForgedSignatureIsInvalid() throws Exception {
        RSAKey forger = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertUnauthorized(gateway.get("/v1/models", "Authorization", "Bearer " + jwt(forger, claims().build())), "invalid_token");
    }

    @Test
    void jwtWithoutTheTenantClaimIsInvalid() throws Exception {
        var response = gateway.get("/v1/models", "Authorization", "Bearer " + jwt(signingKey, claims().claim("org", null).build()));
        assertUnauthorized(response, "invalid_token");
    }

    @Test
    void unsignedAndHmacJwtsAreInvalid() throws Exception {
        String none = new PlainJWT(claims().build()).serialize();
        assertUnauthorized(gateway.get("/v1/models", "Authorization", "Bearer " + none), "invalid_token");

        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
        hmac.sign(new MACSigner(new byte[32]));
        assertUnauthorized(gateway.get("/v1/models", "Authorization", "Bearer " + hmac.serialize()), "invalid_token");
    }

    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .subject("user-42")
                .claim("org", "tenant-from-jwt")
                .issueTime(java.util.Date.from(now))
                .expirationTime(java.util.Date.from(now.plusSeconds(300)));
    }

    static String jwt(RSAKey key, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    static void assertUnauthorized(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
        var problem = TestGateway.json(response.body());
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("status").asInt()).isEqualTo(401);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
    }

    static String sha256(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
