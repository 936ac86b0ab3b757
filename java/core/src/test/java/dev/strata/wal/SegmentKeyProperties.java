package dev.strata.wal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.CharRange;

class SegmentKeyProperties {

    @Property(tries = 300)
    void keysParseBackAndSortBySeq(@ForAll @StringLength(min = 1, max = 40) @CharRange(from = 'a', to = 'z') @Chars({'-', '_', '.'}) String suffix,
                                   @ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 4) long first,
                                   @ForAll @LongRange(min = 0, max = 1_000_000) long span,
                                   @ForAll @LongRange(min = 1, max = 1_000_000) long gap) {
        String collection = "c" + suffix;
        SegmentKey a = new SegmentKey(collection, first, first + span);
        SegmentKey b = new SegmentKey(collection, first + span + gap, first + span + gap);
        assertThat(SegmentKey.parse(a.key())).contains(a);
        assertThat(a.key()).startsWith(SegmentKey.prefix(collection)).isLessThan(b.key());
    }

    @Property(tries = 100)
    void otherKeysAreNotSegments(@ForAll @StringLength(max = 60) String junk) {
        assertThat(SegmentKey.parse("c/x/b/" + junk)).isEmpty();
    }
}
