package io.vlsuite.preprocess.webhook;

import io.vlsuite.preprocess.config.PreprocessProperties;
import io.vlsuite.preprocess.problem.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookTargetGuardTest {

    static WebhookTargetGuard guard(boolean allowLoopback, boolean allowPrivate) {
        var source = new MapConfigurationPropertySource(Map.of("vlsuite.preprocess.model-id", "m",
                "vlsuite.preprocess.webhooks.allow-loopback", String.valueOf(allowLoopback),
                "vlsuite.preprocess.webhooks.allow-private", String.valueOf(allowPrivate)));
        return new WebhookTargetGuard(new Binder(source).bind("vlsuite.preprocess", PreprocessProperties.class).get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://localhost/hook",
            "http://[::ffff:127.0.0.1]/hook"})
    void loopbackOnlyWhenConfigured(String url) {
        assertThatThrownBy(() -> guard(false, false).check(url)).isInstanceOf(ApiException.class)
                .extracting(e -> ((ApiException) e).code()).isEqualTo("webhook_url_forbidden");
        assertThat(guard(true, false).check(url).toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://172.16.5.4/",
            "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/",
            "http://[::ffff:10.0.0.1]/", "http://224.0.0.1/"})
    void privateLinkLocalUlaAndCgnatTargetsAreRefusedEvenWithLoopbackAllowed(String url) {
        assertThatThrownBy(() -> guard(true, false).check(url)).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://[fd00::1]/"})
    void privateTargetsWhenExplicitlyAllowed(String url) {
        assertThat(guard(false, true).check(url)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/"})
    void linkLocalIsRefusedEvenWithPrivateTargetsAllowed(String url) {
        assertThatThrownBy(() -> guard(true, true).check(url)).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://93.184.215.14/", "file:///etc/passwd", "http://user:pw@93.184.215.14/", "gopher://x/",
            "http:///nohost", "::::"})
    void onlyPlainHttpUrlsWithAHost(String url) {
        assertThatThrownBy(() -> guard(true, true).check(url)).isInstanceOf(ApiException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.215.14/hook", "http://8.8.8.8:8443/x?y=1"})
    void publicAddressesPass(String url) {
        assertThat(guard(false, false).check(url).toString()).isEqualTo(url);
    }
}
