package dev.strata.reliability;

import dev.strata.api.Collection;
import dev.strata.api.DeleteRequest;
import dev.strata.api.GetRequest;
import dev.strata.api.GetResult;
import dev.strata.api.Include;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Strata;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The node the crash loop kills: opens Strata with the settings given, then runs writers (add, upsert, delete
 * of records whose content derives from id + version) and readers (get, query) until it is killed. It prints,
 * flushed, each write's intent before the call and its acknowledgement after the call returned (see
 * {@link ChildLine}); readers print any record that is not whole.
 *
 * <p>Arguments: path writers readers idsPerWriter versionBase seed [STRATA_NAME=value ...]. Writer w owns the ids
 * {@code w<w>-<i>} and writes them one call at a time, so per id the order of acknowledgements is the log's.
 */
public final class CrashChild {

    static final String COLLECTION = "crash";
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
            StandardCharsets.UTF_8);

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int writers = Integer.parseInt(args[1]);
        int readers = Integer.parseInt(args[2]);
        int idsPerWriter = Integer.parseInt(args[3]);
        long versionBase = Long.parseLong(args[4]);
        long seed = Long.parseLong(args[5]);
        Map<String, String> env = new HashMap<>();
        for (int i = 6; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            env.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Strata strata = Strata.open(Settings.defaults(path).withAll(env));
        Collection collection = strata.database().getOrCreateCollection(COLLECTION, null, null);
        emit(ChildLine.ready());
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().name("writer-" + w).start(() ->
                    write(collection, writer, idsPerWriter, versionBase, new SplittableRandom(seed * 31 + writer))));
        }
        for (int r = 0; r < readers; r++) {
            SplittableRandom random = new SplittableRandom(seed * 17 + r);
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() ->
                    read(collection, writers, idsPerWriter, random)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void write(Collection collection, int writer, int idsPerWriter, long versionBase,
            SplittableRandom random) {
        for (long version = versionBase; ; version++) {
            int size = 1 + random.nextInt(4);
            LinkedHashSet<String> ids = new LinkedHashSet<>();
            while (ids.size() < size) {
                ids.add(id(writer, random.nextInt(idsPerWriter)));
            }
            int dice = random.nextInt(100);
            Op op = dice < 35 ? Op.ADD : dice < 75 ? Op.UPSERT : Op.DELETE;
            List<String> batch = List.copyOf(ids);
            emit(ChildLine.intent(writer, op, version, batch));
            try {
                switch (op) {
                    case ADD -> collection.add(records(writer, batch, version));
                    case UPSERT -> collection.upsert(records(writer, batch, version));
                    case DELETE -> collection.delete(DeleteRequest.of(batch, null, null));
                }
            } catch (RuntimeException e) {
                // The outcome of this write is unknown now: stop writing these ids (the parent treats it as in flight).
                emit(ChildLine.error(writer, e.toString()));
                return;
            }
            emit(ChildLine.ack(writer, op, version, Content.hash(op.name(), batch, version)));
        }
    }

    static RecordSet records(int writer, List<String> ids, long version) {
        return RecordSet.builder()
                .ids(ids)
                .embeddings(ids.stream().map(id -> Content.embedding(id, version)).toList())
                .documents(ids.stream().map(id -> Content.document(id, version)).toList())
                .metadatas(ids.stream().map(id -> Content.metadata(writer, version)).toList())
                .build();
    }

    private static void read(Collection collection, int writers, int idsPerWriter, SplittableRandom random) {
        while (true) {
            try {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ids.add(id(random.nextInt(writers), random.nextInt(idsPerWriter)));
                }
                GetResult got = collection.get(GetRequest.builder().ids(ids)
                        .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
                for (int i = 0; i < got.size(); i++) {
                    report(Content.problem(got.ids().get(i), got.documents().get(i), got.metadatas().get(i),
                            got.embeddings().get(i)));
                }
                float[] q = Content.embedding("query", random.nextLong());
                QueryResult found = collection.query(QueryRequest.builder().queryEmbeddings(q).nResults(5)
                        .include(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS).build());
                for (int i = 0; i < found.ids().getFirst().size(); i++) {
                    report(Content.problem(found.ids().getFirst().get(i), found.documents().getFirst().get(i),
                            found.metadatas().getFirst().get(i), found.embeddings().getFirst().get(i)));
                }
            } catch (RuntimeException e) {
                emit(ChildLine.bad("read failed: " + e));
                return;
            }
        }
    }

    private static void report(String problem) {
        if (problem != null) {
            emit(ChildLine.bad(problem));
        }
    }

    static String id(int writer, int i) {
        return "w" + writer + "-" + i;
    }

    /** One line per call, flushed at once: a SIGKILL can lose only the line being written, never reorder them. */
    private static void emit(String line) {
        OUT.println(line);
    }

    enum Op { ADD, UPSERT, DELETE }
}
