package dev.mdmgw.gateway.service.org;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * New object ids: 24 hex characters (CONTRACT.md), 4 bytes of seconds then 8 random bytes, so
 * ids sort roughly by creation and cannot be guessed.
 */
public final class ObjectIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private ObjectIds() {
    }

    public static String next() {
        byte[] id = new byte[12];
        int seconds = (int) (System.currentTimeMillis() / 1000);
        id[0] = (byte) (seconds >>> 24);
        id[1] = (byte) (seconds >>> 16);
        id[2] = (byte) (seconds >>> 8);
        id[3] = (byte) seconds;
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        System.arraycopy(random, 0, id, 4, 8);
        return HEX.formatHex(id);
    }
}
