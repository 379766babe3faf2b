package io.vlsuite.gateway.config;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad gateway settings stop the start with a message that names what is wrong. */
class PropertiesValidationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ApiKeyProperties.class, JwtProperties.class, RateLimitProperties.class, LimitsProperties.class})
    static class Props {
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Props.class);

    @Test
    void theStandaloneLauncherShapeBinds() {
        runner.withPropertyValues("vlsuite.gateway.api-keys[0].key=vls-abc", "vlsuite.gateway.api-keys[0].tenant=default")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    var key = context.getBean(ApiKeyProperties.class).apiKeys().getFirst();
                    assertThat(key.key()).isEqualTo("vls-abc");
                    assertThat(key.tenant()).isEqualTo("default");
                    assertThat(key.revoked()).isFalse();
                });
    }

    @Test
    void aKeyNeedsATenantAndExactlyOneSecret() {
        runner.withPropertyValues("vlsuite.gateway.api-keys[0].key=k").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("apiKeys[0].tenant"));
        runner.withPropertyValues("vlsuite.gateway.api-keys[0].key=k", "vlsuite.gateway.api-keys[0].key-sha256=" + "a".repeat(64),
                "vlsuite.gateway.api-keys[0].tenant=t").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("exactly one"));
        runner.withPropertyValues("vlsuite.gateway.api-keys[0].key-sha256=abc", "vlsuite.gateway.api-keys[0].tenant=t").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("64 hex digits"));
        runner.withPropertyValues("vlsuite.gateway.api-keys[0].key=k", "vlsuite.gateway.api-keys[0].tenant=a b").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("apiKeys[0].tenant"));
    }

    @Test
    void jwtNeedsIssuerAndAudienceOnceEnabled() {
        runner.withPropertyValues("vlsuite.gateway.jwt.jwk-set-uri=https://login.example.com/jwks",
                "vlsuite.gateway.jwt.issuer=https://login.example.com").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("audiences are required"));
        runner.withPropertyValues("vlsuite.gateway.jwt.issuer=ignored-while-disabled").run(context ->
                assertThat(context).hasNotFailed());
    }

    @Test
    void limitsMustBePositive() {
        runner.withPropertyValues("vlsuite.gateway.rate-limit.burst=0").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("rate-limit' on field 'burst"));
        runner.withPropertyValues("vlsuite.gateway.rate-limit.tenants.acme.requests-per-second=-1").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("tenants[acme].requestsPerSecond"));
    }
}
