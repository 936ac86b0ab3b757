package dev.strata.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * A running node's {@code /metrics} (Prometheus text) and its auth token: the options and the read shared by the
 * commands that report on a live node ({@code stats}, {@code cost}).
 */
public final class NodeMetrics {

    @Option(names = "--metrics", paramLabel = "URL",
            description = "A running node's Prometheus endpoint, e.g. http://host:8000/metrics.")
    URI url;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The node's auth token, when it has STRATA_AUTH_TOKENS (sent as Authorization: Bearer).")
    String token;

    /** True when --metrics was given. */
    boolean given() {
        return url != null;
    }

    /**
     * The text at --metrics, sent with --token when given. A node that cannot be reached or does not answer 200 is
     * an {@link IllegalStateException} (the commands print its message as one line).
     */
    String scrape() throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode()
                        + (r.statusCode() == 401 ? " (give --token)" : ""));
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + url + ": " + e, e);
        }
    }
}
