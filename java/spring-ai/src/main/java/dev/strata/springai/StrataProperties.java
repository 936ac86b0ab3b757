package dev.strata.springai;

import dev.strata.api.Settings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code strata.*} properties: where the embedded Strata keeps its data, any other Strata setting, and the
 * vector store's collection.
 *
 * <pre>
 * strata.path=/var/lib/myapp/strata                 # default: strata-data
 * strata.settings.storage=s3                        # any Strata setting, by its name less STRATA_
 * strata.settings.s3-bucket=my-bucket               #   (STRATA_S3_BUCKET)
 * strata.vectorstore.collection-name=docs           # default: spring-ai-documents
 * strata.vectorstore.enabled=false                  # no Strata store (e.g. to use Spring AI's Chroma store)
 * </pre>
 */
@ConfigurationProperties("strata")
public class StrataProperties {

    /** The local folder of the embedded Strata (STRATA_PATH). */
    private String path = "strata-data";

    /** Other Strata settings by environment name less the STRATA_ prefix, in any case: s3-bucket, S3_BUCKET. */
    private Map<String, String> settings = new LinkedHashMap<>();

    private final VectorStore vectorstore = new VectorStore();

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public Map<String, String> getSettings() {
        return settings;
    }

    public void setSettings(Map<String, String> settings) {
        this.settings = settings;
    }

    public VectorStore getVectorstore() {
        return vectorstore;
    }

    /** Strata's settings: the defaults, then {@link #settings}, then {@link #path}. */
    public Settings toSettings() {
        Map<String, String> variables = new LinkedHashMap<>();
        settings.forEach((name, value) ->
                variables.put("STRATA_" + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_'), value));
        return Settings.defaults(Path.of(path)).withAll(variables).withPath(Path.of(path));
    }

    /** {@code strata.vectorstore.*}. */
    public static class VectorStore {

        /** Whether to create the Strata VectorStore bean. */
        private boolean enabled = true;

        /** The collection holding the documents (created in the cosine space when missing). */
        private String collectionName = StrataVectorStore.DEFAULT_COLLECTION;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getCollectionName() {
            return collectionName;
        }

        public void setCollectionName(String collectionName) {
            this.collectionName = collectionName;
        }
    }
}
