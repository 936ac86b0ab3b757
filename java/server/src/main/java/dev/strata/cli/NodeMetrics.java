package dev.strata.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a running node's {@code /metrics} (Prometheus text), for the commands that report on a live node. */
final class NodeMetrics {

    private NodeMetrics() {}

    /**
     * The text at {@code url}; {@code token}: the node's auth token, or null. A node that cannot be reached or does
     * not answer 200 is an {@link IllegalStateException} (the commands print its message as one line).
     */
    static String scrape(URI url, String token) throws InterruptedException {
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
