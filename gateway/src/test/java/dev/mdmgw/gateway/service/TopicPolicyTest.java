package dev.mdmgw.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"com.example.push", "com.apple.mgmt.", "com.apple.mgmtX.External.1", " com.apple.mgmt.x"})
    void onlyMdmTopicsAreServed(String topic) {
        assertThatThrownBy(() -> new TopicPolicy(Set.of()).check(topic))
                .isInstanceOfSatisfying(CheckinRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(403))
                .hasMessageContaining("com.apple.mgmt.");
    }

    @Test
    void anyMdmTopicWhenNoneAreListed() {
        assertThatCode(() -> new TopicPolicy(Set.of()).check("com.apple.mgmt.External.1")).doesNotThrowAnyException();
    }

    @Test
    void onlyTheListedTopicsWhenSomeAre() {
        TopicPolicy policy = new TopicPolicy(Set.of("com.apple.mgmt.a"));
        assertThatCode(() -> policy.check("com.apple.mgmt.a")).doesNotThrowAnyException();
        assertThatThrownBy(() -> policy.check("com.apple.mgmt.b"))
                .isInstanceOfSatisfying(CheckinRejectedException.class,
                        e -> assertThat(e.status()).isEqualTo(403));
    }
}
