package dev.strata.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class VersionPinsTest {

    @Test
    void countsPinsPerVersionAndReleasesEachOnce() {
        VersionPins pins = new VersionPins();
        UUID c = UUID.randomUUID();
        VersionPins.Pin a = pins.pin(c, 3);
        VersionPins.Pin b = pins.pin(c, 3);
        VersionPins.Pin d = pins.pin(c, 4);
        assertThat(pins.pinnedVersions(c)).containsExactly(3L, 4L);
        a.close();
        a.close();
        assertThat(pins.pinnedVersions(c)).containsExactly(3L, 4L);
        b.close();
        d.close();
        assertThat(pins.pinnedVersions(c)).isEmpty();
        assertThat(pins.pinnedVersions(UUID.randomUUID())).isEmpty();
    }
}
