package dev.strata.storage;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A store that passes reads (get, head, list) and refuses every put and delete before it is sent: the store of a
 * node that serves reads of a bucket another node writes, so that no code path of that node can change the
 * writer's bucket, whatever it tries.
 */
public final class ReadOnlyObjectStore extends ForwardingObjectStore {

    private static final Set<RequestStats.Op> WRITES =
            EnumSet.of(RequestStats.Op.PUT, RequestStats.Op.PUT_CONDITIONAL, RequestStats.Op.DELETE);

    public ReadOnlyObjectStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    protected <T> T request(RequestStats.Op op, String key, Supplier<T> call) {
        if (WRITES.contains(op)) {
            throw new ObjectStoreException(op + " refused: this node opened " + delegate.describe() + " read-only", key);
        }
        return call.get();
    }

    @Override
    public String describe() {
        return "read-only " + delegate.describe();
    }
}
