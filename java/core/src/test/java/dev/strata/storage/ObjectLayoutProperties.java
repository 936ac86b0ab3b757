package dev.strata.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.storage.ObjectLayout.BlockKey;
import dev.strata.storage.ObjectLayout.CollectionFolder;
import dev.strata.storage.ObjectLayout.FixedKey;
import dev.strata.storage.ObjectLayout.IndexFileKey;
import dev.strata.storage.ObjectLayout.LogSegment;
import dev.strata.storage.ObjectLayout.ObjectKey;
import dev.strata.storage.ObjectLayout.RootKey;
import dev.strata.storage.ObjectLayout.VersionManifestKey;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Every key {@link ObjectLayout} builds parses back to what built it, and nothing else parses. */
class ObjectLayoutProperties {

    @Property(tries = 500)
    void everyKeyParsesBackToWhatBuiltIt(@ForAll("objectKeys") ObjectKey key) {
        assertThat(ObjectLayout.parse(key.key())).contains(key);
        assertThat(ObjectKeys.validate(key.key())).isEqualTo(key.key());
    }

    @Property(tries = 300)
    void collectionKeysLieInTheirCollectionsFolder(@ForAll("objectKeys") ObjectKey key) {
        String collection = switch (key) {
            case VersionManifestKey v -> v.collection();
            case BlockKey b -> b.collection();
            case RootKey r -> r.collection();
            case IndexFileKey i -> i.collection();
            case LogSegment s -> s.collection();
            case FixedKey s -> null;
        };
        if (collection == null) {
            assertThat(ObjectLayout.collectionOf(key.key())).isEmpty();
            assertThat(ObjectLayout.folderOf(key.key())).isEmpty();
        } else {
            assertThat(key.key()).startsWith(ObjectLayout.collectionFolder(collection));
            assertThat(ObjectLayout.collectionOf(key.key())).contains(collection);
            assertThat(ObjectLayout.folderOf(key.key())).contains(switch (key) {
                case VersionManifestKey v -> CollectionFolder.VERSIONS;
                case BlockKey b -> CollectionFolder.BLOCKS;
                case RootKey r -> CollectionFolder.ROOTS;
                case IndexFileKey i -> CollectionFolder.INDEX_FILES;
                default -> CollectionFolder.LOG;
            });
        }
    }

    @Property(tries = 300)
    void logSegmentsParseBackAndSortBySeq(@ForAll("collections") String collection,
                                          @ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 4) long first,
                                          @ForAll @LongRange(min = 0, max = 1_000_000) long span,
                                          @ForAll @LongRange(min = 1, max = 1_000_000) long gap) {
        LogSegment a = new LogSegment(collection, first, first + span);
        LogSegment b = new LogSegment(collection, first + span + gap, first + span + gap);
        assertThat(ObjectLayout.parseLogSegment(a.key())).contains(a);
        assertThat(a.key()).startsWith(ObjectLayout.logFolder(collection)).isLessThan(b.key());
    }

    @Property(tries = 200)
    void versionManifestsSortByVersion(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 1) long version) {
        UUID c = UUID.randomUUID();
        assertThat(ObjectLayout.versionManifest(c, version)).isLessThan(ObjectLayout.versionManifest(c, version + 1));
        assertThat(ObjectLayout.parseVersionManifest(ObjectLayout.versionManifest(c, version)))
                .contains(new VersionManifestKey(c.toString(), version));
    }

    @Property(tries = 300)
    void blockfilesInAnyFolderFindTheirFolderAgain(@ForAll("folders") String folder, @ForAll("names") String id) {
        String root = ObjectLayout.root(ObjectLayout.checkBlockfileFolder(folder), id);
        assertThat(ObjectLayout.blockfileFolderOfRoot(root)).isEqualTo(folder);
        assertThat(ObjectLayout.block(folder, id)).isNotEqualTo(root).startsWith(folder);
    }

    @Property(tries = 300)
    void foreignKeysDoNotParse(@ForAll @StringLength(max = 60) String junk) {
        assertThat(ObjectLayout.parseLogSegment("c/x/b/" + junk)).isEmpty();
        assertThat(ObjectLayout.parse("x/" + junk)).isEmpty();
        assertThat(ObjectLayout.parse("c/x/q/" + junk)).isEmpty();
        assertThat(ObjectLayout.parse("c/x/v/" + junk)).isEmpty();
    }

    @Example
    void keysAreByteIdenticalToThoseExistingBucketsHold() {
        UUID c = UUID.fromString("0b7e4a5c-1111-2222-3333-444455556666");
        assertThat(ObjectLayout.versionManifest(c, 7)).isEqualTo("c/" + c + "/v/00000000000000000007.json");
        assertThat(ObjectLayout.collectionFolder(c)).isEqualTo("c/" + c + "/");
        assertThat(ObjectLayout.block("c/x/", "id")).isEqualTo("c/x/b/id");
        assertThat(ObjectLayout.root("c/x/", "id")).isEqualTo("c/x/r/id");
        assertThat(ObjectLayout.hnswFile("x", "u")).isEqualTo("c/x/i/u/hnsw.bin");
        assertThat(new LogSegment("x", 1, 4).key()).isEqualTo("c/x/log/00000000000000000001-00000000000000000004.wal");
        assertThat(new LogSegment("x", 1, 4, 3).key()).isEqualTo("c/x/log/00000000000000000001-00000000000000000004.e3.wal");
        assertThat(FixedKey.CATALOG.key()).isEqualTo("catalog/manifest.json");
        assertThat(FixedKey.WRITER_LEASE.key()).isEqualTo("lease.json");
        assertThat(FixedKey.STANDBY.key()).isEqualTo("lease-standby.json");
        assertThat(FixedKey.COMPACTION_STATUS.key()).isEqualTo("status/compaction-failures.json");
    }

    @Example
    void nonCanonicalKeysDoNotParse() {
        assertThat(ObjectLayout.parse("c/x/v/7.json")).isEmpty();
        assertThat(ObjectLayout.parse("c/x/log/00000000000000000001-00000000000000000004.e0.wal")).isEmpty();
        assertThat(ObjectLayout.parse("c/x/log/00000000000000000001-00000000000000000004.e03.wal")).isEmpty();
        assertThat(ObjectLayout.parse("c/x/log/00000000000000000004-00000000000000000001.wal")).isEmpty();
        assertThat(ObjectLayout.parse("c/x/b/a/b")).isEmpty();
        assertThat(ObjectLayout.parse("c/../b/a")).isEmpty();
        assertThatThrownBy(() -> ObjectLayout.requireValidCollection("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectLayout.blockfileFolderOfRoot("c/x/b/id")).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<String> collections() {
        return Combinators.combine(Arbitraries.chars().alpha().numeric(),
                        Arbitraries.strings().alpha().numeric().withChars('.', '_', '-').ofMaxLength(127))
                .as((first, rest) -> first + rest);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().alpha().numeric().withChars('.', '_', '-', ' ', '=', '+').ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.equals(".") && !s.equals(".."));
    }

    @Provide
    Arbitrary<String> folders() {
        return Arbitraries.oneOf(Arbitraries.just(""), collections().map(ObjectLayout::collectionFolder),
                names().list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join("/", parts) + "/"));
    }

    @Provide
    Arbitrary<ObjectKey> objectKeys() {
        Arbitrary<Long> seq = Arbitraries.longs().between(1, Long.MAX_VALUE / 2);
        return Arbitraries.oneOf(
                Arbitraries.of(FixedKey.class).map(ObjectKey.class::cast),
                Combinators.combine(collections(), Arbitraries.longs().between(0, Long.MAX_VALUE)).as(VersionManifestKey::new),
                Combinators.combine(collections(), names()).as(BlockKey::new),
                Combinators.combine(collections(), names()).as(RootKey::new),
                Combinators.combine(collections(), names(), names()).as(IndexFileKey::new),
                Combinators.combine(collections(), seq, Arbitraries.longs().between(0, 1_000_000),
                        Arbitraries.longs().between(0, 999_999_999_999_999_999L))
                        .as((c, first, span, epoch) -> new LogSegment(c, first, first + span, epoch)));
    }
}
