package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Collection;
import dev.strata.api.NotFoundException;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database.getCollection(UUID): what the server's record routes use to find a collection. */
class CollectionByIdTest {

    @TempDir
    Path dir;

    @Test
    void aCollectionIsFoundByIdInItsOwnDatabaseOnly() {
        try (Strata strata = Strata.open(Settings.defaults(dir))) {
            Collection a = strata.database().createCollection("alpha", null, null);
            strata.createTenant("other-tenant");
            strata.createDatabase("other-tenant", "db1");
            Collection b = strata.database("other-tenant", "db1").createCollection("bravo", null, null);
            assertThat(strata.database().getCollection(a.id()).name()).isEqualTo("alpha");
            assertThat(strata.database("other-tenant", "db1").getCollection(b.id()).name()).isEqualTo("bravo");
            assertThatThrownBy(() -> strata.database().getCollection(b.id()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining(b.id().toString());
            assertThatThrownBy(() -> strata.database().getCollection(UUID.randomUUID()))
                    .isInstanceOf(NotFoundException.class);
            strata.database().deleteCollection("alpha");
            assertThatThrownBy(() -> strata.database().getCollection(a.id())).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> strata.database("other-tenant", "missing").getCollection(b.id()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("missing");
        }
    }
}
