package dev.strata.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;

/**
 * A deterministic embedding model for tests (the framework's input, not a stand-in for Strata): character
 * trigrams hashed into 64 dimensions, normalized. Equal texts embed equally; texts sharing trigrams are close.
 */
final class HashingEmbeddingModel implements EmbeddingModel {

    static final int DIMENSION = 64;

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        return Response.from(segments.stream().map(s -> vector(s.text())).map(Embedding::from).toList());
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    private static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        v[0] = 0.1f;                     // never the zero vector, which has no cosine
        String padded = "  " + text + "  ";
        for (int i = 0; i + 3 <= padded.length(); i++) {
            v[Math.floorMod(padded.substring(i, i + 3).hashCode(), DIMENSION)] += 1f;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
