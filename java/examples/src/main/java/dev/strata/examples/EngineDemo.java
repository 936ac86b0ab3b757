package dev.strata.examples;

import dev.strata.api.Collection;
import dev.strata.api.CollectionConfiguration;
import dev.strata.api.GetRequest;
import dev.strata.api.QueryRequest;
import dev.strata.api.QueryResult;
import dev.strata.api.RecordSet;
import dev.strata.api.Settings;
import dev.strata.api.Space;
import dev.strata.api.Strata;
import dev.strata.api.Where;
import dev.strata.api.WhereDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * scripts/demo: ingests records with documents and metadata into a local Strata, queries with a
 * filter, closes and reopens it (the log is replayed), queries again, and prints timings.
 * Arguments: [records] [dimension] [folder] (a fresh temporary folder when none is given).
 */
public final class EngineDemo {

    private static final String[] GENRES = {"jazz", "rock", "folk", "blues", "pop"};
    private static final String[] WORDS = {"river", "night", "city", "summer", "train", "rain", "road", "light"};

    private EngineDemo() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("strata-demo");
        Random random = new Random(2026);
        float[][] centres = new float[50][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        System.out.printf("Strata demo: %,d records of dimension %d in %s%n", n, dim, dir);

        float[] query = point(centres[7], random);
        QueryRequest filtered = QueryRequest.builder().queryEmbeddings(query).nResults(5)
                .where(Where.and(Where.eq("genre", "jazz"), Where.gte("year", 1990)))
                .whereDocument(WhereDocument.contains("night"))
                .build();

        long t0 = System.nanoTime();
        try (Strata strata = Strata.open(Settings.defaults(dir))) {
            Collection songs = strata.database().getOrCreateCollection("songs", Map.of("source", "demo"),
                    CollectionConfiguration.defaults().withSpace(Space.COSINE));
            long t1 = System.nanoTime();
            System.out.printf("opened in %.0f ms%n", ms(t0, t1));

            int batch = 1_000;
            for (int from = 0; from < n; from += batch) {
                songs.add(batch(from, Math.min(n, from + batch), centres, random));
            }
            long t2 = System.nanoTime();
            System.out.printf("added %,d records in %.2f s (%,.0f records/s, durable on return)%n",
                    songs.count(), (t2 - t1) / 1e9, n / ((t2 - t1) / 1e9));
            runQuery("query (filter: jazz, year >= 1990, document contains 'night')", songs, filtered);
            runQuery("query (no filter)", songs, QueryRequest.builder().queryEmbeddings(query).nResults(5).build());
            long t3 = System.nanoTime();
            int jazz = songs.get(GetRequest.builder().where(Where.eq("genre", "jazz")).build()).size();
            System.out.printf("get where genre = jazz: %,d records in %.1f ms%n", jazz, ms(t3, System.nanoTime()));
        }

        long t4 = System.nanoTime();
        try (Strata strata = Strata.open(Settings.defaults(dir))) {
            Collection songs = strata.database().getCollection("songs");
            int count = songs.count();
            long t5 = System.nanoTime();
            System.out.printf("restarted: reopened and replayed the log (%,d records) in %.0f ms%n", count, ms(t4, t5));
            runQuery("query after restart (same filter)", songs, filtered);
        }
    }

    private static void runQuery(String label, Collection c, QueryRequest request) {
        long t = System.nanoTime();
        QueryResult r = c.query(request);
        double first = ms(t, System.nanoTime());
        int runs = 50;
        double[] times = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            c.query(request);
            times[i] = ms(s, System.nanoTime());
        }
        java.util.Arrays.sort(times);
        System.out.printf("%s: first %.2f ms, median of %d %.2f ms%n", label, first, runs, times[runs / 2]);
        for (int i = 0; i < r.ids().getFirst().size(); i++) {
            System.out.printf("  %-8s %.4f  %s  %s%n", r.ids().getFirst().get(i), r.distances().getFirst().get(i),
                    r.metadatas().getFirst().get(i), r.documents().getFirst().get(i));
        }
    }

    private static RecordSet batch(int from, int to, float[][] centres, Random random) {
        List<String> ids = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        List<Map<String, Object>> metadatas = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("song-" + i);
            embeddings.add(point(centres[random.nextInt(centres.length)], random));
            documents.add(WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " song " + i);
            metadatas.add(Map.of("genre", GENRES[random.nextInt(GENRES.length)], "year", 1950 + random.nextInt(75),
                    "rating", Math.round(random.nextDouble() * 50) / 10.0));
        }
        return RecordSet.builder().ids(ids).embeddings(embeddings).documents(documents).metadatas(metadatas).build();
    }

    private static float[] point(float[] centre, Random random) {
        float[] p = new float[centre.length];
        for (int j = 0; j < p.length; j++) {
            p[j] = centre[j] + 0.4f * (float) random.nextGaussian();
        }
        return p;
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }
}
