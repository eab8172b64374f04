package dev.mdmgw.gateway.http;

/** Too many request bytes are held already: shed this one with 503. */
final class BodyBudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyBudgetExceededException() {
        super("request bodies in memory are at their bound", null, false, false);
    }
}
