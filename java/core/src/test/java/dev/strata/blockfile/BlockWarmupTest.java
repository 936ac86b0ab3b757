package dev.strata.blockfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class BlockWarmupTest {

    @Test
    void everyKindOfBlockRoundTripsAndItsNativeMemoryIsReturned() {
        long before = Block.liveNativeBytes();
        assertThatCode(BlockWarmup::run).doesNotThrowAnyException();
        assertThat(Block.liveNativeBytes()).isEqualTo(before);
    }
}
