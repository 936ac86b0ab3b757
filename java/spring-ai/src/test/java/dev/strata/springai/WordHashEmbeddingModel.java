package dev.strata.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/**
 * A deterministic embedding model for tests (Spring AI's input, not a stand-in for Strata): each word adds one to
 * the dimension its hash picks. Equal texts embed equally; texts sharing words are close, others far.
 */
public final class WordHashEmbeddingModel implements EmbeddingModel {

    static final int DIMENSION = 256;

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        List<Embedding> embeddings = new ArrayList<>();
        for (String text : request.getInstructions()) {
            embeddings.add(new Embedding(vector(text), embeddings.size()));
        }
        return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
        return vector(document.getText());
    }

    @Override
    public int dimensions() {
        return DIMENSION;
    }

    static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
            if (!word.isEmpty()) {
                v[Math.floorMod(word.hashCode(), DIMENSION)] += 1f;
            }
        }
        return v;
    }

    /** The cosine similarity of two texts' embeddings: the score Strata's store gives. */
    static double similarity(String a, String b) {
        float[] x = vector(a);
        float[] y = vector(b);
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < DIMENSION; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / Math.sqrt(nx * ny);
    }
}
