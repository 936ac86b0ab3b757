package dev.strata.nativeio;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class NativeWarmupTest {

    @Test
    void theFirstQueriesNativeCallsRunOnTinyInputsAndCanRunAgain() {
        // Every call checks its arguments: a warm-up that passed a wrong shape would throw here, not in a node's log.
        assertThatCode(NativeWarmup::run).doesNotThrowAnyException();
        assertThatCode(NativeWarmup::run).doesNotThrowAnyException();
    }
}
