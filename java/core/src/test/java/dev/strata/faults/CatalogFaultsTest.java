package dev.strata.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.Database;
import dev.strata.api.InternalException;
import dev.strata.api.Settings;
import dev.strata.engine.EmbeddedStrata;
import dev.strata.storage.FaultInjectingObjectStore;
import dev.strata.storage.FaultInjectingObjectStore.Fault;
import dev.strata.storage.RequestStats;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A catalog change (here: creating a collection) whose manifest write fails is an InternalException.
 * When the write landed although the client saw a timeout or a reset, the change is there; either way
 * the next change succeeds at once: the node holds the writer lease, so a manifest it did not expect
 * can only be its own.
 */
class CatalogFaultsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailedManifestWriteFailsOneChangeOnly(Fault fault) {
        AtomicReference<FaultInjectingObjectStore> faults = new AtomicReference<>();
        Settings settings = Settings.defaults(dir);
        try (EmbeddedStrata strata = EmbeddedStrata.openDecorated(settings, store -> {
            faults.set(new FaultInjectingObjectStore(store, 5));
            return faults.get();
        })) {
            Database db = strata.database();
            faults.get().failNext(RequestStats.Op.PUT_CONDITIONAL, fault);
            assertThatThrownBy(() -> db.createCollection("first", null, null)).isInstanceOf(InternalException.class)
                    .hasMessageContaining("injected fault");

            Collection second = db.createCollection("second", null, null);
            assertThat(db.getCollection("second").id()).isEqualTo(second.id());
            boolean landed = fault.appliedBeforeFailing();
            assertThat(db.listCollections(null, 0)).extracting(Collection::name)
                    .containsExactlyInAnyOrderElementsOf(landed ? List.of("first", "second") : List.of("second"));
        }
        try (EmbeddedStrata strata = EmbeddedStrata.open(settings)) {
            assertThat(strata.database().countCollections()).isEqualTo(fault.appliedBeforeFailing() ? 2 : 1);
        }
    }
}
