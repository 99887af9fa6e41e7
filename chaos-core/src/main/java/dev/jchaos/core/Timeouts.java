package dev.jchaos.core;

/**
 * Where timeouts are counted. Woven points and Resilience4j time limiters report here on their own; anything else
 * (an HTTP client, a JDBC query) can report its outcomes under a source name of its choice.
 */
public interface Timeouts {

    /**
     * Records one finished call.
     *
     * @param source   where the call was made, such as {@code http:inventory}
     * @param timedOut whether it ended in a timeout
     */
    void record(String source, boolean timedOut);

    /** Timeouts recorded for {@code source} since start. */
    long timeouts(String source);

    /** Finished calls recorded for {@code source} since start. */
    long calls(String source);

    /** Timeouts divided by finished calls for {@code source} over the last 60 seconds; 0 when there were none. */
    double rate(String source);
}
