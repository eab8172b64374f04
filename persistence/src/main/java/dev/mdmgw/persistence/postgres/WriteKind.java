package dev.mdmgw.persistence.postgres;

/** The kinds of write; each kind of a batch runs as its own single statement. Order = run order. */
enum WriteKind {
    AUTHENTICATE("authenticate"),
    TOKEN_UPDATE("token_update"),
    CHECK_OUT("check_out");

    private final String tag;

    WriteKind(String tag) {
        this.tag = tag;
    }

    /** The value of the {@code kind} metric tag. */
    String tag() {
        return tag;
    }
}
