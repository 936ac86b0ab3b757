package dev.strata.cli;

import dev.strata.api.Settings;
import dev.strata.api.Strata;
import dev.strata.ops.port.Importer;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `strata import --from URL`: copies collections from a running Chroma server into a stopped Strata node. */
@Command(name = "import", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.NodeRows.class,
        description = {"Copy collections (name, metadata, HNSW configuration, and every record) from a Chroma server "
                + "into the local node, which must not be serving meanwhile.",
                "Re-running is safe: ids the node already holds are skipped (add ignores existing ids)."})
final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeMixin node;

    @Mixin
    PeerMixin peer;

    @Option(names = "--from", required = true, paramLabel = "URL", description = "The Chroma server, e.g. http://localhost:8000.")
    URI from;

    @Override
    public Integer call() {
        return PortCommandSupport.run(spec, "import", () -> {
            Settings settings = node.settings();
            // A batch larger than the node's max_batch_size would be refused whole.
            int batchSize = Math.min(peer.batchSize, settings.maxBatchSize());
            try (Strata strata = Strata.open(settings)) {
                return new Importer(peer.client(from), strata, batchSize, PortCommandSupport.progress(spec, peer.quiet))
                        .run(peer.collections);
            }
        });
    }
}
