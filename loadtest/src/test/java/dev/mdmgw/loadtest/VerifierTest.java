package dev.mdmgw.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifierTest {
    private static final String UDID = "LOADTEST-000000000";
    private final RequestCatalog catalog = new RequestCatalog(AuthMode.NONE, null, "com.apple.mgmt.External.t", Set.of(), 3);
    private int nextVariant;

    private Device device() {
        return new Device(0, UDID, catalog.prepare(UDID, 0, null));
    }

    /** A different TokenUpdate of the device at each call. */
    private CheckinRequest tokenUpdate() {
        return catalog.request(MessageType.TOKEN_UPDATE, UDID, 0, nextVariant++, null);
    }

    private static String stored(CheckinRequest r) {
        return "{\"status\":true,\"data\":{\"pushMagic\":\"" + r.pushMagic() + "\",\"token\":\"" + r.tokenHex().toUpperCase() + "\"}}";
    }

    private static String outcome(Device d, int status, String body) {
        return Verifier.judge(d, status, body).outcome().name();
    }

    @Test
    void theLastAcknowledgedWriteIsExpected() {
        Device d = device();
        CheckinRequest first = tokenUpdate();
        CheckinRequest second = tokenUpdate();
        d.tokenUpdateAnswered(first, 200);
        d.tokenUpdateAnswered(second, 200);

        assertThat(outcome(d, 200, stored(second))).contains("OK");
        assertThat(outcome(d, 200, stored(first))).contains("STALE");
        assertThat(outcome(d, 404, "")).contains("LOST");
        assertThat(outcome(d, 200, "{\"status\":true,\"data\":{\"pushMagic\":null}}")).contains("LOST");
        assertThat(outcome(d, 500, "oops")).contains("UNREADABLE");
    }

    @Test
    void aLaterWriteThatMayHaveCommittedIsNotStale() {
        Device d = device();
        CheckinRequest acked = tokenUpdate();
        CheckinRequest timedOut = tokenUpdate();
        CheckinRequest refused = tokenUpdate();
        d.tokenUpdateAnswered(acked, 200);
        d.tokenUpdateAnswered(timedOut, 503);
        d.tokenUpdateAnswered(refused, 400); // a 4xx never commits

        assertThat(outcome(d, 200, stored(timedOut))).contains("UNACKNOWLEDGED");
        assertThat(outcome(d, 200, stored(refused))).contains("STALE");
        assertThat(outcome(d, 200, stored(acked))).contains("OK");
    }

    @Test
    void aVariantIsRebuiltWithTheSameValuesAndVariantsDiffer() {
        CheckinRequest a = catalog.request(MessageType.TOKEN_UPDATE, UDID, 0, 1, null);
        Device d = device();
        d.tokenUpdateAnswered(a, 200);
        CheckinRequest again = d.lastAcknowledged(); // rebuilt from the variant number
        assertThat(again.pushMagic()).isEqualTo(a.pushMagic());
        assertThat(again.tokenHex()).isEqualTo(a.tokenHex());
        assertThat(again.body()).isEqualTo(a.body());
        CheckinRequest other = catalog.request(MessageType.TOKEN_UPDATE, UDID, 0, 2, null);
        assertThat(other.pushMagic()).isNotEqualTo(a.pushMagic());
        assertThat(other.tokenHex()).isNotEqualTo(a.tokenHex());
        CheckinRequest otherDevice = catalog.request(MessageType.TOKEN_UPDATE, "LOADTEST-000000001", 1, 1, null);
        assertThat(otherDevice.pushMagic()).isNotEqualTo(a.pushMagic());
        CheckinRequest otherRun = new RequestCatalog(AuthMode.NONE, null, "com.apple.mgmt.External.t", Set.of(), 3)
                .request(MessageType.TOKEN_UPDATE, UDID, 0, 1, null);
        assertThat(otherRun.pushMagic()).isNotEqualTo(a.pushMagic());
    }

    @Test
    void mixAndDurationsParse() {
        Mix mix = Mix.parse("tokenupdate=80, authenticate=5,checkout=0,getbootstraptoken");
        assertThat(mix.weights()).isEqualTo(Map.of(MessageType.TOKEN_UPDATE, 80, MessageType.AUTHENTICATE, 5,
                MessageType.GET_BOOTSTRAP_TOKEN, 1));
        LoadtestCommand.DurationConverter d = new LoadtestCommand.DurationConverter();
        assertThat(d.convert("30s").toMillis()).isEqualTo(30_000);
        assertThat(d.convert("2m").toMillis()).isEqualTo(120_000);
        assertThat(d.convert("500ms").toMillis()).isEqualTo(500);
        assertThat(d.convert("45").toMillis()).isEqualTo(45_000);
    }

    @Test
    void badOptionsExitWithTwo() {
        assertThat(LoadtestCommand.run("--rate", "10", "--connections", "4", "--auth", "none")).isEqualTo(2);
        assertThat(LoadtestCommand.run("--auth", "signature")).isEqualTo(2); // no CA
        assertThat(LoadtestCommand.run("--auth", "none", "--verify")).isEqualTo(2); // no admin key
        assertThat(LoadtestCommand.run("--auth", "none", "--token-variants", "64")).isEqualTo(2); // past the variant bits
        assertThat(LoadtestCommand.run("--auth", "none", "--mix", "tokenupdate=1,bogus=2")).isEqualTo(2);
    }
}
