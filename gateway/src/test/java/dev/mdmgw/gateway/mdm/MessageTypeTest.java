package dev.mdmgw.gateway.mdm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageTypeTest {

    @ParameterizedTest
    @EnumSource(MessageType.class)
    void wireNameRoundTrips(MessageType type) {
        assertThat(MessageType.fromWireName(type.wireName())).isSameAs(type);
    }

    @Test
    void wireNamesAreTheSchemaRequestTypes() {
        assertThat(MessageType.TOKEN_UPDATE.wireName()).isEqualTo("TokenUpdate");
        assertThat(MessageType.DECLARATIVE_MANAGEMENT.wireName()).isEqualTo("DeclarativeManagement");
        assertThat(MessageType.fromWireName("tokenupdate")).isNull();
        assertThat(MessageType.fromWireName(null)).isNull();
    }
}
