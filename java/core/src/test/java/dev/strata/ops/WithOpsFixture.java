package dev.strata.ops;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of tests that run against a fresh {@link OpsFixture} in {@code dir/node}. */
public abstract class WithOpsFixture {

    @TempDir
    protected Path dir;

    protected OpsFixture f;

    @BeforeEach
    void buildFixture() {
        f = OpsFixture.build(dir.resolve("node"));
    }

    @AfterEach
    void closeFixture() {
        f.close();
    }
}
