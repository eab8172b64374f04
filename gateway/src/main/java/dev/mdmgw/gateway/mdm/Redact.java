package dev.mdmgw.gateway.mdm;

/** Keeps secrets (unlock and bootstrap tokens, push magic) out of logs that print a message. */
final class Redact {
    private Redact() {
    }

    static String bytes(byte[] value) {
        return value == null ? "null" : "<" + value.length + " bytes>";
    }

    static String secret(String value) {
        return value == null ? "null" : "<redacted>";
    }
}
