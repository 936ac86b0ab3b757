package dev.strata.cli;

/** The engine cannot be opened (not built in, or its storage refused to open); serve exits with a message. */
public final class EngineUnavailableException extends RuntimeException {
    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
