package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.api.Validator;
import dev.strata.server.ServerFixture.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an outside probe of bad input found, each now a clear 4xx before any work (or an answer clients can parse):
 * embeddings of millions of dimensions, writes of a million records, queries answering millions of records,
 * distances past float's range, valid JSON past the parser's bounds, text that is not valid Unicode, and bodies in
 * an encoding or charset the server does not read.
 */
class OutsizedInputTest {

    private static final String DB = ServerFixture.DB;

    @TempDir
    static Path dir;

    private static ServerFixture f;

    @BeforeAll
    static void start() {
        f = ServerFixture.overNewEngine(dir.resolve("node"), ServerOptions.defaults().withMaxBodyBytes(64L << 20));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static Reply send(String path, byte[] body, Map<String, String> headers) {
        Reply r = f.withHeaders(headers).sendBytes("POST", path, body, null);
        f.withHeaders(Map.of());
        return r;
    }

    private static Reply post(String path, String body) {
        return f.post(path, body);
    }

    private static String collection(String name, String space) {
        Reply r = post(DB + "/collections", "{\"name\":\"" + name + "\",\"configuration\":{\"hnsw\":{\"space\":\"" + space + "\"}}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return DB + "/collections/" + r.json().get("id").asText();
    }

    private static void assertBadRequest(Reply r, String... messageParts) {
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("InvalidArgumentError");
        assertThat(r.json().get("message").asText()).contains(messageParts).doesNotContain("Jackson", "StreamReadConstraints");
    }

    private static int count(String coll) {
        Reply r = f.get(coll + "/count");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().asInt();
    }

    @Test
    void anEmbeddingOfMoreDimensionsThanAnyModelIsRefusedBeforeAnythingIsStored() {
        String coll = collection("wide", "l2");
        String zeros = "0,".repeat(Validator.MAX_DIMENSION) + "0";
        assertBadRequest(post(coll + "/add", "{\"ids\":[\"a\"],\"embeddings\":[[" + zeros + "]]}"),
                "at most " + Validator.MAX_DIMENSION + " dimensions", "got " + (Validator.MAX_DIMENSION + 1));
        assertBadRequest(post(coll + "/query", "{\"query_embeddings\":[[" + zeros + "]],\"n_results\":1}"),
                "at most " + Validator.MAX_DIMENSION + " dimensions");
        assertThat(count(coll)).isZero();
        // The largest accepted is stored and found.
        String widest = "1," + "0,".repeat(Validator.MAX_DIMENSION - 2) + "0";
        assertThat(post(coll + "/add", "{\"ids\":[\"w\"],\"embeddings\":[[" + widest + "]]}").status()).isEqualTo(201);
        assertThat(post(coll + "/query", "{\"query_embeddings\":[[" + widest + "]],\"n_results\":1}").json()
                .get("ids").get(0).get(0).asText()).isEqualTo("w");
    }

    @Test
    void aWriteOfMoreRecordsThanOneCompactionStepTakesIsRefusedWhole() {
        String coll = collection("many", "l2");
        int n = Validator.MAX_WRITE_RECORDS + 1;
        StringBuilder ids = new StringBuilder();
        StringBuilder embeddings = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ids.append(i == 0 ? "" : ",").append('"').append(i).append('"');
            embeddings.append(i == 0 ? "" : ",").append("[1]");
        }
        assertBadRequest(post(coll + "/add", "{\"ids\":[" + ids + "],\"embeddings\":[" + embeddings + "]}"),
                "Cannot add " + n + " records", "max_batch_size");
        assertThat(count(coll)).isZero();
    }

    @Test
    void aQueryThatWouldAnswerMoreRecordsThanTheBoundIsRefusedAndOneWithinItIsAnswered() {
        String coll = collection("answers", "l2");
        int records = 2_000;
        StringBuilder ids = new StringBuilder();
        StringBuilder embeddings = new StringBuilder();
        for (int i = 0; i < records; i++) {
            ids.append(i == 0 ? "" : ",").append("\"r").append(i).append('"');
            embeddings.append(i == 0 ? "" : ",").append('[').append(i).append(",1]");
        }
        assertThat(post(coll + "/add", "{\"ids\":[" + ids + "],\"embeddings\":[" + embeddings + "]}").status()).isEqualTo(201);
        int queries = Validator.MAX_QUERY_RESULTS / records + 1; // times 2,000 records: just past the bound
        String many = ",[1,1]".repeat(queries).substring(1);
        assertBadRequest(post(coll + "/query", "{\"query_embeddings\":[" + many + "],\"n_results\":2147483647}"),
                "would answer " + (long) queries * records + " records", "more than the " + Validator.MAX_QUERY_RESULTS);
        // n_results past the count is still fine while the answer stays within the bound.
        Reply within = post(coll + "/query", "{\"query_embeddings\":[[1,1],[5,1]],\"n_results\":2147483647,\"include\":[]}");
        assertThat(within.status()).as(within.text()).isEqualTo(200);
        assertThat(within.json().get("ids").get(1).size()).isEqualTo(records);
    }

    @Test
    void aDistancePastFloatsRangeIsNullNotAString() {
        String l2 = collection("huge-l2", "l2");
        assertThat(post(l2 + "/add", "{\"ids\":[\"z\"],\"embeddings\":[[1e38,1,1]]}").status()).isEqualTo(201);
        Reply r = post(l2 + "/query", "{\"query_embeddings\":[[-1e38,-1,-1]],\"n_results\":1,\"include\":[\"distances\"]}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.text()).doesNotContain("Infinity", "NaN");
        assertThat(r.json().get("distances").get(0).get(0).isNull()).as(r.text()).isTrue();
        assertThat(r.json().get("ids").get(0).get(0).asText()).isEqualTo("z");
    }

    @Test
    void validJsonPastTheParsersBoundsIsNamedInTheApisWordsAndADocumentThatFitsTheBodyIsTaken() {
        String coll = collection("deep", "l2");
        String where = "{\"$and\":[".repeat(40) + "{\"k\":1}" + "]}".repeat(40);
        assertBadRequest(post(coll + "/get", "{\"where\":" + where + "}"), "deeper than 64 levels");
        String longDocument = "x".repeat(21_000_000); // past the 20,000,000 characters Jackson allows by default
        Reply added = post(coll + "/add", "{\"ids\":[\"d\"],\"embeddings\":[[1,2]],\"documents\":[\"" + longDocument + "\"]}");
        assertThat(added.status()).as(added.text().substring(0, Math.min(300, added.text().length()))).isEqualTo(201);
        assertThat(count(coll)).isEqualTo(1);
    }

    @Test
    void textThatIsNotValidUnicodeIsRefusedAndAValidSurrogatePairIsTaken() {
        String coll = collection("unicode", "l2");
        byte[] overlong = "{\"ids\":[\"a\"],\"embeddings\":[[1,2]],\"documents\":[\"\u0000\u0000\"]}".getBytes(StandardCharsets.UTF_8);
        int at = new String(overlong, StandardCharsets.UTF_8).indexOf('\u0000');
        overlong[at] = (byte) 0xC0; // C0 AF: an overlong '/'
        overlong[at + 1] = (byte) 0xAF;
        Map<String, String> json = Map.of("Content-Type", "application/json");
        assertBadRequest(send(coll + "/add", overlong, json), "not valid UTF-8");
        byte[] surrogate = "{\"ids\":[\"\u0000\u0000\u0000\"],\"embeddings\":[[1,2]]}".getBytes(StandardCharsets.UTF_8);
        int s = new String(surrogate, StandardCharsets.UTF_8).indexOf('\u0000');
        surrogate[s] = (byte) 0xED; // ED A0 80: U+D800 encoded as if it were a character
        surrogate[s + 1] = (byte) 0xA0;
        surrogate[s + 2] = (byte) 0x80;
        assertBadRequest(send(coll + "/add", surrogate, json), "not valid UTF-8");
        assertBadRequest(post(coll + "/add", "{\"ids\":[\"\\ud800\"],\"embeddings\":[[1,2]]}"), "lone surrogate");
        assertBadRequest(post(coll + "/add", "{\"ids\":[\"x\"],\"embeddings\":[[1,2]],\"metadatas\":[{\"k\":\"\\udc00\"}]}"),
                "lone surrogate");
        assertThat(count(coll)).isZero();
        // An escaped backslash before a u is no escape; a pair is one character.
        Reply ok = post(coll + "/add", "{\"ids\":[\"\\\\ud800\",\"\\ud83d\\ude00\"],\"embeddings\":[[1,2],[3,4]]}");
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        Reply got = post(coll + "/get", "{\"ids\":[\"\\ud83d\\ude00\",\"\\\\ud800\"]}");
        assertThat(got.json().get("ids")).extracting(JsonNode::asText).containsExactlyInAnyOrder("\uD83D\uDE00", "\\ud800");
    }

    @Test
    void aPathParameterIsRefusedRatherThanCutOff() {
        String coll = collection("params", "l2");
        Reply r = f.get("/api/v2/tenants/default_tenant;rm");
        assertBadRequest(r, "Path parameters (';rm')");
        assertBadRequest(f.get(coll + ";x=1/count"), "Path parameters");
        assertThat(f.get("/api/v2/tenants/default_tenant").status()).isEqualTo(200);
    }

    @Test
    void aBodyInAnotherCharsetOrCompressedIsUnsupportedMediaType() {
        String coll = collection("encodings", "l2");
        byte[] body = "{\"ids\":[\"a\"],\"embeddings\":[[1,2]]}".getBytes(StandardCharsets.UTF_8);
        Reply gzip = send(coll + "/add", body, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        assertThat(gzip.status()).as(gzip.text()).isEqualTo(415);
        assertThat(gzip.json().get("message").asText()).contains("Content-Encoding: gzip");
        Reply utf16 = send(coll + "/add", body, Map.of("Content-Type", "application/json; charset=utf-16"));
        assertThat(utf16.status()).as(utf16.text()).isEqualTo(415);
        assertThat(utf16.json().get("message").asText()).contains("UTF-8");
        assertThat(count(coll)).isZero();
        Reply utf8 = send(coll + "/add", body, Map.of("Content-Type", "application/json; charset=UTF-8"));
        assertThat(utf8.status()).as(utf8.text()).isEqualTo(201);
    }
}
