package dev.strata.filter;

/** A where or where_document clause is malformed; the message says which and why. */
public class InvalidFilterException extends IllegalArgumentException {
    public InvalidFilterException(String message) {
        super(message);
    }
}
