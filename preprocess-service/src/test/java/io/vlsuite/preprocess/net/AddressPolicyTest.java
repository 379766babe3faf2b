package io.vlsuite.preprocess.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AddressPolicyTest {

    private final AddressPolicy strict = new AddressPolicy(false, false, List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1",
            "2002:7f00:1::", "169.254.169.254", "fe80::1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "198.18.0.1", "fd00::1", "fc00::1", "ff02::1", "::", "::ffff:10.0.0.1",
            "::ffff:169.254.169.254", "2001:db8::1", "fec0::1"})
    void refusesEveryNonPublicRange(String literal) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(literal))).as(literal).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111",
            "::ffff:8.8.8.8", "169.255.0.1"})
    void acceptsPublicAddresses(String literal) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(literal))).as(literal).isNull();
    }

    @Test
    void loopbackSwitchOpensLoopbackOnlyAndNeverMetadata() throws Exception {
        AddressPolicy loopback = new AddressPolicy(true, false, List.of());
        assertThat(loopback.refusal(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(loopback.refusal(InetAddress.getByName("10.0.0.1"))).isNotNull();
        AddressPolicy privateToo = new AddressPolicy(false, true, List.of());
        assertThat(privateToo.refusal(InetAddress.getByName("10.0.0.1"))).isNull();
        assertThat(privateToo.refusal(InetAddress.getByName("169.254.169.254"))).contains("link-local");
    }

    @Test
    void allowListOpensExactlyItsBlock() throws Exception {
        AddressPolicy policy = new AddressPolicy(false, false, List.of("10.1.2.0/24", "fd12::/16"));
        assertThat(policy.refusal(InetAddress.getByName("10.1.2.200"))).isNull();
        assertThat(policy.refusal(InetAddress.getByName("::ffff:10.1.2.7"))).isNull();
        assertThat(policy.refusal(InetAddress.getByName("10.1.3.1"))).isNotNull();
        assertThat(policy.refusal(InetAddress.getByName("fd12:1::1"))).isNull();
        assertThat(policy.refusal(InetAddress.getByName("fd13::1"))).isNotNull();
    }
}
