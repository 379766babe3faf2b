package io.vlsuite.preprocess.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataUrlsTest {

    @Test
    void decodesStrictBase64() {
        byte[] bytes = {1, 2, 3, 4, 5};
        String url = "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
        assertThat(DataUrls.decode(url, "image", 100)).containsExactly(bytes);
        assertThat(DataUrls.decode("DATA:IMAGE/JPEG;BASE64,AAEC", "image", 100)).containsExactly(0, 1, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data:image/png;base64,AA*C", "data:image/png;base64,AAE",
            "data:image/png;base64,AA EC", "data:image/png;base64,AA-_", "data:image/png;base64,AAEC\n",
            "data:image/png,AAEC", "data:image/png;base64", "data:image/png;base64,"})
    void refusesAnythingButPaddedStandardBase64(String url) {
        assertThatThrownBy(() -> DataUrls.decode(url, "image", 100))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_data_url");
                    assertThat(e.status()).isEqualTo(400);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"data:text/html;base64,AAEC", "data:image/svg+xml;base64,AAEC",
            "data:video/mp4;base64,AAEC", "data:application/octet-stream;base64,AAEC"})
    void refusesTypesOtherThanImagesForImageParts(String url) {
        assertThatThrownBy(() -> DataUrls.decode(url, "image", 100))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("unsupported_media_type");
                    assertThat(e.status()).isEqualTo(415);
                });
    }

    @Test
    void sizeIsCheckedFromTheLengthBeforeDecoding() {
        // Invalid base64 after a valid-length prefix: if it were decoded first, the error would be invalid_data_url.
        String payload = "A".repeat(4000) + "*A==";
        assertThatThrownBy(() -> DataUrls.decode("data:image/png;base64," + payload, "image", 2000))
                .isInstanceOfSatisfying(MediaIntakeException.class, e -> {
                    assertThat(e.code()).isEqualTo("media_too_large");
                    assertThat(e.status()).isEqualTo(413);
                });
        // Exactly at the limit passes: 8 chars with one '=' decode to 5 bytes.
        assertThat(DataUrls.decode("data:image/png;base64,AAECAwQ=", "image", 5)).hasSize(5);
        assertThatThrownBy(() -> DataUrls.decode("data:image/png;base64,AAECAwQ=", "image", 4))
                .hasFieldOrPropertyWithValue("code", "media_too_large");
    }
}
