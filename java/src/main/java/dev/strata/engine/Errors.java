package dev.strata.engine;

import dev.strata.api.AlreadyExistsException;
import dev.strata.api.InternalException;
import dev.strata.api.InvalidArgumentException;
import dev.strata.api.NotFoundException;
import dev.strata.api.NotWriterException;
import dev.strata.api.StrataException;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.ConflictException;
import dev.strata.catalog.FencedException;
import dev.strata.catalog.LeaseHeldException;
import dev.strata.segment.CorruptLogBatchException;
import dev.strata.storage.ObjectStoreException;
import dev.strata.wal.WalCorruptedException;
import dev.strata.wal.WalFencedException;
import java.io.UncheckedIOException;
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
            case LeaseHeldException l -> new NotWriterException("This node may not write: " + l.getMessage(), l);
            case FencedException f -> new NotWriterException("This node may no longer write: " + f.getMessage(), f);
            case WalFencedException w -> new NotWriterException("This node may no longer write: " + w.getMessage(), w);
            case CatalogException c -> new InternalException("Catalog error: " + c.getMessage(), c);
            case CorruptLogBatchException c -> new InternalException("Corrupt log record: " + c.getMessage(), c);
            case WalCorruptedException w -> new InternalException("Corrupt write-ahead log: " + w.getMessage(), w);
            case ObjectStoreException o -> new InternalException("Object store error: " + o.getMessage(), o);
            case UncheckedIOException io -> new InternalException("I/O error: " + io.getMessage(), io);
            case IllegalArgumentException i -> new InvalidArgumentException(i.getMessage(), i);
            default -> new InternalException("Internal error: " + e, e);
        };
    }
}
