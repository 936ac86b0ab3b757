package dev.strata.engine;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.DeadlineExceededException;
import dev.strata.api.InternalException;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.NotFoundException;
import dev.strata.api.NotWriterException;
import dev.strata.api.ReadCancelledException;
import dev.strata.api.StrataException;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.ConflictException;
import dev.strata.catalog.FencedException;
import dev.strata.catalog.LeaseHeldException;
import dev.strata.filter.ReadAbortedException;
import dev.strata.segment.CorruptLogBatchException;
import dev.strata.storage.ObjectStoreException;
import dev.strata.storage.UnsupportedFormatVersionException;
import dev.strata.wal.WalCorruptedException;
import dev.strata.wal.WalFencedException;
import java.io.UncheckedIOException;
import java.nio.file.ReadOnlyFileSystemException;
import java.util.function.Supplier;

/**
 * Maps the lower layers' exceptions to the API's: the caller sees NotFound, AlreadyExists,
 * InvalidArgument or Internal, each with a message that says what went wrong and where.
 */
final class Errors {

    private Errors() {}

    /** Runs an API call, translating whatever the layers below throw. */
    static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    static StrataException translate(RuntimeException e) {
        return switch (e) {
            case StrataException s -> s;
            case dev.strata.catalog.NotFoundException n -> new NotFoundException(n.getMessage(), n);
            case dev.strata.catalog.AlreadyExistsException a -> new AlreadyExistsException(a.getMessage(), a);
            case ConflictException c -> new InvalidArgumentException(c.getMessage(), c);
            case LeaseHeldException l -> new NotWriterException("This node may not write: " + l.getMessage()
                    + "; to serve reads beside that writer, open this node read-only (STRATA_READ_ONLY=true,"
                    + " strata serve --read-only); to replace it, stop it first (a stopped writer releases its"
                    + " lease, a crashed one is replaced after STRATA_LEASE_STALE_MS without renewal)", l);
            case FencedException f -> new NotWriterException("This node may no longer write: " + f.getMessage(), f);
            case WalFencedException w -> new NotWriterException("This node may no longer write: " + w.getMessage(), w);
            case CatalogException c -> new InternalException("Catalog error: " + c.getMessage(), c);
            case CorruptLogBatchException c -> new InternalException("Corrupt log record: " + c.getMessage(), c);
            case WalCorruptedException w -> new InternalException("Corrupt write-ahead log: " + w.getMessage(), w);
            case UnsupportedFormatVersionException u -> new InternalException("The bucket holds data this version of"
                    + " Strata cannot read: " + u.getMessage(), u);
            case ObjectStoreException o -> new InternalException("Object store error: " + o.getMessage(), o);
            case UncheckedIOException io -> new InternalException(ioMessage(io), io);
            case IllegalArgumentException i -> new InvalidArgumentException(i.getMessage(), i);
            case ReadAbortedException r when r.reason() == ReadAbortedException.Reason.DEADLINE ->
                    new DeadlineExceededException("The " + r.getMessage() + "; nothing was changed: narrow the read"
                            + " (filters, n_results, limit) or raise STRATA_QUERY_TIMEOUT_MS", r);
            case ReadAbortedException r -> new ReadCancelledException("The read was stopped: " + r.getMessage(), r);
            default -> new InternalException("Internal error: " + e, e);
        };
    }

    /** True when {@code t} or one of its causes is a {@code type}. */
    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** The layer's message, what the operating system said, and in plain words a condition an operator can fix. */
    private static String ioMessage(UncheckedIOException io) {
        Throwable cause = io.getCause();
        String message = "I/O error: " + io.getMessage();
        if (cause != null && cause.getMessage() != null && !io.getMessage().contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        String condition = diskCondition(io);
        return condition == null ? message : message + " (" + condition + ")";
    }

    /** "the disk is full" / "the file system is read-only" when an exception in the chain says so, else null. */
    static String diskCondition(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (c instanceof ReadOnlyFileSystemException || m.contains("Read-only file system")) {
                return "the file system is read-only";
            }
            if (m.contains("No space left on device") || m.contains("Disk quota exceeded")) {
                return "the disk is full";
            }
        }
        return null;
    }
}
