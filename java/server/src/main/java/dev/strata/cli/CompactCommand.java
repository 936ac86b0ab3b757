package dev.strata.cli;

import dev.strata.api.Collection;
import dev.strata.api.Database;
import dev.strata.api.NotFoundException;
import dev.strata.api.Strata;
import dev.strata.api.StrataException;
import java.io.PrintWriter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `strata compact`: compacts collections of a stopped node now, instead of waiting for the background scheduler. */
@Command(name = "compact", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.NodeRows.class,
        description = "Compact collections of the local node now (it must not be serving meanwhile): their log tail "
                + "becomes a new version of segments. Prints each collection compacted and its record count.")
final class CompactCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeMixin node;

    @Option(names = "--collection", paramLabel = "NAME|ID", description = "Only this collection (name or id); every collection of the database when absent.")
    String collection;

    @Option(names = "--tenant", paramLabel = "T", defaultValue = Strata.DEFAULT_TENANT, description = "Tenant (default ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--database", paramLabel = "D", defaultValue = Strata.DEFAULT_DATABASE, description = "Database (default ${DEFAULT-VALUE}).")
    String database;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Strata strata = node.open()) {
            Database db = strata.database(tenant, database);
            List<Collection> targets = collection == null ? db.listCollections(null, 0) : List.of(find(db, collection));
            for (Collection c : targets) {
                long started = System.nanoTime();
                c.compact();
                out.printf("compacted %s (%s): %d records in %d ms%n", c.name(), c.id(), c.count(),
                        (System.nanoTime() - started) / 1_000_000);
                out.flush();
            }
            out.println("compact: " + targets.size() + " collections compacted");
            out.flush();
            return 0;
        } catch (StrataException e) {
            return PortCommandSupport.fail(err, "compact", e.getMessage());
        }
    }

    /** The collection of that name, else the one whose id it is. */
    private static Collection find(Database db, String nameOrId) {
        try {
            return db.getCollection(nameOrId);
        } catch (NotFoundException | dev.strata.api.InvalidArgumentException byName) {
            UUID id;
            try {
                id = UUID.fromString(nameOrId);
            } catch (IllegalArgumentException notAnId) {
                throw new NotFoundException("Collection " + nameOrId + " does not exist");
            }
            return db.getCollection(id);
        }
    }
}
