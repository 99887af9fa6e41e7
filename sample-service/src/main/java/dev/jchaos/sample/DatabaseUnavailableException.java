package dev.jchaos.sample;

/** The order database failed a query; answered with {@code 503}. */
public final class DatabaseUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what was being done; @param cause the JDBC failure */
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
