package dev.jchaos.sample;

/**
 * A downstream service (inventory or pricing) could not answer in time or at all; answered with {@code 503}.
 */
public final class DownstreamUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the call failed; the wire form is {@link #code()}. */
    public enum Reason {
        /** The time limiter or the HTTP client gave up waiting. */
        TIMEOUT,
        /** The connection could not be made or was reset. */
        CONNECTION,
        /** The downstream answered with an error status or a body that could not be read. */
        BAD_RESPONSE,
        /** The bulkhead was full: too many calls already in progress. */
        BULKHEAD_FULL,
        /** The circuit breaker is open after too many failures. */
        CIRCUIT_OPEN;

        /** The lower-case form used in JSON error bodies, such as {@code timeout}. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final String downstream;
    private final Reason reason;

    /**
     * @param downstream which service failed, such as {@code inventory}
     * @param reason     why
     * @param detail     a human-readable detail
     * @param cause      the underlying failure, or null
     */
    public DownstreamUnavailableException(String downstream, Reason reason, String detail, Throwable cause) {
        super(downstream + " unavailable (" + reason.code() + "): " + detail, cause);
        this.downstream = downstream;
        this.reason = reason;
    }

    /** Which downstream failed. */
    public String downstream() {
        return downstream;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }
}
