package dev.strata.cli;

import dev.strata.api.Strata;
import dev.strata.ops.port.Exporter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** `strata export --to URL`: copies the collections of a stopped Strata node to a running Chroma server. */
@Command(name = "export", mixinStandardHelpOptions = true, modelTransformer = SettingOptions.NodeRows.class,
        description = {"Copy collections (name, metadata, HNSW configuration, and every record) of the local node, "
                + "which must not be serving meanwhile, to a Chroma server (get_or_create, batches of its max_batch_size).",
                "Re-running is safe: the server ignores ids the collection already holds."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeMixin node;

    @Mixin
    PeerMixin peer;

    @Option(names = "--to", required = true, paramLabel = "URL", description = "The Chroma server, e.g. http://localhost:8000.")
    URI to;

    @Override
    public Integer call() {
        return PortCommandSupport.run(spec, "export", () -> {
            try (Strata strata = node.open()) {
                return new Exporter(strata.database(peer.tenant, peer.database), peer.client(to), peer.batchSize,
                        PortCommandSupport.progress(spec, peer.quiet)).run(peer.collections);
            }
        });
    }
}
